# check.py BOOK.docx BOOK.md: check the Word quote book's package and
# compare it with the Markdown quote book of the same project:
# - every part parses; [Content_Types].xml names the document and styles;
#   each relationship's target is in the package; styles.xml defines
#   every paragraph style document.xml uses;
# - the headings (level, text) equal the Markdown headings (one level
#   up: the Markdown book starts its codes at level 2);
# - the Quote paragraphs' text, in order, equals the Markdown block
#   quotes (unescaped);
# - a quote or heading whose first strong character is Hebrew or Arabic
#   carries w:bidi and its runs w:rtl; the others carry neither.
import re
import sys
import unicodedata
import zipfile
import xml.etree.ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
docx, md = sys.argv[1:3]
z = zipfile.ZipFile(docx)
names = z.namelist()
parts = {n: ET.fromstring(z.read(n)) for n in names}
ct = parts["[Content_Types].xml"]
over = {e.get("PartName") for e in ct if e.tag.endswith("Override")}
assert over == {"/word/document.xml", "/word/styles.xml"}, over
for rels, base in (("_rels/.rels", ""), ("word/_rels/document.xml.rels",
                                          "word/")):
    for r in parts[rels]:
        assert base + r.get("Target") in names, r.get("Target")
styles = {s.get(W + "styleId") for s in parts["word/styles.xml"]
          .iter(W + "style")}
body = parts["word/document.xml"].find(W + "body")


def rtl_text(s):
    for ch in s:
        b = unicodedata.bidirectional(ch)
        if b in ("R", "AL"):
            return True
        if b == "L":
            return False
    return False


def text(p):
    out = []
    for e in p.iter():
        if e.tag == W + "t":
            out.append(e.text or "")
        elif e.tag == W + "br":
            out.append("\n")
        elif e.tag == W + "tab":
            out.append("\t")
    return "".join(out)


heads, quotes, nbidi = [], [], 0
for p in body.iter(W + "p"):
    ppr = p.find(W + "pPr")
    st = ppr.find(W + "pStyle").get(W + "val") if ppr is not None and \
        ppr.find(W + "pStyle") is not None else "Normal"
    assert st in styles, "style %s is not in styles.xml" % st
    t = text(p)
    # w:bidi on (no w:val, or a true one); w:val="0" says left to right.
    bidi = ppr is not None and ppr.find(W + "bidi") is not None and \
        ppr.find(W + "bidi").get(W + "val", "1") not in ("0", "false")
    runs = p.findall(W + "r")
    rtl_runs = [r.find(W + "rPr/" + W + "rtl") is not None for r in runs]
    if st.startswith("Heading") or st == "Quote":
        want = rtl_text(t)
        assert bidi == want, "%s %r: w:bidi %s" % (st, t, bidi)
        assert all(x == want for x in rtl_runs), "%s %r: w:rtl" % (st, t)
        nbidi += bidi
    if st.startswith("Heading"):
        heads.append((int(st[7:]), t))
    elif st == "Title":
        heads.append((0, t))
    elif st == "Quote":
        quotes.append(t)


def unescape(s):
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", s)


md_heads, md_quotes, cur = [], [], None
for line in open(md, encoding="utf-8").read().split("\n"):
    m = re.match(r"(#+) (.*)", line)
    if m:
        md_heads.append((len(m.group(1)) - 1, unescape(m.group(2))))
    if line.startswith(">"):
        cur = [] if cur is None else cur
        cur.append(unescape(line[2:] if line.startswith("> ") else ""))
    elif cur is not None:
        md_quotes.append("\n".join(cur))
        cur = None


def norm(q):
    return "\n".join(x.strip() for x in q.split("\n"))


assert heads == md_heads, "headings differ:\n%r\n%r" % (heads, md_heads)
assert [norm(q) for q in quotes] == [norm(q) for q in md_quotes], \
    "quotes differ:\n%r\n%r" % (quotes, md_quotes)
print("%d parts; %d headings and %d quotes equal the Markdown book's, in "
      "order; %d right-to-left headings and quotes carry w:bidi"
      % (len(names), len(heads), len(quotes), nbidi))
