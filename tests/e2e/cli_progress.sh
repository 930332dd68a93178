#!/usr/bin/env bash
# Issue 21, progress: analyze and batch draw a bar per photo with an ETA on a
# terminal (here a pseudo-terminal from util-linux `script`), and nothing when
# stderr is not a TTY or with --quiet. batch's bar moves per photo, not per
# series: with -j1 it shows photos done while no series has finished yet.
set -uo pipefail
work=$ST_TEST_TMP/cli_progress
rm -rf "$work"; mkdir -p "$work/root"
fail=0
bad() { echo "FAIL $*"; fail=1; }
command -v script >/dev/null || { echo "no script (util-linux)"; exit 77; }
gen=$ST_BUILD_DIR/samples/generator/skingen
[[ -x $gen ]] || { echo "no generator $gen"; exit 77; }
"$gen" photo "$work/root/P1" --seed 3 --size 480x360 --sessions 3 >/dev/null
"$gen" photo "$work/root/P2" --seed 5 --size 480x360 --sessions 3 >/dev/null
# tty OUTFILE COMMAND...: runs the command with stdin, stdout and stderr on a pseudo-terminal.
tty() {
  local out=$1; shift
  script -qec "$(printf '%q ' "$@")" /dev/null </dev/null >"$out" 2>&1
}
bars() { tr '\r' '\n' <"$1" | grep -c 'ETA [0-9-]*:[0-9-]*'; }

tty "$work/a.tty" "$ST_CLI" analyze "$work/root/P1" -o "$work/a1" -j2
n=$(bars "$work/a.tty")
[[ $n -eq 6 ]] || bad "analyze on a TTY: $n bars drawn (want 6: 3 photos registered, 3 measured): $(cat -v "$work/a.tty")"
tr '\r' '\n' <"$work/a.tty" | grep -q '\] 100%  ETA 0:00  measured 3/3 photos' || bad "analyze: no final bar: $(cat -v "$work/a.tty")"
tr '\r' '\n' <"$work/a.tty" | grep -q 'registered 1/3 photos  2026-01-05.jpg' || bad "analyze: the first photo not shown"

"$ST_CLI" analyze "$work/root/P1" -o "$work/a2" -j2 --no-report --no-images >/dev/null 2>"$work/a.err"
! grep -q $'\r\|ETA' "$work/a.err" || bad "analyze drew a bar with stderr not a TTY: $(cat -v "$work/a.err")"
grep -q "3 sessions, 0 failed" "$work/a.err" || bad "analyze summary missing: $(cat "$work/a.err")"

tty "$work/q.tty" "$ST_CLI" analyze "$work/root/P1" -o "$work/a3" -j2 --quiet --no-report --no-images
[[ ! -s $work/q.tty ]] || bad "analyze --quiet on a TTY printed: $(cat -v "$work/q.tty")"

tty "$work/b.tty" "$ST_CLI" batch "$work/root" -o "$work/b1" -j1
tr '\r' '\n' <"$work/b.tty" | grep -q ' [1-5]/6 photos, 0/2 series' ||
  bad "batch: the bar does not move before a series ends: $(cat -v "$work/b.tty")"
tr '\r' '\n' <"$work/b.tty" | grep -q '100%  ETA 0:00  6/6 photos, 2/2 series' || bad "batch: no final bar: $(cat -v "$work/b.tty")"
n=$(bars "$work/b.tty")
[[ $n -ge 12 ]] || bad "batch: $n bars for 6 photos (want one per step and series: >= 12)"

# Re-runs (every series unchanged) still draw per series on a TTY: none here.
"$ST_CLI" batch "$work/root" -o "$work/b1" -j1 >/dev/null 2>"$work/b.err"
grep -q "0 analysed, 2 skipped" "$work/b.err" || bad "batch re-run: $(cat "$work/b.err")"
! grep -q $'\r\|ETA' "$work/b.err" || bad "batch drew a bar with stderr not a TTY"
tty "$work/bq.tty" "$ST_CLI" batch "$work/root" -o "$work/b1" -j1 -q
[[ ! -s $work/bq.tty ]] || bad "batch --quiet on a TTY printed: $(cat -v "$work/bq.tty")"
tty "$work/b2.tty" "$ST_CLI" batch "$work/root" -o "$work/b1" -j1
tr '\r' '\n' <"$work/b2.tty" | grep -q '2/2 series' || bad "batch re-run on a TTY drew no bar: $(cat -v "$work/b2.tty")"
[[ $fail -eq 0 ]] && echo "ok   progress: analyze $(bars "$work/a.tty") bars, batch $(bars "$work/b.tty") bars on a TTY; none otherwise"
exit $fail
