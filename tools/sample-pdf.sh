#!/bin/sh
# sample-pdf.sh OUT W H TEXT [W H TEXT]...: a PDF, one page per triple,
# the text in DejaVu Sans, embedded (Ghostscript finds it through
# fontconfig).  The sample documents in samples/documents/ and
# samples/rev2-complete/ were made with it: their fonts embedded, as the
# print file wants them.
out=$1; shift
{
echo '%!PS'
while [ $# -ge 3 ]; do
	printf '<< /PageSize [%s %s] >> setpagedevice\n' "$1" "$2"
	printf '/DejaVuSans findfont 12 scalefont setfont 40 %s moveto (%s) show\n' "$(($2 - 60))" "$3"
	printf '0 0 1 setrgbcolor 4 setlinewidth 10 10 %s %s rectstroke showpage\n' "$(($1 - 20))" "$(($2 - 20))"
	shift 3
done
} > "$out.ps"
gs -q -sDEVICE=pdfwrite -dEmbedAllFonts=true -dSubsetFonts=true -o "$out" "$out.ps"
rm -f "$out.ps"
