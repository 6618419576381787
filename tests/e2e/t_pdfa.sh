# t_pdfa.sh - archival and accessible PDF (docs/pdf-archival.md): every
# sample's packet, mail pieces and court submission are PDF/A-1b as
# Apache PDFBox Preflight 2.0.27 validates them, and tagged: the
# structure tree reads the text pdftotext reads (artifacts left out),
# every painting operator is in marked content or an artifact, marked
# content never nests (tests/tools/check_tags.py); exempt are exactly
# the pieces and submissions holding a PDF enclosure
# (tests/tools/pdf_exempt.py, from the case files), and pieces and a
# submission holding only JPEG and PNG enclosures pass both, their
# pages Figures with /Alt; the Spanish notice's section is /Lang es;
# the subject's name is a Span with the preferred language's /Lang
# where its script is that language's (tests/tools/check_lang.py);
# the print file drops the structure and still passes qpdf --check; and
# both checkers fail on files made to fail.  Prints its timings.

: "${E2E_TMP:?run through tests/e2e/run.sh}" "${RNPACK_SRC:?}"
declare -F scratch check rn >/dev/null || return 1

PY=/usr/bin/python3                     # sees Debian's python3-pikepdf
TAGS="$RNPACK_SRC/tests/tools/check_tags.py"
PREFLIGHT="$RNPACK_SRC/tests/tools/preflight.sh"
EXEMPT="$RNPACK_SRC/tests/tools/pdf_exempt.py"

for tool in java pdftotext pdfinfo qpdf; do
	check "tool $tool is installed" command -v "$tool" >/dev/null
done
check "/usr/bin/python3 has pikepdf" "$PY" -c 'import pikepdf'
check "Preflight is installed" test -f /usr/share/java/preflight.jar

now_ms() { date +%s%3N; }

# ---------------------------------------------------------- every sample
O=$(scratch)/out
t0=$(now_ms)
rn -q -o "$O" "$SAMPLES"
assert_eq "samples run: exit status (invalid samples present)" 2 "$RC"
t1=$(now_ms); trn=$((t1 - t0))
# Packets, pieces and court submissions; those holding a PDF enclosure
# are exempt, told from the case files (and the output must agree).
mapfile -t all < <(find "$O" -name '*.pdf' | sort)
kinds=$("$PY" "$EXEMPT" "${all[@]}")
check "pdf_exempt: the input and the output agree" test $? -eq 0
mapfile -t pdfs < <(printf '%s\n' "$kinds" | sed -n 's/^check //p')
mapfile -t exempt < <(printf '%s\n' "$kinds" | sed -n 's/^exempt //p')
npk=$(printf '%s\n' "${pdfs[@]}" | grep -c '/packet\.pdf$')
npc=$(printf '%s\n' "${pdfs[@]}" | grep -c '/mail-[^/]*\.pdf$')
check "samples: packets to check ($npk)" test "$npk" -ge 50
check "samples: mail pieces to check ($npc)" test "$npc" -ge 20
check "samples: exempt files (${#exempt[@]}): pieces and submissions" \
	test "${#exempt[@]}" -ge 3 -a "$(printf '%s\n' "${exempt[@]}" |
	grep -c -E '/(mail-[^/]*|court-submission[^/]*)\.pdf$')" \
	-eq "${#exempt[@]}"
check "samples: every packet is checked" test "$(printf '%s\n' \
	"${all[@]}" | grep -c '/packet\.pdf$')" -eq "$npk"

# ------------------------------------ enclosures: images only, made here
# The enclosures sample without its PDF (its JPEG scan, and a PNG with
# transparency added), and a court submission whose exhibits and
# translations are those two images: nothing exempt.
I=$(scratch)
mkdir -p "$I/documents"
cp "$SAMPLES/documents/warrant-scan.jpg" "$I/documents/"
"$PY" - "$I/documents/seal.png" <<'PYEOF'
import struct, sys, zlib
w, h = 90, 60
rows = b"".join(b"\0" + b"".join(bytes((200, 30, 30, 255 if x < w // 2
                 else 90)) for x in range(w)) for y in range(h))
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(
        ">I", zlib.crc32(t + d) & 0xffffffff)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR",
    struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)) +
    chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PYEOF
sed -e '/judgment\.pdf/s|.*|      <document title="Seal of the court" pages="1" file="documents/seal.png"/>|' \
	"$SAMPLES/enclosures.xml" > "$I/images.xml"
# The court case with translations, every file an image, under a
# policy with translators: their certificates are tagged text.
sed -e '/Charging document, Fiscalía 41 Nacional/d' -e 's/ sha256="[0-9a-f]*"//' \
	-e 's|"rev2-complete/notice-extract\.pdf"|"documents/seal.png"|' \
	-e 's|"rev2-complete/notice-extract-en\.pdf"|"documents/warrant-scan.jpg"|' \
	-e 's|"rev2-complete/warrant\.pdf"|"documents/warrant-scan.jpg"|' \
	-e 's|"rev2-complete/warrant-en\.pdf"|"documents/seal.png"|' \
	"$SAMPLES/rev2-complete.xml" > "$I/court-images.xml"
sed -e 's|<policy xmlns="urn:rnpack:policy:1">|&<verificationMaxAgeDays>90</verificationMaxAgeDays>|' \
	"$SAMPLES/policy/two-offices.xml" > "$I/policy.xml"
rn -q -o "$I/out" "$I/images.xml"
assert_eq "images only: exit status" 0 "$RC"
rn -q --policy "$I/policy.xml" -o "$I/out" "$I/court-images.xml"
assert_eq "images only: exit status" 0 "$RC"
mapfile -t img < <(find "$I/out" -path '*/mail/*' -prune -o -name '*.pdf' \
	-print | sort)
kinds=$("$PY" "$EXEMPT" "${img[@]}")
assert_eq "images only: 2 packets, 4 pieces, 1 submission, none exempt" \
	"7 0" "$(printf '%s\n' "$kinds" | grep -c '^check ') \
$(printf '%s\n' "$kinds" | grep -c -v '^check ')"
# (Preflight and check_tags read them with the samples' files, below.)
for f in "${img[@]}"; do qpdf --check "$f" >/dev/null || echo "$f"; done \
	> "$E2E_TMP/img.bad"
check "images only: qpdf --check" test ! -s "$E2E_TMP/img.bad"

# ------------------------------------ Preflight and check_tags, once
t1=$(now_ms)
out=$("$PREFLIGHT" "${pdfs[@]}" "${img[@]}" 2>&1)
check "Preflight: every packet, piece and submission checked is PDF/A-1b" \
	test $? -eq 0
echo "   $(printf '%s\n' "$out" | tail -1)"
printf '%s\n' "$out" | head -20 | grep -v '^preflight:' >&2
t2=$(now_ms)

out=$("$PY" "$TAGS" "${pdfs[@]}" "${img[@]}" 2>&1)
check "check_tags: every packet, piece and submission checked" test $? -eq 0
echo "   $(printf '%s\n' "$out" | tail -1)"
printf '%s\n' "$out" | head -20 | grep -v '^check_tags:' >&2
t3=$(now_ms)
echo "   rnpack (samples) $trn ms, Preflight $((t2 - t1)) ms, check_tags $((t3 - t2)) ms"

# ------------------------------------ /Lang on the subject's name
# A name written in the script of the subject's preferred language is a
# passage in that language (tests/tools/check_lang.py lists each Span
# with a /Lang, under its document's Sect): tagged in the English
# documents and pieces, not inside the translated letter (its Sect is
# that language already); an English reader's name is not tagged.
LANGS="$RNPACK_SRC/tests/tools/check_lang.py"
case_dir() { dirname "$(grep -l "/$1\"" "$O"/*/report.json | head -1)"; }
langs() { "$PY" "$LANGS" "$(case_dir "$1")/$2"; }
es=$(langs spanish-notice-es-mx.xml packet.pdf)
check "/Lang: the summary's es-MX name is a Span /Lang es-MX" \
	grep -qxF "$(printf 'es-MX\tGUTIÉRREZ OLVERA, María Guadalupe')" <<<"$es"
check "/Lang: the English letter greets an es-MX name in /Lang es-MX" \
	grep -qxF "$(printf 'es-MX\tMaría Guadalupe Gutiérrez Olvera')" <<<"$es"
check "/Lang: the Spanish letter's Sect is es, with no Span of its own" \
	sh -c 'printf "%s\n" "$1" | awk "/^sect /{s=\$2; next}
	    s==\"es\"{bad=1} END{exit bad}" && printf "%s\n" "$1" |
	    grep -qx "sect es"' - "$es"
check "/Lang: the es-MX subject's mail piece tags the name" \
	grep -qxF "$(printf 'es-MX\tMaría Guadalupe Gutiérrez Olvera')" \
	<<<"$(langs spanish-notice-es-mx.xml mail-subject.pdf)"
ar=$(langs script-arabic.xml packet.pdf)
check "/Lang: an Arabic name is /Lang ar, /ActualText clusters inside" \
	grep -qxF "$(printf 'ar\tعلاء الدين الخطيب')" <<<"$ar"
check "/Lang: no Latin text is tagged ar (aliases, labels)" \
	sh -c '! printf "%s\n" "$1" | grep -q "^ar	.*[A-Za-z]"' - "$ar"
check "/Lang: a Japanese name with a character above U+FFFF is /Lang ja" \
	grep -qxF "$(printf 'ja\t𠮷田, 沙織')" \
	<<<"$(langs script-japanese.xml packet.pdf)"
check "/Lang: an English reader's name has no Span of its own" \
	sh -c '! printf "%s\n" "$1" | grep -qv "^sect "' - \
	"$(langs complete-red-notice.xml packet.pdf)"

# The exempt files: still sound, and their enclosure pages in marked
# content (only the foreign text, inside the figures, is untagged).
for f in "${exempt[@]}"; do qpdf --check "$f" >/dev/null || echo "$f"; done \
	> "$E2E_TMP/exempt.bad"
check "exempt files: qpdf --check" test ! -s "$E2E_TMP/exempt.bad"
out=$("$PY" "$TAGS" "${exempt[@]}" 2>&1)
check "exempt files: every painting operator in marked content" sh -c \
	"! printf '%s\n' \"\$1\" | grep -e 'outside marked content' \
	-e 'nested' >&2" - "$out"

piece=$(dirname "$(grep -l '/images\.xml"' "$I"/out/*/report.json)")/mail-subject.pdf
court=$(printf '%s\n' "${img[@]}" | grep -m1 '/court-submission\.pdf$')
figs=$("$PY" - "$piece" "$court" <<'PYEOF'
import sys, pikepdf
for path in sys.argv[1:]:
    p = pikepdf.open(path)
    ver = "PDF <= 1.4" if p.pdf_version <= "1.4" else p.pdf_version
    smask = any("/SMask" in o for pg in p.pages for _, o in
                pg.obj.Resources.get("/XObject", pikepdf.Dictionary()).items())
    def walk(e, out):
        k = e.get("/K")
        for kid in (k if isinstance(k, pikepdf.Array) else [k]):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                if kid.S == "/Figure" and "/Pg" in kid and \
                        str(kid.get("/Alt", "")).startswith(("Encl", "Exh")):
                    out.append("%s|%s" % (kid.P.S, kid.Alt))
                walk(kid, out)
    out = []
    walk(p.Root.StructTreeRoot, out)
    print(ver, smask, *out, sep="\n")
PYEOF
)
assert_eq "images only: figures with /Alt under the Sect, no SMask, PDF 1.4" \
"PDF <= 1.4
False
/Sect|Enclosure 1 of 2, page 1 of 1: Seal of the court
/Sect|Enclosure 2 of 2, page 1 of 1: Arrest warrant JC5-2023-118 (scan)
PDF <= 1.4
False
/Sect|Exhibit A, page 1 of 1: Red Notice A-1234/5-2023, extract as received
/Sect|Exhibit A, English translation, page 1 of 1: Red Notice A-1234/5-2023, extract as received
/Sect|Exhibit B, page 1 of 1: Arrest warrant JC5-2023-118
/Sect|Exhibit B, English translation, page 1 of 1: Arrest warrant JC5-2023-118" \
	"$figs"
assert_eq "images only: the translators' certificates are tagged text" 2 \
	"$(pdfinfo -struct-text "$court" | grep -c '"Certificate of translation"')"
rn -q -o "$I/again" "$I/images.xml"
rn -q --policy "$I/policy.xml" -o "$I/again" "$I/court-images.xml"
check "images only: the same piece and submission bytes again" sh -c \
	"cmp -s '$piece' '${piece/\/out\//\/again\/}' &&
	 cmp -s '$court' '${court/\/out\//\/again\/}'"

# What pdfinfo sees.
pk=$(printf '%s\n' "${pdfs[@]}" | grep -m1 '/packet\.pdf$')
check "pdfinfo: Tagged yes" sh -c "pdfinfo '$pk' | grep -q '^Tagged: *yes'"
check "pdfinfo: a metadata stream" \
	sh -c "pdfinfo '$pk' | grep -q '^Metadata Stream: *yes'"
check "pdfinfo -struct-text: headings and a table" sh -c \
	"pdfinfo -struct-text '$pk' | grep -q '^ *H1' &&
	 pdfinfo -struct-text '$pk' | grep -q '^ *TH'"

# The catalog and the Spanish notice's language.
es=$(grep -l 'spanish-notice-es-mx\.xml' "$O"/*/report.json 2>/dev/null | head -1)
check "the Spanish sample has a packet" test -n "$es"
langs=$("$PY" - "$(dirname "$es")/packet.pdf" <<'PYEOF'
import sys, pikepdf
p = pikepdf.open(sys.argv[1])
r = p.Root
print(str(r.Lang), bool(r.ViewerPreferences.DisplayDocTitle),
      " ".join(str(s.get("/Lang", "-")) for s in r.StructTreeRoot.K.K))
PYEOF
)
assert_eq "Spanish packet: catalog en, title shown, one Sect in es" \
	"en True - - - - es" "$langs"

# Same input, same bytes: the Spanish case again, alone.
O2=$(scratch)/out
rn -q -o "$O2" "$SAMPLES/spanish-notice-es-mx.xml"
id=$(basename "$(dirname "$es")")
check "reproducible: the same packet bytes" \
	cmp -s "$O/$id/packet.pdf" "$O2/$id/packet.pdf"

# ------------------------------------------------------------ print file
P=$(scratch)/in
mkdir -p "$P"
cp "$SAMPLES/complete-red-notice.xml" "$SAMPLES/foreign-counsel-address.xml" \
	"$P/"
rn --policy "$SAMPLES/policy/houston-mail.xml" -q -o "$P/out" "$P"
letters=$(find "$P/out/mail/jobs" -name letters.pdf | head -1)
check "print file: written" test -n "$letters"
check "print file: qpdf --check" qpdf --check "$letters"
check "print file: no structure tree (for paper)" sh -c \
	"! pdfinfo '$letters' | grep -q '^Tagged: *yes'"
mapfile -t pieces < <(find "$P/out" -path '*/mail/*' -prune -o \
	-name '*.pdf' -print | sort)
check "houston-mail policy: packets and pieces pass Preflight" \
	"$PREFLIGHT" "${pieces[@]}"

# ------------------------------------------------ the checkers can fail
check "check_tags: a right-to-left cluster read as poppler gives it" \
	"$PY" -c 'import sys; sys.path.insert(0, sys.argv[1]); import check_tags
assert check_tags.as_poppler_reads("\u0644\u0627") == "\u0627\u0644"
assert check_tags.as_poppler_reads("fi") == "fi"' \
	"$RNPACK_SRC/tests/tools"

bad=$(scratch)
"$PY" - "$pk" "$bad" <<'PYEOF'
import sys, pikepdf
src, out = sys.argv[1], sys.argv[2]
p = pikepdf.open(src)
del p.Root["/Metadata"]                # XMP gone: not PDF/A
p.save(out + "/no-xmp.pdf")
p = pikepdf.open(src)
pg = p.pages[0]
pg.contents_add(p.make_stream(b"0 0 m 10 10 l S"))   # paint, untagged
p.save(out + "/untagged-line.pdf")
p = pikepdf.open(src)
pg = p.pages[0]
pg.contents_add(p.make_stream(
    b"/P <</MCID 90>> BDC /Artifact BMC EMC EMC"))    # nested
p.save(out + "/nested.pdf")
p = pikepdf.open(src)
k = p.Root.StructTreeRoot.K.K[0].K     # the first document's blocks
k[0], k[1] = k[1], k[0]                # read out of order
p.save(out + "/swapped.pdf")
PYEOF
check "Preflight fails a file without XMP" \
	sh -c "! '$PREFLIGHT' '$bad/no-xmp.pdf' >/dev/null"
check "check_tags fails an untagged line" \
	sh -c "! '$PY' '$TAGS' '$bad/untagged-line.pdf' | grep '1 of 1' >/dev/null"
check "check_tags: the line is named" sh -c \
	"'$PY' '$TAGS' '$bad/untagged-line.pdf' | grep 'S outside marked content' >/dev/null"
check "check_tags fails nested marked content" sh -c \
	"'$PY' '$TAGS' '$bad/nested.pdf' | grep 'nested marked content' >/dev/null"
check "check_tags fails a tree read out of order" sh -c \
	"'$PY' '$TAGS' '$bad/swapped.pdf' | grep 'order: the tree reads' >/dev/null"

# pdf_exempt: a piece whose case holds a PDF but which draws none (an
# image-only piece beside that case's report) is a mismatch.
encl=$(grep -l '/enclosures\.xml"' "$O"/*/report.json | head -1)
check "the enclosures sample has a report" test -n "$encl"
mkdir -p "$bad/mm"
cp "$encl" "$bad/mm/report.json"
cp "$piece" "$bad/mm/mail-subject.pdf"
check "pdf_exempt fails a piece that disagrees with its case" sh -c \
	"'$PY' '$EXEMPT' '$bad/mm/mail-subject.pdf' | grep -q '^mismatch ' &&
	 ! '$PY' '$EXEMPT' '$bad/mm/mail-subject.pdf' >/dev/null"
