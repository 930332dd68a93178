#!/usr/bin/env bash
# analyze on a series of HEIC photos, end to end. The generator's photo
# series, decoded to PNG and converted by libheif's heif-enc (x265, quality
# 95, 4:4:4: at most 3/255 per sample), gives the same sessions and, within
# the codec's error, the same metrics as the PNGs; the same photos under
# undated names and without series.json are dated from their EXIF
# DateTimeOriginal (the HEIF Exif item), not by name. (From the JPEGs
# directly, heif-enc reads JPEG's subsampled chroma itself: up to 114/255
# off at the chart's edges, which is heif-enc's doing, not the decoder's.)
# Skips (77) without heif-enc (Debian libheif-examples).
set -euo pipefail
command -v heif-enc >/dev/null || { echo "heif-enc (libheif-examples) not installed: skipped"; exit 77; }
gen="$ST_BUILD_DIR/samples/generator/skingen"
[ -x "$gen" ] || { echo "skingen not built"; exit 1; }
py=/usr/bin/python3
tmp="$ST_TEST_TMP/e2e_heic_series"
rm -rf "$tmp"
mkdir -p "$tmp/png" "$tmp/heic" "$tmp/undated"
"$gen" photo "$tmp/jpg" --seed 5 --size 640x480 --sessions 3 >/dev/null

# Undated names in the reverse order of the dates: visit_c is the baseline.
names=(visit_c visit_b visit_a)
i=0
for f in "$tmp"/jpg/2026-*.jpg; do
  b=$(basename "$f" .jpg)
  "$py" -c 'import sys; from PIL import Image; Image.open(sys.argv[1]).convert("RGB").save(sys.argv[2])' \
    "$f" "$tmp/png/$b.png"
  heif-enc -q 95 -p chroma=444 "$tmp/png/$b.png" -o "$tmp/heic/$b.heic" >/dev/null
  # The date goes into EXIF (PIL), which heif-enc copies into the Exif item.
  "$py" - "$f" "$tmp/undated/${names[$i]}.jpg" "${b//-/:} 09:30:00" <<'PY'
import sys
from PIL import Image
exif = Image.Exif()
exif[0x8769] = {0x9003: sys.argv[3]}  # EXIF IFD: DateTimeOriginal
Image.open(sys.argv[1]).save(sys.argv[2], quality=95, exif=exif.tobytes())
PY
  heif-enc -q 95 -p chroma=444 "$tmp/undated/${names[$i]}.jpg" -o "$tmp/undated/${names[$i]}.heic" >/dev/null
  rm "$tmp/undated/${names[$i]}.jpg"
  i=$((i + 1))
done
sed 's/\.jpg"/.heic"/g' "$tmp/jpg/series.json" >"$tmp/heic/series.json"
sed 's/\.jpg"/.png"/g' "$tmp/jpg/series.json" >"$tmp/png/series.json"

"$ST_CLI" analyze "$tmp/png" -o "$tmp/out_png" 2>"$tmp/png.err" || { cat "$tmp/png.err"; exit 1; }
"$ST_CLI" analyze "$tmp/heic" -o "$tmp/out_heic" 2>"$tmp/heic.err" || { cat "$tmp/heic.err"; exit 1; }
"$ST_CLI" analyze "$tmp/undated" -o "$tmp/out_undated" 2>"$tmp/undated.err" ||
  { cat "$tmp/undated.err"; exit 1; }

"$py" - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
load = lambda d: json.load(open(f"{tmp}/{d}/metrics.json"))
png, heic, und = load("out_png"), load("out_heic"), load("out_undated")
fail = []
sj, sh = png["sessions"], heic["sessions"]
if [s["date"] for s in sj] != [s["date"] for s in sh]:
    fail.append("session dates differ")
if [s["files"][0].replace(".png", ".heic") for s in sj] != [s["files"][0] for s in sh]:
    fail.append("session files differ")
worst = (0.0, "")
for a, b in zip(sj, sh):
    if a["status"] != b["status"]:
        fail.append(f"{b['files'][0]}: status {b['status']}, PNG {a['status']}")
    for k, va in a["metrics"].items():
        vb = b["metrics"].get(k, {}).get("value")
        va = va["value"]
        if vb is None or va is None:
            if vb != va:
                fail.append(f"{b['files'][0]} {k}: {vb} vs {va}")
            continue
        # x265 at quality 95: 5 % of the value or 2 % of the metric's own
        # scale, whichever is larger; counts are detections near a
        # threshold, so a count may move by 2, and what derives from the
        # pore count by 2 pores' worth.
        tol = max(0.05 * abs(va), 0.02 * max(1.0, abs(va)))
        if k.endswith(".count"):
            tol = max(tol, 2.0)
        if k.startswith("pores."):
            n = a["metrics"].get("pores.count", {}).get("value") or 1
            tol = max(tol, 2.0 * abs(va) / n)
        d = abs(va - vb)
        if d / max(tol, 1e-12) > worst[0]:
            worst = (d / max(tol, 1e-12), f"{k} session {a['index']}: {vb} vs {va}")
        if d > tol:
            fail.append(f"{b['files'][0]} {k}: HEIC {vb}, PNG {va}")
print(f"{len(sh)} sessions; largest metric difference {worst[0]:.2f} of its tolerance ({worst[1]})")
su = und["sessions"]
got = [(s["date"], s["files"][0]) for s in su]
want = [("2026-01-05", "visit_c.heic"), ("2026-02-09", "visit_b.heic"), ("2026-03-16", "visit_a.heic")]
if got != want:
    fail.append(f"undated series: sessions {got}, want {want} (EXIF dates)")
if any(s["status"] != "ok" for s in sh):
    fail.append("a HEIC session did not come out ok")
if fail:
    print("\n".join(fail))
    sys.exit(1)
PY
if grep -i "not an image" "$tmp/heic.err" | grep -q "\.heic"; then
  echo "a .heic file was ignored"; exit 1
fi
echo "heic_series e2e passed"
