#!/usr/bin/env bash
# Run each libFuzzer target for SECONDS: tests/fuzz/run.sh SECONDS TARGET...
# New inputs go to build/fuzz/corpus-TARGET (seeds are read, never
# written); a crash is saved in tests/fuzz/crashes/TARGET/ so that it
# becomes a regression that `make check` replays.  Prints, per target,
# the executions, the coverage reached and whether it found anything.
set -u
secs=$1; shift
status=0
for t in "$@"; do
	case $t in
	case)	seeds="samples tests/fuzz/corpus/case" ;;
	policy)	seeds="samples/policy tests/fuzz/corpus/policy" ;;
	tmpl)	seeds="templates templates/es tests/fuzz/corpus/tmpl" ;;
	mailstate) seeds="samples/mail-state tests/fuzz/corpus/mailstate" ;;
	splice)	seeds="tests/fuzz/corpus/splice" ;;
	*)	echo "run.sh: unknown target $t" >&2; exit 64 ;;
	esac
	mkdir -p "build/fuzz/corpus-$t" "tests/fuzz/crashes/$t"
	log="build/fuzz/$t.log"
	echo "== fuzz_$t for ${secs}s"
	# shellcheck disable=SC2086
	build/fuzz/fuzz_$t -max_total_time="$secs" -max_len=65536 \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -dict="build/fuzz/$t.dict" \
	    -artifact_prefix="tests/fuzz/crashes/$t/" \
	    "build/fuzz/corpus-$t" $seeds > "$log" 2>&1
	rc=$?
	grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log"
	grep -E '#[0-9]+.*(DONE|cov:)' "$log" | tail -1
	if [ $rc -ne 0 ]; then
		echo "fuzz_$t: FOUND A PROBLEM (exit $rc), see $log and tests/fuzz/crashes/$t/"
		status=1
	fi
done
exit $status
