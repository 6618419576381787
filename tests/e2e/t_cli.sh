# t_cli.sh - the command line contract (DOMAIN.md section 8): options,
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
	"$RNPACK" --check-only --as-of "$AS_OF" -o "$d/out" "$d/in" 2>/dev/null &
	local pid=$!
	sleep 0.3
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
}
signal_run TERM 143
signal_run INT 130
