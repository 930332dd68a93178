#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs the whole
# suite twice, once as released (Release) and once under AddressSanitizer +
# UndefinedBehaviorSanitizer. Exits non-zero if anything fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh --test
jobs=$(nproc)

echo "== Release build and tests"
BUILD_DIR=$root/build bash scripts/build.sh
(cd build && ctest --output-on-failure -j "$jobs")

echo "== ASan + UBSan build and tests"
BUILD_DIR=$root/build-asan BUILD_TYPE=RelWithDebInfo bash scripts/build.sh -DSKINTRACK_SANITIZE=ON
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ST_SANITIZED=1 \
  ctest --output-on-failure -j "$jobs" -LE slow)
