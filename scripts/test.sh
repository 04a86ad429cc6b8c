#!/usr/bin/env bash
# The README's second command: set up, build, run the whole test suite (Swift tests, the
# benchmark harness's smoke run, 30 s of each fuzz target, then the browser test against a real server started here on loopback with a small demo tenant,
# the command-line tests, then a short crash soak).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests

swift build --build-tests
set +e
swift test --skip-build
swift_status=$?
# The benchmark harness's smoke run (10k records, release build as every benchmark): every
# query set runs, recall@10 of each category stays above its floor and the list figures under
# their ceilings against the same run's SQLite baseline (benchmarks/smoke-floors.json); no
# absolute time is asserted.
swift build -c release --scratch-path .build-bench --product LabSearchBench >/tmp/labsearch-bench-build.log 2>&1 \
  && bash benchmarks/smoke.sh .build-bench/release/LabSearchBench >/tmp/labsearch-smoke.log 2>&1
smoke_status=$?
[ -s /tmp/labsearch-smoke.log ] || cat /tmp/labsearch-bench-build.log >&2
if [ "$smoke_status" -ne 0 ]; then cat /tmp/labsearch-smoke.log >&2; else tail -n 5 /tmp/labsearch-smoke.log; fi
set -e

# The libFuzzer targets (fuzz/targets), 30 s each on their seeds and the fixtures, built with
# swiftc -sanitize=fuzzer,address (scripts/fuzz.sh; the objects are reused from .build-fuzz).
# Not xls: it finds a known, open over-read in Debian's FreeXL within seconds (README, Fuzzing).
set +e
bash scripts/fuzz.sh --seconds "${LABSEARCH_FUZZ_SECONDS:-30}" --target analyzer --target query --target json \
  --target csv --target xlsx >/tmp/labsearch-fuzz.log 2>&1
fuzz_status=$?
set -e
if [ "$fuzz_status" -ne 0 ]; then cat /tmp/labsearch-fuzz.log >&2; else grep '^fuzz: summary' /tmp/labsearch-fuzz.log; fi

# The browser test (a real server with a fresh demo tenant of 2,000 records), the command
# line tests (import, export, users on a temporary data directory) and the OpenAPI document's
# (validated, and served as is by that server).
data=$(mktemp -d /tmp/labsearch-browser-XXXXXX)
port=${LABSEARCH_TEST_PORT:-18087}
out="$data/serve.out"
.build/debug/labsearch serve --demo --demo-size 2000 --port "$port" --data "$data/data" >"$out" 2>"$data/serve.err" &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
key=""
for _ in $(seq 1 600); do
    if ! kill -0 "$server" 2>/dev/null; then cat "$data/serve.err" >&2; echo "test: the server stopped" >&2; exit 1; fi
    key=$(grep -E '^lsk_[0-9a-f]+$' "$out" | tail -n 1 || true)
    [ -n "$key" ] && break
    sleep 0.5
done
if [ -z "$key" ]; then echo "test: the demo server did not become ready" >&2; exit 1; fi
set +e
LABSEARCH_URL="http://127.0.0.1:$port" LABSEARCH_KEY="$key" LABSEARCH_DATA="$data/data" LABSEARCH_BIN=.build/debug/labsearch python3 -m pytest -q Tests/browser Tests/cli Tests/openapi
browser_status=$?
# The crash soak, short (5 cycles, at most 150 s of cycles): mixed load on a real server of its
# own (port 0, fresh data directory), kill -9, restart, every acknowledged write checked, then
# SIGTERM (exit 0 within 30 s) and `labsearch check` (benchmarks/soak.py; the 50-cycle run is
# `benchmarks/soak.sh`). Its summary JSON line is printed; its problems go to stderr.
python3 benchmarks/soak.py --bin .build/debug/labsearch --cycles 5 --max-seconds 150 --seed "${LABSEARCH_SOAK_SEED:-5}" \
  2>/tmp/labsearch-soak.log
soak_status=$?
if [ "$soak_status" -ne 0 ]; then cat /tmp/labsearch-soak.log >&2; fi
set -e
if [ "$swift_status" -ne 0 ] || [ "$smoke_status" -ne 0 ] || [ "$fuzz_status" -ne 0 ] || [ "$browser_status" -ne 0 ] || [ "$soak_status" -ne 0 ]; then
    echo "test: swift tests exit $swift_status, benchmark smoke exit $smoke_status, fuzz targets exit $fuzz_status, browser, command-line and OpenAPI tests exit $browser_status, crash soak exit $soak_status" >&2
    exit 1
fi
