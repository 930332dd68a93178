/* Fine registration on one pyramid level: ECC (intensity, register/ecc.c)
 * and the feature fallback (ORB + RANSAC, through the OpenCV wrapper).
 * Matrices are moving -> fixed, in the level's pixel coordinates. */
#ifndef ST_REGISTER_REFINE_H
#define ST_REGISTER_REFINE_H

#include <stddef.h>
#include "register/register.h"

typedef struct st_plane {
    const float *data;
    size_t stride;
    int w, h;
} st_plane;

typedef struct st_ecc_level st_ecc_level;
typedef struct st_ecc_opts st_ecc_opts;

/* Refines m (moving -> fixed, level pixels) with ECC (register/ecc.h) on
 * the prepared level lv (template = fixed, image = moving) under o->model:
 * ST_MODEL_TRANSLATION .. HOMOGRAPHY; the similarity model is fitted as
 * affine and then projected onto the nearest similarity. Returns ST_OK,
 * ST_EREGISTER when ECC did not converge (m is then unchanged), or another
 * error code. *cc (may be NULL): ECC's final correlation coefficient. */
int st_refine_ecc(const st_ecc_level *lv, const st_ecc_opts *o, double m[9], double *cc,
                  st_err *err);

/* Homography from ORB matches (fallback); *inliers (may be NULL) gets the
 * RANSAC inlier count. ST_EREGISTER when too few matches. */
int st_refine_features(const st_plane *fixed, const st_plane *moving, double m[9], int *inliers,
                       st_err *err);

/* Least-squares similarity (x' = a x - b y + tx, y' = b x + a y + ty) through
 * the images of the four corners of a w x h image under m. */
void st_project_similarity(const double m[9], int w, int h, double out[9]);

#endif
