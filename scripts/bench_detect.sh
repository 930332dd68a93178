#!/usr/bin/env bash
# Builds Release and runs the detection benchmark (bench/bench_detect.c):
# all detection families on a generated 12 MP photo and on a 12 MP height
# map with the time of each family, and photometric stereo of four 12 MP
# images. Extra arguments go to
# the benchmark (e.g. --reps 5, --threads 2, --small). Run it on a quiet
# machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$root/build} BUILD_TYPE=Release bash "$root/scripts/build.sh" >/dev/null
"${BUILD_DIR:-$root/build}/bench_detect" "$@"
