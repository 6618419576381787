#!/usr/bin/python3
"""check_shaping.py - prove that a PDF draws a text as HarfBuzz shapes it.

For each word of TEXT (split at spaces; a name breaks only there), it
shapes the word with `hb-shape` in the face the PDF draws it with, then
looks in the PDF for exactly that shaping: the same glyphs at the same
places.

  check_shaping.py --pdf FILE.pdf --report report.json --text TEXT
                   --direction ltr|rtl --language TAG --script TAG
                   [--pages FIRST-LAST] [--font PSNAME] [--copy]
  check_shaping.py --batch FILE.tsv [--copy]
      one check per line: pdf, report, pages, direction, language,
      script, text (tab-separated; pages may be empty); the faces are
      opened once for all.

--copy also checks what a copy gives back: `pdftotext` of the pages,
with the directional controls U+202A-U+202E that poppler adds removed,
white space collapsed and NFC, contains TEXT as written, or, in
right-to-left text, TEXT with the characters of each cluster that is not
one glyph for one character reversed, and nothing else: such a cluster
carries /ActualText in logical order, and poppler 22.12 returns its
characters reversed (compared in NFC too, since NFC of the copy puts a
reversed cluster's leading marks in canonical order).  The clusters are
HarfBuzz's (its default cluster
level: a base and its marks are one cluster), from the same shaping; a
PDF whose /ActualText covers only part of such a cluster (the marks
without their base, say) fails.

The face: every face report.json lists (rnpack.fonts: file, index) is
opened with fontTools and named by its PostScript name; the PDF's fonts
are named "ABCDEF+PostScriptName".  A font of the PDF that report.json
does not list is looked up by that name among the files `dpkg -L` lists
for the four font packages (and a "note" line says so).  A word is looked for in each font of
the PDF whose face is listed (or only in --font).  hb-shape runs as

  hb-shape --no-glyph-names --font-file F --face-index I --direction D
           --language L --script S

and gives the glyph ids of the original face, with advances and offsets
in font units.  The PDF draws glyphs of its embedded subset, whose ids
need not be the face's: a drawn glyph is identified with a face glyph when
their outlines are the same (fontTools' DecomposingRecordingPen: a
composite's components drawn in place; TrueType from
/FontFile2, bare CFF from /FontFile3).  `mutool trace` gives each drawn
glyph with its origin and the font's size, so the shaped word becomes a
template: glyph k of the shaping at (x_k, y_k) = (sum of the advances
before it + its x offset, its y offset) x size / units per em.  The word is
found when, for some drawn glyph matching the first of the shaping, every
glyph of the shaping is drawn at its place (within TOL points), and no
other glyph of that font is drawn in the word's box on that line.  So the
order of the drawing does not matter, only what is drawn where: logical or
visual order in the content stream, right-to-left or not, give the same.

Prints one line per word; exits 0 when every word is found, 1 when one is
not (with what was drawn nearest), 2 on a usage or tool error.
"""

import argparse
import io
import json
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

try:
    import pikepdf
    from fontTools.cffLib import CFFFontSet
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.ttLib import TTFont
except ImportError:
    sys.exit("check_shaping.py: run with /usr/bin/python3 (Debian's "
             "python3-fonttools and python3-pikepdf)")

TOL = 0.1       # points


def die(msg):
    print("check_shaping.py: " + msg, file=sys.stderr)
    sys.exit(2)


def run(args, text=False):
    try:
        r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as e:
        die("%s: %s" % (args[0], e))
    if r.returncode != 0:
        die("%s failed: %s" % (" ".join(args),
                               r.stderr.decode(errors="replace")))
    return r.stdout.decode("utf-8") if text else r.stdout


def outline_key(glyphset, name):
    """The glyph's outline as a hashable value (components flattened)."""
    pen = DecomposingRecordingPen(glyphset)
    glyphset[name].draw(pen)
    return tuple((op, tuple(tuple(round(c, 3) for c in pt) if
                            isinstance(pt, tuple) else pt for pt in args))
                 for op, args in pen.value)


# ---------------------------------------------------------------- faces

class Face:
    """An installed face: file, index, its glyphs by id, its em."""

    def __init__(self, path, index):
        self.path, self.index = path, index
        self.font = TTFont(path, fontNumber=index, lazy=True)
        self.order = self.font.getGlyphOrder()
        self.glyphset = self.font.getGlyphSet()
        self.upem = self.font["head"].unitsPerEm
        self.psname = self.font["name"].getDebugName(6)
        self.keys = {}

    def key(self, gid):
        if gid not in self.keys:
            self.keys[gid] = outline_key(self.glyphset, self.order[gid])
        return self.keys[gid]

    def shape(self, word, direction, language, script):
        out = run(["hb-shape", "--no-glyph-names", "--font-file", self.path,
                   "--face-index", str(self.index), "--direction", direction,
                   "--language", language, "--script", script, "--", word],
                  text=True).strip()
        glyphs = []
        for m in re.finditer(r"(\d+)=(\d+)(?:@(-?\d+),(-?\d+))?\+(-?\d+)",
                             out):
            gid, cl, dx, dy, adv = m.groups()
            glyphs.append((int(gid), int(dx or 0), int(dy or 0), int(adv),
                           int(cl)))
        if not glyphs:
            die("hb-shape gave nothing for %r: %s" % (word, out))
        return glyphs


OPENED = {}


INSTALLED = {}
PACKAGES = ("fonts-dejavu-core", "fonts-dejavu-extra", "fonts-noto-core",
            "fonts-noto-cjk")


def installed_face(psname):
    """The face of the four font packages with that PostScript name (for a
    font of the PDF that report.json does not list), or None."""
    if not INSTALLED:
        for pkg in PACKAGES:
            files = run(["dpkg", "-L", pkg], text=True).split()
            for path in sorted(files):
                if not path.endswith((".ttf", ".otf", ".ttc")):
                    continue
                n = 1
                if path.endswith(".ttc"):
                    with open(path, "rb") as f:
                        head = f.read(12)
                    n = int.from_bytes(head[8:12], "big")
                for i in range(n):
                    name = TTFont(path, fontNumber=i, lazy=True)[
                        "name"].getDebugName(6)
                    INSTALLED.setdefault(name, (path, i))
    k = INSTALLED.get(psname)
    if k is None:
        return None
    if k not in OPENED:
        OPENED[k] = Face(*k)
    return OPENED[k]


def report_faces(report):
    """{PostScript name: Face} of the faces report.json lists."""
    with open(report, encoding="utf-8") as f:
        data = json.load(f)
    faces = {}
    for ent in data.get("rnpack", {}).get("fonts", []):
        k = (ent["file"], int(ent.get("index", 0)))
        if k not in OPENED:
            OPENED[k] = Face(*k)
        faces.setdefault(OPENED[k].psname, OPENED[k])
    return faces


# ---------------------------------------------------------------- the PDF

class Embedded:
    """A font program of the PDF: its glyphs by id, as outlines."""

    def __init__(self, name, data, cff):
        self.name = name
        if cff:
            fs = CFFFontSet()
            fs.decompile(io.BytesIO(data), None)
            top = fs[fs.fontNames[0]]
            self.order = list(top.charset)
            self.glyphset = top.CharStrings
        else:
            font = TTFont(io.BytesIO(data))
            self.order = font.getGlyphOrder()
            self.glyphset = font.getGlyphSet()
        self.keys = {}

    def key(self, glyph):
        if glyph not in self.keys:
            name = glyph
            # mupdf names a CID-keyed CFF glyph by its CID ("cid01234"
            # in the charset), any other by its glyph id.
            if glyph.isdigit() and "cid%05d" % int(glyph) in self.glyphset:
                name = "cid%05d" % int(glyph)
            elif glyph.isdigit() and int(glyph) < len(self.order):
                name = self.order[int(glyph)]
            try:
                self.keys[glyph] = outline_key(self.glyphset, name)
            except KeyError:
                self.keys[glyph] = None
        return self.keys[glyph]


def embedded_fonts(pdf):
    """{BaseFont without the subset tag's '/': Embedded} of every page."""
    out = {}
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            fonts = page.obj.get("/Resources", {}).get("/Font", {})
            for _, f in fonts.items():
                base = str(f.get("/BaseFont", ""))[1:]
                if base in out or "/DescendantFonts" not in f:
                    continue
                fd = f.DescendantFonts[0].get("/FontDescriptor")
                if fd is None:
                    continue
                if "/FontFile2" in fd:
                    out[base] = Embedded(base, fd.FontFile2.read_bytes(),
                                         False)
                elif "/FontFile3" in fd:
                    out[base] = Embedded(base, fd.FontFile3.read_bytes(),
                                         True)
    return out


def drawn(pdf, pages):
    """[(page, font, glyph, x, y, size)] of every glyph the pages draw."""
    args = ["mutool", "trace", pdf] + ([pages] if pages else [])
    root = ET.fromstring(run(args).decode("utf-8", errors="replace"))
    out = []
    for pno, page in enumerate(root.iter("page")):
        for span in page.iter("span"):
            trm = [float(v) for v in span.get("trm", "1 0 0 1").split()]
            for g in span.iter("g"):
                # A glyph mapped to several characters comes as one <g>
                # with the glyph, then one without for each further
                # character.
                if g.get("glyph") is None:
                    continue
                out.append((pno, span.get("font"), g.get("glyph"),
                            float(g.get("x")), float(g.get("y")), trm[0],
                            trm[3]))
    return out


def full_name(fonts, name):
    """mutool trace cuts font names to 31 bytes."""
    if name in fonts:
        return name
    found = [f for f in fonts if name and f.startswith(name)]
    return found[0] if len(found) == 1 else name


# ---------------------------------------------------------------- matching

def find_word(shaped, face, emb, glyphs):
    """Whether the glyphs of one PDF font draw the shaping somewhere;
    returns (found, the best near miss)."""
    template, x = [], 0
    for gid, dx, dy, adv, _ in shaped:
        template.append((face.key(gid), x + dx, dy))
        x += adv
    width = max(x, max(t[1] for t in template))
    best = None
    for anchor in glyphs:
        pno, _, g0, x0, y0, sx, sy = anchor
        if emb.key(g0) != template[0][0]:
            continue
        ox = x0 - template[0][1] * sx / face.upem
        oy = y0 - template[0][2] * sy / face.upem
        near = [g for g in glyphs if g[0] == pno and
                ox - TOL - 0.5 * sx <= g[3] <= ox + width * sx / face.upem +
                TOL and abs(g[4] - oy) <= 0.6 * sy]
        missing = 0
        for key, tx, ty in template:
            px, py = ox + tx * sx / face.upem, oy + ty * sy / face.upem
            if not any(abs(g[3] - px) <= TOL and abs(g[4] - py) <= TOL and
                       emb.key(g[2]) == key for g in near):
                missing += 1
        # The next word's glyph (or a space) starts where this one ends.
        inside = [g for g in near if ox - TOL <= g[3] <
                  ox + width * sx / face.upem - TOL]
        extra = max(0, len(inside) - len(template))
        if missing == 0 and extra == 0:
            return True, None
        if best is None or missing + extra < best[0]:
            best = (missing + extra, "page %d at (%.1f, %.1f): %d of %d "
                    "glyphs not where HarfBuzz puts them, %d more drawn"
                    % (pno + 1, ox, oy, missing, len(template), extra))
    return False, best[1] if best else "no drawn glyph has the outline of " \
        "the shaping's first glyph"


def copy_variant(word, shaped):
    """The word with the characters of each cluster that is not one glyph
    for one character reversed (clusters: HarfBuzz's character indices)."""
    starts = sorted(set(g[4] for g in shaped))
    out = []
    for k, c in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(word)
        chars = word[c:end]
        nglyphs = sum(1 for g in shaped if g[4] == c)
        out.append(chars[::-1] if len(chars) != 1 or nglyphs != 1 else chars)
    return "".join(out)


def pdf_text(pdf, pages):
    args = ["pdftotext", "-enc", "UTF-8"]
    if pages:
        first, _, last = pages.partition("-")
        args += ["-f", first, "-l", last or first]
    t = run(args + [pdf, "-"], text=True)
    t = re.sub("[\u202a-\u202e]", "", t)
    return " ".join(unicodedata.normalize("NFC", t).split())


def check(pdf, report, pages, direction, language, script, text, font,
          copy):
    """One text in one PDF: the number of failures, printed."""
    faces = report_faces(report)
    if not faces:
        die("%s lists no fonts" % report)
    emb = embedded_fonts(pdf)
    by_font = {}
    for g in drawn(pdf, pages):
        by_font.setdefault(full_name(emb, g[1]), []).append(g)
    candidates, unlisted = [], []
    for base in sorted(by_font):
        ps = base.split("+", 1)[-1]
        if base not in emb or (font and ps != font):
            continue
        if ps not in faces:
            face = installed_face(ps)
            if face is None:
                continue
            faces[ps] = face
            unlisted.append(ps)
        candidates.append((base, faces[ps]))
    if unlisted:
        print("note report.json does not list %s: found by the PDF's font "
              "name" % ", ".join(unlisted))
    if not candidates:
        die("no font of %s is a face report.json lists (PDF: %s; report: "
            "%s)" % (pdf, ", ".join(sorted(by_font)), ", ".join(faces)))

    failures = 0
    text = unicodedata.normalize("NFC", text)
    variant = []
    for word in text.split():
        found, why, shaped = False, [], None
        for base, face in candidates:
            cov = face.font.getBestCmap() or {}
            if any(ord(c) not in cov for c in word
                   if unicodedata.category(c)[0] in "LMN"):
                continue
            shaped = face.shape(word, direction, language, script)
            ok, miss = find_word(shaped, face, emb[base], by_font[base])
            if ok:
                print("ok   %s: %d glyphs as hb-shape gives them in %s "
                      "(%s, index %d): %s" % (word, len(shaped), base,
                                              face.path, face.index,
                                              " ".join(str(s[0])
                                                       for s in shaped)))
                found = True
                break
            why.append("%s: %s" % (base, miss))
        if not found:
            failures += 1
            print("FAIL %s: not drawn as shaped; %s" % (
                word, "; ".join(why) or "no face of the PDF covers it"))
        variant.append(copy_variant(word, shaped) if shaped and
                       direction == "rtl" else word)
    if copy:
        got = pdf_text(pdf, pages)
        # The copy is compared in NFC, so the reversal is too: a
        # reversed cluster starts with its marks, which NFC puts in
        # canonical order (dagesh after holam), whatever order poppler
        # gave them in.
        reversed_ = unicodedata.normalize("NFC", " ".join(variant))
        if text in got:
            print("ok   copy: pdftotext gives %s as written" % text)
        elif reversed_ != text and reversed_ in got:
            print("ok   copy: pdftotext gives %s, its multi-character "
                  "clusters reversed (%s)" % (text, reversed_))
        else:
            failures += 1
            print("FAIL copy: pdftotext gives neither %s nor %s; it gives: "
                  "%s" % (text, reversed_, got[:600]))
    return failures


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--pdf")
    ap.add_argument("--report")
    ap.add_argument("--text")
    ap.add_argument("--direction", choices=("ltr", "rtl"))
    ap.add_argument("--language")
    ap.add_argument("--script")
    ap.add_argument("--pages", default="")
    ap.add_argument("--font", default="")
    ap.add_argument("--copy", action="store_true")
    ap.add_argument("--batch")
    a = ap.parse_args(argv)

    if a.batch:
        failures = 0
        with open(a.batch, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line:
                    continue
                pdf, report, pages, d, lang, sc, text = line.split("\t")
                print("== %s: %s" % (pdf, text))
                failures += check(pdf, report, pages, d, lang, sc, text,
                                  a.font, a.copy)
        print("%s: %d failure(s)" % ("FAIL" if failures else "OK", failures))
        return 1 if failures else 0
    if not all((a.pdf, a.report, a.text, a.direction, a.language, a.script)):
        die("--pdf, --report, --text, --direction, --language and --script "
            "are needed (or --batch)")
    return 1 if check(a.pdf, a.report, a.pages, a.direction, a.language,
                      a.script, a.text, a.font, a.copy) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
