#!/usr/bin/env bash
# Builds Release and runs the kernel benchmark (bench/bench_kernels.c): every
# kernel on every SIMD path with its speed-up over scalar, Gaussian blur
# against OpenCV on one thread, JPEG/PNG decode MP/s. Extra arguments go to
# the benchmark (e.g. --reps 7, --small). Run it on a quiet machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$root/build} BUILD_TYPE=Release bash "$root/scripts/build.sh" >/dev/null
"${BUILD_DIR:-$root/build}/bench_kernels" "$@"
