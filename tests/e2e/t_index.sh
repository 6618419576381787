# t_index.sh - OUT/index.html, the run at a glance, read by a real browser
# (headless Chromium from Debian): the DOM it builds, with and without
# scripts, a preset filter, and a screenshot.
out=$(scratch)/out
rn -o "$out" "$SAMPLES" >/dev/null 2>&1
page="$out/index.html"
check "index.html is written" test -s "$page"

ninputs=$(jq length "$out/summary.json")
# Without a browser the page is still plain HTML: one row per input.
assert_eq "one row per input" "$ninputs" "$(grep -c '<tr data-status=' "$page")"
for s in complete partial blocked invalid; do
	assert_eq "totals: $s" "$(jq --arg s "$s" '[.[] | select(.status == $s)] | length' "$out/summary.json")" \
		"$(grep -o "<th scope=\"row\" class=\"$s\">$s</th><td class=\"num\">[0-9]*" "$page" | grep -o '[0-9]*$')"
done
# Each finding code appears in the table of codes with its count of inputs.
jq -r '[.[] | .findings | map(.code) | unique[]] | group_by(.) | map("\(.[0]) \(length)")[]' "$out/summary.json" |
while read -r code n; do
	assert_eq "codes: $code in $n inputs" "$n" \
		"$(grep -o "<code>$code</code></th><td class=\"[a-z]*\">[a-z]*</td><td class=\"num\">[0-9]*" "$page" | grep -o '[0-9]*$')"
done
# Links reach real files.
grep -o 'href="[^"]*"' "$page" | cut -d'"' -f2 | sort -u | while read -r href; do
	check "link $href leads to a file" test -f "$out/$href"
done

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
	fail "chromium is not installed (tools/install-deps.sh installs it)"
	return 0 2>/dev/null || exit 0
fi
dom() {
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
	    --user-data-dir="$(scratch)" "$@" 2>/dev/null
}
with_js=$(dom --dump-dom "file://$page")
assert_eq "browser: every row in the DOM" "$ninputs" \
	"$(grep -o '<tr data-status=' <<<"$with_js" | wc -l)"
check "browser: the script shows the filter" \
	grep -q '<div id="tools">' <<<"$with_js"
check "browser: the count of rows shown" \
	grep -q "<span id=\"shown\" role=\"status\">$ninputs of $ninputs inputs shown</span>" <<<"$with_js"
check "browser: sort buttons in the header cells" \
	grep -q '<th scope="col"><button type="button">Status</button></th>' <<<"$with_js"

# A link can preset the filter: only the invalid inputs stay visible.
ninvalid=$(jq '[.[] | select(.status == "invalid")] | length' "$out/summary.json")
filtered=$(dom --dump-dom "file://$page#status=invalid")
assert_eq "browser: #status=invalid shows the invalid inputs" "$ninvalid" \
	"$(grep -o '<tr data-status="invalid">' <<<"$filtered" | wc -l)"
assert_eq "browser: and hides the others" "$((ninputs - ninvalid))" \
	"$(grep -o '<tr data-status="[a-z]*" hidden="">' <<<"$filtered" | wc -l)"

# Without scripts the page is what the file says (headless Chromium's
# DOM dump and screenshot need scripts): the tools stay hidden and every
# row shows.
check "no script: the filter stays hidden" \
	grep -q '<div id="tools" hidden>' "$page"
assert_eq "no script: no row hidden" 0 "$(grep -c '<tr[^>]*hidden' "$page")"

shot=$(scratch)/index.png
dom --screenshot="$shot" --window-size=1280,1600 "file://$page" >/dev/null
check "browser: a screenshot of the page" test -s "$shot"

# The page says nothing that changes between two runs of the same inputs.
out2=$(scratch)/out
rn -o "$out2" "$SAMPLES" >/dev/null 2>&1
check "index.html: same bytes on a second run" cmp -s "$page" "$out2/index.html"
