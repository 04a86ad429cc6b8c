#!/usr/bin/env python3
"""Tantivy peer (its Python package from PyPI): the same records and queries as
LabSearchBench, the same recall measure.

Set up the way a competent user would:
- one index: a catch-all text field `all` (the same searchable fields per kind as LabSearch,
  related names included), `name` (the record's own name, for ranking) and `ids` (normalised
  identifiers), analysed by the simple tokenizer + lowercase + ASCII folding (œ→oe, é→e); a
  raw `grp` field (kind + active flag) to filter by; the id stored;
- identifiers normalised on both sides as for the FTS5 peer (common.identifier_query);
- a text query, analysed by the same analyzer: every word required; each word matches exactly
  in `name` (boost 4) or `all` (boost 2), or in `all` by a fuzzy term query (optimal string
  alignment: transposition costs 1) of distance 1 from 5 letters and 2 from 9 (none on words
  with digits); the last word also as a prefix (in `name` boost 3, in `all` 1.5) and its fuzzy query as a fuzzy
  prefix: as you type; an identifier query: the normalised token as a prefix in `ids`;
- per kind: a search filtered by `grp` for the top 10 and the exact count (the tabs' totals).
"""

import argparse
import json
import os
import shutil
import sys
import time

import tantivy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

TEXT_FIELDS = ["name", "secondary", "other", "ids"]


def analyzer():
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold()).build())


def schema():
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("name", stored=False, tokenizer_name="fold")
    sb.add_text_field("all", stored=False, tokenizer_name="fold")
    sb.add_text_field("ids", stored=False, tokenizer_name="fold")
    sb.add_text_field("grp", stored=False, tokenizer_name="raw")
    sb.add_text_field("rid", stored=True, tokenizer_name="raw", index_option="basic")
    return sb.build()


def build(path, records, threads):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    s = schema()
    index = tantivy.Index(s, path=path)
    index.register_tokenizer("fold", analyzer())
    t0 = time.perf_counter()
    w = index.writer(heap_size=256_000_000, num_threads=threads)
    n = 0
    for d in common.load_documents(records):
        w.add_document(tantivy.Document(name=d["name"], all=" ".join(d[f] for f in TEXT_FIELDS), ids=d["ids"],
                                        grp=d["kind"] + (":a" if d["active"] else ":i"), rid=d["id"]))
        n += 1
    w.commit()
    w.wait_merging_threads()
    seconds = time.perf_counter() - t0
    return s, n, seconds


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--index", default=None, help="index directory (default: beside --out)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2, help="indexing threads")
    ap.add_argument("--no-counts", action="store_true", help="skip the per-kind counts")
    a = ap.parse_args()
    path = a.index or os.path.join(os.path.dirname(os.path.abspath(a.out)), "tantivy-index")
    print("tantivy: building %s" % path, file=sys.stderr)
    s, n, seconds = build(path, a.records, a.threads)
    size = common.dir_size(path)
    print("tantivy: %d records in %.1f s (%.0f/s), %.1f MB" % (n, seconds, n / seconds, size / 1e6), file=sys.stderr)

    index = tantivy.Index.open(path)
    an = analyzer()
    index.register_tokenizer("fold", an)
    index.reload()
    searcher = index.searcher()
    Q, Occur = tantivy.Query, tantivy.Occur
    kind_filters = {k: Q.term_query(s, "grp", k + ":a") for k in common.KINDS}
    counts = not a.no_counts

    def text_query(q):
        ident = common.identifier_query(q)
        if ident:
            return Q.fuzzy_term_query(s, "ids", ident, 0, True, True)
        toks = an.analyze(q)
        if not toks:
            return None
        musts = []
        for i, t in enumerate(toks):
            last = i == len(toks) - 1
            d = 0 if any(c.isdigit() for c in t) or len(t) < 5 else (2 if len(t) >= 9 else 1)
            shoulds = [(Occur.Should, Q.boost_query(Q.term_query(s, "name", t), 4.0)),
                       (Occur.Should, Q.boost_query(Q.term_query(s, "all", t), 2.0))]
            if last:
                shoulds.append((Occur.Should, Q.boost_query(Q.fuzzy_term_query(s, "name", t, 0, True, True), 3.0)))
                shoulds.append((Occur.Should, Q.boost_query(Q.fuzzy_term_query(s, "all", t, 0, True, True), 1.5)))
            if d:
                shoulds.append((Occur.Should, Q.fuzzy_term_query(s, "all", t, d, True, last)))
            musts.append((Occur.Must, Q.boolean_query(shoulds)))
        return Q.boolean_query(musts)

    def search(q):
        tq = text_query(q)
        if tq is None:
            return {}
        out = {}
        for k in common.KINDS:
            r = searcher.search(Q.boolean_query([(Occur.Must, tq), (Occur.Must, kind_filters[k])]), 10, count=counts)
            top = [searcher.doc(addr)["rid"][0] for _, addr in r.hits]
            out[k] = (top, r.count if counts else len(top))
        return out

    with open(a.queries) as f:
        queries = json.load(f)
    print("tantivy: %d queries x %d" % (len(queries), a.runs), file=sys.stderr)
    res = common.run_queries(search, queries, a.runs)
    res.update({
        "engine": "tantivy", "version": "tantivy-py %s" % getattr(tantivy, "__version__", "?"), "records": n,
        "build_seconds": seconds, "load_records_per_second": n / seconds,
        "index_bytes": size, "bytes_per_record": size / max(n, 1), "peak_rss_bytes": common.peak_rss_bytes(),
        "runs": a.runs, "counts": counts, "index_threads": a.threads,
        "settings": "simple tokenizer + lowercase + ascii_fold; catch-all field + name field; every word required: "
                    "exact in name (boost 4) or all (2), or fuzzy in all (1 edit from 5 letters, 2 from 9, "
                    "transposition 1, none with digits), last word also prefix (name 3, all 1.5) and fuzzy prefix; identifiers "
                    "normalised, prefix in ids; per kind (6 searches) top 10 + exact count",
    })
    common.write_result(a.out, res)
    print("tantivy: wrote %s" % a.out, file=sys.stderr)


if __name__ == "__main__":
    main()
