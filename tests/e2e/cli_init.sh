#!/usr/bin/env bash
# Issue 21, `skintrack init DIR`: a series.json skeleton from the photos found
# (sessions in date order, same-date photos one session, files, placeholders),
# never over an existing one without --force, and loading with analyze as
# written: the same measurements as the bare folder of photos.
set -uo pipefail
work=$ST_TEST_TMP/cli_init
rm -rf "$work"; mkdir -p "$work"
fail=0
bad() { echo "FAIL $*"; fail=1; }
gen=$ST_BUILD_DIR/samples/generator/skingen
[[ -x $gen ]] || { echo "no generator $gen"; exit 77; }
py=/usr/bin/python3
"$gen" photo "$work/gen" --seed 3 --size 480x360 --sessions 3 >/dev/null
s=$work/s; mkdir -p "$s"
# Dates in two forms; a repeat shot of the second session; a note file.
cp "$work/gen/2026-01-05.jpg" "$s/2026-01-05.jpg"
cp "$work/gen/2026-02-09.jpg" "$s/09.02.2026 a.jpg"
cp "$work/gen/2026-02-09.jpg" "$s/2026_02_09 b.jpg"
cp "$work/gen/2026-03-16.jpg" "$s/visit 2026-03-16.jpg"
echo "notes" >"$s/notes.txt"
cp -r "$s" "$work/bare"

got=0; "$ST_CLI" init "$s" >/dev/null 2>"$work/err" || got=$?
[[ $got -eq 0 ]] || bad "init: status $got: $(cat "$work/err")"
grep -q "wrote $s/series.json: 3 sessions, 4 photos" "$work/err" || bad "init summary: $(cat "$work/err")"
$py - "$s/series.json" <<'PY' || bad "the skeleton is not what the folder holds: $(cat "$s/series.json")"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["patient"] == "" and m["area"] == "" and m["modality"] == "photo", m
assert m["pixel_mm"] is None and m["roi"] is None, m
got = [(x.get("date"), x["label"], x["files"]) for x in m["sessions"]]
want = [("2026-01-05", "baseline", ["2026-01-05.jpg"]),
        ("2026-02-09", "session 1", ["09.02.2026 a.jpg", "2026_02_09 b.jpg"]),
        ("2026-03-16", "session 2", ["visit 2026-03-16.jpg"])]
assert got == want, got
PY
cp "$s/series.json" "$work/first.json"

# An existing series.json is left as it is (exit 2, named); --force replaces it.
echo '{"pixel_mm": "x"}' >"$s/series.json"   # not even valid: --force reads only the photos
got=0; "$ST_CLI" init "$s" >/dev/null 2>"$work/err" || got=$?
[[ $got -eq 2 ]] || bad "init over an existing series.json: status $got (want 2)"
grep -q "$s/series.json exists" "$work/err" || bad "the refusal does not name the file: $(cat "$work/err")"
[[ $(cat "$s/series.json") == '{"pixel_mm": "x"}' ]] || bad "init changed an existing series.json"
"$ST_CLI" init --force "$s" 2>"$work/err" || bad "init --force: $(cat "$work/err")"
cmp -s "$work/first.json" "$s/series.json" || bad "init --force wrote another skeleton"
got=0; "$ST_CLI" init "$work/nonexist" >/dev/null 2>"$work/err" || got=$?
[[ $got -eq 2 && ! -e $work/nonexist ]] || bad "init on a missing folder: status $got"

# 16-bit gray PNGs: a height series, its scale a placeholder.
mkdir -p "$work/h" && cp "$ST_SRC_DIR"/samples/demo/height-scars/*.png "$work/h/"
"$ST_CLI" init -q "$work/h" 2>"$work/err" || bad "init of height maps: $(cat "$work/err")"
[[ ! -s $work/err ]] || bad "init -q printed: $(cat "$work/err")"
$py -c 'import json,sys; m=json.load(open(sys.argv[1])); assert m["modality"] == "height" and m["height_um_per_unit"] is None and len(m["sessions"]) == 3, m' \
  "$work/h/series.json" || bad "height maps: $(cat "$work/h/series.json")"

# The skeleton loads with analyze, and measures as the bare folder does.
"$ST_CLI" analyze "$s" -o "$work/with" -j2 --no-report --no-images 2>"$work/err" || bad "analyze with the skeleton: $(cat "$work/err")"
"$ST_CLI" analyze "$work/bare" -o "$work/without" -j2 --no-report --no-images 2>/dev/null || bad "analyze of the bare folder"
$py - "$work/with/metrics.json" "$work/without/metrics.json" <<'PY' || bad "the skeleton changes the measurements"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert [s["files"] for s in a["sessions"]] == [s["files"] for s in b["sessions"]]
assert [s["date"] for s in a["sessions"]] == ["2026-01-05", "2026-02-09", "2026-03-16"]
for x, y in zip(a["sessions"], b["sessions"]):
    assert x["metrics"] == y["metrics"] and x.get("change") == y.get("change"), x["index"]
print(f"ok   analyze with the skeleton: {sum(len(s['metrics']) for s in a['sessions'])} values as without it")
PY
exit $fail
