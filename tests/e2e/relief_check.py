#!/usr/bin/env python3
"""Relief metrics of photos against the generator's truth (issue 18).

  relief_check.py OUT SERIES MODE
MODE:
  relief  fixed lamp, relief x0.9 per session: roughness.sq, scars.max_depth
          and wrinkles.depth_index changes within 6 points of the truth
          (roughness.sq_um, scars.max_depth_um, wrinkles.mean_depth_um)
  repeat  the same skin every session: worst |change| roughness.sq <= 2 %,
          pores.mean_diameter_mm <= 2 %, pores.count <= 4 %,
          scars.max_depth <= 4 %, wrinkles.* <= 6 %; the baseline's
          wrinkles' length within 35 % of the truth's in the ROI
Prints every figure (the README's repeatability table comes from them).
"""
import json
import sys

out, series, mode = sys.argv[1], sys.argv[2], sys.argv[3]
m = json.load(open(out + "/metrics.json"))
t = json.load(open(series + "/truth.json"))
fails = 0


def check(ok, what):
    global fails
    print(("ok   " if ok else "FAIL ") + what)
    fails += not ok


sessions, truth = m["sessions"], t["sessions"]
check(len(sessions) == len(truth), "%d sessions measured (truth %d)" % (len(sessions), len(truth)))
if mode == "relief":
    pairs = (("roughness.sq", "roughness.sq_um"), ("scars.max_depth", "scars.max_depth_um"),
             ("wrinkles.depth_index", "wrinkles.mean_depth_um"))
    for s, ts in zip(sessions[1:], truth[1:]):
        ch, tch = s.get("change", {}), ts.get("change_pct", {})
        for k, tk in pairs:
            got, want = ch.get(k), tch.get(tk)
            if got is None or want is None:
                check(False, "session %d: %s change missing (withheld: %s)" %
                      (s["index"], k, s.get("withheld", {}).get(k)))
                continue
            check(abs(got - want) <= 6.0, "session %d: %s %+.1f %%, truth %+.1f %%" % (s["index"], k, got, want))
elif mode == "repeat":
    limits = (("roughness.sq", 2.0), ("pores.mean_diameter_mm", 2.0), ("pores.count", 4.0),
              ("scars.max_depth", 4.0), ("wrinkles.length_mm_cm2", 6.0), ("wrinkles.depth_index", 6.0))
    for k, lim in limits:
        vals = [s.get("change", {}).get(k) for s in sessions[1:]]
        if any(v is None for v in vals):
            check(False, "%s: change missing in some session (%s)" % (k, vals))
            continue
        worst = max(abs(v) for v in vals)
        check(worst <= lim, "%s: worst |change| %.1f %% over %d repeat sessions (limit %g %%)" %
              (k, worst, len(vals), lim))
    px = t["pixel_mm"]
    roi = t["roi"]
    area_cm2 = roi[2] * roi[3] * px * px / 100.0
    want = sum(w["length_mm"] for w in truth[0]["wrinkles"] if w["in_roi"]) / area_cm2
    got = sessions[0]["metrics"].get("wrinkles.length_mm_cm2", {}).get("value", 0.0)
    check(want > 0 and abs(got / want - 1) <= 0.35,
          "baseline wrinkles: %.3f mm/cm2, truth %.3f mm/cm2 (within 35 %%)" % (got, want))
sys.exit(1 if fails else 0)
