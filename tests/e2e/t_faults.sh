# t_faults.sh - the mail room never loses a notice: a piece is issued if
# and only if a complete print job holds it (docs/mail-room.md).
#
# A small mail run (4 cases, 6 pieces) under tests/tools/faultfs.c, which
# fails the n-th fsync, rename, write, openat or mkdirat with EIO or
# ENOSPC, or kills the run there (SIGKILL); then a clean run into the
# same folder; then tests/tools/jobcheck.py: every piece new in exactly
# one job, the mail state agreeing, nothing pending, no temporary left.
# Here a sample of the positions of each call (every 5th to 10th, and
# the last ones, where the print job and the state are written; half as
# many under the sanitizers, E2E_SAN=1); `make faultsweep` (FAULT_ALL=1)
# runs every position of every call.
# Also: two runs at once on one folder, mail/ planted as a link, the
# same command twice.

POLICY="$SAMPLES/policy/houston-mail.xml"
JOBCHECK="$RNPACK_SRC/tests/tools/jobcheck.py"
: "${FAULT_ALL:=0}"

fin=$(scratch)/in
mkdir -p "$fin"
for s in abuse-indicator-found abuse-indicator-refugee-status \
    complete-red-notice foreign-counsel-address; do
	cp "$SAMPLES/$s.xml" "$fin/"
done

# The pieces a run must issue: the new rows of a clean run's manifest.
ref=$(scratch)
rn --policy "$POLICY" -o "$ref/out" "$fin"
assert_eq "faults: the reference run is complete" 0 "$RC"
python3 -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    print(r["case"], r["recipient"])' "$ref/out/mail/manifest.csv" \
	> "$ref/expected"
check "faults: the reference run issues 6 pieces" \
	test "$(wc -l < "$ref/expected")" = 6
check "faults: the reference run passes the checker" \
	python3 "$JOBCHECK" "$ref/out" "$ref/expected"

if [ ! -f "${FAULTFS:-}" ]; then
	fail "faults: FAULTFS (build/.../tools/faultfs.so) not built"
	return 0
fi
# An ASan build must not insist on coming first.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

# A second run waits at most 30 s for the output folder's lock, then
# says who holds it (checked below; it waits while the sweeps run).
lo=$(scratch)/out
mkdir -p "$lo"
( flock -x 9; echo "otherhost 4242" > "$lo/.lock"; sleep 60 ) 9>>"$lo/.lock" &
holder=$!
sleep 0.5
lock_start=$(date +%s)
( s=$(date +%s); "$RNPACK" --as-of "$AS_OF" --policy "$POLICY" -o "$lo" "$fin" \
    >/dev/null 2>"$lo.err"; echo $? > "$lo.rc"
  echo $(( $(date +%s) - s )) > "$lo.took" ) &
waiter=$!

# faulty OUT OP N ERRNO KILL: one run with the fault; sets RC.
faulty() {
	# A subshell that does not exec its command, so that its "Killed"
	# goes to /dev/null with its stderr.
	( env LD_PRELOAD="$FAULTFS" FAULT_OP="$2" FAULT_N="$3" \
	    FAULT_ERRNO="$4" FAULT_KILL="$5" "$RNPACK" --as-of "$AS_OF" \
	    --policy "$POLICY" -o "$1" "$fin" >/dev/null 2>"$1.err"
	  exit $? ) 2>/dev/null
	RC=$?
}

# calls OP: how many OP calls a clean run makes.
calls() {
	local o
	o=$(scratch)
	env LD_PRELOAD="$FAULTFS" FAULT_OP="$1" FAULT_N=0 \
	    FAULT_COUNT="$o/count" "$RNPACK" --as-of "$AS_OF" \
	    --policy "$POLICY" -o "$o/out" "$fin" >/dev/null 2>&1
	cat "$o/count" 2>/dev/null || echo 0
}

# sweep OP ERRNO KILL STRIDE TAIL: every STRIDE-th position of OP and
# each of its last TAIL (the print job and the state come last); every
# problem the checker finds, as "OP@N: problem" lines.
sweep() {
	local op=$1 err=$2 kill=$3 stride=$4 tail=${5:-0} n k o bad=""
	n=$(calls "$op")
	for ((k = 1; k <= n; k++)); do
		[ $(( (k - 1) % stride )) = 0 ] || [ "$k" -gt $((n - tail)) ] ||
			continue
		o=$(scratch)/out
		faulty "$o" "$op" "$k" "$err" "$kill"
		# A run that says it succeeded holds the invariant as it is.
		if [ "$RC" = 0 ] && ! python3 "$JOBCHECK" "$o" "$ref/expected" \
		    >/dev/null; then
			bad+="$op@$k: status 0 but the invariant fails; "
		fi
		case "$RC" in 0|3|137) ;; *) bad+="$op@$k: status $RC; " ;; esac
		"$RNPACK" --as-of "$AS_OF" --policy "$POLICY" -o "$o" "$fin" \
		    >/dev/null 2>"$o.err2"
		[ $? = 0 ] || bad+="$op@$k: clean re-run status not 0; "
		bad+=$(python3 "$JOBCHECK" "$o" "$ref/expected" |
			sed "s/^/$op@$k: /" | tr '\n' ';')
	done
	echo "$n $bad"
}

if [ "$FAULT_ALL" = 1 ]; then
	plan="fsync:EIO:1:0 fsync:ENOSPC:1:0 rename:EIO:1:0 write:ENOSPC:1:0
	    write:EIO:1:0 openat:EIO:1:0 mkdir:EIO:1:0"
	kills="fsync:1:0 rename:1:0 write:1:0 openat:1:0 mkdir:1:0"
elif [ "${E2E_SAN:-0}" = 1 ]; then
	# Under the sanitizers a run costs several times more: every other
	# position of the plain run's sample, and the same last ones.
	plan="fsync:EIO:12:10 rename:EIO:10:10 write:ENOSPC:20:4
	    openat:EIO:20:4 mkdir:EIO:20:4"
	kills="fsync:20:6 rename:16:8"
else
	plan="fsync:EIO:6:10 rename:EIO:5:10 write:ENOSPC:10:4 openat:EIO:10:4
	    mkdir:EIO:10:4"
	kills="fsync:10:6 rename:8:8"
fi
for p in $plan; do
	IFS=: read -r op err stride tail <<< "$p"
	r=$(sweep "$op" "$err" "" "$stride" "$tail")
	check "faults: $op fails ($err) at some position (${r%% *} calls)" \
		test "${r%% *}" -gt 0
	assert_eq "faults: $op $err (every ${stride}th and the last $tail of ${r%% *}): issued iff printed" \
		"" "${r#* }"
done
# kill -9 at many moments: the shim kills the run at the n-th call.
for p in $kills; do
	IFS=: read -r op stride tail <<< "$p"
	r=$(sweep "$op" EIO 1 "$stride" "$tail")
	assert_eq "faults: SIGKILL at $op (every ${stride}th and the last $tail of ${r%% *}): issued iff printed" \
		"" "${r#* }"
done

# A fault in the job says how many pieces wait, status 3, and the
# report lists them not-issued; the next run prints them.
o=$(scratch)/out
n=$(calls rename)
found=""
for ((k = 1; k <= n; k++)); do
	o=$(scratch)/out
	faulty "$o" rename "$k" EIO ""
	if grep -q "print job not written: 6 pieces wait for the next run" \
	    "$o.err"; then found=$k; break; fi
done
check "faults: a failed job's totals line says 6 pieces wait" test -n "$found"
assert_eq "faults: a failed job: status 3" 3 "$RC"
assert_eq "faults: a failed job: the reports say not-issued" "not-issued" \
	"$(jq -r '.pieces[].state' "$o"/*/report.json | sort -u | paste -sd, -)"
assert_eq "faults: a failed job: no serial in the reports" "" \
	"$(jq -r '.pieces[] | select(.serial != null) | .serial' "$o"/*/report.json)"
rn --policy "$POLICY" -o "$o" "$fin"
assert_eq "faults: the next run prints them" "" \
	"$(python3 "$JOBCHECK" "$o" "$ref/expected")"
check "faults: ... in a job numbered after the failed one's" \
	test -d "$o/mail/jobs/2024-03-14-002" -o -d "$o/mail/jobs/2024-03-14-001"

# ---- an intent whose job and temporary are both missing -----------------

# A run killed right after its intent was saved (the 2nd save of the
# state is the intent), then its temporary moved away: the next run
# leaves the intent pending, keeps its pieces out, says the path, exit 3.
o=$(scratch)/out
faulty "$o" rename 999999 EIO ""	# count only: a clean run
o=$(scratch)/out
for ((k = 1; k <= n; k++)); do
	rm -rf "$o"
	faulty "$o" rename "$k" EIO 1
	grep -q '^intent ' "$o/.mail-state" 2>/dev/null && break
done
check "faults: a kill leaves an intent" grep -q '^intent ' "$o/.mail-state"
if [ -d "$o/mail/jobs" ]; then
	moved=$(scratch)
	mv "$o"/mail/jobs/.*tmp-* "$moved/" 2>/dev/null
	mv "$o"/mail/jobs/2024-* "$moved/" 2>/dev/null
fi
rn --policy "$POLICY" -o "$o" "$fin"
assert_eq "faults: a missing job: exit status 3" 3 "$RC"
check "faults: a missing job: its path is named" \
	grep -q "mail/jobs/2024-03-14-001.*neither it nor its temporary" \
	"$E2E_TMP/last.stderr"
assert_eq "faults: a missing job: its pieces are not printed again" "" \
	"$(ls "$o/mail/jobs" 2>/dev/null)"
check "faults: a missing job: the intent stays" grep -q '^intent ' "$o/.mail-state"

# ---- two runs at once on one output folder ------------------------------

o=$(scratch)/out
"$RNPACK" --as-of "$AS_OF" --policy "$POLICY" -o "$o" "$fin" \
    >/dev/null 2>"$o.a" &
a=$!
"$RNPACK" --as-of "$AS_OF" --policy "$POLICY" -o "$o" "$fin" \
    >/dev/null 2>"$o.b" &
b=$!
wait "$a"; ra=$?
wait "$b"; rb=$?
assert_eq "two runs at once: both succeed, one after the other" "0 0" "$ra $rb"
assert_eq "two runs at once: one job, every piece once" "" \
	"$(python3 "$JOBCHECK" "$o" "$ref/expected")"
assert_eq "two runs at once: only job 001" "2024-03-14-001" "$(ls "$o/mail/jobs")"

# The run that found the folder locked (started at the top, so that its
# 30 s wait overlaps the sweeps).
wait "$waiter"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
assert_eq "a locked folder: exit status 3" 3 "$(cat "$lo.rc")"
check "a locked folder: gave up after about 30 s ($(cat "$lo.took") s)" \
	test "$(cat "$lo.took")" -ge 29 -a "$(cat "$lo.took")" -le 40
check "a locked folder: the holder named" grep -q "otherhost, pid 4242" "$lo.err"
check "a locked folder: nothing written" test ! -e "$lo/mail"

# ---- mail/ planted as a symbolic link -----------------------------------

o=$(scratch)
mkdir -p "$o/out" "$o/elsewhere"
ln -s "$o/elsewhere" "$o/out/mail"
rn --policy "$POLICY" -o "$o/out" "$fin"
assert_eq "mail/ as a link: exit status 3" 3 "$RC"
assert_eq "mail/ as a link: nothing written outside" "" "$(ls -A "$o/elsewhere")"
check "mail/ as a link: said so" grep -q "symbolic link" "$E2E_TMP/last.stderr"
check "mail/ as a link: pieces wait" \
	grep -q "print job not written: 6 pieces wait" "$E2E_TMP/last.stderr"
assert_eq "mail/ as a link: nothing issued" "" \
	"$(grep '^piece ' "$o/out/.mail-state")"
# mail/jobs as a link, too.
rm "$o/out/mail"
mkdir "$o/out/mail"
ln -s "$o/elsewhere" "$o/out/mail/jobs"
rn --policy "$POLICY" -o "$o/out" "$fin"
assert_eq "mail/jobs as a link: exit status 3" 3 "$RC"
assert_eq "mail/jobs as a link: nothing written outside" "" "$(ls -A "$o/elsewhere")"

# ---- the same command twice ---------------------------------------------

o=$(scratch)/out
rn --policy "$POLICY" -o "$o" "$fin"
cp -a "$o/mail/jobs" "$o.jobs1"
rn --policy "$POLICY" -o "$o" "$fin"
assert_eq "twice: the second run exits 0" 0 "$RC"
check "twice: the first job kept, byte for byte" diff -r "$o.jobs1" "$o/mail/jobs"
check "twice: the totals line says no new piece" \
	grep -q "; no print job: no new piece" "$E2E_TMP/last.stderr"
assert_eq "twice: every piece already-issued in the overview" "already-issued" \
	"$(python3 -c '
import csv, sys
print(",".join(sorted({r["status"] for r in csv.DictReader(open(sys.argv[1], newline=""))})))' \
	"$o/mail/manifest.csv")"
assert_eq "twice: the overview names the job holding each piece" "2024-03-14-001" \
	"$(python3 -c '
import csv, sys
print(",".join(sorted({r["job"] for r in csv.DictReader(open(sys.argv[1], newline=""))})))' \
	"$o/mail/manifest.csv")"
