# lib.sh - shared helpers for the end-to-end tests (sourced by t_*.sh).
# Each test file calls `check NAME COMMAND...` or the assert_* helpers;
# results are appended to $E2E_RESULTS (one "pass"/"fail" line each).

: "${RNPACK:?set RNPACK to the rnpack binary}"
: "${RNPACK_SRC:?set RNPACK_SRC to the source tree}"
: "${E2E_RESULTS:?run through tests/e2e/run.sh}"
# Test tools over the library (make e2e builds them and sets this).
: "${SCAN_TEXT:=$RNPACK_SRC/build/plain/tools/scan_text}"
export SCAN_TEXT
AS_OF=2024-03-14
SAMPLES="$RNPACK_SRC/samples"

pass() { echo "pass" >> "$E2E_RESULTS"; }
fail() { echo "fail" >> "$E2E_RESULTS"; echo "FAIL: $*" >&2; }

# check NAME CMD...: passes when CMD exits 0.
check() {
	local name=$1; shift
	if "$@"; then pass; else fail "$name"; fi
}

# assert_eq NAME EXPECTED ACTUAL
assert_eq() {
	if [ "$2" = "$3" ]; then pass; else
		fail "$1: expected [$2], got [$3]"; fi
}

# assert_status NAME EXPECTED COMMAND...: the command's exit status.
assert_status() {
	local name=$1 want=$2; shift 2
	"$@" >/dev/null 2>&1
	assert_eq "$name (exit status)" "$want" "$?"
}

# A fresh scratch folder under the test run's temporary root.
scratch() { mktemp -d "$E2E_TMP/XXXXXX"; }

# rn ARGS...: run rnpack with the samples' as-of date; sets $RC.
rn() {
	"$RNPACK" --as-of "$AS_OF" "$@" 2>"$E2E_TMP/last.stderr"
	RC=$?
}

# json FILE FILTER: jq -r on a report.
json() { jq -r "$2" "$1"; }

# volume_names N: the print files of a run with N volumes, in order
# (notices-vol1-of-3.pdf ...; padded from ten on), one a line.
volume_names() {
	local k
	for ((k = 1; k <= $1; k++)); do
		printf "notices-vol%0${#1}d-of-%d.pdf\n" "$k" "$1"
	done
}
