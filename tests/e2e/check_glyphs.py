#!/usr/bin/python3
"""check_glyphs.py - prove that no glyph of a PDF's embedded TrueType fonts
lost its outline (libharu 2.3.0 as measured, docs/pdf-engine.md "Composite glyphs lose parts").

libharu 2.3.0 keeps the outlines of the glyphs it saw used and follows
composite glyphs only one level deep, so with DejaVu Sans 'ễ' renders as
'e': the composite survives, a component two levels down is emptied.
pdftotext still returns the right text; only the embedded font shows it.

Run it with /usr/bin/python3 (it needs Debian's python3-fonttools).

  check_glyphs.py [--chars TEXT]... FILE.pdf
      Every embedded font: TrueType (/FontFile2) and bare CFF
      (/FontFile3, the CJK faces' CID-keyed outlines; read with fontTools'
      cffLib: CFF has no composite glyphs, a glyph draws when its
      charstring draws a path), read with `mutool show`:
      - every composite glyph present in glyf has all its components,
        recursively, each with an outline (contours, or itself composite);
      - every glyph the page content draws (from `mutool trace`) has an
        outline, unless its character is white space or invisible;
      - each character of TEXT (NFC, white space skipped) is drawn
        somewhere in the PDF, and the glyph drawn, looked up through the
        embedded font's cmap too, has an outline.
  check_glyphs.py FILE.pdf FILE.pdf...
      The same for several PDFs in one process (no --chars): each one's
      checks after "== FILE", then "OK: FILE" or "FAIL: FILE: N problem(s)".
  check_glyphs.py --font FONT.ttf [--chars TEXT]...
      The same checks on one font file (composites, and TEXT via its cmap).
  check_glyphs.py --break-font IN.ttf OUT.ttf CHAR
      Test aid: write a copy of IN whose glyph for CHAR loses a component
      two levels down (exactly what libharu 2.3.0 does) or, for a simple
      glyph, its own outline, so the tests can show that this checker
      fails on it.  Prints the glyph it emptied.

Prints what it checked; exits 0 when all is well, 1 listing every broken
glyph, 2 on a usage or tool error.
"""

import io
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

try:
    from fontTools.cffLib import CFFFontSet
    from fontTools.pens.recordingPen import RecordingPen
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._g_l_y_f import Glyph
except ImportError:
    sys.exit("check_glyphs.py: fontTools missing; run with /usr/bin/python3 "
             "(Debian package python3-fonttools)")


def die(msg):
    print("check_glyphs.py: " + msg, file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- fonts

class CffProgram:
    """A bare CFF font program (/FontFile3) seen like a TTFont: its glyph
    order (the charset: for a CID-keyed font, "cid00042"...) and whether
    a glyph draws; no cmap, no composites."""

    def __init__(self, data):
        fs = CFFFontSet()
        fs.decompile(io.BytesIO(data), None)
        top = fs[fs.fontNames[0]]
        self.order = list(top.charset)
        self.charstrings = top.CharStrings

    def getGlyphOrder(self):  # noqa: N802 - TTFont's name
        return self.order

    def getBestCmap(self):  # noqa: N802
        return {}

    def draws(self, name):
        pen = RecordingPen()
        self.charstrings[name].draw(pen)
        return any(op not in ("closePath", "endPath") for op, _ in pen.value)


def has_outline(glyf, name):
    """A simple glyph with contours, or a composite (checked separately)."""
    g = glyf[name]
    return g.isComposite() or g.numberOfContours > 0


def broken_components(glyf, name, order, path=(), seen=None):
    """Every component of composite `name`, recursively, that is missing
    from the font or has no outline: a list of "a > b > c: why"."""
    seen = set() if seen is None else seen
    problems = []
    path = path + (name,)
    for comp in glyf[name].components:
        c = comp.glyphName
        where = " > ".join(path + (c,))
        if c not in order:
            problems.append(where + ": component not in the font")
            continue
        if c in path:
            problems.append(where + ": component cycle")
            continue
        if not has_outline(glyf, c):
            problems.append(where + ": component has no outline")
        elif glyf[c].isComposite() and c not in seen:
            seen.add(c)
            problems += broken_components(glyf, c, order, path, seen)
    return problems


def check_composites(font, label):
    """All composites of one font; returns (number checked, problems)."""
    if isinstance(font, CffProgram):
        return 0, []
    glyf = font["glyf"]
    order = set(font.getGlyphOrder())
    composites = [n for n in font.getGlyphOrder() if glyf[n].isComposite()]
    problems = []
    for name in composites:
        problems += ["%s: %s" % (label, p)
                     for p in broken_components(glyf, name, order)]
    return len(composites), problems


def glyph_problem(font, name):
    """Why glyph `name` would not draw, or None when it draws."""
    order = set(font.getGlyphOrder())
    if name not in order:
        return "glyph %s not in the font" % name
    if isinstance(font, CffProgram):
        return None if font.draws(name) else "glyph %s has no outline" % name
    glyf = font["glyf"]
    if not has_outline(glyf, name):
        return "glyph %s has no outline" % name
    if glyf[name].isComposite():
        bad = broken_components(glyf, name, order)
        if bad:
            return "; ".join(bad)
    return None


def invisible(ch):
    """Characters whose glyph is legitimately empty."""
    return ch.isspace() or unicodedata.category(ch) in ("Zs", "Zl", "Zp",
                                                        "Cc", "Cf")


def text_chars(texts):
    """The distinct visible characters of the --chars arguments, NFC."""
    out = []
    for t in texts:
        for ch in unicodedata.normalize("NFC", t):
            if not invisible(ch) and ch not in out:
                out.append(ch)
    return out


def check_chars_cmap(font, label, chars):
    """Each character through the font's cmap: present and drawable."""
    cmap = font.getBestCmap() or {}
    problems = []
    for ch in chars:
        name = cmap.get(ord(ch))
        if name is None:
            problems.append("%s: U+%04X %s not in the cmap" % (label, ord(ch), ch))
            continue
        why = glyph_problem(font, name)
        if why:
            problems.append("%s: U+%04X %s: %s" % (label, ord(ch), ch, why))
    return problems


def font_summary(font):
    if isinstance(font, CffProgram):
        return len(font.order), sum(1 for n in font.order if font.draws(n))
    glyf = font["glyf"]
    order = font.getGlyphOrder()
    outlined = sum(1 for n in order if glyf[n].numberOfContours != 0)
    return len(order), outlined


# ---------------------------------------------------------------- PDF

def run(args):
    try:
        r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as e:
        die("%s: %s" % (args[0], e))
    if r.returncode != 0:
        die("%s failed: %s" % (" ".join(args), r.stderr.decode(errors="replace")))
    return r.stdout


def pdf_fonts(pdf):
    """{FontName: [TTFont or CffProgram, ...]} for every FontDescriptor
    with a FontFile2 or FontFile3 (one name, several programs: see
    check_pdf), and the names of the fonts embedded some other way (or not
    at all)."""
    listing = run(["mutool", "show", pdf, "grep"]).decode("latin-1")
    fonts, programs, others = {}, {}, []
    for line in listing.splitlines():
        if not re.search(r"/Type\s*/FontDescriptor\b", line):
            continue
        m = re.search(r"/FontName\s*/([^\s/<>\[\]()]+)", line)
        name = m.group(1) if m else "?"
        m = re.search(r"/FontFile([23])\s+(\d+)\s+0\s+R", line)
        if not m:
            others.append(name)
            continue
        data = run(["mutool", "show", "-b", pdf, m.group(2)])
        if data in programs.setdefault(name, []):
            continue
        programs[name].append(data)
        try:
            fonts.setdefault(name, []).append(
                TTFont(io.BytesIO(data)) if m.group(1) == "2" else
                CffProgram(data))
        except Exception as e:  # noqa: BLE001 - any parse error is a failure
            die("%s: embedded font %s does not parse: %s" % (pdf, name, e))
    return fonts, others


def drawn_glyphs(pdf):
    """[(font name, glyph, unicode text)] for every glyph the pages draw."""
    trace = run(["mutool", "trace", pdf]).decode("utf-8", errors="replace")
    root = ET.fromstring(trace)
    out = []
    for span in root.iter("span"):
        for g in span.iter("g"):
            # One glyph for several characters (a ligature, a shaped
            # cluster): mupdf gives the glyph with the first character,
            # then one <g> without a glyph for each further character.
            if g.get("glyph") is None and out and \
                    out[-1][0] == span.get("font"):
                f, gl, uni = out[-1]
                out[-1] = (f, gl, uni + g.get("unicode", ""))
                continue
            out.append((span.get("font"), g.get("glyph"), g.get("unicode", "")))
    return out


def full_font_name(fonts, name):
    """mutool trace cuts font names to 31 bytes: the one embedded font
    whose name starts with it."""
    if name in fonts:
        return name
    found = [f for f in fonts if name and f.startswith(name)]
    return found[0] if len(found) == 1 else name


def glyph_name(font, g):
    """mutool names a glyph by its post name, or by its id."""
    order = font.getGlyphOrder()
    # mupdf names a CID-keyed CFF glyph by its CID ("cid01234" in the
    # charset).
    if (isinstance(font, CffProgram) and g is not None and g.isdigit() and
            "cid%05d" % int(g) in order):
        return "cid%05d" % int(g)
    if g in order or (not isinstance(font, CffProgram) and
                      g in font["glyf"].glyphs):
        return g
    if g is not None and g.isdigit() and int(g) < len(order):
        return order[int(g)]
    return g


def check_pdf(pdf, texts):
    fonts, others = pdf_fonts(pdf)
    problems = []
    for name in others:
        problems.append("%s: font %s is not embedded as TrueType or CFF "
                        "(no FontFile2 or FontFile3): cannot check it"
                        % (pdf, name))
    if not fonts:
        problems.append("%s: no embedded font" % pdf)
    for name, programs in sorted(fonts.items()):
        if len(programs) > 1:
            # A viewer or printer that caches fonts by name draws one
            # subset's text with another's outlines.
            problems.append("%s: %d different font programs share the name "
                            "%s (subset tags must differ, ISO 32000-1 9.6.4)"
                            % (pdf, len(programs), name))
        for font in programs:
            n, checked_problems = check_composites(font, name)
            total, outlined = font_summary(font)
            print("font %s: %d glyphs, %d with outlines, %d composites "
                  "checked" % (name, total, outlined, n))
            problems += checked_problems

    drawn = drawn_glyphs(pdf)
    drawn_ok = 0
    seen = {}       # (font, glyph): why each program would not draw it
    by_char = {}
    for fname, g, uni in drawn:
        fname = full_font_name(fonts, fname)
        if fname not in fonts:
            problems.append("draws with font %s, which has no embedded "
                            "TrueType or CFF program" % fname)
            continue
        # With one program under that name (the normal case) this is
        # exact; with several, any that draws the glyph will do (the
        # shared name is reported above).
        if (fname, g) not in seen:
            seen[(fname, g)] = [glyph_problem(font, glyph_name(font, g))
                                for font in fonts[fname]]
        whys = seen[(fname, g)]
        for ch in uni:
            by_char.setdefault(ch, set()).add(fname)
        if uni and all(invisible(c) for c in uni):
            continue
        if None in whys:
            drawn_ok += 1
        else:
            problems.append("%s: drawn glyph for %r: %s" % (fname, uni, whys[0]))
    print("drawn glyphs: %d in all, %d visible ones checked"
          % (len(drawn), drawn_ok))

    chars = text_chars(texts)
    for ch in chars:
        if ch not in by_char:
            problems.append("U+%04X %s is not drawn anywhere in %s"
                            % (ord(ch), ch, pdf))
            continue
        for fname in sorted(by_char[ch]):
            for font in fonts[fname]:
                # A bare CFF has no cmap: its drawn glyphs are checked
                # above.
                if not isinstance(font, CffProgram):
                    problems += check_chars_cmap(font, fname, [ch])
    if chars:
        print("characters checked: %d (%s)" % (len(chars), "".join(chars)))
    return problems


# ---------------------------------------------------------------- modes

def check_font_file(path, texts):
    try:
        font = TTFont(path)
    except Exception as e:  # noqa: BLE001
        die("%s: %s" % (path, e))
    if "glyf" not in font:
        die("%s: no glyf table (not a TrueType-outline font)" % path)
    n, problems = check_composites(font, path)
    total, outlined = font_summary(font)
    print("font %s: %d glyphs, %d with outlines, %d composites checked"
          % (path, total, outlined, n))
    chars = text_chars(texts)
    problems += check_chars_cmap(font, path, chars)
    if chars:
        print("characters checked: %d (%s)" % (len(chars), "".join(chars)))
    return problems


def break_font(src, dst, ch):
    """Empty a component two levels below CH's glyph (or one level, when
    the glyph is only one level deep; or the glyph itself when it is
    simple) and save the font as DST."""
    font = TTFont(src)
    glyf = font["glyf"]
    top = (font.getBestCmap() or {}).get(ord(unicodedata.normalize("NFC", ch)[0]))
    if top is None or not has_outline(glyf, top):
        die("%s: %r has no outline in this font" % (src, ch))
    if not glyf[top].isComposite():
        victim = top
    else:
        nested = [c.glyphName for c in glyf[top].components
                  if glyf[c.glyphName].isComposite()]
        if nested:
            victim = glyf[nested[0]].components[0].glyphName
        else:
            victim = glyf[top].components[-1].glyphName
    glyf[victim] = Glyph()          # numberOfContours 0: outline dropped
    font.save(dst)
    print(victim)


def main(argv):
    texts, font, brk, args = [], None, None, []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--chars" and i + 1 < len(argv):
            texts.append(argv[i + 1])
            i += 2
        elif a == "--font" and i + 1 < len(argv):
            font = argv[i + 1]
            i += 2
        elif a == "--break-font" and i + 3 < len(argv):
            brk = argv[i + 1:i + 4]
            i += 4
        elif a.startswith("-"):
            die("unknown option %s (see the top of this file)" % a)
        else:
            args.append(a)
            i += 1
    if brk:
        break_font(*brk)
        return 0
    if font:
        problems = check_font_file(font, texts)
    elif len(args) == 1:
        problems = check_pdf(args[0], texts)
    elif len(args) > 1 and not texts:
        # Several PDFs in one process: "== FILE", its checks, then
        # "OK: FILE" or "FAIL: FILE: N problem(s)" for each.
        failed = 0
        for pdf in args:
            print("== " + pdf)
            problems = check_pdf(pdf, [])
            for p in problems:
                print("BROKEN: " + p)
            print("OK: %s" % pdf if not problems else
                  "FAIL: %s: %d problem(s)" % (pdf, len(problems)))
            failed += bool(problems)
        return 1 if failed else 0
    else:
        die("usage: check_glyphs.py [--chars TEXT]... FILE.pdf | "
            "--font FONT.ttf [--chars TEXT]... | --break-font IN OUT CHAR")
    for p in problems:
        print("BROKEN: " + p)
    print("%s: %d problem(s)" % ("FAIL" if problems else "OK", len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
