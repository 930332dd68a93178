#!/usr/bin/env python3
"""Colour of an analysed series against the generator's truth (issue 17).

  colour_check.py OUT SERIES MODE
MODE:
  calibrated   every session calibrated on its chart; EI and MI changes within
               max(2 points, 25 % of the true change); ITA within 3 degrees
  same         as calibrated, and the skin equals the baseline's in every
               session: EI, MI within 2 % and ITA within 1 degree of the baseline
  relief-kept  calibrated; only colour changed: roughness.sq and
               pores.mean_diameter_mm move by at most 5 %
  uncalibrated no chart: colour.status "uncalibrated", every pigment.* and
               redness.* change withheld with its reason, none in "change"
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


COLOUR = ("redness.erythema_index", "pigment.melanin_index")
sessions, truth = m["sessions"], t["sessions"]
check(len(sessions) == len(truth), "%d sessions measured (truth %d)" % (len(sessions), len(truth)))
base = sessions[0]["metrics"]
for s, ts in zip(sessions, truth):
    i, col, v = s["index"], s.get("colour", {}), s["metrics"]
    if mode == "uncalibrated":
        check(col.get("status") == "uncalibrated" and col.get("method") == "none",
              "session %d: colour %s" % (i, col.get("status")))
        if i > 0:
            wh, ch = s.get("withheld", {}), s.get("change", {})
            names = [k for k in v if k.startswith(("pigment.", "redness."))]
            check(names and all(k in wh and k not in ch for k in names),
                  "session %d: %d colour changes withheld (%s)" % (i, len(names), wh.get(COLOUR[0])))
        continue
    check(col.get("status") == "calibrated" and col.get("method") == "chart",
          "session %d: calibrated on the chart, dE00 %.2f -> %.2f" %
          (i, col.get("delta_e00_before") or -1, col.get("delta_e00_after") or -1))
    tc = ts["colour"]
    ita, tita = v["pigment.ita_deg"]["value"], tc["ita_deg"]
    check(abs(ita - tita) <= 3.0, "session %d: ITA %.2f deg, truth %.2f" % (i, ita, tita))
    if i == 0:
        continue
    ch, tch = s.get("change", {}), ts.get("change_pct", {})
    for k in COLOUR:
        got, want = ch.get(k), tch.get(k)
        if got is None or want is None:
            check(False, "session %d: %s change missing (withheld: %s)" % (i, k, s.get("withheld", {}).get(k)))
            continue
        tol = max(2.0, 0.25 * abs(want))
        check(abs(got - want) <= tol, "session %d: %s %+.2f %%, truth %+.2f %% (tol %.2f)" % (i, k, got, want, tol))
    if mode == "same":
        for k in COLOUR:
            check(abs(ch[k]) <= 2.0, "session %d: %s %+.2f %% of the baseline's (same skin)" % (i, k, ch[k]))
        d = ita - base["pigment.ita_deg"]["value"]
        check(abs(d) <= 1.0, "session %d: ITA %+.2f deg from the baseline's (same skin)" % (i, d))
    if mode == "relief-kept":
        for k in ("roughness.sq", "pores.mean_diameter_mm"):
            check(k in ch and abs(ch[k]) <= 5.0, "session %d: %s %+.2f %% (colour-only change)" % (i, k, ch.get(k, 99)))
sys.exit(1 if fails else 0)
