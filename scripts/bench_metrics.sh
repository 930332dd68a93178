#!/usr/bin/env bash
# Metric benchmarks: prints the figures of each bench program of the metric
# families. BUILD_DIR defaults to build/ (Release).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
[ -x "$build/bench_surface" ] || cmake --build "$build" --target bench_surface -j2
# Surface family: 12 MP, 2 threads; 0.05 mm pixels (7500 tiles) and uncalibrated (64 px tiles).
"$build/bench_surface" 4000 3000 0.05 2 3
"$build/bench_surface" 4000 3000 0 2 3
