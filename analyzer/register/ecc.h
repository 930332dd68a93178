/* Enhanced Correlation Coefficient image alignment (Evangelidis & Psarakis
 * 2008, "Parametric image alignment using enhanced correlation coefficient
 * maximization", IEEE PAMI 30(10)), forward-additive, with the update rule
 * of OpenCV's findTransformECC, for the translation, affine and homography
 * warps. Each iteration is ONE pass over the template rows that samples the
 * image and its gradients at the warped positions and accumulates every sum
 * the Gauss-Newton step needs; the zero-mean corrections are applied to the
 * raw sums afterwards. Rows are summed in blocks of fixed size, combined in
 * block order: the result does not depend on the thread count. */
#ifndef ST_REGISTER_ECC_H
#define ST_REGISTER_ECC_H

#include <stddef.h>

#include "register/refine.h"

/* A template / image pair prepared once per pyramid level: both smoothed by
 * a small Gaussian (as OpenCV's gaussFiltSize 5, sigma 1.1), the image's
 * gradients by central differences of the smoothed image. Values are stored
 * minus a constant near their mean, which the correlation ignores and which
 * keeps the float sums of squares free of cancellation. */
typedef struct st_ecc_level {
    int tw, th, iw, ih;
    size_t tstride; /* floats per template row (>= tw + 8: blocks may read past the end) */
    float *tpl;     /* smoothed template */
    float *img;     /* per image pixel (value, d/dx, d/dy, 0), rows of iw pixels */
} st_ecc_level;

/* Smoothing of both planes before ECC (pixels). */
#define ST_ECC_SIGMA 1.1

int st_ecc_prepare(const st_plane *tpl, const st_plane *img, int threads, st_ecc_level *lv,
                   st_err *err);
void st_ecc_level_free(st_ecc_level *lv);

typedef struct st_ecc_opts {
    st_reg_model model; /* ST_MODEL_TRANSLATION, _AFFINE or _HOMOGRAPHY */
    int max_iter;
    /* Converged once an update moves no template corner by more than this
     * many pixels (0: run max_iter iterations). */
    double stop_px;
    /* Pixels used: template pixels at least `border` from the template's
     * edge whose warped position lies at least `border` inside the image
     * (>= 1, so the bilinear sample never leaves the image). */
    double border;
    int threads;
    /* Template rows used: every row_step-th (0 or 1: all). A level with more
     * pixels than the fit needs can use every other row at half the cost. */
    int row_step;
} st_ecc_opts;

typedef struct st_ecc_result {
    double rho;     /* correlation coefficient at the last evaluated warp */
    int iterations; /* updates applied */
    size_t used;    /* pixels of the last evaluation */
} st_ecc_result;

/* Refines warp (3x3 row-major, TEMPLATE pixels -> IMAGE pixels, pixel
 * centres at integers; its last row must be 0 0 1 for the translation and
 * affine models, and warp[8] == 1 for the homography). Returns ST_OK,
 * ST_EREGISTER when the correlation cannot be increased (images unrelated,
 * not overlapping: fewer than 1/20 of the template pixels usable, or a
 * degenerate Hessian), warp then holding the last iterate, or ST_EINVAL. */
int st_ecc_align(const st_ecc_level *lv, const st_ecc_opts *o, double warp[9],
                 st_ecc_result *res, st_err *err);

#endif
