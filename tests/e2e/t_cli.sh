# t_cli.sh - the command line contract (docs/reports.md): options,
# exit statuses, the policy file, signals, and where output may go.

good="$SAMPLES/complete-red-notice.xml"

assert_status "--help" 0 "$RNPACK" --help
check "--version names the program" bash -c "'$RNPACK' --version | grep -q '^rnpack '"
assert_status "no input" 64 "$RNPACK" --check-only
assert_status "unknown option" 64 "$RNPACK" --bogus "$good"
assert_status "bad --as-of" 64 "$RNPACK" --as-of 2024-02-30 "$good"
assert_status "bad --jobs" 64 "$RNPACK" -j 0 "$good"
assert_status "non-numeric --jobs" 64 "$RNPACK" --jobs two "$good"

# A missing input is invalid (2), the rest of the batch still runs.
d=$(scratch)
rn --check-only -o "$d/out" "$d/nope.xml" "$good"
assert_eq "missing input: exit status" 2 "$RC"
assert_eq "missing input: invalid entry" invalid \
	"$(json "$d/out/summary.json" '.[0].status')"
assert_eq "missing input: good case still complete" complete \
	"$(json "$d/out/HOU-2024-00017/report.json" .status)"

# Only complete cases: status 0.  Withheld documents: status 1.
d=$(scratch)
rn --check-only -o "$d/out" "$good"
assert_eq "complete case: exit status" 0 "$RC"
rn --check-only -o "$d/out2" "$SAMPLES/approval-missing.xml"
assert_eq "partial case: exit status" 1 "$RC"

# A full run writes the packet and the same report as --check-only,
# which writes no PDF.
d=$(scratch)
rn -o "$d/full" "$good"
check "full run writes packet.pdf" test -s "$d/full/HOU-2024-00017/packet.pdf"
rn --check-only -o "$d/chk" "$good"
check "--check-only writes no packet.pdf" test ! -e "$d/chk/HOU-2024-00017/packet.pdf"
check "full run and --check-only give the same report" \
	cmp -s "$d/full/HOU-2024-00017/report.json" "$d/chk/HOU-2024-00017/report.json"

# Same input and as-of date: the same bytes.
rn --check-only -o "$d/again" "$good"
check "report.json is reproducible" \
	cmp -s "$d/chk/HOU-2024-00017/report.json" "$d/again/HOU-2024-00017/report.json"
check "summary.json is reproducible" \
	cmp -s "$d/chk/summary.json" "$d/again/summary.json"

# Policy: a bad one stops the run before any case is read (4).
d=$(scratch)
printf '<policy xmlns="urn:rnpack:policy:1"><responseDays>0</responseDays></policy>' > "$d/bad.xml"
rn --check-only --policy "$d/bad.xml" -o "$d/out" "$good"
assert_eq "bad policy: exit status" 4 "$RC"
check "bad policy: nothing processed" test ! -e "$d/out/summary.json"
check "bad policy: message names the file" grep -q "bad.xml" "$E2E_TMP/last.stderr"
printf '<policy xmlns="urn:rnpack:policy:1"><responseDays>30' > "$d/broken.xml"
assert_status "truncated policy" 4 "$RNPACK" --check-only --policy "$d/broken.xml" -o "$d/o2" "$good"
assert_status "missing policy file" 4 "$RNPACK" --check-only --policy "$d/none.xml" -o "$d/o3" "$good"

# A real policy: the office is named, so no sample-office; shorter limits
# and a longer response time change the results.
cat > "$d/policy.xml" <<'XML'
<policy xmlns="urn:rnpack:policy:1">
  <verificationMaxAgeDays>10</verificationMaxAgeDays>
  <responseDays>45</responseDays>
  <office>
    <name>U.S. Immigration and Customs Enforcement</name>
    <unit>Enforcement and Removal Operations, Houston Field Office</unit>
    <address><line>126 Northpoint Dr</line><city>Houston</city><state>TX</state><postalCode>77060-3209</postalCode></address>
    <phone>281-555-0142</phone>
  </office>
</policy>
XML
rn --check-only --policy "$d/policy.xml" -o "$d/pol" "$good"
r="$d/pol/HOU-2024-00017/report.json"
assert_eq "policy office: no sample-office" "" \
	"$(json "$r" '[.findings[].code | select(. == "sample-office")] | join(",")')"
assert_eq "policy verificationMaxAgeDays 10: stale" verification-stale \
	"$(json "$r" '[.findings[].code] | join(",")')"

# responseDays from the policy: a case that is complete with the policy's
# limits (verification age allowed up to 30 again).
sed 's|<verificationMaxAgeDays>10</verificationMaxAgeDays>||' "$d/policy.xml" > "$d/policy45.xml"
rn --check-only --policy "$d/policy45.xml" -o "$d/pol45" "$good"
# Served by mail: 2024-03-14 + 45 + 3 mail days = Wednesday 2024-05-01.
assert_eq "policy responseDays 45" 2024-05-01 \
	"$(json "$d/pol45/HOU-2024-00017/report.json" .responseDue)"

# Templates folder: a missing one is a configuration error.
assert_status "missing --templates folder" 4 "$RNPACK" --check-only --templates "$d/none" -o "$d/o4" "$good"

# A planted link in the output folder must not lead outside it.
d=$(scratch)
mkdir -p "$d/out" "$d/outside"
ln -s "$d/outside" "$d/out/HOU-2024-00017"
rn --check-only -o "$d/out" "$good"
assert_eq "planted link: output error" 3 "$RC"
check "planted link: nothing written outside" test -z "$(ls -A "$d/outside")"

# Output folder that cannot be created: status 3.
assert_status "output under a regular file" 3 "$RNPACK" --check-only -o "$good/out" "$good"

# Signals: the cases in progress finish, the summaries cover what was
# processed, and the status is 128 + signal.
signal_run() {
	local sig=$1 want=$2 d n total
	d=$(scratch)
	mkdir "$d/in"
	# 10000 distinct cases: at least 3 s of CPU at -j1 (schema validation
	# alone is ~0.3 ms a case), so a signal after 0.3 s lands mid-batch.
	awk -v dir="$d/in" '
		{ lines[NR] = $0 }
		END { for (i = 0; i < 10000; i++) {
			f = sprintf("%s/c%05d.xml", dir, i)
			for (k = 1; k <= NR; k++) {
				l = lines[k]
				sub(/id="HOU-2024-00017"/, "id=\"C-" i "\"", l)
				print l > f
			}
			close(f) } }' "$good"
	"$RNPACK" --check-only --as-of "$AS_OF" -o "$d/out" "$d/in" 2>"$d/err" &
	local pid=$! t
	# Once the first case is written (not a fixed delay: a loaded
	# machine may take longer than that to start).
	for ((t = 0; t < 200; t++)); do
		compgen -G "$d/out/C-*" > /dev/null && break
		sleep 0.05
	done
	kill -"$sig" "$pid"
	wait "$pid"
	assert_eq "$sig: exit status" "$want" "$?"
	n=$(jq length "$d/out/summary.json")
	total=10000
	check "$sig: summary covers some but not all inputs ($n)" \
		test "$n" -gt 0 -a "$n" -lt "$total"
	check "$sig: every summarised case has its report" test \
		"$(ls -d "$d"/out/C-* | wc -l)" -eq "$n"
	check "$sig: no temporary file left" test -z \
		"$(find "$d/out" -name '.tmp.*')"
	# N counts every input given, the counts only those processed.
	assert_eq "$sig: totals line" \
		"rnpack: 10000 inputs as of $AS_OF: $n complete, 0 partial, 0 blocked, 0 invalid; no print job: interrupted" \
		"$(tail -n 1 "$d/err")"
}
signal_run TERM 143
signal_run INT 130

# ---- the totals line, the last line of every run that reads inputs -------

# totals: the last line of the last run's stderr.
totals() { tail -n 1 "$E2E_TMP/last.stderr"; }
d=$(scratch)
mkdir "$d/in" "$d/empty"
cp "$good" "$d/in/a.xml"
cp "$SAMPLES/approval-missing.xml" "$d/in/b.xml"
cp "$SAMPLES/contradicted-judicial-data.xml" "$d/in/c.xml"
# The sample office writes no print job; a real office does.
rn -o "$d/smp" "$d/in" "$d/nope.xml"
assert_eq "totals: the sample office writes no print job" \
	"rnpack: 4 inputs as of $AS_OF: 1 complete, 1 partial, 1 blocked, 1 invalid; no print job: sample office" \
	"$(totals)"
pol="$SAMPLES/policy/houston-mail.xml"
rn --policy "$pol" -o "$d/out" "$d/in" "$d/nope.xml"
assert_eq "totals: full run with a print job" \
	"rnpack: 4 inputs as of $AS_OF: 1 complete, 1 partial, 1 blocked, 1 invalid; print job $d/out/mail/jobs/$AS_OF-001 (2 pieces, 1 print files)" \
	"$(totals)"
rn --policy "$pol" -o "$d/out" "$d/in" "$d/nope.xml"
assert_eq "totals: the same run again issues nothing new" \
	"rnpack: 4 inputs as of $AS_OF: 1 complete, 1 partial, 1 blocked, 1 invalid; no print job: no new piece" \
	"$(totals)"
rn --check-only --quiet -o "$d/chk" "$d/in"
assert_eq "totals: --check-only, also with --quiet" \
	"rnpack: 3 inputs as of $AS_OF: 1 complete, 1 partial, 1 blocked, 0 invalid; no print job: check only" \
	"$(cat "$E2E_TMP/last.stderr" | grep -v -e ": partial" -e ": blocked")"
rn --check-only -o "$d/chk" --shard 1/1 "$d/in"
check "totals: a shard run too" grep -q '^rnpack: 3 inputs as of' "$E2E_TMP/last.stderr"

# A folder with no case file is said by name; the status is unchanged.
rn --check-only -o "$d/e" "$d/empty"
assert_eq "empty folder: exit status 0" 0 "$RC"
check "empty folder: named on stderr" \
	grep -qxF "rnpack: $d/empty: no case file (*.xml) in this folder" "$E2E_TMP/last.stderr"
assert_eq "empty folder: totals line" \
	"rnpack: 0 inputs as of $AS_OF: 0 complete, 0 partial, 0 blocked, 0 invalid; no print job: check only" \
	"$(totals)"
rn --check-only -o "$d/e2" "$d/in"
check "a folder with cases: no such message" \
	bash -c "! grep -q 'no case file' '$E2E_TMP/last.stderr'"

# No totals line where no input is read.
for args in --help --version "--check-only" "--bogus $good" \
    "--merge-summaries $d/nothing"; do
	"$RNPACK" $args > /dev/null 2> "$d/err"
	check "no totals line: $args" bash -c "! grep -q ' inputs as of ' '$d/err'"
done
rn --check-only --policy "$d/nope.xml" -o "$d/o5" "$good"
check "no totals line: status 4" bash -c "! grep -q ' inputs as of ' '$E2E_TMP/last.stderr'"

# Ids reserved for the run's own files (rev 2 adds index.html and
# index-K-of-N.html), compared ignoring case: duplicate-case-id.
d=$(scratch)
for id in Index.html index-2-of-3.HTML summary-1-of-2.index; do
	sed "s/id=\"HOU-2024-00017\"/id=\"$id\"/" "$good" > "$d/$id.xml"
	rn --check-only -o "$d/out" "$d/$id.xml"
	assert_eq "reserved id $id: exit status" 2 "$RC"
	assert_eq "reserved id $id: duplicate-case-id" "invalid duplicate-case-id" \
		"$(json "$d/out/summary.json" '.[0] | .status + " " + .findings[0].code')"
	check "reserved id $id: no case folder" test ! -e "$d/out/$id"
done

# report.json names each font file the PDFs embed, with its face index
# and the SHA-256 of the file.
d=$(scratch)
rn --check-only -o "$d/out" "$good"
r="$d/out/HOU-2024-00017/report.json"
check "report.json: fonts listed" test "$(json "$r" '.rnpack.fonts | length')" -ge 1
assert_eq "report.json: each font's digest is its file's" "" \
	"$(json "$r" '.rnpack.fonts[] | .sha256 + "  " + .file' | sha256sum --quiet -c 2>&1)"
assert_eq "report.json: a .ttf is face 0" "" \
	"$(json "$r" '.rnpack.fonts[] | select((.file | endswith(".ttf")) and .index != 0) | .file')"
assert_eq "report.json: no immigration court, no court submission" not-applicable \
	"$(json "$r" '.documents["court-submission"]')"
assert_eq "report.json: status unchanged by the court submission key" complete \
	"$(json "$r" .status)"

# templates/README lists every field a template may use: each name of
# src/docmodel.c's table (an address's parts under its own name).
assert_eq "templates/README lists every template field" "" \
	"$(python3 - "$RNPACK_SRC" <<'PY'
import re, sys
root = sys.argv[1]
src = open(root + "/src/docmodel.c").read()
table = src[src.index("paths[] = {"):]
table = table[:table.index("NULL")]
readme = open(root + "/templates/README").read()
for p in re.findall(r'"([^"]+)"', table):
    q = re.sub(r"\.address\..*$", ".address", p)
    if not re.search(r"(^|\s)" + re.escape(q) + r"(\s|$)", readme, re.M):
        print(p)
PY
)"
