/* The surfaces behind scar detection (scar_surface.c): the reference that
 * bridges over depressions, the depth below it, the local roughness, and
 * the depressions themselves on the reference's coarse grid. */
#ifndef ST_METRICS_SCAR_SURFACE_H
#define ST_METRICS_SCAR_SURFACE_H

#include "metrics/detect_internal.h"

#define REF_SIGMA_MM 2.0      /* reference window */
#define MIN_DEPTH_UM 30.0     /* SPEC.md */
#define ROUGH_FACTOR 3.0      /* SPEC.md */
#define MIN_RADIUS_MM 0.25    /* SPEC.md: area >= pi 0.25^2 mm^2 */
#define COARSE_MM 0.5         /* the scar scale: twice the smallest radius */

typedef struct scar_maps {
    int w, h, levels, cw, ch;
    double pmm, sigma_ref_c; /* reference sigma in coarse pixels */
    float *hs;     /* lightly smoothed surface */
    float *depth;  /* reference - hs */
    float *rough;  /* local RMS roughness */
    const float *raw; /* the surface as given (packed) */
    float *raw_copy;  /* raw when the surface's rows are not packed */
    float *wt_c;   /* coarse weights: ROI, scars excluded */
    unsigned char *dep_c; /* coarse cells of the depressions bridged over */
    float *dc, *dc_thr;   /* coarse depth at the scar scale, its threshold */
    float *dc_rough;      /* the skin's RMS depth at the scar scale */
    float *dcv;           /* depth summed over each cell's ROI pixels */
    unsigned char *dc_bin; /* coarse cells deeper than dc_thr */
} scar_maps;

/* Builds every map of m for the input (floor_depth: the depth floor of
 * SPEC.md in the surface's unit); ST_OK or ST_ENOMEM. */
int scar_build_maps(const st_detect_input *in, double floor_depth, int threads, scar_maps *m);
void scar_maps_free(const st_detect_input *in, scar_maps *m);
/* Grows labelled cells (seed: labels > 0 on a cw x ch grid) outwards, each
 * label l up to a distance allow[l] cells, a cell going to the nearest
 * label (chamfer distance (1, sqrt 2) in two passes, Borgefors 1986):
 * owner = the label or 0; dist (may be NULL) the distance in cells.
 * ST_ENOMEM possible. */
int scar_grow(const int32_t *seed, int cw, int ch, const float *allow, int32_t *owner,
              float *dist);

#endif
