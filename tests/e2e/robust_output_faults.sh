#!/usr/bin/env bash
# Output faults (issue 11): a read-only output folder, a full disk, a process
# killed mid-write. Each time: a clear one-line message naming the file and
# the cause, exit status 2 (the output cannot be written), and the outputs of
# the earlier good run unchanged (same bytes and mtimes) with no temporary
# and no half file left under a final name.
#
# How the faults are made (the test says which one ran):
# - read-only: as root (permission bits do not stop root) a read-only bind
#   mount in a private mount namespace (unshare -m); as a normal user chmod.
# - full disk: a 1 MiB tmpfs in a private mount namespace when that works
#   (root); always also `ulimit -f` (file-size limit, SIGXFSZ ignored so the
#   write fails with EFBIG instead of killing the process).
set -uo pipefail
: "${ST_CLI:?}" "${ST_SRC_DIR:?}" "${ST_BUILD_DIR:?}" "${ST_TEST_TMP:?}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
work=$ST_TEST_TMP/robust_output_faults
util=$ST_SRC_DIR/tests/e2e/robust_util.py
gen=$ST_BUILD_DIR/samples/generator/skingen
rm -rf "$work"
mkdir -p "$work"
[[ -x $gen ]] || { echo "skingen not built"; exit 1; }
"$gen" photo "$work/series" --size 400x300 --seed 5 >/dev/null || { echo "skingen failed"; exit 1; }
export ST_CLI util work
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

# files STATE_FILE DIR: the files' hashes and mtimes (directories left out:
# creating and removing a temporary touches the folder's mtime, not its files)
files() { python3 "$util" tree_state "$2" | grep '^F ' >"$1"; }
# after_fault NAME OUT STATE ERRFILE STATUS PATTERN: the common checks
after_fault() {
  local name=$1 out=$2 state=$3 errf=$4 st=$5 pattern=$6
  [[ $st -eq 2 ]] && ok "$name: exit status 2" || bad "$name: exit status $st (want 2)"
  if grep -qE -- "$pattern" "$errf"; then ok "$name: $(grep -E -- "$pattern" "$errf" | head -1)"
  else bad "$name: no message matching '$pattern':"; sed 's/^/     | /' "$errf"; fi
  grep -qE "Sanitizer|runtime error|Segmentation|Aborted" "$errf" && bad "$name: crash or sanitizer report"
  files "$work/$name.after" "$out"
  if [[ $name == fsize ]]; then
    cut -d' ' -f1-3 "$work/fsize.state" | cmp -s - <(cut -d' ' -f1-3 "$work/fsize.after") \
      && ok "fsize: every file holds the same bytes" || bad "fsize: file contents changed"
    grep -v ' images/' "$work/fsize.after" >"$work/fsize.after.top"
    mv "$work/fsize.after.top" "$work/$name.after"
  fi
  if cmp -s "$state" "$work/$name.after"; then ok "$name: every earlier output unchanged (bytes and mtimes)"
  else bad "$name: earlier outputs changed:"; diff "$state" "$work/$name.after" | head -10; fi
  local tmps
  tmps=$(find "$out" -name '.*' | head -5)
  [[ -z $tmps ]] && ok "$name: no temporary left" || bad "$name: temporaries left: $tmps"
}

# --- 1. read-only output folder ----------------------------------------------
out=$work/ro_out
"$ST_CLI" analyze "$work/series" -o "$out" 2>"$work/ro_first.err" || { bad "first run failed"; cat "$work/ro_first.err"; }
# One good run serves every case: copies keep bytes and mtimes.
cp -a "$out" "$work/good_out"
files "$work/ro.state" "$out"
st=0
if [[ $EUID -ne 0 ]]; then
  echo "read-only: chmod -R a-w (not root)"
  chmod -R a-w "$out"
  "$ST_CLI" analyze "$work/series" -o "$out" 2>"$work/ro.err" || st=$?
  "$ST_CLI" analyze "$work/series" -o "$out/new/sub" 2>"$work/ro_new.err"; st_new=$?
  chmod -R u+w "$out"
elif unshare -m --propagation private true 2>/dev/null; then
  echo "read-only: read-only bind mount in a private mount namespace (root)"
  unshare -m --propagation private bash -c '
    mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" || exit 97
    "$ST_CLI" analyze "$work/series" -o "$0" 2>"$work/ro.err"; echo $? >"$work/ro.st"
    "$ST_CLI" analyze "$work/series" -o "$0/new/sub" 2>"$work/ro_new.err"; echo $? >"$work/ro_new.st"' "$out"
  [[ $? -eq 97 ]] && bad "read-only: bind mount failed"
  st=$(cat "$work/ro.st" 2>/dev/null || echo 99); st_new=$(cat "$work/ro_new.st" 2>/dev/null || echo 99)
else
  echo "read-only: SKIPPED (root without mount namespaces: permission bits do not stop root)"
  st=skip
fi
if [[ $st != skip ]]; then
  after_fault read-only "$out" "$work/ro.state" "$work/ro.err" "$st" "$out/[^:]*: cannot [a-z ]+\((Read-only file system|Permission denied)\)"
  [[ $st_new -eq 2 ]] && grep -qE "$out/new: cannot create \((Read-only file system|Permission denied)\)" "$work/ro_new.err" \
    && ok "read-only: a new folder inside it: $(head -1 "$work/ro_new.err")" \
    || { bad "read-only: new folder inside: status $st_new"; cat "$work/ro_new.err"; }
fi

# --- 2. full disk: a 1 MiB tmpfs ------------------------------------------------
mkdir -p "$work/disk"
if [[ $EUID -eq 0 ]] && unshare -m --propagation private true 2>/dev/null; then
  echo "full disk: 1 MiB tmpfs in a private mount namespace"
  unshare -m --propagation private bash -c '
    set -u
    disk=$work/disk
    mount -t tmpfs -o size=1m,mode=0755 tmpfs "$disk" || exit 97
    cp -a "$work/good_out" "$disk/out"; echo $? >"$work/tmpfs_first.st"
    python3 "$util" tree_state "$disk/out" | grep "^F " >"$work/tmpfs.state"
    dd if=/dev/zero of="$disk/filler" bs=4k 2>/dev/null
    "$ST_CLI" analyze "$work/series" -o "$disk/out" 2>"$work/tmpfs.err"; echo $? >"$work/tmpfs.st"
    python3 "$util" tree_state "$disk/out" | grep "^F " >"$work/tmpfs.after"
    find "$disk/out" -name ".*" >"$work/tmpfs.tmps"
    # Some room (80 KiB): files smaller than that are rewritten, report.html
    # (larger) is not; every name must still hold a whole file.
    rm "$disk/filler"
    avail=$(df -k --output=avail "$disk" | tail -1)
    dd if=/dev/zero of="$disk/filler" bs=1k count=$((avail - 80)) 2>/dev/null
    "$ST_CLI" analyze "$work/series" -o "$disk/out" 2>"$work/tmpfs2.err"; echo $? >"$work/tmpfs2.st"
    python3 "$util" complete "$disk/out" >"$work/tmpfs2.complete"; echo $? >>"$work/tmpfs2.complete"
  '
  if [[ $? -eq 97 ]]; then
    echo "full disk (tmpfs): SKIPPED, mount failed"
  else
    [[ $(cat "$work/tmpfs_first.st") -eq 0 ]] || bad "tmpfs: the first outputs do not fit"
    st=$(cat "$work/tmpfs.st")
    [[ $st -eq 2 ]] && ok "tmpfs full: exit status 2" || bad "tmpfs full: exit status $st (want 2)"
    # The first output (an image) fails and the run stops there: one line,
    # no session marked failed for it (an output fault is no photo's fault).
    grep -qE "/disk/out/images/[^:]*: cannot [a-z ]+\(No space left on device\)" "$work/tmpfs.err" \
      && [[ $(wc -l <"$work/tmpfs.err") -eq 1 ]] \
      && ok "tmpfs full: $(head -1 "$work/tmpfs.err")" || { bad "tmpfs full: message"; cat "$work/tmpfs.err"; }
    cmp -s "$work/tmpfs.state" "$work/tmpfs.after" && ok "tmpfs full: earlier outputs unchanged (bytes and mtimes)" \
      || { bad "tmpfs full: earlier outputs changed"; diff "$work/tmpfs.state" "$work/tmpfs.after" | head; }
    [[ ! -s $work/tmpfs.tmps ]] && ok "tmpfs full: no temporary left" || bad "tmpfs full: temporaries: $(cat "$work/tmpfs.tmps")"
    st=$(cat "$work/tmpfs2.st")
    [[ $st -eq 2 ]] && grep -q "No space left on device" "$work/tmpfs2.err" \
      && ok "tmpfs 80 KiB free: exit 2: $(head -1 "$work/tmpfs2.err")" || { bad "tmpfs 80 KiB free: status $st"; cat "$work/tmpfs2.err"; }
    [[ $(tail -1 "$work/tmpfs2.complete") -eq 0 ]] && ! grep -q temporary "$work/tmpfs2.complete" \
      && ok "tmpfs 80 KiB free: every file whole, no temporary" || { bad "tmpfs 80 KiB free:"; cat "$work/tmpfs2.complete"; }
  fi
else
  echo "full disk (tmpfs): SKIPPED (needs root and mount namespaces); the ulimit -f case below still runs"
fi

# --- 3. full disk: file-size limit (any user) -------------------------------------
echo "file-size limit: ulimit -f 16 (KiB), SIGXFSZ ignored"
out=$work/fsize_out
cp -a "$work/good_out" "$out"
files "$work/fsize.state" "$out"
st=0
bash -c 'trap "" XFSZ; ulimit -f 16; exec "$ST_CLI" analyze "$work/series" -o "$0"' "$out" 2>"$work/fsize.err" || st=$?
# The first output over 16 KiB (an image or metrics.json, whichever is
# written first) fails the run and is named; images written before it have
# the same bytes (deterministic) and new mtimes; the top-level files must be
# untouched.
grep -v ' images/' "$work/fsize.state" >"$work/fsize.state.top"
after_fault fsize "$out" "$work/fsize.state.top" "$work/fsize.err" "$st" "$out/[^ ]+: cannot write \(File too large\)"

# --- 4. killed mid-run: no half file under a final name ---------------------------
out=$work/kill_out
for delay in 0.2 0.5 0.9 1.4; do
  "$ST_CLI" analyze "$work/series" -o "$out" -j 1 2>/dev/null &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  [[ -d $out ]] || continue
  python3 "$util" complete "$out" >"$work/kill.complete" \
    && ok "kill -9 after ${delay}s: every file under a final name is whole ($(grep -c temporary "$work/kill.complete") temporaries)" \
    || { bad "kill -9 after ${delay}s:"; cat "$work/kill.complete"; }
done
exit $fail
