#!/usr/bin/env bash
# skintrack analyze: bad usage and unreadable input exit with status 2 and a
# one-line message naming the cause; nothing is written into the input.
set -uo pipefail
work=$ST_TEST_TMP/analyze_usage
rm -rf "$work"
mkdir -p "$work/series"
cp "$ST_SRC_DIR/samples/demo/photo-course/2026-01-05.jpg" "$work/series/"
fail=0

# expect STATUS PATTERN -- ARGS...: runs analyze, checks status and stderr.
expect() {
  local want=$1 pattern=$2
  shift 3
  local got=0
  "$ST_CLI" analyze "$@" >"$work/out.txt" 2>"$work/err.txt" || got=$?
  if [[ $got -ne $want ]] || ! grep -q -- "$pattern" "$work/err.txt"; then
    echo "FAIL analyze $*: status $got (want $want), stderr: $(cat "$work/err.txt")"
    fail=1
  else
    echo "ok   analyze $*: $(head -1 "$work/err.txt")"
  fi
}

expect 2 "which series folder" --
expect 2 "unknown option '--frobnicate'" -- "$work/series" --frobnicate
expect 2 "cannot read the series folder" -- "$work/missing" -o "$work/o1"
expect 2 "--modality: 'xray'" -- "$work/series" --modality xray -o "$work/o1"
expect 2 "--roi" -- "$work/series" --roi 1,2,3 -o "$work/o1"
expect 2 "-j" -- "$work/series" -j 0 -o "$work/o1"
expect 2 "inside the series folder" -- "$work/series" -o "$work/series/out"
echo '{"modality": "xray"}' >"$work/series/series.json"
expect 2 "series.json: key 'modality': unknown modality 'xray'" -- "$work/series" -o "$work/o2"
echo '{"pixel_mm": "0.05"}' >"$work/series/series.json"
expect 2 "series.json: key 'pixel_mm' must be a number" -- "$work/series" -o "$work/o2"
echo '{"sessions": [{"files": ["../x.jpg"]}]}' >"$work/series/series.json"
expect 2 "leaves the series folder" -- "$work/series" -o "$work/o2"
echo '{"roi": [5000, 5000, 10, 10]}' >"$work/series/series.json"
expect 2 "outside the" -- "$work/series" -o "$work/o2"
rm "$work/series/series.json"
: >"$work/empty.jpg"
mkdir -p "$work/series_only_bad"
cp "$work/empty.jpg" "$work/series_only_bad/2026-01-01.jpg"
expect 1 "2026-01-01.jpg" -- "$work/series_only_bad" -o "$work/o3"
expect 2 "outside the" -- "$work/series" --roi 5000,5000,10,10 -o "$work/o4"
[[ ! -e $work/series/out ]] || { echo "FAIL: output written into the input folder"; fail=1; }
n=$(ls "$work/series" | wc -l)
[[ $n -eq 1 ]] || { echo "FAIL: the input folder holds $n files"; fail=1; }
"$ST_CLI" analyze --help | grep -q "usage: skintrack analyze" || { echo "FAIL: --help"; fail=1; }
exit $fail
