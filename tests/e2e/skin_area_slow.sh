#!/usr/bin/env bash
# The automatic skin area (issue 19, SPEC.md "Automatic skin area"):
# 1. bare folders (series.json without roi) of generated series (skingen
#    photo, colour, colour --no-chart): roi_source "auto", the chart outside
#    the patch, and every change the manifest run reports within 5 points of
#    it, except the metrics compare_changes.py names as not comparable
#    between two patches of the same skin (with the reason and the figures);
# 2. the same JPEG as two sessions: every change exactly 0;
# 3. the same photo turned by 3 deg and shifted (4, -3) px (scikit-image's
#    bicubic warp; skipped without python3-skimage): roughness.sq within 2 %,
#    pores.mean_diameter_mm within 4 %;
# 4. a real face photo (scikit-image's astronaut) with "area": "left cheek":
#    roi_source "face:left cheek", the patch on the image's right half of the
#    face; the same photo twice reads no change.
set -euo pipefail
: "${ST_CLI:?}" "${ST_SRC_DIR:?}" "${ST_BUILD_DIR:?}" "${ST_TEST_TMP:?}"
work=$ST_TEST_TMP/skin_area
gen=$ST_BUILD_DIR/samples/generator/skingen
rm -rf "$work"
mkdir -p "$work"
status=0
py=/usr/bin/python3
analyze() { # DIR OUT [args]
  local d=$1 o=$2
  shift 2
  "$ST_CLI" analyze "$d" -o "$o" -j 2 --no-report "$@" 2>"$o.log" || { cat "$o.log"; status=1; }
}

# 1. bare folder vs manifest
for kind in photo colour colour-nochart; do
  args=$kind
  [[ $kind == colour-nochart ]] && args=colour
  extra=()
  [[ $kind == colour-nochart ]] && extra=(--no-chart)
  "$gen" $args "$work/$kind" "${extra[@]}" >/dev/null
  cp -r "$work/$kind" "$work/$kind-bare"
  python3 - "$work/$kind-bare/series.json" <<'PY'
import json, sys
p = sys.argv[1]; d = json.load(open(p)); d.pop("roi", None); json.dump(d, open(p, "w"))
PY
  analyze "$work/$kind" "$work/$kind.out" --no-images
  analyze "$work/$kind-bare" "$work/$kind-bare.out"
  python3 "$ST_SRC_DIR/tests/e2e/compare_changes.py" "$kind" "$work/$kind.out/metrics.json" \
    "$work/$kind-bare.out/metrics.json" "$work/$kind/truth.json" || status=1
  test -s "$work/$kind-bare.out/images/session_00_area.jpg" || { echo "FAIL no area image"; status=1; }
done

# 2. and 3. the same photo, and the same photo turned and shifted
same_check() { # OUT MODE
  python3 - "$1/metrics.json" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); mode = sys.argv[2]
ch = d["sessions"][1].get("change", {})
if mode == "same":
    nz = {k: v for k, v in ch.items() if v != 0}
    print(("ok  " if not nz else "FAIL") + f" same photo twice: {len(ch)} changes, non-zero: {nz}")
    sys.exit(1 if nz or not ch else 0)
lim = {"roughness.sq": 2.0, "pores.mean_diameter_mm": 4.0}
bad = 0
for k, l in lim.items():
    v = ch.get(k)
    ok = v is not None and abs(v) <= l
    print(f"{'ok  ' if ok else 'FAIL'} turned 3 deg, shifted: {k} {v:+.2f} % (limit {l} %)")
    bad += not ok
sys.exit(1 if bad else 0)
PY
}
base=$work/photo/2026-01-05.jpg
mkdir -p "$work/same"
cp "$base" "$work/same/2026-01-05.jpg"
cp "$base" "$work/same/2026-02-09.jpg"
analyze "$work/same" "$work/same.out" --no-images --pixel-mm 0.05
same_check "$work/same.out" same || status=1
if $py -c "import skimage" 2>/dev/null; then
  $py "$ST_SRC_DIR/tests/e2e/turn_copy.py" "$base" "$work/turned" 3 4 -3
  analyze "$work/turned" "$work/turned.out" --no-images --pixel-mm 0.05
  same_check "$work/turned.out" turned || status=1
else
  echo "skipped: turned copy (python3-skimage not installed)"
fi

# 4. a real face photo
face=/usr/lib/python3/dist-packages/skimage/data/astronaut.png
model=/usr/share/dlib/shape_predictor_68_face_landmarks.dat
if [[ -r $face && -r $model ]] && $py -c "import skimage" 2>/dev/null; then
  mkdir -p "$work/face"
  cp "$face" "$work/face/2026-01-05.png"
  cp "$face" "$work/face/2026-02-09.png"
  echo '{"area": "left cheek"}' >"$work/face/series.json"
  analyze "$work/face" "$work/face.out"
  python3 - "$work/face.out/metrics.json" <<'PY' || status=1
import json, sys
d = json.load(open(sys.argv[1]))
src, roi = d["series"].get("roi_source"), d["series"]["roi"]
ch = d["sessions"][1].get("change", {})
nz = {k: v for k, v in ch.items() if v != 0}
# the patient's left cheek: right of the nose (x 224) and between the eyes'
# and the mouth's level (y 105-150) in the 512 x 512 astronaut
ok = src == "face:left cheek" and roi[0] > 224 and roi[0] + roi[2] < 275 and roi[1] > 105 and roi[1] + roi[3] < 150
print(f"{'ok  ' if ok else 'FAIL'} astronaut: roi_source {src}, roi {roi}")
print(f"{'ok  ' if not nz else 'FAIL'} astronaut twice: non-zero changes {nz}")
sys.exit(0 if ok and not nz else 1)
PY
else
  echo "skipped: face photo (needs libdlib-data's model and python3-skimage's astronaut)"
fi
exit $status
