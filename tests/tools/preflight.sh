#!/usr/bin/env bash
# preflight.sh FILE.pdf... : validate each file as PDF/A-1b with Apache
# PDFBox Preflight 2.0.27 (Debian's libpdfbox2-java), all in one JVM (a
# JVM start is seconds; its "xml batch LISTFILE" mode writes
# FILE.pdf.preflight.xml beside each file and exits 0 whatever it
# found).  Prints each invalid file with its first errors and a line
# "preflight: N of M files valid"; exits 0 only if every file is valid.
set -u
[ $# -gt 0 ] || { echo "usage: preflight.sh FILE.pdf..." >&2; exit 2; }
J=/usr/share/java
CP=$J/preflight.jar:$J/pdfbox2.jar:$J/fontbox2.jar:$J/xmpbox.jar
CP=$CP:$J/commons-logging.jar:$J/javax.activation.jar:$J/jaxb-api.jar
list=$(mktemp)
trap 'rm -f "$list"' EXIT
for f in "$@"; do
	rm -f "$f.preflight.xml"
	realpath "$f"
done > "$list"
java -cp "$CP" org.apache.pdfbox.preflight.Validator_A1b xml batch \
	"$list" >/dev/null 2>&1
valid=0
for f in "$@"; do
	x="$f.preflight.xml"
	if grep -q '<isValid type="PDF/A1-b">true</isValid>' "$x" 2>/dev/null
	then
		valid=$((valid + 1))
	elif [ -f "$x" ]; then
		echo "$f: not PDF/A-1b:"
		sed -n 's/.*<code>\(.*\)<\/code>.*/\1/p; s/.*<details>\(.*\)<\/details>.*/   \1/p' \
			"$x" | paste - - | sort | uniq -c | head -8
	else
		echo "$f: Preflight wrote no result"
	fi
	rm -f "$x"
done
echo "preflight: $valid of $# files valid"
[ "$valid" -eq $# ]
