# t_enclosures.sh - received documents that travel with the notice
# (docs/enclosures.md): files of every shape met in practice, made here by
# trusted tools (tests/tools/encl_fixtures.py: pikepdf, ImageMagick), go
# after the letter in the subject's and counsel's pieces, stamped and
# counted, never into the packet; hostile files give their finding on the
# element's line and withhold the notice without touching the other cases;
# every piece and print file passes qpdf --check.

fx=$(scratch)/docs
/usr/bin/python3 "$RNPACK_SRC/tests/tools/encl_fixtures.py" "$fx" --bombs
ln -s a4.pdf "$fx/link.pdf"
in=$(scratch)
pd=$(scratch)
pol=$pd/policy.xml
sed -e "s|<printFile|<documents root=\"$fx\" maxPagesPerCase=\"500\" maxFileBytes=\"20000000\"/>\n  <printFile|" \
	"$SAMPLES/policy/houston-mail.xml" > "$pol"
qcheck() { qpdf --check "$1" >/dev/null 2>&1; }
sha() { sha256sum "$fx/$1" | cut -c1-64; }

# mkcase FILE ID DOCUMENTS [EXTRACT]: the reference case with these
# documentationReceived children (and a notice extract).
mkcase() {
	/usr/bin/python3 - "$SAMPLES/complete-red-notice.xml" "$in/$1" "$2" "$3" "${4:-}" <<'PY'
import sys
src, out, cid, docs, extract = sys.argv[1:]
s = open(src).read()
a = s.index('      <document title="Arrest')
b = s.index('    </documentationReceived>')
s = s[:a] + docs + "\n" + s[b:]
s = s.replace('id="HOU-2024-00017"', 'id="%s"' % cid)
if extract:
    w = s.index('\n', s.index('<arrestWarrant')) + 1
    s = s[:w] + "    " + extract + "\n" + s[w:]
open(out, "w").write(s)
PY
}
doc() {	# TITLE FILE [ATTRS] [CHILD]
	if [ -n "${4:-}" ]; then
		echo "      <document title=\"$1\" file=\"$2\" $3>$4</document>"
	else
		echo "      <document title=\"$1\" file=\"$2\" ${3:-}/>"
	fi
}

mkcase a.xml ENC-A "$(doc 'Judgment' a4.pdf "pages=\"3\" sha256=\"$(sha a4.pdf)\"")
$(doc 'Court order' landscape.pdf 'pages="1" language="es"' '<translation file="rotated.pdf" translator="T1"/>')
      <document title=\"Paper only\" pages=\"2\"/>"
mkcase b.xml ENC-B "$(doc 'Objects' objstm.pdf)
$(doc 'Updated' incr.pdf)
$(doc 'Scripted' scripted.pdf)
$(doc 'Scan' scan.jpg)
$(doc 'Stamp' alpha.png)" '<extract file="owner.pdf" pages="1"/>'
mkcase c.xml ENC-C "$(for i in 1 2 3 4; do doc "Volume $i" a4.pdf; done)"
# Hostile: each its own case, the finding on the element's line.
mkcase h1.xml ENC-H1 "$(doc 'Locked' user.pdf)"
mkcase h2.xml ENC-H2 "$(doc 'Cut short' truncated.pdf)"
mkcase h3.xml ENC-H3 "$(doc 'Typed notes' notes.pdf)"
mkcase h4.xml ENC-H4 "$(doc 'Many pages' pagebomb.pdf)"
mkcase h5.xml ENC-H5 "$(doc 'Bomb' zbomb.pdf)"
mkcase h6.xml ENC-H6 "$(doc 'Linked' link.pdf)"
mkcase h7.xml ENC-H7 "$(doc 'Counted wrong' a4.pdf 'pages="2"')"
mkcase h8.xml ENC-H8 "$(doc 'Other bytes' a4.pdf "sha256=\"$(sha landscape.pdf)\"")"
mkcase h9.xml ENC-H9 "$(doc 'Gone' absent.pdf)"
mkcase h11.xml ENC-H11 "$(doc 'Table bomb' xbomb.pdf)"
mkcase h10.xml ENC-H10 "$(doc 'Translated' a4.pdf '' '<translation file="gone-en.pdf" translator="T1"/>')"

want_finding() {	# FILE ID CODE ELEMENT-PATTERN
	local line
	line=$(grep -n -- "$4" "$in/$1" | head -1 | cut -d: -f1)
	assert_eq "$2 has $3 on line $line" "[\"$3\",$line]" \
		"$(jq -c --arg c "$3" '[.findings[] | select(.code == $c) | .code, .line]' "$out/$2/report.json")"
	check "$2: no notice piece" test ! -e "$out/$2/mail-subject.pdf"
	assert_eq "$2 is partial" partial "$(json "$out/$2/report.json" .status)"
}

out=$(scratch)/out
rn -o "$out" --policy "$pol" "$in"
assert_eq "the run ends with withheld cases" 1 "$RC"
want_finding h1.xml ENC-H1 enclosure-unreadable user.pdf
want_finding h2.xml ENC-H2 enclosure-unreadable truncated.pdf
want_finding h3.xml ENC-H3 enclosure-unreadable notes.pdf
want_finding h4.xml ENC-H4 enclosure-unreadable pagebomb.pdf
want_finding h5.xml ENC-H5 enclosure-unreadable zbomb.pdf
want_finding h6.xml ENC-H6 enclosure-unreadable link.pdf
want_finding h7.xml ENC-H7 enclosure-mismatch 'pages="2"'
want_finding h8.xml ENC-H8 enclosure-mismatch sha256
want_finding h9.xml ENC-H9 enclosure-missing absent.pdf
want_finding h10.xml ENC-H10 enclosure-missing gone-en.pdf
want_finding h11.xml ENC-H11 enclosure-unreadable xbomb.pdf
check "password: the reason says so" grep -q 'needs a password' "$out/ENC-H1/report.json"
check "page bomb: the reason names the limit" grep -q 'more than 500 pages' "$out/ENC-H4/report.json"
check "decompression bomb: the reason says so" grep -q 'decodes to more than' "$out/ENC-H5/report.json"
check "link: the reason says so" grep -q 'symbolic link' "$out/ENC-H6/report.json"
for id in ENC-A ENC-B ENC-C; do
	assert_eq "$id is complete" complete "$(json "$out/$id/report.json" .status)"
	for p in "$out/$id"/mail-*.pdf; do
		check "$id $(basename "$p") passes qpdf --check" qcheck "$p"
	done
done
check "ENC-A has both pieces" test -s "$out/ENC-A/mail-counsel.pdf"

# The pieces: the letter, then each enclosure and its translation.
p=$out/ENC-A/mail-subject.pdf
pages=$(pdfinfo "$p" | awk '/^Pages:/ { print $2 }')
first=$((pages - 4))	# 3 + 1 + 1 enclosure pages, from first to pages
page() { pdftotext -f "$1" -l "$1" -layout "$p" - | tr -s ' \n' ' '; }
t=$(page "$first")
check "A: enclosure 1 page 1 follows the letter" grep -q 'A4 page 1 of three' <<<"$t"
check "A: stamped Enclosure 1 of 2" grep -q 'ENC-A .*Enclosure 1 of 2 .*page 1 of 3' <<<"$t"
t=$(page $((first + 2)))
check "A: enclosure 1 page 3" grep -q 'A4 page 3 of three.*Enclosure 1 of 2 .*page 3 of 3' <<<"$t"
t=$(page $((first + 3)))
check "A: landscape page travels" grep -q 'Landscape sheet text.*Enclosure 2 of 2 .*page 1 of 1' <<<"$t"
t=$(page "$pages")
check "A: its translation" grep -q 'Rotated page text.*Enclosure 2 of 2 (translation) .*page 1 of 1' <<<"$t"
check "A: the page before the enclosures is the letter's" \
	bash -c "! pdftotext -f $((first - 1)) -l $((first - 1)) '$p' - | grep -q Enclosure"
check "A: the packet holds no enclosure" \
	bash -c "! pdftotext '$out/ENC-A/packet.pdf' - | grep -q -e 'A4 page' -e 'Enclosure 1 of'"
check "A: counsel's piece carries them too" \
	bash -c "pdftotext '$out/ENC-A/mail-counsel.pdf' - | grep -q 'Rotated page text'"

# Every shape: object streams, an incremental update (its last revision),
# an owner-password-only extract, images, a flattened stamp.
t=$(pdftotext "$out/ENC-B/mail-subject.pdf" - | tr -s ' \n' ' ')
for s in 'Owner only text' 'Object stream text two' 'Updated revision text' \
	'Scripted page text' 'STAMPED COPY' 'FILLED FIELD VALUE' \
	'Enclosure 6 of 6'; do
	check "B: \"$s\" travels" grep -qF "$s" <<<"$t"
done
if grep -q 'Original revision' <<<"$t"; then fail "B: the first revision shows"; else pass; fi
check "B: two images, 8-bit RGB" bash -c \
	"[ \$(pdfimages -list '$out/ENC-B/mail-subject.pdf' | grep -E -c ' rgb +3 +8 ') = 2 ]"
qpdf --qdf --object-streams=disable "$out/ENC-B/mail-subject.pdf" "$pd/b-qdf.pdf"
check "B: nothing that acts survives" bash -c "! grep -a -q -e /JS -e /JavaScript \
	-e /Launch -e /AA -e /EmbeddedFiles -e /OpenAction -e /Annots \
	-e /AcroForm -e /Widget \
	-e 'HIDDEN NOTE' -e 'attached secret' '$pd/b-qdf.pdf'"

# The manifest and the print job: included, counted, spliced.
m=$out/mail/manifest.csv
row() { grep "^\"$1\",\"subject\"" "$m"; }
check "A: manifest says included, insert: for the paper one" \
	grep -q '"included; insert: Paper only"' <<<"$(row ENC-A)"
check "B: manifest says included" grep -q '"included"' <<<"$(row ENC-B)"
check "C: 12 enclosure pages make a flat" grep -q '"flat"' <<<"$(row ENC-C)"
check "A: still a letter" grep -q '"letter"' <<<"$(row ENC-A)"
job=$(ls -d "$out"/mail/jobs/*/ | head -1)
for f in "$job"*.pdf; do
	check "print file $(basename "$f") passes qpdf --check" qcheck "$f"
done
check "the print file shows the enclosures" \
	bash -c "pdftotext '$job/letters.pdf' - | grep -q 'A4 page 1 of three'"
check "the flats file shows C's enclosures" \
	bash -c "pdftotext '$job'/flats*.pdf - | grep -q 'Enclosure 4 of 4'"

# Same input, same bytes.
out2=$(scratch)/out
rn -o "$out2" --policy "$pol" "$in/a.xml"
check "A: the piece is byte-identical on a second run" \
	cmp -s "$out/ENC-A/mail-subject.pdf" "$out2/ENC-A/mail-subject.pdf"

# --check-only raises the same findings.
co=$(scratch)/co
rn -o "$co" --check-only --policy "$pol" "$in"
assert_eq "--check-only: the same findings" \
	"$(jq -c '[.findings[].code]' "$out"/ENC-H*/report.json | sort)" \
	"$(jq -c '[.findings[].code]' "$co"/ENC-H*/report.json | sort)"

# The policy's limits: pages across the case (translations counted) and
# bytes per file.
pol2=$pd/policy2.xml
sed -e 's/maxPagesPerCase="500" maxFileBytes="20000000"/maxPagesPerCase="3" maxFileBytes="1500"/' "$pol" > "$pol2"
in2=$(scratch)
cp "$in/a.xml" "$in2/a.xml"
sed -e 's/ENC-A/ENC-L/' -e 's/a4.pdf/objstm.pdf/' -e 's/pages="3" sha256="[0-9a-f]*"//' "$in/a.xml" > "$in2/l.xml"
lim=$(scratch)/lim
rn -o "$lim" --policy "$pol2" "$in2"
check "a file over maxFileBytes is unreadable" grep -q 'maxFileBytes' "$lim/ENC-A/report.json"
check "pages over maxPagesPerCase, translation counted" \
	grep -q 'maxPagesPerCase' "$lim/ENC-L/report.json"
assert_eq "the limit is met on the translation's line" \
	"$(grep -n 'rotated.pdf' "$in2/l.xml" | cut -d: -f1)" \
	"$(jq '[.findings[] | select(.code == "enclosure-unreadable") | .line][0]' "$lim/ENC-L/report.json")"

# A file changed since the last run is drawn anew, though the case is not.
cp "$fx/objstm.pdf" "$fx/rotated.pdf"
rn -o "$out2" --policy "$pol" "$in/a.xml"
check "A: a changed enclosure file renders the piece again" \
	bash -c "pdftotext '$out2/ENC-A/mail-subject.pdf' - | grep -q 'Object stream text two'"
