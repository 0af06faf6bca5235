# Reproduce every case of $SHARED/agreement/cases.json through
# 'qcode agree --data' / '--spans': each case's data becomes a CSV file,
# qcode computes the statistic, and the result is compared with the
# PUBLISHED value in cases.json (and with the published values in its
# "also" block that qcode reports).  Prints one line per check.
import json
import os
import shlex
import subprocess
import sys

cases = json.load(open(sys.argv[1], encoding="utf-8"))
qcode = shlex.split(os.environ.get("QCODE_WRAP", "")) + [os.environ["QCODE"]]
failed = 0
checks = 0


def run(args):
    p = subprocess.run(qcode + args + ["--format", "json"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("qcode %s: exit %d: %s" %
                           (" ".join(args), p.returncode, p.stderr))
    return json.loads(p.stdout)


def cell(v):
    return "" if v is None else str(v)


def write_wide(path, rows):
    """rows: coders x units, None = missing."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("coder," + ",".join("u%d" % (i + 1)
                                    for i in range(len(rows[0]))) + "\n")
        for i, r in enumerate(rows):
            f.write("c%d," % (i + 1) + ",".join(cell(v) for v in r) + "\n")


def reliability(case):
    """The case's data as coders x units."""
    d = case["data"]
    if "reliability_data" in d:
        return d["reliability_data"]
    if "contingency_table" in d:
        t = d["contingency_table"]
        names = d.get("categories") or ["k%d" % i for i in range(len(t))]
        a, b = [], []
        for i, row in enumerate(t):
            for j, n in enumerate(row):
                a += [names[i]] * n
                b += [names[j]] * n
        return [a, b]
    if "subject_by_category_counts" in d:
        t = d["subject_by_category_counts"]
        m = max(sum(r) for r in t)
        rows = [[None] * len(t) for _ in range(m)]
        for u, r in enumerate(t):
            i = 0
            for k, n in enumerate(r):
                for _ in range(n):
                    rows[i][u] = "k%d" % k
                    i += 1
        return rows
    if "units_total" in d:
        a = [1] * d["coded_by_both"] + [1] * d["coded_by_one_only"] + \
            [0] * d["coded_by_neither"]
        b = [1] * d["coded_by_both"] + [0] * d["coded_by_one_only"] + \
            [0] * d["coded_by_neither"]
        assert len(a) == d["units_total"]
        return [a, b]
    return None


def check(cid, what, got, want, tol):
    global failed, checks
    checks += 1
    fmt = "%.4f" if not tol or tol >= 1e-4 else "%.9f"
    if want is None:
        ok = got is None
        line = "%s %s = %s (published: undefined)" % (
            cid, what, "null" if got is None else fmt % got)
    else:
        ok = got is not None and abs(got - want) <= tol
        line = "%s %s = %s (published %s +- %s)" % (
            cid, what, "null" if got is None else fmt % got, want, tol)
    if not ok:
        failed += 1
    print(("ok   " if ok else "FAIL ") + line)


# statistic -> (level, key in qcode's output)
STAT = {
    "percent_agreement": ("nominal", "percent_agreement"),
    "cohen_kappa": ("nominal", "cohen_kappa"),
    "scott_pi": ("nominal", "scott_pi"),
    "bennett_s_free_marginal_kappa": ("nominal", "bennett_s"),
    "fleiss_kappa": ("nominal", "fleiss_kappa"),
    "krippendorff_alpha_nominal": ("nominal", "krippendorff_alpha"),
    "krippendorff_alpha_ordinal": ("ordinal", "krippendorff_alpha"),
    "krippendorff_alpha_interval": ("interval", "krippendorff_alpha"),
    "krippendorff_alpha_ratio": ("ratio", "krippendorff_alpha"),
}
# published extra values ("also") -> (level, key)
ALSO = {
    "scott_pi": ("nominal", "scott_pi"),
    "bennett_S": ("nominal", "bennett_s"),
    "krippendorff_alpha_nominal": ("nominal", "krippendorff_alpha"),
    "percent_agreement_pairable": ("nominal", "percent_agreement"),
    "fleiss_kappa_same_data": ("nominal", "fleiss_kappa"),
    "interval": ("interval", "krippendorff_alpha"),
    "ratio": ("ratio", "krippendorff_alpha"),
}

for case in cases:
    cid, stat = case["id"], case["statistic"]
    tol = case.get("tolerance") or 0
    if stat in STAT:
        rows = reliability(case)
        path = cid + ".csv"
        write_wide(path, rows)
        # qcode runs once for each level that a checked value needs (one
        # run gives every statistic of its level).
        level, key = STAT[stat]
        need = {level}
        for name in case.get("also", {}):
            if name in ALSO:
                need.add(ALSO[name][0])
            elif name in ("D_o", "D_e") and stat.endswith("_nominal"):
                need.add("nominal")
        out = {}
        for lv in sorted(need):
            out[lv] = run(["agree", "--data", path, "--level", lv])
        check(cid, key + ("" if level == "nominal" else " " + level),
              out[level][key], case["expected"], tol)
        for name, want in sorted(case.get("also", {}).items()):
            if name in ALSO:
                level, key = ALSO[name]
                check(cid, "also " + key +
                      ("" if level == "nominal" else " " + level),
                      out[level][key], want, tol)
            elif name in ("D_o", "D_e") and stat.endswith("_nominal"):
                key = ("observed_disagreement" if name == "D_o"
                       else "expected_disagreement")
                check(cid, "also " + key, out["nominal"][key], want, tol)
    elif stat == "krippendorff_alpha_unitized":
        d = case["data"]
        path = cid + ".csv"
        with open(path, "w", encoding="utf-8") as f:
            f.write("coder,category,begin,length\n")
            for r, c, b, n in d["units_rater_cat_begin_length"]:
                f.write("coder%d,%s,%d,%d\n" % (r, c, b, n))
        out = run(["agree", "--spans", path, "--begin",
                   str(d["continuum_begin"]), "--length",
                   str(d["continuum_length"])])
        rows = {r["category"]: r for r in out}
        check(cid, "krippendorff_alpha_unitized",
              rows[None]["krippendorff_alpha_unitized"], case["expected"],
              tol)
        also = case.get("also", {})
        for c in ("c", "k"):
            if "category_" + c in also:
                check(cid, "also category %s alpha" % c,
                      rows[c]["krippendorff_alpha_unitized"],
                      also["category_" + c], tol)
            if "D_o_" + c in also:
                check(cid, "also category %s D_o" % c,
                      rows[c]["observed_disagreement"], also["D_o_" + c], tol)
            if "D_e_" + c in also:
                check(cid, "also category %s D_e" % c,
                      rows[c]["expected_disagreement"], also["D_e_" + c], tol)
    elif stat == "krippendorff_alpha_unitized_2016":
        # Each coder's segments [start, end), the empty ones tagged
        # explicitly (--gap): positions no segment of a coder covers are
        # missing for that coder, as in the source's data.
        d = case["data"]
        empty = d["empty_tag"]
        path = cid + ".csv"
        end = 0
        with open(path, "w", encoding="utf-8") as f:
            f.write("coder,category,begin,length\n")
            for coder, segs in sorted(d["segments_tag_start_end"].items()):
                for tag, b, e in segs:
                    f.write("%s,%s,%d,%d\n" % (coder, tag, b, e - b))
                    end = max(end, e)
        out = run(["agree", "--spans", path, "--length", str(end),
                   "--gap", empty])
        rows = {r["category"]: r for r in out}
        check(cid, "krippendorff_alpha_unitized_2016",
              rows[None]["krippendorff_alpha_unitized_2016"],
              case["expected"], tol)
    else:
        print("NOT CHECKED %s: statistic %s" % (cid, stat))
        failed += 1
print("%d checks, %d failed" % (checks, failed))
