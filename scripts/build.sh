#!/usr/bin/env bash
# Configures and builds skintrack into BUILD_DIR (default build/, Release).
# Extra arguments go to cmake, e.g. -DSKINTRACK_SANITIZE=ON.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-Release} "$@" >"$build.cmake.log" 2>&1 ||
  { cat "$build.cmake.log"; exit 1; }
cmake --build "$build" -j "$(nproc)"
