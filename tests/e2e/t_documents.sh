# t_documents.sh - the documents of every packet (docs/documents.md):
# exactly the documents the rules allow, each with the facts it must
# carry, read back with pdftotext page range by page range (the ranges
# come from the packet's bookmarks), and no wording that presents a
# notice as a warrant (the rules' own scanner over the extracted text).

docs_out=$(scratch)/out
rn -o "$docs_out" "$SAMPLES"

# Bookmarked documents of a packet: "first-page<TAB>title" lines (the
# top level only: a document's own bookmarks are one tab further in).
outline() {
	mutool show "$1" outline 2>/dev/null |
		sed -n 's/^[|+-]\t"\(.*\)"[[:space:]]*#page=\([0-9]*\).*/\2\t\1/p'
}

# Text of the document whose title starts with $2 (all its copies).
doc_text() {
	local pdf=$1 prefix=$2 pages last first title next
	pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
	outline "$pdf" > "$E2E_TMP/outline"
	while IFS=$'\t' read -r first title; do
		next=$(awk -F'\t' -v f="$first" '$1 > f { print $1; exit }' \
			"$E2E_TMP/outline")
		last=$(( ${next:-$((pages + 1))} - 1 ))
		case "$title" in "$prefix"*)
			pdftotext -f "$first" -l "$last" "$pdf" - 2>/dev/null ;;
		esac
	done < "$E2E_TMP/outline"
}

# Collapse white space so phrases split over lines still match.
flat() { tr -s ' \n\f\t' ' '; }

has() {	# NAME TEXT NEEDLE
	if grep -qiF -- "$3" <<<"$2"; then pass; else fail "$1: no \"$3\""; fi
}

# A name, as a copy from the PDF gives it.  In right-to-left text
# poppler returns a cluster drawn as other than one glyph for one
# character (lam-alef, a letter with its points) reversed, which the
# rules allow; t_scripts checks that exactly.  Here both sides lose
# their marks, spaces and directional controls, and runs of lam and
# alef their order.
has_name() {	# NAME TEXT NEEDLE
	if grep -qiF -- "$3" <<<"$2" ||
	    /usr/bin/python3 - "$2" "$3" <<'PY'
import sys, unicodedata, re
def fold(s):
    s = "".join(c for c in unicodedata.normalize("NFD", s)
                if unicodedata.category(c) != "Mn"
                and not "\u202a" <= c <= "\u202e" and not c.isspace())
    return re.sub("[\u0627\u0644]+", lambda m: "".join(sorted(m.group())), s)
sys.exit(0 if fold(sys.argv[2]) in fold(sys.argv[1]) else 1)
PY
	then pass; else fail "$1: no \"$3\""; fi
}

long_date() { LC_ALL=C date -u -d "$1" '+%B %-d, %Y'; }

country_name() {
	jq -r --arg c "$1" '.["3166-1"][] | select(.alpha_2 == $c) |
		(.common_name // .name)' /usr/share/iso-codes/json/iso_3166-1.json
}

xml() { xmllint --xpath "string($2)" "$1" 2>/dev/null; }

# A decision on record makes the approval form its record.
approval_title() {
	case "$(xml "$1" '//*[local-name()="supervisoryApproval"]/@decision')" in
	approved|denied) echo "Record of the supervisory decision" ;;
	*) echo "Request for supervisory approval" ;;
	esac
}

check_case() {
	local src=$1 id=$2 report pdf name family given ctrl country due
	local summary approval memo notice titles
	report="$docs_out/$id/report.json"
	pdf="$docs_out/$id/packet.pdf"
	titles=$(outline "$pdf" | cut -f2)
	summary=$(doc_text "$pdf" "Compliance summary" | flat)
	family=$(xml "$src" '//*[local-name()="subject"]/*[local-name()="familyName"]')
	given=$(xml "$src" '//*[local-name()="subject"]/*[local-name()="givenName"]')
	ctrl=$(xml "$src" '//*[local-name()="controlNumber"]')
	country=$(country_name "$(xml "$src" '//*[local-name()="issuingCountry"]')")

	# Exactly the documents the rules allow, in order, each bookmarked.
	for pair in "supervisory-approval:$(approval_title "$src")" \
	    "usncb-request:Request to INTERPOL Washington" \
	    "subject-notice:Notice to the subject"; do
		local key=${pair%%:*} title=${pair#*:} state
		state=$(json "$report" ".documents[\"$key\"]")
		if [ "$state" = generated ]; then
			check "$id: $key in the packet" grep -qF "$title" <<<"$titles"
		else
			check "$id: $key not in the packet" \
				bash -c '! grep -qF "$1" <<<"$2"' _ "$title" "$titles"
			has "$id: summary lists $key as withheld" "$summary" withheld
		fi
	done

	# The rules' scanner finds nothing in any generated text, besides
	# what the documents quote from the case without adopting it: the
	# foreign records' titles, laws and warrant data, and the prohibited
	# wording the compliance summary shows as found.
	local -a quoted=()
	while IFS= read -r t; do
		[ -n "$t" ] && quoted+=("$t")
	done < <(xmllint --xpath '//*[local-name()="document"]/@title |
		//*[local-name()="law"]/text() |
		//*[local-name()="arrestWarrant"]/@issuedBy |
		//*[local-name()="arrestWarrant"]/@reference' "$src" 2>/dev/null |
		sed 's/^ *[a-zA-Z]*="//; s/"$//' |
		sed 's/&amp;/\&/g; s/&apos;/'"'"'/g; s/&quot;/"/g'
		jq -r '.findings[] | select(.quote) | .quote' "$report")
	check "$id: no prohibited wording in the packet" \
		bash -c 'pdftotext "$1" - 2>/dev/null |
			"$2" "$3" "${@:4}" >/dev/null' _ \
		"$pdf" "$SCAN_TEXT" "$RNPACK_SRC/templates/representation.rules" \
		"${quoted[@]}"

	approval=$(doc_text "$pdf" "$(approval_title "$src")" | flat)
	if [ -n "$approval" ]; then
		has_name "$id: approval names the subject" "$approval" "$given"
		has "$id: approval has the control number" "$approval" "$ctrl"
		has "$id: approval names the country" "$approval" "$country"
		has "$id: approval carries the disclaimer" "$approval" \
			"not an arrest warrant"
		has "$id: approval has the decision block" "$approval" "Signature"
	fi
	memo=$(doc_text "$pdf" "Request to INTERPOL Washington" | flat)
	if [ -n "$memo" ]; then
		has "$id: memo is to the U.S. NCB" "$memo" "National Central Bureau"
		has "$id: memo has the control number" "$memo" "$ctrl"
		has "$id: memo carries the disclaimer" "$memo" "not an arrest warrant"
		if [ "$(xml "$src" '//*[local-name()="intendedUse"]/@proceedings')" = true ]; then
			has "$id: memo asks for use authorization" "$memo" "authoriz"
		fi
	fi
	notice=$(doc_text "$pdf" "Notice to the subject" | flat)
	if [ -n "$notice" ]; then
		due=$(long_date "$(json "$report" .responseDue)")
		has_name "$id: notice names the subject" "$notice" "$family"
		has "$id: notice names the country" "$notice" "$country"
		has "$id: notice gives the response date" "$notice" "$due"
		has "$id: notice carries the disclaimer" "$notice" \
			"not an arrest warrant"
		has "$id: notice explains the CCF" "$notice" \
			"Commission for the Control of INTERPOL"
		has "$id: notice gives the CCF address" "$notice" \
			"200 quai Charles de Gaulle"
		has "$id: notice mentions counsel at no expense" "$notice" \
			"no expense to the Government"
		has "$id: notice has a certificate of service" "$notice" \
			"certificate of service"
		while IFS= read -r t; do
			[ -n "$t" ] && has "$id: notice lists enclosure" \
				"$notice" "$t"
		done < <(xmllint --xpath '//*[local-name()="document"]/@title' \
			"$src" 2>/dev/null | sed 's/^ *title="//; s/"$//' |
			sed 's/&amp;/\&/g; s/&apos;/'"'"'/g; s/&quot;/"/g')
		# Counsel's own copy whenever the original goes to the subject
		# (by mail or in person) and counsel has an address.
		method=$(xml "$src" '//*[local-name()="service"]/@method')
		if [ -n "$(xml "$src" '//*[local-name()="counsel"]/*[local-name()="address"]')" ] &&
		   { [ "$method" = personal ] ||
		     { [ -n "$(xml "$src" '//*[local-name()="subject"]/*[local-name()="address"]')" ] &&
		       [ "$method" != counsel ]; }; }; then
			check "$id: counsel's copy" grep -qF "counsel's copy" <<<"$titles"
		else
			check "$id: no counsel's copy" \
				bash -c '! grep -qF "counsel'"'"'s copy" <<<"$1"' _ "$titles"
		fi
		# The Spanish version exactly when the subject prefers Spanish.
		case "$(xml "$src" '//*[local-name()="preferredLanguage"]')" in
		es|es-*)
			check "$id: Spanish version" grep -qF "versión en español" <<<"$titles"
			has "$id: Spanish CCF name" \
				"$(pdftotext "$pdf" - 2>/dev/null | flat)" \
				"Comisión de Control de los Ficheros de INTERPOL" ;;
		*)
			check "$id: no Spanish version" \
				bash -c '! grep -qF "versión en español" <<<"$1"' _ "$titles" ;;
		esac
	fi
}

# The script, court and enclosure samples are read closely by their own
# groups (t_scripts, t_court, t_enclosures).
while IFS=$'\t' read -r source id status; do
	[ "$status" = invalid ] && continue
	check_case "$source" "$id"
done < <(jq -r '.[] | select(.status != "invalid") |
	select(.source | test("/(script|court|enclosure)[^/]*[.]xml$") | not) |
	[.source, .case, .status] | @tsv' "$docs_out/summary.json")

# The Spanish sample, counsel copy and all: 2 copies x (English + Spanish).
d=$(scratch)
sed 's|<preferredLanguage>en</preferredLanguage>|<preferredLanguage>es-US</preferredLanguage>|' \
	"$SAMPLES/complete-red-notice.xml" > "$d/es.xml"
rn -o "$d/out" "$d/es.xml"
assert_eq "es-US case: four notice documents (two copies, two languages)" 4 \
	"$(outline "$d/out/HOU-2024-00017/packet.pdf" | grep -c 'Notice to the subject\|Aviso a la persona')"
check "es-US case: translator's certificate" bash -c \
	'pdftotext "$1" - 2>/dev/null | tr -s " \n" " " | grep -qi "Certificado del traductor Yo,"' \
	_ "$d/out/HOU-2024-00017/packet.pdf"
check "es-US case: no regulation cited for the translation" bash -c \
	'! pdftotext "$1" - 2>/dev/null | grep -q "1003\.3[23]"' \
	_ "$d/out/HOU-2024-00017/packet.pdf"
check "es-US case: case data quoted as recorded" bash -c \
	'pdftotext "$1" - 2>/dev/null | tr -s " \n" " " | grep -q "se citan tal como constan en el expediente"' \
	_ "$d/out/HOU-2024-00017/packet.pdf"
