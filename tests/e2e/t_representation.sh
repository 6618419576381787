# t_representation.sh - the representation rule end to end: the fields it
# scans, the finding's field, quote, line and message in report.json,
# summary.json and summary.csv, the compliance summary's block of wording
# found (and nowhere else in the packet), an official foreign title that
# never blocks, and a broken representation.rules stopping the run.

rep_out=$(scratch)/out
rn -o "$rep_out" "$SAMPLES"/prohibited-representation*.xml \
	"$SAMPLES/representation-official-title.xml"
assert_eq "prohibited wording: exit status 1 (documents withheld)" 1 "$RC"

# check_finding SAMPLE ID FIELD ELEMENT-XPATH TAG-TEXT: the one
# prohibited-representation finding of the case names FIELD and the line
# of the element (the first line holding TAG-TEXT), quotes characters
# that stand in that text exactly, and its message names field and line
# and gives the quote in double quotes; summary.json carries the same,
# summary.csv the message.
check_finding() {
	local sample=$1 id=$2 field=$3 xpath=$4 line report
	line=$(grep -nF -- "$5" "$SAMPLES/$sample" | head -1 | cut -d: -f1)
	report="$rep_out/$id/report.json"
	check "$sample: finding, field, quote, line, message" python3 - \
	    "$SAMPLES/$sample" "$report" "$rep_out/summary.json" \
	    "$rep_out/summary.csv" "$field" "$xpath" "$line" <<'EOF'
import csv, json, sys
import xml.etree.ElementTree as ET
src, report, summary, csvfile, field, xpath = sys.argv[1:7]
want_line = int(sys.argv[7])
ns = {"c": "urn:rnpack:case:1"}
r = json.load(open(report, encoding="utf-8"))
found = [f for f in r["findings"] if f["code"] == "prohibited-representation"]
assert len(found) == 1, found
f = found[0]
assert f["field"] == field, f
# the element's text, or its attribute's
path, _, attr = xpath.partition("/@")
el = ET.parse(src).getroot().find(path, ns)
text = el.get(attr) if attr else el.text
assert f["line"] == want_line, (f["line"], want_line)
q = f["quote"]
assert q and q in text.strip(), (q, text)
shown = q.replace("\n", " ").replace("\t", " ")
want = "%s (line %d) " % (field, want_line)
assert f["message"].startswith(want), f["message"]
assert f["message"].endswith(': "%s".' % shown), f["message"]
assert f["withholds"] == ["supervisory-approval", "usncb-request",
                          "subject-notice"], f["withholds"]
assert r["status"] == "blocked"
assert r["documents"]["compliance-summary"] == "generated"
for d in ("supervisory-approval", "usncb-request", "subject-notice"):
    assert r["documents"][d] == "blocked", d
s = [e for e in json.load(open(summary, encoding="utf-8"))
     if e.get("case") == r["case"]][0]
g = [x for x in s["findings"] if x["code"] == "prohibited-representation"]
assert len(g) == 1 and g[0]["field"] == field and g[0]["quote"] == q and \
    g[0]["message"] == f["message"] and g[0]["line"] == want_line, g
row = [x for x in csv.DictReader(open(csvfile, encoding="utf-8", newline=""))
       if x["case"] == r["case"]][0]
assert f["message"] in row["messages"], row["messages"]
EOF
}

check_finding prohibited-representation-notes-en.xml HOU-2024-00301 \
	preliminaryReview/notes "c:preliminaryReview/c:notes" "<notes>"
check_finding prohibited-representation-disposition-es.xml HOU-2024-00302 \
	supervisoryApproval/disposition "c:supervisoryApproval/c:disposition" \
	"<disposition "
check_finding prohibited-representation-fact-source.xml HOU-2024-00303 \
	independentBasis/fact/@source "c:independentBasis/c:fact/@source" \
	"<fact source="
check_finding prohibited-representation-offense.xml HOU-2024-00304 \
	offense/description "c:notice/c:offense/c:description" "<description>"
check_finding prohibited-representation.xml SFR-2024-00236 \
	independentBasis/fact "c:independentBasis/c:fact[2]" \
	"<fact source=\"Field interview\">"

# The quote keeps the line break that stands inside the phrase.
assert_eq "notes: the quote as written, line break included" \
	"$(printf 'international\n      arrest warrant')" \
	"$(json "$rep_out/HOU-2024-00301/report.json" \
	'.findings[] | select(.code == "prohibited-representation") | .quote')"
assert_eq "disposition: the Spanish quote, accents as written" \
	"notificación roja es una orden de arresto" \
	"$(json "$rep_out/HOU-2024-00302/report.json" \
	'.findings[] | select(.code == "prohibited-representation") | .quote')"

# The packet: the compliance summary only, and the quote only inside
# the block headed "Wording found in the case file (prohibited, not
# adopted)"; the findings table's sentence names field and line only.
heading="Wording found in the case file (prohibited, not adopted)"
for id in HOU-2024-00301 HOU-2024-00302 HOU-2024-00303 HOU-2024-00304 \
    SFR-2024-00236; do
	pdf="$rep_out/$id/packet.pdf"
	quote=$(json "$rep_out/$id/report.json" \
	    '.findings[] | select(.code == "prohibited-representation") | .quote' |
	    tr -s ' \n\t' ' ' | sed 's/ $//')
	text=$(pdftotext "$pdf" - 2>/dev/null | tr -s ' \n\t\f' ' ')
	before=${text%%"$heading"*}
	after=${text#*"$heading"}
	block=${after%%"Documents of this packet"*}
	rest=${after#*"Documents of this packet"}
	check "$id: one document in the packet" \
		test "$(mutool show "$pdf" outline 2>/dev/null | grep -c '#page=')" -eq 1
	check "$id: the summary has the block \"$heading\"" \
		grep -qF "$heading" <<<"$text"
	check "$id: the quote inside the block" grep -qF "“$quote”" <<<"$block"
	check "$id: the quote nowhere before the block" \
		bash -c '! grep -qF "$1" <<<"$2"' _ "$quote" "$before"
	check "$id: the quote nowhere after the block" \
		bash -c '! grep -qF "$1" <<<"$2"' _ "$quote" "$rest"
	check "$id: the findings table names field and line, not the words" \
		grep -qF "(line $(json "$rep_out/$id/report.json" \
		'.findings[] | select(.code == "prohibited-representation") | .line')): wording that misrepresents the notice" <<<"$before"
	check "$id: the block is on the summary's pages" \
		grep -qF "Compliance summary" <<<"$before"
done

# A case with no prohibited wording has no such block.
complete_txt=$(pdftotext "$rep_out/HOU-2024-00305/packet.pdf" - 2>/dev/null |
	tr -s ' \n\t\f' ' ')
check "official title: no block of wording found" \
	bash -c '! grep -qF "$1" <<<"$2"' _ "$heading" "$complete_txt"

# An official foreign title ("Orden de captura internacional No. 44") in
# document/@title, offense/law and arrestWarrant/@reference is quoted
# from the record, never scanned: the case is complete.
r305="$rep_out/HOU-2024-00305/report.json"
assert_eq "official title: status complete" complete "$(json "$r305" .status)"
assert_eq "official title: no prohibited-representation" 0 \
	"$(json "$r305" '[.findings[] | select(.code == "prohibited-representation")] | length')"
assert_eq "official title: every document generated" \
	"generated generated generated generated" \
	"$(json "$r305" '[.documents["compliance-summary", "supervisory-approval", "usncb-request", "subject-notice"]] | join(" ")')"

# --check-only reports the same finding.
chk_out=$(scratch)/out
rn --check-only -o "$chk_out" "$SAMPLES/prohibited-representation-offense.xml"
assert_eq "--check-only: same report.json findings" \
	"$(jq -c .findings "$rep_out/HOU-2024-00304/report.json")" \
	"$(jq -c .findings "$chk_out/HOU-2024-00304/report.json")"

# A broken representation.rules stops the run before any case, naming
# file, line and reason (status 4); so does a missing one.
bad_rules() {
	local d=$(scratch)
	cp -R "$RNPACK_SRC/templates" "$d/tmpl"
	printf '%s\n' "$2" >> "$d/tmpl/representation.rules"
	local n=$(wc -l < "$d/tmpl/representation.rules")
	rn --templates "$d/tmpl" -o "$d/out" "$SAMPLES/complete-red-notice.xml"
	assert_eq "$1: exit status" 4 "$RC"
	check "$1: message names representation.rules:$n:" \
		grep -q "representation.rules:$n: " "$E2E_TMP/last.stderr"
	check "$1: no summary.json" test ! -e "$d/out/summary.json"
	check "$1: no case folder" test ! -e "$d/out/HOU-2024-00017"
}
bad_rules "undefined set in representation.rules" "catch warrant = <nosuchset> warrant"
bad_rules "unclosed group in representation.rules" "catch warrant = (red | blue notice"
bad_rules "unknown category in representation.rules" "catch nosuch = red notice"

d=$(scratch)
cp -R "$RNPACK_SRC/templates" "$d/tmpl"
rm "$d/tmpl/representation.rules"
rn --templates "$d/tmpl" -o "$d/out" "$SAMPLES/complete-red-notice.xml"
assert_eq "missing representation.rules: exit status" 4 "$RC"
check "missing representation.rules: named" \
	grep -q "representation.rules: cannot read" "$E2E_TMP/last.stderr"

# Legal staff extend the file: a new pattern takes effect in the next run.
cp "$RNPACK_SRC/templates/representation.rules" "$d/tmpl/"
printf 'catch warrant = aggravated fraud\n' >> "$d/tmpl/representation.rules"
rn --templates "$d/tmpl" --check-only -o "$d/out2" "$SAMPLES/complete-red-notice.xml"
assert_eq "an added pattern: the case is blocked" blocked \
	"$(json "$d/out2/HOU-2024-00017/report.json" .status)"
assert_eq "an added pattern: its quote" "Aggravated fraud" \
	"$(json "$d/out2/HOU-2024-00017/report.json" \
	'.findings[] | select(.code == "prohibited-representation") | .quote')"
