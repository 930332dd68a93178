#!/usr/bin/env bash
# Issue 21, hints where the user most likely meant something else: batch on
# one series folder, analyze on a batch root, 16-bit gray PNGs without
# --modality height, "dates unknown" with the order used; undated names in
# natural order (visit9 before visit10); DD.MM.YYYY and YYYY_MM_DD names dated.
set -uo pipefail
work=$ST_TEST_TMP/cli_hints
rm -rf "$work"; mkdir -p "$work"
fail=0
bad() { echo "FAIL $*"; fail=1; }
demo=$ST_SRC_DIR/samples/demo
# status WANT ARGS...: runs skintrack, stderr in $work/err
status() {
  local want=$1; shift
  local got=0
  "$ST_CLI" "$@" >/dev/null 2>"$work/err" || got=$?
  [[ $got -eq $want ]] || bad "skintrack $*: status $got (want $want): $(cat "$work/err")"
}

# batch on a series folder: exit 2, the hint, nothing created.
mkdir -p "$work/root/P1" "$work/root/P2"
cp "$demo"/photo-course/2026-0{1-05,2-09}.jpg "$work/root/P1/"
cp "$demo"/photo-course/2026-0{1-05,2-09}.jpg "$work/root/P2/"
status 2 batch "$work/root/P1" -o "$work/b1"
grep -q "looks like one series (try skintrack analyze $work/root/P1)" "$work/err" || bad "batch on a series: $(cat "$work/err")"
[[ ! -e $work/b1 && ! -e $work/root/P1.out ]] || bad "batch on a series created an output folder"
# analyze on a batch root: exit 2, the hint.
status 2 analyze "$work/root" -o "$work/a1"
grep -q "2 folders with photos: a batch root? try skintrack batch $work/root" "$work/err" || bad "analyze on a batch root: $(cat "$work/err")"

# 16-bit gray PNGs read as photos: a hint to use --modality height.
mkdir -p "$work/heights"
cp "$demo"/height-scars/2026-0{2-02,3-16}.png "$work/heights/"
"$ST_CLI" analyze "$work/heights" -o "$work/h" --no-report --no-images -j2 >/dev/null 2>"$work/err"
grep -q "2 of 2 images are 16-bit gray PNGs, read as photos: if they are height maps, use --modality height" "$work/err" ||
  bad "no --modality height hint: $(cat "$work/err")"
"$ST_CLI" analyze "$work/heights" -o "$work/h" --modality=height --no-report --no-images -j2 >/dev/null 2>"$work/err"
! grep -q "16-bit gray" "$work/err" || bad "the height hint with --modality height given"

# Undated names: natural order, "dates unknown" on stderr with that order.
mkdir -p "$work/undated"
cp "$demo/photo-course/2026-01-05.jpg" "$work/undated/visit9.jpg"
cp "$demo/photo-course/2026-02-09.jpg" "$work/undated/visit10.jpg"
status 0 analyze "$work/undated" -o "$work/u" --no-report --no-images -j2
grep -q "dates unknown (.*): sessions in file-name order: visit9.jpg, visit10.jpg" "$work/err" ||
  bad "no 'dates unknown' with the order: $(cat "$work/err")"
python3 - "$work/u/metrics.json" <<'PY' || fail=1
import json, sys
s = json.load(open(sys.argv[1]))["sessions"]
files = [x["files"][0] for x in s]
if files != ["visit9.jpg", "visit10.jpg"]:
    print("FAIL undated order", files); sys.exit(1)
PY

# DD.MM.YYYY and YYYY_MM_DD in names are dates.
mkdir -p "$work/dated"
cp "$demo/photo-course/2026-01-05.jpg" "$work/dated/cheek 05.01.2026.jpg"
cp "$demo/photo-course/2026-02-09.jpg" "$work/dated/cheek_2026_02_09.jpg"
status 0 analyze "$work/dated" -o "$work/d" --no-report --no-images -j2
! grep -q "dates unknown" "$work/err" || bad "dated names read as undated: $(cat "$work/err")"
python3 - "$work/d/metrics.json" <<'PY' || fail=1
import json, sys
s = json.load(open(sys.argv[1]))["sessions"]
got = [(x["date"], x["days"]) for x in s]
if got != [("2026-01-05", 0), ("2026-02-09", 35)]:
    print("FAIL dates from DD.MM.YYYY / YYYY_MM_DD names:", got); sys.exit(1)
PY
exit $fail
