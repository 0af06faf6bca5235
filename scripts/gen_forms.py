#!/usr/bin/env python3
"""Write src/forms_table.c: the presentation forms of Hebrew and Arabic
(U+FB1D..U+FDFF, U+FE70..U+FEFC) and the plain letters each stands for,
from Python's Unicode database (NFKC), for src/forms.c.

    /usr/bin/python3 scripts/gen_forms.py >src/forms_table.c

An isolated mark (U+FE70 ARABIC FATHATAN ISOLATED FORM is NFKC
U+0020 U+064B) stands for the mark alone: a space there would split the
word it sits in.  Run by hand when Unicode adds forms; the table is
committed.
"""
import unicodedata

RANGES = [(0xFB1D, 0xFDFF), (0xFE70, 0xFEFC)]


def main():
    entries, pool = [], []
    for lo, hi in RANGES:
        for cp in range(lo, hi + 1):
            c = chr(cp)
            if unicodedata.category(c) == "Cn":
                continue
            k = unicodedata.normalize("NFKC", c)
            if k == c:
                continue
            if k.startswith(" ") and all(
                unicodedata.category(x).startswith("M") for x in k[1:]
            ):
                k = k[1:]
            entries.append((cp, len(pool), len(k)))
            pool.extend(ord(x) for x in k)
    assert max(n for _, _, n in entries) <= 18
    assert all(x < 0x10000 for x in pool)
    out = []
    out.append("/*")
    out.append(" * forms_table.c - written by scripts/gen_forms.py from Unicode "
               + unicodedata.unidata_version + " (NFKC);")
    out.append(" * do not edit.  %d presentation forms, %d code points of letters."
               % (len(entries), len(pool)))
    out.append(" */")
    out.append('#include "forms.h"')
    out.append("")
    out.append("const struct form_entry forms_table[] = {")
    for cp, off, n in entries:
        out.append("\t{ 0x%04X, %d, %d }," % (cp, off, n))
    out.append("};")
    out.append("const size_t forms_table_len = %d;" % len(entries))
    out.append("")
    out.append("const uint16_t forms_pool[] = {")
    for i in range(0, len(pool), 8):
        out.append("\t" + " ".join("0x%04X," % x for x in pool[i:i + 8]))
    out.append("};")
    print("\n".join(out))


main()
