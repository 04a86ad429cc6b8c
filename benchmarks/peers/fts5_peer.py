#!/usr/bin/env python3
"""SQLite FTS5 peer: the same records and queries as LabSearchBench, the same recall measure.

Set up the way a competent user would (python's sqlite3 module, the system SQLite):
- one FTS5 table per kind and active flag (the search bar shows active records, grouped by
  kind): columns name, secondary, other, ids (+ rid UNINDEXED), the same searchable fields per
  kind as LabSearch indexes, related names included (a contact's company, an event's client);
- tokenize='unicode61 remove_diacritics 2', prefix='1 2 3' (prefix indexes for as-you-type);
- identifiers normalised on both sides (common.identifier_query): phones as national and
  international digits plus their last 4-8 digits, SIRET with its SIREN, VAT without spaces;
- after the bulk load, each table's 'optimize' and a VACUUM;
- a text query: each word as a prefix query ("word"*), all words required, ordered by
  bm25 with column weights name 10, secondary 3, other 1, ids 5; an identifier query: the
  normalised token as a prefix in the ids column;
- per kind: the top 10 and the exact count (the tabs' totals, as LabSearch returns them).
FTS5 has no typo tolerance; its folding does not expand ligatures (œ, æ).
"""

import argparse
import json
import os
import re
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

WEIGHTS = "10.0, 3.0, 1.0, 5.0"


def table(kind, active=True):
    return "fts_%s_%s" % (kind, "a" if active else "i")


def build(db_path, records):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db_path + suffix):
            os.remove(db_path + suffix)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    for kind in common.KINDS:
        for active in (True, False):
            conn.execute("CREATE VIRTUAL TABLE %s USING fts5(name, secondary, other, ids, rid UNINDEXED, "
                         "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')" % table(kind, active))
    conn.commit()
    t0 = time.perf_counter()
    batches = {}
    n = 0
    for d in common.load_documents(records):
        t = table(d["kind"], d["active"])
        b = batches.setdefault(t, [])
        b.append((d["name"], d["secondary"], d["other"], d["ids"], d["id"]))
        n += 1
        if len(b) >= 5000:
            conn.executemany("INSERT INTO %s(name, secondary, other, ids, rid) VALUES (?,?,?,?,?)" % t, b)
            b.clear()
    for t, b in batches.items():
        if b:
            conn.executemany("INSERT INTO %s(name, secondary, other, ids, rid) VALUES (?,?,?,?,?)" % t, b)
    conn.commit()
    for kind in common.KINDS:
        for active in (True, False):
            conn.execute("INSERT INTO %s(%s) VALUES('optimize')" % (table(kind, active), table(kind, active)))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    seconds = time.perf_counter() - t0
    conn.close()
    return n, seconds


def fts_query(q):
    ident = common.identifier_query(q)
    if ident:
        return 'ids : "%s"*' % ident
    tokens = re.findall(r"\w+", q)
    if not tokens:
        return None
    return " ".join('"%s"*' % t.replace('"', '""') for t in tokens)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--db", default=None, help="database file (default: beside --out)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-counts", action="store_true", help="skip the per-kind counts")
    a = ap.parse_args()
    db = a.db or os.path.join(os.path.dirname(os.path.abspath(a.out)), "fts5.sqlite")
    print("fts5: building %s" % db, file=sys.stderr)
    n, seconds = build(db, a.records)
    size = common.dir_size(db)
    print("fts5: %d records in %.1f s (%.0f/s), %.1f MB" % (n, seconds, n / seconds, size / 1e6), file=sys.stderr)

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA query_only=1")
    sql_top = {k: "SELECT rid FROM %s WHERE %s MATCH ? ORDER BY bm25(%s, %s) LIMIT 10" % (table(k), table(k), table(k), WEIGHTS)
               for k in common.KINDS}
    sql_count = {k: "SELECT count(*) FROM %s WHERE %s MATCH ?" % (table(k), table(k)) for k in common.KINDS}
    counts = not a.no_counts

    def search(q):
        m = fts_query(q)
        if m is None:
            return {}
        out = {}
        for k in common.KINDS:
            top = [r[0] for r in conn.execute(sql_top[k], (m,))]
            total = conn.execute(sql_count[k], (m,)).fetchone()[0] if counts else len(top)
            out[k] = (top, total)
        return out

    with open(a.queries) as f:
        queries = json.load(f)
    print("fts5: %d queries x %d" % (len(queries), a.runs), file=sys.stderr)
    res = common.run_queries(search, queries, a.runs)
    res.update({
        "engine": "fts5", "version": "SQLite %s" % sqlite3.sqlite_version, "records": n,
        "build_seconds": seconds, "load_records_per_second": n / seconds,
        "index_bytes": size, "bytes_per_record": size / max(n, 1), "peak_rss_bytes": common.peak_rss_bytes(),
        "runs": a.runs, "counts": counts,
        "settings": "one FTS5 table per kind and active flag; unicode61 remove_diacritics 2; prefix='1 2 3'; "
                    "each word as a prefix (\"w\"*), all required; bm25 weights name 10, secondary 3, other 1, ids 5; "
                    "identifiers normalised to digits / compact VAT, phones also by their last 4-8 digits; "
                    "per kind top 10 + exact count",
    })
    common.write_result(a.out, res)
    print("fts5: wrote %s" % a.out, file=sys.stderr)


if __name__ == "__main__":
    main()
