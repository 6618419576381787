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
tmpl)	{ grep -o 'strcmp(word, "[a-z]*")' src/tmpl.c | cut -d'"' -f2 |
	    sort -u | sed 's/^/@/'
	  sed -n 's/^  {\([^}]*\)}.*/{\1}/p' templates/README
	  printf '%s\n' '@each o in notice.offenses' '@end' '@if ' '@else' \
	    '{@index}' '{page}' '{pages}' '|date}' '|country}' '|upper}' \
	    '|default:"x"}' '*' '_' '\{' '| a | b |' '!| A | B |' ; } |
	  sort -u | quote ;;
*)	echo "usage: gen-fuzz-dict.sh case|policy|tmpl" >&2; exit 64 ;;
esac
