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

typedef enum st_reg_status { ST_REG_OK = 0, ST_REG_WARN = 1, ST_REG_FAIL = 2 } st_reg_status;

/* Model that describes the final matrix (the simplest that fits it within
 * 0.1 px at the corners). */
typedef enum st_reg_model {
    ST_MODEL_IDENTITY = 0,
    ST_MODEL_TRANSLATION = 1,
    ST_MODEL_SIMILARITY = 2,
    ST_MODEL_AFFINE = 3,
    ST_MODEL_HOMOGRAPHY = 4
} st_reg_model;

typedef struct st_register_opts {
    int max_model;       /* most general model fitted (ST_MODEL_*); 0 = homography */
    int coarse_max_dim;  /* pyramid level of the coarse step: largest side <= this (0: 512) */
    int fine_max_dim;    /* finest level the ECC refinement runs on (0: 1024); the matrix is
                            scaled to full resolution from there */
    int threads;         /* <= 0: all cores */
    double ok_ncc;       /* NCC of the flattened overlap for "ok" (0: 0.5) */
    double fail_ncc;     /* below this: "fail" (0: 0.25) */
    double ok_overlap;   /* overlap fraction for "ok" (0: 0.5) */
    double fail_overlap; /* below this: "fail" (0: 0.2) */
    int no_fallback;     /* 1: never run the feature fallback */
    const char *wisdom;  /* FFTW wisdom file (NULL: default path, "off": none) */
    int fft_measure;     /* 1: plan with FFTW_MEASURE and keep it in the wisdom file */
} st_register_opts;

/* Time spent in each step, seconds (for the benchmark). */
typedef struct st_register_times {
    double pyramid, coarse, refine, fallback, verify;
} st_register_times;

typedef struct st_registration {
    st_reg_status status;
    st_reg_model model;
    double matrix[9];     /* row-major, moving -> fixed, normalised so matrix[8] == 1 */
    double ncc;           /* NCC of the aligned, flattened overlap (-1..1) */
    double overlap;       /* fraction of the fixed image the moving one covers */
    double coarse_confidence; /* peak-to-sidelobe ratio of the translation correlation */
    int used_fallback;    /* 1 if the feature path produced the result */
    char message[256];    /* reason for warn/fail, "" when ok */
    st_register_times times;
} st_registration;

void st_register_opts_default(st_register_opts *opts);
const char *st_reg_status_name(st_reg_status s);
const char *st_reg_model_name(st_reg_model m);

/* Registers moving onto fixed (1 or 3 channels, values in [0, 1]). Returns
 * ST_OK whenever a verdict was reached, including ST_REG_FAIL (read
 * out->status); an error code only for bad arguments, memory or bugs. */
int st_register_pair(const st_image *fixed, const st_image *moving, const st_register_opts *opts,
                     st_registration *out, st_err *err);

/* Warps moving into the fixed frame (dw x dh) with the matrix m (moving ->
 * fixed), bicubic, every channel; pixels with no source get `outside`.
 * valid (may be NULL) receives a dw*dh mask (1 = covered). *out gets
 * moving's channels, pixel_mm and unit. */
int st_warp_to_baseline(const st_image *moving, const double m[9], int dw, int dh, float outside,
                        st_image **out, unsigned char *valid, int threads, st_err *err);

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
