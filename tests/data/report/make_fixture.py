#!/usr/bin/env python3
"""Writes the metrics.json of the report fixtures (demo, uncal, height) the
way `analyze` would (SPEC.md schema "skintrack/1"), from hand-chosen values.
demo: baseline and latest calibrated on the chart, session 1 without a chart
and under a moved lamp (its colour and relief changes withheld), melanin and
haemoglobin maps (make_chromo.c) with their keys; uncal: no chart in any
photo, so every colour change is withheld. Also:
change % and trend_per_30d are computed from them exactly as SPEC.md defines
(change = 100 (s - b)/|b|; trend = least-squares slope of change vs days,
baseline included at 0 %, x 30). Detections come from make_images.c.
Run from this folder after /tmp/mk . > /tmp/dets.txt."""
import json, math, re, sys

dets = {}
cur = None
for line in open(sys.argv[1] if len(sys.argv) > 1 else "/tmp/dets.txt"):
    if line.startswith("== k="):
        cur = line[5:].strip(); dets[cur] = ""
    else:
        dets[cur] += line
det = {k: json.loads("{" + v + "}") for k, v in dets.items()}

PHOTO = {  # name: (baseline value, unit, factor at full effect)
 "texture.glcm.contrast": (2.84, "", 0.90), "texture.glcm.dissimilarity": (1.12, "", 0.93),
 "texture.glcm.homogeneity": (0.612, "", 1.03), "texture.glcm.asm": (0.0214, "", 1.05),
 "texture.glcm.entropy": (7.41, "bits", 0.98), "texture.glcm.correlation": (0.873, "", 1.01),
 "texture.lbp.entropy": (3.02, "bits", 0.99),
 "roughness.sa": (0.0182, "rel", 0.84), "roughness.sq": (0.0236, "rel", 0.82),
 "roughness.ssk": (-0.42, "", 0.80), "roughness.sku": (3.9, "", 0.90),
 "roughness.sp": (0.081, "rel", 0.88), "roughness.sv": (0.112, "rel", 0.79),
 "roughness.sz": (0.193, "rel", 0.83), "roughness.sdq": (0.61, "rel/mm", 0.86),
 "roughness.sdr": (1.84, "%", 0.78), "roughness.sal": (0.42, "mm", 1.08),
 "roughness.str": (0.71, "", 1.02), "roughness.std": (33.0, "deg", 1.0),
 "roughness.band_fine": (0.0091, "rel", 0.80), "roughness.band_medium": (0.0142, "rel", 0.83),
 "roughness.band_coarse": (0.0158, "rel", 0.92), "roughness.psd_slope": (-2.61, "", 1.04),
 "roughness.fractal_dim": (2.19, "", 0.98),
 "pores.count": (20, "", 0.75), "pores.density_cm2": (104.2, "1/cm2", 0.75),
 "pores.mean_diameter_mm": (0.229, "mm", 0.83), "pores.area_fraction": (4.3, "%", 0.66),
 "scars.count": (3, "", 1.0), "scars.area_mm2": (11.9, "mm2", 0.86),
 "scars.area_fraction": (6.2, "%", 0.86), "scars.mean_depth": (0.071, "rel", 0.70),
 "scars.max_depth": (0.12, "rel", 0.62),
 "wrinkles.length_mm_cm2": (7.3, "mm/cm2", 0.88), "wrinkles.mean_width_mm": (0.18, "mm", 0.85),
 "wrinkles.depth_index": (0.18, "rel", 0.64),
 "pigment.ita_deg": (28.4, "deg", 1.05), "pigment.ita_sd": (4.9, "deg", 0.91),
 "pigment.melanin_index": (41.2, "", 0.97), "pigment.spot_area_fraction": (3.1, "%", 0.97),
 "redness.erythema_index": (16.8, "", 0.93), "redness.area_fraction": (12.4, "%", 0.99),
 "quality.sharpness": (0.84, "", 1.0), "quality.clipped_pct": (0.02, "%", 1.0),
 "quality.exposure": (0.63, "", 1.0),
}

def values(table, effect, drop=(), units=None, jitter=0.0):
    out = {}
    for i, (k, (b, u, f)) in enumerate(table.items()):
        if k in drop: continue
        v = b * (1 + (f - 1) * effect) * (1 + jitter * math.sin(3.1 * i + 7 * effect))
        v = float(f"{v:.6g}") if k not in ("pores.count", "scars.count") else round(v)
        out[k] = {"value": v, "unit": (units or {}).get(k, u)}
    return out

def light_obj(d, base):
    """session.light: the lamp's direction and its angle to the baseline's;
    relief is comparable within 15 degrees (a stand-in for analyze's limit)."""
    n = lambda v: [x / math.sqrt(sum(y * y for y in v)) for x in v]
    a, b = n(d), n(base)
    ang = math.degrees(math.acos(max(-1.0, min(1.0, sum(x * y for x, y in zip(a, b))))))
    return {"direction": [float(f"{x:.4g}") for x in a], "angle_to_baseline_deg": float(f"{ang:.3g}"),
            "relief_comparable": ang <= 15}

def withheld_reason(name, b, s, ses):
    """Why a change is withheld, by the rules of SPEC.md "Colour" and "Light"
    as analyze applies them (series/result.c)."""
    if name.startswith(("pigment.", "redness.")) and s.get("colour"):
        if b["colour"]["status"] == "uncalibrated": return "colour not calibrated in the baseline"
        if s["colour"]["status"] == "uncalibrated": return "colour not calibrated in this session"
    if name.startswith(("roughness.", "scars.", "wrinkles.", "texture.")) and "light" in ses \
            and not ses["light"]["relief_comparable"]:
        return f"lamp moved: {ses['light']['angle_to_baseline_deg']:.0f}\u00b0 from the baseline's"
    return None

def build(meta, table, plan, drop=(), units=None, flags=(), index=None, ci=None, psd=True,
          tiles=True, dets_by=None, keys=None):
    sessions = []
    base = None
    for s in plan:
        ses = {"index": s["index"], "date": s["date"], "days": s["days"], "label": s["label"],
               "files": s["files"]}
        if s.get("treatment"): ses["treatment"] = s["treatment"]
        if s.get("failed"):
            ses["status"] = "failed"; ses["reason"] = s["failed"]
            ses["registration"] = {"status": "failed", "model": "similarity", "matrix": None,
                                   "ncc": 0.21, "overlap": 0.34, "message": s["failed"]}
            ses["quality"] = {"status": "ok", "sharpness": 0.31, "clipped_pct": 0.4, "messages": []}
            ses["metrics"] = {}; ses["change"] = {}; ses["detections"] = {"pores": [], "scars": []}
            sessions.append(ses); continue
        met = values(table, s["effect"], drop, units, jitter=0.004 if s["effect"] else 0)
        if base is None: base = met
        ses["registration"] = {"status": s.get("reg", "ok"), "model": "similarity",
            "matrix": [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]] if s["index"] == 0 else
                      [[0.998, -0.012, 3.4], [0.012, 0.998, -2.1], [0.0, 0.0, 1.0]],
            "ncc": 1.0 if s["index"] == 0 else s.get("ncc", 0.93), "overlap": 1.0 if s["index"] == 0 else 0.96,
            "message": s.get("reg_msg", "")}
        ses["quality"] = {"status": s.get("q", "ok"), "sharpness": met.get("quality.sharpness", {"value": 0.8})["value"],
                          "clipped_pct": 0.02, "messages": s.get("q_msgs", [])}
        if s.get("colour"): ses["colour"] = s["colour"]
        if s.get("light"): ses["light"] = light_obj(s["light"], plan[0].get("light"))
        ses["metrics"] = met
        if s["index"] != 0:
            ses["change"] = {k: float(f"{100 * (v['value'] - base[k]['value']) / abs(base[k]['value']):.6g}")
                             for k, v in met.items() if base[k]["value"] != 0}
            why = {k: withheld_reason(k, plan[0], s, ses) for k in ses["change"]}
            ses["withheld"] = {k: r for k, r in why.items() if r}
            ses["change"] = {k: c for k, c in ses["change"].items() if not why[k]}
        if dets_by: ses["detections"] = dets_by(s["effect"])
        if psd:
            f = [0.05 * 1.35 ** i for i in range(20)]
            a = 1 - 0.55 * s["effect"]
            ses["psd"] = {"freq_per_mm": [float(f"{x:.5g}") for x in f],
                          "power": [float(f"{2e-4 * x ** -2.6 * (a if x > 0.5 else 1):.5g}") for x in f]}
        if tiles:  # analyze's layout; null = a tile outside the measured mask
            ses["tiles"] = {m: {"unit": met[m]["unit"], "rows": 3, "cols": 4, "x0": 0, "y0": 0, "tile_px": 80,
                "values": [None if r * 4 + c == 3 else
                 float(f"{table[m][0] * (1 + (table[m][2] - 1) * s['effect']) * (0.7 + 0.6 * ((r * 4 + c) * 0.37 % 1)):.5g}")
                 for r in range(3) for c in range(4)]} for m in ("roughness.sq", "scars.mean_depth")}
        if s.get("repeat"):  # several photos of one session: SD over the shots
            ses["repeatability"] = {k: float(f"{abs(v['value']) * 0.021:.4g}") for k, v in met.items()
                                    if k.startswith("roughness.")}
        if s.get("images"):
            ses["images"] = s["images"]
        sessions.append(ses)
    # progress
    trend = {}
    pts = [(s["days"], s) for s in sessions if s.get("status") != "failed" and s["days"] is not None]
    for k in base:
        xs, ys = [], []
        for d, s in pts:
            if s["index"] == 0: xs.append(d); ys.append(0.0)
            elif k in s["change"]: xs.append(d); ys.append(s["change"][k])
        if len(xs) >= 2:
            n = len(xs); sx = sum(xs); sy = sum(ys)
            sxx = sum(x * x for x in xs); sxy = sum(x * y for x, y in zip(xs, ys))
            trend[k] = float(f"{30 * (n * sxy - sx * sy) / (n * sxx - sx * sx):.6g}")
    prog = {"trend_per_30d": trend, "flags": list(flags)}
    if index is not None: prog["remodeling_index"] = {"value": index[0], "ci95": [index[1], index[2]]}
    if ci: prog["change_ci95"] = ci
    doc = {"schema": "skintrack/1", "tool": {"name": "skintrack", "version": "0.1.0",
           "run_date": "2026-04-07T09:30:00Z"}, "series": meta, "sessions": sessions,
           "progress": prog}
    if keys: doc["chromophore_keys"] = keys
    return doc

def det_for(effect):
    key = {1.0: "1.0", 0.0: "1.0", 0.4: "0.85", 0.8: "0.62", 0.6: "0.7"}[effect]
    return det[key]

tx = {"setting": "professional", "needle_mm": 1.5, "adjuncts": ["PRP"]}
# session.colour as analyze writes it (report/json_writer.c colour_obj)
CAL = lambda before, after: {"status": "calibrated", "method": "chart", "delta_e00_before": before,
                             "delta_e00_after": after, "chart_box": [212, 160, 96, 66]}
UNCAL = {"status": "uncalibrated", "method": "none", "delta_e00_before": None, "delta_e00_after": None,
         "chart_box": None, "message": "no colour chart found in the photo"}
KEYS = {"melanin": {"min": 0.0, "max": 1.5, "colour_min": "#f6eee4", "colour_max": "#3d2410",
                    "unit": "optical density"},
        "haemoglobin": {"min": 0.0, "max": 0.6, "colour_min": "#f8eeee", "colour_max": "#8e1020",
                        "unit": "optical density"}}
demo = build({"name": "P-0042-cheek", "patient": "P-0042", "area": "left cheek", "modality": "photo",
              "pixel_mm": 0.05, "calibrated": True, "roi": [0, 0, 320, 240], "baseline": 0},
    PHOTO,
    [{"index": 0, "date": "2026-01-05", "days": 0, "label": "baseline", "files": ["2026-01-05.jpg"], "effect": 0.0, "treatment": tx,
      "colour": CAL(7.3, 0.9), "light": [-0.42, -0.31, 0.85],
      "images": {"aligned": "images/s0_aligned.png", "melanin": "images/session_00_melanin.jpg",
                 "haemoglobin": "images/session_00_haemoglobin.jpg", "origin": [0, 0], "scale": 1}},
     {"index": 1, "date": "2026-02-09", "days": 35, "label": "session 1", "files": ["2026-02-09_a.jpg", "2026-02-09_b.jpg"],
      "effect": 0.4, "repeat": True, "colour": UNCAL, "light": [0.12, -0.38, 0.92],
      "images": {"aligned": "images/s1_aligned.jpg", "origin": [0, 0], "scale": 1},
      "treatment": {"setting": "professional", "needle_mm": 1.5, "adjuncts": []}},
     {"index": 2, "date": "2026-03-02", "days": 56, "label": "session 2", "files": ["2026-03-02.jpg"],
      "failed": "registration: session 2 (2026-03-02.jpg): too little overlap with baseline (34 %)",
      "treatment": {"setting": "professional", "needle_mm": 2.0}},
     {"index": 3, "date": "2026-04-06", "days": 91, "label": "session 3", "files": ["2026-04-06.jpg"], "effect": 0.8,
      "q_msgs": ["slightly soft focus (sharpness 0.71, baseline 0.84)"], "q": "warning",
      "colour": CAL(6.8, 1.1), "light": [-0.37, -0.36, 0.86],
      "images": {"aligned": "images/s3_aligned.png", "diff": "images/s3_diff.png",
                 "melanin": "images/session_03_melanin.jpg", "haemoglobin": "images/session_03_haemoglobin.jpg",
                 "origin": [0, 0], "scale": 1},
      "treatment": {"setting": "professional", "needle_mm": 1.5, "adjuncts": ["PRP"]}}],
    flags=["sessions 1 and 2 are 21 days apart; professional courses space them 4–6 weeks",
           "session 2 (2026-03-02.jpg): registration failed (too little overlap with baseline, 34 %)"],
    index=(14.2, 9.8, 18.1),
    ci={"roughness.sq": [-19.6, -9.1], "pores.density_cm2": [-27.0, -12.9], "scars.mean_depth": [-31.5, -16.4],
        "wrinkles.length_mm_cm2": [-16.0, 0.8], "pigment.spot_area_fraction": [-7.9, 3.1],
        "redness.erythema_index": [-9.0, -2.1]},
    dets_by=det_for, keys=KEYS)

uncal_drop = [k for k in PHOTO if any(s in k for s in ("density_cm2", "diameter_mm", "area_mm2", "length_mm_cm2",
              "width_mm", "band_", "sal", "sdq", "sdr"))]
uncal_plan = [{"index": 0, "date": "", "days": None, "label": "baseline", "files": ["IMG_0001.jpg"], "effect": 0.0,
               "colour": UNCAL, "light": [0.0, -0.5, 0.87]},
              {"index": 1, "date": "", "days": None, "label": "session 1", "files": ["IMG_0107.jpg"], "effect": 0.3,
               "colour": UNCAL, "light": [0.03, -0.47, 0.88]},
              {"index": 2, "date": "", "days": None, "label": "session 2", "files": ["IMG_0212.jpg"], "effect": 0.6,
               "colour": UNCAL, "light": [0.08, -0.52, 0.85]}]
uncal = build({"name": "walk-in <Müller & Söhne>", "patient": "Anna \"Ann\" O'Brien <script>alert(1)</script>",
               "area": "forehead & temples", "modality": "photo", "calibrated": False, "baseline": 0,
               "dates_unknown": True, "notes": ["notes.txt: not an image (.jpg, .jpeg, .png), ignored",
                                         "old scans: a folder, ignored",
                                         "the ROI reaches past the baseline image; measured on the part inside it"]},
    PHOTO, uncal_plan, drop=uncal_drop, index=(6.1, -2.4, 14.0), psd=False, tiles=False,
    flags=["session dates are unknown: no date in series.json, file names or EXIF; file-name order used"])

def height_dets(d):
    """Scar depths in micrometres, as a height series reports them."""
    d = json.loads(json.dumps(d))
    for s in d["scars"]: s["max_depth"] = round(s["max_depth"] * 1000, 1)
    return d

HEIGHT = {k: v for k, v in PHOTO.items() if not k.startswith(("pigment.", "redness."))}
HEIGHT["scars.volume"] = (0.41, "mm3", 0.72)
hunits = {k: "um" for k in HEIGHT if HEIGHT[k][1] == "rel"}
hunits["roughness.sdq"] = ""
HEIGHT = {k: ((v[0] * 1000 if hunits.get(k) == "um" else v[0]), v[1], v[2]) for k, v in HEIGHT.items()}
height = build({"name": "R-17-scar-study", "patient": "R-17", "area": "right temple (atrophic acne scars)",
                "modality": "height", "pixel_mm": 0.05, "calibrated": True, "roi": [0, 0, 320, 240], "baseline": 0},
    HEIGHT,
    [{"index": 0, "date": "2025-09-01", "days": 0, "label": "baseline", "files": ["2025-09-01.png"], "effect": 0.0,
      "treatment": {"setting": "home", "needle_mm": 0.5}},
     {"index": 1, "date": "2025-09-08", "days": 7, "label": "week 1", "files": ["2025-09-08.png"], "effect": 0.0001,
      "treatment": {"setting": "home", "needle_mm": 1.0}},
     {"index": 2, "date": "2025-11-03", "days": 63, "label": "week 9", "files": ["2025-11-03.png"], "effect": 0.6,
      "treatment": {"setting": "home", "needle_mm": 0.5}}],
    units=hunits, index=(11.0, 3.5, 18.4), dets_by=lambda e: height_dets(det["1.0" if e < 0.5 else "0.7"]),
    flags=["session 1: home device with 1.0 mm needles; home use is limited to needles of 0.5 mm or less"])

for name, doc in (("demo", demo), ("uncal", uncal), ("height", height)):
    import os; os.makedirs(name, exist_ok=True)
    with open(f"{name}/metrics.json", "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False); f.write("\n")
print("ok")
