#!/usr/bin/python3
"""pdf_exempt.py - which of rnpack's PDFs are exempt from PDF/A-1b and
the tagging check: a mail piece or court submission holding a PDF
enclosure (its pages are copied in as they are).

Usage: pdf_exempt.py FILE.pdf...    (run with /usr/bin/python3: pikepdf)

Prints "exempt FILE" or "check FILE" for each.  The rule reads the
input, not the output: the case file named by report.json beside FILE
("source"), every @file in it (resolved beside the case file, as the
built-in policy does), told by content ("%PDF-").  The packet holds no
enclosures and is always checked.  Then the output must agree: a file
is exempt exactly when one of its pages draws a form XObject /RnEncl*
(a foreign PDF page; an image is /Subtype /Image); a disagreement is
printed as "mismatch FILE" and the exit status is 1.
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

import pikepdf

CARRIES = re.compile(r"^(mail-[^/]*|court-submission[^/]*)\.pdf$")


def case_has_pdf(report):
    with open(report, encoding="utf-8") as f:
        src = json.load(f).get("source")
    if not src or not os.path.exists(src):
        return False
    base = os.path.dirname(src)
    for el in ET.parse(src).iter():
        rel = el.get("file")
        if rel is None:
            continue
        path = os.path.join(base, rel)
        try:
            with open(path, "rb") as f:
                if f.read(5) == b"%PDF-":
                    return True
        except OSError:
            pass
    return False


def draws_pdf(path):
    pdf = pikepdf.open(path)
    for page in pdf.pages:
        xo = page.obj.get("/Resources", {}).get("/XObject", {})
        for name, o in xo.items():
            if name.startswith("/RnEncl") and o.get("/Subtype") == "/Form":
                return True
    return False


def main(paths):
    bad = 0
    for path in paths:
        report = os.path.join(os.path.dirname(path), "report.json")
        exempt = bool(CARRIES.match(os.path.basename(path))) and \
            os.path.exists(report) and case_has_pdf(report)
        if exempt != draws_pdf(path):
            print("mismatch %s" % path)
            bad += 1
            continue
        print("%s %s" % ("exempt" if exempt else "check", path))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
