#!/usr/bin/env bash
# Issue 24, "messages": "image too small (1x1000)" named no file; a black
# photo was "out of focus". Now: metrics on a 1x1000 PNG names it; a black
# photo (alone, and as a session of a series) fails quality control as
# "underexposed", never "out of focus", and the session's failure names it.
set -uo pipefail
: "${ST_CLI:?}" "${ST_SRC_DIR:?}" "${ST_BUILD_DIR:?}" "${ST_TEST_TMP:?}"
work=$ST_TEST_TMP/robust_messages
util=$ST_SRC_DIR/tests/e2e/robust_util.py
rm -rf "$work"; mkdir -p "$work"
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

python3 "$util" png "$work/thin.png" 1 1000
st=0; "$ST_CLI" metrics "$work/thin.png" >/dev/null 2>"$work/thin.err" || st=$?
[[ $st -eq 2 ]] && grep -qF "skintrack: $work/thin.png: quality: too small to measure: 1x1000 px" "$work/thin.err" \
  && [[ $(wc -l <"$work/thin.err") -eq 1 ]] && ok "1x1000: $(cat "$work/thin.err")" || { bad "1x1000: status $st"; cat "$work/thin.err"; }

"$ST_BUILD_DIR/samples/generator/skingen" photo "$work/s" --size 400x300 --seed 6 --sessions 3 >/dev/null || { echo "skingen failed"; exit 1; }
/usr/bin/python3 - "$work/s/2026-02-09.jpg" <<'PY'
import sys
from PIL import Image
p = sys.argv[1]; w, h = Image.open(p).size
Image.new("RGB", (w, h), (2, 2, 2)).save(p, quality=90)
PY
"$ST_CLI" metrics "$work/s/2026-02-09.jpg" --json 2>/dev/null >"$work/black.json"
/usr/bin/python3 - "$work/black.json" <<'PY' && ok "black photo alone: quality fails as underexposed" || bad "black photo alone"
import json, sys
q = json.load(open(sys.argv[1]))["quality"]
print("     ", q["messages"])
assert q["status"] == "fail" and q["messages"][0].startswith("underexposed"), q
assert not any("focus" in m for m in q["messages"]), q
PY
st=0; "$ST_CLI" analyze "$work/s" -o "$work/out" --no-report --no-images >/dev/null 2>"$work/an.err" || st=$?
[[ $st -eq 1 ]] && grep -qE "^skintrack: $work/s: session 1: 2026-02-09\.jpg: quality: underexposed" "$work/an.err" \
  && ! grep -q focus "$work/an.err" && ok "black session: $(grep 'session 1' "$work/an.err")" \
  || { bad "black session: status $st"; cat "$work/an.err"; }
exit $fail
