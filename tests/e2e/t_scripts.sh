# t_scripts.sh - every script (samples/script-*.xml): a name in its own
# script gets its notice, drawn as HarfBuzz shapes it, with every glyph's
# outline in the embedded font, and copies back from the PDF as written;
# the mail piece's address block is in Latin script (the alias, else a
# transliteration with latin-name-transliterated).  One run over all the
# samples keeps the group fast.

SHAPING="$RNPACK_SRC/tests/tools/check_shaping.py"
GLYPHS="$RNPACK_SRC/tests/e2e/check_glyphs.py"
PY=/usr/bin/python3


# file, ISO 15924 script for hb-shape, direction.  The language is the
# sample's preferredLanguage; the text its name, "given family".
scripts_table='script-arabic.xml Arab rtl
script-persian.xml Arab rtl
script-urdu.xml Arab rtl
script-uyghur.xml Arab rtl
script-pashto.xml Arab rtl
script-hebrew.xml Hebr rtl
script-zh-hans.xml Hani ltr
script-zh-hant.xml Hani ltr
script-japanese.xml Hani ltr
script-korean.xml Hang ltr
script-hindi.xml Deva ltr
script-bengali.xml Beng ltr
script-tamil.xml Taml ltr
script-malayalam.xml Mlym ltr
script-sinhala.xml Sinh ltr
script-thai.xml Thai ltr
script-khmer.xml Khmr ltr
script-myanmar.xml Mymr ltr
script-tibetan.xml Tibt ltr
script-amharic.xml Ethi ltr
script-georgian.xml Geor ltr
script-armenian.xml Armn ltr'

scripts_out=$(scratch)/out
scripts_batch=$(scratch)/batch.tsv
scripts_pdfs=$(scratch)/pdfs
rn -o "$scripts_out" "$SAMPLES"/script-*.xml
assert_eq "scripts: every case complete (exit status)" 0 "$RC"
assert_eq "scripts: every sample has a row here" \
	"$(cd "$SAMPLES" && ls script-*.xml | grep -v mixed | sort)" \
	"$(cut -d' ' -f1 <<<"$scripts_table" | sort)"

# The pages of the subject notice in a packet: "FIRST-LAST".
notice_pages() {
	local pages
	pages=$(pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p')
	mutool show "$1" outline 2>/dev/null |
		sed -nE 's/^[|+-]\t"(.*)"[[:space:]]+#page=([0-9]+).*/\2\t\1/p' |
		awk -F '\t' -v pages="${pages:-0}" '
			{ first[NR] = $1; title[NR] = $2 }
			END { for (i = 1; i <= NR; i++)
				if (title[i] ~ /^Notice to the subject/)
					printf "%d-%d\n", first[i],
					    (i < NR ? first[i + 1] - 1 : pages) }' |
		head -n 1
}

# The mail manifest's name and address of every case (its address
# block): "id<TAB>name | address lines", read once.
scripts_blocks=$(scratch)/blocks.tsv
"$PY" -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    if r["recipient"] == "subject":
        print(r["case"] + "\t" + r["name"] + " | " + r["address"])' \
	"$scripts_out/mail/manifest.csv" >"$scripts_blocks"

# USPS style of a Latin alias: capitals, no periods or apostrophes, other
# punctuation a space.
usps_style() {
	sed -e "s/[.']//g" -e 's/[-,]/ /g' -e 's/  */ /g' <<<"$1" |
		tr '[:lower:]' '[:upper:]'
}

# One sample: its notice, its address block; adds its check to the batch.
check_script_sample() {
	local f=$1 sc=$2 dir=$3 xml="$SAMPLES/$1" id r pdf pages lang name
	local alias block facts notice bad latin msg
	IFS='|' read -r id lang name alias < <(xmllint --xpath 'concat(/*/@id,
		"|", //*[local-name()="preferredLanguage"], "|",
		//*[local-name()="givenName"], " ", //*[local-name()="familyName"],
		"|", (//*[local-name()="alias"])[1])' "$xml")
	r="$scripts_out/$id/report.json"
	pdf="$scripts_out/$id/packet.pdf"
	facts=$(jq -r '[.documents["subject-notice"],
		([.findings[].code | select(. == "missing-glyph" or
		    . == "unsupported-script")] | join(" ")),
		([.findings[] | select(.code == "latin-name-transliterated") |
		    "\(.severity) \(.withholds | join(","))"] | join(";")),
		([.findings[] | select(.code == "latin-name-transliterated") |
		    .message] | join(";"))] | join("\u001f")' "$r")
	IFS=$'\x1f' read -r notice bad latin msg <<<"$facts"
	assert_eq "$f: the notice is produced" generated "$notice"
	assert_eq "$f: no missing-glyph, no unsupported-script" "" "$bad"
	pages=$(notice_pages "$pdf")
	check "$f: the packet has the notice's pages ($pages)" \
		test -n "$pages"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$pdf" "$r" "$pages" "$dir" \
		"$lang" "$sc" "$name" >>"$scripts_batch"
	echo "$pdf" >>"$scripts_pdfs"

	# The address block: Latin (ASCII), the alias when there is one,
	# else a transliteration and its warning.
	block=$(sed -n "s/^$id\t//p" "$scripts_blocks")
	check "$f: the mail piece has an address block" test -n "$block"
	check "$f: the address block is ASCII ($block)" \
		test -z "$(LC_ALL=C tr -d '\000-\177' <<<"$block")"
	if [ -n "$alias" ]; then
		assert_eq "$f: the block names the Latin alias" \
			"$(usps_style "$alias")" "${block%% | *}"
		assert_eq "$f: no latin-name-transliterated with an alias" "" \
			"$latin"
	else
		assert_eq "$f: latin-name-transliterated (warning, withholds nothing)" \
			"warning " "$latin"
		check "$f: the finding quotes the transliteration" \
			grep -qF "${block%% | *}" <<<"$msg"
	fi
	check "$f: the mail piece prints the block" \
		grep -qF "${block%% | *}" <<<"$(pdftotext -l 1 "$scripts_out/$id/mail-subject.pdf" - 2>/dev/null)"
	# The letter greets the subject by the name as recorded.
	if [ "$dir" = ltr ]; then
		check "$f: the letter greets $name as recorded" \
			grep -qF "Dear $name" <<<"$(pdftotext -f "${pages%-*}" -l "${pages#*-}" "$pdf" - 2>/dev/null | tr -s '[:space:]' ' ')"
	fi
}

while read -r f sc dir; do
	check_script_sample "$f" "$sc" "$dir"
done <<<"$scripts_table"

# The mixed sentence: the English name, and the Arabic words of the
# offense description, in the notice.
mixed_xml="$SAMPLES/script-mixed-bidi.xml"
mixed_id=$(xmllint --xpath "string(/*/@id)" "$mixed_xml")
mixed_r="$scripts_out/$mixed_id/report.json"
mixed_pdf="$scripts_out/$mixed_id/packet.pdf"
mixed_pages=$(notice_pages "$mixed_pdf")
assert_eq "script-mixed-bidi.xml: the notice is produced" generated \
	"$(json "$mixed_r" '.documents["subject-notice"]')"
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
	"$mixed_pdf" "$mixed_r" "$mixed_pages" ltr en Latn "Omar Hassan Elamin" \
	"$mixed_pdf" "$mixed_r" "$mixed_pages" rtl ar Arab "بنك الخرطوم" \
	"$mixed_pdf" "$mixed_r" "$mixed_pages" rtl ar Arab "شركة النيل للتجارة" \
	>>"$scripts_batch"
check "script-mixed-bidi.xml: the English of the sentence copies back" \
	grep -qF "Issuing a dishonoured cheque drawn on" <<<"$(pdftotext -f "${mixed_pages%-*}" -l "${mixed_pages#*-}" "$mixed_pdf" - 2>/dev/null | tr -s '[:space:]' ' ')"

# after_in_ltr PDF PAGES WORD1 WORD2: in a left-to-right paragraph an
# English word that follows a right-to-left run in logical order is drawn
# after it: to its right on the same line, or on a later line.
after_in_ltr() {
	mutool trace "$1" "$2" 2>/dev/null | "$PY" -c '
import sys, xml.etree.ElementTree as ET
first, then = sys.argv[1], sys.argv[2]
runs = []
for pno, page in enumerate(ET.parse(sys.stdin).getroot().iter("page")):
    for span in page.iter("span"):
        gs = [g for g in span.iter("g") if g.get("glyph") is not None]
        text = "".join(g.get("unicode", "") for g in gs)
        runs.append((pno, text, gs))
def find(word):
    for pno, text, gs in runs:
        for w in (word, word[::-1]):
            k = text.find(w)
            if k >= 0:
                xs = [float(g.get("x")) for g in gs[k:k + len(w)]]
                return pno, -float(gs[k].get("y")), min(xs), max(xs)
    sys.exit("%s is not drawn" % word)
a, b = find(first), find(then)
same_line = a[0] == b[0] and abs(a[1] - b[1]) < 1
ok = b[2] > a[3] if same_line else (b[0], b[1]) > (a[0], a[1])
print("%s at %s, %s at %s" % (first, a, then, b))
sys.exit(0 if ok else 1)' "$3" "$4" >>"$E2E_TMP/order.log" 2>&1
}
check "script-mixed-bidi.xml: (Bank of Khartoum) after بنك الخرطوم" \
	after_in_ltr "$mixed_pdf" "$mixed_pages" "الخرطوم" "Bank"
check "script-mixed-bidi.xml: pounds after شركة النيل للتجارة, 250,000" \
	after_in_ltr "$mixed_pdf" "$mixed_pages" "شركة" "pounds"

# Every glyph drawn has its outline in the embedded font (TrueType or
# CFF), all the packets in one process.
mapfile -t pdfs <"$scripts_pdfs"
"$PY" "$GLYPHS" "${pdfs[@]}" >"$E2E_TMP/glyphs.log" 2>&1
check "scripts: check_glyphs.py ran (exit status 0 or 1)" test "$?" -le 1
for pdf in "${pdfs[@]}"; do
	check "$(basename "$(dirname "$pdf")"): every glyph drawn has an outline (check_glyphs.py)" \
		grep -qxF "OK: $pdf" "$E2E_TMP/glyphs.log" ||
		sed -n "\|^== $pdf\$|,\|^\(OK\|FAIL\): $pdf|p" "$E2E_TMP/glyphs.log" |
			grep -E '^(BROKEN|FAIL)' | head -n 5 >&2
done

# Shaping and copy, all in one process (the faces are opened once); one
# result per text.
"$PY" "$SHAPING" --batch "$scripts_batch" --copy >"$E2E_TMP/shaping.log" 2>&1
shaping_rc=$?
check "scripts: check_shaping.py ran (exit status 0 or 1)" test "$shaping_rc" -le 1
assert_eq "scripts: check_shaping.py checked every text" \
	"$(wc -l <"$scripts_batch")" "$(grep -c '^== ' "$E2E_TMP/shaping.log")"
while IFS= read -r line; do
	case "$line" in
	"ok "*) pass ;;
	"FAIL "*) fail "check_shaping.py: ${line#FAIL }" ;;
	esac
done < <(awk '
	function flush() {
		if (t == "")
			return
		print (bad ? "FAIL " : "ok ") t
		# report.json lists each face the PDF draws with.
		print (unlisted ? "FAIL report.json does not list a face of " : \
		    "ok ") t
	}
	/^== / { flush(); t = substr($0, 4); bad = 0; unlisted = 0; next }
	/^FAIL / { bad = 1; print "   " $0 > "/dev/stderr" }
	/^note report.json does not list/ { unlisted = 1 }
	END { flush() }' "$E2E_TMP/shaping.log")
