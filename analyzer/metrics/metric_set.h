/* What every metric family produces: named values with units (SPEC.md names,
 * e.g. "roughness.sq", unit "rel" or "um"), plus the detection lists.
 * The series stage and the writers only ever see these types. */
#ifndef ST_METRIC_SET_H
#define ST_METRIC_SET_H

#include <stddef.h>
#include <stdint.h>
#include "skintrack/skintrack.h"

#define ST_METRIC_NAME_MAX 48
#define ST_METRIC_UNIT_MAX 16

typedef struct st_metric {
    char name[ST_METRIC_NAME_MAX];
    char unit[ST_METRIC_UNIT_MAX]; /* "rel", "um", "mm", "%", "deg", "bits", "" (none) ... */
    double value;
} st_metric;

typedef struct st_metric_set {
    st_metric *items;
    size_t count, cap;
} st_metric_set;

/* Adds or replaces `name`. Non-finite values are refused with ST_EINTERNAL:
 * a metric that cannot be computed is left out, never written as NaN. */
int st_metric_set_put(st_metric_set *set, const char *name, double value, const char *unit,
                      st_err *err);
const st_metric *st_metric_set_find(const st_metric_set *set, const char *name);
void st_metric_set_clear(st_metric_set *set); /* frees items */
/* Sorted by name, so outputs do not depend on the order families ran in. */
void st_metric_set_sort(st_metric_set *set);

/* ---- detections, in the coordinates of the measured image (baseline pixels
 * once the session is registered) --------------------------------------- */
typedef struct st_pore {
    double x, y, d_mm; /* d_mm in pixels when uncalibrated */
    double depth;      /* the fitted funnel's depth: µm on height maps, darkness on photos */
    double volume;     /* its depth x radius^2 (px^2), what a followed pore is compared by;
                        * 0 when no funnel fits */
} st_pore;

typedef struct st_scar {
    double x, y;          /* centroid */
    double area_mm2;
    double max_depth, mean_depth; /* rel or µm, as the surface */
    double volume_mm3;    /* height modalities; 0 for photos */
    double length_mm, width_mm; /* extent along / across the main axis */
    char type[12];        /* "icepick", "boxcar", "rolling", "stretch" */
    double angle_deg;     /* main axis: 0 = horizontal, counter-clockwise positive */
    double steepness;     /* mean wall slope x equivalent radius / max depth (1 = cone) */
    int depth_shadowed;   /* photos: its dark wall lies in the lamp's shadow, so its
                           * darkening no longer follows its depth (scar_photo.c) */
} st_scar;

typedef struct st_wrinkle {
    double x0, y0, x1, y1; /* end points of the line's main axis */
    double length_mm, width_mm, depth;
    double angle_deg;      /* 0 = horizontal, counter-clockwise positive */
    double *path;          /* polyline along the line: n_path (x, y) pairs, or NULL */
    size_t n_path;
} st_wrinkle;

#define ST_PORE_FLOORS_MAX 32

typedef struct st_detections {
    st_pore *pores;
    size_t n_pores;
    /* In a series: the followed pores (st_detect_input.track_pores) where
     * they were found, at their size now; they, not `pores`, give
     * pores.mean_diameter_mm and its tile sums. */
    st_pore *tracked;
    size_t n_tracked;
    st_scar *scars;
    size_t n_scars;
    st_wrinkle *wrinkles;
    size_t n_wrinkles;
    /* Optional (overlays): scar i covers the pixels labelled i + 1 in this
     * labels_width x labels_height map, 0 elsewhere; NULL when not kept. */
    int32_t *scar_labels;
    int labels_width, labels_height;
    /* Photos: the least contrast a pore needed at each LoG scale (sigma in
     * px), as st_detect_input.track_floor takes it back in a series. */
    int n_pore_floors;
    double pore_floor_sigma[ST_PORE_FLOORS_MAX], pore_floor[ST_PORE_FLOORS_MAX];
} st_detections;

void st_detections_clear(st_detections *d); /* frees the lists, paths and labels */
/* Moves every detection by (dx, dy): from a crop's pixels to the frame's. */
void st_detections_offset(st_detections *d, double dx, double dy);

#endif
