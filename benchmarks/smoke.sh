#!/usr/bin/env bash
# CI smoke run of the benchmark harness: 10,000 records, 20 queries per category, one run, in a
# temporary directory. Fails unless every query set ran and scored every query, recall@10 of
# each category is at or above its floor and the list figures under their ceilings against the
# same run's baseline (benchmarks/smoke-floors.json, checked by benchmarks/check_smoke.py);
# never asserts absolute times.
#
#   benchmarks/smoke.sh [path/to/LabSearchBench]     (default .build-bench/release/LabSearchBench:
#       swift build -c release --scratch-path .build-bench --product LabSearchBench)
# With LABSEARCH_SMOKE_PEERS=1 and Python's tantivy installed, the peers run on the same
# exported records and queries too (and must score every query).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build-bench/release/LabSearchBench}
[ -x "$BIN" ] || { echo "smoke: $BIN not found (see the usage above)" >&2; exit 2; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/labsearch-smoke.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
"$BIN" --smoke --data "$TMP/data" --out "$TMP/results" --export-peers "$TMP/peers"
python3 benchmarks/check_smoke.py "$TMP"/results/*.json
if [ "${LABSEARCH_SMOKE_PEERS:-0}" = 1 ] && python3 -c 'import tantivy' 2>/dev/null; then
  for peer in fts5 tantivy; do
    python3 benchmarks/peers/${peer}_peer.py --records "$TMP/peers/records.ndjson" --queries "$TMP/peers/queries.json" \
      --out "$TMP/$peer.json" --runs 1
    python3 - "$TMP/$peer.json" "$TMP/peers/queries.json" <<'EOF'
import json, sys
r, q = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
cats = {c["category"]: c for c in r["categories"]}
want = {x["category"] for x in q}
bad = [c for c in want if c not in cats or cats[c]["scored"] != cats[c]["queries"] or cats[c]["queries"] == 0]
if bad:
    sys.exit("smoke: %s did not score every query of %s" % (r["engine"], ", ".join(sorted(bad))))
print("smoke: %s OK, %d query sets" % (r["engine"], len(cats)), file=sys.stderr)
EOF
  done
fi
