#!/usr/bin/python3
"""The rendering part of 'make bench' for qcode serve (issue 10).

Usage: bench_render.py QCODE [RUNS]

Builds a project holding a 2-hour interview (about 25,000 words in 400
turns, Hebrew with English turns) and a short note, codes the interview
500 times (suggestions from autocode, the rest through the HTTP
interface as the page codes: spans of 2 to 30 words in 12 codes, some
overlapping, two coders), then opens it in headless Chromium (Python
Selenium) RUNS times (default 7) and reads the browser's own timing:
  load     the address with #doc=ID typed in: from the start of the
           navigation (performance.timeOrigin) to the first frame painted
           after the page laid out the document's first screen with all
           its highlights (the page's performance marks qcode-rendered /
           qcode-painted), and to the whole document drawn (the page
           draws the rest in pieces right after: qcode-complete)
  switch   a click on the interview in the document list while the note
           is open: from the click to that frame
and, of the load, the time the page's main thread spent in tasks (CDP
Performance.getMetrics TaskDuration: parsing, script, style, layout,
paint) and the CPU time all the browser's processes and the server used
(from /proc): on a busy machine the wall times grow with the waiting,
the CPU time much less.  Also where the load's time goes: the medians
of the browser's Navigation and Resource Timing (each request asked and
answered, with its Server-Timing) and of the page's marks.
With BENCH_TRACE=FILE, also the browser's trace events of the loads into
FILE (JSON) and their main-thread CPU time by kind (parsing, script,
style, layout, paint).
Prints the medians, and exits 1 when the median load is over 300 ms; 0
with a message when Chromium, chromedriver or Selenium is missing.
"""
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_MS = 300.0
WORDS = 25000
CODINGS = 500

HE = ("את של על זה לא גם אני יש אבל מה הם היה כל עם רק אז היא הוא "
      "תוכנית רשות כלים הכשרה מנהלים עבודה קהילה שינוי צוות תקציב "
      "דיגיטלי תהליך מפגש למידה חיבור עמיתים שיתוף פעולה אתגר זמן").split()
EN = ("the and of to a in that we it was for on with as is they "
      "program council tools training managers work community change team "
      "budget digital process meeting learning network peers cooperation "
      "challenge time").split()
CODES = ["Benefits/Tools", "Benefits/Network", "Benefits/Skills",
         "Barriers/Time", "Barriers/Budget", "Barriers/Management",
         "Change/Process", "Change/Culture", "Learning/Formal",
         "Learning/Peers", "Emotions", "Quotes to use"]


def sentence(rng, words):
    n = rng.randint(6, 16)
    return " ".join(rng.choice(words) for _ in range(n)) + \
        rng.choice([".", ".", "?", "!"])


def interview(rng):
    turns, nwords, t = [], 0, 0
    while nwords < WORDS:
        host = len(turns) % 2 == 0
        english = len(turns) % 10 in (4, 5)
        words = EN if english else HE
        who = ("Interviewer" if host else "Dana") if english else \
            ("מראיינת" if host else "דנה לוי")
        text = " ".join(sentence(rng, words)
                        for _ in range(rng.randint(1, 3) if host else
                                       rng.randint(3, 12)))
        turns.append("%s: %s" % (who, text))
        nwords += len(text.split())
        t += 1
    return "\n".join(turns) + "\n", len(turns), nwords


def codebook():
    groups = {}
    for c in CODES:
        if "/" in c:
            groups.setdefault(c.split("/")[0], []).append(c.split("/")[1])
    out = []
    for g, subs in groups.items():
        out.append("# %s\n\n- codable: no\n" % g)
        for s in subs:
            out.append("## %s\n" % s)
            if s == "Tools":
                out.append("- keywords: tools\n")
    out.append("# Emotions\n\n- color: #b83280\n")
    out.append("# Quotes to use\n")
    return "\n".join(out)


def skip(msg):
    print("render: %s; skipped (apt-get install chromium chromium-driver "
          "python3-selenium)" % msg)
    sys.exit(0)


def main():
    qcode = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    try:
        from selenium import webdriver
        from selenium.webdriver.common.by import By
    except ImportError:
        skip("no Python Selenium for %s" % sys.executable)
    for tool in ("chromium", "chromedriver"):
        if not shutil.which(tool):
            skip("no %s" % tool)
    d = tempfile.mkdtemp(prefix="qcode-bench-render.")
    try:
        return run(qcode, runs, d, webdriver, By)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def q(qcode, d, *args):
    subprocess.run([qcode, "-p", os.path.join(d, "p.qcode")] + list(args),
                   check=True, stdout=subprocess.DEVNULL)


def run(qcode, runs, d, webdriver, By):
    rng = random.Random(20261205)
    text, nturns, nwords = interview(rng)
    with open(os.path.join(d, "interview.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(d, "note.txt"), "w", encoding="utf-8") as f:
        f.write("A short note.\n")
    with open(os.path.join(d, "codes.md"), "w", encoding="utf-8") as f:
        f.write(codebook())
    q(qcode, d, "init", os.path.join(d, "p.qcode"))
    q(qcode, d, "import", os.path.join(d, "note.txt"),
      os.path.join(d, "interview.txt"))
    q(qcode, d, "codebook", "load", os.path.join(d, "codes.md"))
    q(qcode, d, "autocode")
    srv = subprocess.Popen([qcode, "-p", os.path.join(d, "p.qcode"), "serve",
                            "--coder", "noa"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)
    try:
        url = srv.stdout.readline().strip()
        return measure(url, text, runs, nturns, nwords, rng, webdriver, By,
                       srv.pid)
    finally:
        srv.terminate()
        srv.wait()


# The milestones of a load, from the browser's Navigation and Resource
# Timing: when the page's own files and each API request were asked for
# and answered, and when the script started, in ms since the navigation.
PHASES = """
const nav = performance.getEntriesByType("navigation")[0];
const out = {"document requested": nav.requestStart,
  "document answered": nav.responseEnd,
  "DOMContentLoaded": nav.domContentLoadedEventStart};
for (const r of performance.getEntriesByType("resource")) {
  const u = new URL(r.name);
  const k = u.pathname.replace(/\\/[0-9]+$/, "/ID") + (u.search ? "?..." : "");
  out[k + " asked"] = r.startTime;
  out[k + " answered"] = r.responseEnd;
  for (const t of r.serverTiming || []) out[k + " server"] = t.duration;
}
for (const m of ["qcode-start", "qcode-document", "qcode-rendered",
                 "qcode-painted"]) {
  const e = performance.getEntriesByName(m);
  if (e.length) out[m] = e[e.length - 1].startTime;
}
return out;"""


# Kinds of the renderer's main-thread work in a trace (their thread CPU
# time; some nest in others, e.g. Layout in a FunctionCall that forced it).
TRACE_KINDS = ["ParseHTML", "ParseAuthorStyleSheet", "EvaluateScript",
               "v8.compile", "FunctionCall", "TextResourceDecoder::Decode",
               "UpdateLayoutTree", "Layout", "PrePaint", "Paint",
               "Layerize", "MinorGC", "MajorGC"]


def trace_summary(events, runs):
    names = {(e.get("pid"), e.get("tid")): e["args"]["name"] for e in events
             if e.get("ph") == "M" and e.get("name") == "thread_name"}
    cpu = dict.fromkeys(TRACE_KINDS, 0)
    for e in events:
        if e.get("ph") == "X" and e.get("name") in cpu and \
                names.get((e.get("pid"), e.get("tid"))) == "CrRendererMain":
            cpu[e["name"]] += e.get("tdur", e.get("dur", 0)) / 1000.0
    print("  the renderer's main thread per load (trace, thread CPU ms): " +
          ", ".join("%s %.1f" % (k, v / runs) for k, v in cpu.items() if v))


# The turns the page drew before its first frame (the qcode-rendered
# mark's detail) and how far down the reader they reach: below its
# bottom, or the first screen was not whole.
FIRST_SCREEN = """
const m = performance.getEntriesByName("qcode-rendered");
const n = m.length ? m[m.length - 1].detail : null;
if (!n) return null;  /* a page from before the mark had it */
const rows = document.getElementById("document").children;
const reader = document.getElementById("reader").getBoundingClientRect();
return [n, rows[n - 1].getBoundingClientRect().bottom - reader.top,
        reader.height];"""


def measure(url, text, runs, nturns, nwords, rng, webdriver, By, srv_pid):
    hostport, token = url[7:].split("/?token=")
    host, port = hostport.split(":")
    con = http.client.HTTPConnection(host, int(port), timeout=120)
    auth = {"Authorization": "Bearer " + token}

    def call(method, path, body=None):
        con.request(method, path, body=json.dumps(body) if body else None,
                    headers=auth)
        res = con.getresponse()
        data = json.loads(res.read())
        if res.status >= 300:
            raise SystemExit("render: %s %s: %s" % (method, path, data))
        return data

    docs = {x["name"]: x["id"] for x in call("GET", "/api/documents")}
    doc, note = docs["interview.txt"], docs["note.txt"]
    have = len(call("GET", "/api/documents/%d" % doc)["codings"])
    # Word spans in code points (the text is all in the Basic Plane, so
    # Python's indexes are code points).
    spans, i = [], 0
    for w in text.split(" "):
        spans.append((i, i + len(w)))
        i += len(w) + 1
    while have < CODINGS:
        a = rng.randrange(len(spans) - 30)
        b = a + rng.randint(1, 29)
        start, end = spans[a][0], spans[b][1]
        if "\n" in text[start:end]:
            continue
        call("POST", "/api/codings", {
            "document": doc, "start": start, "end": end,
            "code": rng.choice(CODES),
            "coder": "noa" if rng.random() < 0.8 else "avi"})
        have += 1
    con.close()
    print("interview: %d words in %d turns, %d characters, %d codings"
          % (nwords, nturns, len(text), have))

    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--window-size=1400,900"):
        opts.add_argument(a)
    trace = os.environ.get("BENCH_TRACE")
    if trace:
        # chromedriver's performance log with the browser's trace
        # events: the renderer's main-thread CPU time by kind of work.
        opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        opts.add_experimental_option("perfLoggingPrefs", {
            "enableNetwork": False, "enablePage": False,
            "traceCategories": "devtools.timeline,v8,blink"})
    drv = webdriver.Chrome(options=opts)
    drv.set_script_timeout(60)
    base = "http://%s:%s" % (host, port)
    mark = ("const m = performance.getEntriesByName(arguments[0]);"
            "return m.length ? m[m.length - 1].startTime : null;")

    # Wait inside the page (no polling from here, which would itself
    # keep the browser busy).
    wait = """
const [name, after, done] = arguments;
const find = () => performance.getEntriesByName(name).map((m) => m.startTime)
  .filter((t) => t > after)[0];
const t = find();
if (t !== undefined) { done(t); return; }
new PerformanceObserver((list, obs) => {
  const u = find();
  if (u !== undefined) { obs.disconnect(); done(u); }
}).observe({ type: "mark" });"""

    def wait_mark(name, after=-1.0):
        for _ in range(100):
            try:
                return drv.execute_async_script(wait, name, after)
            except Exception as e:  # the page not there yet
                if "Timeout" in type(e).__name__:
                    break
                time.sleep(0.05)
        raise SystemExit("render: the page never drew the document")

    def tree_cpu(roots):
        """CPU time (user + system, ms) of processes ROOTS and all their
        descendants: the browser's processes and the server."""
        procs = {}
        for e in os.listdir("/proc"):
            if e.isdigit():
                try:
                    with open("/proc/%s/stat" % e) as f:
                        st = f.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                procs[int(e)] = (int(st[1]), int(st[11]) + int(st[12]))
        keep, grew = set(roots), True
        while grew:
            grew = False
            for pid, (ppid, _) in procs.items():
                if ppid in keep and pid not in keep:
                    keep.add(pid)
                    grew = True
        return sum(procs[p][1] for p in keep if p in procs) * 1000.0 / \
            os.sysconf("SC_CLK_TCK")

    roots = [drv.service.process.pid, srv_pid]

    def busy():
        """The page's main-thread task time so far (CDP), in ms."""
        m = drv.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
        return 1000 * next(x["value"] for x in m
                           if x["name"] == "TaskDuration")

    try:
        drv.execute_cdp_cmd("Performance.enable", {})
        drv.get(url)  # the token becomes the cookie
        wait_mark("qcode-painted")
        loads, laid, tasks, switches = [], [], [], []
        cpus, scpu, whole, phases = [], [], [], []
        if trace:
            drv.get_log("performance")  # not the first load's
        for r in range(runs):
            b0, c0 = busy(), tree_cpu(roots)
            drv.get("%s/?run=%d#doc=%d" % (base, r, doc))
            loads.append(wait_mark("qcode-painted"))
            laid.append(wait_mark("qcode-rendered"))
            whole.append(wait_mark("qcode-complete"))
            b1, c1 = busy(), tree_cpu(roots)
            tasks.append(b1 - b0 if b1 >= b0 else b1)
            cpus.append(c1 - c0)
            phases.append(drv.execute_script(PHASES))
            first = drv.execute_script(FIRST_SCREEN)
            n = drv.execute_script(
                "return [document.querySelectorAll('#document mark').length,"
                " document.querySelectorAll('#document [data-segment]')"
                ".length]")
        print("the page shows %d highlights (<mark>) in %d segments"
              % (n[0], n[1]))
        if first:
            print("drawn before the first frame: %d turns, down to %.0f px "
                  "of the reader's %.0f" % tuple(first))
        if trace:
            events = [json.loads(x["message"])["message"]["params"]
                      for x in drv.get_log("performance")]
            with open(trace, "w") as f:
                json.dump(events, f)
            trace_summary(events, runs)
        for r in range(runs):
            drv.execute_script(
                "document.querySelector('li[data-doc=\"%d\"]').click()"
                % note)
            t = wait_mark("qcode-complete")
            c0 = tree_cpu(roots)
            t0 = drv.execute_script(
                "window.t0 = performance.now();"
                "document.querySelector('li[data-doc=\"%d\"]').click();"
                "return window.t0;" % doc)
            switches.append(wait_mark("qcode-painted", max(t, t0)) - t0)
            scpu.append(tree_cpu(roots) - c0)
    finally:
        drv.quit()
    med = statistics.median(loads)
    print("load average: %s" % " ".join(open("/proc/loadavg").read()
                                         .split()[:3]))
    print("load (navigation to painted), ms:   median %6.0f  (laid out: "
          "%.0f; runs: %s)" % (med, statistics.median(laid),
                               " ".join("%.0f" % x for x in loads)))
    print("  the whole document drawn:            median %6.0f"
          % statistics.median(whole))
    print("  the page's main-thread tasks in it:  median %6.0f"
          % statistics.median(tasks))
    print("  CPU time of the browser and server:  median %6.0f  (all "
          "processes, both cores)" % statistics.median(cpus))
    print("  where the load's time goes (medians, ms from navigation):")
    for k in sorted(phases[0], key=lambda k: statistics.median(
            p.get(k, 0) for p in phases)):
        print("    %-36s %6.0f" % (k, statistics.median(p.get(k, 0) for p in phases)))
    print("switch (click to painted), ms:      median %6.0f  (runs: %s)"
          % (statistics.median(switches),
             " ".join("%.0f" % x for x in switches)))
    print("  CPU time of the browser and server:  median %6.0f"
          % statistics.median(scpu))
    print("target: the document with all highlights within %.0f ms of "
          "navigation: %s" % (TARGET_MS, "met" if med <= TARGET_MS
                              else "NOT met"))
    return 0 if med <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
