#!/usr/bin/env bash
# Keeps the fuzz targets alive in CI: builds them with clang (ASan + UBSan +
# libFuzzer) and runs every tests/fuzz/fuzz_*.c target for 10 s from its
# committed seeds. Fails on any crash, leak, UB or timeout. Skips (exit 0)
# when clang is not installed.
set -euo pipefail
src=${ST_SRC_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if ! command -v clang >/dev/null || ! command -v clang++ >/dev/null; then
  echo "SKIP: clang/clang++ not installed; fuzz targets not run"
  exit 0
fi
build=${ST_BUILD_DIR:-$src/build}/fuzz
BUILD_DIR=$build FUZZ_JOBS=2 bash "$src/scripts/fuzz.sh" 10
