# show.py REPORT.docx: the Word report's body as text, one line per
# paragraph ("STYLE [rtl|ltr] text") and per table row ("  | cell |
# cell"), a table headed by "table [rtl]" (w:bidiVisual), after checking
# that every part parses and every paragraph style is in styles.xml.
import sys
import zipfile
import xml.etree.ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
z = zipfile.ZipFile(sys.argv[1])
parts = {n: ET.fromstring(z.read(n)) for n in z.namelist()}
styles = {s.get(W + "styleId") for s in parts["word/styles.xml"]
          .iter(W + "style")}
body = parts["word/document.xml"].find(W + "body")


def text(e):
    return "".join(t.text or "" for t in e.iter(W + "t"))


def para(p):
    ppr = p.find(W + "pPr")
    st, d = "Normal", ""
    if ppr is not None:
        if ppr.find(W + "pStyle") is not None:
            st = ppr.find(W + "pStyle").get(W + "val")
        b = ppr.find(W + "bidi")
        if b is not None:
            d = " ltr" if b.get(W + "val") == "0" else " rtl"
    assert st in styles, "style %s is not in styles.xml" % st
    return st + d


for e in body:
    if e.tag == W + "p":
        print("%s %s" % (para(e), text(e)))
    elif e.tag == W + "tbl":
        rtl = e.find(W + "tblPr/" + W + "bidiVisual") is not None
        print("table" + (" rtl" if rtl else ""))
        for tr in e.findall(W + "tr"):
            print("  | " + " | ".join(text(tc) for tc in
                                     tr.findall(W + "tc")))
