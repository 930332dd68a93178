#!/usr/bin/env bash
# The committed demo batch (samples/demo) regenerates byte for byte.
set -euo pipefail
gen=$ST_BUILD_DIR/samples/generator/skingen
[[ -x $gen ]] || { echo "skingen not built"; exit 1; }
work=$ST_TEST_TMP/generator_samples
rm -rf "$work"
mkdir -p "$work"
"$gen" demo "$work/a" >/dev/null
(cd "$ST_SRC_DIR/samples/demo" && find . -type f | sort | xargs sha256sum) >"$work/committed.sha"
(cd "$work/a" && find . -type f | sort | xargs sha256sum) >"$work/regenerated.sha"
if ! diff -u "$work/committed.sha" "$work/regenerated.sha"; then
  echo "samples/demo does not match the generator's output (run scripts/make_samples.sh)"
  exit 1
fi
n=$(wc -l <"$work/committed.sha")
[[ $n -ge 20 ]] || { echo "only $n files in samples/demo"; exit 1; }
echo "samples/demo: $n files regenerate identically"

# Every demo series keeps its ROI inside every session's frame (so the
# analyser can measure the same patch), the baseline matrix is the identity,
# and series.json's dates and files match truth.json's.
python3 - "$ST_SRC_DIR/samples/demo" <<'PY'
import json, os, sys
root = sys.argv[1]
for name in sorted(os.listdir(root)):
    d = os.path.join(root, name)
    if not os.path.isdir(d):
        continue
    t = json.load(open(os.path.join(d, "truth.json")))
    s = json.load(open(os.path.join(d, "series.json")))
    x, y, w, h = t["roi"]
    assert [[1, 0, 0], [0, 1, 0], [0, 0, 1]] == t["sessions"][0]["matrix"], name
    for ts, ss in zip(t["sessions"], s["sessions"]):
        assert ts["date"] == ss["date"] and ts["files"] == ss["files"], (name, ts["date"])
        for f in ts["files"]:
            assert os.path.isfile(os.path.join(d, f)), (name, f)
        m = ts["matrix"]
        # baseline ROI corners -> session pixels through M^-1 (solve M p = q)
        det = (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
               + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]))
        inv = [[(m[(j + 1) % 3][(i + 1) % 3] * m[(j + 2) % 3][(i + 2) % 3]
                 - m[(j + 1) % 3][(i + 2) % 3] * m[(j + 2) % 3][(i + 1) % 3]) / det for j in range(3)] for i in range(3)]
        cw, ch = ts["camera"]["size"]
        for cx, cy in [(x, y), (x + w - 1, y), (x, y + h - 1), (x + w - 1, y + h - 1)]:
            v = [inv[r][0] * cx + inv[r][1] * cy + inv[r][2] for r in range(3)]
            sx, sy = v[0] / v[2], v[1] / v[2]
            assert 0 <= sx <= cw - 1 and 0 <= sy <= ch - 1, (name, ts["date"], sx, sy)
    assert len(t["sessions"]) == len(s["sessions"]) >= 3, name
print("demo series: ROI visible in every session, dates and files consistent")
PY
