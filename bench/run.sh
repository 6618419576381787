#!/usr/bin/env bash
# bench/run.sh - the benchmark behind `make bench` (see bench/README).
#
#   bench/run.sh [N]        N synthetic cases, default 500 (or $BENCH_N)
#
# Generates N cases from samples/complete-red-notice.xml, times rnpack on
# them at -j1 and at -j<cores>, then the bare libharu TrueType baseline
# (build/bench/baseline) on the same cases, and prints one table.  Each
# program gets one warm-up run, then BENCH_RUNS timed runs (default 3; a
# row shows the one with the median wall-clock time); every run writes
# into a fresh, empty folder.  Timing never fails: the exit status is 0 unless a
# program crashes or fails outright (exit status 3 or more, or a signal).
#
# Environment: RNPACK (default ./rnpack), BASELINE (default
# build/bench/baseline), TMPDIR (where cases and outputs go: a real disk
# counts the cost of creating and syncing files, /dev/shm leaves it out).
set -euo pipefail

cd "$(dirname "$0")/.."

n=${1:-${BENCH_N:-500}}
runs=${BENCH_RUNS:-3}
rnpack=${RNPACK:-./rnpack}
baseline=${BASELINE:-build/bench/baseline}
asof=2024-03-14
cores=$(nproc)

die() { echo "bench: $*" >&2; exit 1; }

[[ $n =~ ^[1-9][0-9]*$ ]] || die "N must be a positive number, not '$n'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive number"
[[ -x $rnpack ]] || die "$rnpack not found (make all)"
[[ -x $baseline ]] || die "$baseline not found (make bench builds it)"
if [[ ! -x /usr/bin/time ]]; then
	[[ $(id -u) == 0 ]] || die "/usr/bin/time missing: apt-get install time"
	apt-get install -y time >/dev/null 2>&1 ||
	    { apt-get update >/dev/null && apt-get install -y time >/dev/null; } ||
	    die "cannot install time"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rnpack-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- The cases ------------------------------------------------------------
mkdir "$tmp/cases"
bench/cases.sh "$n" "$tmp/cases"

# --- Timing ---------------------------------------------------------------
printf '%s cases (names rotating: bench/cases.sh), %s cores, as of %s, files in %s\n' \
    "$n" "$cores" "$asof" "${TMPDIR:-/tmp}"
printf 'each row: the median of %s timed runs (wall clock), after a warm-up\n' \
    "$runs"
read -r load1 load5 _ </proc/loadavg
printf 'load average before the runs: %s (1 min), %s (5 min)\n\n' \
    "$load1" "$load5"
row() { printf '%-9s %4s %7s %7s %9s %9s %10s %11s %9s %10s %12s\n' "$@"; }
row program jobs packets "wall s" packets/s ms/packet "CPU ms/pkt" \
    "peak RSS MB" "median KB" "packets MB" "all files MB"

# Every run writes into a new folder, and none is removed before the
# script exits: ext4 passes over recently deleted inodes when it allocates
# new ones (ialloc.c, recently_deleted(): up to 5 minutes), so removing one
# run's thousands of files just before the next run made each file that
# run created cost about 1 ms of kernel time more on this project's
# machine, and the program creating more files paid more for the script's
# own clean-up.  Needs about 0.9 MB of disk per case (eleven runs).
nout=0

# with_out COMMAND...: COMMAND with its argument @OUT@ replaced by a new
# folder's path, which $out names.
with_out() {
	local a cmd=()
	out="$tmp/out$((++nout))"
	for a in "$@"; do
		[[ $a == @OUT@ ]] && a=$out
		cmd+=("$a")
	done
	"${cmd[@]}"
}

# run LABEL JOBS PACKETS COMMAND...: $runs timed runs of COMMAND, each
# into a new, empty folder (@OUT@ in COMMAND); PACKETS is a glob for the
# packets inside it.  Prints one row of the table, for the run with the
# median wall-clock time, and sets $ms (its wall clock per packet) and
# $cpu_ms (its user + system CPU time per packet).
run() {
	local label=$1 jobs=$2 glob=$3 status k wall rss user sys sizes count
	local all fig times=()
	shift 3
	for ((k = 0; k < runs; k++)); do
		status=0
		with_out /usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" \
		    >"$tmp/log" 2>&1 || status=$?
		if ((status >= 3)); then
			tail -n 5 "$tmp/log" "$tmp/time" >&2
			die "$label -j$jobs failed (status $status)"
		fi
		# time(1) says "Command exited with non-zero status" before
		# the figures.
		times+=("$(tail -n 1 "$tmp/time") $out")
	done
	read -r wall rss user sys out < <(printf '%s\n' "${times[@]}" |
	    sort -n -k1,1 | sed -n "$(((runs + 1) / 2))p")

	sizes=$(find "$out" -path "$out/$glob" -type f -printf '%s\n' \
	    2>/dev/null | sort -n) || true
	count=$(grep -c . <<<"$sizes") || die "$label -j$jobs wrote no packet"
	((count == n)) || echo "bench: $label -j$jobs: only $count of $n" \
	    "cases gave a packet; the rates count those" >&2
	all=$(find "$out" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')

	# packets/s, ms/packet, CPU ms/packet, RSS MB, median KB, packets MB,
	# all files MB.  %e has 10 ms steps: a run under 10 ms counts as 10 ms.
	read -r -a fig < <(awk -v wall="$wall" -v rss_kb="$rss" -v all="$all" \
	    -v cpu="$user $sys" '
		{ size[NR] = $1; total += $1 }
		END {
			if (NR % 2)
				median = size[(NR + 1) / 2]
			else
				median = (size[NR / 2] + size[NR / 2 + 1]) / 2
			ms = 1000 * (wall > 0 ? wall : 0.01) / NR
			split(cpu, c, " ")
			printf "%.1f %.2f %.2f %.1f %.1f %.1f %.1f\n", 1000 / ms,
			    ms, 1000 * (c[1] + c[2]) / NR, rss_kb / 1024,
			    median / 1024, total / 1048576, all / 1048576
		}' <<<"$sizes")
	row "$label" "$jobs" "$count" "$wall" "${fig[@]}"
	ms=${fig[1]}
	cpu_ms=${fig[2]}
}

# warm-up COMMAND...: one untimed run (file cache, page cache, fonts).
warm_up() {
	with_out "$@" >/dev/null 2>&1 || true
}

rnpack_args=(--as-of "$asof" -o @OUT@ "$tmp/cases")

warm_up "$rnpack" -j "$cores" "${rnpack_args[@]}"
run rnpack 1 '*/packet.pdf' "$rnpack" -j 1 "${rnpack_args[@]}"
rnpack_ms=$ms
rnpack_cpu=$cpu_ms
if ((cores > 1)); then
	run rnpack "$cores" '*/packet.pdf' "$rnpack" -j "$cores" "${rnpack_args[@]}"
fi

warm_up "$baseline" -o @OUT@ "$tmp/cases"
run baseline 1 '*.pdf' "$baseline" -o @OUT@ "$tmp/cases"
baseline_ms=$ms
baseline_cpu=$cpu_ms

# ratio WHAT RNPACK BASELINE
ratio() {
	awk -v what="$1" -v r="$2" -v b="$3" 'BEGIN {
		printf "rnpack/baseline, %s per packet on one core: %.2f", what,
		    r / b
		if (r <= b)
			printf " (rnpack %.1fx as fast)\n", b / r
		else
			printf " (rnpack %.1fx as slow)\n", r / b
	}'
}
echo
ratio "wall-clock ms" "$rnpack_ms" "$baseline_ms"
ratio "CPU ms" "$rnpack_cpu" "$baseline_cpu"

# The rows above time each program's runs one after the other, minutes
# apart on a shared machine whose speed drifts; the ratio of those
# medians moves with the drift.  So the two programs also run in turns,
# BENCH_PAIRS times (default 5), each pair within seconds: each pair
# gives one ratio of CPU times (user + system), and the median and range
# of those ratios are printed.
pairs=${BENCH_PAIRS:-5}
[[ $pairs =~ ^[0-9]+$ ]] || die "BENCH_PAIRS must be a number"
if ((pairs > 0)); then
	ratios=()
	for ((k = 0; k < pairs; k++)); do
		with_out /usr/bin/time -f '%U %S' -o "$tmp/time" "$rnpack" -j 1 \
		    "${rnpack_args[@]}" >/dev/null 2>&1 || true
		r=$(tail -n 1 "$tmp/time")
		with_out /usr/bin/time -f '%U %S' -o "$tmp/time" "$baseline" \
		    -o @OUT@ "$tmp/cases" >/dev/null 2>&1 || true
		b=$(tail -n 1 "$tmp/time")
		ratios+=("$(awk -v r="$r" -v b="$b" 'BEGIN {
			split(r, x, " "); split(b, y, " ")
			printf "%.2f\n", (y[1] + y[2]) / (x[1] + x[2]) }')")
	done
	printf '%s\n' "${ratios[@]}" | sort -n | awk -v p="$pairs" '
		{ v[NR] = $1 }
		END {
			m = p % 2 ? v[(p + 1) / 2] : (v[p / 2] + v[p / 2 + 1]) / 2
			printf "runs in turns (%d pairs, CPU time): rnpack %.1fx as fast" \
			    " as the baseline (median; from %.1fx to %.1fx)\n",
			    p, m, v[1], v[p]
		}'
fi
echo "The two do different work: see bench/README."

# --- Every script -----------------------------------------------------------
# A second batch, from the samples with a name in another script
# (samples/script-*.xml: Arabic, Persian, Urdu, Uyghur, Pashto, Hebrew,
# Chinese, Japanese, Korean, Indic, Southeast Asian, Tibetan, Ethiopic,
# Georgian, Armenian, and a mixed English and Arabic sentence), rotating,
# each with its own id and A-number: rnpack at -j1 only, the same columns.
# Its packets embed a Noto face besides DejaVu Sans (a CJK face is a CFF
# subset of a collection of 65,000 glyphs), so their size is the figure to
# watch.  BENCH_SCRIPTS_N cases (default: N / 5, at least 23, one of each).
scripts=(samples/script-*.xml)
ns=${BENCH_SCRIPTS_N:-$((n / 5 > ${#scripts[@]} ? n / 5 : ${#scripts[@]}))}
[[ $ns =~ ^[1-9][0-9]*$ ]] || die "BENCH_SCRIPTS_N must be a positive number"
mkdir "$tmp/scripts"
for ((i = 0; i < ns; i++)); do
	src=${scripts[i % ${#scripts[@]}]}
	sed -e "0,/ id=\"[^\"]*\"/s// id=\"$(printf 'SCR-2024-%06d' "$i")\"/" \
	    -e "s|<aNumber>A[0-9]*</aNumber>|<aNumber>$(printf 'A3%08d' "$i")</aNumber>|" \
	    "$src" >"$tmp/scripts/case-$(printf '%06d' "$i").xml"
done
echo
printf '%s cases from %s samples in other scripts (samples/script-*.xml)\n' \
    "$ns" "${#scripts[@]}"
row program jobs packets "wall s" packets/s ms/packet "CPU ms/pkt" \
    "peak RSS MB" "median KB" "packets MB" "all files MB"
latin_n=$n
n=$ns
warm_up "$rnpack" -j "$cores" --as-of "$asof" -o @OUT@ "$tmp/scripts"
run rnpack 1 '*/packet.pdf' "$rnpack" -j 1 --as-of "$asof" -o @OUT@ \
    "$tmp/scripts"
n=$latin_n
