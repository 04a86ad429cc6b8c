#!/usr/bin/env python3
"""Crash soak of `labsearch serve`: mixed load, kill -9 at a random moment, restart, check.

Loopback only, on a fresh data directory (removed at the end unless --keep). Each cycle:

1. start `labsearch serve` (port 0, the bound port read from its first line of output) and
   wait until it answers `/healthz` and `/v1/index/status` shows the index caught up;
2. drive a mixed load from --threads client threads for a random 1-4 s: bulk NDJSON loads of
   clients (upserts and deletes, some with `?wait=true`), single creates / PUT / PATCH /
   DELETE of products, client companies created with their main contact (two records, one
   transaction), events created without an id (the engine picks it), searches checking
   read-your-writes (API.md: a `200`/`201`/`204` write is in the next search); every few
   cycles a reindex (`POST /v1/index/reindex`, the server holds the index so the command
   line's `reindex` cannot run) and an import commit of a small CSV (`POST /v1/import`);
3. `kill -9` the server at a random moment of the load (every fourth cycle SIGTERM instead:
   in-flight requests answered or cut, exit 0 within 30 s);
4. restart, wait until the index has caught up, and check every record written since the
   last check plus a random sample of older ones (`GET` each): a write answered 2xx is there
   with its last acknowledged content (an acknowledged delete answers 404); a write whose
   answer never came left the record either as it was or as one of the versions sent, never
   anything else (a record is compared on every field the client sent); a company created
   with its main contact is there with its contact or not at all; an event created without an
   id is there at most once (exactly once when acknowledged); an import is there in full or
   not at all, and once only (an unacknowledged one is sent again and must then be there
   once); searching the unique word of each checked record finds it, and a deleted record's
   word finds nothing;
5. stop the server with SIGTERM (it must exit 0 within 30 s) and run
   `labsearch check --tenant T --data DIR` (store vs index, exit 0 when they agree).

After the last cycle every record ever written is checked. Counts go to one summary JSON line
on stdout; the exit status is 1 on any lost, duplicated or mismatched record, any failed
check, any read-your-writes miss, any server that failed to start or to stop cleanly, or any
5xx answer.

    python3 benchmarks/soak.py [--bin .build/debug/labsearch] [--cycles 50] [--max-seconds 1800]
                               [--seed N] [--threads 4] [--keep] [--verbose]
"""
import argparse
import csv
import io
import json
import os
import queue
import random
import re
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time

import requests

TENANT = "soak"
OTHER_TENANT = "soak-other"
IMPORT_HEADERS = [
    "Date de création", "Société cliente", "SIRET", "Numéro de TVA", "Site web", "Compte comptable client",
    "Langues société", "Type société", "Code APE", "Adresse 1", "Adresse 2", "Code postal", "Ville", "Pays",
    "Civilité", "Prénom du contact", "Nom du contact", "Email du contact", "Téléphone direct du contact",
    "Téléphone standard", "Téléphone portable du contact", "Facebook", "LinkedIn", "Twitter", "Instagram",
    "Commentaires sur le contact", "Catégorie du commentaire contact", "Opt-In", "Poste occupé du contact",
    "Situation", "Source",
]


def log(*args):
    print("soak:", *args, file=sys.stderr, flush=True)


class Counts:
    def __init__(self):
        self.lock = threading.Lock()
        self.c = {k: 0 for k in (
            "cycles", "kills", "requests_acked", "writes_acked", "writes_unacked", "records_checked",
            "acked_checked", "lost", "duplicated", "mismatched", "ryw_checks", "ryw_misses",
            "search_checks", "search_misses", "check_runs", "check_failures", "sigterm_stops",
            "sigterm_failures", "sigterm_under_load", "restart_failures", "reindexes_acked", "imports_acked",
            "imports_retried", "events_checked", "groups_checked", "http_5xx", "http_other", "bulk_line_errors",
            "cross_tenant_probes", "cross_tenant_leaks")}
        self.sigterm_max = 0.0
        self.problems = []

    def add(self, key, n=1):
        with self.lock:
            self.c[key] += n

    def problem(self, kind, detail):
        with self.lock:
            self.c[kind] += 1
            if len(self.problems) < 200:
                self.problems.append(f"{kind}: {detail}")
        log(f"PROBLEM {kind}: {detail}")


def word(rng, n=10):
    """A random word of letters only: one search term, unique in practice."""
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(n))


class Server:
    def __init__(self, bin_path, data, logs):
        self.bin, self.data, self.logs = bin_path, data, logs
        self.proc = None
        self.url = None
        self.starts = 0
        self.killing = False

    def start(self, timeout=120):
        self.starts += 1
        self.killing = False
        err = open(os.path.join(self.logs, f"serve-{self.starts:03d}.err"), "wb")
        self.proc = subprocess.Popen(
            [self.bin, "serve", "--host", "127.0.0.1", "--port", "0", "--data", self.data, "--log-level", "notice"],
            stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL)
        err.close()
        lines = queue.Queue()

        def pump(out):
            for line in out:
                lines.put(line.decode("utf-8", "replace"))
            lines.put(None)
        threading.Thread(target=pump, args=(self.proc.stdout,), daemon=True).start()
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                if self.proc.poll() is not None:
                    return False
                continue
            if line is None:
                return False
            m = re.search(r"http://[^/]+:(\d+)/", line)
            if m:
                self.url = f"http://127.0.0.1:{m.group(1)}"
                return True
        return False

    def stderr_tail(self, n=20):
        path = os.path.join(self.logs, f"serve-{self.starts:03d}.err")
        try:
            return "\n".join(open(path, encoding="utf-8", errors="replace").read().splitlines()[-n:])
        except OSError:
            return ""

    def kill9(self):
        self.killing = True
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def sigterm(self, limit=30.0, sig=signal.SIGTERM):
        """Sends SIGTERM; (exit status, seconds), status None when it did not exit in time."""
        started = time.time()
        os.kill(self.proc.pid, sig)
        try:
            rc = self.proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            self.kill9()
            return None, time.time() - started
        return rc, time.time() - started


class Rec:
    """A record as the client knows it: its last acknowledged version (None: absent), the
    versions sent since without an answer, and every version it was ever acknowledged in."""
    __slots__ = ("path", "id", "acked", "pending", "history", "searchable", "owner")

    def __init__(self, path, rid, owner):
        self.path, self.id, self.owner = path, rid, owner
        self.acked = None
        self.pending = []
        self.history = []
        self.searchable = False


def matches(observed, expected):
    if expected is None or observed is None:
        return expected is None and observed is None
    return all(observed.get(k) == v for k, v in expected.items())


class Soak:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.counts = Counts()
        self.recs = {}                 # (path, id) -> Rec
        self.recs_lock = threading.Lock()
        self.by_owner = {}             # (owner, path) -> [Rec]
        self.dirty = set()
        self.groups = []               # (company key, contact key): created together or not at all
        self.all_groups = []           # the groups checked already
        self.events = []               # [name, acked: bool, id or None]
        self.imports = []              # dicts: token, companies, contacts, acked
        self.key = None
        self.server = None
        self.stop = threading.Event()
        self.next_id = 0

    # ---------- HTTP helpers ----------

    def session(self):
        s = requests.Session()
        s.headers["Authorization"] = f"Bearer {self.key}"
        return s

    def url(self, path):
        return self.server.url + path

    def note_status(self, r, what):
        if r.status_code >= 500:
            self.counts.problem("http_5xx", f"{what}: {r.status_code} {r.text[:300]}")
        elif r.status_code >= 400:
            self.counts.add("http_other")
            if self.args.verbose:
                log(f"{what}: {r.status_code} {r.text[:300]}")

    def new_id(self, prefix, owner):
        with self.recs_lock:
            self.next_id += 1
            return f"{prefix}-{owner}-{self.next_id}"

    def rec(self, path, rid, owner):
        with self.recs_lock:
            r = self.recs.get((path, rid))
            if r is None:
                r = self.recs[(path, rid)] = Rec(path, rid, owner)
                self.by_owner.setdefault((owner, path), []).append(r)
            self.dirty.add((path, rid))
            return r

    def owned(self, owner, path, present=True):
        with self.recs_lock:
            return [r for r in self.by_owner.get((owner, path), [])
                    if not r.pending and ((r.acked is not None) == present)]

    # ---------- the load ----------

    def worker(self, wid, seed):
        rng = random.Random(seed)
        s = self.session()
        ops = [(self.op_create_product, 22), (self.op_put_product, 16), (self.op_patch_product, 10),
               (self.op_delete_product, 7), (self.op_bulk, 14), (self.op_company_with_contact, 6),
               (self.op_event, 5), (self.op_search, 20)]
        total = sum(w for _, w in ops)
        while not self.stop.is_set():
            x = rng.uniform(0, total)
            for op, w in ops:
                x -= w
                if x <= 0:
                    break
            try:
                op(s, rng, wid)
            except requests.RequestException:
                # The server is gone (killed): the request's outcome is unknown.
                if not self.stop.is_set() and not self.server.killing:
                    self.counts.problem("http_5xx", f"worker {wid}: request failed while the server runs")
                return

    def send(self, recs_versions, call):
        """Marks the versions pending, runs the request; on a 2xx they become acknowledged."""
        for rec, v in recs_versions:
            rec.pending.append(v)
        try:
            r = call()
        except requests.RequestException:
            self.counts.add("writes_unacked", len(recs_versions))
            raise
        if 200 <= r.status_code < 300:
            for rec, v in recs_versions:
                rec.pending.remove(v)
                rec.acked = v
                if v is not None:
                    rec.history.append(v)
                rec.searchable = r.status_code != 202
            self.counts.add("requests_acked")
            self.counts.add("writes_acked", len(recs_versions))
        else:
            for rec, v in recs_versions:
                rec.pending.remove(v)
            self.note_status(r, "write")
        return r

    def product_version(self, rng, rid):
        tok = word(rng)
        v = rng.randint(1, 10**6)
        return {"name": f"Produit {tok}", "category": f"categorie {v}", "description": f"soak {tok} version {v}",
                "unit_price": float(v % 1000) + 0.5}

    def op_create_product(self, s, rng, wid):
        rid = self.new_id("p", wid)
        rec = self.rec("products", rid, wid)
        v = self.product_version(rng, rid)
        self.send([(rec, v)], lambda: s.post(self.url("/v1/products"), json={"id": rid, **v}, timeout=60))

    def op_put_product(self, s, rng, wid):
        cands = self.owned(wid, "products")
        if not cands:
            return self.op_create_product(s, rng, wid)
        rec = rng.choice(cands)
        self.dirty.add(("products", rec.id))
        v = self.product_version(rng, rec.id)
        self.send([(rec, v)], lambda: s.put(self.url(f"/v1/products/{rec.id}"), json={"id": rec.id, **v}, timeout=60))

    def op_patch_product(self, s, rng, wid):
        cands = self.owned(wid, "products")
        if not cands:
            return self.op_create_product(s, rng, wid)
        rec = rng.choice(cands)
        self.dirty.add(("products", rec.id))
        tok = word(rng)
        patch = {"name": f"Produit {tok}", "description": f"soak {tok} patched"}
        v = {**rec.acked, **patch}
        self.send([(rec, v)], lambda: s.patch(self.url(f"/v1/products/{rec.id}"), json=patch, timeout=60))

    def op_delete_product(self, s, rng, wid):
        cands = self.owned(wid, "products")
        if not cands:
            return
        rec = rng.choice(cands)
        self.dirty.add(("products", rec.id))
        last_name = rec.acked["name"]
        r = self.send([(rec, None)], lambda: s.delete(self.url(f"/v1/products/{rec.id}"), timeout=60))
        if r.status_code == 204:
            rec.history.append({"deleted_name": last_name})

    def op_bulk(self, s, rng, wid):
        n = rng.randint(5, 80)
        lines, pairs = [], []
        existing = self.owned(wid, "clients")
        existing = [r for r in existing if r.id.startswith("b-")]
        rng.shuffle(existing)
        for _ in range(n):
            if existing and rng.random() < 0.35:
                rec = existing.pop()
                if rng.random() < 0.3:
                    lines.append(json.dumps({"op": "delete", "type": "client", "id": rec.id}))
                    pairs.append((rec, None))
                    continue
            else:
                rec = self.rec("clients", self.new_id("b", wid), wid)
            self.dirty.add(("clients", rec.id))
            tok = word(rng)
            v = {"name": f"Société {tok}", "city": f"Ville {rng.randint(1, 999)}",
                 "custom_fields": {"tok": tok, "n": rng.randint(1, 10**6)}}
            lines.append(json.dumps({"op": "upsert", "type": "client", "id": rec.id, "record": {"id": rec.id, **v}},
                                    ensure_ascii=False))
            pairs.append((rec, v))
        body = ("\n".join(lines) + "\n").encode()
        wait = "?wait=true" if rng.random() < 0.5 else ""
        r = self.send(pairs, lambda: s.post(self.url("/v1/bulk" + wait), data=body,
                                            headers={"Content-Type": "application/x-ndjson"}, timeout=120))
        if r.status_code in (200, 202):
            errs = r.json().get("errors") or []
            if errs:
                self.counts.problem("bulk_line_errors", f"{errs[:3]}")

    def op_company_with_contact(self, s, rng, wid):
        cid, pid = self.new_id("c", wid), self.new_id("cc", wid)
        company, contact = self.rec("clients", cid, wid), self.rec("client-contacts", pid, wid)
        tok, tok2 = word(rng), word(rng)
        cv = {"name": f"Maison {tok}", "city": "Nantes"}
        pv = {"first_name": "Camille", "last_name": tok2.capitalize(), "email": f"{tok2}@example.fr",
              # +33 6 1x: a metropolitan mobile (06 92, 06 93, 06 39… are normalized to overseas codes).
              "phone_direct": f"+3361{rng.randint(1000000, 9999999)}", "client_id": cid, "is_primary": True}
        body = {"id": cid, **cv, "main_contact": {"id": pid, **{k: v for k, v in pv.items() if k not in ("client_id", "is_primary")}}}
        self.groups.append((("clients", cid), ("client-contacts", pid)))
        # The contact's search word is its last name; the company's, its name.
        self.send([(company, cv), (contact, pv)],
                  lambda: s.post(self.url("/v1/clients?force=true"), json=body, timeout=60))

    def op_event(self, s, rng, wid):
        name = f"Séminaire {word(rng)}"
        item = [name, False, None]
        self.events.append(item)
        r = s.post(self.url("/v1/events"), json={"name": name, "city": "Lille"}, timeout=60)
        if 200 <= r.status_code < 300:
            item[1], item[2] = True, r.json().get("id")
            self.counts.add("requests_acked")
            self.counts.add("writes_acked")
        else:
            self.note_status(r, "event")

    def search_ids(self, s, text, tab):
        r = s.get(self.url("/v1/search"), params={"q": text, "tab": tab, "limit": 50}, timeout=60)
        self.note_status(r, "search")
        r.raise_for_status()
        ids = set()
        for t in r.json()["tabs"]:
            for g in t["groups"]:
                ids.update(h["id"] for h in g["hits"])
        return ids

    def op_search(self, s, rng, wid):
        """Read-your-writes: a write answered 200/201/204 (not 202) is in the next search."""
        present = [r for r in self.owned(wid, "products") if r.searchable]
        gone = [r for r in self.owned(wid, "products", present=False)
                if r.searchable and r.history and "deleted_name" in r.history[-1]]
        if not present and not gone:
            return
        if gone and (not present or rng.random() < 0.25):
            rec = rng.choice(gone)
            text, want = rec.history[-1]["deleted_name"], False
        else:
            rec = rng.choice(present)
            text, want = rec.acked["name"], True
        ids = self.search_ids(s, text.split()[-1], "products")
        self.counts.add("ryw_checks")
        if (rec.id in ids) != want:
            self.counts.problem("ryw_misses", f"{rec.path}/{rec.id} {'not found' if want else 'still found'} by {text!r}")

    def reindex(self):
        s = self.session()
        try:
            r = s.post(self.url("/v1/index/reindex"), timeout=300)
        except requests.RequestException:
            return
        if r.status_code == 200:
            self.counts.add("reindexes_acked")
        else:
            self.note_status(r, "reindex")

    def import_csv(self, item):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        w.writerow(IMPORT_HEADERS)
        for company, first, last, email in item["rows"]:
            row = {"Société cliente": company, "Ville": "Rennes", "Prénom du contact": first,
                   "Nom du contact": last, "Email du contact": email}
            w.writerow([row.get(h, "") for h in IMPORT_HEADERS])
        return buf.getvalue().encode("utf-8")

    def new_import(self, rng):
        tok = word(rng)
        item = {"token": tok, "acked": False, "sent": 0,
                "rows": [(f"Import {tok} Alpha", "Léa", f"Martin{tok}", f"lea.{tok}@import.fr"),
                         (f"Import {tok} Alpha", "Hugo", f"Bernard{tok}", f"hugo.{tok}@import.fr"),
                         (f"Import {tok} Beta", "Inès", f"Petit{tok}", f"ines.{tok}@import.fr")],
                "companies": 2, "contacts": 3}
        self.imports.append(item)
        return item

    def send_import(self, item):
        s = self.session()
        item["sent"] += 1
        try:
            r = s.post(self.url("/v1/import"), params={"kind": "clients", "mode": "commit"},
                       data=self.import_csv(item), headers={"Content-Type": "text/csv"}, timeout=120)
        except requests.RequestException:
            return False
        if r.status_code == 200:
            item["acked"] = True
            self.counts.add("imports_acked")
            self.counts.add("requests_acked")
            self.counts.add("writes_acked", item["companies"] + item["contacts"])
            return True
        self.note_status(r, "import")
        return False

    # ---------- checks ----------

    def list_total(self, s, lst, column, text):
        r = s.post(self.url(f"/v1/lists/{lst}"), json={
            "filters": [{"column": column, "op": "contains", "values": [text]}], "include_inactive": True,
            "limit": 10}, timeout=60)
        self.note_status(r, "list")
        r.raise_for_status()
        return r.json()["total"]

    def check_records(self, keys, final=False):
        s = self.session()
        searched = 0
        search_budget = len(keys) if final else 40
        keys = list(keys)
        self.rng.shuffle(keys)
        for key in keys:
            rec = self.recs[key]
            r = s.get(self.url(f"/v1/{rec.path}/{rec.id}"), timeout=60)
            if r.status_code == 404:
                observed = None
            elif r.status_code == 200:
                observed = r.json()
            else:
                self.note_status(r, "get")
                self.counts.problem("mismatched", f"{rec.path}/{rec.id}: GET {r.status_code}")
                continue
            self.counts.add("records_checked")
            had_ack = rec.acked is not None or bool(rec.history)
            if had_ack:
                self.counts.add("acked_checked")
            if matches(observed, rec.acked):
                pass
            elif any(matches(observed, p) for p in rec.pending):
                rec.acked = next(p for p in rec.pending if matches(observed, p))
                if rec.acked is not None:
                    rec.history.append(rec.acked)
            else:
                if observed is None:
                    self.counts.problem("lost", f"{rec.path}/{rec.id}: acknowledged {rec.acked} but absent")
                elif any(matches(observed, h) for h in rec.history if "deleted_name" not in h):
                    self.counts.problem("lost", f"{rec.path}/{rec.id}: an older version is back ({observed.get('name')!r}), "
                                                f"acknowledged {rec.acked}")
                else:
                    self.counts.problem("mismatched", f"{rec.path}/{rec.id}: {observed} is none of the versions sent "
                                                      f"(acknowledged {rec.acked}, pending {rec.pending})")
                # Reported once: from now on the record is expected as it was found.
                keys = (rec.acked or (rec.pending and rec.pending[0]) or {}).keys()
                rec.acked = None if observed is None else {k: observed.get(k) for k in keys}
            rec.pending = []
            rec.searchable = True
            # The index agrees: the record's word finds it (and a deleted one's last word does not).
            if searched < search_budget:
                text, want = None, True
                if rec.acked is not None:
                    text = rec.acked.get("name") if rec.path != "client-contacts" else rec.acked.get("last_name")
                elif rec.history and "deleted_name" in rec.history[-1]:
                    text, want = rec.history[-1]["deleted_name"], False
                if text:
                    searched += 1
                    tab = {"products": "products", "clients": "clients", "client-contacts": "clients"}[rec.path]
                    ids = self.search_ids(s, text.split()[-1], tab)
                    self.counts.add("search_checks")
                    if (rec.id in ids) != want:
                        self.counts.problem("search_misses", f"{rec.path}/{rec.id}: {'not found' if want else 'still found'} "
                                                             f"by {text!r} after the restart")

    def check_groups(self):
        groups, self.groups = self.groups, []
        self.all_groups.extend(groups)
        for company, contact in groups:
            a, b = self.recs[company].acked, self.recs[contact].acked
            self.counts.add("groups_checked")
            if (a is None) != (b is None):
                self.counts.problem("mismatched", f"{company[1]} and its main contact {contact[1]}: one without the other")

    def check_events(self, final=False):
        s = self.session()
        for item in self.events:
            name, acked, eid = item[:3]
            if len(item) > 3 and not final:
                continue        # checked in an earlier cycle: again at the end
            if len(item) == 3:
                item.append(True)
            n = self.list_total(s, "events", "name", name.split()[-1])
            self.counts.add("events_checked")
            if n > 1:
                self.counts.problem("duplicated", f"event {name!r} created once, {n} in the store")
            elif acked and n == 0:
                self.counts.problem("lost", f"event {name!r} ({eid}) acknowledged but absent")
            elif n == 1:
                item[1] = True      # its answer was lost but it is there: it must stay (once)
        # Those never answered and not there are forgotten; the others are checked again later.
        self.events = [e for e in self.events if e[1]]

    def check_imports(self, final=False):
        s = self.session()
        for item in self.imports:
            tok = item["token"]
            if item.get("checked") and not final:
                continue
            item["checked"] = True
            for attempt in range(2):
                nc = self.list_total(s, "clients", "name", tok)
                np_ = self.list_total(s, "contacts", "email", tok)
                if nc > item["companies"] or np_ > item["contacts"]:
                    self.counts.problem("duplicated", f"import {tok}: {nc} companies, {np_} contacts (expected "
                                                      f"{item['companies']}, {item['contacts']})")
                elif (nc, np_) == (item["companies"], item["contacts"]):
                    if not item["acked"]:
                        item["acked"] = True
                elif (nc, np_) == (0, 0) and not item["acked"]:
                    # Never acknowledged and not there: send it again, it must then be there once.
                    if attempt == 0 and self.send_import(item):
                        self.counts.add("imports_retried")
                        continue
                    self.counts.problem("lost", f"import {tok}: retried import not there")
                else:
                    kind = "lost" if item["acked"] else "mismatched"
                    self.counts.problem(kind, f"import {tok}: {nc} companies, {np_} contacts (partial; acknowledged "
                                              f"{item['acked']})")
                break

    def wait_ready(self, timeout=180):
        deadline = time.time() + timeout
        s = self.session()
        while time.time() < deadline:
            try:
                if requests.get(self.url("/healthz"), timeout=5).status_code == 200:
                    st = s.get(self.url("/v1/index/status"), timeout=10).json()
                    if st["index_seq"] >= st["store_seq"]:
                        return True
            except (requests.RequestException, ValueError, KeyError):
                pass
            if self.server.proc.poll() is not None:
                return False
            time.sleep(0.2)
        return False

    def start_server(self):
        if not self.server.start() or not self.wait_ready():
            self.counts.problem("restart_failures", f"the server did not become ready:\n{self.server.stderr_tail()}")
            self.server.kill9()
            return False
        return True

    def stop_and_check(self, sig=signal.SIGTERM):
        rc, took = self.server.sigterm(sig=sig)
        self.counts.sigterm_max = max(self.counts.sigterm_max, took)
        if rc == 0:
            self.counts.add("sigterm_stops")
        else:
            self.counts.problem("sigterm_failures", f"exit {rc} after {took:.1f} s:\n{self.server.stderr_tail()}")
        p = subprocess.run([self.args.bin, "check", "--tenant", TENANT, "--data", self.data],
                           capture_output=True, text=True, timeout=600)
        self.counts.add("check_runs")
        if p.returncode != 0:
            self.counts.problem("check_failures", f"labsearch check exit {p.returncode}:\n{p.stdout}\n{p.stderr}")

    # ---------- the cycles ----------

    def run(self):
        args = self.args
        started = time.time()
        self.data = tempfile.mkdtemp(prefix="labsearch-soak-")
        logs = os.path.join(self.data, "logs")
        os.makedirs(logs)
        data = os.path.join(self.data, "data")
        p = subprocess.run([args.bin, "tenant", "create", TENANT, "--data", data], capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            log("tenant create failed:", p.stdout, p.stderr)
            return 2
        self.key = p.stdout.strip().splitlines()[-1]
        # A second tenant: its key must never see the first one's records, nor the other way.
        p = subprocess.run([args.bin, "tenant", "create", OTHER_TENANT, "--data", data], capture_output=True, text=True,
                           timeout=120)
        if p.returncode != 0:
            log("tenant create failed:", p.stdout, p.stderr)
            return 2
        self.other_key = p.stdout.strip().splitlines()[-1]
        self.other_words = []
        self.data = data
        self.server = Server(args.bin, data, logs)
        log(f"data {data}, seed {args.seed}, {args.cycles} cycles, {args.threads} threads")
        cycle = 0
        try:
            if not self.start_server():
                return self.finish(started, logs)
            while cycle < args.cycles and time.time() - started < args.max_seconds:
                cycle += 1
                self.stop.clear()
                workers = [threading.Thread(target=self.worker, args=(i, self.rng.random()), daemon=True)
                           for i in range(args.threads)]
                for w in workers:
                    w.start()
                load = self.rng.uniform(1.0, 4.0)
                extras = []
                if cycle % 3 == 1:
                    t = threading.Thread(target=lambda: (time.sleep(self.rng.uniform(0, load)), self.reindex()), daemon=True)
                    extras.append(t)
                if cycle % 3 == 2 or cycle == 1:
                    item = self.new_import(self.rng)
                    t = threading.Thread(target=lambda: (time.sleep(self.rng.uniform(0, load)), self.send_import(item)),
                                         daemon=True)
                    extras.append(t)
                for t in extras:
                    t.start()
                time.sleep(load)
                if cycle % 4 == 0:
                    # Every fourth cycle a SIGTERM under load instead: in-flight requests are
                    # answered or cut, the process exits 0 within 30 s, nothing acknowledged is lost.
                    self.server.killing = True
                    rc, took = self.server.sigterm()
                    self.counts.sigterm_max = max(self.counts.sigterm_max, took)
                    self.counts.add("sigterm_under_load")
                    if rc != 0:
                        self.counts.problem("sigterm_failures", f"under load: exit {rc} after {took:.1f} s:\n"
                                                                f"{self.server.stderr_tail()}")
                else:
                    # kill -9 at a random moment of the load
                    self.server.kill9()
                    self.counts.add("kills")
                self.stop.set()
                for w in workers + extras:
                    w.join(timeout=120)
                if not self.start_server():
                    break
                dirty, self.dirty = set(self.dirty), set()
                older = [k for k in self.recs if k not in dirty]
                sample = self.rng.sample(older, min(50, len(older)))
                self.check_records(dirty | set(sample))
                self.check_groups()
                self.check_events()
                self.check_imports()
                self.probe_cross_tenant()
                # SIGINT on some cycles, SIGTERM on the others: both must stop cleanly.
                self.stop_and_check(sig=signal.SIGINT if cycle % 5 == 0 else signal.SIGTERM)
                self.counts.add("cycles")
                c = self.counts.c
                log(f"cycle {cycle}: {c['writes_acked']} writes acknowledged, {c['records_checked']} checks, "
                    f"lost {c['lost']}, duplicated {c['duplicated']}, mismatched {c['mismatched']}, "
                    f"{time.time() - started:.0f} s")
                if cycle < args.cycles and time.time() - started < args.max_seconds:
                    if not self.start_server():
                        break
            # Last: every record ever written, then a clean stop and a check.
            if self.server.proc.poll() is not None and self.counts.c["restart_failures"] == 0:
                self.start_server()
            if self.server.proc.poll() is None:
                self.check_records(set(self.recs), final=True)
                self.groups = self.all_groups + self.groups
                self.all_groups = []
                self.check_groups()
                self.check_events(final=True)
                self.check_imports(final=True)
                self.stop_and_check()
        finally:
            if self.server and self.server.proc and self.server.proc.poll() is None:
                self.server.kill9()
        return self.finish(started, logs)

    def probe_cross_tenant(self, n=30):
        """Keys of one tenant against the other's records: reads by id answer 404, searches for
        the other's unique words find nothing, in both directions."""
        mine = self.session()
        other = requests.Session()
        other.headers["Authorization"] = f"Bearer {self.other_key}"
        # The other tenant holds a few products of its own, each with a unique word.
        for _ in range(3):
            w = word(self.rng)
            pid = f"x-{w}"
            r = other.post(self.url("/v1/products"), json={"id": pid, "name": f"Produit {w}"}, timeout=60)
            if r.status_code in (200, 201):
                self.other_words.append((pid, w))
        with self.recs_lock:
            known = [r for r in self.recs.values() if r.acked is not None and not r.pending]
        for rec in self.rng.sample(known, min(n, len(known))):
            self.counts.add("cross_tenant_probes")
            r = other.get(self.url(f"/v1/{rec.path}/{rec.id}"), timeout=60)
            if r.status_code != 404:
                self.counts.problem("cross_tenant_leaks", f"{OTHER_TENANT}'s key read {rec.path}/{rec.id}: {r.status_code}")
            text = rec.acked.get("name") if rec.path != "client-contacts" else rec.acked.get("last_name")
            if text:
                tab = {"products": "products", "clients": "clients", "client-contacts": "clients"}[rec.path]
                r = other.get(self.url("/v1/search"), params={"q": text.split()[-1], "tab": tab, "limit": 50}, timeout=60)
                hits = [h["id"] for t in r.json().get("tabs", []) for g in t["groups"] for h in g["hits"]] if r.ok else []
                if rec.id in hits:
                    self.counts.problem("cross_tenant_leaks", f"{OTHER_TENANT}'s key found {rec.path}/{rec.id} by {text!r}")
        for pid, w in self.other_words[-n:]:
            self.counts.add("cross_tenant_probes")
            r = mine.get(self.url(f"/v1/products/{pid}"), timeout=60)
            if r.status_code != 404:
                self.counts.problem("cross_tenant_leaks", f"{TENANT}'s key read {OTHER_TENANT}'s product {pid}: {r.status_code}")
            if pid in self.search_ids(mine, w, "products"):
                self.counts.problem("cross_tenant_leaks", f"{TENANT}'s key found {OTHER_TENANT}'s product {pid} by {w!r}")

    def finish(self, started, logs):
        c = dict(self.counts.c)
        c["seconds"] = round(time.time() - started, 1)
        c["sigterm_max_seconds"] = round(self.counts.sigterm_max, 2)
        c["records"] = len(self.recs)
        c["seed"] = self.args.seed
        failed = any(c[k] for k in ("lost", "duplicated", "mismatched", "ryw_misses", "search_misses", "check_failures",
                                    "sigterm_failures", "restart_failures", "http_5xx", "bulk_line_errors",
                                    "cross_tenant_leaks"))
        c["ok"] = not failed
        if self.counts.problems:
            log("problems:\n  " + "\n  ".join(self.counts.problems[:50]))
        root = os.path.dirname(self.data) if self.data.endswith("/data") else self.data
        if self.args.keep or failed:
            log(f"data and server logs kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
        print(json.dumps(c, sort_keys=True), flush=True)
        return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=".build/debug/labsearch")
    ap.add_argument("--cycles", type=int, default=50)
    ap.add_argument("--max-seconds", type=float, default=1800)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--keep", action="store_true", help="keep the data directory and the server logs")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if args.seed is None:
        args.seed = random.randrange(1 << 30)
    if not os.path.exists(args.bin):
        log(f"{args.bin} not found (build it: swift build --product labsearch)")
        return 2
    args.bin = os.path.abspath(args.bin)
    # SIGTERM (a CI timeout) unwinds like Ctrl-C: the server started here is killed on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return Soak(args).run()


if __name__ == "__main__":
    sys.exit(main())
