/* The pipeline's calls into the other stages (quality control, registration,
 * warping, flattening, surface metrics, detections, photometric stereo), in
 * one place, so the pipeline reads as a sequence of steps and a stage's API
 * change touches one file. Every function returns an st_status; a verdict
 * (QC fail, registration fail) is data in the output struct, not an error. */
#ifndef ST_SERIES_STAGES_H
#define ST_SERIES_STAGES_H

#include "metrics/metric_set.h"
#include "series/manifest.h"
#include "series/result.h"

/* Quality of one photo as loaded: q's status/sharpness/clipped_pct/messages
 * and the quality.* metrics. base_sharpness: the baseline photo's (0 for the
 * baseline itself), against which blur is judged. */
int stg_quality(const st_image *img, st_modality mod, double base_sharpness, int threads,
                st_quality_info *q, st_metric_set *metrics, st_err *err);

/* Registers moving onto fixed (photos in [0, 1]; height maps are scaled to
 * [0, 1] here). info->status "fail" is a verdict, not an error. */
int stg_register(const st_image *fixed, const st_image *moving, st_modality mod, int threads,
                 st_registration_info *info, st_err *err);

/* stg_register on the box x, y, w, h of both photos only (a face: its
 * registration follows the face, not the background); the matrix is in the
 * whole photos' pixels. */
int stg_register_box(const st_image *fixed, const st_image *moving, const int box[4], st_modality mod, int threads,
                     st_registration_info *info, st_err *err);

/* moving warped into the baseline frame, only the box x, y, w, h of it. */
int stg_warp_box(const st_image *moving, const double m[9], const int box[4], int threads,
                 st_image **out, st_err *err);

/* Illumination flattening of a photo crop, in place: every channel is
 * divided by the light field of the luminance (sigma from the full frame
 * size), so colour ratios are kept. */
int stg_flatten(st_image *rgb, int frame_w, int frame_h, int threads, st_err *err);

/* Surface metrics (roughness.*, texture.*) of a 1-channel surface inside
 * mask, and its radial PSD (psd may be NULL). */
int stg_surface(const st_image *surface, const unsigned char *mask, st_modality mod, int threads,
                st_metric_set *out, st_psd_curve *psd, st_err *err);

/* Detections (pores, scars, wrinkles, pigment, redness). rgb may be NULL
 * (height maps). Coordinates in the surface's pixels. */
int stg_detect(const st_image *rgb, const st_image *surface, const unsigned char *mask,
               st_modality mod, int threads, const st_detections *track, st_metric_set *out,
               st_detections *dets, double family_seconds[5], st_err *err);

/* Photometric stereo: n lit 1-channel images to a height map. */
int stg_photostereo(const st_image *const *images, const double (*lights)[3], int n,
                    double pixel_mm, int threads, st_image **height, st_err *err);

#endif
