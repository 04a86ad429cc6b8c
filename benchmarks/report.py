#!/usr/bin/env python3
"""Merges the peers' and the HTTP results into LabSearchBench's JSON, writes the markdown
summary per size, the PNG plots, and the growth summary over sizes.

  report.py merge --result results/DATE-SIZE.json [--fts5 F] [--tantivy F] [--http F] [--env F]
  report.py summary --results DIR --stamp DATE --sizes 10000,200000,1000000

Comparison rule (issue 6): speed is compared only where recall is equal or better. Per category
and peer: if the peer finds more expected records, the peer wins (on recall); if it finds the
same number, p50 and p99 are compared (a ratio within 10% is a tie: the machine is shared); if
it finds fewer, LabSearch wins on recall and the peer's speed is not counted as a win.
"""

import argparse
import json
import math
import os
import sys

PEERS = ["fts5", "tantivy"]
PEER_NAMES = {"labsearch": "LabSearch", "fts5": "SQLite FTS5", "tantivy": "Tantivy"}
COLORS = {"labsearch": "#1f77b4", "fts5": "#ff7f0e", "tantivy": "#2ca02c"}
AIM_P99_MS = 5.0
AIM_LOAD = 20000
AIM_BYTES = 2048


def load(path):
    with open(path) as f:
        return json.load(f, parse_constant=lambda c: float(c.lower()) if c.lower() in ("nan", "inf", "-inf") else None)


def fnum(x):
    if isinstance(x, str):
        try:
            return float(x)
        except ValueError:
            return float("nan")
    return float("nan") if x is None else float(x)


def ms(x):
    x = fnum(x)
    if math.isnan(x):
        return "–"
    return "%.2f" % x if x < 100 else "%.0f" % x


def mib(b):
    return "%.0f MiB" % (b / 1048576) if b else "–"


def cats_by_name(r):
    return {c["category"]: c for c in r.get("categories", [])}


TIE = 1.10   # within 10% (the machine is shared): a tie on that percentile


def verdict(ours, peer, peer_name="peer"):
    """(winner, text) for one category against one peer: "us", "peer", "split" or "tie".
    Recall first (more expected records found wins); at the same count, p50 and p99 each
    compared, a ratio within 10% being a tie."""
    if not peer:
        return None, "–"
    fo, fp = ours["found"], peer["found"]
    ro, rp = fnum(ours["recall_at_10"]), fnum(peer["recall_at_10"])
    if fp > fo:
        return "peer", "**%s: better recall** (%.3f vs %.3f)" % (peer_name, rp, ro)
    o50, o99, p50, p99 = fnum(ours["p50_ms"]), fnum(ours["p99_ms"]), fnum(peer["p50_ms"]), fnum(peer["p99_ms"])
    if fp < fo:
        faster = "; %s faster but finds less" % peer_name if p50 * TIE < o50 else ""
        return "us", "us: better recall (%.3f vs %.3f)%s" % (ro, rp, faster)
    r50, r99 = p50 / o50, p99 / o99   # > 1: we are faster
    def side(r):
        return 1 if r > TIE else (-1 if r < 1 / TIE else 0)
    s50, s99 = side(r50), side(r99)
    figures = "p50 %.2f vs %.2f ms, p99 %.2f vs %.2f ms" % (o50, p50, o99, p99)
    if s50 >= 0 and s99 >= 0 and (s50 or s99):
        return "us", "us: faster (%s)" % figures
    if s50 <= 0 and s99 <= 0 and (s50 or s99):
        return "peer", "**%s: faster** (%s)" % (peer_name, figures)
    if not s50 and not s99:
        return "tie", "tie within 10%% (%s)" % figures
    if s50 < 0:
        return "split", "split: **%s faster p50**, us faster p99 (%s)" % (peer_name, figures)
    return "split", "split: us faster p50, **%s faster p99** (%s)" % (peer_name, figures)


def http_table(r):
    h = r.get("http")
    if not h:
        return "", {}
    runs = {(x["endpoint"], x["connections"]): x for x in h["runs"]}
    conns = sorted({c for _, c in runs})
    inproc = fnum(r.get("all_p50_ms"))
    lines = ["| connections | search req/s | search p50 ms | search p99 ms | /healthz req/s | /healthz p50 ms | /healthz p99 ms | search req/s ÷ /healthz req/s | non-2xx |",
             "|---|---|---|---|---|---|---|---|---|"]
    figures = {}
    for c in conns:
        s, z = runs.get(("search", c)), runs.get(("healthz", c))
        if not s or not z:
            continue
        share = s["requests_per_second"] / z["requests_per_second"] if z["requests_per_second"] else float("nan")
        figures[c] = {"search": s, "healthz": z, "share": share}
        lines.append("| %d | %.0f | %s | %s | %.0f | %s | %s | %.1f%% | %d |" % (
            c, s["requests_per_second"], ms(s["p50_ms"]), ms(s["p99_ms"]), z["requests_per_second"], ms(z["p50_ms"]),
            ms(z["p99_ms"]), share * 100, s["non_2xx"] + z["non_2xx"]))
    text = "\n".join(lines) + "\n"
    if 1 in figures:
        overhead = figures[1]["search"]["p50_ms"] - inproc
        figures["overhead_ms"] = overhead
        figures["healthz_p50_ms"] = figures[1]["healthz"]["p50_ms"]
        text += ("\nAt 1 connection: HTTP p50 %.3f ms − in-process p50 of the same query mix %.3f ms = overhead %.3f ms; "
                 "/healthz p50 %.3f ms.\n" % (figures[1]["search"]["p50_ms"], inproc, overhead, figures[1]["healthz"]["p50_ms"]))
        st = runs.get(("status", 1))
        if st:
            text += ("An authenticated request doing almost nothing (`/v1/index/status`: key check, routing, a store and an "
                     "index read) at 1 connection: p50 %.3f ms, p99 %.3f ms, %.0f req/s.\n" % (
                         st["p50_ms"], st["p99_ms"], st["requests_per_second"]))
        if r.get("json_encode_p50_ms") is not None:
            text += ("Part of that overhead measured in-process: encoding the answer as JSON p50 %.3f ms (p99 %.3f ms); "
                     "answers of %.0f bytes at p50, %.0f at p99 (10 hits per group).\n" % (
                         fnum(r["json_encode_p50_ms"]), fnum(r["json_encode_p99_ms"]), fnum(r["response_bytes_p50"]),
                         fnum(r["response_bytes_p99"])))
    text += ("Server peak RSS (VmHWM) %s; first search after start (opens the tenant) %.2f s; %d queries rotated, "
             "limit %d per group, %d s per run, wrk on the same %d cores%s.\n" % (
                 mib(h.get("server_peak_rss_bytes")), h.get("first_search_s", float("nan")), h["queries"], h["limit"],
                 h["duration_s"], h.get("cores") or 0,
                 "; load average %s at the start of the HTTP runs, %s at the end" % (h["loadavg_start"], h["loadavg_end"])
                 if h.get("loadavg_start") else ""))
    return text, figures


def aims(r, figures):
    """The issue's aims, each (aim, met?, figure)."""
    out = []
    cats = r["categories"]
    worst = max(cats, key=lambda c: fnum(c["p99_ms"]))
    over = [c["category"] for c in cats if fnum(c["p99_ms"]) > AIM_P99_MS]
    out.append(("every category's p99 ≤ 5 ms in-process", not over,
                "worst %s %.2f ms" % (worst["category"], fnum(worst["p99_ms"])) + ("; over: " + ", ".join(over) if over else "")))
    if "overhead_ms" in figures:
        out.append(("1 connection: HTTP p50 − in-process p50 ≤ /healthz p50", figures["overhead_ms"] <= figures["healthz_p50_ms"],
                    "%.3f ms vs %.3f ms" % (figures["overhead_ms"], figures["healthz_p50_ms"])))
    for c in (16, 64):
        if c in figures:
            out.append(("%d connections: search req/s as a share of /healthz req/s" % c, None,
                        "%.1f%% (%.0f vs %.0f req/s)" % (figures[c]["share"] * 100, figures[c]["search"]["requests_per_second"],
                                                       figures[c]["healthz"]["requests_per_second"])))
    peers = r.get("peers", {})
    if peers:
        ours = cats_by_name(r)
        lost = []
        for p in PEERS:
            if p not in peers:
                continue
            pc = cats_by_name(peers[p])
            for name, c in ours.items():
                w, _ = verdict(c, pc.get(name))
                if w in ("peer", "split", "tie"):
                    lost.append("%s/%s (%s)" % (name, PEER_NAMES[p], "tie" if w == "tie" else "split" if w == "split" else "lost"))
        out.append(("ahead of both peers at equal or better recall", not lost,
                    "every category" if not lost else "not on " + ", ".join(lost)))
    rate = fnum(r["load_records_per_second"])
    out.append(("loading ≥ 20k records/s", rate >= AIM_LOAD, "%.0f records/s" % rate))
    bpr = r.get("bytes_per_record_compacted")
    if bpr is not None:
        out.append(("index + store ≤ 2 KB per record (compacted Xapian + pruned SQLite)", fnum(bpr) <= AIM_BYTES,
                    "%.0f bytes/record (raw, as loaded: %.0f)" % (fnum(bpr), fnum(r["bytes_per_record"]))))
    t = r.get("typing")
    if t:
        out.append(("as-you-type: each keystroke p50 ≤ 2 ms and p99 ≤ 10 ms (in-process here; the issue's aim is over HTTP)",
                    fnum(t["p50_ms"]) <= 2.0 and fnum(t["p99_ms"]) <= 10.0,
                    "p50 %.2f ms, p99 %.2f ms over %d keystrokes of %d names; record shown after %.0f letters at the median, "
                    "found by the last keystroke %d/%d" % (fnum(t["p50_ms"]), fnum(t["p99_ms"]), t["keystrokes"], t["names"],
                                                           fnum(t["letters_to_find_p50"]), t["found_at_end"], t["names"])))
    lists = r.get("lists")
    if lists:
        fs_aim, g_aim = list_aims(r["size"])
        fs, g = fnum(lists["filter_sort_p99_ms"]), fnum(lists["group_p99_ms"])
        worst_fs = max((x for x in lists["shapes"] if x["kind"] == "filter-sort"), key=lambda x: fnum(x["p99_ms"]), default=None)
        worst_g = max((x for x in lists["shapes"] if x["kind"] != "filter-sort"), key=lambda x: fnum(x["p99_ms"]), default=None)
        worst_p99 = lambda x: fnum(x["p99_ms"]) if x else 0.0
        out.append(("lists: any filter + sort + first page p99 ≤ %.0f ms in-process (every shape)" % fs_aim, worst_p99(worst_fs) <= fs_aim,
                    "worst %s %.2f ms (all shapes pooled %.2f ms; indexed SQLite baseline %.2f ms)" % (
                        worst_fs["shape"] if worst_fs else "–", worst_p99(worst_fs), fs,
                        fnum(lists["baseline_filter_sort_p99_ms"]))))
        out.append(("lists: group-by with exact counts p99 ≤ %.0f ms in-process (every shape)" % g_aim, worst_p99(worst_g) <= g_aim,
                    "worst %s %.2f ms (all group-bys pooled %.2f ms; indexed SQLite baseline %.2f ms)" % (
                        worst_g["shape"] if worst_g else "–", worst_p99(worst_g), g,
                        fnum(lists["baseline_group_p99_ms"]))))
    return out


def list_aims(size):
    """The lists issue's aims (filter + sort p99, group-by p99, ms): 10 / 30 up to 200k records, 30 / 100 at 1M."""
    return (10.0, 30.0) if size <= 200000 else (30.0, 100.0)


def typing_section(r):
    """As-you-type: names typed letter by letter, a search per keystroke."""
    t = r.get("typing")
    if not t:
        return []
    md = ["## As-you-type", "",
          "%d names (contacts' first and last names, companies' names) typed letter by letter without accents in lower "
          "case, a search per keystroke (limit 10): %d keystrokes, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, mean %.2f ms "
          "in-process. The expected record in the top 10 of its group once the name is whole: %d/%d; it first shows after "
          "%.0f letters at the median (90th percentile %.0f), %.0f%% of the name." % (
              t["names"], t["keystrokes"], fnum(t["p50_ms"]), fnum(t["p95_ms"]), fnum(t["p99_ms"]), fnum(t["mean_ms"]),
              t["found_at_end"], t["names"], fnum(t["letters_to_find_p50"]), fnum(t["letters_to_find_p90"]),
              fnum(t["share_typed_p50"]) * 100), "",
          "| letters typed | keystrokes | p50 ms | p99 ms |", "|---|---|---|---|"]
    for b in t["buckets"]:
        md.append("| %s | %d | %s | %s |" % (b["letters"], b["keystrokes"], ms(b["p50_ms"]), ms(b["p99_ms"])))
    md.append("")
    return md


def lists_section(r):
    """The list queries against the indexed-SQLite baseline of the same run."""
    lists = r.get("lists")
    if not lists:
        return []
    md = ["## Lists", "",
          "Filter + sort + first page with its exact total, and group-by with exact counts (%d shapes), in-process; "
          "the baseline is what a user would otherwise write: SQLite with an index on each filtered or sorted column, "
          "LIKE for text, COUNT(*) GROUP BY for groups, on the same records in the same run. All filter + sort shapes: "
          "p99 %.2f ms (baseline %.2f ms); all group-bys: p99 %.2f ms (baseline %.2f ms)." % (
              len(lists["shapes"]), fnum(lists["filter_sort_p99_ms"]), fnum(lists["baseline_filter_sort_p99_ms"]),
              fnum(lists["group_p99_ms"]), fnum(lists["baseline_group_p99_ms"]))]
    if lists.get("snapshot_build_seconds") is not None:
        md[-1] += " The in-memory list snapshots were built in %.2f s before the queries." % fnum(lists["snapshot_build_seconds"])
    md += ["", "| shape | queries | p50 ms | p99 ms | baseline p50 | baseline p99 | p99 ratio | example |",
           "|---|---|---|---|---|---|---|---|"]
    for x in lists["shapes"]:
        md.append("| %s (%s) | %d | %s | %s | %s | %s | %.2f | `%s` |" % (
            x["shape"], x["description"], x["queries"], ms(x["p50_ms"]), ms(x["p99_ms"]), ms(x["baseline_p50_ms"]),
            ms(x["baseline_p99_ms"]), fnum(x["ratio_p99"]), x["example"].replace("|", "\\|")))
    md.append("")
    return md


def render(r):
    size = r["size"]
    peers = r.get("peers", {})
    ours = cats_by_name(r)
    md = ["# LabSearch benchmark: %d records (%s)" % (size, r["stamp"]), ""]
    env = r.get("environment")
    if env:
        phases = [("start", "LabSearch"), ("peers", "peers"), ("http", "HTTP"), ("end", "end")]
        loads = ", ".join("%s %s" % (label, env["loadavg_" + k]) for k, label in phases if env.get("loadavg_" + k))
        md.append("Machine: %s. Load average (1, 5, 15 min) when each part started: %s. The machine is shared with "
                  "other builds: figures are noisy; LabSearch and the peers ran one after the other in the same run." % (
                      env.get("machine", "?"), loads))
        if env.get("commit"):
            md.append("")
            md.append("Code: commit %s with %d uncommitted files under Sources/ and Package.swift when the run started; "
                      "server `%s`; %s; SQLite %s; tantivy-py %s." % (
                          env["commit"], env.get("uncommitted_files", 0), env.get("server", ""), env.get("swift", ""),
                          env.get("sqlite", "?"), env.get("tantivy", "?")))
        md.append("")
    md.append("In-process search latency (ms; the query list run %d times over, all runs pooled) and recall@10 (the expected record "
              "in the top 10 of its kind's group; for no-match, nothing found), %d queries per category." % (
                  r["runs"], r["queries_per_category"]))
    md.append("")
    head = "| category | n | shared name | LabSearch p50 | p95 | p99 | recall |"
    sep = "|---|---|---|---|---|---|---|"
    for p in PEERS:
        if p in peers:
            head += " %s p50 | p99 | recall |" % PEER_NAMES[p]
            sep += "---|---|---|"
    for p in PEERS:
        if p in peers:
            head += " vs %s |" % PEER_NAMES[p]
            sep += "---|"
    md += [head, sep]
    wins = {p: {"us": 0, "peer": 0, "split": 0, "tie": 0} for p in PEERS}
    for name, c in ours.items():
        row = "| %s | %d | %s | %s | %s | %s | %.3f |" % (name, c["queries"], c.get("ambiguous", "–"), ms(c["p50_ms"]),
                                                          ms(c["p95_ms"]), ms(c["p99_ms"]), fnum(c["recall_at_10"]))
        verdicts = []
        for p in PEERS:
            if p not in peers:
                continue
            pc = cats_by_name(peers[p]).get(name)
            if pc:
                row += " %s | %s | %.3f |" % (ms(pc["p50_ms"]), ms(pc["p99_ms"]), fnum(pc["recall_at_10"]))
            else:
                row += " – | – | – |"
            w, text = verdict(c, pc, PEER_NAMES[p])
            if w:
                wins[p][w] += 1
            verdicts.append(text)
        row += "".join(" %s |" % v for v in verdicts)
        md.append(row)
    md.append("| all (pooled) | %d | | %s | | %s | |" % (r["all_queries"], ms(r["all_p50_ms"]), ms(r["all_p99_ms"]))
              + "".join(" %s | %s | |" % (ms(peers[p]["all_p50_ms"]), ms(peers[p]["all_p99_ms"])) for p in PEERS if p in peers)
              + " |" * len([p for p in PEERS if p in peers]))
    md.append("")
    if any("ambiguous" in c for c in r["categories"]):
        md.append("Shared name: queries whose expected record's name (folded words, any order; name + city for name-city) "
                  "is shared by more than 10 active records of its kind; no engine can be sure to rank that record in a top "
                  "10 (recall@10 ceiling). Prefixes of 1–3 letters are shared by thousands of names by nature.")
        md.append("")
    for p in PEERS:
        if p in peers:
            w = wins[p]
            md.append("- Against %s: LabSearch ahead in %d categories, %s ahead in %d, split (p50 one way, p99 the "
                      "other) in %d, tied (both within 10%%) in %d." % (PEER_NAMES[p], w["us"], PEER_NAMES[p], w["peer"],
                                                                      w["split"], w["tie"]))
    md.append("")
    md.append("## Load and size")
    md.append("")
    md.append("| engine | load records/s | load s | bytes/record | peak RSS |")
    md.append("|---|---|---|---|---|")
    md.append("| LabSearch (store + index, as loaded) | %.0f | %.1f | %.0f | %s |" % (
        fnum(r["load_records_per_second"]), fnum(r["load_seconds"]), fnum(r["bytes_per_record"]), mib(r["peak_rss_after_load_bytes"])))
    if r.get("bytes_per_record_compacted") is not None:
        md.append("| LabSearch (Xapian compacted + SQLite pruned) | | | %.0f (index %.0f + store %.0f) | |" % (
            fnum(r["bytes_per_record_compacted"]), fnum(r["index_compacted_bytes_per_record"]), fnum(r["store_pruned_bytes_per_record"])))
    for p in PEERS:
        if p in peers:
            q = peers[p]
            md.append("| %s (index only, Python process) | %.0f | %.1f | %.0f | %s |" % (
                PEER_NAMES[p], q["load_records_per_second"], q["build_seconds"], q["bytes_per_record"], mib(q.get("peak_rss_bytes"))))
    md.append("")
    md.append("LabSearch: %d records (%d documents), load timed from the first line read until the index had caught up "
              "with the store (store phase %.1f s); index %.1f MB raw, %s compacted (xapian-compact of the current "
              "generation); store %.1f MB raw, %s with the change log pruned and vacuumed (%s changes were pending). "
              "Peak RSS %s after the load, %s at the end (the query sets in memory too). The peers' figures are their "
              "index only (their records live elsewhere), built from the same NDJSON file, parsing included." % (
                  r["records"], r["documents"], fnum(r["store_phase_seconds"]), r["index_bytes"] / 1e6,
                  "%.1f MB" % (r["index_compacted_bytes"] / 1e6) if r.get("index_compacted_bytes") else "–",
                  r["store_bytes"] / 1e6, "%.1f MB" % (r["store_pruned_bytes"] / 1e6) if r.get("store_pruned_bytes") else "–",
                  r.get("store_pending_changes", "?"), mib(r["peak_rss_after_load_bytes"]), mib(r["peak_rss_bytes"])))
    md.append("")
    md.append("Duplicate checks: %d probes (company names without accents in upper case, contacts with first and last "
              "names swapped): p50 %s ms, p95 %s ms, p99 %s ms; expected record among the candidates %d/%d." % (
                  r["duplicate_checks"], ms(r["duplicate_p50_ms"]), ms(r.get("duplicate_p95_ms")), ms(r["duplicate_p99_ms"]),
                  r["duplicate_found"], r["duplicate_checks"]))
    md.append("")
    md += typing_section(r)
    md += lists_section(r)
    text, figures = http_table(r)
    if text:
        md += ["## HTTP", "", text]
    md += ["## Aims", "", "| aim | met | figure |", "|---|---|---|"]
    for aim, met, fig in aims(r, figures):
        md.append("| %s | %s | %s |" % (aim, "–" if met is None else ("yes" if met else "**no**"), fig))
    md.append("")
    md.append("## Slowest queries and misses (LabSearch)")
    md.append("")
    for c in r["categories"]:
        slow = ", ".join("`%s` %.2f ms" % (s["query"], s["ms"]) for s in c.get("slowest", []))
        md.append("- %s (%s): %s" % (c["category"], c.get("description", ""), slow))
        for m in c.get("misses", [])[:3]:
            md.append("  - miss: `%s` → %s" % (m["query"], m["note"]))
    for p in PEERS:
        if p in peers:
            md.append("")
            md.append("%s settings: %s." % (PEER_NAMES[p], peers[p].get("settings", "")))
    md.append("")
    stem = "%s-%d" % (r["stamp"], size)
    pngs = [f for f in ("%s-latency.png" % stem, "%s-recall.png" % stem, "%s-http.png" % stem)]
    md.append("Plots: " + ", ".join("[%s](%s)" % (p, p) for p in pngs) + ".")
    md.append("")
    return "\n".join(md)


def plots(r, outdir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    stem = os.path.join(outdir, "%s-%d" % (r["stamp"], r["size"]))
    peers = r.get("peers", {})
    engines = [("labsearch", r)] + [(p, peers[p]) for p in PEERS if p in peers]
    names = [c["category"] for c in r["categories"]]
    y = range(len(names))
    h = 0.8 / len(engines)
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(names) + 1.5))
    for i, (e, res) in enumerate(engines):
        cs = cats_by_name(res)
        p50 = [fnum(cs[n]["p50_ms"]) if n in cs else float("nan") for n in names]
        p99 = [fnum(cs[n]["p99_ms"]) if n in cs else float("nan") for n in names]
        ys = [v + (i - (len(engines) - 1) / 2) * h for v in y]
        ax.barh(ys, p50, height=h, color=COLORS[e], label="%s p50" % PEER_NAMES[e])
        ax.scatter(p99, ys, color=COLORS[e], marker="|", s=120, label="%s p99" % PEER_NAMES[e])
    ax.axvline(AIM_P99_MS, color="red", linestyle="--", linewidth=1, label="aim: p99 5 ms")
    ax.set_yticks(list(y))
    ax.set_yticklabels(names)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("in-process latency, ms (bar p50, tick p99; log scale)")
    ax.set_title("Search latency per category, %d records" % r["size"])
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(stem + "-latency.png", dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(10, 0.45 * len(names) + 1.5))
    for i, (e, res) in enumerate(engines):
        cs = cats_by_name(res)
        rec = [fnum(cs[n]["recall_at_10"]) if n in cs else float("nan") for n in names]
        ys = [v + (i - (len(engines) - 1) / 2) * h for v in y]
        ax.barh(ys, rec, height=h, color=COLORS[e], label=PEER_NAMES[e])
    ax.set_yticks(list(y))
    ax.set_yticklabels(names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.05)
    ax.set_xlabel("recall@10 (expected record in the top 10 of its group)")
    ax.set_title("Recall per category, %d records" % r["size"])
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(stem + "-recall.png", dpi=110)
    plt.close(fig)

    h_ = r.get("http")
    if h_:
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
        for endpoint, color in (("search", COLORS["labsearch"]), ("healthz", "#7f7f7f")):
            rs = sorted((x for x in h_["runs"] if x["endpoint"] == endpoint), key=lambda x: x["connections"])
            cs = [x["connections"] for x in rs]
            a1.plot(cs, [x["p50_ms"] for x in rs], "o-", color=color, label="%s p50" % endpoint)
            a1.plot(cs, [x["p99_ms"] for x in rs], "s--", color=color, label="%s p99" % endpoint)
            a2.plot(cs, [x["requests_per_second"] for x in rs], "o-", color=color, label=endpoint)
        a1.axhline(fnum(r["all_p50_ms"]), color=COLORS["labsearch"], linestyle=":", label="in-process p50")
        for a in (a1, a2):
            a.set_xscale("log", base=2)
            a.set_xticks([1, 16, 64])
            a.set_xticklabels(["1", "16", "64"])
            a.set_xlabel("concurrent connections")
            a.legend(fontsize=8)
        a1.set_yscale("log")
        a1.set_ylabel("latency, ms (log)")
        a2.set_yscale("log")
        a2.set_ylabel("requests/s (log)")
        fig.suptitle("HTTP: /v1/search (benchmark query mix) and /healthz, same server, %d records" % r["size"])
        fig.tight_layout()
        fig.savefig(stem + "-http.png", dpi=110)
        plt.close(fig)


NAME_CATEGORIES = ["whole-name", "first-last", "last-first", "name-city", "typo-1", "typo-2", "no-accents"]
LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l"})


def fold_words(text):
    import re
    import unicodedata
    t = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    return tuple(sorted(re.findall(r"\w+", t)))


def ambiguity(records_path, queries_path, limit=10):
    """Per name category: how many queries expect a record whose name (folded words, any order;
    name + city for name-city) is shared by more than `limit` active records of its kind: no
    engine can be sure to rank that one record in a top 10 (a ceiling on recall@10)."""
    import collections
    with open(queries_path) as f:
        queries = [q for q in json.load(f) if q["category"] in NAME_CATEGORIES]
    wanted = {(q["expected_kind"], q["expected_id"]) for q in queries}
    counts = collections.Counter()
    keys = {}
    with open(records_path, "rb") as f:
        for line in f:
            o = json.loads(line)
            r, t = o.get("record", {}), o.get("type")
            if o.get("op", "upsert") != "upsert" or r.get("active", True) is False:
                continue
            if t in ("client_contact", "partner_contact"):
                name = "%s %s" % (r.get("first_name") or "", r.get("last_name") or "")
            else:
                name = r.get("name") or ""
            k1 = (t, fold_words(name))
            counts[k1] += 1
            k2 = None
            if t in ("client", "partner"):
                k2 = (t, "city", fold_words(name + " " + (r.get("city") or "")))
                counts[k2] += 1
            if (t, o["id"]) in wanted:
                keys[(t, o["id"])] = (k1, k2)
    out = {}
    for q in queries:
        k1, k2 = keys.get((q["expected_kind"], q["expected_id"]), (None, None))
        key = k2 if q["category"] == "name-city" else k1
        c = out.setdefault(q["category"], {"queries": 0, "ambiguous": 0})
        c["queries"] += 1
        if key is not None and counts[key] > limit:
            c["ambiguous"] += 1
    return out


def cmd_merge(a):
    r = load(a.result)
    peers = r.get("peers", {})
    for p in PEERS:
        path = getattr(a, p)
        if path and os.path.exists(path):
            peers[p] = load(path)
    if peers:
        r["peers"] = peers
    if a.http and os.path.exists(a.http):
        h = load(a.http)
        for x in h["runs"]:
            x.pop("raw", None)
        r["http"] = h
    if a.env and os.path.exists(a.env):
        r["environment"] = load(a.env)
    if a.records and a.queries and os.path.exists(a.records) and os.path.exists(a.queries):
        amb = ambiguity(a.records, a.queries)
        for c in r["categories"]:
            if c["category"] in amb:
                c["ambiguous"] = amb[c["category"]]["ambiguous"]
    text, figures = http_table(r)
    r["aims"] = [{"aim": x, "met": m, "figure": f} for x, m, f in aims(r, figures)]
    with open(a.result, "w") as f:
        json.dump(r, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    md_path = a.result[:-5] + ".md"
    with open(md_path, "w") as f:
        f.write(render(r))
    try:
        plots(r, os.path.dirname(os.path.abspath(a.result)))
    except ImportError as e:
        print("report: no plots (%s); pip install matplotlib" % e, file=sys.stderr)
    print("report: wrote %s, %s and plots" % (a.result, md_path), file=sys.stderr)


def cmd_summary(a):
    sizes = [int(s) for s in a.sizes.split(",")]
    rs = []
    for s in sizes:
        p = os.path.join(a.results, "%s-%d.json" % (a.stamp, s))
        if os.path.exists(p):
            rs.append(load(p))
    if not rs:
        raise SystemExit("no results for %s" % a.stamp)
    md = ["# LabSearch benchmarks: growth from %s to %s records (%s)" % (
        "{:,}".format(rs[0]["size"]), "{:,}".format(rs[-1]["size"]), a.stamp), ""]
    md.append("One command: `benchmarks/run.sh --sizes %s`. Per size: %s." % (
        a.sizes, ", ".join("[%s-%d.md](%s-%d.md)" % (a.stamp, r["size"], a.stamp, r["size"]) for r in rs)))
    md.append("")
    md.append("## Growth of each figure")
    md.append("")
    head = "| figure | " + " | ".join("{:,}".format(r["size"]) for r in rs) + " |"
    md += [head, "|---|" + "---|" * len(rs)]

    def row(label, f):
        vals = []
        for r in rs:
            try:
                vals.append(f(r))
            except (KeyError, TypeError, ZeroDivisionError):
                vals.append("–")
        md.append("| %s | %s |" % (label, " | ".join(vals)))

    row("load, records/s", lambda r: "%.0f" % fnum(r["load_records_per_second"]))
    row("bytes/record as loaded (index + store)", lambda r: "%.0f" % fnum(r["bytes_per_record"]))
    row("bytes/record compacted index", lambda r: "%.0f" % fnum(r["index_compacted_bytes_per_record"]))
    row("bytes/record pruned store", lambda r: "%.0f" % fnum(r["store_pruned_bytes_per_record"]))
    row("bytes/record compacted + pruned", lambda r: "%.0f" % fnum(r["bytes_per_record_compacted"]))
    row("peak RSS after load", lambda r: mib(r["peak_rss_after_load_bytes"]))
    row("all queries p50 / p99 ms", lambda r: "%s / %s" % (ms(r["all_p50_ms"]), ms(r["all_p99_ms"])))
    row("worst category p99 ms", lambda r: "%s (%s)" % (ms(max(fnum(c["p99_ms"]) for c in r["categories"])),
                                                      max(r["categories"], key=lambda c: fnum(c["p99_ms"]))["category"]))
    row("duplicate check p50 / p99 ms", lambda r: "%s / %s" % (ms(r["duplicate_p50_ms"]), ms(r["duplicate_p99_ms"])))
    row("as-you-type per keystroke p50 / p99 ms", lambda r: "%s / %s" % (ms(r["typing"]["p50_ms"]), ms(r["typing"]["p99_ms"])))
    row("lists filter + sort p99 ms (SQLite baseline)", lambda r: "%s (%s)" % (
        ms(r["lists"]["filter_sort_p99_ms"]), ms(r["lists"]["baseline_filter_sort_p99_ms"])))
    row("lists group-by p99 ms (SQLite baseline)", lambda r: "%s (%s)" % (
        ms(r["lists"]["group_p99_ms"]), ms(r["lists"]["baseline_group_p99_ms"])))
    for c in (1, 16, 64):
        def hf(r, c=c):
            runs = {(x["endpoint"], x["connections"]): x for x in r["http"]["runs"]}
            s, z = runs[("search", c)], runs[("healthz", c)]
            return "%.0f req/s, p50 %s, p99 %s ms (healthz %.0f req/s, p50 %s)" % (
                s["requests_per_second"], ms(s["p50_ms"]), ms(s["p99_ms"]), z["requests_per_second"], ms(z["p50_ms"]))
        row("HTTP search, %d conn." % c, hf)
    for p in PEERS:
        row("%s load records/s, bytes/record" % PEER_NAMES[p],
            lambda r, p=p: "%.0f, %.0f" % (r["peers"][p]["load_records_per_second"], r["peers"][p]["bytes_per_record"]))
        row("%s all queries p50 / p99 ms" % PEER_NAMES[p],
            lambda r, p=p: "%s / %s" % (ms(r["peers"][p]["all_p50_ms"]), ms(r["peers"][p]["all_p99_ms"])))
    md.append("")
    md.append("## Latency per category, p50 / p99 ms (recall@10)")
    md.append("")
    md += ["| category | " + " | ".join("{:,}".format(r["size"]) for r in rs) + " |", "|---|" + "---|" * len(rs)]
    for c in rs[-1]["categories"]:
        name = c["category"]
        vals = []
        for r in rs:
            x = cats_by_name(r).get(name)
            vals.append("%s / %s (%.2f)" % (ms(x["p50_ms"]), ms(x["p99_ms"]), fnum(x["recall_at_10"])) if x else "–")
        md.append("| %s | %s |" % (name, " | ".join(vals)))
    md.append("")
    last = rs[-1]
    md.append("## Aims at %s records" % "{:,}".format(last["size"]))
    md.append("")
    md += ["| aim | met | figure |", "|---|---|---|"]
    for x in last.get("aims", []):
        md.append("| %s | %s | %s |" % (x["aim"], "–" if x["met"] is None else ("yes" if x["met"] else "**no**"), x["figure"]))
    md.append("")
    growth = "%s-growth.png" % a.stamp
    md.append("Plots: [%s](%s) (latency per category against size, load rate, bytes/record per part, peak memory)." % (growth, growth))
    md.append("")
    with open(os.path.join(a.results, "%s-summary.md" % a.stamp), "w") as f:
        f.write("\n".join(md))
    try:
        growth_plot(rs, os.path.join(a.results, growth))
    except ImportError as e:
        print("report: no plots (%s)" % e, file=sys.stderr)
    print("report: wrote %s" % os.path.join(a.results, "%s-summary.md" % a.stamp), file=sys.stderr)


def growth_plot(rs, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    sizes = [r["size"] for r in rs]
    fig, axs = plt.subplots(2, 2, figsize=(13, 9))
    a = axs[0][0]
    cmap = plt.get_cmap("tab20")
    for i, c in enumerate(rs[-1]["categories"]):
        vals = [fnum(cats_by_name(r).get(c["category"], {}).get("p99_ms")) for r in rs]
        a.plot(sizes, vals, "o-", color=cmap(i % 20), label=c["category"], linewidth=1)
    a.axhline(AIM_P99_MS, color="red", linestyle="--", linewidth=1)
    a.set_xscale("log")
    a.set_yscale("log")
    a.set_title("LabSearch p99 per category (ms) against records")
    a.legend(fontsize=6, ncol=2)
    a = axs[0][1]
    for e in ["labsearch"] + PEERS:
        p50 = [fnum(r["all_p50_ms"] if e == "labsearch" else r.get("peers", {}).get(e, {}).get("all_p50_ms")) for r in rs]
        p99 = [fnum(r["all_p99_ms"] if e == "labsearch" else r.get("peers", {}).get(e, {}).get("all_p99_ms")) for r in rs]
        a.plot(sizes, p50, "o-", color=COLORS[e], label="%s p50" % PEER_NAMES[e])
        a.plot(sizes, p99, "s--", color=COLORS[e], label="%s p99" % PEER_NAMES[e])
    a.set_xscale("log")
    a.set_yscale("log")
    a.set_title("All queries pooled, ms, against records")
    a.legend(fontsize=7)
    a = axs[1][0]
    for e in ["labsearch"] + PEERS:
        v = [fnum(r["load_records_per_second"] if e == "labsearch" else r.get("peers", {}).get(e, {}).get("load_records_per_second"))
             for r in rs]
        a.plot(sizes, v, "o-", color=COLORS[e], label=PEER_NAMES[e])
    a.axhline(AIM_LOAD, color="red", linestyle="--", linewidth=1, label="aim 20k/s")
    a.set_xscale("log")
    a.set_yscale("log")
    a.set_title("Load throughput, records/s (peers: index only)")
    a.legend(fontsize=7)
    a = axs[1][1]
    x = range(len(rs))
    idx = [fnum(r.get("index_compacted_bytes_per_record")) for r in rs]
    st = [fnum(r.get("store_pruned_bytes_per_record")) for r in rs]
    raw = [fnum(r["bytes_per_record"]) for r in rs]
    a.bar([i - 0.2 for i in x], idx, width=0.4, color=COLORS["labsearch"], label="Xapian compacted")
    a.bar([i - 0.2 for i in x], st, width=0.4, bottom=idx, color="#9ecae1", label="SQLite pruned")
    a.bar([i + 0.2 for i in x], raw, width=0.4, color="#c7c7c7", label="as loaded (raw)")
    for e in PEERS:
        v = [fnum(r.get("peers", {}).get(e, {}).get("bytes_per_record")) for r in rs]
        a.plot(list(x), v, "o", color=COLORS[e], label="%s index" % PEER_NAMES[e])
    a.axhline(AIM_BYTES, color="red", linestyle="--", linewidth=1, label="aim 2 KB")
    ax2 = a.twinx()
    ax2.plot(list(x), [r["peak_rss_after_load_bytes"] / 1048576 for r in rs], "k^:", label="peak RSS (MiB)")
    ax2.set_ylabel("peak RSS after load, MiB")
    ax2.set_ylim(bottom=0)
    a.set_xticks(list(x))
    a.set_xticklabels(["{:,}".format(s) for s in sizes])
    a.set_title("Bytes per record, and peak memory")
    a.legend(fontsize=7, loc="upper left")
    ax2.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("merge")
    m.add_argument("--result", required=True)
    m.add_argument("--fts5")
    m.add_argument("--tantivy")
    m.add_argument("--http")
    m.add_argument("--env")
    m.add_argument("--records", help="records.ndjson: count the queries whose name more than 10 records share")
    m.add_argument("--queries", help="queries.json exported by LabSearchBench")
    s = sub.add_parser("summary")
    s.add_argument("--results", required=True)
    s.add_argument("--stamp", required=True)
    s.add_argument("--sizes", required=True)
    a = ap.parse_args()
    cmd_merge(a) if a.cmd == "merge" else cmd_summary(a)


if __name__ == "__main__":
    main()
