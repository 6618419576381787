# t_offices.sh - several offices (policy <office code>, case
# officer/office/@code): each case's documents carry its own office's
# letterhead, return address and response address; a case whose office
# the policy does not list is office-unknown and gets only its compliance
# summary; a filer naming an unknown office withholds only the court
# submission; a policy whose offices share a code is refused (exit 4).

offices_policy="$SAMPLES/policy/two-offices.xml"
od=$(scratch)
mkdir -p "$od/in"
sed -e 's|id="HOU-2024-00017"|id="OFF-HOU-1"|' \
	-e 's|<office>ERO Houston</office>|<office code="ERO-HOU">ERO Houston</office>|' \
	"$SAMPLES/complete-red-notice.xml" > "$od/in/a-hou.xml"
sed -e 's|id="HOU-2024-00017"|id="OFF-MIA-2"|' \
	-e 's|<office>ERO Houston</office>|<office code="ERO-MIA">ERO Miami</office>|' \
	"$SAMPLES/complete-red-notice.xml" > "$od/in/b-mia.xml"
# no code: with several offices the case names none of them
cp "$SAMPLES/complete-red-notice.xml" "$od/in/c-none.xml"
cp "$SAMPLES/office-unknown.xml" "$od/in/d-dal.xml"
check "offices: the HOU case names ERO-HOU" grep -q 'code="ERO-HOU"' "$od/in/a-hou.xml"
check "offices: the MIA case names ERO-MIA" grep -q 'code="ERO-MIA"' "$od/in/b-mia.xml"

rn --policy "$offices_policy" -o "$od/out" "$od/in"
codes() { jq -r '[.findings[].code] | unique | join(",")' "$od/out/$1/report.json"; }
status() { jq -r '.status' "$od/out/$1/report.json"; }

for id in OFF-HOU-1 OFF-MIA-2; do
	assert_eq "offices: $id complete" complete "$(status "$id")"
	assert_eq "offices: $id no findings (no sample office)" "" "$(codes "$id")"
done
hou=$(pdftotext "$od/out/OFF-HOU-1/packet.pdf" - 2>/dev/null)
mia=$(pdftotext "$od/out/OFF-MIA-2/packet.pdf" - 2>/dev/null)
# The letterhead, the return address and "send your response to": the
# office's street appears once per place in the notice and memo.
check "offices: HOU packet has the Houston office" \
	test "$(grep -c '126 Northpoint Dr' <<<"$hou")" -ge 2
check "offices: HOU packet has the Houston unit" \
	grep -q 'Houston Field Office' <<<"$hou"
check "offices: HOU packet has no Miami office" \
	test "$(grep -c -e '865 SW 78th' -e 'Miami Field Office' <<<"$hou")" -eq 0
check "offices: MIA packet has the Miami office" \
	test "$(grep -c '865 SW 78th Ave Ste 101' <<<"$mia")" -ge 2
check "offices: MIA packet has Plantation, FL" \
	grep -q 'Plantation, FL 33324-3233' <<<"$mia"
check "offices: MIA packet has the Miami telephone" \
	grep -q '954-555-0177' <<<"$mia"
check "offices: MIA packet has no Houston office" \
	test "$(grep -c -e '126 Northpoint' -e 'Houston Field Office' <<<"$mia")" -eq 0
# The mail piece (window envelope) carries the same office.
check "offices: MIA mail piece from Miami" \
	grep -q '865 SW 78th' <(pdftotext "$od/out/OFF-MIA-2/mail-subject.pdf" - 2>/dev/null)
check "offices: HOU mail piece from Houston" \
	grep -q '126 Northpoint' <(pdftotext "$od/out/OFF-HOU-1/mail-subject.pdf" - 2>/dev/null)

for id in HOU-2024-00017 DAL-2024-00031; do
	assert_eq "offices: $id office-unknown" office-unknown "$(codes "$id")"
	assert_eq "offices: $id blocked" blocked "$(status "$id")"
	assert_eq "offices: $id only the compliance summary" \
		"compliance-summary" \
		"$(jq -r '[.documents | to_entries[] | select(.value == "generated") | .key] | join(",")' \
		"$od/out/$id/report.json")"
	check "offices: $id no mail piece" test ! -e "$od/out/$id/mail-subject.pdf"
done
assert_eq "offices: no code -> the officer's line" \
	"$(grep -n '<officer>' "$od/in/c-none.xml" | cut -d: -f1)" \
	"$(jq -r '.findings[0].line' "$od/out/HOU-2024-00017/report.json")"
assert_eq "offices: unknown code -> the office's line" \
	"$(grep -n 'code="ERO-DAL"' "$od/in/d-dal.xml" | cut -d: -f1)" \
	"$(jq -r '.findings[0].line' "$od/out/DAL-2024-00031/report.json")"
# An approved case's form is the record of the decision.
check "offices: a served case's packet has the approval form" \
	grep -q -e 'Request for supervisory approval' \
		-e 'Record of the supervisory decision' <<<"$hou"
assert_eq "offices: DAL packet is the summary alone" 0 \
	"$(pdftotext "$od/out/DAL-2024-00031/packet.pdf" - 2>/dev/null |
		grep -c -e 'Request for supervisory approval' \
			-e 'Record of the supervisory decision')"

# The filer's office: court submission only.
fd=$(scratch)
mkdir -p "$fd/in"
cp "$SAMPLES/rev2-complete.xml" "$fd/in/a.xml"
cp -r "$SAMPLES/rev2-complete" "$fd/in/"
sed -e 's|id="HOU-2024-00300"|id="HOU-2024-00301"|' \
	-e 's|filer office="OPLA-HOU"|filer office="OPLA-DAL"|' \
	"$SAMPLES/rev2-complete.xml" > "$fd/in/b.xml"
rn --check-only --policy "$offices_policy" -o "$fd/out" "$fd/in"
fcodes() { jq -r '[.findings[].code] | unique | join(",")' "$fd/out/$1/report.json"; }
check "offices: a known filer office is no office-unknown" \
	test "$(jq '[.findings[] | select(.code == "office-unknown")] | length' \
	"$fd/out/HOU-2024-00300/report.json")" -eq 0
assert_eq "offices: unknown filer office -> one office-unknown" 1 \
	"$(jq '[.findings[] | select(.code == "office-unknown")] | length' \
	"$fd/out/HOU-2024-00301/report.json")"
assert_eq "offices: on the filer's line" \
	"$(grep -n '<filer ' "$fd/in/b.xml" | cut -d: -f1)" \
	"$(jq -r '.findings[] | select(.code == "office-unknown") | .line' \
	"$fd/out/HOU-2024-00301/report.json")"
assert_eq "offices: unknown filer office keeps the packet" \
	"$(jq -r .status "$fd/out/HOU-2024-00300/report.json")" \
	"$(jq -r .status "$fd/out/HOU-2024-00301/report.json")"

# Offices sharing a code: a bad policy, before any case is read.
dd=$(scratch)
rn --policy "$SAMPLES/policy/duplicate-office-codes.xml" -o "$dd/out" \
	"$SAMPLES/complete-red-notice.xml"
assert_eq "offices: duplicate office codes -> exit 4" 4 "$RC"
check "offices: duplicate codes named with the line" \
	grep -q 'duplicate-office-codes.xml:12:.*ERO-HOU.*used twice' "$E2E_TMP/last.stderr"
check "offices: no case folder after a bad policy" test ! -e "$dd/out/HOU-2024-00017"
