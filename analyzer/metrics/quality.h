/* Quality control of one photo: focus, clipping, exposure (SPEC.md
 * quality.sharpness, quality.clipped_pct, quality.exposure). */
#ifndef ST_METRICS_QUALITY_H
#define ST_METRICS_QUALITY_H

#include "metrics/metric_set.h"
#include "skintrack/skintrack.h"

/* Thresholds (documented in quality.c and the README):
 *   sharpness  = variance of the 5-point Laplacian of the luminance (values
 *                in [0, 1]) after a 2x2 block mean, x (0.5 / mean luminance)^2
 *                (as if exposed to mid-grey): warn < 7.5e-4, fail < 1.9e-4
 *                (set for skin photographed at about 0.05 mm/px: in focus
 *                1.5e-3, blur sigma 1.2 px 4e-4, sigma 3 px 1.2e-4);
 *   clipped_pct = % of pixels with any channel >= 0.99 or luminance <= 0.01:
 *                warn > 2 %, fail > 15 %;
 *   exposure   = mean luminance: warn outside [0.15, 0.85], fail outside
 *                [0.05, 0.95]. */
#define ST_QC_SHARP_WARN 7.5e-4
#define ST_QC_SHARP_FAIL 1.9e-4
#define ST_QC_CLIP_WARN 2.0
#define ST_QC_CLIP_FAIL 15.0
#define ST_QC_EXPO_WARN_LO 0.15
#define ST_QC_EXPO_WARN_HI 0.85
#define ST_QC_EXPO_FAIL_LO 0.05
#define ST_QC_EXPO_FAIL_HI 0.95

/* The smallest photo quality control passes, in px a side. Below it nothing
 * downstream can use the photo as the series' reference: registration needs
 * 32 px a side on the level ECC starts from (register/register.c), so a
 * 16x16 baseline could take no follow-up; the uncalibrated ROI tile is 64 px
 * (series/tiles.h, ST_TILE_PX_UNCAL), so under 64 px the patch holds less
 * than one tile and the remodeling index has no interval; and the roughness
 * band (4 px to a quarter of the side, metrics/roughness.c) spans two octaves
 * at 64 px, none at 16. */
#define ST_QC_MIN_SIDE 64
/* A photo whose luminance spread is under about one 8-bit step shows no
 * texture at all (a blank frame, a lens cap on a grey card): "featureless",
 * whatever the focus. */
#define ST_QC_FLAT_SD (1.0 / 255.0)

#define ST_QC_MAX_MESSAGES 4

typedef struct st_quality {
    int status; /* 0 ok, 1 warn, 2 fail (as st_reg_status) */
    double sharpness, clipped_pct, exposure;
    double luminance_sd; /* spread of the luminance (not a metric) */
    int n_messages;
    char messages[ST_QC_MAX_MESSAGES][128];
} st_quality;

/* Measures img (1 or 3 channels, sRGB-encoded [0, 1]) on up to `threads`
 * threads (<= 0: all cores; same result for any count); set (may be NULL)
 * receives the three quality.* metrics. An image under ST_QC_MIN_SIDE px a
 * side fails ("too small to measure"), one under 3 px is an error (nothing
 * can be measured). */
int st_quality_measure(const st_image *img, st_quality *q, st_metric_set *set, int threads,
                       st_err *err);

#endif
