/* ISO 25178-2:2012 §4.1 height parameters of a levelled surface. */
#ifndef ST_METRICS_HEIGHT_PARAMS_H
#define ST_METRICS_HEIGHT_PARAMS_H

#include <stddef.h>

typedef struct st_height_stats {
    double sa;  /* arithmetical mean height, mean |z − z̄| */
    double sq;  /* root mean square height */
    double ssk; /* skewness, (1/Sq³)·mean (z − z̄)³; NaN when Sq = 0 */
    double sku; /* kurtosis, (1/Sq⁴)·mean (z − z̄)⁴ (3 for a Gaussian); NaN when Sq = 0 */
    double sp;  /* maximum peak height, max z − z̄ */
    double sv;  /* maximum pit height, z̄ − min z (positive, as in the 2012 edition) */
    double sz;  /* maximum height, Sp + Sv */
    size_t n;   /* pixels used */
} st_height_stats;

/* Heights are taken about their mean over the mask (mask NULL: all pixels),
 * so a levelled surface (mean 0) gives the ISO values. Returns 0 on
 * success, -1 if no pixel is inside the mask. Deterministic for any thread
 * count (fixed row blocks, added in order). */
int st_height_params(const float *z, size_t stride, int w, int h, const unsigned char *mask,
                     size_t mstride, int threads, st_height_stats *out);

#endif
