# t_hostile.sh - hostile and malformed inputs, and legal encodings.
#
# Every hostile input runs in a batch TOGETHER with the known-good case
# (samples/complete-red-notice.xml, HOU-2024-00017), and must:
#   - finish within 60 s, without a crash (status < 128), with status 2;
#   - be "invalid" in summary.json with an "invalid-input" finding that
#     has a numeric line and a message (printed below for a human);
#   - not stop the good case from getting a "complete" report.json;
#   - write nothing outside OUT, and no case folder for itself;
#   - never open the canary files it names (a FIFO that notices being
#     opened, a TCP listener that notices a connection), and never let
#     entity or file content reach any output.
# The legal encodings of the same case must give the same report.
#
# Sourced by run.sh (inside a subshell, cwd $E2E_TMP) after lib.sh.
# Everything big or strange is generated here; nothing is stored.

GOOD="$SAMPLES/complete-red-notice.xml"
GOOD_ID=HOU-2024-00017
FAMILY='<familyName>Ramírez Núñez</familyName>'
ROOT='<case xmlns="urn:rnpack:case:1" id="HOU-2024-00017">'
XI='http://www.w3.org/2001/XInclude'

# ------------------------------------------------------------------
# Canaries, set up once for the whole file.
#   $CANARY/secret.txt  a file whose content must never be output
#   $CANARY/fifo        a FIFO; a background writer blocks in open()
#                       until someone opens the FIFO, then leaves a flag
#   http://127.0.0.1:$CANARY_PORT/  a listener that flags any connection
# Nothing may ever be created inside $CANARY.

CANARY=$(mktemp -d /tmp/xxe-canary-XXXXXX)
FLAGS=$(mktemp -d "$E2E_TMP/flags.XXXXXX")
SECRET="rnpack-xxe-secret-$RANDOM$RANDOM"
PASSWD_LINE=$(head -n 1 /etc/passwd)		# e.g. root:x:0:0:...
printf '%s\n' "$SECRET" > "$CANARY/secret.txt"
mkfifo "$CANARY/fifo"
FIFO_PID= NET_PID= CANARY_PORT=9 NOBODY_DIR=

arm_fifo() {
	rm -f "$FLAGS/fifo-opened"
	( exec 3>"$CANARY/fifo" && echo opened > "$FLAGS/fifo-opened" ) &
	FIFO_PID=$!
}
arm_fifo

# A listener for external DTDs over HTTP (python3 is only used here).
if command -v python3 >/dev/null 2>&1; then
	python3 - "$FLAGS/net" <<'EOF' &
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(5)
open(sys.argv[1] + ".port.tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".port.tmp", sys.argv[1] + ".port")
while True:
    c, _ = s.accept()
    open(sys.argv[1], "a").write("connected\n")
    c.close()
EOF
	NET_PID=$!
	for _ in $(seq 50); do
		[ -f "$FLAGS/net.port" ] && break
		sleep 0.1
	done
	if [ -f "$FLAGS/net.port" ]; then
		CANARY_PORT=$(cat "$FLAGS/net.port")
	else
		kill "$NET_PID" 2>/dev/null
		NET_PID=
	fi
fi
[ -n "$NET_PID" ] ||
    echo "   SKIP the HTTP listener canary: python3 listener not running"
CANARY_LIST=$(cd "$CANARY" && find . | LC_ALL=C sort)

cleanup_hostile() {
	[ -n "$FIFO_PID" ] && kill "$FIFO_PID" 2>/dev/null
	[ -n "$NET_PID" ] && kill "$NET_PID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$CANARY"
	[ -n "$NOBODY_DIR" ] && rm -rf "$NOBODY_DIR"
}
trap cleanup_hostile EXIT	# this file runs in run.sh's subshell

# ------------------------------------------------------------------
# Building inputs.

# good_with OLD NEW: the good case with the first OLD replaced by NEW
# (literally: no regex, no & or \ magic).
good_with() {
	OLD=$1 NEW=$2 perl -0777 -pe 's/\Q$ENV{OLD}\E/$ENV{NEW}/' "$GOOD"
}

# with_doctype DOCTYPE FAMILY_TEXT: a DOCTYPE before <case>, and the
# family name replaced (usually by an entity reference).
with_doctype() {
	OLD=$ROOT NEW="$1
$ROOT" F=$FAMILY G="<familyName>$2</familyName>" perl -0777 -pe \
	    's/\Q$ENV{OLD}\E/$ENV{NEW}/; s/\Q$ENV{F}\E/$ENV{G}/' "$GOOD"
}

# ------------------------------------------------------------------
# Running a batch.  The layout nests the work folder three levels deep
# inside the scratch folder, so that a "../" escape from OUT or from the
# working directory still lands inside $BATCH, where the snapshot
# comparison sees it:
#   $BATCH/a/b/c/          cwd of rnpack ($WORK)
#   $BATCH/a/b/c/in/       the input folder ($IN), good.xml inside
#   $BATCH/a/b/c/OUT/      the output folder ($OUT)

new_batch() {
	BATCH=${1:-$(scratch)}
	WORK=$BATCH/a/b/c
	IN=$WORK/in
	OUT=$WORK/OUT
	mkdir -p "$IN"
	cp "$GOOD" "$IN/good.xml"
}

# snapshot: every path under $BATCH except inside OUT.
snapshot() {
	find "$BATCH" -path "$OUT" -prune -o -print 2>/dev/null | LC_ALL=C sort
}

# run_batch ARGS...: rnpack in $WORK, -o OUT, bounded by timeout.
# Sets RC, SECS and BEFORE (the snapshot taken just before).  $RUN_AS
# may hold a command prefix (setpriv ...).
run_batch() {
	local t0 t1
	BEFORE=$(snapshot)
	t0=$(date +%s%N)
	( cd "$WORK" && exec ${RUN_AS:-} timeout -k 5 60 "$RNPACK" \
	    --as-of "$AS_OF" -o OUT "$@" ) \
	    >"$E2E_TMP/last.stdout" 2>"$E2E_TMP/last.stderr"
	RC=$?
	t1=$(date +%s%N)
	SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
}

# expected_sources ARGS...: the sources summary.json must list, in
# order: a folder gives its *.xml entries (not hidden) by byte order.
expected_sources() {
	local a
	for a in "$@"; do
		if [ -d "$WORK/$a" ]; then
			(cd "$WORK/$a" && LC_ALL=C ls -1a) |
			    grep -E '^[^.].*\.xml$' | sed "s|^|$a/|"
		else
			echo "$a"
		fi
	done
}

# Assertions shared by every run.
no_string_in_output() {	# STRING: absent from OUT and the console
	local pdf
	# PDFs are binary and compressed: search the text a reader sees.
	for pdf in $(find "$OUT" -name '*.pdf'); do
		pdftotext "$pdf" - 2>/dev/null | grep -qaF -- "$1" && return 1
	done
	! grep -rqaF --exclude='*.pdf' -- "$1" "$OUT" "$E2E_TMP/last.stdout" \
	    "$E2E_TMP/last.stderr"
}
valid_utf8() {		# FILE
	iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1
}
jq_ok() {		# jq -e ARGS..., quietly
	jq -e "$@" >/dev/null 2>&1
}
summary_entry() {	# SOURCE FILTER
	jq -r --arg s "$1" "[.[] | select(.source == \$s)] | .[0] | $2" \
	    "$OUT/summary.json" 2>/dev/null
}

# assert_run_sane LABEL: no timeout, no crash, nothing outside OUT,
# canaries untouched, outputs valid UTF-8 without raw bidi controls.
assert_run_sane() {
	local label=$1 after f
	if [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then
		fail "$label: rnpack did not finish within 60 s"
	else
		pass
	fi
	check "$label: no crash (exit status $RC < 128)" test "$RC" -lt 128
	after=$(snapshot)
	assert_eq "$label: new files outside OUT" "" \
	    "$(comm -13 <(echo "$BEFORE") <(echo "$after") | tr '\n' ' ')"
	assert_eq "$label: canary folder unchanged" "$CANARY_LIST" \
	    "$(cd "$CANARY" && find . | LC_ALL=C sort)"
	for f in "$OUT/summary.json" "$OUT/summary.csv" \
	    "$E2E_TMP/last.stderr"; do
		check "$label: $(basename "$f") is valid UTF-8" valid_utf8 "$f"
	done
	# U+202E RIGHT-TO-LEFT OVERRIDE must be escaped wherever it goes.
	check "$label: no raw U+202E in any output" \
	    no_string_in_output $'\xe2\x80\xae'
}

# assert_good_complete LABEL: the good case in the same run.
assert_good_complete() {
	local label=$1
	assert_eq "$label: good case in summary" complete \
	    "$(summary_entry in/good.xml .status)"
	assert_eq "$label: good case report.json" complete \
	    "$(json "$OUT/$GOOD_ID/report.json" .status 2>/dev/null)"
}

# expect_rejected LABEL SOURCE ARGS...: run the batch ARGS; SOURCE (as
# rnpack names it) must be invalid with a proper invalid-input finding.
# Strings in the array SECRETS must appear in no output.
expect_rejected() {
	local label=$1 src=$2 s msg line dirs
	shift 2
	run_batch "$@"
	assert_run_sane "$label"
	assert_eq "$label: exit status" 2 "$RC"
	assert_eq "$label: summary sources in input order" \
	    "$(expected_sources "$@" | tr '\n' ' ')" \
	    "$(jq -r '.[].source' "$OUT/summary.json" 2>/dev/null | tr '\n' ' ')"
	assert_eq "$label: status" invalid "$(summary_entry "$src" .status)"
	check "$label: invalid-input finding with a numeric line and a message" \
	    jq_ok --arg s "$src" '[.[] | select(.source == $s) | .findings[]
	    | select(.code == "invalid-input" and (.line | type) == "number"
	    and (.message | type) == "string" and (.message | length) > 0)]
	    | length >= 1' "$OUT/summary.json"
	assert_good_complete "$label"
	# An invalid input gets no folder: OUT holds the good case only
	# (and, in a full run, perhaps the run's own "mail" folder).
	dirs=$(cd "$OUT" 2>/dev/null && find . -mindepth 1 -maxdepth 1 \
	    -type d ! -name mail | sort | tr '\n' ' ')
	assert_eq "$label: case folders in OUT" "./$GOOD_ID " "$dirs"
	for s in "${SECRETS[@]}"; do
		check "$label: no [$s] in any output" no_string_in_output "$s"
	done
	# For the human: what a clerk would read (ASCII-escaped JSON).
	line=$(summary_entry "$src" '.findings[0].line')
	msg=$(jq -a --arg s "$src" '[.[] | select(.source == $s)] | .[0]
	    | .findings[0].message' "$OUT/summary.json" 2>/dev/null)
	echo "   $label (${SECS}s, status $RC): line $line: $msg"
}

# After a run whose input names the FIFO or the listener: neither was
# touched.  (The flags are written by other processes: wait a moment.)
assert_canaries_quiet() {
	local label=$1
	sleep 0.2
	if [ -e "$FLAGS/fifo-opened" ]; then
		fail "$label: rnpack opened $CANARY/fifo"
		arm_fifo
	else
		pass
	fi
	if [ -n "$NET_PID" ]; then
		check "$label: no connection to 127.0.0.1:$CANARY_PORT" \
		    test ! -e "$FLAGS/net"
		rm -f "$FLAGS/net"
	fi
}

SECRETS=("$SECRET" "$PASSWD_LINE")

# ------------------------------------------------------------------
# Hostile inputs.  Each function builds one (or two) in a fresh batch.

# 1. XXE: an internal subset declaring external entities that point at
# /etc/passwd, at our secret file and at the FIFO, used in familyName.
# Proves: DOCTYPEs are refused and no entity is ever read or expanded.
t_xxe_local_file() {
	new_batch
	with_doctype '<!DOCTYPE case [<!ENTITY x SYSTEM "file:///etc/passwd">]>' \
	    '&x;' > "$IN/xxe-passwd.xml"
	expect_rejected "xxe /etc/passwd" in/xxe-passwd.xml in
	new_batch
	with_doctype "<!DOCTYPE case [<!ENTITY x SYSTEM \"file://$CANARY/secret.txt\"><!ENTITY y SYSTEM \"file://$CANARY/fifo\">]>" \
	    '&x;&y;' > "$IN/xxe-secret.xml"
	expect_rejected "xxe secret file" in/xxe-secret.xml in
	assert_canaries_quiet "xxe secret file"
	# The same through a parameter entity, expanded inside the subset.
	new_batch
	with_doctype "<!DOCTYPE case [<!ENTITY % p SYSTEM \"file://$CANARY/fifo\"> %p;]>" \
	    'Ramírez' > "$IN/xxe-param.xml"
	expect_rejected "xxe parameter entity" in/xxe-param.xml in
	assert_canaries_quiet "xxe parameter entity"
}

# 2. External DTDs, over HTTP (the discard port, and a listener that
# notices a connection) and as file:// (the FIFO).
# Proves: no DTD is fetched from the network or the disk.
t_external_dtd() {
	new_batch
	with_doctype '<!DOCTYPE case SYSTEM "http://127.0.0.1:9/x.dtd">' \
	    'Ramírez' > "$IN/dtd-http9.xml"
	expect_rejected "external DTD http :9" in/dtd-http9.xml in
	new_batch
	with_doctype "<!DOCTYPE case SYSTEM \"http://127.0.0.1:$CANARY_PORT/x.dtd\">" \
	    'Ramírez' > "$IN/dtd-http.xml"
	expect_rejected "external DTD http listener" in/dtd-http.xml in
	assert_canaries_quiet "external DTD http listener"
	new_batch
	with_doctype "<!DOCTYPE case PUBLIC \"-//x//DTD y//EN\" \"file://$CANARY/fifo\">" \
	    'Ramírez' > "$IN/dtd-file.xml"
	expect_rejected "external DTD file://" in/dtd-file.xml in
	assert_canaries_quiet "external DTD file://"
}

# 3. Billion laughs: ten levels of ten, 10^9 "lol"s if expanded.
# Proves: no entity expansion (fast, small memory, nothing in output).
t_billion_laughs() {
	local d='<!DOCTYPE case [<!ENTITY a "lol">' prev=a l
	for l in b c d e f g h i j; do
		d="$d<!ENTITY $l \"$(printf "&$prev;%.0s" $(seq 10))\">"
		prev=$l
	done
	new_batch
	with_doctype "$d]>" '&j;' > "$IN/laughs.xml"
	SECRETS=("$SECRET" "lollollol")
	expect_rejected "billion laughs" in/laughs.xml in
	SECRETS=("$SECRET" "$PASSWD_LINE")
}

# 4. Deep nesting: 100000 nested elements inside <notes>, and 100000
# unclosed ones as garbage directly under <case>.
# Proves: the depth limit holds (no stack overflow) and is reported.
t_deep_nesting() {
	local n=100000
	new_batch
	{
		sed '/<notes>/,$d' "$GOOD"
		printf '    <notes>'
		yes '<x>' | head -n $n | tr -d '\n'
		yes '</x>' | head -n $n | tr -d '\n'
		printf '</notes>\n'
		sed '1,/<notes>/d' "$GOOD"
	} > "$IN/deep-notes.xml"
	expect_rejected "deep nesting in notes" in/deep-notes.xml in
	new_batch
	{
		sed '/<subject>/,$d' "$GOOD"
		yes '<g>' | head -n $n
	} > "$IN/deep-garbage.xml"
	expect_rejected "deep nesting under case" in/deep-garbage.xml in
}

# 5. An empty file.
t_empty_file() {
	new_batch
	: > "$IN/empty.xml"
	expect_rejected "empty file" in/empty.xml in
}

# 6. The good case cut in half (it keeps the good id: the id must not
# be taken from a file that is not complete).
t_truncated() {
	new_batch
	head -c $(($(wc -c < "$GOOD") / 2)) "$GOOD" > "$IN/cut.xml"
	expect_rejected "truncated file" in/cut.xml in
}

# 7. Invalid UTF-8 bytes (0xFF 0xFE) inside the family name.
# Proves: rejected, and the bytes are not copied into any output.
t_invalid_utf8() {
	new_batch
	good_with "$FAMILY" $'<familyName>Ram\xff\xfeez</familyName>' \
	    > "$IN/bad-utf8.xml"
	expect_rejected "invalid UTF-8 in a name" in/bad-utf8.xml in
	check "invalid UTF-8: no 0xFF byte in any output" \
	    no_string_in_output $'\xff'
}

# 8. A NUL byte and garbage after the root element (libxml2 stops at
# the NUL and reports success unless the bytes consumed are checked).
t_nul_after_root() {
	new_batch
	{ cat "$GOOD"; printf '\0'; printf '<evil>garbage</evil>\n'; } \
	    > "$IN/nul.xml"
	expect_rejected "NUL after the root" in/nul.xml in
}

# 9. The good case gzip-compressed, named .xml.  libxml2's I/O layer
# would inflate it; then it would be a valid case with the good id.
t_gzip() {
	new_batch
	gzip -c "$GOOD" > "$IN/compressed.xml"
	expect_rejected "gzip named .xml" in/compressed.xml in
}

# 10. A 50 MB text node inside <notes> (generated, deleted after).
# Proves: size/text limits hold and the run stays fast.
t_huge_text() {
	new_batch
	{
		sed '/<notes>/,$d' "$GOOD"
		printf '    <notes>'
		head -c 50000000 /dev/zero | tr '\0' 'A'
		printf '</notes>\n'
		sed '1,/<notes>/d' "$GOOD"
	} > "$IN/huge.xml"
	expect_rejected "50 MB text node" in/huge.xml in
	check "50 MB text node: run under 20 s" \
	    awk -v s="$SECS" 'BEGIN { exit !(s < 20) }'
	rm -f "$IN/huge.xml"
}

# 11. A case id that is a path: ../../x (and one going further up).
# Proves: the id is checked before it names a folder; the nested layout
# makes any escape land inside $BATCH, where the snapshot sees it.
t_path_id() {
	new_batch
	good_with 'id="HOU-2024-00017"' 'id="../../x"' > "$IN/path-id.xml"
	expect_rejected "case id ../../x" in/path-id.xml in
	check "case id ../../x: no x anywhere in the batch" \
	    test -z "$(find "$BATCH" -name x)"
	new_batch
	good_with 'id="HOU-2024-00017"' 'id="../../../../../../../tmp/xxe-canary-x"' \
	    > "$IN/path-id2.xml"
	expect_rejected "case id ../../../tmp/..." in/path-id2.xml in
	check "case id ../../../tmp/...: no /tmp/xxe-canary-x" \
	    test ! -e /tmp/xxe-canary-x
}

# 12. U+202E RIGHT-TO-LEFT OVERRIDE inside the family name.
# Proves: format characters are refused (docs/case-format.md) and the
# character is not echoed raw (assert_run_sane checks every output).
t_rlo_name() {
	new_batch
	good_with "$FAMILY" $'<familyName>Ram\xe2\x80\xaez\xc3\xadnez</familyName>' \
	    > "$IN/rlo.xml"
	expect_rejected "U+202E in a name" in/rlo.xml in
}

# 13. A FIFO named case.xml, with no writer: opening it must not wait.
t_fifo() {
	new_batch
	mkfifo "$IN/case.xml"
	expect_rejected "FIFO named case.xml" in/case.xml in
}

# 14. A symlink z.xml to /dev/zero (endless input), and one to our
# secret file (its content must not be echoed).
t_symlink_dev_zero() {
	new_batch
	ln -s /dev/zero "$IN/z.xml"
	expect_rejected "symlink to /dev/zero" in/z.xml in
	new_batch
	ln -s "$CANARY/secret.txt" "$IN/secret-link.xml"
	expect_rejected "symlink to a secret text file" in/secret-link.xml in
}

# 15. A folder named dir.xml inside the input folder.
t_folder_named_xml() {
	new_batch
	mkdir "$IN/dir.xml"
	cp "$GOOD" "$IN/dir.xml/inner.xml"	# folders are not recursed
	expect_rejected "folder named dir.xml" in/dir.xml in
}

# 16. An unreadable file (mode 000).  Its content is a valid case with
# another id, so a read that should have failed shows up as "complete".
# root reads through mode 000, so as root the batch runs as "nobody"
# (setpriv) in a folder nobody may use; if that is impossible the
# scenario is skipped, loudly, rather than faked.
t_unreadable() {
	if [ "$(id -u)" -ne 0 ]; then
		new_batch
		good_with "$GOOD_ID" HOU-2024-00099 > "$IN/locked.xml"
		chmod 000 "$IN/locked.xml"
		expect_rejected "unreadable file (mode 000)" in/locked.xml in
		return
	fi
	if ! command -v setpriv >/dev/null ||
	    ! setpriv --reuid=65534 --regid=65534 --clear-groups \
	    test -x "$RNPACK"; then
		echo "   SKIP unreadable file: running as root and cannot run" \
		    "rnpack as nobody (mode 000 does not stop root)"
		return
	fi
	NOBODY_DIR=$(mktemp -d /tmp/rnpack-e2e-nobody.XXXXXX)
	new_batch "$NOBODY_DIR"
	good_with "$GOOD_ID" HOU-2024-00099 > "$IN/locked.xml"
	chmod -R a+rX "$NOBODY_DIR"
	chmod 000 "$IN/locked.xml"
	chown 65534:65534 "$WORK"	# so nobody can create OUT
	RUN_AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
	expect_rejected "unreadable file (mode 000, as nobody)" \
	    in/locked.xml in
	RUN_AS=
	rm -rf "$NOBODY_DIR"
	NOBODY_DIR=
}

# 17. Files that are not cases: an XHTML page, and the good case in a
# wrong namespace (urn:rnpack:case:2).
t_not_a_case() {
	new_batch
	cat > "$IN/page.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
  <head><title>Not a case</title></head>
  <body><p>Ramírez Núñez</p></body>
</html>
EOF
	expect_rejected "XHTML document" in/page.xml in
	new_batch
	good_with 'urn:rnpack:case:1' 'urn:rnpack:case:2' > "$IN/ns2.xml"
	expect_rejected "wrong namespace" in/ns2.xml in
}

# 18. XInclude: <xi:include> of /etc/passwd in familyName, of the secret
# as text in givenName, and of the FIFO in the notes.
# Proves: XInclude is not processed (the schema refuses the element).
t_xinclude() {
	new_batch
	good_with "$FAMILY" "<familyName><xi:include xmlns:xi=\"$XI\" href=\"file:///etc/passwd\" parse=\"text\"/></familyName>" |
	    OLD='<givenName>José Luis</givenName>' \
	    NEW="<givenName><xi:include xmlns:xi=\"$XI\" href=\"$CANARY/secret.txt\" parse=\"text\"/></givenName>" \
	    perl -0777 -pe 's/\Q$ENV{OLD}\E/$ENV{NEW}/' |
	    OLD='<notes>' NEW="<notes><xi:include xmlns:xi=\"$XI\" href=\"file://$CANARY/fifo\"/>" \
	    perl -0777 -pe 's/\Q$ENV{OLD}\E/$ENV{NEW}/' > "$IN/xinclude.xml"
	expect_rejected "XInclude" in/xinclude.xml in
	assert_canaries_quiet "XInclude"
}

# ------------------------------------------------------------------
# Other batch-level contracts (docs/reports.md).

# The same file given twice: the first keeps the id, the second is a
# duplicate-case-id (invalid), exit status 2.
t_same_file_twice() {
	new_batch
	run_batch in/good.xml in/good.xml
	assert_run_sane "same file twice"
	assert_eq "same file twice: exit status" 2 "$RC"
	assert_eq "same file twice: statuses" "complete invalid" \
	    "$(jq -r '[.[].status] | join(" ")' "$OUT/summary.json" 2>/dev/null)"
	assert_eq "same file twice: second finding" duplicate-case-id \
	    "$(jq -r '.[1].findings[0].code' "$OUT/summary.json" 2>/dev/null)"
	assert_eq "same file twice: first report" complete \
	    "$(json "$OUT/$GOOD_ID/report.json" .status 2>/dev/null)"
}

# An input path that does not exist: invalid, status 2, good unharmed.
t_missing_input() {
	new_batch
	expect_rejected "missing input path" in/no-such-file.xml \
	    in/good.xml in/no-such-file.xml
}

# An empty folder: not an error; the summary is [] and the status 0.
t_empty_folder() {
	new_batch
	rm "$IN/good.xml"
	run_batch in
	assert_run_sane "empty folder"
	assert_eq "empty folder: exit status" 0 "$RC"
	assert_eq "empty folder: summary.json" "[]" \
	    "$(jq -c . "$OUT/summary.json" 2>/dev/null)"
}

# The output side: a symlink planted in OUT where the case folder goes,
# pointing to a folder outside OUT.  Proves: nothing is written through
# it, and the run says an output could not be written (status 3).
t_planted_symlink_in_out() {
	new_batch
	mkdir -p "$OUT" "$BATCH/elsewhere"
	ln -s ../../../../elsewhere "$OUT/$GOOD_ID"	# = $BATCH/elsewhere
	run_batch in/good.xml
	assert_run_sane "symlink planted in OUT"
	assert_eq "symlink planted in OUT: exit status" 3 "$RC"
	assert_eq "symlink planted in OUT: nothing written through it" "" \
	    "$(find "$BATCH/elsewhere" -mindepth 1)"
}

# --jobs 2 over samples/ gives byte-identical summary.json, summary.csv
# and report.json files to --jobs 1 (three tries, races are erratic).
t_jobs_deterministic() {
	local d k j1 j2 f ok
	d=$(scratch)
	(cd "$d" && timeout -k 5 60 "$RNPACK" --as-of "$AS_OF" -o j1 \
	    --jobs 1 "$SAMPLES" >/dev/null 2>&1)
	j1=$?
	for k in 1 2 3; do
		(cd "$d" && timeout -k 5 60 "$RNPACK" --as-of "$AS_OF" \
		    -o "j2-$k" --jobs 2 "$SAMPLES" >/dev/null 2>&1)
		j2=$?
		assert_eq "jobs 2 (try $k): exit status as with jobs 1" "$j1" "$j2"
		assert_eq "jobs 2 (try $k): same report files" \
		    "$(cd "$d/j1" && find . -name report.json | sort)" \
		    "$(cd "$d/j2-$k" && find . -name report.json | sort)"
		ok=yes
		for f in summary.json summary.csv \
		    $(cd "$d/j1" && find . -name report.json); do
			cmp -s "$d/j1/$f" "$d/j2-$k/$f" ||
			    { ok="no: $f differs"; break; }
		done
		assert_eq "jobs 2 (try $k): byte-identical outputs" yes "$ok"
	done
	check "jobs 1: summary lists every sample" test \
	    "$(jq length "$d/j1/summary.json")" -eq \
	    "$(ls "$SAMPLES"/*.xml | wc -l)"
}

# ------------------------------------------------------------------
# Legal variants: the same case in other legal spellings must be
# accepted (exit 0) with the same report.json as the plain file, apart
# from "source" and the digest of the input's bytes.  Each runs alone
# (the same id twice in a run would be a duplicate).

# plain_report: the reference report of the unchanged file.
PLAIN_REPORT=
plain_report() {
	new_batch
	run_batch in/good.xml
	assert_eq "plain file: exit status" 0 "$RC"
	PLAIN_REPORT=$(jq -S 'del(.source, .rnpack.input)' "$OUT/$GOOD_ID/report.json")
}

# expect_same_report LABEL FILE: FILE (generated into $IN) alone.
expect_same_report() {
	local label=$1 file=$2
	run_batch "in/$file"
	assert_run_sane "$label"
	assert_eq "$label: exit status" 0 "$RC"
	assert_eq "$label: summary status" complete \
	    "$(summary_entry "in/$file" .status)"
	assert_eq "$label: same report as the plain file" "$PLAIN_REPORT" \
	    "$(jq -S 'del(.source, .rnpack.input)' "$OUT/$GOOD_ID/report.json" 2>/dev/null)"
}

t_variant_bom_utf8() {
	new_batch
	{ printf '\xef\xbb\xbf'; cat "$GOOD"; } > "$IN/bom8.xml"
	expect_same_report "UTF-8 with BOM" bom8.xml
}

t_variant_utf16le() {
	new_batch
	{ printf '\xff\xfe'; sed 's/encoding="UTF-8"/encoding="UTF-16"/' \
	    "$GOOD" | iconv -f UTF-8 -t UTF-16LE; } > "$IN/utf16.xml"
	# Sanity: it really is UTF-16LE ("<" then NUL after the BOM).
	assert_eq "UTF-16LE: generated bytes" "fffe3c00" \
	    "$(head -c 4 "$IN/utf16.xml" | od -An -tx1 | tr -d ' \n')"
	expect_same_report "UTF-16LE with BOM" utf16.xml
}

t_variant_latin1() {
	new_batch
	sed 's/encoding="UTF-8"/encoding="ISO-8859-1"/' "$GOOD" |
	    iconv -f UTF-8 -t ISO-8859-1 > "$IN/latin1.xml"
	# Sanity: "í" is the single byte 0xED, not UTF-8.
	check "Latin-1: generated bytes" grep -qaF $'Ram\xedrez' "$IN/latin1.xml"
	expect_same_report "ISO-8859-1" latin1.xml
}

t_variant_cdata() {
	new_batch
	sed -e 's|<familyName>\([^<]*\)<|<familyName><![CDATA[\1]]><|' \
	    -e 's|<givenName>\([^<]*\)<|<givenName>Jos<![CDATA[é]]> Luis<|' \
	    -e 's|<notes>\([^<]*\)<|<notes><![CDATA[\1]]><|' \
	    -e 's|<description>\([^<]*\)<|<description><![CDATA[\1]]><|' \
	    "$GOOD" > "$IN/cdata.xml"
	check "CDATA: generated" grep -qF '<familyName><![CDATA[' "$IN/cdata.xml"
	expect_same_report "CDATA sections" cdata.xml
}

# Processing instructions are legal XML, and must be ignored: one
# before the root naming the FIFO as a stylesheet, one inside <case>
# asking to include the secret.  Same report, no canary touched.
t_variant_processing_instruction() {
	new_batch
	good_with "$ROOT" "<?xml-stylesheet type=\"text/xsl\" href=\"file://$CANARY/fifo\"?>
$ROOT<?xinclude href=\"$CANARY/secret.txt\"?>" > "$IN/pi.xml"
	check "processing instructions: generated" grep -qF '<?xinclude' \
	    "$IN/pi.xml"
	expect_same_report "processing instructions" pi.xml
	assert_canaries_quiet "processing instructions"
	check "processing instructions: no secret in any output" \
	    no_string_in_output "$SECRET"
}

t_variant_charrefs() {
	new_batch
	good_with "$FAMILY" '<familyName>Ram&#xED;rez N&#xFA;&#241;ez</familyName>' |
	    sed -e 's|<givenName>José Luis<|<givenName>Jos\&#233; Luis<|' \
	    -e 's|<alias>Pepe Ramírez<|<alias>Pepe Ram\&#237;rez<|' \
	    > "$IN/charref.xml"
	check "character references: generated" grep -qF 'Jos&#233;' \
	    "$IN/charref.xml"
	expect_same_report "character references" charref.xml
}

# ------------------------------------------------------------------

t_xxe_local_file
t_external_dtd
t_billion_laughs
t_deep_nesting
t_empty_file
t_truncated
t_invalid_utf8
t_nul_after_root
t_gzip
t_huge_text
t_path_id
t_rlo_name
t_fifo
t_symlink_dev_zero
t_folder_named_xml
t_unreadable
t_not_a_case
t_xinclude
t_same_file_twice
t_missing_input
t_empty_folder
t_planted_symlink_in_out
t_jobs_deterministic
plain_report
t_variant_bom_utf8
t_variant_utf16le
t_variant_latin1
t_variant_cdata
t_variant_charrefs
t_variant_processing_instruction
