#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and
# runs every target for SECONDS each (default 30), one after the other.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 1800 fuzz_png
# Targets are the tests/fuzz/fuzz_*.c files; each starts from its committed
# seeds tests/fuzz/corpus/<name>/ (name = target without "fuzz_") plus the
# inputs it found before (BUILD_DIR/corpus/<name>/, never the committed
# folder). A crash leaves its input in BUILD_DIR/artifacts/<name>/ and the
# script exits 1. Env: BUILD_DIR (default <repo>/build-fuzz), FUZZ_JOBS=1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-30}
shift || true
build=${BUILD_DIR:-$root/build-fuzz}

command -v clang >/dev/null && command -v clang++ >/dev/null ||
  { echo "fuzz: clang and clang++ are needed (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }

mkdir -p "$build"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSKINTRACK_FUZZ=ON -DSKINTRACK_BUILD_TESTS=OFF -DSKINTRACK_BUILD_SHARED=OFF \
  >"$build/cmake.log" 2>&1 || { cat "$build/cmake.log"; exit 1; }
cmake --build "$build" --target fuzz_all -j "${FUZZ_JOBS:-$(nproc)}" >"$build/build.log" 2>&1 ||
  { tail -50 "$build/build.log"; exit 1; }

if (($# > 0)); then
  targets=("$@")
else
  targets=()
  for src in "$root"/tests/fuzz/fuzz_*.c; do targets+=("$(basename "$src" .c)"); done
fi

status=0
for t in "${targets[@]}"; do
  name=${t#fuzz_}
  work="$build/corpus/$name" art="$build/artifacts/$name"
  mkdir -p "$work" "$art"
  args=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536
        -print_final_stats=1 -artifact_prefix="$art/")
  [[ -f "$root/tests/fuzz/$name.dict" ]] && args+=(-dict="$root/tests/fuzz/$name.dict")
  echo "== $t: ${secs}s"
  log="$build/$t.log"
  if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
     UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     "$build/tests/fuzz/$t" "${args[@]}" "$work" "$root/tests/fuzz/corpus/$name" >"$log" 2>&1; then
    { grep -E "^Done" "$log" || true; } | tr -s ' \n' ' '; echo
    { grep -E "#[0-9]+.*(cov|ft):" "$log" || true; } | tail -1
  else
    status=1
    echo "fuzz: $t FAILED; input in $art/, log $log" >&2
    { grep -E "ERROR|SUMMARY|Test unit written|Slowest unit" "$log" || true; } | head -20 >&2
  fi
done
exit $status
