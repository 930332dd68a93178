#!/usr/bin/env bash
# Issue 24 (reliability, round two) through the CLI: a FIFO named
# series.json is an error at once; numbers on the command line are decimal,
# range-checked and named in the error; metrics.csv guards formula-like
# cells; an incremental batch sees changed bytes even with size and mtime
# restored; a PNG over the memory budget is refused before decoding.
set -uo pipefail
: "${ST_CLI:?}" "${ST_SRC_DIR:?}" "${ST_BUILD_DIR:?}" "${ST_TEST_TMP:?}"
work=$ST_TEST_TMP/robust_round2
util=$ST_SRC_DIR/tests/e2e/robust_util.py
gen=$ST_BUILD_DIR/samples/generator/skingen
rm -rf "$work"; mkdir -p "$work"
"$gen" photo "$work/base" --size 400x300 --seed 3 >/dev/null || { echo "skingen failed"; exit 1; }
rm -f "$work/base/truth.json"
fail=0
# usage WANT_STATUS PATTERN ARGS...: the CLI's status and one stderr line
usage() {
  local want=$1 pattern=$2 got=0; shift 2
  timeout 20 "$ST_CLI" "$@" >"$work/out.txt" 2>"$work/err.txt" || got=$?
  if [[ $got -eq $want ]] && grep -qF -- "$pattern" "$work/err.txt" && [[ $(wc -l <"$work/err.txt") -eq 1 ]]; then
    echo "ok   $* (exit $got)"
  else
    echo "FAIL $*: status $got (want $want), want one line with '$pattern'"; sed 's/^/     | /' "$work/err.txt"; fail=1
  fi
}
s=$work/base
usage 2 "--roi: '4294967416,90,100,100' is not X,Y,W,H" analyze "$s" -o "$work/o" --roi 4294967416,90,100,100
usage 2 "--roi: '1,2,3,4,' is not X,Y,W,H" analyze "$s" -o "$work/o" --roi 1,2,3,4,
usage 2 "--pixel-mm: '0x10' is not a plausible pixel size in mm (a decimal number from 0.0001 to 10)" analyze "$s" -o "$work/o" --pixel-mm 0x10
usage 2 "--pixel-mm: '1e30' is not a plausible pixel size" analyze "$s" -o "$work/o" --pixel-mm 1e30
usage 2 "--height-scale: '1e300' is not a plausible height scale" analyze "$s" -o "$work/o" --height-scale 1e300
usage 2 "--max-pixels: '1e9x' is not a whole number" analyze "$s" -o "$work/o" --max-pixels 1e9x
rm -rf "$work/needle"; cp -r "$s" "$work/needle"
python3 - "$work/needle/series.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["sessions"][1]["treatment"] = {"needle_mm": 1e308}
json.dump(d, open(sys.argv[1], "w"))
PY
usage 2 "series.json: key 'sessions[1].treatment.needle_mm': 1e+308 is not plausible (0 to 10)" analyze "$work/needle" -o "$work/o"

# FIFO series.json: an error within the timeout, not a wait
rm -rf "$work/fifo"; cp -r "$s" "$work/fifo"; rm "$work/fifo/series.json"; mkfifo "$work/fifo/series.json"
usage 2 "fifo/series.json: not a regular file" analyze "$work/fifo" -o "$work/fifo.out" --no-report

# memory budget: a 48 KB 7000x7000 gray PNG costs 3 GiB at 64 B/px
python3 - "$work/big.png" <<'PY'
import struct, sys, zlib
def chunk(k, d): return struct.pack(">I", len(d)) + k + d + struct.pack(">I", zlib.crc32(k + d) & 0xffffffff)
w = h = 7000
raw = zlib.compressobj(9)
data = b"".join(raw.compress(b"\0" * (w + 1)) for _ in range(h)) + raw.flush()
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                              + chunk(b"IDAT", data) + chunk(b"IEND", b""))
PY
usage 2 "big.png: 7000x7000 pixels would need about 2.9 GiB (64 bytes per pixel), over the memory budget of 1.0 GiB" metrics "$work/big.png" --max-memory 1G

# metrics.csv: a label that is a formula is written with a leading '
rm -rf "$work/csv"; cp -r "$s" "$work/csv"
python3 - "$work/csv/series.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["sessions"][0]["label"] = '=HYPERLINK("http://x","y")'
json.dump(d, open(sys.argv[1], "w"))
PY
"$ST_CLI" analyze "$work/csv" -o "$work/csv.out" --no-report 2>/dev/null
python3 - "$work/csv.out/metrics.csv" <<'PY' || { echo "FAIL csv: formula label not guarded"; fail=1; }
import csv, sys
labels = {r["label"] for r in csv.DictReader(open(sys.argv[1]))}
assert "'=HYPERLINK(\"http://x\",\"y\")" in labels and not any(l.startswith("=") for l in labels), labels
PY

# incremental batch: same size, mtime restored, different bytes -> analysed again
root=$work/root; rm -rf "$root" "$work/b.out"; mkdir -p "$root"; cp -r "$s" "$root/s1"
"$ST_CLI" batch "$root" -o "$work/b.out" 2>/dev/null
python3 - "$root/s1/series.json" <<'PY'
import json, os, sys
p = sys.argv[1]; st = os.stat(p); t = open(p).read()
t2 = t.replace('"P-', '"Q-', 1) if '"P-' in t else t.replace('"', "'", 0)
assert len(t2) == len(t) and t2 != t, "no patient to change"
open(p, "w").write(t2); os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
"$ST_CLI" batch "$root" -o "$work/b.out" 2>"$work/b2.err"
grep -qF "1 analysed, 0 skipped (unchanged)" "$work/b2.err" && echo "ok   batch sees changed series.json bytes" \
  || { echo "FAIL batch: changed series.json skipped"; cat "$work/b2.err"; fail=1; }
exit $fail
