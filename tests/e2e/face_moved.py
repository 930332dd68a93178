"""SRC OUT: OUT/ holds scikit-image's astronaut (SRC) as the baseline and, as
the second session, a copy whose face moved unlike its background: the head
(an ellipse round the face and hair, centre (224, 110), semi-axes 75 x 95 px,
feathered over 6 px) turned by FACE_DEG about the image centre and shifted by
FACE_SHIFT, the rest shifted by BG_SHIFT (bicubic, edges repeated). Prints
the face's transform as JSON (deg, dx, dy about the centre) for
skin_area_slow.sh; needs python3-skimage."""
import json
import os
import shutil
import sys

import numpy as np
from skimage import io, transform

FACE_DEG, FACE_SHIFT, BG_SHIFT = 2.0, (3.0, -2.0), (-9.0, 6.0)

src, out = sys.argv[1], sys.argv[2]
img = io.imread(src)[:, :, :3].astype(float)
os.makedirs(out, exist_ok=True)
shutil.copy(src, os.path.join(out, "2026-01-05" + os.path.splitext(src)[1]))
h, w = img.shape[:2]
c = np.array([w / 2, h / 2])


def moved(deg, shift):
    tf = (transform.SimilarityTransform(translation=-c) + transform.SimilarityTransform(rotation=np.deg2rad(deg))
          + transform.SimilarityTransform(translation=c + np.array(shift)))
    return transform.warp(img, tf.inverse, order=3, mode="edge", preserve_range=True), tf


face, tf = moved(FACE_DEG, FACE_SHIFT)
bg, _ = moved(0.0, BG_SHIFT)
# the head's ellipse where the face now is (the original's, moved with it)
yy, xx = np.mgrid[0:h, 0:w].astype(float)
inv = tf.inverse(np.stack([xx.ravel(), yy.ravel()], 1)).reshape(h, w, 2)
r = np.hypot((inv[..., 0] - 224) / 75, (inv[..., 1] - 110) / 95)
alpha = np.clip((1 - r) * 95 / 6 + 0.5, 0, 1)[..., None]
out_img = alpha * face + (1 - alpha) * bg
io.imsave(os.path.join(out, "2026-02-09.png"), np.clip(np.round(out_img), 0, 255).astype(np.uint8),
          check_contrast=False)
print(json.dumps({"deg": FACE_DEG, "dx": FACE_SHIFT[0], "dy": FACE_SHIFT[1], "bg_dx": BG_SHIFT[0],
                  "bg_dy": BG_SHIFT[1]}))
