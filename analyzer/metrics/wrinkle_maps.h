/* Wrinkles' line filter (wrinkle_maps.c), used by wrinkles.c. */
#ifndef ST_METRICS_WRINKLE_MAPS_H
#define ST_METRICS_WRINKLE_MAPS_H

#include "metrics/detect_internal.h"

typedef struct line_maps {
    int w, h, level;   /* working grid: the surface at 2^level */
    double px_mm;      /* working pixel in mm (or in full pixels if uncalibrated) */
    float *surf;       /* working surface, lightly smoothed */
    float *snr;        /* best response / its noise */
    float *best;       /* best raw response */
    float *h2b, *hamc; /* 2 Hxy and Hxx - Hyy at the best scale (direction) */
    float *sigma;      /* best scale, working px */
    int photo;         /* the photo filter's maps (wrinkle_photo.c): a groove is a
                          dark/bright pair across the lamp's azimuth (lux, luy) */
    double lux, luy;
} line_maps;

/* Working grid (smallest scale >= 1 px) and the best response over every
 * scale; h2b, hamc and sigma are only defined where snr > min_snr. ST_OK
 * or ST_ENOMEM. st_det_wrinkle_maps_free releases m even after a failure. */
int st_det_wrinkle_maps(const st_detect_input *in, double min_snr, int threads, line_maps *m);
void st_det_wrinkle_maps_free(const st_detect_input *in, line_maps *m);
/* m's size and its snr, best, h2b, hamc and sigma planes from the pool
 * (contents undefined). ST_OK or ST_ENOMEM (free with the above). */
int st_det_wrinkle_maps_get(const st_detect_input *in, line_maps *m, int w, int h);

#endif
