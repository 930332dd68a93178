#!/usr/bin/env bash
# A series with a blurred session and a photo of something else: those two
# are marked failed with a reason, the rest is measured, exit status 1, and
# the input folder is left untouched.
set -euo pipefail
src=$ST_SRC_DIR/samples/demo/bad-session
work=$ST_TEST_TMP/analyze_bad_session
rm -rf "$work"
mkdir -p "$work"
before=$(cd "$src" && ls -la --time-style=full-iso . | sha256sum)
status=0
"$ST_CLI" analyze "$src" -o "$work/out" -j 2 2>"$work/log" || status=$?
cat "$work/log"
[[ $status -eq 1 ]] || { echo "exit status $status, expected 1"; exit 1; }
after=$(cd "$src" && ls -la --time-style=full-iso . | sha256sum)
[[ $before == "$after" ]] || { echo "the input folder changed"; exit 1; }
grep -q "2026-03-23.jpg" "$work/log" && grep -q "2026-04-27.jpg" "$work/log"
python3 - "$work/out/metrics.json" "$src/truth.json" <<'PY'
import json, sys
got = json.load(open(sys.argv[1]))
truth = json.load(open(sys.argv[2]))
bad = 0
for s, t in zip(got["sessions"], truth["sessions"]):
    want_fail = t["defect"] != "none"
    failed = s["status"] == "failed"
    ok = failed == want_fail and (not failed or s["error"]) and (failed or s["metrics"])
    if failed:
        ok = ok and not s["metrics"] and "change" not in s or ok and not s.get("change")
    print(("ok   " if ok else "FAIL ") + "session %d (%s): %s %s" % (s["index"], t["defect"], s["status"], s["error"]))
    bad += not ok
m1 = got["sessions"][1]
ok = "roughness.sq" in m1["change"]
print(("ok   " if ok else "FAIL ") + "session 1 has changes vs baseline")
bad += not ok
trend_ok = "roughness.sq" in got["progress"]["trend_per_30d"]
print(("ok   " if trend_ok else "FAIL ") + "trend from the measured sessions")
bad += not trend_ok
flags = " ".join(got["progress"]["flags"])
ok = "session 2 failed" in flags and "session 3 failed" in flags
print(("ok   " if ok else "FAIL ") + "failed sessions named in the flags")
bad += not ok
sys.exit(1 if bad else 0)
PY
