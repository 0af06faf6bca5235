#!/usr/bin/env python3
"""Generate the benchmark corpus for `make bench` (scripts/bench.sh).

Deterministic (a fixed seed): a survey export (survey.csv: one row per
respondent, a Hebrew and an English open question) and interview
transcripts (transcripts/*.txt, Hebrew and English speaker turns), at
least MB megabytes in all; a codebook of 200 keyword rules drawn from the
corpus vocabulary (codebook.md, and codebook.sql for a project whose
qcode cannot load a Markdown codebook); and the same keywords as
patterns for ripgrep (keywords.rg) and for Python's re (keywords.py.json).

The words are made up from syllables, so the keywords' hits are known
exactly: Hebrew content words never start with a prefix letter
(ו ה ב כ ל מ ש), and carry at most two prefix letters in the text, so
ripgrep's `HE_CHAIN WORD` with -w counts the same hits as qcode's
prefix rule (HE_CHAIN: the chains Hebrew allows, as src/match.c's
HE_PREFIX, from hspell; the text also holds chains it does not allow,
לה and בה, which neither counts); no keyword is a prefix of another.

usage: bench_gen.py OUTDIR [MB]
"""
import csv
import io
import json
import os
import random
import sys

SEED = 20240601
HE_PREFIXES = ["ה", "ו", "ב", "ל", "מ", "ש", "וה", "וב", "של", "כש", "לה",
               "מה", "שה", "בה"]
# The prefix chains Hebrew allows (src/match.c HE_PREFIX, hspell's list).
HE_CHAIN = ("(?:ו?ש?(?:כש|מש|לכש)?(?:כמה|מה|כב|ככ|כל|כמ|בכ|לכ|מכ|ב|ה|כ|ל|מ)?"
            "|מב|מל)")
HE_FIRST = "אגדזחטינסעפצקרת"
HE_LETTERS = "אבגדהוזחטיכלמנסעפצקרשת"
FINAL = {"כ": "ך", "מ": "ם", "נ": "ן", "פ": "ף", "צ": "ץ"}
EN_SYL = ["ka", "lo", "mi", "ne", "ra", "sto", "ven", "tal", "qui", "bor",
          "dex", "fin", "gal", "hup", "jor", "lem", "nix", "pra", "sul",
          "tor", "vak", "wen", "yel", "zor", "cam", "dru", "esk", "fro",
          "gim", "hal", "ind", "jas", "kel", "mor", "nut", "opa", "pel",
          "rud", "sim", "tev", "urn", "vol", "wex", "yst", "zan"]
EN_FUNC = ("the and of to a in that we it was for on with as is they be at "
           "this have but not by from or you all were our there an so what "
           "about which when more them one had would very also can if").split()
HE_FUNC = ("את של על זה לא גם אני יש אבל מה הם היה כל עם רק אז היא הוא "
           "כי אם עוד כמו יותר אנחנו היו אין שם פה כן אחד אחת בין").split()
EN_NAMES = ["Dana", "Omar", "Ruth", "Yossi", "Maya", "Eli", "Noa", "Sam"]
HE_NAMES = ["דנה", "עומר", "רות", "יוסי", "מאיה", "אלי", "נועה", "שמעון"]


def make_vocab(rng, n, make):
    seen = set()
    out = []
    while len(out) < n:
        w = make(rng)
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def he_word(rng):
    k = rng.randint(2, 4)
    w = rng.choice(HE_FIRST) + "".join(rng.choice(HE_LETTERS)
                                       for _ in range(k))
    return w[:-1] + FINAL.get(w[-1], w[-1])


def en_word(rng):
    return "".join(rng.choice(EN_SYL) for _ in range(rng.randint(2, 3)))


class Lang:
    def __init__(self, rng, vocab, func, he):
        self.vocab = vocab
        self.func = func
        self.he = he
        # Zipf-like weights: content words by rank, function words heavy.
        self.words = func + vocab
        self.weights = [1.5 / (i + 1) for i in range(len(func))] + \
                       [1.0 / (r + 10) for r in range(len(vocab))]
        self.cum = []
        t = 0.0
        for w in self.weights:
            t += w
            self.cum.append(t)
        self.total = t
        self.rng = rng

    def sentence(self):
        rng = self.rng
        n = rng.randint(6, 18)
        ws = rng.choices(self.words, cum_weights=self.cum, k=n)
        out = []
        for i, w in enumerate(ws):
            if self.he:
                if w not in self.func and rng.random() < 0.25:
                    w = rng.choice(HE_PREFIXES) + w
            else:
                if i == 0:
                    w = w.capitalize()
                elif rng.random() < 0.02:
                    w = w.upper()
            out.append(w)
        s = " ".join(out)
        r = rng.random()
        if r < 0.15:
            s = s.replace(" ", ", ", 1)
        return s + rng.choice([".", ".", ".", "?", "!"])

    def text(self, lo, hi):
        return " ".join(self.sentence()
                        for _ in range(self.rng.randint(lo, hi)))


def main():
    out = sys.argv[1]
    mb = float(sys.argv[2]) if len(sys.argv) > 2 else 100.0
    rng = random.Random(SEED)
    he_vocab = make_vocab(rng, 4000, he_word)
    he_vocab = [w for w in he_vocab if w not in HE_FUNC]
    en_vocab = make_vocab(rng, 4000, en_word)
    en_vocab = [w for w in en_vocab if w not in EN_FUNC]
    he = Lang(rng, he_vocab, HE_FUNC, True)
    en = Lang(rng, en_vocab, EN_FUNC, False)
    os.makedirs(os.path.join(out, "transcripts"), exist_ok=True)
    budget = int(mb * 1024 * 1024)
    size = 0
    # Survey: about 45% of the corpus.
    with open(os.path.join(out, "survey.csv"), "w", encoding="utf-8",
              newline="") as f:
        f.write("id,sector,gender,q_he,q_en\n")
        nresp = 0
        while size < budget * 0.45:
            nresp += 1
            qa = he.text(1, 4) if rng.random() < 0.9 else ""
            qb = en.text(1, 4) if rng.random() < 0.9 else ""
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerow(
                ["r%06d" % nresp, rng.choice(["local", "government", "ngo"]),
                 rng.choice(["f", "m"]), qa, qb])
            row = buf.getvalue()
            f.write(row)
            size += len(row.encode("utf-8"))
    # Transcripts: the rest, Hebrew and English interviews.
    k = 0
    while size < budget:
        k += 1
        lang = he if k % 2 else en
        names = HE_NAMES if lang.he else EN_NAMES
        host = "מראיינת" if lang.he else "Interviewer"
        guest = names[k % len(names)]
        lines = []
        for t in range(rng.randint(60, 200)):
            who = host if t % 2 == 0 else guest
            lines.append("%s: %s" % (who, lang.text(1, 3 if t % 2 == 0
                                                     else 8)))
        body = "\n".join(lines) + "\n"
        path = os.path.join(out, "transcripts", "interview_%04d.txt" % k)
        with open(path, "w", encoding="utf-8") as f:
            f.write(body)
        size += len(body.encode("utf-8"))
    # Keywords: 100 Hebrew and 100 English content words of middle
    # frequency, up to 15 of each as stems with '*'; no keyword a prefix of
    # another (a stem takes the first letters of its word).
    full = {}

    def pick(vocab, star_n):
        cands = vocab[15:1200:6][:100]
        kws = []
        for j, w in enumerate(cands):
            star = j % 7 == 3 and len(kws) < 200 and \
                sum(1 for x in kws if x[1]) < star_n and len(w) > 4
            stem = w[:-1] if star else w
            kws.append((stem, star))
            full[stem] = w
        # Drop clashes: a keyword (or stem) that starts another.
        ok = []
        for stem, star in kws:
            clash = any(o != stem and (o.startswith(stem) or
                                       stem.startswith(o))
                        for o, _ in kws)
            if not clash:
                ok.append((stem, star))
        extra = [w for w in vocab[1200:3000]
                 if all(not w.startswith(o) and not o.startswith(w)
                        for o, _ in ok)]
        while len(ok) < 100:
            ok.append((extra.pop(0), False))
        return ok[:100]
    he_kw = pick(he_vocab, 15)
    en_kw = pick(en_vocab, 15)
    codes = []
    for c in range(20):
        codes.append(("נושא %02d" % (c + 1), "he", he_kw[c * 5:c * 5 + 5]))
    for c in range(20):
        codes.append(("Theme %02d" % (c + 1), None, en_kw[c * 5:c * 5 + 5]))
    with open(os.path.join(out, "codebook.md"), "w", encoding="utf-8") as f:
        f.write("# Benchmark codebook\n\n"
                "Generated by scripts/bench_gen.py: 40 codes, 200 "
                "keywords.\n\n")
        for name, lang, kws in codes:
            f.write("## %s\n\n" % name)
            if lang:
                f.write("- language: %s\n" % lang)
            f.write("- keywords: %s\n\n" % ", ".join(
                s + ("*" if st else "") for s, st in kws))
    with open(os.path.join(out, "codebook.sql"), "w", encoding="utf-8") as f:
        f.write("BEGIN;\n")
        for i, (name, lang, kws) in enumerate(codes):
            f.write("INSERT INTO codes(id, name, path, ord, language) "
                    "VALUES(%d, '%s', '%s', %d, %s);\n" % (
                        i + 1, name, name, i + 1,
                        "'%s'" % lang if lang else "NULL"))
            for j, (s, st) in enumerate(kws):
                f.write("INSERT INTO rules(code_id, kind, pattern, ord) "
                        "VALUES(%d, 'keyword', '%s', %d);\n" % (
                            i + 1, s + ("*" if st else ""), j))
        f.write("COMMIT;\n")
    rg = []
    py = []
    for name, lang, kws in codes:
        for s, st in kws:
            body = s + (r"\w*" if st else "")
            if lang == "he":
                rg.append("%s%s" % (HE_CHAIN, body))
                py.append(r"(?<!\w)%s%s(?!\w)" % (HE_CHAIN, body))
            else:
                rg.append(body)
                py.append(r"(?<!\w)%s(?!\w)" % body)
    with open(os.path.join(out, "keywords.rg"), "w", encoding="utf-8") as f:
        f.write("\n".join(rg) + "\n")
    with open(os.path.join(out, "keywords.py.json"), "w",
              encoding="utf-8") as f:
        json.dump(py, f, ensure_ascii=False)
    # Plain keywords (the same words, whole: a stem's word): a codebook
    # without languages or stems, whose hits ripgrep's fixed-string mode
    # finds (rg -F -w -i -f keywords_plain.txt).
    plain = [[full.get(s, s) for s, _ in kws] for _, _, kws in codes]
    with open(os.path.join(out, "codebook_plain.md"), "w",
              encoding="utf-8") as f:
        f.write("# Benchmark codebook of plain keywords\n\n")
        for (name, _, _), words in zip(codes, plain):
            f.write("## %s\n\n- keywords: %s\n\n" % (name,
                                                       ", ".join(words)))
    with open(os.path.join(out, "keywords_plain.txt"), "w",
              encoding="utf-8") as f:
        f.write("\n".join(w for words in plain for w in words) + "\n")
    print("generated %.1f MB: survey.csv (%d respondents), %d transcripts, "
          "200 keywords in 40 codes" % (size / 1048576.0, nresp, k))


if __name__ == "__main__":
    main()
