/* Pores' scale space (pore_scales.c), used by pores.c. */
#ifndef ST_METRICS_PORE_SCALES_H
#define ST_METRICS_PORE_SCALES_H

#include "metrics/detect_internal.h"

typedef struct cand {
    double x, y, sigma, resp; /* full-resolution position, scale, response */
} cand;

typedef struct cand_list {
    cand *v;
    size_t n, cap;
} cand_list;

/* Candidates of every scale between the pore diameters d_min_px and
 * d_max_px (full-resolution pixels) of the w x h surface into *cl; smooth
 * is surf after a Gaussian of smooth_sigma px (the finest scale). */
int st_det_pore_scales(const float *surf, const float *smooth, double smooth_sigma, int w,
                       int h, double d_min_px, double d_max_px, const st_detect_input *in,
                       int threads, cand_list *cl);

#endif
