#!/usr/bin/env bash
# Batch throughput (issues 10, 23): N generated series x 4 sessions, analysed
# with -j 1 and -j 2; photos per second, CPU seconds per photo, scaling
# efficiency, peak RSS; then a re-run with nothing changed and its share of
# the first run's time. Whole frames by default (the generator's ROI taken
# out of series.json: the automatic skin area, as in a clinic's bare folder).
#   scripts/bench_batch.sh [--roi] [SERIES] [WxH]   default: 20 series of 4000x3000 (12 MP)
#     --roi   keep the generator's quarter-frame ROI
# The data is generated once into build/bench-data/batch-<N>-<WxH>/ (not in git).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
roi=0
if [[ ${1:-} == --roi ]]; then roi=1; shift; fi
n=${1:-20}
size=${2:-4000x3000}
build=${BUILD_DIR:-$root/build}
BUILD_DIR=$build bash "$root/scripts/build.sh" >/dev/null
cli=$build/skintrack
gen=$build/samples/generator/skingen
data=$build/bench-data/batch-$n-$size
if [[ ! -f $data/.complete ]]; then
  rm -rf "$data"; mkdir -p "$data"
  for i in $(seq 1 "$n"); do
    "$gen" photo "$data/p$(printf %03d "$i")" --seed "$i" --size "$size" --sessions 4 >/dev/null
  done
  touch "$data/.complete"
fi
if [[ $roi == 0 ]]; then # the same photos, each series.json without its ROI
  whole=$data-whole
  if [[ ! -f $whole/.complete ]]; then
    rm -rf "$whole"
    for d in "$data"/p*/; do
      w=$whole/$(basename "$d"); mkdir -p "$w"
      for f in "$d"*.jpg; do ln -f "$f" "$w/" 2>/dev/null || cp -f "$f" "$w/"; done
      sed '/^[[:space:]]*"roi":/d' "$d/series.json" >"$w/series.json"
    done
    touch "$whole/.complete"
  fi
  data=$whole
fi
photos=$((n * 4))
out=$(mktemp -d "$build/bench-batch-out.XXXXXX")
trap 'rm -rf "$out"' EXIT

run() { # label, -j, output dir -> prints wall seconds, peak RSS (MB), CPU seconds
  /usr/bin/time -f "%e %M %U %S" -o "$out/time.txt" "$cli" batch "$data" -o "$3" -j "$2" 2>"$out/$1.err" || true
  read -r wall rss user sys <"$out/time.txt"
  echo "$wall $((rss / 1024)) $(echo "$user + $sys" | bc -l)"
}
echo "batch benchmark: $n series x 4 sessions of $size = $photos photos, $([[ $roi == 1 ]] && echo "quarter-frame ROI" || echo "whole frames") ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
read -r t1 m1 c1 < <(run j1 1 "$out/j1")
printf '  -j 1: %8.1f s  %6.2f photos/s  %6.2f CPU s/photo  peak RSS %d MB\n' "$t1" "$(echo "$photos / $t1" | bc -l)" \
  "$(echo "$c1 / $photos" | bc -l)" "$m1"
read -r t2 m2 c2 < <(run j2 2 "$out/j2")
printf '  -j 2: %8.1f s  %6.2f photos/s  %6.2f CPU s/photo  peak RSS %d MB\n' "$t2" "$(echo "$photos / $t2" | bc -l)" \
  "$(echo "$c2 / $photos" | bc -l)" "$m2"
printf '  scaling efficiency (-j 2 vs -j 1): %.0f %%\n' "$(echo "100 * $t1 / (2 * $t2)" | bc -l)"
read -r t3 m3 c3 < <(run rerun 2 "$out/j2")
printf '  re-run, nothing changed: %.2f s = %.2f %% of the first -j 2 run (%s)\n' "$t3" \
  "$(echo "100 * $t3 / $t2" | bc -l)" "$(grep -o '[0-9]* skipped' "$out/rerun.err")"
same=$(cd "$out" && for d in j1/*/; do cmp -s "$d/metrics.json" "j2/$(basename "$d")/metrics.json" || echo x; done | wc -l)
echo "  metrics.json identical between -j 1 and -j 2: $([ "$same" -eq 0 ] && echo yes || echo "no ($same differ)")"
