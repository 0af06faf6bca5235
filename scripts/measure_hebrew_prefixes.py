#!/usr/bin/env python3
"""Precision and recall of qcode's Hebrew prefix rule (language: he).

Run by hand or by `make bench`, not by `make check`:

    python3 scripts/measure_hebrew_prefixes.py [QCODE ...]

(default: build/qcode).  Needs the Debian package hspell (its word list
/usr/share/hspell/hebrew.wgz and the `hspell -l` analyser).

Method.  From hspell's word list (469,509 inflected forms, without
prefixes) take a fixed-seed sample of BASES forms of three or more
letters.  Put every chain of one to four prefix letters (ו ה ב כ ל מ ש:
7 + 49 + 343 + 2,401 = 2,800 chains) before each: the candidates.  A
candidate is a real form of its base word when hspell, asked to analyse
it (`hspell -l`, without the interrogative He, which is hspell's
default), lists the split "chain+base" among its readings; hspell knows
which prefixes each word takes (an article before a noun, not before a
verb in the past tense or a construct form, and so on).  Then qcode
codes a text holding one candidate per line with one code per base
(`keywords: BASE`, `language: he`, `unit: match`): a candidate is
accepted when its base's code codes the whole line.

    precision = accepted and real / accepted
    recall    = accepted and real / real

qcode knows no word classes, so it accepts a chain wherever hspell
would accept it before some word: its precision counts that too.
"""
import csv
import gzip
import io
import itertools
import os
import random
import subprocess
import sys
import tempfile

BASES = 300
SEED = 8
LETTERS = "והבכלמש"
WGZ = "/usr/share/hspell/hebrew.wgz"


def hspell_words():
    """Every word of hspell's list: letters are added, a run of digits
    emits the word and then drops that many letters from its end."""
    data = gzip.open(WGZ).read()
    words, cur, i = [], b"", 0
    while i < len(data):
        if 48 <= data[i] <= 57:
            j = i
            while j < len(data) and 48 <= data[j] <= 57:
                j += 1
            words.append(cur.decode("iso-8859-8"))
            k = int(data[i:j])
            cur = cur[: len(cur) - k] if k else cur
            i = j
        else:
            cur += bytes([data[i]])
            i += 1
    if cur:
        words.append(cur.decode("iso-8859-8"))
    return words


def real_splits(candidates):
    """The (chain, base) splits hspell -l reports for CANDIDATES."""
    text = "\n".join(candidates) + "\n"
    out = subprocess.run(["hspell", "-l"], input=text.encode("iso-8859-8"),
                         capture_output=True, check=True).stdout
    splits = set()
    for line in out.decode("iso-8859-8").split("\n"):
        if line.startswith("צירוף חוקי: "):
            chain, base = line[len("צירוף חוקי: "):].split("+", 1)
            splits.add((chain, base.strip()))
    return splits


def accepted(qcode, pairs, bases):
    """The (chain, base) pairs whose line the code of BASE codes whole."""
    with tempfile.TemporaryDirectory() as d:
        def run(*args):
            return subprocess.run([qcode, *args], cwd=d, check=True,
                                  capture_output=True, text=True).stdout
        lines = [c + b for c, b in pairs]
        with open(os.path.join(d, "forms.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        with open(os.path.join(d, "cb.md"), "w", encoding="utf-8") as f:
            f.write("- language: he\n- unit: match\n\n")
            for b in bases:
                f.write("# %s\n\n- keywords: %s\n\n" % (b, b))
        run("init")
        run("import", "forms.txt")
        run("codebook", "load", "cb.md")
        run("autocode")
        starts, pos = {}, 0
        for n, line in enumerate(lines):
            starts[pos] = n
            pos += len(line) + 1
        got = set()
        rows = csv.DictReader(io.StringIO(run("codings", "--format", "csv")))
        for row in rows:
            n = starts.get(int(row["start"]))
            if n is None:
                continue
            chain, base = pairs[n]
            if row["code"] == base and row["text"] == lines[n]:
                got.add(pairs[n])
        return got


def main():
    qcodes = [os.path.abspath(q) for q in sys.argv[1:] or ["build/qcode"]]
    words = [w for w in hspell_words()
             if len(w) >= 3 and all("\u05d0" <= ch <= "\u05ea" for ch in w)]
    bases = sorted(random.Random(SEED).sample(sorted(set(words)), BASES))
    chains = ["".join(p) for n in range(1, 5)
              for p in itertools.product(LETTERS, repeat=n)]
    pairs = [(c, b) for b in bases for c in chains]
    real = real_splits([c + b for c, b in pairs]) & set(pairs)
    print("%d base forms from hspell, %d chains of 1-4 prefix letters: "
          "%d candidates, %d real forms (hspell)"
          % (len(bases), len(chains), len(pairs), len(real)))
    print("qcode | accepted | accepted and real | precision | recall")
    for q in qcodes:
        acc = accepted(q, pairs, bases)
        both = len(acc & real)
        print("%s | %d | %d | %.1f%% | %.1f%%"
              % (q, len(acc), both, 100.0 * both / max(len(acc), 1),
                 100.0 * both / max(len(real), 1)))


if __name__ == "__main__":
    main()
