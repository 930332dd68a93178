#!/usr/bin/env bash
# Series-level bad input through `skintrack analyze` (issue 11): each case
# breaks a copy of a small generated photo series (400x300, skingen) and
# checks the exit status of SPEC.md (0 all done, 1 some session failed,
# 2 bad usage or unreadable input), a one-line message naming the file and
# the cause, no crash or sanitizer report, no temporary left in OUT and,
# whenever metrics.json is written, that it is complete JSON naming the
# failed session.
set -uo pipefail
: "${ST_CLI:?}" "${ST_SRC_DIR:?}" "${ST_BUILD_DIR:?}" "${ST_TEST_TMP:?}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
work=$ST_TEST_TMP/robust_bad_input
util=$ST_SRC_DIR/tests/e2e/robust_util.py
gen=$ST_BUILD_DIR/samples/generator/skingen
rm -rf "$work"
mkdir -p "$work"
[[ -x $gen ]] || { echo "skingen not built"; exit 1; }
"$gen" photo "$work/base" --size 400x300 --seed 3 >/dev/null || { echo "skingen failed"; exit 1; }
rm -f "$work/base/truth.json"
"$gen" photo "$work/wide" --size 480x360 --seed 3 >/dev/null || { echo "skingen failed"; exit 1; }
fail=0

# fresh NAME: a copy of the good series as $work/NAME (prints the path)
fresh() { rm -rf "${work:?}/$1"; cp -r "$work/base" "$work/$1"; }
# manifest NAME PYTHON: edits $work/NAME/series.json (d = the parsed JSON)
manifest() {
  python3 - "$work/$1/series.json" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[2])
json.dump(d, open(sys.argv[1], "w"), ensure_ascii=False)
PY
}
# swap NAME OLD NEW: session file OLD renamed in the manifest to NEW
swap() { manifest "$1" "d['sessions'] = [dict(s, files=[f if f != '$2' else '$3' for f in s['files']]) for s in d['sessions']]"; }

# expect NAME STATUS PATTERN [ARGS...]: analyze $work/NAME into $work/NAME.out
expect() {
  local name=$1 want=$2 pattern=$3
  shift 3
  local dir=$work/$name out=$work/$name.out got=0
  rm -rf "$out"
  "$ST_CLI" analyze "$dir" -o "$out" --no-report "$@" >"$work/$name.stdout" 2>"$work/$name.err" || got=$?
  local why=""
  [[ $got -eq $want ]] || why="status $got (want $want)"
  grep -qF -- "$pattern" "$work/$name.err" || why="$why; no line with '$pattern'"
  grep -qE "Sanitizer|runtime error|Segmentation|Aborted|core dumped" "$work/$name.err" && why="$why; crash/sanitizer report"
  [[ $(grep -cF -- "$pattern" "$work/$name.err") -ge 1 ]] && [[ $(grep -F -- "$pattern" "$work/$name.err" | head -1 | wc -l) -eq 1 ]]
  if [[ -d $out ]] && find "$out" -name '.*' | grep -q .; then why="$why; temporary files left in OUT"; fi
  if [[ $want -le 1 ]]; then
    python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$out/metrics.json" 2>/dev/null || why="$why; no complete metrics.json"
  elif [[ -e $out/metrics.json ]]; then
    why="$why; metrics.json written for a refused series"
  fi
  if [[ -n $why ]]; then
    echo "FAIL $name: ${why#; }"
    sed 's/^/     | /' "$work/$name.err"
    fail=1
  else
    echo "ok   $name (exit $got): $(grep -F -- "$pattern" "$work/$name.err" | head -1)"
  fi
}
# session_status NAME INDEX WANT: metrics.json says session INDEX is WANT (ok/failed)
session_status() {
  local st
  st=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['sessions'][int(sys.argv[2])]; print(s.get('status','ok'))" \
       "$work/$1.out/metrics.json" "$2" 2>/dev/null)
  [[ $st == "$3" ]] || { echo "FAIL $1: session $2 is '$st' in metrics.json, want '$3'"; fail=1; }
}

# --- broken images in one session: that session fails, the rest is measured
fresh zero; : >"$work/zero/2026-02-09.jpg"
expect zero 1 "2026-02-09.jpg: empty file"
session_status zero 1 failed; session_status zero 2 ok

fresh trunc; head -c 9000 "$work/base/2026-03-16.jpg" >"$work/trunc/2026-03-16.jpg"
expect trunc 1 "2026-03-16.jpg: truncated JPEG"
session_status trunc 2 failed; session_status trunc 3 ok

fresh textjpg; echo "Befund: nicht fotografiert" >"$work/textjpg/2026-03-16.jpg"
expect textjpg 1 "2026-03-16.jpg: not a JPEG, PNG or HEIC file"

fresh tiny; rm "$work/tiny/2026-03-16.jpg"; python3 "$util" png "$work/tiny/2026-03-16.png" 1 1
swap tiny 2026-03-16.jpg 2026-03-16.png
expect tiny 1 "2026-03-16.png: quality: too small to measure: 1x1 px, at least 64 px a side"
session_status tiny 2 failed; session_status tiny 3 ok

fresh tinybase; rm "$work/tinybase/2026-01-05.jpg"; python3 "$util" png "$work/tinybase/2026-01-05.png" 1 1
swap tinybase 2026-01-05.jpg 2026-01-05.png
expect tinybase 1 "2026-01-05.png: quality: too small to measure: 1x1 px, at least 64 px a side"
grep -qF "2026-02-09.jpg: no usable baseline photo" "$work/tinybase.err" || { echo "FAIL tinybase: later sessions not named"; fail=1; }

fresh huge; rm "$work/huge/2026-03-16.jpg"; python3 "$util" png_header "$work/huge/2026-03-16.png" 100000 100000
swap huge 2026-03-16.jpg 2026-03-16.png
expect huge 1 "2026-03-16.png: 100000x100000 pixels is over the limit"

fresh hugejpg; cp "$ST_SRC_DIR/tests/data/bad/huge_65535x65535.jpg" "$work/hugejpg/2026-04-20.jpg"
expect hugejpg 1 "2026-04-20.jpg: 65535x65535 pixels is over the limit"

# HEIC sessions (the folder scan takes .heic): cut, and forged to a
# 14000x14000 grid (libheif alone decoded that to 2.9 GB), refused before
# decoding (here by analyze's memory budget, in test_io_bad by the
# bytes-per-pixel floor).
fresh heiccut; rm "$work/heiccut/2026-04-20.jpg"
cp "$ST_SRC_DIR/tests/data/bad/truncated_mdat.heic" "$work/heiccut/2026-04-20.heic"
swap heiccut 2026-04-20.jpg 2026-04-20.heic
expect heiccut 1 "2026-04-20.heic: truncated HEIF data"
session_status heiccut 3 failed; session_status heiccut 2 ok
fresh heicgrid; rm "$work/heicgrid/2026-04-20.jpg"
cp "$ST_SRC_DIR/tests/data/bad/forged_grid_14000x14000.heic" "$work/heicgrid/2026-04-20.heic"
swap heicgrid 2026-04-20.jpg 2026-04-20.heic
expect heicgrid 1 "2026-04-20.heic: 14000x14000 pixels would need"
session_status heicgrid 3 failed

# --- sizes: a session smaller than the ROI, a baseline smaller than the ROI,
# sessions of different sizes, an ROI wholly outside
fresh smallsess; rm "$work/smallsess/2026-03-16.jpg"; python3 "$util" png "$work/smallsess/2026-03-16.png" 100 80
swap smallsess 2026-03-16.jpg 2026-03-16.png
expect smallsess 1 "2026-03-16.png: registration:"
session_status smallsess 2 failed

fresh roipast
expect roipast 0 "roi 300,0,200,150 reaches past the 400x300 baseline image" --roi 300,0,200,150
python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['series']['roi']; sys.exit(not (r[0]>=300 and r[0]+r[2]<=400 and r[1]+r[3]<=300))" \
  "$work/roipast.out/metrics.json" || { echo "FAIL roipast: measured ROI not inside the image"; fail=1; }

fresh roiout
expect roiout 2 "roi 5000,5000,10,10 lies outside the 400x300 baseline image" --roi 5000,5000,10,10

fresh mismatch; cp "$work/wide/2026-03-16.jpg" "$work/mismatch/2026-03-16.jpg"
expect mismatch 0 "4 sessions, 0 failed"
session_status mismatch 2 ok

# --- shape of the series
fresh single; rm "$work/single/"2026-0[234]-*.jpg "$work/single/series.json"
expect single 0 "1 sessions, 0 failed"
python3 - "$work/single.out/metrics.json" <<'PY' || { echo "FAIL single: metrics.json"; fail=1; }
import json, sys
d = json.load(open(sys.argv[1]))
s = d["sessions"]
assert len(s) == 1 and s[0]["metrics"] and not s[0].get("change"), "one measured session, no change"
assert not d["progress"].get("trend_per_30d"), "no trend from one session"
PY

rm -rf "$work/noimages"; mkdir -p "$work/noimages"; echo "notes" >"$work/noimages/notes.txt"
cp "$work/base/series.json" "$work/noimages/"
expect noimages 2 "no images"
rm -rf "$work/emptydir"; mkdir -p "$work/emptydir"
expect emptydir 2 "emptydir: no images (.jpg, .jpeg, .png, .heic, .heif) in the series folder"

# --- manifest: wrong types name the key and the file; names leaving the folder are refused
fresh roitype; manifest roitype "d['roi'] = '60,45,200,150'"
expect roitype 2 "roitype/series.json: key 'roi' must be an array"
fresh filestype; manifest filestype "d['sessions'][1]['files'] = '2026-02-09.jpg'"
expect filestype 2 "filestype/series.json: key 'sessions[1].files' must be a non-empty array"
fresh needletype; manifest needletype "d['sessions'][2]['treatment']['needle_mm'] = '1.5'"
expect needletype 2 "needletype/series.json: key 'sessions[2].treatment.needle_mm' must be a number"
fresh datetype; manifest datetype "d['sessions'][1]['date'] = 20260209"
expect datetype 2 "datetype/series.json: key 'sessions[1].date' must be a string"
fresh pxtype; manifest pxtype "d['pixel_mm'] = True"
expect pxtype 2 "pxtype/series.json: key 'pixel_mm' must be a number"
fresh badjson; echo '{"patient": "P-1", "sessions": [' >"$work/badjson/series.json"
expect badjson 2 "badjson/series.json: not valid JSON"
fresh passwd; manifest passwd "d['sessions'][1]['files'] = ['../../etc/passwd']"
expect passwd 2 "'../../etc/passwd' leaves the series folder"
fresh abspath; manifest abspath "d['sessions'][1]['files'] = ['/etc/passwd']"
expect abspath 2 "'/etc/passwd' is an absolute path"
fresh symlink; ln -s /etc/passwd "$work/symlink/2026-02-10.jpg"
manifest symlink "d['sessions'][1]['files'] = ['2026-02-10.jpg']"
expect symlink 2 "'2026-02-10.jpg' points outside the series folder"

# --- spaces and unicode in folder and file names (series name, files, OUT)
uni="Pätient 42 – Wange ✓"
rm -rf "${work:?}/$uni"; mkdir -p "$work/$uni"
cp "$work/base/2026-01-05.jpg" "$work/$uni/2026-01-05 Ausgangsbild é.jpg"
cp "$work/base/2026-02-09.jpg" "$work/$uni/2026-02-09 Sitzung ☀.jpg"
cp "$work/base/2026-03-16.jpg" "$work/$uni/2026-03-16 €.jpg"
expect "$uni" 0 "3 sessions, 0 failed" --pixel-mm 0.05 --roi 60,45,200,150
python3 - "$work/$uni.out/metrics.json" "$work/$uni.out/metrics.csv" "$uni" <<'PY' || { echo "FAIL unicode names in the outputs"; fail=1; }
import csv, json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert d["series"]["name"] == sys.argv[3], d["series"]["name"]
files = [f for s in d["sessions"] for f in s["files"]]
assert files == ["2026-01-05 Ausgangsbild é.jpg", "2026-02-09 Sitzung ☀.jpg", "2026-03-16 €.jpg"], files
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
assert {r["file"] for r in rows} == set(files) and {r["series"] for r in rows} == {sys.argv[3]}
PY

# --- batch: broken series fail alone, the rest is analysed, exit 1
broot=$work/batch_root
rm -rf "$broot" "$work/batch.out"
mkdir -p "$broot/empty"
cp -r "$work/base" "$broot/good"
cp -r "$work/base" "$broot/badjson"; echo '{"roi": "x"}' >"$broot/badjson/series.json"
cp -r "$work/trunc" "$broot/trunc"
got=0
"$ST_CLI" batch "$broot" -o "$work/batch.out" -j 2 2>"$work/batch.err" || got=$?
if [[ $got -eq 1 ]] && grep -qF "series badjson failed: $broot/badjson/series.json: key 'roi' must be an array" "$work/batch.err" \
   && grep -qF "series empty failed: $broot/empty: no images" "$work/batch.err" \
   && grep -qF "2 analysed, 0 skipped (unchanged), 2 failed, 1 with failed sessions" "$work/batch.err" \
   && [[ -s $work/batch.out/good/metrics.json && -s $work/batch.out/trunc/metrics.json ]]; then
  echo "ok   batch (exit 1): $(tail -1 "$work/batch.err")"
else
  echo "FAIL batch: status $got"; sed 's/^/     | /' "$work/batch.err"; fail=1
fi

exit $fail
