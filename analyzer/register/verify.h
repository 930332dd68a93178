/* Verification of a registration: NCC of the aligned overlap, overlap
 * fraction, plausibility of the matrix, and the simplest model describing it. */
#ifndef ST_REGISTER_VERIFY_H
#define ST_REGISTER_VERIFY_H

#include "register/refine.h"

/* Warps moving onto fixed with m (level pixels) and measures the Pearson
 * correlation over the covered pixels; *overlap = covered / fixed pixels. */
int st_verify_overlap(const st_plane *fixed, const st_plane *moving, const double m[9],
                      int threads, double *ncc, double *overlap, st_err *err);

/* Simplest model whose corner fit stays within tol_px of m (full-size
 * moving image w x h). */
st_reg_model st_classify_model(const double m[9], int w, int h, double tol_px);

/* "" if m is a plausible camera change (area ratio 1/4..4, corners in front
 * of the camera, convex image of the frame), else a reason. */
const char *st_implausible(const double m[9], int w, int h);

#endif
