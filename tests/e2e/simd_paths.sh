#!/usr/bin/env bash
# Runs the kernel tests once per SIMD path, chosen through the environment
# (SKINTRACK_SIMD=scalar|sse2|avx2) as a user would; each test checks that
# the path it starts on is the one asked for (or the best below it).
set -euo pipefail
tests_dir="$ST_BUILD_DIR/tests"
found=0
for t in "$tests_dir"/test_simd_*; do
  [ -x "$t" ] || continue
  found=1
  for path in scalar sse2 avx2; do
    echo "== $(basename "$t") SKINTRACK_SIMD=$path"
    SKINTRACK_SIMD=$path "$t" >/dev/null || { echo "FAILED: $(basename "$t") on $path"; exit 1; }
  done
done
[ "$found" = 1 ] || { echo "no test_simd_* programs in $tests_dir"; exit 1; }
echo "all kernel tests passed on every path"
