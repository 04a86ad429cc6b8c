#!/usr/bin/env bash
# Idempotent set-up shared by the README's two commands: installs the system libraries the
# build links against (Xapian, ICU, SQLite, zlib, FreeXL, Argon2) and, with --tests, what the browser test needs.
# Does nothing that is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need=()
for pkg in libxapian-dev xapian-tools libicu-dev libsqlite3-dev zlib1g-dev libfreexl-dev libargon2-dev; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
    echo "setup: installing ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "setup: Swift 6.3 is required (swift not found on PATH)" >&2
    exit 1
fi

if [ "${1:-}" = "--tests" ]; then
    bash scripts/setup-browser.sh
fi
