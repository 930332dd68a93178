/* Registration of a session photo onto the baseline (SPEC.md "matrix").
 *
 * The result is the 3x3 matrix M mapping homogeneous pixel coordinates of the
 * MOVING (session) image to the FIXED (baseline) image,
 *     [xb, yb, 1]^T ~ M [xs, ys, 1]^T,
 * pixel centres at integer coordinates, origin at the centre of the top-left
 * pixel. Pipeline (register.c): luminance pyramid -> coarse Fourier-Mellin
 * rotation/scale + phase-correlation translation -> ECC refinement (affine,
 * then homography) on illumination-flattened levels -> feature fallback
 * (ORB + RANSAC) when the coarse step is not confident -> verification by the
 * NCC of the aligned, flattened overlap. A pair that cannot be verified comes
 * out ST_REG_FAIL with a reason; it never comes out as a confident transform. */
#ifndef ST_REGISTER_REGISTER_H
#define ST_REGISTER_REGISTER_H

#include <stddef.h>
#include "skintrack/skintrack.h"

/* The pair registration API (st_register_pair, st_registration, ...) is
 * public: skintrack/register.h. */

/* The baseline ROI (x, y, w, h in baseline px) in a session's own frame:
 * mask (sw x sh, row stride mask_stride) gets 1 where the session pixel maps
 * (through m, session -> baseline) inside the ROI. Measuring a session on its
 * own pixels avoids the low-pass of resampling. Returns the pixels set. */
size_t st_roi_mask_in_session(const double m[9], const int roi[4], int sw, int sh,
                              unsigned char *mask, size_t mask_stride);
/* Size in mm of one session pixel at the ROI centre (baseline pixel size
 * times the local linear scale of m). */
double st_session_pixel_mm(const double m[9], const int roi[4], double baseline_pixel_mm);

/* 3x3 helpers (row-major). st_mat3_inverse returns 0 when singular. */
void st_mat3_mul(const double a[9], const double b[9], double out[9]);
int st_mat3_inverse(const double m[9], double out[9]);
/* Point through a homography. */
void st_mat3_apply(const double m[9], double x, double y, double *ox, double *oy);
/* Largest distance between where a and b put the corners of a w x h image
 * (pixel centres); not finite if either maps a corner to a non-finite point. */
double st_mat3_corner_distance(const double a[9], const double b[9], int w, int h);
/* Matrix on a pyramid level (2^level smaller, 2x2 block means, so a level
 * pixel x_l sits at x_0 = 2^l x_l + (2^l - 1)/2) as a full-resolution matrix. */
void st_mat3_level_to_full(const double ml[9], int level_fixed, int level_moving, double out[9]);
void st_mat3_full_to_level(const double m0[9], int level_fixed, int level_moving, double out[9]);

#endif
