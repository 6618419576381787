# t_scripts.sh - every script (samples/script-*.xml): a name in its own
# script gets its notice, drawn as HarfBuzz shapes it, with every glyph's
# outline in the embedded font, and copies back from the PDF as written;
# the mail piece's address block is in Latin script (the alias, else a
# transliteration with latin-name-transliterated).  One run over all the
# samples keeps the group fast.

SHAPING="$RNPACK_SRC/tests/tools/check_shaping.py"
GLYPHS="$RNPACK_SRC/tests/e2e/check_glyphs.py"
PY=/usr/bin/python3

# xml_field FILE NAME: the text of the first element NAME of a case file.
xml_field() {
	xmllint --xpath "string((//*[local-name()='$2'])[1])" "$1"
}

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

# The mail manifest's name and address of a case (the address block).
manifest_block() {
	"$PY" -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    if r["case"] == sys.argv[2] and r["recipient"] == "subject":
        print(r["name"] + " | " + r["address"])' \
		"$scripts_out/mail/manifest.csv" "$1"
}

# USPS style of a Latin alias: capitals, no periods or apostrophes, other
# punctuation a space.
usps_style() {
	sed -e "s/[.']//g" -e 's/[-,]/ /g' -e 's/  */ /g' <<<"$1" |
		tr '[:lower:]' '[:upper:]'
}

# One sample: its notice, its address block; adds its check to the batch.
check_script_sample() {
	local f=$1 sc=$2 dir=$3 xml="$SAMPLES/$1" id r pdf pages lang name
	local alias block
	id=$(xmllint --xpath "string(/*/@id)" "$xml")
	r="$scripts_out/$id/report.json"
	pdf="$scripts_out/$id/packet.pdf"
	lang=$(xml_field "$xml" preferredLanguage)
	name="$(xml_field "$xml" givenName) $(xml_field "$xml" familyName)"
	alias=$(xmllint --xpath "string((//*[local-name()='alias'])[1])" "$xml")
	assert_eq "$f: the notice is produced" generated \
		"$(json "$r" '.documents["subject-notice"]')"
	assert_eq "$f: no missing-glyph, no unsupported-script" "" \
		"$(json "$r" '[.findings[].code | select(. == "missing-glyph" or . == "unsupported-script")] | join(" ")')"
	pages=$(notice_pages "$pdf")
	check "$f: the packet has the notice's pages ($pages)" \
		test -n "$pages"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$pdf" "$r" "$pages" "$dir" \
		"$lang" "$sc" "$name" >>"$scripts_batch"

	# The address block: Latin (ASCII), the alias when there is one,
	# else a transliteration and its warning.
	block=$(manifest_block "$id")
	check "$f: the mail piece has an address block" test -n "$block"
	check "$f: the address block is ASCII ($block)" \
		"$PY" -c 'import sys; sys.exit(not sys.argv[1].isascii())' "$block"
	if [ -n "$alias" ]; then
		assert_eq "$f: the block names the Latin alias" \
			"$(usps_style "$alias")" "${block%% | *}"
		assert_eq "$f: no latin-name-transliterated with an alias" "" \
			"$(json "$r" '[.findings[] | select(.code == "latin-name-transliterated")] | length | select(. > 0)')"
	else
		assert_eq "$f: latin-name-transliterated (warning, withholds nothing)" \
			"warning " "$(json "$r" '.findings[] | select(.code == "latin-name-transliterated") | "\(.severity) \(.withholds | join(","))"')"
		check "$f: the finding quotes the transliteration" \
			grep -qF "${block%% | *}" <<<"$(json "$r" '.findings[] | select(.code == "latin-name-transliterated") | .message')"
	fi
	check "$f: the mail piece prints the block" \
		grep -qF "${block%% | *}" <<<"$(pdftotext -l 1 "$scripts_out/$id/mail-subject.pdf" - 2>/dev/null)"
	# The letter greets the subject by the name as recorded.
	if [ "$dir" = ltr ]; then
		check "$f: the letter greets $name as recorded" \
			grep -qF "Dear $name" <<<"$(pdftotext -f "${pages%-*}" -l "${pages#*-}" "$pdf" - 2>/dev/null | tr -s '[:space:]' ' ')"
	fi
	# Every glyph drawn has its outline in the embedded font.
	check "$f: every glyph drawn has an outline (check_glyphs.py)" \
		"$PY" "$GLYPHS" "$pdf" >"$E2E_TMP/glyphs-$id.log" 2>&1 ||
		tail -n 5 "$E2E_TMP/glyphs-$id.log" >&2
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
check "script-mixed-bidi.xml: the English around the Arabic copies back" \
	grep -qF "(Bank of Khartoum) to" <<<"$(pdftotext -f "${mixed_pages%-*}" -l "${mixed_pages#*-}" "$mixed_pdf" - 2>/dev/null | tr -s '[:space:]' ' ')"

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
