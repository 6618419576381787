#!/usr/bin/python3
"""check_tags.py - check the tagging of PDFs rnpack wrote.

Usage: check_tags.py FILE.pdf...    (run with /usr/bin/python3: pikepdf)

For each file, three checks; any failure is printed and the exit status
is 1:

  order    the structure tree's text, read in order (marked content by
           MCID, /ActualText replacing the glyphs it covers, artifacts
           left out) equals `pdftotext -raw` of the same file with the
           artifacts removed, both with white space collapsed and
           U+202A-U+202E removed, and each right-to-left /ActualText
           cluster reversed on the tree's side, as poppler 22.12 gives
           it (the same as putting it back on the pdftotext side); spaces are
           ignored in the comparison, as pdftotext breaks words by gaps;
  painted  every painting operator (text shows, fills, strokes, Do, sh,
           inline images) lies inside marked content with an MCID or
           inside an artifact;
  nesting  no marked content is nested in other marked content.

It also checks that the catalog has /MarkInfo /Marked true, /Lang and a
structure tree, and that every page has /StructParents and /Tabs /S.
"""
import re
import subprocess
import sys
import tempfile

import pikepdf

PAINT = {"Tj", "TJ", "'", '"', "f", "F", "f*", "B", "B*", "b", "b*", "S",
         "s", "Do", "sh", "BI", "INLINE IMAGE"}
SHOW = {"Tj", "TJ", "'", '"'}
BIDI = re.compile("[\u202a-\u202e]")


def collapse(s):
    return " ".join(BIDI.sub("", s).split())


def hexint(h):
    return int(h, 16)


class ToUnicode:
    """A font's /ToUnicode: bfchar and bfrange maps, code width from its
    codespace range."""

    def __init__(self, font):
        self.map = {}
        self.width = 1
        tu = font.get("/ToUnicode")
        if tu is None:
            return
        text = tu.read_bytes().decode("latin-1")
        m = re.search(r"begincodespacerange\s*<([0-9A-Fa-f]+)>", text)
        if m:
            self.width = len(m.group(1)) // 2
        for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
            for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>",
                                       block):
                self.map[hexint(src)] = self.utf16(dst)
        for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
            for lo, hi, dst in re.findall(
                    r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>",
                    block):
                base = hexint(dst) if dst else 0
                for k, code in enumerate(range(hexint(lo), hexint(hi) + 1)):
                    self.map[code] = chr(base + k)

    @staticmethod
    def utf16(h):
        return bytes.fromhex(h).decode("utf-16-be", "replace")

    def decode(self, data):
        out = []
        w = self.width
        for i in range(0, len(data) - w + 1, w):
            code = int.from_bytes(data[i:i + w], "big")
            out.append(self.map.get(code, ""))
        return "".join(out)


def page_fonts(page, maps):
    """The page's fonts by resource name; each font read once (maps)."""
    fonts = {}
    res = page.obj.get("/Resources")
    if res is not None and "/Font" in res:
        for name, font in res.Font.items():
            key = font.objgen
            if key not in maps or key == (0, 0):
                maps[key] = ToUnicode(font)
            fonts[name] = maps[key]
    return fonts


def show_text(operands, op, tu):
    if tu is None:
        return ""
    if op == "TJ":
        return "".join(tu.decode(bytes(x)) for x in operands[0]
                       if isinstance(x, pikepdf.String))
    return tu.decode(bytes(operands[-1]))


def scan_page(page, pno, errors, maps):
    """Text of each MCID on the page and the checks on its operators."""
    fonts = page_fonts(page, maps)
    font = None
    texts = {}
    open_mc = None          # None, "artifact" or an MCID
    depth = 0
    for operands, op in pikepdf.parse_content_stream(page):
        op = str(op)
        if op in ("BDC", "BMC"):
            depth += 1
            if depth > 1:
                errors.append("page %d: nested marked content" % (pno + 1))
            tag = str(operands[0])
            if tag == "/Artifact":
                open_mc = "artifact"
            elif op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                    and "/MCID" in operands[1]:
                open_mc = int(operands[1].MCID)
                texts.setdefault(open_mc, [])
            else:
                open_mc = "other"
            continue
        if op == "EMC":
            depth -= 1
            if depth < 0:
                errors.append("page %d: EMC without BDC" % (pno + 1))
                depth = 0
            open_mc = None
            continue
        if op == "Tf":
            font = fonts.get(str(operands[0]))
        if op in PAINT and open_mc not in ("artifact",) and \
                not isinstance(open_mc, int):
            errors.append("page %d: %s outside marked content"
                          % (pno + 1, op))
        if op in SHOW and isinstance(open_mc, int):
            texts[open_mc].append(show_text(operands, op, font))
    if depth != 0:
        errors.append("page %d: marked content left open" % (pno + 1))
    return texts


RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def struct_text(pdf, page_texts, errors):
    """The tree's text in order, /ActualText as poppler reads it."""
    pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
    out = []

    def mc(pg, mcid, into=None):
        if pg is None or pg.objgen not in pages:
            errors.append("marked content without a page")
            return
        (out if into is None else into).extend(
            page_texts[pages[pg.objgen]].get(mcid, []))

    def walk(e, pg):
        pg = e.get("/Pg", pg)
        if "/ActualText" in e:
            out.append(as_poppler_reads(str(e.ActualText)))
            return
        k = e.get("/K")
        if k is None:
            return
        kids = list(k) if isinstance(k, pikepdf.Array) else [k]
        for kid in kids:
            if isinstance(kid, int):
                mc(pg, int(kid))
            elif isinstance(kid, pikepdf.Dictionary):
                if kid.get("/Type") == "/MCR":
                    mc(kid.get("/Pg", pg), int(kid.MCID))
                elif "/S" in kid:
                    walk(kid, pg)

    walk(pdf.Root.StructTreeRoot, None)
    return " ".join(out)


def without_artifacts(pdf):
    """pdf with every artifact's operators taken out of its pages."""
    for page in pdf.pages:
        keep, skip = [], 0
        for operands, op in pikepdf.parse_content_stream(page):
            name = str(op)
            if name == "BMC" and str(operands[0]) == "/Artifact":
                skip += 1
                continue
            if skip:
                if name in ("BMC", "BDC"):
                    skip += 1
                elif name == "EMC":
                    skip -= 1
                # Text state set inside an artifact still holds after
                # it: keep those operators, drop the rest.
                if name not in ("Tf", "Tw", "Tc", "TL", "Tz", "BT", "ET",
                                "Td", "TD", "Tm", "T*", "w"):
                    continue
            keep.append((operands, op))
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(keep))


def check(path):
    """Errors, the tree's text and the file without its artifacts."""
    errors = []
    maps = {}
    pdf = pikepdf.open(path)
    root = pdf.Root
    if "/MarkInfo" not in root or not bool(root.MarkInfo.get("/Marked")):
        errors.append("no /MarkInfo /Marked true")
    if "/Lang" not in root:
        errors.append("no /Lang in the catalog")
    if "/StructTreeRoot" not in root:
        errors.append("no structure tree")
        return errors, None, None
    for i, page in enumerate(pdf.pages):
        if "/StructParents" not in page.obj:
            errors.append("page %d: no /StructParents" % (i + 1))
        if page.obj.get("/Tabs") != "/S":
            errors.append("page %d: no /Tabs /S" % (i + 1))
    texts = [scan_page(p, i, errors, maps) for i, p in enumerate(pdf.pages)]
    tagged = collapse(struct_text(pdf, texts, errors))
    without_artifacts(pdf)
    return errors, tagged, pdf


def as_poppler_reads(actual):
    """poppler 22.12 gives the characters of a right-to-left /ActualText
    cluster reversed, which the rules expect: the tree's side is read the
    same way, so the two compare character for character."""
    return actual[::-1] if RTL.search(actual) else actual


def compare(tagged, raw):
    """pdftotext joins or splits words by their gaps, the tree by its
    strings: the characters are compared in order, spaces aside."""
    a = collapse(tagged).replace(" ", "")
    b = collapse(raw).replace(" ", "")
    if a == b:
        return None
    n = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]),
             min(len(a), len(b)))
    return "order: the tree reads ...%r, pdftotext ...%r" % (
        a[max(0, n - 30):n + 30], b[max(0, n - 30):n + 30])


def main(argv):
    paths = argv[1:]
    results = [check(p) for p in paths]
    # One pdftotext over every file's pages (a process per file was
    # most of the time): its form feeds split the text back by page.
    whole = pikepdf.new()
    counts = []
    for errors, tagged, pdf in results:
        counts.append(len(pdf.pages) if pdf is not None else 0)
        if pdf is not None:
            whole.pages.extend(pdf.pages)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        whole.save(tmp.name)
        raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8",
                              tmp.name, "-"], capture_output=True,
                             check=True).stdout.decode("utf-8")
    pages = raw.split("\f")
    at, bad = 0, 0
    for path, (errors, tagged, pdf), n in zip(paths, results, counts):
        if pdf is not None:
            raw = collapse(" ".join(pages[at:at + n])).replace(" ", "")
            e = compare(tagged, raw)
            if e:
                errors.append(e)
        at += n
        for e in errors[:10]:
            print("%s: %s" % (path, e))
        bad += bool(errors)
    print("check_tags: %d of %d files pass" % (len(paths) - bad, len(paths)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
