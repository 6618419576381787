# t_shard.sh - --shard K/N and --merge-summaries (README "Running a
# backlog across machines"): the shards partition the inputs, the merge
# gives the unsharded summaries byte for byte, packets do not depend on
# the sharding, serials stay in each shard's residue class, and a broken
# set of shards is refused.

N=3

# ---- inputs: 40 samples, valid, partial, blocked and invalid -----------

d=$(scratch)
IN="$d/in"
mkdir "$IN"
# duplicate-id-2.xml reuses duplicate-id-1.xml's id; it falls in another
# shard of 3, so it is left for the cross-shard test below, and a copy
# under a name of duplicate-id-1.xml's shard stands in for it.
for f in $( (cd "$SAMPLES" && ls -- *.xml |
    grep -v '^duplicate-id-2\.xml$\|^invalid-doctype\.xml$' | head -n 38;
    echo invalid-doctype.xml) ); do
	cp "$SAMPLES/$f" "$IN/"
done
cp "$SAMPLES/duplicate-id-2.xml" "$IN/duplicate-id-1b.xml"
NIN=$(ls "$IN" | wc -l)
assert_eq "40 inputs" 40 "$NIN"
check "inputs include invalid ones" test -e "$IN/invalid-doctype.xml"

# shard_sources OUT: the sources of every shard summary, one a line.
shard_sources() {
	for k in $(seq 1 "$N"); do
		jq -r '.[].source' "$1/summary-$k-of-$N.json"
	done
}

# ---- command line ------------------------------------------------------

good="$SAMPLES/complete-red-notice.xml"
for bad in 0/3 4/3 1/0 0/0 x 3 1/ /3 -1/3 1/3/3 "1/ 3" 1/100001; do
	assert_status "--shard $bad" 64 "$RNPACK" --check-only --shard "$bad" \
		-o "$d/bad" "$good"
done
check "bad --shard says what it wants" bash -c "'$RNPACK' --shard 4/3 \
	'$good' 2>&1 | grep -q 'K/N'"
check "bad --shard: nothing written" test ! -e "$d/bad"
assert_status "--merge-summaries with an input" 64 "$RNPACK" \
	--merge-summaries "$d/bad" "$good"
assert_status "--merge-summaries with --shard" 64 "$RNPACK" \
	--merge-summaries "$d/bad" --shard 1/2
check "--help names --shard" bash -c "'$RNPACK' --help | grep -q -- --shard"
check "--help names --merge-summaries" \
	bash -c "'$RNPACK' --help | grep -q -- --merge-summaries"

# ---- without a mail policy: unsharded, then 3 shards, then merged ------

ONE="$d/one"
SH="$d/sharded"
rn -o "$ONE" "$IN"
RC_ONE=$RC
assert_eq "unsharded run: some input invalid" 2 "$RC_ONE"
worst=0
for k in $(seq 1 "$N"); do
	rn --shard "$k/$N" -o "$SH" "$IN"
	[ "$RC" -gt "$worst" ] && worst=$RC
	check "shard $k: summary-$k-of-$N.json" test -s "$SH/summary-$k-of-$N.json"
	check "shard $k: summary-$k-of-$N.csv" test -s "$SH/summary-$k-of-$N.csv"
	check "shard $k: summary-$k-of-$N.index" test -s "$SH/summary-$k-of-$N.index"
	check "shard $k: its own manifest" test -s "$SH/mail/manifest-$k-of-$N.csv"
	check "shard $k: no print job (sample office)" test ! -e "$SH/mail/jobs"
	check "shard $k: the totals line says why" \
		grep -q "; no print job: sample office" "$E2E_TMP/last.stderr"
	check "shard $k: its own mail state" test -s "$SH/.mail-state.$k-of-$N"
	check "shard $k: has inputs" test "$(jq length "$SH/summary-$k-of-$N.json")" -gt 0
done
assert_eq "worst shard status is the unsharded status" "$RC_ONE" "$worst"
check "shards write no summary.json" test ! -e "$SH/summary.json"
check "shards write no unsharded mail files" \
	test ! -e "$SH/mail/notices.pdf" -a ! -e "$SH/mail/manifest.csv" \
	-a ! -e "$SH/.mail-state"

# Partition: every input in exactly one shard.
assert_eq "shards cover every input" \
	"$(jq -r '.[].source' "$ONE/summary.json" | sort)" \
	"$(shard_sources "$SH" | sort -u)"
assert_eq "no input in two shards" "" "$(shard_sources "$SH" | sort | uniq -d)"
assert_eq "shard entries add up to the inputs" "$NIN" "$(shard_sources "$SH" | wc -l)"
# Each shard keeps input order, and repeats no work of another shard.
for k in $(seq 1 "$N"); do
	assert_eq "shard $k in input order" \
		"$(jq -r '.[].source' "$SH/summary-$k-of-$N.json")" \
		"$(jq -r --slurpfile s "$SH/summary-$k-of-$N.json" \
			'.[].source | select(. as $x | $s[0] | map(.source) | index($x))' \
			"$ONE/summary.json")"
done
# The two files with one id share a shard, so it finds the duplicate.
assert_eq "same-id files in one shard" 1 \
	"$(for k in $(seq 1 "$N"); do
		jq -r '.[] | select(.case == "MIA-2024-00031") | .source' \
		    "$SH/summary-$k-of-$N.json" | grep -q . && echo "$k"
	done | wc -l)"

"$RNPACK" --merge-summaries "$SH" 2>"$E2E_TMP/merge.stderr"
assert_eq "merge: the unsharded exit status" "$RC_ONE" "$?"
check "merged summary.json equals the unsharded one" \
	cmp "$ONE/summary.json" "$SH/summary.json"
check "merged summary.csv equals the unsharded one" \
	cmp "$ONE/summary.csv" "$SH/summary.csv"
check "merge names no duplicate" bash -c "! grep -q 'more than one shard' \
	'$E2E_TMP/merge.stderr'"
# The merged run's index.html: the unsharded page, byte for byte (its
# rows read back from the shards' summaries), and the merge says so.
check "merged index.html equals the unsharded one" \
	cmp "$ONE/index.html" "$SH/index.html"
check "merge names index.html" grep -q "summary.csv.* and index.html" \
	"$E2E_TMP/merge.stderr"
check "merged index.html links a packet" \
	grep -q 'href="[A-Z0-9-]*/packet.pdf"' "$SH/index.html"

# Packets and reports do not depend on the sharding (no barcode here).
ids=$(jq -r '.[] | select(.status != "invalid") | .case' "$ONE/summary.json")
npk=0 same=0 rsame=0
for id in $ids; do
	[ -f "$ONE/$id/packet.pdf" ] || continue
	npk=$((npk + 1))
	cmp -s "$ONE/$id/packet.pdf" "$SH/$id/packet.pdf" && same=$((same + 1))
	cmp -s "$ONE/$id/report.json" "$SH/$id/report.json" && rsame=$((rsame + 1))
done
check "packets to compare" test "$npk" -gt 20
assert_eq "every packet identical" "$npk" "$same"
assert_eq "every report identical" "$npk" "$rsame"

# The merged manifest: the unsharded rows in input order; pages refer to
# the shard's print file, named in the last column (print_file).
col() { awk -F'","' -v c="$2" 'NR > 1 { sub(/^"/, ""); print $c }' "$1"; }
assert_eq "merged manifest: the unsharded rows, in order" \
	"$(col "$ONE/mail/manifest.csv" 1; col "$ONE/mail/manifest.csv" 2)" \
	"$(col "$SH/mail/manifest.csv" 1; col "$SH/mail/manifest.csv" 2)"
assert_eq "merged manifest: the unsharded header (with print_file)" \
	"$(head -n 1 "$ONE/mail/manifest.csv" | tr -d '\r')" \
	"$(head -n 1 "$SH/mail/manifest.csv" | tr -d '\r')"
assert_eq "merged manifest: every printed row names its shard's print file" "" \
	"$(awk -F'","' 'NR > 1 && $9 != "" && $14 !~ /^notices-[1-3]-of-3\.pdf"/' \
		"$SH/mail/manifest.csv")"

# ---- a broken set of shards is refused, nothing written ----------------

b=$(scratch)
cp -a "$SH" "$b/missing"
rm -f "$b/missing/summary.json" "$b/missing/summary-2-of-$N.json"
"$RNPACK" --merge-summaries "$b/missing" 2>"$E2E_TMP/merge.stderr"
assert_eq "merge with a shard missing: exit status" 4 "$?"
check "merge with a shard missing: names it" \
	grep -q "shard 2 of 3 is missing" "$E2E_TMP/merge.stderr"
check "merge with a shard missing: no summary.json" test ! -e "$b/missing/summary.json"

cp -a "$SH" "$b/noindex"
rm -f "$b/noindex/summary-3-of-$N.index"
"$RNPACK" --merge-summaries "$b/noindex" 2>"$E2E_TMP/merge.stderr"
assert_eq "merge with a shard unfinished: exit status" 4 "$?"
check "merge with a shard unfinished: names it" \
	grep -q "shard 3 of 3 did not finish" "$E2E_TMP/merge.stderr"

cp -a "$SH" "$b/mixed"
cp "$b/mixed/summary-1-of-$N.json" "$b/mixed/summary-1-of-2.json"
assert_status "merge of shards with different N" 4 "$RNPACK" --merge-summaries "$b/mixed"

cp -a "$SH" "$b/stale"
printf '[]\n' > "$b/stale/summary-1-of-$N.json"
assert_status "merge of a summary that does not match its index" 4 \
	"$RNPACK" --merge-summaries "$b/stale"

# A shard run over other inputs (a file added meanwhile) is refused.
cp -a "$SH" "$b/other"
mkdir "$b/in2"
cp "$IN"/*.xml "$b/in2/"
cp "$SAMPLES/name-greek.xml" "$b/in2/zz-late.xml"
rn --check-only --shard "2/$N" -o "$b/other" "$b/in2"
"$RNPACK" --merge-summaries "$b/other" 2>"$E2E_TMP/merge.stderr"
assert_eq "merge of shards over different inputs: exit status" 4 "$?"
check "merge of shards over different inputs: says so" \
	grep -q "different inputs" "$E2E_TMP/merge.stderr"

assert_status "merge of a folder without shards" 4 "$RNPACK" --merge-summaries "$ONE"
assert_status "merge of a missing folder" 4 "$RNPACK" --merge-summaries "$b/none"

# ---- one id in two shards ----------------------------------------------

x=$(scratch)
mkdir "$x/in"
cp "$SAMPLES/duplicate-id-1.xml" "$SAMPLES/duplicate-id-2.xml" "$good" "$x/in/"
for k in $(seq 1 "$N"); do
	rn --check-only --shard "$k/$N" -o "$x/out" "$x/in"
done
"$RNPACK" --merge-summaries "$x/out" 2>"$E2E_TMP/merge.stderr"
assert_eq "id in two shards: exit status 2" 2 "$?"
check "id in two shards: names the id and both files" bash -c "
	grep 'case id MIA-2024-00031 is in more than one shard' '$E2E_TMP/merge.stderr' |
	grep 'duplicate-id-1.xml' | grep -q 'duplicate-id-2.xml'"
assert_eq "id in two shards: summary still has every input" 3 \
	"$(jq length "$x/out/summary.json")"

# A case id shaped like a shard's file is reserved.
sed 's/id="HOU-2024-00017"/id="summary-1-of-3.json"/' "$good" > "$x/shaped.xml"
rn --check-only -o "$x/o2" "$x/shaped.xml"
assert_eq "id summary-1-of-3.json is reserved" duplicate-case-id \
	"$(jq -r '.[0].findings[0].code' "$x/o2/summary.json")"

# ---- with the mail policy: serials in each shard's residue class -------

m=$(scratch)
mkdir "$m/state"
sed "s|</policy>|<mailState>$m/state/mail-state</mailState></policy>|" \
	"$SAMPLES/policy/houston-mail.xml" > "$m/policy.xml"
for k in $(seq 1 "$N"); do
	rn --policy "$m/policy.xml" --shard "$k/$N" -o "$m/out" "$IN"
	check "mail shard $k: its own state beside the policy's" \
		test -s "$m/state/mail-state.$k-of-$N"
	check "mail shard $k: its own print job, with its suffix" \
		test -s "$m/out/mail/jobs/2024-03-14-001-$k-of-$N/letters.pdf"
done
# A second run of shard 1 with a reprint: its next number, its suffix.
first_id=$(sed -n 's/^piece \([^ ]*\) .*/\1/p' "$m/state/mail-state.1-of-$N" | head -n 1)
rn --policy "$m/policy.xml" --shard "1/$N" --reissue "$first_id" -o "$m/out" "$IN"
check "mail shard 1 again: job 002 of its own" \
	test -s "$m/out/mail/jobs/2024-03-14-002-1-of-$N/letters.pdf"
check "mail shard 1 again: other shards' numbers not taken" \
	test ! -e "$m/out/mail/jobs/2024-03-14-002-2-of-$N"
check "mail shards: no shared state" test ! -e "$m/state/mail-state"
serials_ok=0 serials_all=""
for k in $(seq 1 "$N"); do
	s=$(sed -n 's/^piece [^ ]* [^ ]* \([0-9]*\) .*/\1/p' "$m/state/mail-state.$k-of-$N")
	check "mail shard $k: issued serials" test -n "$s"
	assert_eq "mail shard $k: state serials are $k mod $N" "" \
		"$(for v in $s; do [ $((v % N)) -eq $((k % N)) ] || echo "$v"; done)"
	# The tracking code ends in the 9-digit serial (6-digit mailer id);
	# a foreign address has a serial but no barcode.
	t=$(col "$m/out/mail/manifest-$k-of-$N.csv" 6 | grep . | cut -c12-20 |
		sed 's/^0*//')
	check "mail shard $k: barcodes printed" test -n "$t"
	assert_eq "mail shard $k: every barcode serial is in its state" "" \
		"$(comm -13 <(echo "$s" | sort) <(echo "$t" | sort))"
	serials_all="$serials_all $s"
	rows=$((${rows:-0} + $(col "$m/out/mail/manifest-$k-of-$N.csv" 1 | wc -l)))
done
assert_eq "serials distinct across shards" "" \
	"$(echo $serials_all | tr ' ' '\n' | sort | uniq -d)"
"$RNPACK" --merge-summaries "$m/out" 2>/dev/null
assert_eq "mail merge: the unsharded exit status" "$RC_ONE" "$?"
# summary.json lists every finding: the policy's office takes away
# only the sample-office warnings.
no_sample() { jq -S '[.[] | .findings |= map(select(.code != "sample-office"))]' "$1"; }
check "mail merge: summary.json as without mail (but the sample office)" \
	cmp <(no_sample "$ONE/summary.json") <(no_sample "$m/out/summary.json")
check "mail merge: summary.json has no sample-office finding" \
	bash -c "! grep -q sample-office '$m/out/summary.json'"
assert_eq "mail merge: every piece in the merged manifest" "$rows" \
	"$(col "$m/out/mail/manifest.csv" 1 | wc -l)"
assert_eq "mail merge: barcode serials distinct" "" \
	"$(col "$m/out/mail/manifest.csv" 6 | grep . | sort | uniq -d)"

# Running a shard again finds its pieces in its own state.
cp "$m/state/mail-state.1-of-$N" "$m/before"
rn --policy "$m/policy.xml" --shard "1/$N" -o "$m/out" "$IN"
check "mail shard 1 again: state unchanged" cmp -s "$m/before" "$m/state/mail-state.1-of-$N"
assert_eq "mail shard 1 again: every piece already issued" "" \
	"$(col "$m/out/mail/manifest-1-of-$N.csv" 13 | grep -v '^already-issued$' || true)"
