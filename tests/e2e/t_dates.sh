# t_dates.sh - what the documents say and how they are dated: the
# approval form dated by its decision, the memo to INTERPOL Washington in
# two parts (part 2 free of any protection claim), each copy of the notice
# dated by its own service, the deadline with the mail days, counsel's
# copy whatever the method, service on counsel abroad as representative,
# the certificate of service, and Spanish country names.  Read back with
# pdftotext, page range by page range from the bookmarks.

out=$(scratch)/out
rn -o "$out" "$SAMPLES"

# Every bookmark: "depth<TAB>first-page<TAB>title" (depth 1: a document).
bookmarks() {
	mutool show "$1" outline 2>/dev/null | awk -F'\t' '
		/^[|+-]/ { depth = 0
			for (i = 2; i <= NF && $i == ""; i++) depth++
			t = $i; p = $(i + 1)
			sub(/^"/, "", t); sub(/"$/, "", t)
			sub(/^#page=/, "", p); sub(/&.*/, "", p)
			printf "%d\t%s\t%s\n", depth + 1, p, t }'
}

# range PDF PREFIX [DEPTH]: "first last" of the first bookmark at DEPTH
# (default 1) whose title starts with PREFIX; it runs to the page before
# the next document (depth 1) or to the end.
range() {
	local pdf=$1 prefix=$2 depth=${3:-1} pages
	pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
	bookmarks "$pdf" | awk -F'\t' -v pre="$prefix" -v d="$depth" \
	    -v pages="$pages" '
		found && $1 == 1 { print first, $2 - 1; done = 1; exit }
		!found && $1 == d && index($3, pre) == 1 { found = 1; first = $2 }
		END { if (found && !done) print first, pages }'
}

# text PDF PREFIX [DEPTH]: the flattened text of that range.
text() {
	local r
	r=$(range "$@")
	[ -n "$r" ] || return 0
	pdftotext -f "${r% *}" -l "${r#* }" "$1" - 2>/dev/null | tr -s ' \n\f\t' ' '
}

# page1 PDF: the flattened text of the first page.
page1() { pdftotext -f 1 -l 1 "$1" - 2>/dev/null | tr -s ' \n\f\t' ' '; }

has() {	# NAME TEXT NEEDLE
	if grep -qF -- "$3" <<<"$2"; then pass; else fail "$1: no \"$3\""; fi
}
hasnt() {	# NAME TEXT NEEDLE (case-insensitive)
	if grep -qiF -- "$3" <<<"$2"; then fail "$1: has \"$3\""; else pass; fi
}

# ---- the approval form ---------------------------------------------------

# Pending: a request, dated the day it went to the supervisor.
id=$(xmllint --xpath 'string(/*/@id)' "$SAMPLES/approval-pending.xml")
pdf="$out/$id/packet.pdf"
on=$(xmllint --xpath 'string(//*[local-name()="supervisoryApproval"]/@on)' "$SAMPLES/approval-pending.xml")
long_on=$(LC_ALL=C date -u -d "$on" '+%B %-d, %Y')
form=$(text "$pdf" "Request for supervisory approval")
check "pending: a request for supervisory approval" test -n "$form"
has "pending: dated the day it was submitted" "$form" "Date submitted $long_on"
hasnt "pending: not dated the as-of date" "$form" "March 14, 2024"

# Approved: the record of the decision, dated the decision, never later.
pdf="$out/HOU-2024-00017/packet.pdf"
form=$(text "$pdf" "Record of the supervisory decision")
check "approved: titled Record of the supervisory decision" test -n "$form"
has "approved: headed so" "$form" "Record of the supervisory decision"
has "approved: dated the decision" "$form" "Date of the decision February 22, 2024"
hasnt "approved: no request dated the as-of date" "$form" "March 14, 2024"
assert_eq "approved: no request form" "" \
	"$(range "$pdf" "Request for supervisory approval")"

# Denied: a record too.
id=$(xmllint --xpath 'string(/*/@id)' "$SAMPLES/approval-denied.xml")
form=$(text "$out/$id/packet.pdf" "Record of the supervisory decision")
has "denied: a record of the decision" "$form" "Date of the decision"

# ---- the memo to INTERPOL Washington: dates --------------------------------

# A new request (use authorization): dated the as-of date, with the request
# already sent listed by its date and reference.
pdf="$out/HOU-2024-00438/packet.pdf"
memo=$(text "$pdf" "Request to INTERPOL Washington")
has "new request: dated the as-of date" "$memo" "DATE: March 14, 2024"
has "new request: asks for use authorization" "$memo" \
	"Please authorize the use of the notice and its documentation in legal proceedings in the United States"
has "new request: lists the request sent, dated" "$memo" \
	"sent on February 23, 2024 (reference USNCB-2024-0456)"
hasnt "new request: not a record copy" "$memo" "Record copy"

# Every request already sent: a record copy, dated the latest request.
d=$(scratch)
sed 's|<useAuthorization requestedOn="2024-02-23"|<useAuthorization requestedOn="2024-02-26"|' \
	"$SAMPLES/complete-red-notice.xml" > "$d/case.xml"
check "record copy: variant made" grep -q 'requestedOn="2024-02-26"' "$d/case.xml"
rn -o "$d/out" "$d/case.xml"
pdf="$d/out/HOU-2024-00017/packet.pdf"
memo=$(text "$pdf" "Request to INTERPOL Washington")
has "record copy: says so" "$memo" "Record copy"
check "record copy: bookmark says so" bash -c \
	'mutool show "$1" outline | grep -qF "Request to INTERPOL Washington (record copy)"' _ "$pdf"
has "record copy: dated the latest request" "$memo" "DATE: February 26, 2024"
has "record copy: documentation request by its date" "$memo" \
	"sent on February 23, 2024 (reference USNCB-2024-0456)"
has "record copy: use request by its date" "$memo" \
	"legal proceedings in the United States, sent on February 26, 2024"
hasnt "record copy: not dated the as-of date" "$memo" "March 14, 2024"

# ---- the memo's two parts ------------------------------------------------

pdf="$out/HOU-2024-00017/packet.pdf"
p1=$(text "$pdf" "Request to INTERPOL Washington")
part2=$(range "$pdf" "Part 2: Request to be forwarded" 2)
check "part 2: a bookmark under the memo" test -n "$part2"
memo_r=$(range "$pdf" "Request to INTERPOL Washington")
assert_eq "part 2: runs to the memo's last page" "${memo_r#* }" "${part2#* }"
check "part 2: begins on a later page than the memo" \
	test "${part2% *}" -gt "${memo_r% *}"
has "part 1: headed" "$p1" "Part 1: Transmittal (U.S. government use only)"
has "part 1: only part 2 is forwarded" "$p1" "Please forward only part 2"
t2=$(pdftotext -f "${part2% *}" -l "${part2#* }" "$pdf" - | tr -s ' \n\f\t' ' ')
has "part 2: headed" "$t2" "Part 2: Request to be forwarded"
case "$(pdftotext -f "${part2% *}" -l "${part2% *}" "$pdf" - | head -c 2000)" in
*"Part 2: Request to be forwarded"*) pass ;;
*) fail "part 2: heading on its first page" ;;
esac
check "part 1: not on part 2's pages" \
	bash -c '! grep -qF "Part 1: Transmittal" <<<"$1"' _ "$t2"
has "part 2: asks for disclosure to the subject and counsel" "$t2" \
	"authorization to disclose the notice and that documentation to the person concerned and to the person's counsel"

# A protected person: 8 CFR 208.6 in part 1, nothing of it in part 2.
pdf="$out/MIA-2024-00412/packet.pdf"
assert_eq "protected: protected-person reported" "protected-person:warning:review" \
	"$(json "$out/MIA-2024-00412/report.json" '[.findings[] | select(.code == "protected-person") | "\(.code):\(.severity):\(.step)"] | join(",")')"
p1=$(text "$pdf" "Request to INTERPOL Washington")
has "protected: part 1 gives the 208.6 instruction" "$p1" "8 CFR 208.6"
has "protected: part 1 says nothing may reach the country" "$p1" \
	"Nothing that reveals a protection claim may reach that country"
part2=$(range "$pdf" "Part 2: Request to be forwarded" 2)
check "protected: part 2 bookmarked" test -n "$part2"
t2=$(pdftotext -f "${part2% *}" -l "${part2#* }" "$pdf" - | tr -s ' \n\f\t' ' ')
check "protected: part 2 has text" test -n "$t2"
for w in asylum refugee withholding torture protection 208.6 \
	"immigration proceedings" "immigration court" \
	"Removal proceedings with an asylum application" \
	A123456789 "Aggravated fraud" MIA-2024-00412 "Juzgado"; do
	hasnt "protected: part 2 (pages ${part2}) free of '$w'" "$t2" "$w"
done
for w in "RAMÍREZ NÚÑEZ, José Luis" "March 12, 1984" "A-1234/5-2023" \
	"Venezuela" "USNCB-2024-0456" "Red Notice" \
	"legal proceedings in the United States" \
	"U.S. Immigration and Customs Enforcement"; do
	has "protected: part 2 has '$w'" "$t2" "$w"
done

# ---- each copy of the notice, dated by its service ------------------------

# By mail: 2024-03-14 + 30 days + 3 mail days = Tuesday 2024-04-16.
r="$out/HOU-2024-00017/report.json"
assert_eq "mail: responseDue with the mail days" 2024-04-16 "$(json "$r" .responseDue)"
p=$(page1 "$out/HOU-2024-00017/mail-subject.pdf")
has "mail: Respond by on the first page" "$p" "Respond by April 16, 2024"
has "mail: how to ask for more time" "$p" "If you need more time, write to us"
has "mail: the letter dated the service date" "$p" "Date: March 14, 2024"
check "mail: piece PDF dated the service date" bash -c \
	'pdfinfo -isodates "$1" | grep -q "^CreationDate: *2024-03-14"' _ \
	"$out/HOU-2024-00017/mail-subject.pdf"
notice=$(pdftotext "$out/HOU-2024-00017/mail-subject.pdf" - | tr -s ' \n\f\t' ' ')
has "mail: certificate, complete upon mailing" "$notice" \
	"Service by mail is complete upon mailing (8 CFR 103.8(b))"
hasnt "mail: no court-filing rule" "$notice" "1003.32"
has "mail: certificate names the subject served by mail" "$notice" \
	"on March 14, 2024, on José Luis Ramírez Núñez, by first-class mail"
has "mail: certificate names counsel served by mail" "$notice" \
	"on March 14, 2024, on Ana Torres, Esq., counsel of record, by first-class mail"
has "mail: the right to examine the evidence" "$notice" "8 CFR 1240.10(a)(4)"
for w in "application form" "power of attorney" "photograph" \
	"not redacted" "about four months" "about nine months" \
	"200 quai Charles de Gaulle, 69006 Lyon, France" "by e-mail" \
	"free of charge" "Arabic, English, French or Spanish" \
	"no substitute for answering this letter by its deadline"; do
	has "mail: the CCF route: $w" "$notice" "$w"
done
no_proc=$(xmllint --xpath 'string(/*/@id)' "$SAMPLES/no-proceedings.xml")
hasnt "no proceedings: no right to examine in proceedings" \
	"$(pdftotext "$out/$no_proc/packet.pdf" - | tr -s ' \n' ' ')" "1240.10"

# A weekend: served 2024-03-18 by mail, + 33 = Saturday 2024-04-20 ->
# Monday 2024-04-22.
d=$(scratch)
sed 's|<service method="mail" on="2024-03-14"/>|<service method="mail" on="2024-03-18"/>|' \
	"$SAMPLES/complete-red-notice.xml" > "$d/case.xml"
rn --check-only -o "$d/out" "$d/case.xml"
assert_eq "mail: a deadline on a Saturday moves to Monday" 2024-04-22 \
	"$(json "$d/out/HOU-2024-00017/report.json" .responseDue)"

# A federal holiday: served by mail on Friday 2024-05-17, + 33 = Wednesday
# 2024-06-19, Juneteenth (5 U.S.C. 6103) -> Thursday 2024-06-20.  The
# notice verified again on 2024-05-10 so that it is valid as of then.
d=$(scratch)
sed -e 's|<service method="mail" on="2024-03-14"/>|<service method="mail" on="2024-05-17"/>|' \
    -e 's|<verification on="2024-02-20" method="I-24/7 query">valid</verification>|&<verification on="2024-05-10" method="I-24/7 query">valid</verification>|' \
	"$SAMPLES/complete-red-notice.xml" > "$d/case.xml"
"$RNPACK" --as-of 2024-05-17 --check-only -o "$d/out" "$d/case.xml" >/dev/null 2>&1
assert_eq "mail: a deadline on Juneteenth moves to the next day" 2024-06-20 \
	"$(json "$d/out/HOU-2024-00017/report.json" .responseDue)"
assert_eq "mail: that case is complete" complete \
	"$(json "$d/out/HOU-2024-00017/report.json" .status)"

# Only an issued piece keeps its date, and only a real office issues
# pieces (the sample office writes no print job).
pol="$SAMPLES/policy/houston-mail.xml"

# A later run keeps the first service date, on the letter and on its
# certificate alike.
d=$(scratch)
sed 's|<service method="mail" on="2024-03-14"/>|<service method="mail"/>|' \
	"$SAMPLES/complete-red-notice.xml" > "$d/case.xml"
rn --policy "$pol" -o "$d/out" "$d/case.xml"
"$RNPACK" --policy "$pol" --as-of 2024-03-20 -o "$d/out" "$d/case.xml" >/dev/null 2>&1
t=$(text "$d/out/HOU-2024-00017/packet.pdf" "Notice to the subject")
has "later run: letter keeps the first date" "$t" "Date: March 14, 2024"
has "later run: certificate keeps the first date" "$t" "on March 14, 2024, on José"
hasnt "later run: nothing in the notice dated the later run" "$t" "March 20, 2024"
has "later run: the summary is as of the later run" \
	"$(text "$d/out/HOU-2024-00017/packet.pdf" "Compliance summary")" "March 20, 2024"

# The case later gives another service date: the issued date stands, with
# service-date-changed (a warning that withholds nothing).
d=$(scratch)
rn --policy "$pol" -o "$d/out" "$SAMPLES/complete-red-notice.xml"
rn --policy "$pol" -o "$d/out" "$SAMPLES/complete-red-notice.xml"
assert_eq "same service date again: no service-date-changed" "" \
	"$(json "$d/out/HOU-2024-00017/report.json" '[.findings[] | select(.code == "service-date-changed")] | map(.code) | join(",")')"
sed 's|<service method="mail" on="2024-03-14"/>|<service method="mail" on="2024-03-15"/>|' \
	"$SAMPLES/complete-red-notice.xml" > "$d/case.xml"
rn --policy "$pol" -o "$d/out" "$d/case.xml"
r="$d/out/HOU-2024-00017/report.json"
assert_eq "changed service date: service-date-changed" \
	"service-date-changed:warning:subject-notice:" \
	"$(json "$r" '[.findings[] | select(.code == "service-date-changed") | "\(.code):\(.severity):\(.step):\(.withholds | join(","))"] | join(",")')"
assert_eq "changed service date: the issued deadline stands" 2024-04-16 \
	"$(json "$r" .responseDue)"
has "changed service date: the letter keeps its date" \
	"$(page1 "$d/out/HOU-2024-00017/mail-subject.pdf")" "Date: March 14, 2024"

# Counsel appears after the notice was mailed: counsel's copy is served
# when it is first issued (2024-03-20 + 33 = Monday 2024-04-22), the
# subject's piece keeps its date, and responseDue is the later deadline.
d=$(scratch)
sed -e 's|<service method="mail" on="2024-03-14"/>|<service method="mail"/>|' \
	"$SAMPLES/complete-red-notice.xml" > "$d/with.xml"
sed -e '/<counsel>/,/<\/counsel>/d' "$d/with.xml" > "$d/without.xml"
check "late counsel: variant without counsel" bash -c "! grep -q counsel '$d/without.xml'"
rn --policy "$pol" -o "$d/out" "$d/without.xml"
"$RNPACK" --policy "$pol" --as-of 2024-03-20 -o "$d/out" "$d/with.xml" >/dev/null 2>&1
c="$d/out/HOU-2024-00017"
has "late counsel: subject's piece keeps its date" "$(page1 "$c/mail-subject.pdf")" \
	"Date: March 14, 2024"
has "late counsel: counsel's piece dated when issued" "$(page1 "$c/mail-counsel.pdf")" \
	"Date: March 20, 2024"
has "late counsel: counsel's piece, its own deadline" "$(page1 "$c/mail-counsel.pdf")" \
	"Respond by April 22, 2024"
assert_eq "late counsel: responseDue the later deadline" 2024-04-22 \
	"$(json "$c/report.json" .responseDue)"

# ---- personal service with counsel ----------------------------------------

# Served in person on 2024-03-12: counsel's copy mailed on the later of
# that day and the as-of date (2024-03-14); the deadline 2024-03-12 + 30 =
# Thursday 2024-04-11, without mail days.
c="$out/HOU-2024-00433"
assert_eq "personal+counsel: deadline without mail days" 2024-04-11 \
	"$(json "$c/report.json" .responseDue)"
check "personal+counsel: counsel's piece mailed" test -f "$c/mail-counsel.pdf"
check "personal+counsel: nothing mailed to the subject" test ! -e "$c/mail-subject.pdf"
p=$(page1 "$c/mail-counsel.pdf")
has "personal+counsel: counsel's copy dated its mailing" "$p" "Date: March 14, 2024"
has "personal+counsel: counsel's copy gives the deadline" "$p" "Respond by April 11, 2024"
check "personal+counsel: counsel's piece PDF dated its mailing" bash -c \
	'pdfinfo -isodates "$1" | grep -q "^CreationDate: *2024-03-14"' _ "$c/mail-counsel.pdf"
t=$(text "$c/packet.pdf" "Notice to the subject, case HOU-2024-00433 (subject's copy)")
has "personal+counsel: subject's copy dated the service" "$t" "Date: March 12, 2024"
has "personal+counsel: letter names counsel's copy" "$t" \
	"A copy of this notice is sent to Ana Torres, Esq., your counsel of record"
has "personal+counsel: certificate: subject in person" "$t" \
	"on March 12, 2024, on José Luis Ramírez Núñez, by personal delivery"
has "personal+counsel: certificate: counsel by mail, with the address" "$t" \
	"on March 14, 2024, on Ana Torres, Esq., counsel of record, by first-class mail, postage prepaid (a copy), addressed as follows: Ana Torres, Esq. 500 Travis St Ste 200"
has "personal+counsel: complete upon mailing" "$t" "complete upon mailing"

# Personal service without a date: blank date lines, no deadline anywhere.
c="$out/HOU-2024-00434"
assert_eq "no service date: service-date-missing on subject-notice" \
	"service-date-missing:warning:subject-notice" \
	"$(json "$c/report.json" '[.findings[] | select(.code == "service-date-missing") | "\(.code):\(.severity):\(.step)"] | join(",")')"
assert_eq "no service date: no responseDue" false "$(json "$c/report.json" 'has("responseDue")')"
assert_eq "no service date: the notice is made" generated \
	"$(json "$c/report.json" '.documents["subject-notice"]')"
all=$(pdftotext "$c/packet.pdf" - | tr -s ' \n\f\t' ' ')
check "no service date: no Respond by a date" \
	bash -c '! grep -qE "Respond by [A-Z][a-z]+ [0-9]" <<<"$1"' _ "$all"
t=$(text "$c/packet.pdf" "Notice to the subject, case HOU-2024-00434 (subject's copy)")
has "no service date: a blank to fill in" "$t" "Respond by:"
hasnt "no service date: the letter is not dated" "$t" "Date: March"
has "no service date: delivery date left blank" "$t" "(date of delivery)"
check "no service date: counsel's copy still mailed" test -f "$c/mail-counsel.pdf"
check "no service date: no Respond by a date on counsel's piece" bash -c \
	'! pdftotext "$1" - | tr -s " \n" " " | grep -qE "Respond by [A-Z][a-z]+ [0-9]"' _ "$c/mail-counsel.pdf"

# ---- counsel abroad, no subject address: served on counsel ----------------

c="$out/HOU-2024-00435"
p=$(page1 "$c/mail-subject.pdf")
has "representative: under the date" "$p" \
	"Served on Lic. Ana Torres Medina as representative of José Luis Ramírez Núñez"
hasnt "representative: no in care of" "$p" "c/o"
case "$(pdftotext -layout -f 1 -l 1 "$c/mail-subject.pdf" - | grep -m1 -E 'ANA TORRES|JOSÉ|JOSE')" in
*"ANA TORRES MEDINA"*) pass ;;
*) fail "representative: the address block shows counsel alone" ;;
esac
check "representative: no counsel's copy besides" test ! -e "$c/mail-counsel.pdf"
has "representative: certificate" "$(pdftotext "$c/mail-subject.pdf" - | tr -s ' \n' ' ')" \
	"as representative of José Luis Ramírez Núñez, by first-class mail"

# ---- counsel's copy that cannot be printed withholds the notice ------------

c="$out/HOU-2024-00436"
assert_eq "counsel does not fit: notice withheld" blocked \
	"$(json "$c/report.json" '.documents["subject-notice"]')"
assert_eq "counsel does not fit: by address-does-not-fit" true \
	"$(json "$c/report.json" '[.findings[] | select(.code == "address-does-not-fit") | .withholds[]] | index("subject-notice") != null')"
check "counsel does not fit: no piece at all" \
	test -z "$(find "$c" -name 'mail-*')"

# ---- Spanish country names (CLDR, through ICU) -----------------------------

c="$out/HOU-2024-00437"
es=$(text "$c/packet.pdf" "Aviso a la persona interesada")
has "es: DE is Alemania" "$es" "Solicitada por: Alemania"
has "es: the English letter keeps Germany" \
	"$(text "$c/packet.pdf" "Notice to the subject")" "Requested by: Germany"
d=$(scratch)
for pair in VE:Venezuela US:"Estados Unidos" CN:China XK:Kosovo; do
	code=${pair%%:*} name=${pair#*:}
	sed "s|<issuingCountry>DE</issuingCountry>|<issuingCountry>$code</issuingCountry>|" \
		"$SAMPLES/spanish-country-names.xml" > "$d/$code.xml"
	rn -o "$d/$code" "$d/$code.xml"
	has "es: $code is $name" \
		"$(text "$d/$code/HOU-2024-00437/packet.pdf" "Aviso a la persona interesada")" \
		"Solicitada por: $name"
done
