#!/usr/bin/env bash
# End-to-end tests: run the real rnpack binary on real case files and
# check its reports, exit statuses and files.  Each tests/e2e/t_*.sh is
# one group; E2E_ONLY=t_mail runs one group (a glob), E2E_SKIP="t_pdf
# t_index" leaves groups out.  E2E_JOBS=N runs N groups at once (default:
# the number of processors): each group has a scratch folder and a
# results file of its own, and its output is printed whole, in the
# groups' order, once all are done.  Prints "N passed, N failed" and
# exits non-zero on failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export RNPACK RNPACK_SRC
root=$(mktemp -d /tmp/rnpack-e2e.XXXXXX)
trap 'rm -rf "$root"' EXIT
jobs=${E2E_JOBS:-$(nproc 2>/dev/null || echo 1)}

skipped() { case " ${E2E_SKIP:-} " in *" $1 "*) return 0 ;; esac; return 1; }

# One group, in its own folder: its output, results and seconds there.
run_group() {	# T
	local t=$1 dir
	dir="$root/$(basename "$t" .sh)"
	mkdir -p "$dir/tmp"
	: > "$dir/results"
	(
		export E2E_TMP="$dir/tmp" E2E_RESULTS="$dir/results"
		started=$SECONDS
		( cd "$E2E_TMP" && source "$here/lib.sh" && source "$t" ) ||
			{ echo "fail" >> "$E2E_RESULTS"; echo "FAIL: $t aborted" >&2; }
		echo $((SECONDS - started)) > "$dir/seconds"
	) > "$dir/log" 2>&1
}

running=0
for t in "$here"/${E2E_ONLY:-t_*}.sh; do
	skipped "$(basename "$t" .sh)" && continue
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	run_group "$t" &
	running=$((running + 1))
done
wait

passed=0
failed=0
for t in "$here"/${E2E_ONLY:-t_*}.sh; do
	name=$(basename "$t" .sh)
	if skipped "$name"; then
		echo "== $name.sh (skipped)"
		continue
	fi
	dir="$root/$name"
	echo "== $name.sh"
	cat "$dir/log"
	p=$(grep -c pass "$dir/results")
	f=$(grep -c fail "$dir/results")
	[ "$f" -eq 0 ] || echo "   $f failure(s)"
	echo "   $(cat "$dir/seconds" 2>/dev/null || echo '?') s"
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
