/* Form removal by a least-squares mean plane (the F-operator of
 * ISO 25178-2 §3.1.5 in its simplest form), optionally over a mask. */
#ifndef ST_METRICS_PLANE_H
#define ST_METRICS_PLANE_H

#include <stddef.h>

/* Fits z = c[0] + c[1]·(x − xc) + c[2]·(y − yc), xc = (w−1)/2, yc = (h−1)/2
 * (centred coordinates keep the normal equations well conditioned), over
 * the pixels with mask != 0 (mask NULL: all). Returns the number of pixels
 * used; with fewer than 3 non-collinear pixels the plane is the mean level
 * (c[1] = c[2] = 0). Deterministic for any thread count. */
size_t st_plane_fit(const float *z, size_t stride, int w, int h, const unsigned char *mask,
                    size_t mstride, int threads, double c[3]);

/* dst = src − plane inside the mask, 0 outside. src == dst is allowed. */
void st_plane_subtract(const float *src, size_t sstride, float *dst, size_t dstride, int w,
                       int h, const unsigned char *mask, size_t mstride, const double c[3],
                       int threads);

#endif
