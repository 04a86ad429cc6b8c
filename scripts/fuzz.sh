#!/usr/bin/env bash
# libFuzzer targets (fuzz/targets/*.swift), built with swiftc directly (SwiftPM's fuzzer
# linking is fragile): each library module a target needs is compiled once, instrumented
# (-sanitize=fuzzer,address; C shims with clang -fsanitize=fuzzer-no-link,address), into
# .build-fuzz/, then each target is linked against them. Each target then runs for a bounded
# time on a copy of its seeds (fuzz/seeds/NAME plus the project's fixtures); a crash leaves
# its reproducer in .build-fuzz/artifacts/NAME/ and makes the script exit 1.
#
#   scripts/fuzz.sh [--seconds N] [--target NAME]... [--build-only]
#
# Targets: analyzer query json csv xlsx xls. FUZZ_SANITIZERS overrides the sanitizers
# (default fuzzer,address), FUZZ_BUILD_DIR the build directory (default .build-fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=30
targets=()
build_only=0
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --target) targets+=("$2"); shift 2 ;;
        --build-only) build_only=1; shift ;;
        -h|--help) sed -n 2,13p "$0"; exit 0 ;;
        *) echo "fuzz: unknown argument $1" >&2; exit 2 ;;
    esac
done
all=(analyzer query json csv xlsx xls)
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

san=${FUZZ_SANITIZERS:-fuzzer,address}
csan=${san/fuzzer/fuzzer-no-link}
B=${FUZZ_BUILD_DIR:-"$root/.build-fuzz"}
mkdir -p "$B/obj" "$B/mod" "$B/cmod" "$B/bin"
SWIFTC=(swiftc -swift-version 5 -parse-as-library -O -g -sanitize="$san" -use-ld=lld -I "$B/mod" -I "$B/cmod")
CFLAGS=(-O1 -g -fPIC -fsanitize="$csan")
# Other flags than last time (another sanitizer set): everything is rebuilt.
flags="${SWIFTC[*]} ${CFLAGS[*]}"
if [ "$(cat "$B/flags" 2>/dev/null)" != "$flags" ]; then rm -f "$B"/obj/*.o "$B"/bin/*; printf '%s' "$flags" >"$B/flags"; fi

# Rebuilds $1 when any of the following files is newer (or it is missing).
stale() {
    local out=$1; shift
    [ -e "$out" ] || return 0
    local f
    for f in "$@"; do [ "$f" -nt "$out" ] && return 0; done
    return 1
}

# A C shim: its object and a module map naming its header.
cshim() { # name source compiler
    local name=$1 src=$2 cc=$3 inc
    inc="$root/$(dirname "$src")/include"
    mkdir -p "$B/cmod/$name"
    local hdr
    hdr=$(ls "$inc"/*.h | head -n 1)
    printf 'module %s {\n    header "%s"\n    export *\n}\n' "$name" "$hdr" >"$B/cmod/$name/module.modulemap"
    if stale "$B/obj/$name.o" "$src" "$hdr"; then
        echo "fuzz: building $name" >&2
        "$cc" "${CFLAGS[@]}" -I "$inc" -c "$src" -o "$B/obj/$name.o"
    fi
}

# A Swift library module from a list of files: one object, one .swiftmodule (-enable-testing
# so a target may reach internal API with @testable import).
swiftmod() { # name files...
    local name=$1; shift
    if stale "$B/obj/$name.o" "$@" ${deps:-}; then
        echo "fuzz: building $name" >&2
        "${SWIFTC[@]}" -enable-testing -wmo -module-name "$name" -emit-module -emit-module-path "$B/mod/$name.swiftmodule" \
            -c "$@" -o "$B/obj/$name.o"
    fi
}

need_analysis() { cshim CICU Sources/CICU/cicu.c clang; deps=Sources/CICU/include/cicu.h swiftmod Analysis Sources/Analysis/*.swift; }
need_model() { swiftmod Model Sources/Model/*.swift; }
need_sheets() { cshim CSheets Sources/CSheets/csheets.c clang; deps=Sources/CSheets/include/csheets.h swiftmod Sheets Sources/Sheets/*.swift; }
need_xapian() { cshim CXapian Sources/CXapian/cxapian.cpp clang++; deps=Sources/CXapian/include/cxapian.h swiftmod XapianKit Sources/XapianKit/*.swift; }
# The query builder and the few Engine files it needs (the rest of Engine pulls in the store).
engine_files=(Sources/Engine/QueryBuilder.swift Sources/Engine/Vocabulary.swift Sources/Engine/EngineConfig.swift
              Sources/Engine/Terms.swift Sources/Engine/SearchTypes.swift Sources/Engine/DocumentBuilder.swift
              Sources/Engine/DocumentData.swift)
need_engine() { need_analysis; need_model; need_xapian; swiftmod Engine "${engine_files[@]}"; }

build_target() { # name
    local t=$1 objs=() libs=() extra=()
    case $t in
        analyzer) need_analysis; objs=(Analysis CICU); libs=(-licui18n -licuuc -licudata) ;;
        json) need_model; objs=(Model) ;;
        csv|xlsx|xls) need_sheets; objs=(Sheets CSheets); libs=(-lz -lfreexl); extra=(fuzz/sheets.swift) ;;
        query) need_engine; objs=(Engine XapianKit CXapian Analysis CICU Model)
               libs=(-lxapian -licui18n -licuuc -licudata -lstdc++) ;;
        *) echo "fuzz: unknown target $t" >&2; return 2 ;;
    esac
    local paths=() o
    for o in "${objs[@]}"; do paths+=("$B/obj/$o.o"); done
    if stale "$B/bin/$t" fuzz/common.swift "${extra[@]}" "fuzz/targets/$t.swift" "${paths[@]}"; then
        echo "fuzz: linking $t" >&2
        "${SWIFTC[@]}" fuzz/common.swift "${extra[@]}" "fuzz/targets/$t.swift" "${paths[@]}" "${libs[@]}" -o "$B/bin/$t"
    fi
}

start=$(date +%s)
for t in "${targets[@]}"; do build_target "$t"; done
echo "fuzz: built ${targets[*]} in $(( $(date +%s) - start )) s (sanitizers $san)" >&2
[ "$build_only" -eq 0 ] || exit 0

# Seeds: fuzz/seeds/NAME (committed, small) plus the project's fixtures, copied afresh into
# .build-fuzz/seeds/NAME; the corpus libFuzzer grows stays in .build-fuzz/corpus/NAME.
seed() { # name
    local t=$1 d="$B/seeds/$1" f n=0
    rm -rf "$d"; mkdir -p "$d"
    [ -d "fuzz/seeds/$t" ] && cp fuzz/seeds/"$t"/* "$d"/ 2>/dev/null || true
    case $t in
        analyzer|query)
            # The golden table's inputs (column 2, escapes left as typed), one file each.
            while IFS=$'\t' read -r fn inp _; do
                case $fn in ''|'#'*) continue ;; esac
                n=$((n + 1)); printf '%s' "$inp" >"$d/golden-$n"
            done <analyzers/golden.tsv ;;
        json) ;;
        csv) for f in Tests/SheetsTests/Fixtures/*.csv Tests/TransferTests/Fixtures/*.csv; do cp "$f" "$d/"; done ;;
        xlsx) for f in Tests/SheetsTests/Fixtures/*.xlsx Tests/TransferTests/Fixtures/*.xlsx; do cp "$f" "$d/"; done ;;
        xls) for f in Tests/SheetsTests/Fixtures/*.xls Tests/TransferTests/Fixtures/*.xls \
                      Tests/SheetsTests/Fixtures/encrypted.xlsx; do cp "$f" "$d/"; done ;;
    esac
}

export SWIFT_BACKTRACE=enable=no          # the Swift runtime's backtracer would hold the crash
export LABSEARCH_ANALYZERS="$root/analyzers"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}
status=0
summary=()
for t in "${targets[@]}"; do
    seed "$t"
    mkdir -p "$B/corpus/$t" "$B/artifacts/$t"
    dict=()
    [ -f "fuzz/dicts/$t.dict" ] && dict=(-dict="fuzz/dicts/$t.dict")
    log="$B/$t.log"
    echo "fuzz: running $t for ${seconds} s" >&2
    set +e
    "$B/bin/$t" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2560 -max_len=65536 \
        -artifact_prefix="$B/artifacts/$t/" "${dict[@]}" "$B/corpus/$t" "$B/seeds/$t" >"$log" 2>&1
    rc=$?
    set -e
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
    line="$t: ${execs:-?} execs in ${seconds} s (${rate:-?}/s, coverage ${cov:-?} edges), exit $rc"
    if [ "$rc" -ne 0 ]; then
        status=1
        grep -E 'ERROR|SUMMARY|fuzz property failed|Fatal error|Test unit written' "$log" | head -n 20 >&2 || true
        line="$line: see $log and $B/artifacts/$t/"
    fi
    echo "fuzz: $line"
    summary+=("$line")
done
[ ${#summary[@]} -le 1 ] || printf 'fuzz: summary: %s\n' "${summary[@]}"
exit $status
