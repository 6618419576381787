# t_leak.sh - a hundred synthetic cases with the mail policy at -j2
# (tools/gen-cases.sh --mail-mix): the short form of `make leakcheck`.
#
# Under `make san-check` $RNPACK is the AddressSanitizer build, whose
# LeakSanitizer reports any leak at exit: the runs must end with no
# sanitizer report and status 0.  Under `make e2e` the same runs check
# the print file volumes at a size the samples do not reach (about 145
# pieces in volumes of 40) and a second run over the same output (mail
# state read back, everything already issued).  The full 1,000 cases,
# with peak RSS, are `make leakcheck` (tests/leakcheck.sh).

POLICY="$SAMPLES/policy/houston-mail.xml"

d=$(scratch)
sed 's|<printFile maxPieces="500"/>|<printFile maxPieces="40"/>|' "$POLICY" \
	> "$d/policy.xml"
"$RNPACK_SRC/tools/gen-cases.sh" --mail-mix 100 "$d/cases"
assert_eq "100 cases generated" 100 "$(ls "$d/cases" | wc -l)"

# no_report LABEL: the last run's stderr holds no sanitizer report.
no_report() {
	local found
	found=$(grep -m 5 'Sanitizer\|runtime error' "$E2E_TMP/last.stderr")
	assert_eq "$1: no sanitizer report" "" "$found"
}

rn -j 2 --policy "$d/policy.xml" -o "$d/out" "$d/cases"
assert_eq "100 cases: exit status" 0 "$RC"
no_report "100 cases"
pieces=$(($(wc -l < "$d/out/mail/manifest.csv") - 1))
nvol=$(( (pieces + 39) / 40 ))
check "100 cases: more than 100 pieces ($pieces)" test "$pieces" -gt 100
assert_eq "100 cases: volumes of 40" "$(volume_names "$nvol")" \
	"$(ls "$d/out/mail/jobs/"*/ | grep '^letters' | sed 's/^letters/notices/' | LC_ALL=C sort)"
assert_eq "100 cases: pages in the volumes add up" \
	"$(for f in "$d"/out/mail/jobs/*/letters-vol*.pdf; do
		pdfinfo "$f" | awk '/^Pages:/ { print $2 }'; done |
		awk '{ s += $1 } END { print s }')" \
	"$(jq -R -s 'split("\r\n") | map(select(length > 0) |
		[scan("(?:^|,)(\"(?:[^\"]|\"\")*\"|[^,\"]*)") | .[0] |
		 ltrimstr("\"") | rtrimstr("\"")]) |
		(.[0] | index("pages")) as $i | .[1:] |
		map(.[$i] | select(. != "") | split("-") | map(tonumber) |
		    .[1] - .[0] + 1 | . + . % 2) | add' \
		"$d/out/mail/manifest.csv")"
for f in "$d"/out/mail/jobs/*/letters-vol*.pdf; do
	check "${f##*/} passes qpdf --check" qpdf --check "$f"
done >/dev/null

rn -j 2 --policy "$d/policy.xml" -o "$d/out" "$d/cases"
assert_eq "again: exit status" 0 "$RC"
no_report "again"
check "again: no second print job" \
	test "$(ls "$d/out/mail/jobs" | wc -l)" = 1
