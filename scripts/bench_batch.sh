#!/usr/bin/env bash
# Batch throughput (issue 10): N generated series x 4 sessions, analysed with
# -j 1 and -j 2; photos per second, scaling efficiency, peak RSS; then a
# re-run with nothing changed and its share of the first run's time.
#   scripts/bench_batch.sh [SERIES] [WxH]      default: 20 series of 4000x3000 (12 MP)
# The data is generated once into build/bench-data/batch-<N>-<WxH>/ (not in git).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
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
photos=$((n * 4))
out=$(mktemp -d "$build/bench-batch-out.XXXXXX")
trap 'rm -rf "$out"' EXIT

run() { # label, -j, output dir -> prints wall seconds and peak RSS (MB)
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$cli" batch "$data" -o "$3" -j "$2" 2>"$out/$1.err" || true
  read -r wall rss <"$out/time.txt"
  echo "$wall $((rss / 1024))"
}
echo "batch benchmark: $n series x 4 sessions of $size = $photos photos ($(nproc) cores)"
read -r t1 m1 < <(run j1 1 "$out/j1")
printf '  -j 1: %8.1f s  %6.2f photos/s  peak RSS %d MB\n' "$t1" "$(echo "$photos / $t1" | bc -l)" "$m1"
read -r t2 m2 < <(run j2 2 "$out/j2")
printf '  -j 2: %8.1f s  %6.2f photos/s  peak RSS %d MB\n' "$t2" "$(echo "$photos / $t2" | bc -l)" "$m2"
printf '  scaling efficiency (-j 2 vs -j 1): %.0f %%\n' "$(echo "100 * $t1 / (2 * $t2)" | bc -l)"
read -r t3 m3 < <(run rerun 2 "$out/j2")
printf '  re-run, nothing changed: %.2f s = %.2f %% of the first -j 2 run (%s)\n' "$t3" \
  "$(echo "100 * $t3 / $t2" | bc -l)" "$(grep -o '[0-9]* skipped' "$out/rerun.err")"
same=$(cd "$out" && for d in j1/*/; do cmp -s "$d/metrics.json" "j2/$(basename "$d")/metrics.json" || echo x; done | wc -l)
echo "  metrics.json identical between -j 1 and -j 2: $([ "$same" -eq 0 ] && echo yes || echo "no ($same differ)")"
