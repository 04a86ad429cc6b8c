#!/usr/bin/env bash
# Runs every benchmark of issue 6 and writes benchmarks/results/DATE-SIZE.{json,md,*.png} and
# benchmarks/results/DATE-summary.md (+ DATE-growth.png).
#
#   benchmarks/run.sh [--sizes 10000,200000,1000000] [--queries 200] [--runs 3] [--duration 10]
#                     [--no-peers] [--no-http] [--no-build] [--server BIN] [--stamp YYYY-MM-DD] [--work DIR]
#
# Per size: LabSearchBench (release) loads the generated records into a fresh tenant and runs
# the query sets in-process, exporting the same records and queries; the peers (SQLite FTS5,
# Tantivy) index the same records and run the same queries; `labsearch serve` answers wrk at
# 1, 16 and 64 connections (search mix and /healthz, same server); report.py merges it all,
# writes the markdown and the plots. Scratch data goes to --work (default /tmp/labsearch-bench).
# --no-build uses the binaries already in .build-bench/release; --server BIN serves the HTTP
# runs with another labsearch executable (e.g. a release build of a given commit).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=10000,200000,1000000
QUERIES=200
RUNS=3
DURATION=10
PEERS=1
HTTP=1
BUILD=1
SERVER=
STAMP=$(date -u +%F)
WORK=${LABSEARCH_BENCH_WORK:-/tmp/labsearch-bench}
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES=$2; shift ;;
    --queries) QUERIES=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --no-peers) PEERS=0 ;;
    --no-http) HTTP=0 ;;
    --no-build) BUILD=0 ;;
    --server) SERVER=$2; shift ;;
    --stamp) STAMP=$2; shift ;;
    --work) WORK=$2; shift ;;
    -h|--help) sed -n 2,14p "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '\n== %s\n' "$*" >&2; }

# Tools: Debian's xapian-tools (xapian-compact), sqlite3 and wrk; Python's tantivy and matplotlib.
missing=()
command -v xapian-compact >/dev/null || missing+=(xapian-tools)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
[ "$HTTP" = 1 ] && { command -v wrk >/dev/null || missing+=(wrk); }
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
python3 -c 'import matplotlib' 2>/dev/null || python3 -m pip install -q matplotlib
[ "$PEERS" = 1 ] && { python3 -c 'import tantivy' 2>/dev/null || python3 -m pip install -q tantivy; }

if [ "$BUILD" = 1 ]; then
  say "building (release, --scratch-path .build-bench)"
  swift build -c release --scratch-path .build-bench --product LabSearchBench
  [ "$HTTP" = 0 ] || [ -n "$SERVER" ] || swift build -c release --scratch-path .build-bench --product labsearch
fi
BIN=.build-bench/release
SERVER=${SERVER:-$BIN/labsearch}
export BENCH_SERVER=$SERVER
RESULTS=benchmarks/results
mkdir -p "$RESULTS" "$WORK"

env_json() {  # machine and noise at the start and the end of a size's run
  python3 - "$@" <<'EOF'
import json, os, platform, sqlite3, subprocess, sys
path, phase = sys.argv[1], sys.argv[2]
d = json.load(open(path)) if os.path.exists(path) and phase != "start" else {}
load = open("/proc/loadavg").read().split()[:3]
d["loadavg_" + phase] = " ".join(load)
if phase == "start":
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
    mem = next((int(l.split()[1]) // 1048576 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    d["machine"] = "%d cores (%s), %d GiB, %s" % (os.cpu_count(), cpu, mem, platform.platform())
    d["sqlite"] = sqlite3.sqlite_version
    try:
        import tantivy; d["tantivy"] = getattr(tantivy, "__version__", "?")
    except ImportError:
        pass
    d["xapian"] = subprocess.run(["xapian-compact", "--version"], capture_output=True, text=True).stdout.strip()
    d["swift"] = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.strip().splitlines()[0]
    git = lambda *a: subprocess.run(["git", *a], capture_output=True, text=True).stdout.strip()
    d["commit"] = git("rev-parse", "--short", "HEAD")
    d["uncommitted_files"] = len([l for l in git("status", "--porcelain", "--", "Sources", "Package.swift").splitlines() if l])
    d["server"] = os.environ.get("BENCH_SERVER", "")
json.dump(d, open(path, "w"), indent=2)
EOF
}

for SIZE in ${SIZES//,/ }; do
  W="$WORK/$SIZE"
  rm -rf "$W"; mkdir -p "$W"
  env_json "$W/env.json" start
  say "LabSearch, $SIZE records"
  "$BIN/LabSearchBench" --size "$SIZE" --queries "$QUERIES" --runs "$RUNS" --stamp "$STAMP" --out "$RESULTS" \
    --data "$W/data" --export-peers "$W/peers"
  MERGE=(--result "$RESULTS/$STAMP-$SIZE.json" --env "$W/env.json" --records "$W/peers/records.ndjson"
         --queries "$W/peers/queries.json")
  if [ "$PEERS" = 1 ]; then
    env_json "$W/env.json" peers
    say "SQLite FTS5, $SIZE records"
    python3 benchmarks/peers/fts5_peer.py --records "$W/peers/records.ndjson" --queries "$W/peers/queries.json" \
      --out "$W/fts5.json" --db "$W/fts5.sqlite" --runs "$RUNS"
    rm -f "$W/fts5.sqlite"*
    say "Tantivy, $SIZE records"
    python3 benchmarks/peers/tantivy_peer.py --records "$W/peers/records.ndjson" --queries "$W/peers/queries.json" \
      --out "$W/tantivy.json" --index "$W/tantivy-index" --runs "$RUNS"
    rm -rf "$W/tantivy-index"
    MERGE+=(--fts5 "$W/fts5.json" --tantivy "$W/tantivy.json")
  fi
  if [ "$HTTP" = 1 ]; then
    env_json "$W/env.json" http
    say "HTTP, $SIZE records"
    python3 benchmarks/http/run_http.py --bin "$SERVER" --data "$W/data" --tenant bench \
      --queries "$W/peers/queries.json" --out "$W/http.json" --duration "$DURATION"
    MERGE+=(--http "$W/http.json")
  fi
  env_json "$W/env.json" end
  python3 benchmarks/report.py merge "${MERGE[@]}"
  rm -rf "$W/data" "$W/peers/records.ndjson"
done
python3 benchmarks/report.py summary --results "$RESULTS" --stamp "$STAMP" --sizes "$SIZES"
say "done: $RESULTS/$STAMP-summary.md"
