#!/usr/bin/env python3
"""The HTTP part of 'make bench' for qcode serve (issue 10).

Usage: bench_serve.py QCODE PROJECT [N]

Starts 'QCODE -p PROJECT serve', then sends N requests of each kind over
one keep-alive connection, as the page does:
  GET /api/documents/ID   the N transcripts with the most codings, and N
                          survey answers spread over the project
  GET /api/codes          the code tree with its counts
  GET /api/documents?...  the page's document list: its first 200, and
                          pages of one question not coded by the coder
  GET /api/filters        the choices of the list's filters (once)
  POST /api/codings       a new coding in each of N documents, each
                          followed by GET /api/codes (the page's refresh)
For each kind it prints, in milliseconds: the median and the slowest
server time (the Server-Timing header: from the request's arrival to its
answer built), the median round trip seen here (with the transfer and
this client's waiting), and the server's CPU time per request (from
/proc; on a busy machine the other two grow, this one much less).
Exits 1 when a median server time is over the target (20 ms; the list's
requests have none), 2 when a request fails.  The POSTs change the project (codings by coder 'bench').
Before those, once each: the first GET /api/codes after the start (it
counts) and GET /api/documents without arguments (the whole list).
"""
import http.client
import json
import os
import statistics
import subprocess
import sys
import time

TARGET_MS = 20.0
TICKS = os.sysconf("SC_CLK_TCK")


def server_cpu(pid):
    """User + system CPU time of process PID so far, in ms."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000.0 / TICKS


def main():
    qcode, project = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    srv = subprocess.Popen([qcode, "-p", project, "serve", "--coder", "bench"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           text=True)
    try:
        return run(srv, n)
    finally:
        srv.terminate()
        srv.wait()


class Client:
    def __init__(self, url):
        hostport, self.token = url[7:].split("/?token=")
        host, port = hostport.split(":")
        self.con = http.client.HTTPConnection(host, int(port), timeout=300)

    def call(self, method, path, body=None, want=(200,)):
        """(server ms, round-trip ms, the JSON answer)"""
        headers = {"Authorization": "Bearer " + self.token}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        t0 = time.perf_counter()
        self.con.request(method, path, body=data, headers=headers)
        res = self.con.getresponse()
        raw = res.read()
        self.last_size = len(raw)
        rtt = (time.perf_counter() - t0) * 1000
        if res.status not in want:
            raise SystemExit("bench: %s %s: %d %s" % (method, path,
                                                      res.status, raw[:200]))
        timing = res.getheader("Server-Timing", "")
        server = float(timing.split("dur=")[1]) if "dur=" in timing else rtt
        return server, rtt, json.loads(raw)


def run(srv, n):
    url = srv.stdout.readline().strip()
    if not url.startswith("http://"):
        print("bench: qcode serve did not start", file=sys.stderr)
        return 2
    c = Client(url)
    cpu0 = server_cpu(srv.pid)
    first, _, codes = c.call("GET", "/api/codes")
    cpu1 = server_cpu(srv.pid)
    whole, whole_rtt, docs = c.call("GET", "/api/documents")
    cpu2 = server_cpu(srv.pid)
    ncodings = sum(d["codings"] for d in docs)
    print("project: %d documents, %d codings (not rejected), %d codes"
          % (len(docs), ncodings, len(codes)))
    print("load average: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
    print("first GET /api/codes (counts every coding, then kept): %.0f ms "
          "(CPU %.0f ms)" % (first, cpu1 - cpu0))
    print("GET /api/documents, the whole list (%.1f MB): %.0f ms, round "
          "trip %.0f ms (CPU %.0f ms)" % (c.last_size / 1e6, whole,
                                          whole_rtt, cpu2 - cpu1))
    transcripts = sorted((d for d in docs if d["format"] != "csv"),
                         key=lambda d: (-d["codings"], d["id"]))[:n]
    answers = [d for d in docs if d["format"] == "csv" and d["chars"] > 0]
    answers = answers[::max(1, len(answers) // n)][:n]
    codable = [x["path"] for x in codes if x["codable"]]

    slow = []
    print("\n%-40s %8s %8s %8s %8s %4s" % ("request (ms)", "server", "max",
                                           "trip", "cpu", "n"))

    def report(label, timings, cpu, extra="", target=True):
        server = [t[0] for t in timings]
        med = statistics.median(server)
        if target and med > TARGET_MS:
            slow.append(label)
        print("%-40s %8.1f %8.1f %8.1f %8s %4d%s"
              % (label, med, max(server),
                 statistics.median(t[1] for t in timings),
                 "%.1f" % cpu if cpu is not None else "", len(timings), extra))

    def timed(calls):
        cpu = server_cpu(srv.pid)
        out = [c.call(*a) for a in calls]
        return out, (server_cpu(srv.pid) - cpu) / len(calls)

    out, cpu = timed([("GET", "/api/documents/%d" % d["id"])
                      for d in transcripts])
    sizes = [len(o[2]["codings"]) for o in out]
    report("GET /api/documents/ID (transcripts)", out, cpu,
           "  (%d-%d codings each)" % (min(sizes), max(sizes)))
    out, cpu = timed([("GET", "/api/documents/%d" % d["id"])
                      for d in answers])
    report("GET /api/documents/ID (survey answers)", out, cpu)
    out, cpu = timed([("GET", "/api/codes")] * n)
    report("GET /api/codes", out, cpu)
    # The page's document list: its first page, and pages of a filter.
    out, cpu = timed([("GET", "/api/documents?limit=200")] * n)
    report("GET /api/documents?limit=200", out, cpu, target=False)
    questions = sorted({d["question"] for d in docs if d["question"]})
    if questions:
        out, cpu = timed([("GET", "/api/documents?limit=200&offset=%d&"
                           "question=%s&coded=no" % (200 * i, questions[0]))
                          for i in range(n)])
        report("GET /api/documents?question=Q&coded=no", out, cpu,
               "  (pages 1-%d)" % n, target=False)
    out, cpu = timed([("GET", "/api/filters")])
    report("GET /api/filters", out, cpu, target=False)
    # As the page does: a coding, then the code tree again.
    calls = []
    for i, d in enumerate((answers + transcripts)[:n]):
        body = {"document": d["id"], "start": 0, "end": min(d["chars"], 10),
                "code": codable[i % len(codable)]}
        calls.append(("POST", "/api/codings", body, (201, 200)))
        calls.append(("GET", "/api/codes"))
    out, cpu = timed(calls)
    report("POST /api/codings", out[0::2], 2 * cpu,
           "  (cpu: with the GET after it)")
    report("GET /api/codes after a coding", out[1::2], None)
    c.con.close()
    print("target: median server time at most %.0f ms each: %s" %
          (TARGET_MS, "met" if not slow else "NOT met (" + ", ".join(slow)
           + ")"))
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
