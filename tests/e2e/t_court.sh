# t_court.sh - the court submission (docs/court-submission.md), read
# back with pdftotext: "Page N of T" on every page, the table of
# contents' ranges against the exhibits' own labels, the caption,
# DETAINED only when detained, the translator's certificates inside
# their exhibits, the proof of service on counsel or else on the
# respondent, none of the internal documents, qpdf --check, the same
# bytes twice, the file removed when a later run withholds it, and the
# response period across two runs.

court_dir=$(scratch)
cases="$court_dir/cases"
mkdir -p "$cases"
cp -r "$SAMPLES/rev2-complete" "$cases/"

# variant SRC DEST SED-SCRIPT: a sample changed by sed, beside the files.
variant() { sed -e "$3" "$SAMPLES/$1" > "$cases/$2"; }

page_text() { pdftotext -f "$2" -l "$2" "$1" - 2>/dev/null | tr -s ' \n\f\t' ' '; }
npages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }
flat_text() { pdftotext "$1" - 2>/dev/null | tr -s ' \n\f\t' ' '; }

has() {	# NAME TEXT NEEDLE
	if grep -qF -- "$3" <<<"$2"; then pass; else fail "$1: no \"$3\""; fi
}
hasnt() { # NAME TEXT NEEDLE
	if grep -qiF -- "$3" <<<"$2"; then fail "$1: has \"$3\""; else pass; fi
}

# check_pages NAME PDF: every page i says "Page i of T", T the count;
# each line "Exhibit X ... pages A-B" of the table of contents agrees
# with the exhibits' own labels (A the first page labelled Exhibit X,
# B the last), and "Proof of Service, page P" with the proof.
check_pages() {
	local name=$1 pdf=$2 t i ok=0 toc x a b p first last
	t=$(npages "$pdf")
	for ((i = 1; i <= t; i++)); do
		grep -qF "Page $i of $t" <<<"$(page_text "$pdf" "$i")" || {
			ok=1; echo "page $i lacks Page $i of $t" >&2; }
	done
	assert_eq "$name: Page N of T on each of its $t pages" 0 "$ok"
	toc=$(pdftotext -layout -f 2 -l 2 "$pdf" - 2>/dev/null)
	check "$name: the table of contents lists exhibits" \
		grep -q '^Exhibit A .*pages [0-9]*-[0-9]*' <<<"$toc"
	while read -r x a b; do
		first=0; last=0
		for ((i = 1; i <= t; i++)); do
			if grep -qF "Exhibit $x, " <<<"$(page_text "$pdf" "$i")"; then
				[ "$first" -eq 0 ] && first=$i
				last=$i
			fi
		done
		assert_eq "$name: Exhibit $x starts on page $a" "$a" "$first"
		# The last page is the translator's certificate (no label of
		# the exhibit's own) or the last labelled page.
		if grep -qF "Certificate of translation" <<<"$(page_text "$pdf" "$b")"; then
			assert_eq "$name: Exhibit $x's certificate ends it (page $b)" \
				"$((last + 1))" "$b"
			has "$name: the certificate on page $b names Exhibit $x" \
				"$(page_text "$pdf" "$b")" "Exhibit $x:"
		else
			assert_eq "$name: Exhibit $x ends on page $b" "$b" "$last"
		fi
	done < <(sed -n 's/^Exhibit \([A-Z]*\) .*pages \([0-9]*\)-\([0-9]*\).*/\1 \2 \3/p' <<<"$toc")
	p=$(sed -n 's/.*Proof of Service, page \([0-9]*\).*/\1/p' <<<"$toc")
	assert_eq "$name: the proof of service is the last page" "$t" "$p"
	has "$name: page $p is the proof of service" \
		"$(page_text "$pdf" "$p")" "Proof of service"
	check "$name: qpdf --check" qpdf --check "$pdf" >/dev/null
}

# ---- a detained respondent, counsel of record ----------------------
cp "$SAMPLES/court-complete.xml" "$cases/"
out="$court_dir/out1"
rn -o "$out" "$cases/court-complete.xml"
pdf="$out/HOU-2024-00701/court-submission.pdf"
check "court-complete: court-submission.pdf written" test -s "$pdf"
assert_eq "court-complete: report says generated" generated \
	"$(json "$out/HOU-2024-00701/report.json" '.documents["court-submission"]')"
assert_eq "court-complete: complete" complete \
	"$(json "$out/HOU-2024-00701/report.json" .status)"
check_pages court-complete "$pdf"
cover=$(page_text "$pdf" 1)
for needle in "RAMÍREZ NÚÑEZ, José Luis" "A123456789" \
	"HOUSTON IMMIGRATION COURT" "EXECUTIVE OFFICE FOR IMMIGRATION REVIEW" \
	"Immigration Judge: Hon. Rosa Alvarez" "Next hearing: May 20, 2024" \
	"Patricia Lee" "Assistant Chief Counsel" "DETAINED" \
	"DHS SUBMISSION OF EVIDENCE: INTERPOL RED NOTICE AND UNDERLYING DOCUMENTATION" \
	"March 14, 2024" "not an arrest warrant"; do
	has "court-complete: the cover page" "$cover" "$needle"
done
toc=$(page_text "$pdf" 2)
has "court-complete: TOC quotes the title" "$toc" \
	'"Arrest warrant JC5-2023-118 (English text as received)"'
has "court-complete: extract first" "$toc" \
	'Exhibit A "Red Notice A-1234/5-2023, extract as received"'
all=$(flat_text "$pdf")
has "court-complete: proof of service on counsel" "$all" \
	"on counsel of record for the respondent (8 CFR 1292.5(a)), Ana Torres, Esq."
has "court-complete: 8 CFR 1003.32(a)" "$all" "1003.32(a)"
has "court-complete: the exhibit's own page" "$all" \
	"SAMPLE - Arrest warrant JC5-2023-118"
for needle in "Compliance summary" "Request for supervisory approval" \
	"Record of the supervisory decision" "Part 1: Transmittal" \
	"National Central Bureau" "Respond by" "is an arrest warrant"; do
	hasnt "court-complete: no internal document" "$all" "$needle"
done

# The same bytes twice.
rn -o "$court_dir/out1b" "$cases/court-complete.xml"
check "court-complete: the same bytes in a second run" \
	cmp -s "$pdf" "$court_dir/out1b/HOU-2024-00701/court-submission.pdf"
# --check-only writes no submission but reports what a full run would.
rn --check-only -o "$court_dir/out1c" "$cases/court-complete.xml"
check "court-complete: --check-only writes none" \
	test ! -e "$court_dir/out1c/HOU-2024-00701/court-submission.pdf"
assert_eq "court-complete: --check-only says generated" generated \
	"$(json "$court_dir/out1c/HOU-2024-00701/report.json" '.documents["court-submission"]')"

# A later run that withholds it (no A-number now) removes it, and any
# part of an earlier split.
variant court-complete.xml court-complete.xml '/<aNumber>/d'
: > "$out/HOU-2024-00701/court-submission-part2.pdf"
rn -o "$out" "$cases/court-complete.xml"
check "withheld later: court-submission.pdf removed" test ! -e "$pdf"
check "withheld later: a part of an earlier split removed" \
	test ! -e "$out/HOU-2024-00701/court-submission-part2.pdf"
assert_eq "withheld later: blocked" blocked \
	"$(json "$out/HOU-2024-00701/report.json" '.documents["court-submission"]')"
assert_eq "withheld later: a-number-missing" a-number-missing \
	"$(json "$out/HOU-2024-00701/report.json" '[.findings[].code] | map(select(. == "a-number-missing")) | .[0]')"
assert_eq "withheld later: exit status 1" 1 "$RC"
check "withheld later: the packet is still written" \
	test -s "$out/HOU-2024-00701/packet.pdf"

# ---- not detained, no counsel: served on the respondent -------------
variant court-filing-deadline.xml nocounsel.xml \
	'/<counsel>/,/<\/counsel>/d'
rn -o "$court_dir/out2" "$cases/nocounsel.xml"
pdf="$court_dir/out2/HOU-2024-00707/court-submission.pdf"
check "filing-deadline: generated (a warning only)" test -s "$pdf"
check_pages no-counsel "$pdf"
hasnt "not detained: no DETAINED" "$(flat_text "$pdf")" "DETAINED"
has "no counsel: served on the respondent" "$(flat_text "$pdf")" \
	"on the respondent, José Luis Ramírez Núñez"
has "no counsel: at the respondent's address" "$(flat_text "$pdf")" \
	"1234 Main St Apt 5"
has "filing-deadline: the finding" \
	"$(json "$court_dir/out2/HOU-2024-00707/report.json" '[.findings[].code] | join(",")')" \
	filing-deadline

# ---- translations and their certificates (a real policy) -----------
policy="$court_dir/policy.xml"
sed -e 's|<policy xmlns="urn:rnpack:policy:1">|&<verificationMaxAgeDays>90</verificationMaxAgeDays>|' \
	-e "s|</policy>|<mailState>$court_dir/mail-state</mailState></policy>|" \
	"$SAMPLES/policy/two-offices.xml" > "$policy"
variant rev2-complete.xml translated.xml \
	'/Charging document, Fiscalía 41 Nacional/d'
rn --policy "$policy" -o "$court_dir/out3" "$cases/translated.xml"
pdf="$court_dir/out3/HOU-2024-00300/court-submission.pdf"
check "translated: court-submission.pdf written" test -s "$pdf"
check_pages translated "$pdf"
all=$(flat_text "$pdf")
for needle in "Laura Gómez" "4800 Main St Ste 310" "713-555-0188" \
	"Carlos Medina" "713-555-0166" "Certified Spanish-English court interpreter" \
	"competent to translate from Spanish into English" \
	"true and accurate to the best of the translator's abilities" \
	"Exhibit B, English translation, page 1 of 1" \
	"SAMPLE - Orden de aprehension JC5-2023-118" \
	"SAMPLE - Arrest warrant JC5-2023-118, English translation" \
	"1003.32(a)" "Ana Torres" "VENEZUELA"; do
	has "translated: the submission" "$all" "$needle"
done
hasnt "translated: not detained" "$all" "DETAINED"
has "translated: the filer's office" "$(page_text "$pdf" 1)" \
	"Office of the Principal Legal Advisor, Houston"

# ---- the filer's office must be the policy's -----------------------
variant rev2-complete.xml badfiler.xml '/Charging document, Fiscalía 41 Nacional/d; s/office="OPLA-HOU"/office="OPLA-XXX"/; s/HOU-2024-00300/HOU-2024-00399/'
rn --check-only --policy "$policy" -o "$court_dir/out4" "$cases/badfiler.xml"
r="$court_dir/out4/HOU-2024-00399/report.json"
assert_eq "filer office unknown: on the filer's line" \
	"$(grep -n '<filer office=' "$cases/badfiler.xml" | cut -d: -f1)" \
	"$(json "$r" '.findings[] | select(.code == "office-unknown") | .line')"
assert_eq "filer office unknown: withholds the submission only" \
	'["court-submission"]' \
	"$(json "$r" '.findings[] | select(.code == "office-unknown") | .withholds | tostring')"
assert_eq "filer office unknown: the notice still generated" generated \
	"$(json "$r" '.documents["subject-notice"]')"

# ---- the response period across runs -------------------------------
# Served by mail on 2024-03-12, deadline 2024-04-15, no response: the
# run that issues the pieces withholds the submission (partial, exit
# 1), and so does one on the deadline; the day after, it is produced.
cp "$SAMPLES/court-response-period-open.xml" "$cases/period.xml"
pout="$court_dir/out5"
rn --policy "$policy" -o "$pout" "$cases/period.xml"
r="$pout/HOU-2024-00705/report.json"
assert_eq "period: the issuing run is partial" 1 "$RC"
assert_eq "period: pieces issued now" new "$(json "$r" '.pieces[0].state')"
has "period: response-period-open" \
	"$(json "$r" '[.findings[].code] | join(",")')" response-period-open
assert_eq "period: the subject-notice step is met" met \
	"$(json "$r" '.steps["subject-notice"]')"
"$RNPACK" --as-of 2024-04-15 --policy "$policy" -o "$pout" \
	"$cases/period.xml" 2>/dev/null
assert_eq "period: on the deadline still withheld" blocked \
	"$(json "$r" '.documents["court-submission"]')"
"$RNPACK" --as-of 2024-04-16 --policy "$policy" -o "$pout" \
	"$cases/period.xml" 2>/dev/null
assert_eq "period: the day after, exit 0" 0 "$?"
assert_eq "period: the day after, generated" generated \
	"$(json "$r" '.documents["court-submission"]')"
check "period: the day after, written" \
	test -s "$pout/HOU-2024-00705/court-submission.pdf"
has "period: dated the as-of date" \
	"$(page_text "$pout/HOU-2024-00705/court-submission.pdf" 1)" \
	"April 16, 2024"

# ---- over 25,000,000 bytes: parts at exhibit boundaries -------------
# Three one-page scans of noise, about 8.5 MB each (JPEG in a PDF, whose
# stream is copied as it is: quick), with personal service and no
# counsel, so that no mail piece carries them too.
big="$court_dir/big"
mkdir -p "$big/documents"
cp -r "$SAMPLES/rev2-complete" "$big/"
for i in 1 2 3; do
	convert -size 1700x1700 xc: -seed "$i" +noise Random -quality 100 \
		"$big/documents/scan$i.jpg"
	img2pdf "$big/documents/scan$i.jpg" -o "$big/documents/scan$i.pdf"
done
scans='<document title="Photograph one" pages="1" file="documents/scan1.pdf"/><document title="Photograph two" pages="1" file="documents/scan2.pdf"/>'
sed -e "s#<document title=\"Arrest warrant JC5-2023-118 (English text as received)\"[^>]*/>#$scans<document title=\"Photograph three\" pages=\"1\" file=\"documents/scan3.pdf\"/>#" \
	-e '/<counsel>/,/<\/counsel>/d' \
	-e 's#<service method="mail" on="2024-03-12"/>#<service method="personal" on="2024-03-12"/>#' \
	"$SAMPLES/court-complete.xml" > "$big/big.xml"
bout="$court_dir/out6"
rn -o "$bout" "$big/big.xml"
bd="$bout/HOU-2024-00701"
check "split: no single file" test ! -e "$bd/court-submission.pdf"
check "split: part 1" test -s "$bd/court-submission-part1.pdf"
check "split: part 2" test -s "$bd/court-submission-part2.pdf"
check "split: no part 3" test ! -e "$bd/court-submission-part3.pdf"
assert_eq "split: report says generated" generated \
	"$(json "$bd/report.json" '.documents["court-submission"]')"
p1=$(npages "$bd/court-submission-part1.pdf")
p2=$(npages "$bd/court-submission-part2.pdf")
t=$((p1 + p2))
ok=0
for ((i = 1; i <= p1; i++)); do
	grep -qF "Page $i of $t" <<<"$(page_text "$bd/court-submission-part1.pdf" "$i")" || ok=1
done
for ((i = 1; i <= p2; i++)); do
	grep -qF "Page $((p1 + i)) of $t" <<<"$(page_text "$bd/court-submission-part2.pdf" "$i")" || ok=1
done
assert_eq "split: Page N of T counted across both parts ($p1 + $p2)" 0 "$ok"
for f in "$bd"/court-submission-part*.pdf; do
	check "split: $(basename "$f") at most 25,000,000 bytes" \
		test "$(stat -c %s "$f")" -le 25000000
	check "split: $(basename "$f") passes qpdf --check" qpdf --check "$f" >/dev/null
done
toc=$(pdftotext -layout -f 2 -l 2 "$bd/court-submission-part1.pdf" - 2>/dev/null)
x=$(sed -n "s/^Exhibit \([A-Z]*\) .*pages $((p1 + 1))-.*/\1/p" <<<"$toc")
check "split: part 2 opens with an exhibit's first page ($x)" test -n "$x"
has "split: part 2's first page is Exhibit $x's" \
	"$(page_text "$bd/court-submission-part2.pdf" 1)" "Exhibit $x, page 1 of"
assert_eq "split: the table of contents points at the last page" \
	"Proof of Service, page $t" "$(grep -o 'Proof of Service, page [0-9]*' <<<"$toc")"
has "split: the proof of service ends part 2" \
	"$(page_text "$bd/court-submission-part2.pdf" "$p2")" "Proof of service"
# Smaller again: one file, and the parts go.
sed -i 's#<document title="Photograph three"[^>]*/>##' "$big/big.xml"
rn -o "$bout" "$big/big.xml"
check "one file again: court-submission.pdf" test -s "$bd/court-submission.pdf"
check "one file again: the parts removed" \
	test ! -e "$bd/court-submission-part1.pdf" -a ! -e "$bd/court-submission-part2.pdf"

# ---- a submission that cannot be rendered --------------------------
# (templates without court-submission.tmpl): pdf-render-failed on the
# submission alone, exit status 3, the packet still written.
tpl="$court_dir/templates"
cp -r "$RNPACK_SRC/templates" "$tpl"
rm "$tpl/court-submission.tmpl"
rn --templates "$tpl" -o "$court_dir/out7" "$SAMPLES/court-complete.xml"
r="$court_dir/out7/HOU-2024-00701/report.json"
assert_eq "no template: exit status 3" 3 "$RC"
assert_eq "no template: pdf-render-failed withholds the submission only" \
	'["court-submission"]' \
	"$(json "$r" '.findings[] | select(.code == "pdf-render-failed") | .withholds | tostring')"
check "no template: the packet still written" \
	test -s "$court_dir/out7/HOU-2024-00701/packet.pdf"
check "no template: no submission" \
	test -z "$(ls "$court_dir/out7/HOU-2024-00701" | grep court-submission)"
