# cells.py TABLE.html VALUES.csv COLUMN: the header cells of the table
# cmark-gfm made of `count --by COLUMN --format md`, as text (entities
# decoded, <br> a line break), each shown with repr; every group value
# of VALUES.csv's COLUMN must be a heading "VALUE (n=K)" exactly.
import csv
import html.parser
import sys


class Cells(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells, self.cur = [], None

    def handle_starttag(self, tag, attrs):
        if tag in ("th", "td"):
            self.cur = ""
        elif tag == "br" and self.cur is not None:
            self.cur += "\n"
        elif self.cur is not None:
            self.cur += "<%s>" % tag  # markup a value turned into

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.cur is not None:
            self.cells.append((tag, self.cur))
            self.cur = None
        elif self.cur is not None and tag != "br":
            self.cur += "</%s>" % tag

    def handle_data(self, data):
        if self.cur is not None:
            self.cur += data

    def handle_comment(self, data):
        if self.cur is not None:
            self.cur += "<!--%s-->" % data


p = Cells()
p.feed(open(sys.argv[1], encoding="utf-8").read())
heads = [t for k, t in p.cells if k == "th"]
for h in heads:
    print(repr(h))
with open(sys.argv[2], newline="", encoding="utf-8") as f:
    values = {r[sys.argv[3]] for r in csv.DictReader(f)}
got = {h.rsplit(" (n=", 1)[0] for h in heads if " (n=" in h}
missing = sorted(values - got)
assert not missing, "not shown as written: %r" % missing
print("%d group values, each a heading as written" % len(values))
