# lo.py BOOK.fodt [--from HEADING] BOOK.md: compare LibreOffice's reading
# of a Word document (converted to flat ODF, .fodt, by soffice) with the
# Markdown quote book of the same project.
# - The text: LibreOffice's paragraphs and headings outside tables, in
#   order (a line break starts a new line), from the heading HEADING on
#   when --from is given (the report's quote book), must equal the
#   Markdown book's lines with its markup taken away: heading marks
#   (#), the "> " of block quotes, the <div dir="rtl"> wrappers,
#   backslash escapes and blank lines.
# - Direction: a paragraph whose first strong character is Hebrew or
#   Arabic must be right-to-left in LibreOffice (writing-mode rl-tb,
#   through its style's chain and the page's direction); one whose
#   first strong character is Latin must be left-to-right when it is a
#   quote (the Quote style).
# Prints the table rows it found (cells joined by " | "), so the
# transcript shows the count tables as LibreOffice reads them.
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
}


def q(tag):
    p, t = tag.split(":")
    return "{%s}%s" % (NS[p], t)


args = sys.argv[1:]
fodt = args.pop(0)
start = None
if args[0] == "--from":
    start = args[1]
    args = args[2:]
md = args[0]
root = ET.parse(fodt).getroot()

# Styles: name -> (parent, writing-mode, display name).
styles, default_wm = {}, None
for s in root.iter(q("style:style")):
    pp = s.find(q("style:paragraph-properties"))
    wm = pp.get(q("style:writing-mode")) if pp is not None else None
    styles[s.get(q("style:name"))] = (s.get(q("style:parent-style-name")),
                                      wm, s.get(q("style:display-name"))
                                      or s.get(q("style:name")))
for s in root.iter(q("style:default-style")):
    if s.get(q("style:family")) == "paragraph":
        pp = s.find(q("style:paragraph-properties"))
        if pp is not None:
            default_wm = pp.get(q("style:writing-mode"))
page_wm = None
for pl in root.iter(q("style:page-layout-properties")):
    page_wm = pl.get(q("style:writing-mode")) or page_wm


def resolve(name):
    """The writing mode and the chain of style names of style NAME."""
    chain, wm = [], None
    while name:
        parent, w, disp = styles.get(name, (None, None, name))
        chain.append(disp)
        if wm is None and w and w != "page":
            wm = w
        name = parent
    if wm is None:
        wm = default_wm if default_wm and default_wm != "page" else page_wm
    return wm or "lr-tb", chain


def text_of(p):
    out = [p.text or ""]
    for e in p:
        if e.tag == q("text:line-break"):
            out.append("\n")
        elif e.tag == q("text:tab"):
            out.append("\t")
        elif e.tag == q("text:s"):
            out.append(" " * int(e.get(q("text:c"), "1")))
        else:
            out.append(text_of(e))
        out.append(e.tail or "")
    return "".join(out)


def first_strong(s):
    for ch in s:
        b = unicodedata.bidirectional(ch)
        if b in ("R", "AL"):
            return "rtl"
        if b == "L":
            return "ltr"
    return None


body = root.find(q("office:body")).find(q("office:text"))
paras, tables = [], []


def walk(el, in_table):
    for e in el:
        if e.tag in (q("text:p"), q("text:h")):
            wm, chain = resolve(e.get(q("text:style-name")))
            if in_table is None:
                paras.append((text_of(e), wm, chain))
            else:
                in_table.append(text_of(e))
        elif e.tag == q("table:table-row"):
            cells = []
            for c in e.iter(q("table:table-cell")):
                got = []
                walk(c, got)
                cells.append(" ".join(got))
            tables.append(" | ".join(cells))
        elif e.tag == q("table:table"):
            tables.append("table (%s)" % resolve_table(e))
            walk(e, [])
        else:
            walk(e, in_table)


def resolve_table(t):
    for s in root.iter(q("style:style")):
        if s.get(q("style:name")) == t.get(q("table:style-name")):
            tp = s.find(q("style:table-properties"))
            if tp is not None and tp.get(q("style:writing-mode")):
                return tp.get(q("style:writing-mode"))
    return "lr-tb"


walk(body, None)
if start is not None:
    at = [i for i, p in enumerate(paras) if p[0] == start]
    assert at, "no paragraph %r in %s" % (start, fodt)
    paras = paras[at[0] + 1:]
lo_lines = []
nrtl = 0
for t, wm, chain in paras:
    d = first_strong(t)
    if d == "rtl":
        assert wm == "rl-tb", "%r is %s in LibreOffice" % (t, wm)
        nrtl += 1
    elif d == "ltr" and any(c == "Quote" for c in chain):
        assert wm == "lr-tb", "quote %r is %s in LibreOffice" % (t, wm)
    lo_lines += [x.strip() for x in t.split("\n") if x.strip()]

md_lines = []
for line in open(md, encoding="utf-8").read().split("\n"):
    if re.match(r"</?div", line):
        continue
    line = re.sub(r"^#+ |^> ?", "", line)
    line = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", line).strip()
    if line:
        md_lines.append(line)
if start is not None:
    md_lines = md_lines[1:]  # the quote book's title: the report's heading
if lo_lines != md_lines:
    for i, (a, b) in enumerate(zip(lo_lines, md_lines)):
        if a != b:
            sys.exit("line %d differs:\n LibreOffice: %r\n Markdown:    %r"
                     % (i + 1, a, b))
    sys.exit("LibreOffice has %d lines, the Markdown book %d"
             % (len(lo_lines), len(md_lines)))
for row in tables:
    print(row)
print("%s: %d lines equal the Markdown book's, in order; %d right-to-left "
      "paragraphs are rl-tb in LibreOffice" % (fodt, len(lo_lines), nrtl))
