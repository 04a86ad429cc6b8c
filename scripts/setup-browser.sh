#!/usr/bin/env bash
# Installs what the browser test (Tests/browser) needs: Debian's chromium and
# chromium-driver, and the Python packages selenium, pytest and requests (plus openpyxl and
# xlwt for the spreadsheet tests, openapi-spec-validator and pyyaml for Tests/openapi).
# Idempotent: does nothing when everything is already there.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing_debs=()
command -v chromium >/dev/null 2>&1 || missing_debs+=(chromium)
[ -x /usr/bin/chromedriver ] || missing_debs+=(chromium-driver)

if [ "${#missing_debs[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    # Refresh the package lists only when apt cannot see the packages yet.
    if ! apt-cache show "${missing_debs[@]}" >/dev/null 2>&1; then
        $SUDO apt-get update
    fi
    if ! $SUDO apt-get install -y --no-install-recommends "${missing_debs[@]}"; then
        # Stale lists: refresh once and retry.
        $SUDO apt-get update
        $SUDO apt-get install -y --no-install-recommends "${missing_debs[@]}"
    fi
fi

PY="${PYTHON:-python3}"
missing_py=()
"$PY" -c 'import selenium' >/dev/null 2>&1 || missing_py+=(selenium)
"$PY" -c 'import pytest' >/dev/null 2>&1 || missing_py+=(pytest)
"$PY" -c 'import requests' >/dev/null 2>&1 || missing_py+=(requests)
# For Tests/SheetsTests (openpyxl reads the .xlsx we write; both regenerate the fixtures).
"$PY" -c 'import openpyxl' >/dev/null 2>&1 || missing_py+=(openpyxl)
"$PY" -c 'import xlwt' >/dev/null 2>&1 || missing_py+=(xlwt)
# For Tests/openapi (the OpenAPI 3.1 document validated, read with PyYAML).
"$PY" -c 'import openapi_spec_validator' >/dev/null 2>&1 || missing_py+=(openapi-spec-validator)
"$PY" -c 'import yaml' >/dev/null 2>&1 || missing_py+=(pyyaml)

if [ "${#missing_py[@]}" -gt 0 ]; then
    "$PY" -m pip install --quiet "${missing_py[@]}" \
        || "$PY" -m pip install --quiet --break-system-packages "${missing_py[@]}"
fi

echo "setup-browser: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), chromedriver ok, python deps ok"
