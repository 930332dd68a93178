#!/usr/bin/env bash
# Colour you can trust (issue 17), against the generator's chromophore skin
# (samples/generator/chromophore.c: a spectral model, not the analyser's):
# series whose camera exposure (0.85-1.15) and white balance (R, B +-10 %)
# change every session, with a ColorChecker on the skin:
# 1. a course (redder, then lighter): EI, MI changes within max(2 points,
#    25 % of the truth), ITA within 3 deg of the truth in every session;
# 2. the same skin every session: EI, MI within 2 %, ITA within 1 deg;
# 3. pigment-only and redness-only changes: roughness.sq and the pore
#    diameter move by at most 5 %;
# 4. no chart: colour "uncalibrated", the colour changes withheld;
# 5. no pixel_mm in series.json: pixel_mm from the chart within 2 %.
set -euo pipefail
: "${ST_CLI:?}" "${ST_SRC_DIR:?}" "${ST_BUILD_DIR:?}" "${ST_TEST_TMP:?}"
work=$ST_TEST_TMP/colour_accuracy
gen=$ST_BUILD_DIR/samples/generator/skingen
check=$ST_SRC_DIR/tests/e2e/colour_check.py
rm -rf "$work"
mkdir -p "$work"
status=0
run() { # NAME MODE SKINGEN-ARGS...
  local name=$1 mode=$2
  shift 2
  "$gen" colour "$work/$name" "$@" >/dev/null
  "$ST_CLI" analyze "$work/$name" -o "$work/$name.out" -j 2 --no-report 2>"$work/$name.log" ||
    { cat "$work/$name.log"; status=1; return; }
  echo "-- $name ($*)"
  python3 "$check" "$work/$name.out" "$work/$name" "$mode" || status=1
}
run course calibrated --seed 51 --change course
run same same --seed 61 --change none
run pigment relief-kept --seed 52 --change pigment
run redness relief-kept --seed 57 --change redness
run nochart uncalibrated --seed 53 --change course --no-chart
"$gen" colour "$work/px" --seed 54 --sessions 2 --no-pixel-mm >/dev/null
"$ST_CLI" analyze "$work/px" -o "$work/px.out" -j 2 --no-report --no-images 2>/dev/null || status=1
python3 - "$work/px.out/metrics.json" <<'PY' || status=1
import json, sys
px = json.load(open(sys.argv[1]))["series"]["pixel_mm"]
ok = px is not None and abs(px / 0.05 - 1) <= 0.02
print(("ok   " if ok else "FAIL ") + "pixel_mm %s from the chart (truth 0.05)" % px)
sys.exit(0 if ok else 1)
PY
exit $status
