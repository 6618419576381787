#!/usr/bin/env bash
# bench/percase.sh [ROWS] - where a benchmark case's instructions go,
# counted by valgrind's callgrind: rnpack -j1 runs over 20 and over 60 of
# the benchmark's cases (bench/cases.sh), and each function's inclusive
# count is the difference between the two runs divided by 40, which
# leaves the start-up (fonts, templates, schema) out.  Prints the total
# per case and the ROWS (default 60) largest functions above 0.5% of it.
# Counts are deterministic, so two builds compare on a busy machine
# where wall-clock time cannot; two runs of one build still differ by
# about 0.05 M instructions per function.  Some 2 minutes.
# nettle's SHA-256 looks large here: under valgrind it runs without the
# SHA instructions it uses natively.  Needs valgrind (tools/install-deps.sh).
set -euo pipefail

cd "$(dirname "$0")/.."
rows=${1:-60}
rnpack=$(realpath "${RNPACK:-./rnpack}")
die() { echo "bench/percase.sh: $*" >&2; exit 1; }
[[ $rows =~ ^[1-9][0-9]*$ ]] || die "ROWS must be a positive number"
[[ -x $rnpack ]] || die "$rnpack not found (make all)"
command -v valgrind >/dev/null || die "valgrind missing"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rnpack-percase.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/all"
bench/cases.sh 60 "$tmp/all"

# profile N: callgrind over the first N cases; "count<TAB>function" lines,
# inclusive, with the counts summed per function.
profile() {
	local n=$1
	mkdir "$tmp/c$n"
	cp $(ls "$tmp"/all/*.xml | head -n "$n") "$tmp/c$n/"
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg$n" "$rnpack" \
	    -j1 --as-of 2024-03-14 -o "$tmp/o$n" "$tmp/c$n" >/dev/null \
	    2>"$tmp/cg$n.err" || { tail -5 "$tmp/cg$n.err" >&2; exit 1; }
	callgrind_annotate --inclusive=yes --tree=none --threshold=100 \
	    "$tmp/cg$n" 2>/dev/null | grep -E '^ *[0-9,]+ ' | grep -v '=>' |
	    sed -E 's/,//g; s/^ *([0-9]+) +\( *[0-9.]+%\) +/\1\t/;
	    s/^ *([0-9]+) +/\1\t/; s/ \[[^]]*\]$//; s|\t'"$PWD"'/|\t|' \
	    >"$tmp/p$n"
}
profile 20
profile 60
awk -F '\t' -v rows="$rows" '
	FNR == NR { if ($1 > a[$2]) a[$2] = $1; next }
	{ if ($1 > b[$2]) b[$2] = $1 }
	END {
		total = (b["PROGRAM TOTALS"] - a["PROGRAM TOTALS"]) / 40
		printf "per case: %.2f M instructions (callgrind, rnpack -j1)\n",
		    total / 1e6
		for (k in b) {
			d = (b[k] - a[k]) / 40
			if (k !~ /PROGRAM TOTALS|events annotated|below main|libc_start|^\?\?\?:0x|main\.c:main|batch_run|worker|process$/ &&
			    d > total * 0.005)
				printf "%9.3f M %5.1f%%  %s\n", d / 1e6,
				    100 * d / total, k
		}
	}' "$tmp/p20" "$tmp/p60" | { read -r head; echo "$head";
	    sort -k1,1 -g -r | head -n "$rows"; }
