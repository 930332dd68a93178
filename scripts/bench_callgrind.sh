#!/usr/bin/env bash
# Instruction counts of every kernel on every SIMD path under callgrind
# (independent of machine load): bench_kernels --small (1000x750), counted
# inside the timed function only, two calls each (warm-up + 1 run).
# Prints instructions per pixel and the ratio scalar / path.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
BUILD_DIR=$build BUILD_TYPE=Release bash "$root/scripts/build.sh" >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
kernels=${KERNELS:-"srgb_to_linear luminance srgb_to_lab gaussian_s=2 gaussian_s=8 box integral sobel scharr laplacian downsample2x warp"}
printf '%-16s %-7s %14s %10s %9s\n' kernel path instructions "instr/px" "x scalar"
for k in $kernels; do
  name=${k//_s=/ s=}
  base=""
  for p in scalar sse2 avx2; do
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" --toggle-collect=time_it \
      "$build/bench_kernels" --small --reps 1 --only "$name" --path "$p" >/dev/null 2>"$tmp/log" || true
    n=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/log")
    [ -n "$n" ] || { echo "$k $p: callgrind failed"; continue; }
    [ -n "$base" ] || base=$n
    # "warp" matches the 1- and 2-thread runs: four calls
    calls=2; [ "$k" = warp ] && calls=4
    awk -v k="$k" -v p="$p" -v n="$n" -v b="$base" -v c="$calls" \
      'BEGIN { printf "%-16s %-7s %14d %10.2f %9.2f\n", k, p, n, n / (c * 750000), b / n }'
  done
done
