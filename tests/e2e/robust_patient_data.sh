#!/usr/bin/env bash
# Patient data (issue 11):
# - outputs honour the umask (077: nothing readable by others);
# - input folders are never written: sha256, size, mode and mtime of every
#   file and folder of the input tree are the same before and after an
#   analyze and a batch run;
# - no EXIF/GPS/maker data reaches an output: the inputs carry an EXIF APP1
#   with GPS and a marker string; no image under OUT has an APP1/APPn/COM
#   segment or a PNG eXIf/tEXt/iTXt/zTXt/tIME chunk, and no output file (JSON,
#   CSV, HTML, PDF, results.db) holds the marker;
# - under strace: every file opened for writing is a 0600 temporary
#   (O_EXCL) in the output folder (or the hidden run folder beside it that
#   is swapped in whole), renamed onto its final name, nothing is
#   written elsewhere (fontconfig's cache excepted and reported), and no
#   network socket is made (AF_UNIX sockets are reported, not failed).
set -uo pipefail
: "${ST_CLI:?}" "${ST_SRC_DIR:?}" "${ST_BUILD_DIR:?}" "${ST_TEST_TMP:?}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
work=$ST_TEST_TMP/robust_patient_data
util=$ST_SRC_DIR/tests/e2e/robust_util.py
gen=$ST_BUILD_DIR/samples/generator/skingen
rm -rf "$work"
mkdir -p "$work/root"
[[ -x $gen ]] || { echo "skingen not built"; exit 1; }
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

# Two series: one whose every JPEG carries EXIF with GPS, one plain.
"$gen" photo "$work/gen" --size 400x300 --seed 7 >/dev/null || { echo "skingen failed"; exit 1; }
mkdir -p "$work/root/exif-gps" "$work/root/plain"
for f in "$work/gen"/*.jpg; do
  python3 "$util" exif_jpeg "$f" "$work/root/exif-gps/$(basename "$f")"
done
cp "$work/gen/series.json" "$work/root/exif-gps/"
cp "$work/gen"/*.jpg "$work/gen/series.json" "$work/root/plain/"
grep -q ST-PATIENT-SECRET "$work/root/exif-gps/2026-01-05.jpg" || bad "the EXIF input was not made"
sleep 1 # so that any write to the inputs would change an mtime
python3 "$util" tree_state "$work/root" >"$work/input.before"

# --- analyze under strace (or plainly) --------------------------------------------
series=$work/root/exif-gps
out=$work/analyze_out
have_strace=0
command -v strace >/dev/null && strace -f -qq -e trace=none true 2>/dev/null && have_strace=1
st=0
if [[ $have_strace == 1 ]]; then
  # LeakSanitizer cannot run under ptrace: leaks are checked by the other
  # tests of an ASan build, not these two traced runs.
  ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0 strace -f -qq -o "$work/files.trace" \
    -e trace=network,open,openat,creat,rename,renameat,renameat2,link,linkat,symlink,symlinkat,truncate,mkdir,mkdirat \
    "$ST_CLI" analyze "$series" -o "$out" -j 2 2>"$work/analyze.err" || st=$?
else
  echo "strace not installed: the write and network checks are SKIPPED"
  "$ST_CLI" analyze "$series" -o "$out" -j 2 2>"$work/analyze.err" || st=$?
fi
[[ $st -eq 0 ]] && ok "analyze of the EXIF+GPS series: exit 0" || { bad "analyze: exit $st"; cat "$work/analyze.err"; }

# --- batch over the root (2 series), under a private umask (077) ------------------------------
st=0
umask 077
if [[ $have_strace == 1 ]]; then
  ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0 strace -f -qq -o "$work/batch.trace" \
    -e trace=network,open,openat,creat,rename,renameat,renameat2,link,linkat,symlink,symlinkat,truncate \
    "$ST_CLI" batch "$work/root" -o "$work/batch_out" -j 2 2>"$work/batch.err" || st=$?
else
  "$ST_CLI" batch "$work/root" -o "$work/batch_out" -j 2 2>"$work/batch.err" || st=$?
fi
umask 022
[[ $st -eq 0 ]] && ok "batch over the root: exit 0" || { bad "batch: exit $st"; cat "$work/batch.err"; }
# Two series written by two threads: every file and folder honours umask 077
# (an earlier commit raced on umask(0) between threads).
open_perms=$(find "$work/batch_out" -perm /077 | head -5)
[[ -z $open_perms ]] && ok "umask 077: no output readable by group or others" \
  || bad "umask 077 not honoured: $open_perms"

# --- 2. inputs untouched -------------------------------------------------------------------
python3 "$util" tree_state "$work/root" >"$work/input.after"
if cmp -s "$work/input.before" "$work/input.after"; then
  ok "input tree unchanged after analyze and batch ($(grep -c '^F' "$work/input.after") files: sha256, size, mode, mtime; folders: mode, mtime)"
else
  bad "the input tree changed:"; diff "$work/input.before" "$work/input.after" | head -10
fi

# --- 4a. no EXIF, GPS or marker in any output ------------------------------------------------
for o in "$out" "$work/batch_out"; do
  if python3 "$util" metadata_scan "$o" >"$work/scan.txt"; then ok "$(tail -1 "$work/scan.txt")"
  else bad "metadata in outputs:"; cat "$work/scan.txt"; fi
done

if [[ $have_strace == 1 ]]; then
  # --- 4b. writes only as 0600 temporaries in OUT, renamed into place -----------------------
  cat >"$work/writes.py" <<'PY'
import os, re, sys
trace, out, series = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
allow = re.compile(sys.argv[4]) if len(sys.argv) > 4 else None
allowed = []
bad, temps, renamed, swapped, other = 0, 0, 0, 0, []
# An analysis is written into a hidden sibling of its output folder,
# .NAME.skintrack-XXXXXX, swapped in whole at the end (series/run_folder.h):
# paths in it are read as paths in NAME.
stage_re = re.compile(r"/\.([^/]+)\.skintrack-[A-Za-z0-9]{6}(?=/|$)")
def norm(p):
    return stage_re.sub(r"/\1", os.path.abspath(p))
# Threads: strace splits a call into "<unfinished ...>" and "<... resumed>".
lines, pending = [], {}
for raw in open(trace):
    pid, _, rest = raw.rstrip("\n").partition(" ")
    rest = rest.lstrip()  # strace pads the pid column with spaces
    if rest.endswith("<unfinished ...>"):
        pending[pid] = rest[:-len("<unfinished ...>")].rstrip()
    elif rest.startswith("<... ") and pid in pending:
        lines.append(pid + " " + pending.pop(pid) + rest[rest.index("resumed>") + 8:])
    else:
        lines.append(raw)
for line in lines:
    m = re.search(r'open(?:at)?\((?:AT_FDCWD, )?"([^"]*)", ([A-Z_|]+)(?:, (0\d+))?\)\s*=\s*(\d+)', line)
    if m:
        path, flags, mode = norm(m.group(1)), m.group(2), m.group(3)
        if not re.search(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC", flags):
            continue
        inside = path.startswith(out + "/")
        if path.startswith(series + "/") or path == series:
            print("FAIL input opened for writing: " + line.strip()); bad += 1
        elif inside and os.path.basename(path).startswith(".") and "O_EXCL" in flags and mode == "0600":
            temps += 1
        elif inside and allow and allow.search(path):
            allowed.append(path)
        elif "fontconfig" in path:
            other.append(path)
        else:
            print("FAIL written other than as a 0600 temporary in OUT: " + line.strip()); bad += 1
        continue
    m = re.search(r'rename(?:at2?)?\((?:AT_FDCWD, )?"([^"]*)", (?:AT_FDCWD, )?"([^"]*)"', line)
    if m and re.search(r"\)\s*=\s*0$", line.strip()):
        src, dst = norm(m.group(1)), norm(m.group(2))
        if src == dst and (dst == out or os.path.dirname(dst) == out) and stage_re.search(m.group(1)):
            swapped += 1  # the run folder swapped in
            continue
        if not (src.startswith(out + "/") and dst.startswith(out + "/")
                and os.path.basename(src).startswith("." + os.path.basename(dst) + ".")):
            print("FAIL unexpected rename: " + line.strip()); bad += 1
        renamed += 1
    if re.search(r"\b(link|linkat|symlink|symlinkat|truncate)\(", line) and re.search(r"\)\s*=\s*0$", line.strip()):
        print("FAIL unexpected call: " + line.strip()); bad += 1
print("%d temporaries created, %d renamed onto final names, %d run folders swapped in" % (temps, renamed, swapped))
for p in sorted(set(allowed)):
    print("note: written in place (its own journal): " + p)
for p in sorted(set(other)):
    print("note: library cache written outside OUT: " + p)
if not temps or temps != renamed:
    print("FAIL temporaries and renames do not match"); bad += 1
if not swapped:
    print("FAIL no run folder swapped in"); bad += 1
sys.exit(1 if bad else 0)
PY
  python3 "$work/writes.py" "$work/files.trace" "$out" "$work/root" \
    && ok "analyze: every write a 0600 O_EXCL temporary in OUT, renamed onto its name" || fail=1
  # results.db is SQLite: written in place under its rollback journal / WAL
  # (crash-safe by SQLite's design), in OUT as well.
  python3 "$work/writes.py" "$work/batch.trace" "$work/batch_out" "$work/root" '/results\.db(-journal|-wal|-shm)?$' \
    && ok "batch: every write a 0600 temporary in OUT renamed into place, or results.db" || fail=1
  # --- 4c. no network ----------------------------------------------------------------------------
  for t in files batch; do
  python3 - "$work/$t.trace" <<'PY' && ok "no network socket ($t run)" || fail=1
import re, sys
calls = [l.strip() for l in open(sys.argv[1]) if re.search(r"\b(socket|connect|bind|sendto|sendmsg|listen|accept4?)\(", l)]
net = [c for c in calls if re.search(r"AF_INET6?|AF_PACKET|AF_NETLINK", c)]
unix = [c for c in calls if "AF_UNIX" in c or "AF_LOCAL" in c]
print("%d network-family calls; %d AF_UNIX calls%s" % (len(net), len(unix), (": " + unix[0]) if unix else ""))
for c in net:
    print("FAIL " + c)
sys.exit(1 if net else 0)
PY
  done
fi
exit $fail
