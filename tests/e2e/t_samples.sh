# t_samples.sh - every sample against the oracle in expected.tsv (written
# from the rules, not from program output): status and the set of
# finding codes of each file, as of 2024-03-14 with the default policy.
# Also the per-run files and the exit status of the whole batch.

samples_out=$(scratch)/out
rn --check-only -o "$samples_out" "$SAMPLES"
assert_eq "samples batch exit status (invalid samples present)" 2 "$RC"

summary="$samples_out/summary.json"
check "summary.json is a JSON list" jq -e "type == \"array\"" "$summary" >/dev/null
check "summary.csv has a header and one row per input" \
	test "$(($(wc -l < "$samples_out/summary.csv") - 1))" \
	-eq "$(jq length "$summary")"

# Input order: byte order of the file names.
want_order=$(cd "$SAMPLES" && ls -1 -- *.xml | LC_ALL=C sort |
	sed "s|^|$SAMPLES/|")
got_order=$(jq -r '.[].source' "$summary")
assert_eq "summary.json lists inputs in byte order of names" \
	"$want_order" "$got_order"

while IFS=$'\t' read -r file status codes; do
	[ -n "$file" ] || continue
	case "$file" in \#*) continue ;; esac
	src="$SAMPLES/$file"
	entry=$(jq -c --arg s "$src" '.[] | select(.source == $s)' "$summary")
	got_status=$(jq -r '.status' <<<"$entry")
	assert_eq "$file: status" "$status" "$got_status"
	if [ "$status" = invalid ]; then
		got_codes=$(jq -r '[.findings[].code] | unique | join(",")' \
			<<<"$entry")
		line=$(jq -r '.findings[0].line | type' <<<"$entry")
		assert_eq "$file: invalid finding has a line" number "$line"
	else
		id=$(jq -r '.case' <<<"$entry")
		report="$samples_out/$id/report.json"
		got_codes=$(jq -r '[.findings[].code] | unique | join(",")' \
			"$report")
		assert_eq "$file: report names its source" "$src" \
			"$(json "$report" .source)"
		assert_eq "$file: report status matches summary" "$status" \
			"$(json "$report" .status)"
	fi
	assert_eq "$file: finding codes" "$codes" "$got_codes"
done < "$RNPACK_SRC/tests/e2e/expected.tsv"

# Every finding code of docs/rules.md that the data alone can raise has a
# sample that raises it.
for code in training-missing training-lapsed notice-not-verified \
	verification-stale notice-suspended notice-withdrawn notice-cancelled \
	notice-deleted notice-blocked notice-expired review-missing \
	review-incomplete indicator-contradicted exclusive-reliance \
	prohibited-representation abuse-indicator approval-missing \
	approval-pending approval-denied approver-is-officer \
	disposition-missing out-of-order documentation-not-requested \
	documentation-not-received use-authorization-missing \
	use-authorization-pending use-authorization-denied no-mailing-address \
	invalid-input duplicate-case-id missing-glyph latin-name-transliterated \
	translation-unavailable sample-office protected-person \
	translation-missing exhibit-missing a-number-missing \
	response-period-open response-not-considered filing-deadline; do
	check "a sample raises $code" grep -q -- "$code" \
		"$RNPACK_SRC/tests/e2e/expected.tsv"
done

# Revision 2: a court without proceedings and a document path with ".."
# are refused on their own line, with the reason.
for pair in "invalid-document-path.xml:<document title=\"Arrest:segment" \
	"invalid-court-without-proceedings.xml:<immigrationCourt :proceedings"; do
	file=${pair%%:*}; rest=${pair#*:}; needle=${rest%:*}; why=${rest##*:}
	entry=$(jq -c --arg s "$SAMPLES/$file" '.[] | select(.source == $s)' "$summary")
	assert_eq "$file: the line of the refused element" \
		"$(grep -n -- "$needle" "$SAMPLES/$file" | cut -d: -f1)" \
		"$(jq -r '.findings[0].line' <<<"$entry")"
	check "$file: the reason names $why" \
		grep -q -- "$why" <<<"$(jq -r '.findings[0].message' <<<"$entry")"
done

# Rev 2: summary.json lists every finding of a case, warnings included,
# as report.json does, each with what it withholds; summary.csv lists
# the same codes one for one.
jq -r '.[] | select(.case != null and .status != "invalid") | .case' "$summary" |
while read -r id; do
	r="$samples_out/$id/report.json"
	assert_eq "$id: summary.json has every finding of report.json" \
		"$(jq -c '[.findings[] | [.code, .line, .withholds]]' "$r")" \
		"$(jq -c --arg id "$id" '.[] | select(.case == $id and .status != "invalid") | [.findings[] | [.code, .line, .withholds]]' "$summary")"
done
assert_eq "every finding of summary.json has withholds" 0 \
	"$(jq '[.[].findings[] | select(.withholds | type != "array")] | length' "$summary")"
assert_eq "summary.csv findings and lines one for one with summary.json" \
	"$(jq -r '.[] | ([.findings[].code] | join(" ")) + "," + ([.findings[].line | tostring] | join(" "))' "$summary")" \
	"$(python3 -c 'import csv,sys
for r in list(csv.reader(open(sys.argv[1], newline="")))[1:]:
    print(r[4] + "," + r[5])' "$samples_out/summary.csv")"
# Without intendedUse/immigrationCourt the submission does not apply;
# with it, it counts in the status: generated exactly when the case is
# complete (court-*.xml, rev2-complete).
assert_eq "every report names the court submission" 0 \
	"$(for r in "$samples_out"/*/report.json; do
		src=$(jq -r .source "$r")
		want=not-applicable
		grep -q '<immigrationCourt' "$src" && want=blocked &&
			[ "$(jq -r .status "$r")" = complete ] && want=generated
		jq -e --arg w "$want" '.documents["court-submission"] == $w' "$r" >/dev/null || echo "$r"
	done | wc -l)"

# The compliance summary never cuts a finding code: in every sample's
# packet, each code stands whole in the findings table once per finding.
full_out=$(scratch)/full
rn -o "$full_out" "$SAMPLES"
for r in "$full_out"/*/report.json; do
	id=$(jq -r .case "$r")
	pdf="$full_out/$id/packet.pdf"
	[ -s "$pdf" ] || continue
	table=$(pdftotext -layout "$pdf" - | sed -n '/^Findings$/,/^Warnings$/p')
	bad=""
	for code in $(jq -r '.findings[].code' "$r" | sort -u); do
		want=$(jq --arg c "$code" '[.findings[] | select(.code == $c)] | length' "$r")
		got=$(grep -o -- "\(^\|[^a-z-]\)$code\([^a-z-]\|$\)" <<<"$table" | wc -l)
		[ "$got" -ge "$want" ] || bad="$bad $code($got/$want)"
	done
	assert_eq "$id: every finding code whole in the compliance summary" "" "$bad"
	# Each warning, and what it withholds ("nothing" included).
	text=$(pdftotext -f 1 -l 3 "$pdf" - | tr '\n' ' ')
	missing=""
	for code in $(jq -r '.findings[] | select(.severity == "warning") | .code' "$r" | sort -u); do
		grep -qF -- "$code withholds " <<<"$text" || missing="$missing $code"
	done
	assert_eq "$id: the summary says what each warning withholds" "" "$missing"
done
