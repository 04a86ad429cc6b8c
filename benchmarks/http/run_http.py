#!/usr/bin/env python3
"""HTTP latency and throughput: `labsearch serve` (release) on a loopback port over the data the
harness loaded, wrk at 1, 16 and 64 connections for the benchmark's query mix on /v1/search
and for /healthz, on the same server in the same run (the floor of what HTTP costs here); at 1
connection also /v1/index/status (authenticated, almost no work: the key check and routing).

Writes JSON: per connection count and endpoint, requests/s, latency p50/p75/p90/p99 (wrk's
--latency distribution), errors and non-2xx answers; the server's peak RSS (VmHWM).
wrk and the server share the machine's cores: at 16 and 64 connections wrk runs 2 threads.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def to_ms(v):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", v)
    return float(m.group(1)) * UNITS[m.group(2)] if m else None


def parse_wrk(out):
    r = {"raw": out}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    r["requests_per_second"] = float(m.group(1)) if m else None
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+),", out)
    r["requests"] = int(m.group(1)) if m else None
    for p in ("50", "75", "90", "99"):
        m = re.search(r"^\s+%s%%\s+([\d.]+\w+)" % p, out, re.M)
        r["p%s_ms" % p] = to_ms(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    r["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    r["socket_errors"] = sum(int(x) for x in m.groups()) if m else 0
    return r


def wrk(url, connections, duration, script=None, env=None):
    threads = min(connections, 2)
    cmd = ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % duration, "--latency", "--timeout", "10s"]
    if script:
        cmd += ["-s", script]
    cmd.append(url)
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
    r = parse_wrk(out)
    r.update({"connections": connections, "threads": threads, "duration_s": duration})
    return r


def vm_hwm(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="the labsearch executable (release)")
    ap.add_argument("--data", required=True, help="the data directory LabSearchBench loaded")
    ap.add_argument("--tenant", default="bench")
    ap.add_argument("--queries", required=True, help="queries.json exported by LabSearchBench")
    ap.add_argument("--out", required=True)
    ap.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    ap.add_argument("--connections", default="1,16,64")
    ap.add_argument("--limit", default="10", help="hits per group (10, as in-process)")
    a = ap.parse_args()

    key = subprocess.run([a.bin, "key", "create", "--data", a.data, "--tenant", a.tenant, "--role", "user"],
                         capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    with open(a.queries) as f:
        queries = json.load(f)
    qfile = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)
    for q in queries:
        qfile.write(q["text"].replace("\n", " ") + "\n")
    qfile.close()

    loadavg_start = open("/proc/loadavg").read().split()[:3]
    log = open(a.out + ".server.log", "w")
    server = subprocess.Popen([a.bin, "serve", "--data", a.data, "--host", "127.0.0.1", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=log, text=True)
    base = None
    try:
        deadline = time.time() + 600
        while time.time() < deadline:
            line = server.stdout.readline()
            if not line:
                raise SystemExit("labsearch serve stopped before listening (see %s)" % log.name)
            m = re.search(r"(http://[\d.:\[\]]+)/", line)
            if m:
                base = m.group(1)
                break
        print("http: server at %s" % base, file=sys.stderr)
        # The first search opens the tenant (index, vocabulary): not part of the measure.
        t0 = time.time()
        req = urllib.request.Request(base + "/v1/search?q=" + urllib.parse.quote("martin") + "&limit=" + a.limit,
                                     headers={"Authorization": "Bearer " + key})
        with urllib.request.urlopen(req, timeout=600) as r:
            assert r.status == 200, r.status
        first_search_s = time.time() - t0
        env = dict(os.environ, LABSEARCH_KEY=key, LABSEARCH_QUERIES=qfile.name, LABSEARCH_LIMIT=a.limit)
        script = os.path.join(HERE, "search.lua")
        wrk(base + "/healthz", 2, 2)
        wrk(base + "/", 2, 3, script=script, env=env)   # warm-up
        runs = []
        for c in [int(x) for x in a.connections.split(",")]:
            # At 1 connection also an authenticated endpoint doing almost nothing
            # (/v1/index/status): where the overhead of a search goes.
            for endpoint in ("search", "healthz") + (("status",) if c == 1 else ()):
                if endpoint == "search":
                    r = wrk(base + "/", c, a.duration, script=script, env=env)
                elif endpoint == "status":
                    r = wrk(base + "/", c, a.duration, script=os.path.join(HERE, "fixed.lua"), env=env)
                else:
                    r = wrk(base + "/healthz", c, a.duration)
                r["endpoint"] = endpoint
                print("http: %-7s c=%-3d %8.0f req/s  p50 %.3f ms  p99 %.3f ms  non-2xx %d" %
                      (endpoint, c, r["requests_per_second"] or 0, r["p50_ms"] or -1, r["p99_ms"] or -1, r["non_2xx"]),
                      file=sys.stderr)
                runs.append(r)
        result = {"server": a.bin, "limit": int(a.limit), "queries": len(queries), "duration_s": a.duration,
                  "first_search_s": first_search_s, "server_peak_rss_bytes": vm_hwm(server.pid), "runs": runs,
                  "cores": os.cpu_count(), "loadavg_start": " ".join(loadavg_start),
                  "loadavg_end": " ".join(open("/proc/loadavg").read().split()[:3])}
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=120)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        os.unlink(qfile.name)
    with open(a.out, "w") as f:
        json.dump(result, f, indent=2, sort_keys=True)
        f.write("\n")
    print("http: wrote %s" % a.out, file=sys.stderr)


if __name__ == "__main__":
    main()
