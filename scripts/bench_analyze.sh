#!/usr/bin/env bash
# End-to-end benchmark of `analyze` (issue: <= 1.0 s wall per photo on 2
# cores, peak RSS <= 800 MB): a generated 4-session course of 12 MP JPEG
# photos, analysed with 2 threads; prints each stage's time, the ratio to
# plain JPEG decoding of the same photos, and the peak RSS.
# BUILD_DIR defaults to build/ (Release); WORK to /tmp/skintrack_bench.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
work=${WORK:-/tmp/skintrack_bench}
threads=${THREADS:-2}
cmake --build "$build" --target bench_analyze skingen -j2 >/dev/null
mkdir -p "$work"
if [[ ! -f $work/photo-12mp/truth.json ]]; then
  echo "generating a 4-session 12 MP series in $work/photo-12mp ..."
  "$build/samples/generator/skingen" photo "$work/photo-12mp" --seed 1201 --size 4000x3000 --pixel-mm 0.02
fi
rm -rf "$work/out"
/usr/bin/time -v "$build/bench_analyze" "$work/photo-12mp" "$work/out" "$threads" 2>"$work/time.txt"
grep -E "Maximum resident set size|Elapsed \(wall clock\)" "$work/time.txt"
rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/time.txt")
echo "peak RSS $((rss_kb / 1024)) MB (target <= 800 MB)"
