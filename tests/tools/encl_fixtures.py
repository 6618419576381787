#!/usr/bin/python3
"""Enclosure files for the tests, made by trusted tools into a folder.

Usage: encl_fixtures.py DIR [--bombs]

Well-formed shapes (A4, landscape, /Rotate 90, object and cross-reference
streams, an incremental update, an owner-password-only file, a file with
JavaScript, actions, attachments and annotations, a JPEG scan and a PNG
with alpha) and hostile ones (a user password, a truncated file, a text
file named .pdf; with --bombs a 100000-page file and a stream that
inflates to 1 GiB).  Each text page shows a phrase pdftotext reads back.
"""
import os
import subprocess
import sys
import zlib

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, Stream, String


def text_page(pdf, w, h, text, rotate=0):
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1,
                                        BaseFont=Name.Helvetica))
    content = ("BT /F1 20 Tf 40 %d Td (%s) Tj ET "
               "0 0 1 RG 4 w 10 10 %d %d re S" % (h - 60, text, w - 20, h - 20))
    page = Dictionary(Type=Name.Page, MediaBox=Array([0, 0, w, h]),
                      Resources=Dictionary(Font=Dictionary(F1=font)),
                      Contents=pdf.make_stream(content.encode()))
    if rotate:
        page.Rotate = rotate
    pdf.pages.append(pikepdf.Page(page))


def doc(pages):
    pdf = Pdf.new()
    for w, h, text, rot in pages:
        text_page(pdf, w, h, text, rot)
    return pdf


def main():
    out = sys.argv[1]
    bombs = "--bombs" in sys.argv
    os.makedirs(out, exist_ok=True)
    p = lambda n: os.path.join(out, n)

    doc([(595, 842, "A4 page %d of three" % i, 0) for i in (1, 2, 3)]) \
        .save(p("a4.pdf"), static_id=True)
    doc([(842, 595, "Landscape sheet text", 0)]).save(p("landscape.pdf"),
                                                      static_id=True)
    doc([(612, 792, "Rotated page text", 90)]).save(p("rotated.pdf"),
                                                    static_id=True)
    doc([(612, 792, "Object stream text one", 0),
         (612, 792, "Object stream text two", 0)]).save(
        p("objstm.pdf"), static_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate)
    doc([(612, 792, "Owner only text", 0)]).save(
        p("owner.pdf"), static_id=True,
        encryption=pikepdf.Encryption(user="", owner="secret", R=4))
    doc([(612, 792, "User password text", 0)]).save(
        p("user.pdf"), static_id=True,
        encryption=pikepdf.Encryption(user="open", owner="secret", R=4))

    # An incremental update: the first page's text replaced by a second
    # revision appended after the first %%EOF.
    base = doc([(612, 792, "Original revision text", 0)])
    base.save(p("incr.pdf"), static_id=True)
    with open(p("incr.pdf"), "rb") as f:
        data = f.read()
    chk = Pdf.open(p("incr.pdf"))
    cobj = chk.pages[0].obj.Contents.objgen[0]
    size = int(chk.trailer.Size)
    root = chk.trailer.Root.objgen[0]
    new = b"BT /F1 20 Tf 40 732 Td (Updated revision text) Tj ET"
    off = len(data)
    obj = b"%d 0 obj\n<< /Length %d >>\nstream\n" % (cobj, len(new)) + new + \
        b"\nendstream\nendobj\n"
    xref = off + len(obj)
    tail = b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (cobj, off)
    prev = int(data[data.rindex(b"startxref") + 9:].split()[0])
    tail += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        size, root, prev, xref)
    with open(p("incr.pdf"), "wb") as f:
        f.write(data + obj + tail)

    # Behaviour that must not travel: JavaScript, actions, an attachment,
    # a link; a printable stamp (flattened) and a hidden one (dropped).
    pdf = doc([(612, 792, "Scripted page text", 0)])
    js = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("app.alert('x')")))
    pdf.Root.OpenAction = js
    pdf.Root.AA = Dictionary(WC=js)
    ef = pdf.make_stream(b"attached secret")
    ef.Type = Name.EmbeddedFile
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("a"), js])),
        EmbeddedFiles=Dictionary(Names=Array([String("x.txt"), Dictionary(
            Type=Name.Filespec, F=String("x.txt"), EF=Dictionary(F=ef))])))
    page = pdf.pages[0].obj
    page.AA = Dictionary(O=js)
    launch = Dictionary(S=Name.Launch, F=String("calc.exe"))
    font = page.Resources.Font.F1
    ap = pdf.make_stream(b"BT /F1 14 Tf 2 6 Td (STAMPED COPY) Tj ET")
    ap.Type = Name.XObject
    ap.Subtype = Name.Form
    ap.BBox = Array([0, 0, 150, 24])
    ap.Resources = Dictionary(Font=Dictionary(F1=font))
    hidden = pdf.make_stream(b"BT /F1 14 Tf 2 6 Td (HIDDEN NOTE) Tj ET")
    hidden.Type = Name.XObject
    hidden.Subtype = Name.Form
    hidden.BBox = Array([0, 0, 150, 24])
    hidden.Resources = Dictionary(Font=Dictionary(F1=font))
    filled = pdf.make_stream(b"BT /F1 12 Tf 2 6 Td (FILLED FIELD VALUE) Tj ET")
    filled.Type = Name.XObject
    filled.Subtype = Name.Form
    filled.BBox = Array([0, 0, 200, 24])
    filled.Resources = Dictionary(Font=Dictionary(F1=font))
    field = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String("name"),
        V=String("FILLED FIELD VALUE"), F=4, Rect=Array([40, 200, 240, 224]),
        AP=Dictionary(N=filled), AA=Dictionary(K=js), P=page))
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]),
                                   DA=String("/Helv 0 Tf 0 g"))
    page.Annots = Array([
        field,
        pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link,
                                     Rect=Array([40, 600, 200, 620]), A=launch)),
        pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Stamp,
                                     Rect=Array([300, 400, 450, 424]), F=4,
                                     AP=Dictionary(N=ap), AA=Dictionary(E=js))),
        pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Stamp,
                                     Rect=Array([300, 300, 450, 324]), F=2,
                                     AP=Dictionary(N=hidden))),
    ])
    pdf.save(p("scripted.pdf"), static_id=True)

    with open(p("a4.pdf"), "rb") as f:
        data = f.read()
    with open(p("truncated.pdf"), "wb") as f:
        f.write(data[:len(data) // 2])
    with open(p("notes.pdf"), "w") as f:
        f.write("These are typed notes, not a PDF.\n")

    subprocess.run(["convert", "-size", "850x1100", "xc:white", "-fill",
                    "black", "-pointsize", "48", "-annotate", "+60+200",
                    "Scanned warrant", "-density", "100", "-units",
                    "PixelsPerInch", "-quality", "85", p("scan.jpg")],
                   check=True)
    subprocess.run(["convert", "-size", "600x400", "xc:none", "-fill",
                    "black", "-pointsize", "40", "-annotate", "+40+100",
                    "Alpha stamp", "-density", "100", "-units",
                    "PixelsPerInch", "PNG32:" + p("alpha.png")], check=True)

    # More image shapes: CMYK JPEG, 16-bit gray PNG, and hostile ones.
    subprocess.run(["convert", "-size", "200x260", "xc:white", "-fill",
                    "black", "-draw", "rectangle 20,20 120,60",
                    "-colorspace", "CMYK", p("cmyk.jpg")], check=True)
    subprocess.run(["convert", "-size", "200x100", "gradient:", "-depth",
                    "16", "-colorspace", "Gray", "PNG48:" + p("gray16.png")],
                   check=True)
    # 40000 x 1 gray, written by hand (ImageMagick's policy refuses it).
    def chunk(kind, data):
        c = kind + data
        return len(data).to_bytes(4, "big") + c + \
            zlib.crc32(c).to_bytes(4, "big")
    with open(p("wide.png"), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" +
                chunk(b"IHDR", (40000).to_bytes(4, "big") +
                      (1).to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])) +
                chunk(b"IDAT", zlib.compress(b"\x00" + b"\xff" * 40000)) +
                chunk(b"IEND", b""))
    with open(p("broken.jpg"), "wb") as f:
        f.write(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    with open(p("alpha.png"), "rb") as f:
        data = f.read()
    with open(p("broken.png"), "wb") as f:
        f.write(data[:len(data) // 2])

    if bombs:
        # 100000 distinct pages, written by hand: quick and small.
        n = 100000
        parts = [b"%PDF-1.4\n"]
        offs = {}
        pos = len(parts[0])

        def put(num, body):
            nonlocal pos
            offs[num] = pos
            b = b"%d 0 obj\n" % num + body + b"\nendobj\n"
            parts.append(b)
            pos += len(b)
        put(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(n))
        put(2, b"<< /Type /Pages /Count %d /Kids [" % n + kids + b"] >>")
        for i in range(n):
            put(3 + i, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>")
        xref = pos
        parts.append(b"xref\n0 %d\n0000000000 65535 f \n" % (n + 3))
        parts.extend(b"%010d 00000 n \n" % offs[k] for k in range(1, n + 3))
        parts.append(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                     % (n + 3, xref))
        with open(p("pagebomb.pdf"), "wb") as f:
            f.write(b"".join(parts))

        # A content stream that inflates to 1 GiB of spaces: one MiB
        # compressed after a full flush (which forgets the history) gives
        # the same bytes every time, so the block is written 1024 times.
        chunk = b" " * (1 << 20)
        z = zlib.compressobj(9, zlib.DEFLATED, -15)
        block = z.compress(chunk) + z.flush(zlib.Z_FULL_FLUSH)
        adler = 1
        for _ in range(1024):
            adler = zlib.adler32(chunk, adler)
        comp = b"\x78\xda" + block * 1024 + z.flush() + \
            adler.to_bytes(4, "big")
        # The same GiB as a cross-reference stream, which a PDF library
        # decodes whole while it opens the file.
        parts = [b"%PDF-1.5\n"]
        offs = []
        for body in (b"<< /Type /Catalog /Pages 2 0 R >>",
                     b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"):
            offs.append(len(b"".join(parts)))
            parts.append(b"%d 0 obj\n" % len(offs) + body + b"\nendobj\n")
        xref = len(b"".join(parts))
        parts.append(b"4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R "
                     b"/Filter /FlateDecode /Length %d >>\nstream\n" % len(comp) +
                     comp + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref)
        with open(p("xbomb.pdf"), "wb") as f:
            f.write(b"".join(parts))

        pdf = doc([(612, 792, "Bomb page text", 0)])
        bomb = Stream(pdf, comp)
        bomb.Filter = Name.FlateDecode
        pdf.pages[0].obj.Contents = Array([pdf.pages[0].obj.Contents, bomb])
        pdf.save(p("zbomb.pdf"), static_id=True,
                 compress_streams=False,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none)


if __name__ == "__main__":
    main()
