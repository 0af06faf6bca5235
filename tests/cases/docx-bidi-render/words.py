# words.py FILE.html...: what a reader sees of the attribution lines in
# a PDF (pdftotext -bbox output): for each line holding a word with
# "answer" or "ptv", its words made of ASCII letters, digits and
# punctuation (isolate characters, which pdftotext keeps, taken away),
# left to right as they stand on the page.  A reference reordered by the
# bidi algorithm shows as pieces ("answer#1 2" for "2/answer#1").  Words
# whose bottoms are within 3 points stand on one line (the HTML book's
# attribution is larger than the details after it); two such words that
# touch are one (pdftotext splits a word at an invisible isolate
# character's glyph).
import re
import sys
import xml.etree.ElementTree as ET

for f in sys.argv[1:]:
    text = open(f, encoding="utf-8").read()
    text = re.sub(r"<!DOCTYPE[^>]*>", "", text)
    words = []
    for w in ET.fromstring(text).iter():
        if w.tag.endswith("}word") or w.tag == "word":
            t = re.sub("[\u2066-\u2069]", "", w.text or "")
            words.append((float(w.get("yMax")), float(w.get("xMin")),
                          float(w.get("xMax")), t))
    words.sort()
    lines, last = [], None
    for y, x0, x1, t in words:
        if last is None or y - last > 3:
            lines.append([])
        lines[-1].append((x0, x1, t))
        last = y
    for ws in lines:
        if not any("answer" in t or "ptv" in t for _, _, t in ws):
            continue
        out = []
        for x0, x1, t in sorted(ws):
            if not re.fullmatch(r"[!-~]*[A-Za-z0-9][!-~]*", t):
                continue
            if out and x0 - out[-1][1] < 0.5:
                out[-1] = (out[-1][0], x1, out[-1][2] + t)
            else:
                out.append((x0, x1, t))
        print(" ".join(t for _, _, t in out))
