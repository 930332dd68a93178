/* Detections: pores, scars (with depth), wrinkles, pigmentation, redness, and
 * photometric stereo (normals -> height map). One family per file; this
 * header is the family's interface, st_detect_all runs them all.
 *
 * Common inputs: a single-channel surface (flattened luminance for photos,
 * height in µm or relative units for height maps and stereo), an optional
 * mask (nonzero = inside the ROI), the pixel size and the modality. Results go
 * into st_metric_set (SPEC.md names and units) and st_detections. */
#ifndef ST_METRICS_DETECT_H
#define ST_METRICS_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/metric_set.h"
#include "skintrack/skintrack.h"

typedef enum st_detect_modality {
    ST_DETECT_PHOTO = 0,  /* surface = flattened luminance, depth in "rel" */
    ST_DETECT_HEIGHT = 1, /* surface = height (µm when unit is ST_UNIT_UM) */
    ST_DETECT_STEREO = 2  /* surface = height integrated by photometric stereo */
} st_detect_modality;

typedef struct st_detect_input {
    const st_image *rgb;         /* sRGB photo (3 channels, values in [0, 1]) or NULL */
    const st_image *surface;     /* 1 channel: luminance or height; required */
    const unsigned char *mask;   /* surface-sized, nonzero = ROI; NULL = whole image */
    size_t mask_stride;          /* bytes per mask row (0: width) */
    double pixel_mm;             /* 0: surface->pixel_mm; both 0 = uncalibrated */
    st_unit unit;                /* unit of the surface values */
    st_detect_modality modality;
    /* Pores to follow (surface pixels; d_mm as st_pore), e.g. the baseline's
     * in a registered series, or NULL. pores.mean_diameter_mm is then the
     * mean size of these pores, each measured where it was
     * found, instead of the mean over this surface's own detections: the
     * same pores every session, so pores that shrink below what can be
     * detected cannot make the mean grow (pores.count and the detection
     * list stay this surface's own). */
    const struct st_pore *track_pores;
    size_t n_track_pores;
    /* No track list: 1 = the mean diameter is still taken by following
     * (st_pores_follow) the pores just found, so a series' baseline is
     * measured through the same path as the sessions that follow its pores
     * (the same photo twice then reads exactly the same). */
    int follow_own;
    /* Photos in a series: the baseline's pore contrast floors
     * (st_detections.pore_floor*), used at the scales they share instead
     * of this surface's own, so that every session's pores are counted
     * against the same least contrast; n_track_floors = 0: its own. */
    const double *track_floor_sigma, *track_floor;
    int n_track_floors;
    /* Photos: the lamp's direction (towards it, camera frame: x right, y
     * down) as the series estimated it for this session (its `light`), so
     * that every session's fine lines are read against the same lamp;
     * lamp_known 0: wrinkles.c estimates it from this surface alone. */
    double lamp[3];
    int lamp_known;
    /* Photos: lines to re-read (surface pixels), e.g. the baseline's in a
     * registered series, so that every session's wrinkles.depth_index is
     * the depth of the same lines and wrinkles.length_mm_cm2 their length
     * still seen plus that of lines away from them (wrinkles.c); NULL:
     * this surface's own lines. The detections stay this surface's own. */
    const struct st_wrinkle *track_wrinkles;
    size_t n_track_wrinkles;
    /* Internal (leave NULL): st_detect_all lends its families a pool of
     * full-size planes, so that one family's freed planes serve the next. */
    struct st_det_pool *pool;
} st_detect_input;

enum {
    ST_DETECT_PORES = 1u << 0,
    ST_DETECT_SCARS = 1u << 1,
    ST_DETECT_WRINKLES = 1u << 2,
    ST_DETECT_PIGMENT = 1u << 3,
    ST_DETECT_REDNESS = 1u << 4,
    ST_DETECT_ALL = 0x1f
};

typedef struct st_detect_opts {
    unsigned families;     /* ST_DETECT_* bits; 0 = all */
    int threads;           /* <= 0: all cores */
    int keep_scar_labels;  /* 1: fill st_detections.scar_labels (for overlays) */
    double family_seconds[5]; /* out: wall time per family, in the bit order above */
    double family_cpu_seconds[5]; /* out: process CPU time (all threads) per family */
} st_detect_opts;

/* Runs the selected families; metrics a modality cannot give are left out. */
int st_detect_all(const st_detect_input *in, st_detect_opts *opts, st_metric_set *out,
                  st_detections *dets, st_err *err);

/* ---- single families (same input; each fills only its own names) ---------- */
int st_pores_detect(const st_detect_input *in, int threads, st_metric_set *out,
                    st_detections *dets, st_err *err);
int st_scars_detect(const st_detect_input *in, int threads, int keep_labels,
                    st_metric_set *out, st_detections *dets, st_err *err);
int st_wrinkles_detect(const st_detect_input *in, int threads, st_metric_set *out,
                       st_detections *dets, st_err *err);
/* Colour families need in->rgb; without it they add nothing and return ST_OK. */
int st_pigment_measure(const st_detect_input *in, int threads, st_metric_set *out, st_err *err);
int st_redness_measure(const st_detect_input *in, int threads, st_metric_set *out, st_err *err);

/* ---- photometric stereo ------------------------------------------------------
 * n >= 3 images of one scene (1 channel, linear intensity or luminance, the
 * same size) under distant lights of unit direction lights[i] = (x right,
 * y down, z towards the camera). Out: a height image (same size) in µm when
 * pixel_mm > 0 (unit ST_UNIT_UM), else in pixel units (ST_UNIT_REL); the
 * albedo (may be NULL). */
typedef struct st_photostereo_opts {
    float shadow_level;   /* samples <= this are shadowed (default 0.02 when 0) */
    float saturate_level; /* samples >= this are saturated (default 0.98 when 0) */
    int threads;
} st_photostereo_opts;

int st_photostereo(const st_image *const *images, const double (*lights)[3], int n,
                   double pixel_mm, const st_photostereo_opts *opts, st_image **height,
                   st_image **albedo, st_err *err);

#endif
