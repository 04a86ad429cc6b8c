"""Backup and restore with the real binary and a real server writing meanwhile; two
`tenant create` processes racing for one name; hostile tenant names on the command line.
LABSEARCH_BIN names the labsearch binary."""
import json
import os
import re
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

BIN = os.environ.get("LABSEARCH_BIN", ".build/debug/labsearch")
SYLLABLES = ["ba", "ce", "di", "fo", "gu", "ha", "je", "ki", "lo", "mu"]


def word(i):
    """A unique word per number, far from the others (one syllable per digit)."""
    return "bk" + "".join(SYLLABLES[int(c)] for c in f"{i:05d}")


def run(data, *args, check=True, timeout=600):
    p = subprocess.run([BIN, *args, "--data", data], capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"{args}: exit {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


class Server:
    def __init__(self, data):
        self.proc = subprocess.Popen([BIN, "serve", "--port", "0", "--data", data, "--log-level", "warning"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"http://[^/]+:(\d+)/", line)
        assert m, f"no URL in {line!r}"
        self.base = f"http://127.0.0.1:{m.group(1)}"

    def call(self, method, path, key, body=None, ctype="application/json"):
        req = urllib.request.Request(self.base + path, method=method, data=body,
                                     headers={"Authorization": f"Bearer {key}", "Content-Type": ctype})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=60)


def bulk_line(i, **extra):
    return json.dumps({"op": "upsert", "type": "client", "id": f"cl_{i}",
                       "record": {"name": f"Société {word(i)}", **extra}})


def test_backup_of_a_served_tenant_restores_every_acknowledged_record(tmp_path):
    src, dst = str(tmp_path / "src"), str(tmp_path / "dst")
    key = run(src, "tenant", "create", "acme").stdout.strip().splitlines()[-1]
    initial = 2000
    ndjson = tmp_path / "initial.ndjson"
    ndjson.write_text("\n".join(bulk_line(i, city="Lyon") for i in range(initial)) + "\n")
    run(src, "load", "--tenant", "acme", str(ndjson))

    server = Server(src)   # holds the tenant's index writer lock from its first request on
    try:
        assert server.call("GET", "/v1/index/status", key)[0] == 200
        acked, stop = [], threading.Event()

        def writer():
            i = initial
            while not stop.is_set():
                status, body = server.call("POST", "/v1/bulk", key, (bulk_line(i) + "\n").encode(), "application/x-ndjson")
                if status == 200 and body["upserted"] == 1:
                    acked.append(f"cl_{i}")
                i += 1

        th = threading.Thread(target=writer)
        th.start()
        try:
            while len(acked) < 10:
                time.sleep(0.02)
            before = list(acked)
            started = time.time()
            out = run(src, "backup", "--tenant", "acme", "--out", str(tmp_path / "backup"))
            took = time.time() - started
            while len(acked) < len(before) + 5:   # the server kept writing during and after
                time.sleep(0.02)
        finally:
            stop.set()
            th.join()
    finally:
        server.stop()
    assert "Sauvegarde du tenant « acme »" in out.stdout, out.stdout
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["tenant"] == "acme" and manifest["index_included"] is False
    assert sum(manifest["records"].values()) >= initial + len(before)
    print(f"backup of {sum(manifest['records'].values())} records while serving: {took:.1f} s")

    # Restored into a new data directory that a server already serves: the server sees the
    # tenant and its key at once, without a restart.
    restored = Server(dst)
    try:
        assert restored.call("GET", "/v1/index/status", key)[0] == 401
        r = run(dst, "restore", "--tenant", "acme", "--from", str(tmp_path / "backup"))
        assert "restauré" in r.stdout, r.stdout
        status, body = restored.call("GET", "/v1/index/status", key)
        assert status == 200 and body["store_seq"] == manifest["store_seq"], body
        assert restored.call("GET", f"/v1/clients/{before[-1]}", key)[0] == 200
        for i in [int(x[3:]) for x in before] + list(range(0, initial, 97)):
            status, hits = restored.call("GET", f"/v1/search?q={word(i)}&limit=10", key)
            ids = [h["id"] for t in hits["tabs"] for g in t["groups"] for h in g["hits"]]
            assert status == 200 and f"cl_{i}" in ids, (i, ids)
    finally:
        restored.stop()
    assert run(dst, "check", "--tenant", "acme").returncode == 0
    # Again: refused (the tenant exists), a French message, exit 1.
    again = run(dst, "restore", "--tenant", "acme", "--from", str(tmp_path / "backup"), check=False)
    assert again.returncode == 1 and "existe déjà" in again.stderr, again.stderr
    # A damaged backup: refused before anything is written.
    store = tmp_path / "backup" / "store.sqlite"
    raw = bytearray(store.read_bytes())
    raw[len(raw) // 3] ^= 0xFF
    store.write_bytes(bytes(raw))
    bad = run(str(tmp_path / "third"), "restore", "--tenant", "acme", "--from", str(tmp_path / "backup"), check=False)
    assert bad.returncode == 1 and "corrompue" in bad.stderr, bad.stderr
    assert not os.path.exists(tmp_path / "third" / "tenants" / "acme")


def test_two_processes_creating_one_tenant(tmp_path):
    for round_ in range(8):
        data = str(tmp_path / f"d{round_}")
        if round_ % 2:   # half the rounds on an existing data directory, half on a new one
            run(data, "tenant", "create", "other")
        procs = [subprocess.Popen([BIN, "tenant", "create", "acme", "--data", data], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        # Both start at once (each opens its engine, then creates): the race is on the row.
        results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
        codes = sorted(r[0] for r in results)
        assert codes[0] == 0 and codes[1] != 0, results
        loser = [r for r in results if r[0] != 0][0]
        assert loser[2].strip() == "labsearch : Le tenant « acme » existe déjà.", loser
        listed = run(data, "tenant", "list").stdout.split("\n")
        assert [l.split("\t")[0] for l in listed if l] == (["acme", "other"] if round_ % 2 else ["acme"])
        winner_key = [r for r in results if r[0] == 0][0][1].strip().splitlines()[-1]
        keys = run(data, "key", "list", "--tenant", "acme").stdout.strip().splitlines()
        assert len(keys) == 2 and winner_key.startswith("lsk_"), keys   # header + the winner's key


def test_hostile_tenant_names_are_refused(tmp_path):
    data = str(tmp_path / "data")
    run(data, "tenant", "create", "acme")
    ndjson = tmp_path / "x.ndjson"
    ndjson.write_text(bulk_line(1) + "\n")
    for name in ["../x", "a/b", "..", "x" * 64, "café", "ACME", "", "a b"]:
        for args in (["tenant", "create", name], ["backup", "--tenant", name, "--out", str(tmp_path / "b")],
                     ["restore", "--tenant", name, "--from", str(tmp_path / "b")], ["load", "--tenant", name, str(ndjson)],
                     ["key", "create", "--tenant", name]):
            p = run(data, *args, check=False)
            assert p.returncode != 0, (name, args, p.stdout)
            assert "tenant" in p.stderr.lower(), (name, args, p.stderr)
    assert sorted(os.listdir(os.path.join(data, "tenants"))) == ["acme"]
    assert not os.path.exists(tmp_path / "x") and not os.path.exists(tmp_path / "b")
    assert sorted(os.listdir(tmp_path)) == ["data", "x.ndjson"]
