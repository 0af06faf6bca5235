# runs.py BOOK.docx: each Attribution paragraph of a Word quote book as
# its direction (w:bidi) and its runs, each run as [rtl] or [ltr] (w:rtl
# or not) and its text, FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE
# shown as <FSI> and <PDI>.
import sys
import zipfile
import xml.etree.ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
doc = ET.fromstring(zipfile.ZipFile(sys.argv[1]).read("word/document.xml"))
for p in doc.iter(W + "p"):
    ppr = p.find(W + "pPr")
    st = ppr.find(W + "pStyle") if ppr is not None else None
    if st is None or st.get(W + "val") != "Attribution":
        continue
    bidi = ppr.find(W + "bidi")
    d = "rtl" if bidi is not None and bidi.get(W + "val", "1") != "0" \
        else "ltr"
    out = []
    for r in p.findall(W + "r"):
        rtl = r.find(W + "rPr/" + W + "rtl") is not None
        t = "".join(x.text or "" for x in r.iter(W + "t"))
        t = t.replace("\u2068", "<FSI>").replace("\u2069", "<PDI>")
        out.append("[%s]%s" % ("rtl" if rtl else "ltr", t))
    print("%s: %s" % (d, " ".join(out)))
