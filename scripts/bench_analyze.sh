#!/usr/bin/env bash
# End-to-end benchmark of `analyze` (issue 23): a generated 4-session course
# of 12 MP JPEG photos, WHOLE FRAMES (no ROI in series.json: the automatic
# skin area, as in a clinic's bare folder), analysed with 2 threads; prints
# each stage's wall and CPU time, the ratio to plain JPEG decoding of the
# same photos in the same run, and the peak RSS.
#   scripts/bench_analyze.sh [--roi] [--24mp]
#     --roi   the generator's quarter-frame ROI (2000x1500 of 4000x3000) kept
#     --24mp  a 6000x4000 series instead (memory scaling: peak RSS vs 12 MP)
# BUILD_DIR defaults to build/ (Release); WORK to /tmp/skintrack_bench;
# THREADS to 2. On a shared machine compare CPU seconds, not wall.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
work=${WORK:-/tmp/skintrack_bench}
threads=${THREADS:-2}
roi=0 size=4000x3000 px=0.02 seed=1201 name=12mp
for a in "$@"; do
  case $a in
    --roi) roi=1 ;;
    --24mp) size=6000x4000 px=0.0133 seed=2401 name=24mp ;;
    *) echo "usage: $0 [--roi] [--24mp]" >&2; exit 2 ;;
  esac
done
cmake --build "$build" --target bench_analyze skingen -j2 >/dev/null
mkdir -p "$work"
gen=$work/photo-$name
if [[ ! -f $gen/truth.json ]]; then
  echo "generating a 4-session $size series in $gen ..."
  "$build/samples/generator/skingen" photo "$gen" --seed "$seed" --size "$size" --pixel-mm "$px"
fi
series=$gen
if [[ $roi == 0 ]]; then # the same photos, the ROI taken out of series.json
  series=$work/whole-$name
  mkdir -p "$series"
  for f in "$gen"/*.jpg; do ln -f "$f" "$series/" 2>/dev/null || cp -f "$f" "$series/"; done
  sed '/^[[:space:]]*"roi":/d' "$gen/series.json" >"$series/series.json"
fi
echo "series $series ($([[ $roi == 1 ]] && echo "quarter-frame ROI" || echo "whole frames")), load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
rm -rf "$work/out"
/usr/bin/time -v "$build/bench_analyze" "$series" "$work/out" "$threads" 2>"$work/time.txt"
grep -E "Elapsed \(wall clock\)" "$work/time.txt"
rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/time.txt")
echo "peak RSS $((rss_kb / 1024)) MB (target <= 600 MB at -j 2; 24 MP within 1.2x of 12 MP)"
