#!/usr/bin/env bash
# Times the import of a 10,000-row .xlsx (preview, then commit, then the same file again)
# with a release build, on a fresh data directory. The file is written by openpyxl (an
# independent library) from the demo generator's client contacts joined with their companies,
# in the import template's layout. Usage: scripts/bench-import.sh [ROWS]
# (LABSEARCH_BIN=path/to/release/labsearch to reuse a build).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000}
bash scripts/setup.sh
python3 -c 'import openpyxl' 2>/dev/null || python3 -m pip install --quiet openpyxl
# LABSEARCH_BIN: an already built release binary (skips the build).
bin=${LABSEARCH_BIN:-}
if [ -z "$bin" ]; then
    swift build -c release --product labsearch >/dev/null
    bin=.build/release/labsearch
fi
work=$(mktemp -d /tmp/labsearch-import-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
$bin demo-data --size $((rows * 3)) --out "$work/demo.ndjson"
python3 scripts/ndjson_to_template_xlsx.py "$work/demo.ndjson" "$work/contacts.xlsx" "$rows"
ls -l "$work/contacts.xlsx" | awk '{print "file: " $5 " bytes"}'
$bin tenant create bench --data "$work/data" >/dev/null
t() { local s=$(date +%s.%N); "$@" >"$work/out.txt" || true; local e=$(date +%s.%N); echo "$(echo "$e - $s" | bc)"; }
p=$(t $bin import --data "$work/data" --tenant bench --kind contacts --preview "$work/contacts.xlsx")
sed -n 1,3p "$work/out.txt"
c=$(t $bin import --data "$work/data" --tenant bench --kind contacts "$work/contacts.xlsx")
sed -n 1,3p "$work/out.txt"
a=$(t $bin import --data "$work/data" --tenant bench --kind contacts "$work/contacts.xlsx")
sed -n 2,3p "$work/out.txt"
printf 'rows=%s preview=%.2fs commit=%.2fs preview+commit=%.2fs second-import=%.2fs\n' "$rows" "$p" "$c" "$(echo "$p + $c" | bc)" "$a"
