# t_pdf.sh - the PDF packets of a full run (docs/rules.md and docs/reports.md;
# libharu 2.3.0 as measured, docs/pdf-engine.md): well-formed letter-size PDFs with embedded
# fonts, names printed exactly, no glyph losing its parts, code points for
# text that cannot be drawn, reproducible bytes, and templates checked
# before any case is processed.  Prints page counts, sizes and timings.

# Only through run.sh, after lib.sh: never write beside an unset root.
: "${E2E_TMP:?run through tests/e2e/run.sh}" "${RNPACK_SRC:?}"
declare -F scratch check rn >/dev/null || return 1

PY=/usr/bin/python3                     # sees Debian's python3-fonttools
GLYPHS="$RNPACK_SRC/tests/e2e/check_glyphs.py"
ARTIFACTS="$RNPACK_SRC/build/artifacts" # first pages, for a person to look at

# ------------------------------------------------------------- helpers

# The tools this file needs; without them every check below would fail
# for the wrong reason.
for tool in qpdf pdfinfo pdffonts pdftotext pdftoppm mutool xmllint jq; do
	check "tool $tool is installed" command -v "$tool" >/dev/null
done
check "/usr/bin/python3 has fontTools" "$PY" -c 'import fontTools'

# quiet CMD...: CMD without its output.  (Redirecting a `check` line
# instead would also swallow the FAIL message.)
quiet() { "$@" >/dev/null 2>&1; }

# now_ms: a clock in milliseconds, for the timings printed.
now_ms() { date +%s%3N; }

# nfc: standard input to Unicode NFC.
nfc() {
	"$PY" -c 'import sys, unicodedata
sys.stdout.write(unicodedata.normalize("NFC", sys.stdin.read()))'
}

# pdf_text FILE: the text of a PDF, NFC, every run of white space (line
# and page breaks included) collapsed to one space.  poppler's warnings go
# to $E2E_TMP/pdftotext.stderr.
pdf_text() {
	pdftotext -enc UTF-8 "$1" - 2>"$E2E_TMP/pdftotext.stderr" |
		tr -s '[:space:]' ' ' | nfc
}

# pdf_body FILE FIRST LAST: the text of pages FIRST..LAST (one document
# of the packet) like pdf_text, without its running header and footer:
# the lines found on every one of those pages (digits aside) go, so a
# sentence broken by a page break reads whole again.
pdf_body() {
	pdftotext -enc UTF-8 -f "$2" -l "$3" "$1" - 2>/dev/null |
		"$PY" -c 'import re, sys, unicodedata
pages = [p.splitlines() for p in sys.stdin.read().split("\f") if p.strip()]
key = lambda line: re.sub(r"[0-9]+", "#", line.strip())
running = set.intersection(*[{key(l) for l in p} for p in pages]) \
	if len(pages) > 1 else set()
body = " ".join(l for p in pages for l in p if key(l) not in running)
print(unicodedata.normalize("NFC", " ".join(body.split())))'
}

# documents FILE: the packet's documents from its bookmarks, one a line:
# FIRST-PAGE LAST-PAGE TITLE (each document runs to the next one).  Only
# top-level bookmarks count: a bookmark inside a document (the memo's
# part 2) is one tab further in, under its document ("+" or "-").
documents() {
	local pages
	pages=$(info "$1" Pages)
	mutool show "$1" outline 2>/dev/null |
		sed -nE 's/^[|+-]\t"(.*)"[[:space:]]+#page=([0-9]+).*/\2\t\1/p' |
		awk -F '\t' -v pages="${pages:-0}" '
			{ first[NR] = $1; title[NR] = $2 }
			END { for (i = 1; i <= NR; i++)
				printf "%d %d %s\n", first[i],
				    (i < NR ? first[i + 1] - 1 : pages), title[i] }'
}

# page_numbers FILE FIRST LAST: "" when each page of FIRST..LAST has a
# footer "Page k of n" (or "Página k de n"), k counting 1..n and n the
# number of those pages; otherwise what was found instead.
page_numbers() {
	pdftotext -enc UTF-8 -f "$2" -l "$3" "$1" - 2>/dev/null |
		"$PY" -c 'import re, sys
pages = sys.stdin.read().split("\f")[:-1]
want = ["%d/%d" % (k, len(pages)) for k in range(1, len(pages) + 1)]
got = []
for p in pages:
	m = re.findall(r"(?:Page|Página) ([0-9]+) (?:of|de) ([0-9]+)", p)
	got.append("/".join(m[-1]) if m else "none")
if got != want:
	print("pages say %s, want %s" % (" ".join(got), " ".join(want)))'
}

# has_text NAME FILE TEXT: the PDF's text contains TEXT (collapsed, NFC).
has_text() {
	local text
	text=$(pdf_text "$2")
	if [[ "$text" == *"$3"* ]]; then pass; else
		fail "$1: [$3] not in the text of $2"; fi
}

# info FILE FIELD: one field of pdfinfo.
info() { pdfinfo "$1" 2>/dev/null | sed -n "s/^$2: *//p"; }

# xml_field FILE NAME: the text of the first element NAME of a case file.
xml_field() {
	xmllint --xpath "string((//*[local-name()='$2'])[1])" "$1"
}

# upper TEXT: Python's str.upper() (root-locale rules, like ICU's), NFC.
upper() {
	"$PY" -c 'import sys, unicodedata
print(unicodedata.normalize("NFC", sys.argv[1]).upper(), end="")' "$1"
}

# kb FILE: size in KB, one decimal.
kb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1024 }'; }

# splice_font PDF OLD.ttf NEW.ttf OUT.pdf: a copy of PDF whose embedded
# font program equal to OLD (as `mutool extract` wrote it) is NEW instead.
splice_font() {
	local obj o size
	for o in $(mutool show "$1" grep 2>/dev/null |
		sed -nE '/\/Type\/FontDescriptor/ s|.*/FontFile2 ([0-9]+) 0 R.*|\1|p'); do
		mutool show -b "$1" "$o" 2>/dev/null | cmp -s - "$2" && obj=$o
	done
	size=$(stat -c %s "$3")
	printf '{"qpdf": [{"jsonversion": 2, "pushedinheritedpageresources": false, "calledgetallpages": false, "maxobjectid": 0}, {"obj:%s 0 R": {"stream": {"dict": {"/Length1": %s}, "datafile": "%s"}}}]}\n' \
		"${obj:-0}" "$size" "$3" > "$4.json"
	qpdf "$1" --update-from-json="$4.json" "$4" 2>/dev/null
}

# ------------------------------------------------------------- 1. every packet

# One full run over all samples: the packets most checks below look at.
all=$(scratch)/out
t0=$(now_ms)
rn -j 1 -o "$all" "$SAMPLES"
t1=$(now_ms)
assert_eq "full run over the samples: exit status (invalid samples present)" \
	2 "$RC"
loaded=$(jq -r '.[] | select(.status != "invalid") | .case' "$all/summary.json")
n_loaded=$(wc -w <<<"$loaded")
check "some samples load ($n_loaded)" test "$n_loaded" -gt 0
echo "   full run, -j 1: $n_loaded packets in $((t1 - t0)) ms" \
	"($(( (t1 - t0) / (n_loaded > 0 ? n_loaded : 1) )) ms a packet)"

# check_documents ID PDF: the packet's bookmarks are its documents, and
# they are exactly the documents report.json says were generated, the
# compliance summary first; the documents cover every page, each counts
# its own pages in its footer; the summary carries the disclaimer, and
# so does every English notice to the subject (docs/documents.md).
check_documents() {
	local id=$1 pdf=$2 docs first last title key prefix want got
	docs=$(documents "$pdf")
	assert_eq "$id: first document: the compliance summary, from page 1" \
		"1 Compliance summary, case $id" "$(head -1 <<<"$docs" | cut -d' ' -f1,3-)"
	assert_eq "$id: documents cover every page" "$(info "$pdf" Pages)" \
		"$(awk 'END { print $2 }' <<<"$docs")"
	for key in compliance-summary:"Compliance summary" \
		supervisory-approval:"(Request for supervisory approval|Record of the supervisory decision)" \
		usncb-request:"Request to INTERPOL Washington( \(record copy\))?" \
		subject-notice:"Notice to the subject"; do
		prefix=${key#*:}; key=${key%%:*}
		want=$(json "$all/$id/report.json" ".documents[\"$key\"]")
		got=blocked
		grep -Eq "^[0-9]* [0-9]* $prefix, case $id" <<<"$docs" && got=generated
		assert_eq "$id: $key in the packet as report.json says" "$want" "$got"
	done
	while read -r first last title; do
		[ -n "$first" ] || continue
		assert_eq "$id: page numbers of \"$title\"" "" \
			"$(page_numbers "$pdf" "$first" "$last")"
		case $title in
		"Compliance summary"* | "Notice to the subject"*)
			# Possibly across a page break: read without the
			# running header and footer between the halves.
			check "$id: \"$title\" says 'not an arrest warrant'" \
				grep -qF "not an arrest warrant" \
				<<<"$(pdf_body "$pdf" "$first" "$last")" ;;
		esac
	done <<<"$docs"
}

# check_packet ID: the packet of a case that loads is a sound, letter-size
# PDF with embedded fonts, titled with the case id, whose text poppler
# reads without complaint; then check_documents.
check_packet() {
	local id=$1 pdf="$all/$1/packet.pdf" pages text fonts
	if [ ! -f "$pdf" ]; then fail "$id: no packet.pdf"; return; fi
	pass
	check "$id: qpdf --check" quiet qpdf --check "$pdf"
	# mutool repairs a damaged file silently (exit status 0): what it
	# says is the test.
	assert_eq "$id: second parser (mutool) reads it without repair" "" \
		"$(mutool info "$pdf" 2>&1 >/dev/null | grep -v 'ICC support')"
	check "$id: Title names the case" \
		grep -qF -- "$id" <<<"$(info "$pdf" Title)"
	pages=$(info "$pdf" Pages)
	check "$id: at least one page ($pages)" test "${pages:-0}" -ge 1
	assert_eq "$id: letter-size pages" "612 x 792 pts (letter)" \
		"$(info "$pdf" "Page size")"
	check "$id: Producer present" test -n "$(info "$pdf" Producer)"
	# pdffonts: two header lines, then one font a line; emb is the fifth
	# column from the right (names and types may contain spaces).
	fonts=$(pdffonts "$pdf" 2>/dev/null | tail -n +3)
	check "$id: at least one font" test -n "$fonts"
	assert_eq "$id: every font embedded" "" \
		"$(awk '$(NF-4) != "yes"' <<<"$fonts")"
	text=$(pdf_text "$pdf")
	# libharu 2.3.0's own /ToUnicode made poppler warn ("Invalid
	# 'begincidrange' operator"); the text must come without complaint.
	assert_eq "$id: pdftotext reads it without warnings" "" \
		"$(sort -u "$E2E_TMP/pdftotext.stderr")"
	check "$id: text has the case id" grep -qF -- "$id" <<<"$text"
	check "$id: text has 'Compliance summary'" \
		grep -qF "Compliance summary" <<<"$text"
	check_documents "$id" "$pdf"
	printf '   %-16s %2s page(s) %7s KB  %s\n' "$id" "$pages" "$(kb "$pdf")" \
		"$(documents "$pdf" | awk '{ printf "%s%d", (NR > 1 ? "+" : ""), $2 - $1 + 1 }')"
}

# The script, court and enclosure samples have groups of their own
# (t_scripts, t_court, t_enclosures), which read their PDFs closely.
deep=$(jq -r '.[] | select(.status != "invalid") |
	select(.source | test("/(script|court|enclosure)[^/]*[.]xml$") | not) |
	.case' "$all/summary.json")
for id in $deep; do check_packet "$id"; done
assert_eq "one packet per case that loads" "$n_loaded" \
	"$(find "$all" -name packet.pdf | wc -l)"

# ------------------------------------------------------------- 2. names

# check_name FILE: the summary prints the subject as "FAMILY, Given",
# exactly (NFC on both sides), in both PDF parsers.
check_name() {
	local xml="$SAMPLES/$1" id family given want pdf text
	[ -f "$xml" ] || { fail "$1: no such sample"; return; }
	id=$(xmllint --xpath "string(/*/@id)" "$xml")
	family=$(xml_field "$xml" familyName)
	given=$(xml_field "$xml" givenName)
	want="$(upper "$family"), $(nfc <<<"$given")"
	pdf="$all/$id/packet.pdf"
	text=$(pdf_text "$pdf")
	if [[ "$text" == *"$want"* ]]; then pass; else
		fail "$1: [$want] not in the text of $pdf; printed: [$(grep -o \
		'Subject [^:]*Date of birth' <<<"$text")] (if only the Greek" \
		"tonos differs, it is an upper-casing choice)"
	fi
	text=$(mutool draw -q -F txt -o - "$pdf" 2>/dev/null | tr -s '[:space:]' ' ' | nfc)
	check "$1: mutool also reads [$want]" grep -qF -- "$want" <<<"$text"
}
for f in name-vietnamese.xml name-greek.xml name-cyrillic.xml \
	complete-red-notice.xml; do
	check_name "$f"
done

# ------------------------------------------------------------- 3. glyphs

# The name samples, and two packets with more documents and faces (the
# Spanish notice adds DejaVu Sans Oblique): every composite glyph of
# every embedded font is whole, every drawn glyph has an outline, and
# each name character is drawn with an outline.  check_glyphs.py prints
# what it checked.  (All 58 packets would take about a minute.)
check_glyphs() {
	local xml="$SAMPLES/$1" id family given out
	[ -f "$xml" ] || { fail "$1: no such sample"; return; }
	id=$(xmllint --xpath "string(/*/@id)" "$xml")
	family=$(upper "$(xml_field "$xml" familyName)")
	given=$(xml_field "$xml" givenName)
	out=$("$PY" "$GLYPHS" --chars "$family" --chars "$given" \
		"$all/$id/packet.pdf" 2>&1)
	local rc=$?
	sed 's/^/   /' <<<"$out"
	assert_eq "$1: no glyph lost its parts" 0 "$rc"
}
for f in name-vietnamese.xml name-greek.xml name-cyrillic.xml \
	complete-red-notice.xml spanish-notice-es-mx.xml; do
	check_glyphs "$f"
done

# The checker can fail.  (a) The font DejaVu Sans ships with passes: no
# false alarm on a real font.  (b) A font extracted from a good packet,
# with a component two levels below 'Ễ' emptied (what libharu 2.3.0
# does), fails and names the glyph.  (c) The same font put back into the
# PDF (qpdf) fails the PDF check; (d) so does an emptied simple glyph.
glyph_checker_can_fail() {
	local d pdf font victim out dejavu
	d=$(scratch)
	pdf="$all/SNA-2024-00301/packet.pdf"
	dejavu=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
	if [ -f "$dejavu" ]; then
		check "checker passes the shipped DejaVu Sans" \
			"$PY" "$GLYPHS" --font "$dejavu" --chars "ễόǗКЙ" >/dev/null
	fi
	(cd "$d" && mutool extract "$pdf" >/dev/null 2>&1)
	for font in "$d"/font-*.ttf; do
		victim=$("$PY" "$GLYPHS" --break-font "$font" "$d/broken.ttf" 'Ễ' \
			2>/dev/null) && break
	done
	check "a composite font was extracted and broken ($victim)" \
		test -s "$d/broken.ttf"
	check "checker passes the extracted font before breaking" \
		"$PY" "$GLYPHS" --font "$font" --chars 'NGUYỄN' >/dev/null
	out=$("$PY" "$GLYPHS" --font "$d/broken.ttf" --chars 'NGUYỄN' 2>&1)
	assert_eq "checker fails on a dropped component (exit status)" 1 "$?"
	check "checker names the broken glyph" \
		grep -q "BROKEN: .*uni1EC4 > .* > $victim" <<<"$out"
	check "checker names the character" grep -q "U+1EC4" <<<"$out"

	# Put the broken font into a copy of the packet, in place of the
	# font program it was extracted from.
	splice_font "$pdf" "$font" "$d/broken.ttf" "$d/broken.pdf"
	check "broken font put into a copy of the packet" test -s "$d/broken.pdf"
	out=$("$PY" "$GLYPHS" --chars 'NGUYỄN' "$d/broken.pdf" 2>&1)
	assert_eq "checker fails on a PDF with a dropped component" 1 "$?"
	check "... and reports the drawn glyph" \
		grep -q "drawn glyph for 'Ễ'" <<<"$out"

	victim=$("$PY" "$GLYPHS" --break-font "$font" "$d/brokenG.ttf" G)
	splice_font "$pdf" "$font" "$d/brokenG.ttf" "$d/brokenG.pdf"
	check "font without G put into a copy of the packet" test -s "$d/brokenG.pdf"
	out=$("$PY" "$GLYPHS" "$d/brokenG.pdf" 2>&1)
	assert_eq "checker fails on a PDF with an emptied drawn glyph" 1 "$?"
	check "... and reports it" grep -q "drawn glyph for 'G': glyph G has no outline" <<<"$out"
}
glyph_checker_can_fail

# ------------------------------------------------------------- 4. pictures

# First pages of the name samples as PNG under build/artifacts, for a
# person to look at; a blank or failed rendering is a small file.
render_first_pages() {
	local f id png
	mkdir -p "$ARTIFACTS"
	for f in name-vietnamese.xml name-greek.xml name-cyrillic.xml; do
		id=$(xmllint --xpath "string(/*/@id)" "$SAMPLES/$f")
		png="$ARTIFACTS/${f%.xml}-page1"
		rm -f "$png.png"
		pdftoppm -r 80 -png -f 1 -l 1 -singlefile \
			"$all/$id/packet.pdf" "$png" 2>/dev/null
		check "$f: first page rendered to $png.png" test -f "$png.png"
		check "$f: rendering is not trivial (> 10 KB)" \
			test "$(stat -c %s "$png.png" 2>/dev/null || echo 0)" -gt 10240
		[ -f "$png.png" ] && echo "   $png.png ($(kb "$png.png") KB)"
	done
}
render_first_pages

# ------------------------------------------------------------- 5. Arabic

# Right-to-left text is laid out like any other script: an alias in
# Arabic script no longer withholds anything (tests/e2e/t_scripts.sh checks
# shaping and copy-back for every script).
check_arabic_alias() {
	local xml="$SAMPLES/name-arabic-alias.xml" id r
	id=$(xmllint --xpath "string(/*/@id)" "$xml")
	r="$all/$id/report.json"
	assert_eq "arabic: source is the sample" "$xml" "$(json "$r" .source)"
	assert_eq "arabic: status" complete "$(json "$r" .status)"
	assert_eq "arabic: no unsupported-script, no missing-glyph" "" \
		"$(json "$r" '[.findings[].code | select(. == "unsupported-script" or . == "missing-glyph")] | join(" ")')"
	check "arabic: the alias in Arabic letters in the text" test 0 -lt \
		"$(pdf_text "$all/$id/packet.pdf" | "$PY" -c 'import sys
print(sum(1 for c in sys.stdin.read() if "\u0600" <= c <= "\u06ff"))')"
}
check_arabic_alias

# ------------------------------------------------------------- 6. missing glyph

# A character no installed face draws (U+E000, of the Private Use Area, in
# the offense description) is a missing-glyph error: documents 2-4
# withheld, the summary prints the code point, and --check-only finds the
# same.
check_missing_glyph() {
	local d r pdf
	d=$(scratch)
	sed 's|<description>Aggravated|<description>\xee\x80\x80 Aggravated|' \
		"$SAMPLES/complete-red-notice.xml" > "$d/pua.xml"
	check "missing-glyph: fixture made" grep -q $'\xee\x80\x80' "$d/pua.xml"
	rn -o "$d/full" "$d/pua.xml"
	assert_eq "missing-glyph: exit status (documents withheld)" 1 "$RC"
	r="$d/full/HOU-2024-00017/report.json"
	pdf="$d/full/HOU-2024-00017/packet.pdf"
	assert_eq "missing-glyph: status" blocked "$(json "$r" .status)"
	assert_eq "missing-glyph: finding, severity, what it withholds" \
		"missing-glyph error supervisory-approval,usncb-request,subject-notice" \
		"$(json "$r" '.findings[] | select(.code == "missing-glyph") |
			"\(.code) \(.severity) \(.withholds | join(","))"')"
	check "missing-glyph: packet written" test -f "$pdf"
	assert_eq "missing-glyph: the packet holds the compliance summary only" \
		"Compliance summary, case HOU-2024-00017" \
		"$(documents "$pdf" | cut -d' ' -f3-)"
	has_text "missing-glyph: code point shown" "$pdf" "U+E000"
	check "missing-glyph: the character itself is not printed" \
		test -z "$(pdf_text "$pdf" | grep -F $'\xee\x80\x80')"
	rn --check-only -o "$d/chk" "$d/pua.xml"
	assert_eq "missing-glyph: --check-only exit status" 1 "$RC"
	check "missing-glyph: --check-only gives the same report.json" \
		cmp -s "$r" "$d/chk/HOU-2024-00017/report.json"
}
check_missing_glyph

# ------------------------------------------------------------- 7. same bytes

# Same input and as-of date: the same PDF bytes, whatever -j says.
check_reproducible() {
	local d id t0 t1 differ=""
	d=$(scratch)
	rn -o "$d/a" "$SAMPLES/name-vietnamese.xml"
	rn -o "$d/b" "$SAMPLES/name-vietnamese.xml"
	check "two runs: byte-identical packet.pdf" \
		cmp -s "$d/a/SNA-2024-00301/packet.pdf" "$d/b/SNA-2024-00301/packet.pdf"
	t0=$(now_ms)
	rn -j 2 -o "$d/j2" "$SAMPLES"
	t1=$(now_ms)
	echo "   full run, -j 2: $n_loaded packets in $((t1 - t0)) ms"
	assert_eq "-j 2: same exit status as -j 1" 2 "$RC"
	for id in $loaded; do
		cmp -s "$all/$id/packet.pdf" "$d/j2/$id/packet.pdf" ||
			differ="$differ $id"
	done
	assert_eq "-j 2 and -j 1: every packet.pdf identical" "" "$differ"
	check "-j 2 and -j 1: same summary.json" \
		cmp -s "$all/summary.json" "$d/j2/summary.json"
}
check_reproducible

# Time of one packet alone (start-up included), for the name samples.
for f in name-vietnamese.xml name-greek.xml name-cyrillic.xml; do
	d=$(scratch)
	t0=$(now_ms); rn -o "$d" "$SAMPLES/$f"; t1=$(now_ms)
	echo "   $f alone: $((t1 - t0)) ms"
done

# ------------------------------------------------------------- 8. leftovers

# Temporary files are renamed or removed; --check-only writes no PDF.
check "no .tmp.* file left in the output" \
	test -z "$(find "$all" -name '.tmp.*')"
d=$(scratch)
rn --check-only -o "$d/chk" "$SAMPLES"
check "--check-only writes reports" test -f "$d/chk/HOU-2024-00017/report.json"
assert_eq "--check-only writes no packet.pdf" "" \
	"$(find "$d/chk" -name packet.pdf)"
check "--check-only and a full run: same summary.json" \
	cmp -s "$all/summary.json" "$d/chk/summary.json"
differ=""
for id in $loaded; do
	cmp -s "$all/$id/report.json" "$d/chk/$id/report.json" || differ="$differ $id"
done
assert_eq "--check-only and a full run: every report.json the same" "" "$differ"

# ------------------------------------------------------------- 9. bad templates

# bad_template NAME SED-SCRIPT: a broken compliance-summary.tmpl stops
# the run with status 4 before any case is processed, naming file:line.
bad_template() {
	local d=$(scratch)
	cp -R "$RNPACK_SRC/templates" "$d/tmpl"
	sed -i "$2" "$d/tmpl/compliance-summary.tmpl"
	rn --templates "$d/tmpl" -o "$d/out" "$SAMPLES/complete-red-notice.xml"
	assert_eq "$1: exit status" 4 "$RC"
	check "$1: message names compliance-summary.tmpl:5:" \
		grep -q "compliance-summary.tmpl:5:" "$E2E_TMP/last.stderr"
	check "$1: no summary.json" test ! -e "$d/out/summary.json"
	check "$1: no case folder" test ! -e "$d/out/HOU-2024-00017"
}
bad_template "unknown field in a template" '5i {subject.nosuchfield}'
bad_template "unclosed @if in a template" '5i @if case.id'
