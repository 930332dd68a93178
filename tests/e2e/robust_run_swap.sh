#!/usr/bin/env bash
# Issue 24, "disk full during a rerun" and "SIGTERM during analyze": a rerun
# of analyze into an OUT that holds the run of another series (4 sessions,
# seed 5) is broken off by a full disk (ulimit -f at ten sizes; a small
# tmpfs too when this runs as root with mount namespaces) and by SIGTERM and
# SIGINT at many points. Afterwards OUT holds the earlier run, entire (same
# files, bytes and mtimes), or the new run (3 sessions, seed 9), entire (same
# files and bytes as the same run into an empty folder) - never a mix; no
# temporary is left in OUT nor beside it (.OUT.skintrack-XXXXXX); a signal
# ends the run within a second; messages name OUT, not the hidden folder.
set -uo pipefail
: "${ST_CLI:?}" "${ST_SRC_DIR:?}" "${ST_BUILD_DIR:?}" "${ST_TEST_TMP:?}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export SOURCE_DATE_EPOCH=1780000000 # the reports' date: the same in every run
work=$ST_TEST_TMP/robust_run_swap
util=$ST_SRC_DIR/tests/e2e/robust_util.py
gen=$ST_BUILD_DIR/samples/generator/skingen
rm -rf "$work"; mkdir -p "$work"
"$gen" photo "$work/A" --size 400x300 --seed 5 --sessions 4 >/dev/null &&
  "$gen" photo "$work/B" --size 400x300 --seed 9 --sessions 3 >/dev/null || { echo "skingen failed"; exit 1; }
export ST_CLI work util
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

# content DIR: path and hash of every file (what a run is); state DIR: with mtimes
content() { python3 "$util" tree_state "$1" | awk '$1 == "F" {print $2, $3}'; }
state() { python3 "$util" tree_state "$1" | awk '$1 == "F" {print $2, $3, $6}'; }
"$ST_CLI" analyze "$work/A" -o "$work/refA" -j 2 2>/dev/null || { echo "run A failed"; exit 1; }
"$ST_CLI" analyze "$work/B" -o "$work/refB" -j 2 2>/dev/null || { echo "run B failed"; exit 1; }
content "$work/refB" >"$work/B.content"
cmp -s <(content "$work/refA") "$work/B.content" && { echo "the two runs do not differ"; exit 1; }
n_b=$(wc -l <"$work/B.content")

# judge NAME OUT: OUT is the earlier run as it was (A.state, saved before the
# fault) or the new run entire; nothing hidden in OUT or beside it. Sets
# got to A, B or mix.
judge() {
  local name=$1 out=$2 left
  left=$( (find "$out" -name '.*'; find "$(dirname "$out")" -maxdepth 1 -name ".$(basename "$out").*") 2>/dev/null | head -3)
  [[ -z $left ]] || bad "$name: temporaries left: $left"
  if cmp -s <(state "$out") "$work/A.state"; then got=A
  elif cmp -s <(content "$out") "$work/B.content"; then got=B
  else
    bad "$name: OUT is a mix of the two runs:"
    diff <(content "$out") "$work/B.content" | head -6 | sed 's/^/     | /'
    got=mix
  fi
}
# earlier OUT: a copy of run A (bytes and mtimes kept)
earlier() { rm -rf "$1"; cp -a "$work/refA" "$1"; state "$1" >"$work/A.state"; }

# --- 1. full disk: file-size limit (any user) -------------------------------------
# From 4 KiB (the first image fails) to 1 MiB (everything fits): every point
# of the run's writing is hit at some size.
seen=""
for kib in 4 8 16 24 32 48 64 96 128 1024; do
  out=$work/fsize_out
  earlier "$out"
  st=0
  bash -c 'trap "" XFSZ; ulimit -f '"$kib"'; exec "$ST_CLI" analyze "$work/B" -o "$0" -j 2' "$out" 2>"$work/fsize.err" || st=$?
  judge "ulimit -f $kib" "$out"
  seen+="$kib:$got "
  if [[ $got == A ]]; then
    [[ $st -eq 2 ]] && grep -qE "^skintrack: $out/[^ ]+: cannot write \(File too large\)" "$work/fsize.err" \
      && ! grep -q "skintrack-" "$work/fsize.err" || { bad "ulimit -f $kib: status $st, message:"; cat "$work/fsize.err"; }
  elif [[ $got == B ]]; then
    [[ $st -eq 0 ]] || bad "ulimit -f $kib: new run complete but status $st"
    grep -q "session_03_.*: left by an earlier run, removed" "$work/fsize.err" || bad "ulimit -f $kib: run A's session_03 images dropped without a note"
  fi
done
[[ $seen == *":A "* && $seen == *":B "* && $seen != *mix* ]] \
  && ok "file-size limit at 10 sizes: OUT the earlier run or the new one, entire ($seen)" \
  || bad "file-size limit: $seen (want both outcomes, no mix)"

# --- 2. full disk: a small tmpfs (root with mount namespaces) ------------------------
if [[ $EUID -eq 0 ]] && unshare -m --propagation private true 2>/dev/null; then
  earlier "$work/tmpfs_ref" # A.state for judge
  for free in 40 120 200 400 2000; do
    rm -rf "$work/disk"; mkdir -p "$work/disk"
    unshare -m --propagation private bash -c '
      disk=$work/disk; free=$0
      mount -t tmpfs -o size=4m,mode=0755 tmpfs "$disk" || exit 97
      cp -a "$work/refA" "$disk/out"
      avail=$(df -k --output=avail "$disk" | tail -1)
      dd if=/dev/zero of="$disk/filler" bs=1k count=$((avail - free)) 2>/dev/null
      "$ST_CLI" analyze "$work/B" -o "$disk/out" -j 2 2>"$work/tmpfs.err"; echo $? >"$work/tmpfs.st"
      rm -f "$disk/filler"; cp -a "$disk/out" "$work/tmpfs_out"
      find "$disk" -maxdepth 1 -name ".out.*" >"$work/tmpfs.beside"' "$free"
    [[ $? -eq 97 ]] && { echo "tmpfs: SKIPPED, mount failed"; break; }
    rm -rf "$work/tmpfs_check"; mkdir "$work/tmpfs_check"; mv "$work/tmpfs_out" "$work/tmpfs_check/out"
    # (cp -a kept bytes and mtimes)
    judge "tmpfs $free KiB free" "$work/tmpfs_check/out"
    [[ -s $work/tmpfs.beside ]] && bad "tmpfs $free KiB free: left beside OUT: $(cat "$work/tmpfs.beside")"
    st=$(cat "$work/tmpfs.st")
    if [[ $got == A ]]; then
      [[ $st -eq 2 ]] && grep -qE "/disk/out/[^ ]*: cannot [a-z ]+\(No space left on device\)" "$work/tmpfs.err" \
        && ! grep -q "skintrack-" "$work/tmpfs.err" && ok "tmpfs $free KiB free: earlier run kept: $(head -1 "$work/tmpfs.err")" \
        || { bad "tmpfs $free KiB free: status $st"; cat "$work/tmpfs.err"; }
    elif [[ $got == B ]]; then
      [[ $st -eq 0 ]] && ok "tmpfs $free KiB free: new run complete" || bad "tmpfs $free KiB free: complete, status $st"
    fi
  done
else
  echo "tmpfs: SKIPPED (needs root and mount namespaces); the ulimit -f cases above ran"
fi

# --- 3. SIGTERM and SIGINT during a rerun -----------------------------------------
# Each signal must end the run within a second (status 128 + signal), or the
# run had finished; OUT as above.
seen=""; slow=0
cli_real=$(readlink -f "$ST_CLI")
for sig in TERM INT; do
  for d in 0.05 0.15 0.3 0.45 0.6 0.8 1.0 1.3 1.7 2.2; do
    out=$work/sig_out
    earlier "$out"
    "$ST_CLI" analyze "$work/B" -o "$out" -j 2 2>/dev/null & pid=$!
    # from the exec on (a signal to the shell's child before it exec's is bash's affair)
    for _ in $(seq 200); do [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == "$cli_real" ]] && break; sleep 0.005; done
    sleep "$d"
    t0=$(date +%s%N); kill -"$sig" "$pid" 2>/dev/null; wait "$pid"; st=$?; t1=$(date +%s%N)
    ms=$(((t1 - t0) / 1000000))
    want=$([[ $sig == TERM ]] && echo 143 || echo 130)
    [[ $st -eq 0 || $st -eq $want ]] || bad "SIG$sig after ${d}s: status $st (want $want or 0)"
    [[ $st -ne 0 && $ms -gt 1000 ]] && { slow=1; bad "SIG$sig after ${d}s: the run took $ms ms to end"; }
    judge "SIG$sig after ${d}s" "$out"
    # (killed with OUT the new run: the signal came after the swap)
    seen+="$sig@$d:$got "
  done
done
[[ $seen == *":A "* && $seen != *mix* && $slow -eq 0 ]] \
  && ok "SIGTERM/SIGINT at 20 points: ended within a second, OUT the earlier run or the new one, entire ($seen)" \
  || bad "signals: $seen"

# --- 3b. SIGTERM during `skintrack report` ------------------------------------------
# Every command removes what it is writing (main.c installs the handler for
# all): no .report.html/.report.pdf temporary left, each report whole.
left=0; notsig=0
for d in 0.02 0.05 0.1 0.15 0.2 0.25 0.3 0.4; do
  out=$work/rep_out
  earlier "$out"
  "$ST_CLI" report "$out" 2>/dev/null & pid=$!
  sleep "$d"; kill -TERM "$pid" 2>/dev/null; wait "$pid"; st=$?
  [[ $st -eq 0 || $st -eq 143 ]] || notsig=$((notsig + 1))
  t=$(find "$out" -name '.*' | head -2 | tr '\n' ' ')
  [[ -n $t ]] && { left=$((left + 1)); echo "     report after ${d}s: $t"; }
  python3 "$util" complete "$out" >/dev/null || { left=$((left + 1)); echo "     report after ${d}s: a half file"; }
done
[[ $left -eq 0 && $notsig -eq 0 ]] && ok "SIGTERM at 8 points of report: no temporary, every file whole" \
  || bad "report under SIGTERM: $left run(s) left temporaries or half files, $notsig other statuses"

# --- 4. what a swap must keep -----------------------------------------------------
# Files of other names in OUT and OUT/images survive the swap (same inode
# content); a killed run's leftover temporary of skintrack's names does not.
out=$work/keep_out
earlier "$out"
echo "clinic notes" >"$out/notes.txt"
echo keep >"$out/images/mine.png"
ln -s notes.txt "$out/link.txt"
echo half >"$out/.metrics.json.Ab12Cd"
chmod 0750 "$out"
"$ST_CLI" analyze "$work/B" -o "$out" -j 2 2>"$work/keep.err" || bad "keep: status $?: $(cat "$work/keep.err")"
[[ $(cat "$out/notes.txt" 2>/dev/null) == "clinic notes" && $(cat "$out/images/mine.png" 2>/dev/null) == keep &&
   $(readlink "$out/link.txt") == notes.txt ]] && ok "keep: files of other names carried into the new run" \
  || bad "keep: files of other names lost: $(ls -A "$out" "$out/images")"
[[ ! -e $out/.metrics.json.Ab12Cd ]] || bad "keep: an old temporary of metrics.json carried over"
[[ $(stat -c %a "$out") == 750 ]] && ok "keep: OUT's permissions kept (750)" || bad "keep: OUT's mode now $(stat -c %a "$out")"
cmp -s <(content "$out" | grep -v -e notes.txt -e mine.png -e link.txt) "$work/B.content" && ok "keep: the run itself is run B's" \
  || bad "keep: the run differs from run B into an empty folder"
# A folder of its own in OUT: written in place, as before (the folder kept).
mkdir -p "$out/own"; echo x >"$out/own/x"
"$ST_CLI" analyze "$work/A" -o "$out" -j 2 2>"$work/own.err" || bad "own folder: status $?: $(cat "$work/own.err")"
[[ -f $out/own/x ]] && cmp -s <(content "$out" | grep -v -e notes.txt -e mine.png -e link.txt -e own/x) <(content "$work/refA") \
  && ok "a folder of its own in OUT: kept, run written in place" || bad "own folder: $(ls -A "$out")"
exit $fail
