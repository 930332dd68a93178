#!/usr/bin/env python3
"""Pores found on the soft-pore photos (tests/pore_model/soft_pores.py)
against their truth (issue 20, SPEC.md "Pore diameter").

  soft_pores_check.py TRUTH.json TONE METRICS.json

A found pore matches the nearest unmatched true pore whose centre lies
within that pore's half-contrast radius (greedy, nearest pairs first).
Prints recall, precision and the diameter bias (mean found / mean true
diameter of the matched pairs, minus 1) and the bias of
pores.mean_diameter_mm against the true pores' mean; asserts precision
>= 0.90 and both biases within +-10 %. Exit status 1 when one misses.
"""
import json
import math
import sys

truth_path, tone, metrics_path = sys.argv[1:4]
t = json.load(open(truth_path))
pmm = t["pixel_mm"]
true = t["images"][tone]
m = json.load(open(metrics_path))
found = m["detections"]["pores"]

pairs = []
for j, f in enumerate(found):
    for i, (x, y, r) in enumerate(true):
        d = math.hypot(f["x"] - x, f["y"] - y)
        if d <= r:
            pairs.append((d, i, j))
pairs.sort()
used_t, used_f, match = set(), set(), []
for d, i, j in pairs:
    if i not in used_t and j not in used_f:
        used_t.add(i)
        used_f.add(j)
        match.append((i, j))

recall = len(match) / len(true)
precision = len(match) / len(found) if found else 0.0
sum_t = sum(2 * true[i][2] * pmm for i, _ in match)
sum_f = sum(found[j]["d_mm"] for _, j in match)
bias = sum_f / sum_t - 1 if match else float("nan")
mean_true = sum(2 * r * pmm for _, _, r in true) / len(true)
mean_d = m["metrics"].get("pores.mean_diameter_mm", {}).get("value", float("nan"))
bias_metric = mean_d / mean_true - 1
# the pores' sizes in three bands of the true radius: where a bias sits
bands = []
for lo, hi in ((0.05, 0.09), (0.09, 0.15), (0.15, 0.26)):
    sel = [(i, j) for i, j in match if lo <= true[i][2] * pmm < hi]
    if sel:
        b = sum(found[j]["d_mm"] for _, j in sel) / sum(2 * true[i][2] * pmm for i, _ in sel) - 1
        bands.append("r %.2f-%.2f mm: %+.1f %% (%d)" % (lo, hi, 100 * b, len(sel)))
print("%s: %d true, %d found, recall %.3f, precision %.3f, matched diameter bias %+.1f %%, "
      "pores.mean_diameter_mm %.4f mm vs true mean %.4f mm (%+.1f %%)"
      % (tone, len(true), len(found), recall, precision, 100 * bias, mean_d, mean_true,
         100 * bias_metric))
print("  " + "; ".join(bands))
fails = 0
if not precision >= 0.90:
    print("FAIL %s: precision %.3f < 0.90" % (tone, precision))
    fails += 1
if not abs(bias) <= 0.10:
    print("FAIL %s: matched diameter bias %+.1f %% outside +-10 %%" % (tone, 100 * bias))
    fails += 1
if not abs(bias_metric) <= 0.10:
    print("FAIL %s: pores.mean_diameter_mm bias %+.1f %% outside +-10 %%" % (tone, 100 * bias_metric))
    fails += 1
sys.exit(1 if fails else 0)
