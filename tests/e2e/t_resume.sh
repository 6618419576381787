# t_resume.sh - crash-safe, resumable runs (issue 6; README "Re-running
# and resuming"): the digests and version in report.json, a batch killed
# with SIGKILL and run again, and which changes make a case render again.

good="$SAMPLES/complete-red-notice.xml"
N=60
FONTS="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf
/usr/share/fonts/truetype/dejavu/DejaVuSans-BoldOblique.ttf"

qpdf_ok() { qpdf --check "$1" >/dev/null 2>&1; }
sha() { sha256sum "$1" | cut -c1-64; }

# gen DIR N: N distinct complete cases R-001... (like bench/run.sh).
gen() {
	local i
	mkdir -p "$1"
	for i in $(seq -f %03g 1 "$2"); do
		sed "s/id=\"HOU-2024-00017\"/id=\"R-$i\"/" "$good" > "$1/r$i.xml"
	done
}

# templates_digest DIR: what report.json's rnpack.templates must be, from
# the documented recipe: sha256sum over the templates used and
# representation.rules (relative names, byte order), then the four fonts.
templates_digest() {
	{ (cd "$1" && find . \( -name '*.tmpl' -o -name representation.rules \) |
	    sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum)
	  echo "$FONTS" | xargs sha256sum; } | sha256sum | cut -c1-64
}

# state OUT: one line per file of the case folders: name, inode, mtime,
# size (a file rewritten, even with the same bytes, gets a new inode).
state() {
	(cd "$1" && find . -mindepth 2 -type f ! -path './mail/*' \
	    -printf '%p %i %T@ %s\n' | LC_ALL=C sort)
}

# sums OUT: sha256sum of the case folders' files and the summaries.
sums() {
	(cd "$1" && find . -type f ! -path './mail/*' ! -name '.mail-state*' ! -name .lock |
	    LC_ALL=C sort | xargs sha256sum)
}

# rendered_ok OUT: every case folder's .rendered.sha256 verifies.
rendered_ok() {
	local f
	for f in "$1"/*/report.json; do
		(cd "$(dirname "$f")" && sha256sum --quiet -c .rendered.sha256) \
		    >/dev/null 2>&1 || { echo "$f"; return 1; }
	done
}

kept_line() { grep -o '[0-9]* of [0-9]* cases\? unchanged' "$E2E_TMP/last.stderr"; }

# ---- digests and version ---------------------------------------------

d=$(scratch)
rn -o "$d/out" "$good"
r="$d/out/HOU-2024-00017/report.json"
assert_eq "report.json: rnpack.version is --version's" \
	"$("$RNPACK" --version | awk '{ print $2 }')" "$(json "$r" .rnpack.version)"
assert_eq "report.json: rnpack.input is the input's SHA-256" \
	"$(sha "$good")" "$(json "$r" .rnpack.input)"
assert_eq "report.json: rnpack.templates covers templates and fonts" \
	"$(templates_digest "$RNPACK_SRC/templates")" "$(json "$r" .rnpack.templates)"
assert_eq "report.json: no --policy is built-in" built-in "$(json "$r" .rnpack.policy)"
assert_eq "report.json: every documented member still there, rnpack last" \
	"case source asOf status steps findings documents responseDue pieces rnpack" \
	"$(jq -r 'keys_unsorted | join(" ")' "$r")"
check "report.json: .rendered.sha256 verifies the case folder" rendered_ok "$d/out"
POL="$SAMPLES/policy/houston-mail.xml"
rn --check-only --policy "$POL" -o "$d/pol" "$good"
assert_eq "report.json: rnpack.policy is the policy file's SHA-256" \
	"$(sha "$POL")" "$(json "$d/pol/HOU-2024-00017/report.json" .rnpack.policy)"
check "--check-only writes no .rendered.sha256" \
	test ! -e "$d/pol/HOU-2024-00017/.rendered.sha256"

# ---- killed with SIGKILL, then the same command again ------------------

d=$(scratch)
gen "$d/in" "$N"
OUT="$d/out"
cmd=("$RNPACK" --as-of "$AS_OF" -j 2 -o "$OUT" "$d/in")
"${cmd[@]}" 2>/dev/null &
pid=$!
# Kill once a few cases are finished (10 s at most).
for _ in $(seq 1000); do
	n=$(find "$OUT" -name .rendered.sha256 2>/dev/null | wc -l)
	[ "$n" -ge 3 ] && break
	sleep 0.01
done
kill -9 "$pid" 2>/dev/null
{ wait "$pid"; } 2>/dev/null
assert_eq "SIGKILL: killed (status 137)" 137 "$?"
n=$(find "$OUT" -name packet.pdf | wc -l)
check "SIGKILL: landed mid-batch ($n of $N packets)" test "$n" -gt 0 -a "$n" -lt "$N"
check "SIGKILL: no summary yet" test ! -e "$OUT/summary.json"
# Only finished files under their own names; anything else is one of
# outdir's temporaries (hidden, .tmp.PID.N), never a half-written packet.
assert_eq "SIGKILL: only final names or .tmp.* temporaries" "" \
	"$(cd "$OUT" && find . -type f ! -name packet.pdf ! -name report.json \
	    ! -name 'mail-*.pdf' ! -name .rendered.sha256 ! -name '.mail-state*' \
	    ! -name '.tmp.*' ! -name '.lock' | tr '\n' ' ')"
bad=""
for p in $(find "$OUT" -name packet.pdf -o -name 'mail-*.pdf'); do
	qpdf_ok "$p" || bad="$bad $p"
done
assert_eq "SIGKILL: every PDF there is whole (qpdf --check)" "" "$bad"
done_before=$(ls "$OUT"/*/.rendered.sha256 2>/dev/null | wc -l)
echo "   killed after $n packets, $done_before finished"
before=$(state "$OUT")
finished=$(for f in "$OUT"/*/.rendered.sha256; do dirname "$f"; done |
	xargs -n1 basename 2>/dev/null | LC_ALL=C sort)

"${cmd[@]}" 2>"$E2E_TMP/last.stderr"
assert_eq "re-run: exit status of an uninterrupted run" 0 "$?"
assert_eq "re-run: no temporary file left" "" "$(find "$OUT" -name '.tmp.*')"
bad=""
for i in $(seq -f %03g 1 "$N"); do
	qpdf_ok "$OUT/R-$i/packet.pdf" || bad="$bad R-$i"
done
assert_eq "re-run: every case has a valid packet.pdf" "" "$bad"
assert_eq "re-run: summary.json lists every input once, in order" \
	"$(cd "$d/in" && ls | LC_ALL=C sort | sed "s|^|$d/in/|")" \
	"$(jq -r '.[].source' "$OUT/summary.json")"
assert_eq "re-run: says how many cases were kept" \
	"$done_before of $N cases unchanged" "$(kept_line)"
# The packets finished before the kill are the same files (inode, mtime).
assert_eq "re-run: packets finished before the kill not rewritten" \
	"$(echo "$before" | grep -F -f <(echo "$finished" | sed 's|.*|./&/|'))" \
	"$(state "$OUT" | grep -F -f <(echo "$finished" | sed 's|.*|./&/|'))"
check "re-run: every .rendered.sha256 verifies" rendered_ok "$OUT"
# And everything is what one uninterrupted run writes.
"$RNPACK" --as-of "$AS_OF" -j 2 -o "$d/ref" "$d/in" 2>/dev/null
same=$(cd "$d/ref" && find . -type f ! -name '.mail-state.lock' ! -name '.lock' | LC_ALL=C sort |
	while read -r f; do cmp -s "$f" "$OUT/$f" || echo "$f"; done)
assert_eq "re-run: same bytes as an uninterrupted run" "" "$same"

# ---- nothing changed: nothing rendered, nothing rewritten --------------

before=$(state "$OUT")
sums=$(sums "$OUT")
"${cmd[@]}" 2>"$E2E_TMP/last.stderr"
assert_eq "unchanged: exit status" 0 "$?"
assert_eq "unchanged: every case kept" "$N of $N cases unchanged" "$(kept_line)"
assert_eq "unchanged: no case file rewritten" "$before" "$(state "$OUT")"
assert_eq "unchanged: reports, packets, summaries byte-identical" "$sums" \
	"$(sums "$OUT")"
check "unchanged: the per-case lines are still there" \
	test "$(grep -c ': complete$' "$E2E_TMP/last.stderr")" -eq "$N"

# ---- one input edited: that case only ----------------------------------

sed -i 's|<phone>713-555-0100</phone>|<phone>713-555-0199</phone>|' "$d/in/r007.xml"
before=$(state "$OUT")
"${cmd[@]}" 2>"$E2E_TMP/last.stderr"
assert_eq "edited input: exit status" 0 "$?"
assert_eq "edited input: the others kept" "$((N - 1)) of $N cases unchanged" "$(kept_line)"
assert_eq "edited input: only its folder rewritten" "./R-007" \
	"$(diff <(echo "$before") <(state "$OUT") | sed -n 's|^> \(\./[^/]*\)/.*|\1|p' | sort -u)"
assert_eq "edited input: report has the new digest" "$(sha "$d/in/r007.xml")" \
	"$(json "$OUT/R-007/report.json" .rnpack.input)"
check "edited input: the new number is in the packet" \
	bash -c "pdftotext '$OUT/R-007/packet.pdf' - 2>/dev/null | grep -q 713-555-0199"

# ---- a packet or piece changed on disk: that case rendered again ------
# The proof names every file's digest: a packet left by another run, or
# a damaged one, is never taken for this report's.

good_packet=$(sha "$OUT/R-005/packet.pdf")
printf 'x' >>"$OUT/R-005/packet.pdf"
cp "$OUT/R-002/mail-subject.pdf" "$OUT/R-006/mail-subject.pdf"
"${cmd[@]}" 2>"$E2E_TMP/last.stderr"
assert_eq "damaged files: exit status" 0 "$?"
assert_eq "damaged files: the two cases rendered again" \
	"$((N - 2)) of $N cases unchanged" "$(kept_line)"
assert_eq "damaged files: the packet is whole again" "$good_packet" \
	"$(sha "$OUT/R-005/packet.pdf")"
check "damaged files: every proof verifies" rendered_ok "$OUT"

# ---- complete -> blocked: no stale notice or mail piece ----------------

sed -i 's|<training completedOn="[^"]*"[^>]*/>||' "$d/in/r008.xml"
"${cmd[@]}" 2>"$E2E_TMP/last.stderr"
assert_eq "now blocked: exit status" 1 "$?"
assert_eq "now blocked: report says so" blocked "$(json "$OUT/R-008/report.json" .status)"
assert_eq "now blocked: its mail pieces are gone" "" "$(ls "$OUT/R-008" | grep mail-)"
"$RNPACK" --as-of "$AS_OF" -o "$d/ref8" "$d/in/r008.xml" 2>/dev/null
check "now blocked: the packet is the blocked case's" \
	cmp -s "$d/ref8/R-008/packet.pdf" "$OUT/R-008/packet.pdf"
check "now blocked: .rendered.sha256 verifies" rendered_ok "$OUT"

# ---- another as-of date, --force, templates ----------------------------

# --check-only with another date rewrites report.json but renders
# nothing; a full run with that date must not take the old packets for
# its own (their .rendered.sha256 names the old report).
"$RNPACK" --as-of 2024-03-15 --check-only -j 2 -o "$OUT" "$d/in" 2>/dev/null
check "--check-only: leaves the proofs, which now fail" \
	bash -c "! (cd '$OUT/R-001' && sha256sum --quiet -c .rendered.sha256) >/dev/null 2>&1"
"$RNPACK" --as-of 2024-03-15 -j 2 -o "$OUT" "$d/in" 2>"$E2E_TMP/last.stderr"
assert_eq "other --as-of: every case rendered again" "" "$(kept_line)"
check "other --as-of: every .rendered.sha256 verifies" rendered_ok "$OUT"
"$RNPACK" --as-of 2024-03-15 -o "$d/ref15" "$d/in/r001.xml" 2>/dev/null
check "other --as-of: the packet is that date's" \
	cmp -s "$d/ref15/R-001/packet.pdf" "$OUT/R-001/packet.pdf"

before=$(state "$OUT")
sums=$(sums "$OUT")
"$RNPACK" --as-of 2024-03-15 --force -j 2 -o "$OUT" "$d/in" 2>"$E2E_TMP/last.stderr"
assert_eq "--force: nothing kept" "" "$(kept_line)"
check "--force: every packet written again" \
	test -z "$(comm -12 <(echo "$before" | grep packet.pdf) <(state "$OUT" | grep packet.pdf))"
assert_eq "--force: the same bytes" "$sums" "$(sums "$OUT")"

# A copy of the templates with the same bytes is the same templates; a
# changed one renders every case again.
cp -R "$RNPACK_SRC/templates" "$d/tmpl"
"$RNPACK" --as-of 2024-03-15 --templates "$d/tmpl" -j 2 -o "$OUT" "$d/in" 2>"$E2E_TMP/last.stderr"
assert_eq "same templates elsewhere: every case kept" "$N of $N cases unchanged" "$(kept_line)"
printf '\n' >> "$d/tmpl/usncb-request.tmpl"
"$RNPACK" --as-of 2024-03-15 --templates "$d/tmpl" -j 2 -o "$OUT" "$d/in" 2>"$E2E_TMP/last.stderr"
assert_eq "changed template: every case rendered again" "" "$(kept_line)"
assert_eq "changed template: the report has the new digest" \
	"$(templates_digest "$d/tmpl")" "$(json "$OUT/R-001/report.json" .rnpack.templates)"
# The representation rules decide what a packet holds: a change to them
# evaluates and renders every case again.
"$RNPACK" --as-of 2024-03-15 --templates "$d/tmpl" -j 2 -o "$OUT" "$d/in" 2>"$E2E_TMP/last.stderr"
printf '# a comment\n' >> "$d/tmpl/representation.rules"
"$RNPACK" --as-of 2024-03-15 --templates "$d/tmpl" -j 2 -o "$OUT" "$d/in" 2>"$E2E_TMP/last.stderr"
assert_eq "changed representation.rules: every case rendered again" "" "$(kept_line)"
assert_eq "changed representation.rules: the report has the new digest" \
	"$(templates_digest "$d/tmpl")" "$(json "$OUT/R-001/report.json" .rnpack.templates)"

# ---- a rebuilt program renders again -----------------------------------

# The proof names the program that rendered the case (the SHA-256 of its
# file, as a comment line that sha256sum -c skips).  A rebuilt program
# with the same version, here the same binary with one byte appended,
# renders every case again; run again, it keeps them.
d=$(scratch)
gen "$d/in" 3
rn -o "$d/out" "$d/in"
check "build: the proof's first line names the program" \
	test "$(head -n 1 "$d/out/R-001/.rendered.sha256")" = \
	"# rnpack build $(sha256sum "$RNPACK" | cut -c1-64)"
mkdir "$d/prog"
cp "$RNPACK" "$d/prog/rnpack"
printf '\0' >> "$d/prog/rnpack"
ln -s "$RNPACK_SRC/schema" "$d/prog/schema"
ln -s "$RNPACK_SRC/templates" "$d/prog/templates"
"$d/prog/rnpack" --as-of "$AS_OF" -o "$d/out" "$d/in" 2>"$E2E_TMP/last.stderr"
assert_eq "rebuilt program: exit status" 0 "$?"
assert_eq "rebuilt program: every case rendered again" "" "$(kept_line)"
"$d/prog/rnpack" --as-of "$AS_OF" -o "$d/out" "$d/in" 2>"$E2E_TMP/last.stderr"
assert_eq "rebuilt program, run again: every case kept" \
	"3 of 3 cases unchanged" "$(kept_line)"
check "rebuilt program: every .rendered.sha256 verifies" rendered_ok "$d/out"

# ---- barcodes: a piece given a new serial is never kept ----------------

d=$(scratch)
gen "$d/in" 3
rn --policy "$POL" -o "$d/out" "$d/in"
rn --policy "$POL" -o "$d/out" "$d/in"
assert_eq "barcodes: issued pieces keep their serial, cases kept" \
	"3 of 3 cases unchanged" "$(kept_line)"
# Without the mail state the serials are handed out again: render.
rm -f "$d/out/.mail-state"
rn --policy "$POL" -o "$d/out" "$d/in"
assert_eq "barcodes: lost mail state, every case rendered again" "" "$(kept_line)"
