#!/usr/bin/env python3
"""A second pore model, written without skingen (issue 20): soft-edged dark
disks of known half-contrast radius on skin photos.

  soft_pores.py OUTDIR [--seed N] [--size PX] [--pixel-mm MM]

Writes OUTDIR/<tone>.jpg for the tones light, medium and tan, and
OUTDIR/truth.json: {"pixel_mm": ..., "images": {tone: [[x, y, r_half_px],
...]}}. x, y are pixel coordinates (origin at the centre of the top-left
pixel); r_half_px is the radius where the pore's darkening is half of its
centre's, in linear luminance (SPEC.md "Pore diameter": its diameter is
2 r_half).

A pore multiplies the skin's linear RGB by 1 - C f(r): C, its contrast
(0.15-0.40), f(0) = 1 and f(r_half) = 1/2 exactly, in one of two soft
shapes: f = 1 / (1 + (r / r_half)^k) with k in [3, 8] (a disk whose edge
is softer the smaller k) or the Gaussian f = 2^-(r / r_half)^2. Radii are
log-uniform in 0.05-0.25 mm; no two pores come closer than 3.5 times the
larger radius (each one's ring of skin is its own). The skin: a tone,
mottling (low-pass noise, +-3 %), light falling off across the frame
(0.70-1.15 of its mean, a tilted plane and a vignette), 4x4 supersampling
(a pixel is the mean of its area), a Gaussian lens blur of 0.5 px, sensor
noise of 1.2 % of full scale and JPEG quality 90.
"""
import argparse
import json
import os

import numpy as np
from PIL import Image

TONES = {  # linear-light sRGB skin colours
    "light": (0.62, 0.45, 0.36),
    "medium": (0.42, 0.27, 0.19),
    "tan": (0.25, 0.15, 0.10),
}
SS = 4  # supersampling per axis


def srgb_encode(v):
    v = np.clip(v, 0.0, 1.0)
    return np.where(v <= 0.0031308, 12.92 * v, 1.055 * np.power(v, 1 / 2.4) - 0.055)


def gauss_blur(img, sigma):
    """Separable Gaussian with mirrored borders."""
    r = max(1, int(np.ceil(3 * sigma)))
    x = np.arange(-r, r + 1)
    k = np.exp(-0.5 * (x / sigma) ** 2)
    k /= k.sum()
    pad = np.pad(img, ((r, r), (r, r)), mode="reflect")
    tmp = sum(k[i] * pad[:, i:i + img.shape[1]] for i in range(2 * r + 1))
    return sum(k[i] * tmp[i:i + img.shape[0], :] for i in range(2 * r + 1))


def place(rng, n_max, size, pmm, margin):
    pores = []
    for _ in range(40 * n_max):
        if len(pores) >= n_max:
            break
        r = np.exp(rng.uniform(np.log(0.05), np.log(0.25))) / pmm
        x, y = rng.uniform(margin + 3 * r, size - 1 - margin - 3 * r, 2)
        if all((x - q[0]) ** 2 + (y - q[1]) ** 2 >= (3.5 * max(r, q[2])) ** 2 for q in pores):
            pores.append((x, y, r))
    return pores


def render(rng, tone, size, pmm, n):
    pores = place(rng, n, size, pmm, 24)
    # supersampled coordinates: sample (i + 0.5) / SS - 0.5 of pixel i
    t = (np.arange(size * SS) + 0.5) / SS - 0.5
    dark = np.ones((size * SS, size * SS))
    for (x, y, r) in pores:
        kind = rng.uniform()
        k = rng.uniform(3.0, 8.0)
        c = rng.uniform(0.15, 0.40)
        reach = 6.0 * r
        ix = (t >= x - reach) & (t <= x + reach)
        iy = (t >= y - reach) & (t <= y + reach)
        xx, yy = np.meshgrid(t[ix], t[iy])
        rho = np.hypot(xx - x, yy - y) / r
        f = np.exp2(-rho ** 2) if kind < 0.35 else 1.0 / (1.0 + rho ** k)
        dark[np.ix_(iy, ix)] *= 1.0 - c * f
    dark = dark.reshape(size, SS, size, SS).mean(axis=(1, 3))
    # skin: mottling (noise low-passed at 0.3 mm), light falloff
    mott = gauss_blur(rng.normal(0, 1, (size, size)), 0.3 / pmm)
    mott = 1.0 + 0.03 * mott / (mott.std() + 1e-12)
    yy, xx = np.mgrid[0:size, 0:size] / (size - 1.0)
    a = rng.uniform(0, 2 * np.pi)
    light = 1.0 + 0.15 * ((xx - 0.5) * np.cos(a) + (yy - 0.5) * np.sin(a)) * 2
    light *= 1.0 - 0.25 * ((xx - 0.5) ** 2 + (yy - 0.5) ** 2) * 2
    base = dark * mott * light
    img = np.stack([TONES[tone][ch] * base for ch in range(3)], axis=-1)
    img = np.stack([gauss_blur(img[..., ch], 0.5) for ch in range(3)], axis=-1)
    enc = srgb_encode(img) + rng.normal(0, 0.012, img.shape)
    return np.clip(np.rint(enc * 255), 0, 255).astype(np.uint8), pores


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20)
    ap.add_argument("--size", type=int, default=800)
    ap.add_argument("--pixel-mm", type=float, default=0.025)
    ap.add_argument("--pores", type=int, default=120)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    truth = {"pixel_mm": a.pixel_mm, "images": {}}
    for i, tone in enumerate(TONES):
        rng = np.random.default_rng(a.seed * 101 + i)
        img, pores = render(rng, tone, a.size, a.pixel_mm, a.pores)
        Image.fromarray(img).save(os.path.join(a.outdir, tone + ".jpg"), quality=90)
        truth["images"][tone] = [[round(x, 4), round(y, 4), round(r, 4)] for x, y, r in pores]
    with open(os.path.join(a.outdir, "truth.json"), "w") as f:
        json.dump(truth, f)


if __name__ == "__main__":
    main()
