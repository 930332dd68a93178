/* Fine registration on one pyramid level: ECC (intensity) and the feature
 * fallback (ORB + RANSAC), both through the OpenCV wrapper. Matrices are
 * moving -> fixed, in the level's pixel coordinates. */
#ifndef ST_REGISTER_REFINE_H
#define ST_REGISTER_REFINE_H

#include <stddef.h>
#include "register/register.h"

typedef struct st_plane {
    const float *data;
    size_t stride;
    int w, h;
} st_plane;

/* Refines m with ECC under `model` (ST_MODEL_TRANSLATION .. HOMOGRAPHY; the
 * similarity model is fitted as affine and then projected onto the nearest
 * similarity). Returns ST_OK, ST_EREGISTER when ECC did not converge (m is
 * then unchanged), or another error code. *cc (may be NULL): ECC's final
 * correlation coefficient. */
int st_refine_ecc(const st_plane *fixed, const st_plane *moving, st_reg_model model, int max_iter,
                  const unsigned char *mask, double m[9], double *cc, st_err *err);

/* ECC pixel mask, in MOVING coordinates (OpenCV 4.6's findTransformECC
 * warps the mask it is given together with the input image, so it acts on
 * the input's pixels; it must still have the template's size, hence only
 * for equal sizes): moving pixels at least `border` px inside the moving
 * frame whose image under m lies at least `border` px inside the fixed frame,
 * i.e. where a local filter saw the same neighbourhood in both images.
 * Returns the number of pixels set. */
size_t st_refine_mask(const st_plane *fixed, const st_plane *moving, const double m[9],
                      double border, unsigned char *mask);

/* Homography from ORB matches (fallback); *inliers (may be NULL) gets the
 * RANSAC inlier count. ST_EREGISTER when too few matches. */
int st_refine_features(const st_plane *fixed, const st_plane *moving, double m[9], int *inliers,
                       st_err *err);

/* Least-squares similarity (x' = a x - b y + tx, y' = b x + a y + ty) through
 * the images of the four corners of a w x h image under m. */
void st_project_similarity(const double m[9], int w, int h, double out[9]);

#endif
