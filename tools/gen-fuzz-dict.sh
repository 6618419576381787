#!/bin/sh
# Write a libFuzzer dictionary for one fuzz target (case, policy, tmpl) on
# stdout, from the sources it fuzzes, so that it follows them: the
# schema's element and attribute names and enumerated values, or the
# template language's directives, formatters and data names.
set -eu
quote() { sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/.*/"&"/'; }
xsd_words() {
	grep -o 'name="[A-Za-z][A-Za-z0-9]*"' "$1" | cut -d'"' -f2 | sort -u |
	while read -r n; do
		printf '<%s>\n</%s>\n %s="\n' "$n" "$n" "$n"
	done
	grep -o 'value="[^"]*"' "$1" | cut -d'"' -f2 | sort -u
}
case "${1:-}" in
case)	{ xsd_words schema/case-1.xsd; printf '%s\n' \
	    '<case xmlns="urn:rnpack:case:1" id="X">' '</case>' \
	    '2024-03-14' 'true' 'false' 'US' 'VE' '&#x200C;' '<!DOCTYPE' \
	    '<![CDATA[' ; } | quote ;;
policy)	{ xsd_words schema/policy-1.xsd; printf '%s\n' \
	    '<policy xmlns="urn:rnpack:policy:1">' '</policy>' ; } | quote ;;
tmpl)	{ sed -n 's/^	{ "\([a-z]*\)",[[:space:]]*d_.*/@\1/p' src/tmpl.c |
	    sort -u
	  sed -n 's/^  {\([^}]*\)}.*/{\1}/p' templates/README
	  printf '%s\n' '@each o in notice.offenses' '@end' '@if ' '@else' \
	    '{@index}' '{page}' '{pages}' '|date}' '|country}' '|upper}' \
	    '|default:"x"}' '*' '_' '\{' '| a | b |' '!| A | B |' ; } |
	  sort -u | quote ;;
mailstate)
	printf '%s\n' 'rnpack-mail-state 1' 'rnpack-mail-state 2' 'next ' \
	    'piece ' 'void ' 'intent ' 'ipiece ' 'ivoid ' ' subject ' \
	    ' counsel ' ' 2024-03-14' ' 2024-03-14-001' ' -' \
	    ' 4d6b4ed2f3e945054e2a96d1075bb41c8fbd5aee00665d1c14954be8bef4c414' \
	    '%2F' | quote ;;
splice)	printf '%s\n' ' 0 R' ' 0 obj' 'endobj' 'stream' 'endstream' \
	    'xref' 'trailer' 'startxref' '/Type' '/Page' '/Pages' '/Kids' \
	    '/Count' '/Parent' '/Contents' '/Resources' '/Font' '/Length' \
	    '/Filter' '/FlateDecode' '/ToUnicode' '/Root' '/Size' '<<' '>>' \
	    '[' ']' '/MediaBox' '/Encrypt' '/Prev' '/XRef' '/ObjStm' | quote ;;
*)	echo "usage: gen-fuzz-dict.sh case|policy|tmpl|mailstate|splice" >&2; exit 64 ;;
esac
