#!/usr/bin/env bash
# skintrack analyze on a generated 4-session photo course (camera motion,
# light and white-balance change, known remodelling): registration, percent
# changes and the remodeling interval against truth.json, and byte-identical
# metrics.json / metrics.csv with -j 1 and -j 2.
set -euo pipefail
gen=$ST_BUILD_DIR/samples/generator/skingen
[[ -x $gen ]] || { echo "skingen not built"; exit 1; }
work=$ST_TEST_TMP/analyze_accuracy
rm -rf "$work"
mkdir -p "$work"
"$gen" photo "$work/course" --seed 7 --size 1200x900 --pixel-mm 0.04 >/dev/null

status=0
"$ST_CLI" analyze "$work/course" -o "$work/j1" -j 1 2>"$work/j1.log" || status=$?
cat "$work/j1.log"
[[ $status -eq 0 ]] || { echo "exit status $status, expected 0"; exit 1; }
"$ST_CLI" analyze "$work/course" -o "$work/j2" -j 2 --no-images 2>/dev/null
cmp "$work/j1/metrics.json" "$work/j2/metrics.json"
cmp "$work/j1/metrics.csv" "$work/j2/metrics.csv"
echo "ok   metrics.json and metrics.csv identical with -j 1 and -j 2"
[[ -s $work/j1/images/session_00_aligned.jpg && -s $work/j1/images/session_03_overlay.jpg ]]
python3 "$ST_SRC_DIR/tests/e2e/analyze_check.py" "$work/j1/metrics.json" "$work/course/truth.json"
