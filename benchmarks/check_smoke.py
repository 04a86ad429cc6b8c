#!/usr/bin/env python3
"""Checks a smoke run's results against benchmarks/smoke-floors.json.

Fails (exit 1, one line per breach) when a query set did not run or score every query, when
recall@10 of a category falls below its floor, when a figure passes its ceiling against the
same run's baseline, when an expected duplicate was not found, or when the index grew past its
bytes-per-record ceiling. Never compares absolute times (machines differ; ratios to a baseline
timed in the same run do not).

    benchmarks/check_smoke.py RESULTS.json [FLOORS.json]
"""
import json
import os
import sys


def check(results, floors):
    bad = []
    cats = results.get("categories", [])
    if not cats:
        bad.append("no query category ran")
    recall = floors.get("recall_at_10", {})
    for c in cats:
        name = c["category"]
        if c["queries"] == 0 or c["scored"] != c["queries"]:
            bad.append("%s: %d of %d queries scored" % (name, c["scored"], c["queries"]))
        floor = recall.get(name, recall.get("*", 0.0))
        if c["recall_at_10"] + 1e-9 < floor:
            bad.append("%s: recall@10 %.3f below its floor %.2f" % (name, c["recall_at_10"], floor))
    for k in ("search_errors", "bad_expectations"):
        if results.get(k):
            bad.append("%s: %s" % (k, results[k]))
    if results.get("load_errors"):
        bad.append("load errors: %s" % results["load_errors"])
    if not results.get("index_caught_up", False):
        bad.append("the index did not catch up with the store")
    lists = results.get("lists")
    ratios = floors.get("ratios", {})
    if lists is None:
        bad.append("the list queries did not run")
    else:
        for kind, key in (("filter-sort", "lists_filter_sort_p50_sum_over_baseline"), ("group", "lists_group_p50_sum_over_baseline")):
            shapes = [s for s in lists["shapes"] if s["kind"] == kind]
            if not shapes:
                bad.append("no %s list shape ran" % kind)
                continue
            ours = sum(s["p50_ms"] for s in shapes)
            base = sum(s["baseline_p50_ms"] for s in shapes)
            ratio = ours / max(base, 1e-9)
            print("smoke: lists %s p50 sum %.2f ms, baseline %.2f ms, ratio %.2f (ceiling %.2f)" % (kind, ours, base, ratio, ratios[key]),
                  file=sys.stderr)
            if ratio > ratios[key]:
                bad.append("lists %s: p50 sum %.2fx the baseline's, ceiling %.2fx" % (kind, ratio, ratios[key]))
    checks = results.get("duplicate_checks", 0)
    found = results.get("duplicate_found", 0)
    if checks == 0 or found / checks < floors.get("duplicates_found_share_min", 1.0):
        bad.append("duplicates: %d of %d expected records found" % (found, checks))
    typing = results.get("typing")
    share = (typing["found_at_end"] / typing["names"]) if typing and typing.get("names") else None
    if share is None or share < floors.get("typing_found_share_min", 0.0):
        bad.append("as-you-type: expected record shown for %s of the names once typed whole, floor %s" % (
            share, floors.get("typing_found_share_min")))
    bpr = results.get("bytes_per_record_compacted")
    if bpr is None or bpr > floors.get("bytes_per_record_compacted_max", float("inf")):
        bad.append("index + store: %s bytes/record compacted, ceiling %s" % (bpr, floors.get("bytes_per_record_compacted_max")))
    return bad


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    results = json.load(open(sys.argv[1]))
    floors_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "smoke-floors.json")
    bad = check(results, json.load(open(floors_path)))
    for b in bad:
        print("smoke: FAIL " + b, file=sys.stderr)
    if bad:
        sys.exit(1)
    print("smoke: OK, %d query categories at or above their recall floors, ratios under their ceilings" % len(results["categories"]),
          file=sys.stderr)


if __name__ == "__main__":
    main()
