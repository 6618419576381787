# t_jobs.sh - print jobs (docs/mail-room.md): the job folder's files and
# print order, the page digest the state keeps, report.json "pieces",
# the totals line's endings, --reissue (the first print's pages),
# --reserve (voids and new pieces in one job), service-date-changed,
# reprint-not-identical, the options' errors, an interrupted run.

POLICY="$SAMPLES/policy/houston-mail.xml"
PAGEDIGEST="$(dirname "${SCAN_TEXT:-.}")/pagedigest"
csvq() {	# CSV FILTER: jq over the CSV as a list of objects
	python3 -c '
import csv, json, sys
print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline="")))))' "$1" |
	jq -r "$2"
}

jin=$(scratch)/in
mkdir -p "$jin"
for s in abuse-indicator-found abuse-indicator-refugee-status \
    complete-red-notice foreign-counsel-address; do
	cp "$SAMPLES/$s.xml" "$jin/"
done
d=$(scratch)
O="$d/out"
rn --policy "$POLICY" -o "$O" "$jin"
J="$O/mail/jobs/2024-03-14-001"
assert_eq "job: exit status" 0 "$RC"
assert_eq "job: its files" "letters.pdf manifest.csv ticket.txt" \
	"$(ls "$J" | paste -sd' ' -)"
check "job: letters.pdf passes qpdf --check" qpdf --check "$J/letters.pdf"
check "job: the totals line names it" grep -q \
	"^rnpack: 4 inputs as of 2024-03-14: 4 complete, 0 partial, 0 blocked, 0 invalid; print job $O/mail/jobs/2024-03-14-001 (6 pieces, 1 print files)$" \
	"$E2E_TMP/last.stderr"
assert_eq "job: manifest columns" \
	"case,recipient,name,address,zip,tracking,routing,bars,pages,sheets,enclosures,response_due,status,print_file,job,kind,weight_oz" \
	"$(head -n 1 "$J/manifest.csv" | tr -d '\r')"
# Print order: domestic by ZIP, then foreign by country and postal code.
assert_eq "job: print order (domestic by ZIP, then foreign)" \
	"$(csvq "$J/manifest.csv" '.[] | [(if .zip == "" then 1 else 0 end), .zip] | @tsv' |
		LC_ALL=C sort -s -k1,1n -k2,2 | cut -f2)" \
	"$(csvq "$J/manifest.csv" '.[].zip')"
check "job: a foreign piece last" test -z "$(csvq "$J/manifest.csv" '.[-1].zip')"
assert_eq "job: every row new, letter, in letters.pdf, job 001" \
	"new letter letters.pdf 2024-03-14-001" \
	"$(csvq "$J/manifest.csv" '[.[] | "\(.status) \(.kind) \(.print_file) \(.job)"] | unique | .[]')"
assert_eq "job: weight = sheets x 0.16 + 0.2 oz" "" \
	"$(csvq "$J/manifest.csv" '.[] | select((.sheets | tonumber) * 0.16 + 0.2 - (.weight_oz | tonumber) | fabs > 0.006) | .case')"
# The ticket: one section, its counts the manifest's.
assert_eq "ticket: pieces" "pieces: 6" "$(grep '^pieces:' "$J/ticket.txt" | tr -d '\r')"
assert_eq "ticket: sheets" "sheets: $(csvq "$J/manifest.csv" '[.[].sheets | tonumber] | add')" \
	"$(grep '^sheets:' "$J/ticket.txt" | tr -d '\r')"
assert_eq "ticket: pages (with the blank ones)" "pages: $(pdfinfo "$J/letters.pdf" | awk '/^Pages:/ { print $2 }')" \
	"$(grep '^pages:' "$J/ticket.txt" | tr -d '\r')"
assert_eq "ticket: first and last ZIP" \
	"first ZIP: $(csvq "$J/manifest.csv" '[.[].zip | select(. != "")] | .[0]') last ZIP: $(csvq "$J/manifest.csv" '[.[].zip | select(. != "")] | .[-1]')" \
	"$(grep -E '^(first|last) ZIP:' "$J/ticket.txt" | tr -d '\r' | paste -sd' ' -)"
assert_eq "ticket: foreign pieces, flats, parcels" "foreign pieces: 1 flats: 0 parcels: 0" \
	"$(grep -E '^(foreign pieces|flats|parcels):' "$J/ticket.txt" | tr -d '\r' | paste -sd' ' -)"
check "ticket: total weight" grep -q "^total weight: $(csvq "$J/manifest.csv" '[.[].weight_oz | tonumber] | add * 100 | round / 100 | tostring') oz" "$J/ticket.txt"

# The state: per piece its job, deadline and page digest, which is the
# digest of the job's page range and of the case folder's piece.
assert_eq "state: every piece in job 001 with a deadline" "" \
	"$(awk '$1 == "piece" && ($7 != "2024-03-14-001" || $6 !~ /^2024-/) ' "$O/.mail-state")"
if [ -x "$PAGEDIGEST" ]; then
	assert_eq "state: the page digest is the job's pages' and the piece's" "" \
		"$(csvq "$J/manifest.csv" '.[] | "\(.case) \(.recipient) \(.pages)"' |
		while read -r c r pg; do
			want=$(awk -v c="$c" -v r="$r" '$1 == "piece" && $2 == c && $3 == r { print $8 }' "$O/.mail-state")
			a=${pg%-*} z=${pg#*-}
			[ "$("$PAGEDIGEST" "$J/letters.pdf" "$a" $((z - a + 1)))" = "$want" ] || echo "$c/$r job "
			[ "$("$PAGEDIGEST" "$O/$c/mail-$r.pdf")" = "$want" ] || echo "$c/$r piece "
		done)"
else
	fail "pagedigest tool not built"
fi

# report.json pieces: subject first, serials, dates, job, state.
r="$O/HOU-2024-00017/report.json"
assert_eq "report: pieces' shape" \
	"subject,counsel new,new 2024-03-14-001 2024-03-14 2024-04-16" \
	"$(jq -r '[([.pieces[].recipient] | join(",")), ([.pieces[].state] | join(",")),
		(.pieces | map(.job) | unique | join(",")),
		(.pieces | map(.serviceDate) | unique | join(",")),
		(.pieces | map(.deadline) | unique | join(","))] | join(" ")' "$r")"
assert_eq "report: serials are the state's" \
	"$(awk '$1 == "piece" && $2 == "HOU-2024-00017" { print $4 }' "$O/.mail-state" | sort -n | paste -sd, -)" \
	"$(jq -r '[.pieces[].serial] | sort | map(tostring) | join(",")' "$r")"

# ---- the same again: nothing new; report says already-issued -----------
rn --policy "$POLICY" -o "$O" "$jin"
assert_eq "again: already-issued, same job" "already-issued 2024-03-14-001" \
	"$(jq -r '.pieces | map("\(.state) \(.job)") | unique | join(",")' "$r")"
check "again: the totals line" grep -q \
	"0 invalid; no print job: no new piece$" "$E2E_TMP/last.stderr"

# ---- --reissue: the first print's pages, even with the piece gone -------
first_text=$(pdftotext "$O/HOU-2024-00017/mail-subject.pdf" - 2>/dev/null)
rm "$O/HOU-2024-00017/mail-subject.pdf"
rn --policy "$POLICY" --reissue HOU-2024-00017 -o "$O" "$jin"
J2="$O/mail/jobs/2024-03-14-002"
assert_eq "--reissue: exit status" 0 "$RC"
assert_eq "--reissue: the job holds the case's pieces, reprint" \
	"HOU-2024-00017 counsel reprint,HOU-2024-00017 subject reprint" \
	"$(csvq "$J2/manifest.csv" '[.[] | "\(.case) \(.recipient) \(.status)"] | sort | join(",")')"
assert_eq "--reissue: no reprint-not-identical (pages from job 001)" "" \
	"$(jq -r '.findings[].code | select(. == "reprint-not-identical")' "$r")"
pg=$(csvq "$J2/manifest.csv" '.[] | select(.recipient == "subject") | .pages')
if [ -x "$PAGEDIGEST" ]; then
	assert_eq "--reissue: the reprint's page digest is the first print's" \
		"$(awk '$1 == "piece" && $2 == "HOU-2024-00017" && $3 == "subject" { print $8 }' "$O/.mail-state")" \
		"$("$PAGEDIGEST" "$J2/letters.pdf" "${pg%-*}" $(( ${pg#*-} - ${pg%-*} + 1 )))"
fi
assert_eq "--reissue: the same text as the first print" "$first_text" \
	"$(pdftotext -f "${pg%-*}" -l "${pg#*-}" "$J2/letters.pdf" - 2>/dev/null)"
assert_eq "--reissue: report says reprint, job 002" "reprint 2024-03-14-002" \
	"$(jq -r '.pieces | map("\(.state) \(.job)") | unique | join(",")' "$r")"
check "--reissue: the first job untouched" test -s "$J/letters.pdf"
# A job of reprints only is named by no piece of the state: its folder
# alone keeps its number used.
rn --policy "$POLICY" --reissue HOU-2024-00017 -o "$O" "$jin"
rn --policy "$POLICY" --reissue BOS-2024-00045 -o "$O" "$jin"
assert_eq "--reissue twice more: jobs 003 and 004" \
	"2024-03-14-001 2024-03-14-002 2024-03-14-003 2024-03-14-004" \
	"$(ls "$O/mail/jobs" | paste -sd' ' -)"

# A piece recorded by format 1 (no digest): rendered again, with the
# warning reprint-not-identical (step null, nothing withheld).
v1=$(scratch)
rn --policy "$POLICY" -o "$v1/out" "$jin"
awk 'NR == 1 { print "rnpack-mail-state 1"; next }
     $1 == "piece" { print $1, $2, $3, $4, $5; next } { print }' \
	"$v1/out/.mail-state" > "$v1/s" && mv "$v1/s" "$v1/out/.mail-state"
rn --policy "$POLICY" --reissue HOU-2024-00017 -o "$v1/out" "$jin"
assert_eq "v1 state: --reissue exit status (a warning)" 0 "$RC"
assert_eq "v1 state: reprint-not-identical, a warning without step" \
	"reprint-not-identical warning null" \
	"$(jq -r '.findings[] | select(.code == "reprint-not-identical") | "\(.code) \(.severity) \(.step)"' \
		"$v1/out/HOU-2024-00017/report.json")"
assert_eq "v1 state: documents still generated" "complete" \
	"$(jq -r .status "$v1/out/HOU-2024-00017/report.json")"
assert_eq "v1 state: other cases' pieces already-issued, no job" "already-issued null" \
	"$(jq -r '.pieces | map("\(.state) \(.job)") | unique | join(",")' "$v1/out/BOS-2024-00045/report.json")"

# ---- --reserve: voids and new pieces, one job ---------------------------
rs=$(scratch)
rn --policy "$POLICY" -o "$rs/out" "$jin"
old=$(awk '$1 == "piece" && $2 == "HOU-2024-00017" && $3 == "subject" { print $4 }' "$rs/out/.mail-state")
"$RNPACK" --as-of 2024-03-20 --policy "$POLICY" --reserve HOU-2024-00017 \
	-o "$rs/out" "$jin" 2>"$rs/err"
assert_eq "--reserve: exit status" 0 "$?"
R="$rs/out/HOU-2024-00017/report.json"
assert_eq "--reserve: subject, counsel new; the old two voided" \
	"subject new,counsel new,subject voided,counsel voided" \
	"$(jq -r '[.pieces[] | "\(.recipient) \(.state)"] | join(",")' "$R")"
assert_eq "--reserve: the new service date is the as-of date (@on is earlier)" \
	"2024-03-20" "$(jq -r '[.pieces[] | select(.state == "new") | .serviceDate] | unique | join(",")' "$R")"
assert_eq "--reserve: the voided keep their date and job" \
	"2024-03-14 2024-03-14-001" \
	"$(jq -r '[.pieces[] | select(.state == "voided") | "\(.serviceDate) \(.job)"] | unique | join(",")' "$R")"
new=$(jq -r '.pieces[] | select(.state == "new" and .recipient == "subject") | .serial' "$R")
check "--reserve: a new serial ($new > $old)" test "$new" -gt "$old"
check "--reserve: the voids are in the state" \
	grep -q "^void HOU-2024-00017 subject $old 2024-03-14 " "$rs/out/.mail-state"
check "--reserve: the new pieces are current" \
	grep -q "^piece HOU-2024-00017 subject $new 2024-03-20 .* 2024-03-20-001 " "$rs/out/.mail-state"
assert_eq "--reserve: the job holds only the new pieces" "HOU-2024-00017 new,HOU-2024-00017 new" \
	"$(csvq "$rs/out/mail/jobs/2024-03-20-001/manifest.csv" '[.[] | "\(.case) \(.status)"] | join(",")')"
assert_eq "--reserve: the overview lists voided too" "already-issued,new,voided" \
	"$(csvq "$rs/out/mail/manifest.csv" '[.[].status] | unique | join(",")')"
check "--reserve: the notice is dated by the new service date" \
	bash -c "pdftotext '$rs/out/HOU-2024-00017/mail-subject.pdf' - | grep -q 'March 20, 2024\|2024-03-20\|03/20/2024'"

# @on later than the voided date and within 14 days of the as-of date.
sed 's/<service method="mail" on="2024-03-14"\/>/<service method="mail" on="2024-03-25"\/>/' \
	"$jin/complete-red-notice.xml" > "$rs/hou.xml"
check "--reserve: case file with @on 2024-03-25" grep -q 'on="2024-03-25"' "$rs/hou.xml"
"$RNPACK" --as-of 2024-03-21 --policy "$POLICY" --reserve HOU-2024-00017 \
	-o "$rs/out" "$rs/hou.xml" 2>/dev/null
assert_eq "--reserve: @on when later and within 14 days" "2024-03-25" \
	"$(jq -r '[.pieces[] | select(.state == "new") | .serviceDate] | unique | join(",")' "$R")"

# service-date-changed: @on differs from the date the notice was issued
# with; the notice keeps its date.
sc=$(scratch)
rn --policy "$POLICY" -o "$sc/out" "$jin"
rn --policy "$POLICY" -o "$sc/out" "$rs/hou.xml"
assert_eq "service-date-changed: a warning of the subject-notice step" \
	"service-date-changed warning subject-notice" \
	"$(jq -r '.findings[] | select(.code == "service-date-changed") | "\(.code) \(.severity) \(.step)"' \
		"$sc/out/HOU-2024-00017/report.json")"
assert_eq "service-date-changed: withholds nothing" "complete" \
	"$(jq -r .status "$sc/out/HOU-2024-00017/report.json")"
assert_eq "service-date-changed: the pieces keep their date" "2024-03-14 already-issued" \
	"$(jq -r '[.pieces[] | "\(.serviceDate) \(.state)"] | unique | join(",")' "$sc/out/HOU-2024-00017/report.json")"

# ---- options -------------------------------------------------------------
o=$(scratch)
rn --policy "$POLICY" --reissue NOPE-1 -o "$o/out" "$jin"
assert_eq "--reissue of an id no input has: exit status 2" 2 "$RC"
check "--reissue of an unknown id: said" grep -q -- "--reissue NOPE-1: no input has" "$E2E_TMP/last.stderr"
rn --policy "$POLICY" --reserve NOPE-2 -o "$o/out2" "$jin"
assert_eq "--reserve of an id no input has: exit status 2" 2 "$RC"
assert_status "--reissue and --reserve on one id: 64" 64 "$RNPACK" --as-of "$AS_OF" \
	--reissue HOU-2024-00017 --reserve hou-2024-00017 -o "$o/x" "$jin"
rn --check-only --policy "$POLICY" --reissue HOU-2024-00017 -o "$o/co" "$jin"
assert_eq "--check-only --reissue: exit status as without" 0 "$RC"
check "--check-only --reissue: ignored, with a message" \
	grep -q "are ignored" "$E2E_TMP/last.stderr"
check "--check-only: the totals line" grep -q "; no print job: check only$" "$E2E_TMP/last.stderr"
check "--help names --reserve" bash -c "'$RNPACK' --help | grep -q -- --reserve"

# ---- the sample office: no job -------------------------------------------
so=$(scratch)
rn -o "$so/out" "$jin"
check "sample office: no job" test ! -e "$so/out/mail/jobs"
check "sample office: the totals line" grep -q "; no print job: sample office$" "$E2E_TMP/last.stderr"
assert_eq "sample office: pieces not-issued, no serial" "not-issued null null" \
	"$(jq -r '[.pieces[] | "\(.state) \(.serial) \(.job)"] | unique | join(",")' "$so/out/HOU-2024-00017/report.json")"
check "sample office: no piece in the state" test -z "$(grep '^piece' "$so/out/.mail-state")"

# ---- interrupted: SIGTERM while the cases run -----------------------------
if [ -f "${FAULTFS:-}" ]; then
	it=$(scratch)
	env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	    LD_PRELOAD="$FAULTFS" FAULT_OP=rename FAULT_N=2 FAULT_KILL=TERM \
	    "$RNPACK" --as-of "$AS_OF" --policy "$POLICY" -o "$it/out" "$jin" \
	    2>"$it/err"
	assert_eq "SIGTERM: exit status 143" 143 "$?"
	check "SIGTERM: the totals line" grep -q "; no print job: interrupted$" "$it/err"
	check "SIGTERM: no job" test ! -e "$it/out/mail/jobs"
	assert_eq "SIGTERM: the finished case's pieces not-issued" "not-issued" \
		"$(jq -r '[.pieces[].state] | unique | join(",")' "$it"/out/*/report.json | sort -u | paste -sd, -)"
	check "SIGTERM: nothing issued" test -z "$(grep '^piece' "$it/out/.mail-state")"
	rn --policy "$POLICY" -o "$it/out" "$jin"
	check "SIGTERM: the next run prints them" test -s "$it/out/mail/jobs/2024-03-14-001/letters.pdf"
fi

# ---- samples/mail-state: the two warnings that need an earlier run --------
ms=$(scratch)
mkdir -p "$ms/out"
cp "$SAMPLES/mail-state/mail-state" "$ms/out/.mail-state"
rn --policy "$POLICY" --reissue HOU-2024-00902 -o "$ms/out" "$SAMPLES/mail-state"
assert_eq "samples/mail-state: exit status (warnings only)" 0 "$RC"
assert_eq "samples/mail-state: service-date-changed.xml" \
	"complete service-date-changed" \
	"$(jq -r '"\(.status) \([.findings[].code] | join(","))"' "$ms/out/HOU-2024-00901/report.json")"
assert_eq "samples/mail-state: reprint-not-identical.xml" \
	"complete reprint-not-identical reprint" \
	"$(jq -r '"\(.status) \([.findings[].code] | join(",")) \([.pieces[].state] | unique | join(","))"' "$ms/out/HOU-2024-00902/report.json")"

# ---- sample-translator: a translated letter without a policy translator --
# The letter is made, but its pieces are held out of the job; the others
# print, and the totals line says how many were held.
st=$(scratch)
grep -v '<translator' "$SAMPLES/policy/houston-mail.xml" > "$st/policy.xml"
check "sample translator: policy without <translator>" \
	bash -c "! grep -q '<translator' '$st/policy.xml'"
rn --policy "$st/policy.xml" -o "$st/out" "$SAMPLES/spanish-notice-es-mx.xml" \
	"$SAMPLES/complete-red-notice.xml"
es_id=$(sed -n 's/.*<case [^>]*id="\([^"]*\)".*/\1/p' "$SAMPLES/spanish-notice-es-mx.xml")
assert_eq "sample translator: the warning, withholding nothing" \
	"sample-translator:warning:" \
	"$(jq -r '[.findings[] | select(.code == "sample-translator") | "\(.code):\(.severity):\(.withholds | join(","))"] | join(",")' "$st/out/$es_id/report.json")"
assert_eq "sample translator: its pieces not issued" "not-issued" \
	"$(jq -r '[.pieces[].state] | unique | join(",")' "$st/out/$es_id/report.json")"
check "sample translator: its letter is made" test -s "$st/out/$es_id/mail-subject.pdf"
held=$(jq '.pieces | length' "$st/out/$es_id/report.json")
check "sample translator: the job leaves it out" \
	bash -c "! grep -q '$es_id' '$st/out/mail/jobs/2024-03-14-001/manifest.csv'"
check "sample translator: the job prints the other case" \
	grep -q HOU-2024-00017 "$st/out/mail/jobs/2024-03-14-001/manifest.csv"
check "sample translator: the totals line says so" \
	grep -q "; print job .* (.*); $held pieces held: sample translator\$" "$E2E_TMP/last.stderr"
