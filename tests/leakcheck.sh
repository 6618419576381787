#!/usr/bin/env bash
# tests/leakcheck.sh - the leak check behind `make leakcheck` (README,
# "Memory"; not part of `make check`).
#
#   tests/leakcheck.sh [N]      N synthetic cases, default 1000 (or $LEAK_N)
#
# Generates N cases with tools/gen-cases.sh --mail-mix (counsel on every
# other case, Spanish on every third, 50 ZIP codes, one in twenty served
# in person), then:
#
#   1. runs the AddressSanitizer/LeakSanitizer build ($RNPACK_SAN) at -j2
#      with the sample mail policy: every packet, piece, print file volume
#      and the manifest;
#   2. runs it again on the same output with --reissue of the first case:
#      the mail state read back, every piece already issued, one reissued
#      print file;
#   3. runs the plain build ($RNPACK) on the same cases into a fresh
#      folder under /usr/bin/time and prints its peak RSS.
#
# Fails when a sanitizer reports anything (a leak, a memory error,
# undefined behaviour), when a run exits with status 3 or more, when a
# print file fails qpdf --check, or when the plain run's peak RSS is above
# LEAK_MAX_RSS_MB (default 64: the run takes about 26 MB; one that kept a
# volume's pieces in memory, as rnpack did with qpdf, took 117).
# Everything goes into a temporary folder under $TMPDIR, removed on exit.
set -euo pipefail

cd "$(dirname "$0")/.."

n=${1:-${LEAK_N:-1000}}
plain=${RNPACK:-build/plain/rnpack}
san=${RNPACK_SAN:-build/san/rnpack}
max_rss_mb=${LEAK_MAX_RSS_MB:-64}
policy=samples/policy/houston-mail.xml
asof=2024-03-14

die() { echo "leakcheck: $*" >&2; exit 1; }

[[ $n =~ ^[1-9][0-9]*$ ]] || die "N must be a positive number, not '$n'"
[[ -x $plain ]] || die "$plain not found (make all)"
[[ -x $san ]] || die "$san not found (make SAN=1 build/san/rnpack)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time missing (apt-get install time)"
command -v qpdf >/dev/null || die "qpdf missing"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rnpack-leak.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

tools/gen-cases.sh --mail-mix "$n" "$tmp/cases"

# Leaks and errors end the process with status 86 and a report on stderr.
export ASAN_OPTIONS=detect_leaks=1:exitcode=86:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1
fail=0

# run LABEL OUT ARGS...: the sanitizer build; checks status and stderr.
run() {
	local label=$1 out=$2 status=0 start=$SECONDS
	shift 2
	"$san" -j2 --policy "$policy" --as-of "$asof" -o "$out" "$@" \
	    "$tmp/cases" >/dev/null 2>"$tmp/$label.log" || status=$?
	if grep -q 'Sanitizer\|runtime error' "$tmp/$label.log"; then
		grep -v ': complete$\|: partial$\|: blocked$' "$tmp/$label.log" |
		    head -n 60 >&2
		echo "leakcheck: $label: sanitizer report (above)" >&2
		fail=1
	elif ((status >= 3)); then
		tail -n 5 "$tmp/$label.log" >&2
		echo "leakcheck: $label: exit status $status" >&2
		fail=1
	else
		printf 'leakcheck: %-28s exit status %s, no leak, %s s\n' \
		    "$label" "$status" $((SECONDS - start))
	fi
}

first=$(sed -n 's/.*<case [^>]*id="\([^"]*\)".*/\1/p' \
    "$tmp/cases/case-000001.xml")
run "asan: $n cases" "$tmp/out"
run "asan: again, --reissue" "$tmp/out" --reissue "$first"

files=$(find "$tmp/out/mail" -name 'notices*.pdf' | sort)
[[ -n $files ]] || { echo "leakcheck: no print file" >&2; fail=1; }
for f in $files; do
	qpdf --check "$f" >/dev/null 2>&1 ||
	    { echo "leakcheck: ${f##*/} fails qpdf --check" >&2; fail=1; }
done

# The plain build's peak RSS on the same cases (a fresh folder: every
# piece new, every print file volume written).
status=0
/usr/bin/time -f '%M %e' -o "$tmp/time" "$plain" -j2 --policy "$policy" \
    --as-of "$asof" -o "$tmp/plain" "$tmp/cases" >/dev/null 2>&1 ||
    status=$?
read -r rss_kb wall < <(tail -n 1 "$tmp/time")
pieces=$(($(wc -l <"$tmp/plain/mail/manifest.csv") - 1))
volumes=$(find "$tmp/plain/mail" -name 'notices*.pdf' | wc -l)
printf 'leakcheck: plain build, %s cases, %s mail pieces in %s print file(s): exit status %s, %s s, peak RSS %s MB (limit %s MB)\n' \
    "$n" "$pieces" "$volumes" "$status" "$wall" $((rss_kb / 1024)) \
    "$max_rss_mb"
if ((status >= 3)); then
	echo "leakcheck: plain run: exit status $status" >&2
	fail=1
fi
if ((rss_kb / 1024 > max_rss_mb)); then
	echo "leakcheck: peak RSS $((rss_kb / 1024)) MB is above $max_rss_mb MB" >&2
	fail=1
fi

if ((fail)); then
	echo "leakcheck: FAILED" >&2
	exit 1
fi
echo "leakcheck: passed"
