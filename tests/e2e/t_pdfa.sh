# t_pdfa.sh - archival and accessible PDF (docs/pdf-archival.md): every
# sample's packet and mail pieces are PDF/A-1b as Apache PDFBox Preflight
# 2.0.27 validates them, and tagged: the structure tree reads the text
# pdftotext reads (artifacts left out), every painting operator is in
# marked content or an artifact, marked content never nests
# (tests/tools/check_tags.py); the Spanish notice's section is /Lang es;
# the print file drops the structure and still passes qpdf --check; and
# both checkers fail on files made to fail.  Prints its timings.

: "${E2E_TMP:?run through tests/e2e/run.sh}" "${RNPACK_SRC:?}"
declare -F scratch check rn >/dev/null || return 1

PY=/usr/bin/python3                     # sees Debian's python3-pikepdf
TAGS="$RNPACK_SRC/tests/tools/check_tags.py"
PREFLIGHT="$RNPACK_SRC/tests/tools/preflight.sh"

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
t1=$(now_ms)
# Packets and pieces; a PDF enclosure would exempt its file (none yet).
mapfile -t pdfs < <(find "$O" -name '*.pdf' | sort)
npk=$(printf '%s\n' "${pdfs[@]}" | grep -c '/packet\.pdf$')
npc=$(printf '%s\n' "${pdfs[@]}" | grep -c '/mail-[^/]*\.pdf$')
check "samples: packets to check ($npk)" test "$npk" -ge 50
check "samples: mail pieces to check ($npc)" test "$npc" -ge 20

out=$("$PREFLIGHT" "${pdfs[@]}" 2>&1)
check "Preflight: every packet and piece is PDF/A-1b" test $? -eq 0
echo "   $(printf '%s\n' "$out" | tail -1)"
printf '%s\n' "$out" | head -20 | grep -v '^preflight:' >&2
t2=$(now_ms)

out=$("$PY" "$TAGS" "${pdfs[@]}" 2>&1)
check "check_tags: every packet and piece" test $? -eq 0
echo "   $(printf '%s\n' "$out" | tail -1)"
printf '%s\n' "$out" | head -20 | grep -v '^check_tags:' >&2
t3=$(now_ms)
echo "   rnpack $((t1 - t0)) ms, Preflight $((t2 - t1)) ms, check_tags $((t3 - t2)) ms"

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
check "check_tags: a right-to-left cluster read back in order" \
	"$PY" -c 'import sys; sys.path.insert(0, sys.argv[1]); import check_tags
assert check_tags.unreverse("ab\u0627\u0644\u0645cd\u0627\u0644\u0645",
    ["\u0627\u0644\u0645"]) == "ab\u0645\u0644\u0627cd\u0627\u0644\u0645"' \
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
