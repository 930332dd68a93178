#!/usr/bin/env bash
# skintrack analyze against the generator's ground truth (truth.json):
# 1. the height-map scar course of samples/demo (3 sessions, camera moved and
#    turned between sessions, known remodelling): registration matrices
#    within 0.5 px at the corners, percent change of roughness.sq,
#    pores.mean_diameter_mm, scars.max_depth and scars.volume within 5
#    points of the truth, the remodeling interval containing the index of
#    the true changes; metrics.json / metrics.csv identical with -j 1, -j 2;
# 2. a 4-session photometric-stereo course made here by skingen (camera moved
#    and turned every session, four light directions per session, the lamps'
#    power and colour changed between sessions, known remodelling): heights
#    in um come from the photos, so the same checks as 1;
# 3. the demo photo course (4 sessions; camera motion with perspective, light
#    direction, exposure and white balance changed between sessions): every
#    session registered within 0.5 px and measured, report written; the pore
#    diameter's change within 5 points (pores are dark marks on a photo); the
#    erythema and melanin indices' changes within max(2 points, 25 %) of the
#    truth and ITA within 3 deg (colour calibrated on the chart); the scar
#    count and area changes withheld in every session (its scars found are
#    not the baseline's) and scars out of the remodeling index;
#    the other percent changes are printed beside the truth (photos give
#    luminance indices of the relief, not heights, so they are not asserted).
set -euo pipefail
work=$ST_TEST_TMP/analyze_accuracy
check=$ST_SRC_DIR/tests/e2e/analyze_check.py
rm -rf "$work"
mkdir -p "$work"

series=$ST_SRC_DIR/samples/demo/height-scars
"$ST_CLI" analyze "$series" -o "$work/h1" -j 1 2>"$work/h1.log" || { cat "$work/h1.log"; exit 1; }
"$ST_CLI" analyze "$series" -o "$work/h2" -j 2 --no-report 2>/dev/null
cmp "$work/h1/metrics.json" "$work/h2/metrics.json"
cmp "$work/h1/metrics.csv" "$work/h2/metrics.csv"
echo "ok   height course: metrics.json and metrics.csv identical with -j 1 and -j 2"
status=0
# pores.mean_diameter_mm on height maps follows the baseline's pores
# (analyzer/metrics/pores.c): each one's size now from the cube root of its
# fitted volume now over then. scars.volume is each scar's whole depression
# (analyzer/metrics/scars.c), as the truth integrates it.
python3 "$check" "$work/h1/metrics.json" "$series/truth.json" || status=1

stereo=$work/stereo-course
"$ST_BUILD_DIR/samples/generator/skingen" stereo "$stereo" --seed 23 --sessions 4 --light-change >/dev/null
"$ST_CLI" analyze "$stereo" -o "$work/s1" -j 2 --no-report 2>"$work/s1.log" || { cat "$work/s1.log"; exit 1; }
python3 "$check" "$work/s1/metrics.json" "$stereo/truth.json" || status=1

course=$ST_SRC_DIR/samples/demo/photo-course
"$ST_CLI" analyze "$course" -o "$work/p1" -j 2 2>"$work/p1.log" || { cat "$work/p1.log"; exit 1; }
[[ -s $work/p1/images/session_00_aligned.jpg && -s $work/p1/images/session_03_diff.jpg ]]
[[ -s $work/p1/report.html && -s $work/p1/report.pdf ]]
python3 "$check" "$work/p1/metrics.json" "$course/truth.json" --no-changes \
  --assert pores.mean_diameter_mm || status=1
# its scars: found 2 / 5 / 3 / 4 of the truth's 5 (rolling scars shade less
# than the texture), so the count and area changes compare different scars
# and are withheld with the numbers, never reported (issue 18)
python3 - "$work/p1/metrics.json" <<'PY' || status=1
import json, sys
m = json.load(open(sys.argv[1]))
fails = 0
for s in m["sessions"][1:]:
    nb, ns = len(m["sessions"][0]["detections"]["scars"]), len(s["detections"]["scars"])
    for k in ("scars.count", "scars.area_mm2", "scars.area_fraction"):
        why = s.get("withheld", {}).get(k, "")
        ok = (k not in s.get("change", {}) and why.startswith("scars found differ from the baseline's")
              and ("of its %d matched" % nb) in why)
        print(("ok   " if ok else "FAIL ") + "photo course session %d: %s withheld (%s); %d scars, baseline %d"
              % (s["index"], k, why or "not withheld", ns, nb))
        fails += not ok
if "scars" in m["progress"]["remodeling_index"]["families"]:
    print("FAIL photo course: the remodeling index uses withheld scar changes")
    fails += 1
sys.exit(1 if fails else 0)
PY
# its colour: redder after session 1, lighter later, with the light gradient
# changing between sessions (the chart lit unlike the skin)
python3 "$ST_SRC_DIR/tests/e2e/colour_check.py" "$work/p1" "$course" calibrated || status=1
exit $status
