/* skintrack — pair registration (part of the public API, included by
 * skintrack/skintrack.h).
 *
 * Registration of a session photo onto the baseline (SPEC.md "matrix").
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
#ifndef SKINTRACK_REGISTER_H
#define SKINTRACK_REGISTER_H

#include "skintrack/skintrack.h"

#ifdef __cplusplus
extern "C" {
#endif

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

ST_API void st_register_opts_default(st_register_opts *opts);
ST_API const char *st_reg_status_name(st_reg_status s);
ST_API const char *st_reg_model_name(st_reg_model m);

/* Registers moving onto fixed (1 or 3 channels, values in [0, 1]). Returns
 * ST_OK whenever a verdict was reached, including ST_REG_FAIL (read
 * out->status); an error code only for bad arguments, memory or bugs. */
ST_API int st_register_pair(const st_image *fixed, const st_image *moving,
                            const st_register_opts *opts, st_registration *out, st_err *err);

/* Warps moving into the fixed frame (dw x dh) with the matrix m (moving ->
 * fixed), bicubic, every channel; pixels with no source get `outside`.
 * valid (may be NULL) receives a dw*dh mask (1 = covered). *out gets
 * moving's channels, pixel_mm and unit. */
ST_API int st_warp_to_baseline(const st_image *moving, const double m[9], int dw, int dh, float outside,
                               st_image **out, unsigned char *valid, int threads, st_err *err);

#ifdef __cplusplus
}
#endif
#endif
