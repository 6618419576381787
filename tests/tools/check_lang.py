#!/usr/bin/python3
"""check_lang.py - the passages of a tagged PDF that carry a /Lang of
their own.

Usage: check_lang.py FILE.pdf    (run with /usr/bin/python3: pikepdf)

Prints one line per structure element below a Sect that has /Lang:
its language, a tab, then its text (marked content by MCID, /ActualText
replacing the glyphs it covers, as check_tags.py reads them), in the
tree's order, with neighbouring elements of one language and one parent
joined (a name drawn as several Spans, around a ligature's /ActualText,
is one line).  Each document's Sect is a line "sect LANG" (its /Lang,
"-" when it has none) before its passages.
"""
import os
import sys

import pikepdf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_tags  # noqa: E402


def main(argv):
    pdf = pikepdf.open(argv[1])
    errors, maps = [], {}
    pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
    texts = [check_tags.scan_page(p, i, errors, maps)
             for i, p in enumerate(pdf.pages)]

    def text_of(e, pg):
        pg = e.get("/Pg", pg)
        if "/ActualText" in e:
            return str(e.ActualText)
        k = e.get("/K")
        if k is None:
            return ""
        out = []
        for kid in (list(k) if isinstance(k, pikepdf.Array) else [k]):
            if isinstance(kid, int) and pg is not None:
                out.extend(texts[pages[pg.objgen]].get(int(kid), []))
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                out.append(text_of(kid, pg))
        return "".join(out)

    lines = []

    def walk(e, pg, parent):
        pg = e.get("/Pg", pg)
        if "/Lang" in e and str(e.get("/S")) != "/Sect":
            key = (str(e.Lang), parent)
            if lines and lines[-1][0] == key:
                lines[-1][1].append(text_of(e, pg))
            else:
                lines.append((key, [text_of(e, pg)]))
            return
        if str(e.get("/S")) == "/Sect":
            lines.append((("sect", None),
                          [str(e.Lang) if "/Lang" in e else "-"]))
        k = e.get("/K")
        if k is None:
            return
        for kid in (list(k) if isinstance(k, pikepdf.Array) else [k]):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid, pg, e.objgen)

    walk(pdf.Root.StructTreeRoot, None, None)
    for (lang, _), parts in lines:
        print("%s%s%s" % (lang, " " if lang == "sect" else "\t",
                          "".join(parts)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
