#!/usr/bin/env bash
# Issue 24 rows that had a test for analyze only: a FIFO named series.json
# in one series of a batch (batch hung 608 s) fails that series at once and
# the batch goes on; an incremental batch sees a photo whose bytes changed
# with its size and mtime restored (only series.json was tested).
set -uo pipefail
: "${ST_CLI:?}" "${ST_SRC_DIR:?}" "${ST_BUILD_DIR:?}" "${ST_TEST_TMP:?}"
work=$ST_TEST_TMP/robust_batch_inputs
rm -rf "$work"; mkdir -p "$work/root"
"$ST_BUILD_DIR/samples/generator/skingen" photo "$work/root/s1" --size 300x200 --seed 2 --sessions 2 >/dev/null \
  || { echo "skingen failed"; exit 1; }
rm -f "$work/root/s1/truth.json"
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

mkdir "$work/root/s2"; cp "$work/root/s1"/*.jpg "$work/root/s2/"; mkfifo "$work/root/s2/series.json"
st=0; timeout 60 "$ST_CLI" batch "$work/root" -o "$work/out" -j 2 2>"$work/fifo.err" || st=$?
[[ $st -eq 1 ]] && grep -qF "series s2 failed: $work/root/s2/series.json: not a regular file" "$work/fifo.err" \
  && grep -q "2 series: 1 analysed, 0 skipped (unchanged), 1 failed" "$work/fifo.err" \
  && ok "batch with a FIFO series.json: that series failed, the other analysed" || { bad "FIFO: status $st"; cat "$work/fifo.err"; }
rm "$work/root/s2/series.json"; rm -r "$work/root/s2"

rm -rf "$work/out"
"$ST_CLI" batch "$work/root" -o "$work/out" 2>/dev/null
/usr/bin/python3 - "$work/root/s1/2026-02-09.jpg" <<'PY'
import os, sys
p = sys.argv[1]; st = os.stat(p); d = bytearray(open(p, "rb").read())
d[len(d) // 2] ^= 0x01  # one bit of the entropy data
open(p, "wb").write(d); os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
"$ST_CLI" batch "$work/root" -o "$work/out" 2>"$work/inc.err"
grep -qF "1 analysed, 0 skipped (unchanged)" "$work/inc.err" && ok "batch sees a photo's changed bytes (size and mtime restored)" \
  || { bad "changed photo skipped"; cat "$work/inc.err"; }
"$ST_CLI" batch "$work/root" -o "$work/out" 2>"$work/inc2.err"
grep -qF "0 analysed, 1 skipped (unchanged)" "$work/inc2.err" && ok "and skips it when nothing changed" \
  || { bad "unchanged series analysed again"; cat "$work/inc2.err"; }
exit $fail
