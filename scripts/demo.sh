#!/usr/bin/env bash
# The README's first command: set up, build in release mode, and serve the search page with a
# demo tenant (about 50k generated records, loaded on the first start).
# Extra arguments go to `labsearch serve` (e.g. --port 8081, --data DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product labsearch
exec .build/release/labsearch serve --demo "$@"
