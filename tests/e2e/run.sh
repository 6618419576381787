#!/usr/bin/env bash
# End-to-end tests: run the real rnpack binary on real case files and
# check its reports, exit statuses and files.  Each tests/e2e/t_*.sh is
# one group; E2E_ONLY=t_mail runs one group (a glob), E2E_SKIP="t_pdf
# t_index" leaves groups out.  Prints "N passed,
# N failed" and exits non-zero on failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export RNPACK RNPACK_SRC
E2E_TMP=$(mktemp -d /tmp/rnpack-e2e.XXXXXX)
E2E_RESULTS="$E2E_TMP/results"
export E2E_TMP E2E_RESULTS
: > "$E2E_RESULTS"
trap 'rm -rf "$E2E_TMP"' EXIT
for t in "$here"/${E2E_ONLY:-t_*}.sh; do
	case " ${E2E_SKIP:-} " in
	*" $(basename "$t" .sh) "*) echo "== $(basename "$t") (skipped)"; continue ;;
	esac
	echo "== $(basename "$t")"
	started=$SECONDS
	before=$(grep -c fail "$E2E_RESULTS")
	( cd "$E2E_TMP" && source "$here/lib.sh" && source "$t" ) ||
		{ echo "fail" >> "$E2E_RESULTS"; echo "FAIL: $t aborted" >&2; }
	after=$(grep -c fail "$E2E_RESULTS")
	[ "$after" -eq "$before" ] || echo "   $((after - before)) failure(s)"
	echo "   $((SECONDS - started)) s"
done
passed=$(grep -c pass "$E2E_RESULTS")
failed=$(grep -c fail "$E2E_RESULTS")
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
