#!/usr/bin/env bash
# Builds Release and runs the registration benchmark (bench/bench_register.c):
# a 12 MP RGB pair registered and warped end to end on 2 threads, time per
# step. FFTW wisdom is measured once into $BUILD_DIR/bench_register.wisdom
# (untimed warm-up) and reused. Extra arguments go to the benchmark
# (-j N, --size WxH, --reps N). Run it on a quiet machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
BUILD_DIR=$build BUILD_TYPE=Release bash "$root/scripts/build.sh" >/dev/null
"$build/bench_register" --wisdom "$build/bench_register.wisdom" -j 2 "$@"
