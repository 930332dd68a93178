/* Quality control of one photo as loaded (before any normalisation):
 * sharpness as the RMS of the 5-point Laplacian of the luminance (the
 * "variance of the Laplacian" focus measure, Pech-Pacheco et al. 2000, here
 * its square root so it is in luminance units per px²), the share of
 * clipped pixels, and the exposure (mean luminance). The verdicts compare a
 * session with its baseline where an absolute threshold would depend on the
 * skin and the camera (see series/analyze_shot.c). */
#ifndef ST_SERIES_PHOTO_QUALITY_H
#define ST_SERIES_PHOTO_QUALITY_H

#include "skintrack/skintrack.h"

typedef struct st_photo_quality {
    double sharpness;   /* RMS Laplacian of Y */
    double clipped_pct; /* % of pixels with a channel >= 254.5/255 or Y <= 0.5/255 */
    double exposure;    /* mean Y in [0, 1] */
} st_photo_quality;

/* Thresholds of the verdicts. */
#define ST_QC_CLIP_WARN_PCT 5.0
#define ST_QC_CLIP_FAIL_PCT 25.0
#define ST_QC_EXPOSURE_MIN 0.05
#define ST_QC_EXPOSURE_MAX 0.95
#define ST_QC_SHARP_WARN 0.65 /* sharpness relative to the baseline's */
#define ST_QC_SHARP_FAIL 0.4

/* img: 1 or 3 channels, sRGB values in [0, 1]. Streams rows: no full-size
 * buffer is allocated. */
int st_photo_quality_measure(const st_image *img, st_photo_quality *q, st_err *err);

#endif
