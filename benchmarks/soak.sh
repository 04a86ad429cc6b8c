#!/usr/bin/env bash
# Crash soak of `labsearch serve` (benchmarks/soak.py): mixed load from several client threads,
# kill -9 at a random moment, restart, check that every acknowledged write is there, that
# unacknowledged ones are whole or absent, that the index agrees with the store (searches, then
# `labsearch check` after a SIGTERM stop, which must exit 0 within 30 s). Loopback only, fresh
# data directory; bounded in cycles and time. Prints one summary JSON line; exit 1 on any loss,
# duplicate or mismatch.
#
#   benchmarks/soak.sh [--bin .build/debug/labsearch] [--cycles 50] [--max-seconds 1800] [--seed N]
#                      [--threads 4] [--keep] [--verbose]
# Builds the debug labsearch first when no --bin is given and it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ " $* " != *" --bin "* ]] && [ ! -x .build/debug/labsearch ]; then
  swift build --product labsearch >&2
fi
exec python3 benchmarks/soak.py "$@"
