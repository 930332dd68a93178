"""SRC OUT DEG DX DY: OUT/ holds SRC as the baseline and SRC turned by DEG
about its centre and shifted by (DX, DY) px (bicubic, edges repeated) as the
second session; used by skin_area_slow.sh (needs python3-skimage)."""
import os
import shutil
import sys

import numpy as np
from skimage import io, transform

src, out = sys.argv[1], sys.argv[2]
deg, dx, dy = (float(v) for v in sys.argv[3:6])
img = io.imread(src)[:, :, :3]
os.makedirs(out, exist_ok=True)
shutil.copy(src, os.path.join(out, "2026-01-05" + os.path.splitext(src)[1]))
c = np.array([img.shape[1] / 2, img.shape[0] / 2])
tf = (transform.SimilarityTransform(translation=-c) + transform.SimilarityTransform(rotation=np.deg2rad(deg))
      + transform.SimilarityTransform(translation=c + np.array([dx, dy])))
w = transform.warp(img.astype(float), tf.inverse, order=3, mode="edge", preserve_range=True)
io.imsave(os.path.join(out, "2026-02-09.png"), np.clip(np.round(w), 0, 255).astype(np.uint8), check_contrast=False)
