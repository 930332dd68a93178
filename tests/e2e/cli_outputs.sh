#!/usr/bin/env bash
# Issue 21, safe outputs: analyze without -o writes ./skintrack-out/<series>,
# which a later batch over the current folder does not take for a series;
# files an earlier, longer run left in OUT under skintrack's names are
# removed (and named), files of other names are kept.
set -uo pipefail
work=$ST_TEST_TMP/cli_outputs
rm -rf "$work"; mkdir -p "$work/root/P1"
fail=0
bad() { echo "FAIL $*"; fail=1; }
demo=$ST_SRC_DIR/samples/demo/photo-course
cp "$demo"/2026-0{1-05,2-09,3-16}.jpg "$work/root/P1/"

# Default output, from inside the batch root: ./skintrack-out/P1.
(cd "$work/root" && "$ST_CLI" analyze P1 -j2 --no-report >/dev/null 2>"$work/err") || bad "analyze P1: $(cat "$work/err")"
[[ -f $work/root/skintrack-out/P1/metrics.json ]] || bad "no ./skintrack-out/P1/metrics.json"
[[ ! -e $work/root/P1.out ]] || bad "P1.out still written beside the series"
grep -q "results in skintrack-out/P1" "$work/err" || bad "the summary does not name the output: $(cat "$work/err")"
# ... and batch over that root sees one series, not the output folder.
"$ST_CLI" batch "$work/root" -o "$work/b" -j2 >/dev/null 2>"$work/err"
grep -q "^skintrack: 1 series:" "$work/err" || bad "batch took the output folder for a series: $(cat "$work/err")"

# Stale files: a 3-session run, then a 2-session run into the same OUT.
out=$work/out
"$ST_CLI" analyze "$work/root/P1" -o "$out" -j2 >/dev/null 2>&1
ls "$out/images" | grep -q '^session_02_' || bad "the 3-session run wrote no session_02 images"
echo keep >"$out/images/notes.txt"
echo keep >"$out/images/session_02_mine.png"
rm "$work/root/P1/2026-03-16.jpg"
"$ST_CLI" analyze "$work/root/P1" -o "$out" -j2 --no-report >/dev/null 2>"$work/err" || bad "second run: $(cat "$work/err")"
! ls "$out/images" | grep -q '^session_02_.*\.jpg$' || bad "stale session_02 images kept: $(ls "$out/images")"
ls "$out/images" | grep -q '^session_01_aligned\.jpg$' || bad "this run's images removed"
[[ -f $out/images/notes.txt && -f $out/images/session_02_mine.png ]] || bad "a file not of skintrack's names was removed"
[[ ! -e $out/report.html && ! -e $out/report.pdf ]] || bad "a stale report kept after --no-report"
grep -q "session_02_aligned.jpg: left by an earlier run, removed" "$work/err" || bad "removed files not named: $(cat "$work/err")"
grep -q "report.html: left by an earlier run, removed" "$work/err" || bad "removed report not named"
exit $fail
