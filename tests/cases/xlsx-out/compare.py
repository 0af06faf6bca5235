# compare.py BOOK.xlsx SHEET FILE.csv [BOOK SHEET CSV ...]: read sheet
# SHEET (a name, or a number from 1) of BOOK back with openpyxl (a second
# implementation) and compare it cell by cell with the CSV qcode wrote
# for the same listing; each triple in turn (one python start for all:
# importing openpyxl takes a third of a second).  Numbers must be stored
# as numbers; a number shows as its number format says (decimals; a
# percent format shows 100 times the value), which must equal the CSV's
# text.  Prints one summary line per
# triple; exit 1 on the first difference.
import csv
import sys

import openpyxl


def shown(c):
    v = c.value
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        sys.exit("cell %s: not a string or number: %r" % (c.coordinate, v))
    fmt = c.number_format
    if fmt == "General":
        # Integers, and numbers written with all their digits.
        return str(int(v)) if float(v) == int(v) else "%.15g" % v
    pct = fmt.endswith("%")
    dec = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
    return "%.*f" % (dec, v * 100 if pct else v)


def compare(book, sheet, csvpath):
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[int(sheet) - 1] if sheet.isdigit() else wb[sheet]
    with open(csvpath, newline="", encoding="utf-8-sig") as f:
        want = list(csv.reader(f))
    got = [list(r) for r in ws.iter_rows()]
    numbers = pct = 0
    if len(got) != len(want):
        sys.exit("%s: %d rows, the CSV has %d" %
                 (ws.title, len(got), len(want)))
    for i, (g, w) in enumerate(zip(got, want)):
        texts = [shown(c) for c in g]
        # openpyxl reads up to the sheet's last used column.
        texts += [""] * (len(w) - len(texts))
        if texts != w:
            sys.exit("%s row %d differs:\n xlsx %r\n csv  %r" %
                     (ws.title, i + 1, texts, w))
        if i:
            for c in g:
                if isinstance(c.value, (int, float)):
                    numbers += 1
                    pct += c.number_format.endswith("%")
        elif any(c.font is None or not c.font.b for c in g):
            sys.exit("%s: the header row is not bold" % ws.title)
    print("%s: %d rows x %d columns equal the CSV; %d numbers (%d percent); "
          "%s" % (ws.title, len(want), len(want[0]) if want else 0, numbers,
                  pct, "right-to-left" if ws.sheet_view.rightToLeft else
                  "left-to-right"))


args = sys.argv[1:]
for i in range(0, len(args), 3):
    compare(*args[i:i + 3])
