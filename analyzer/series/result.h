/* The measured series in memory: what the pipeline fills and the writers
 * (report/json_writer.c, report/csv_writer.c) print. */
#ifndef ST_SERIES_RESULT_H
#define ST_SERIES_RESULT_H

#include "metrics/metric_set.h"
#include "series/progress.h"
#include "series/scan.h"

typedef struct st_registration_info {
    char status[8];        /* "ok" | "warn" | "fail" */
    char model[16];        /* "identity", "similarity", "affine", "homography" */
    double matrix[3][3];   /* session pixels -> baseline pixels (SPEC.md) */
    double ncc, overlap;
    char message[256];
} st_registration_info;

typedef struct st_quality_info {
    char status[8];        /* "ok" | "warn" | "fail" */
    double sharpness, clipped_pct;
    st_strlist messages;
} st_quality_info;

/* One photo of a session with repeat shots. */
typedef struct st_shot_result {
    char file[256];
    st_metric_set metrics;
} st_shot_result;

/* Per-tile values of one metric on the ROI grid (baseline pixels). */
typedef struct st_tile_map {
    char name[ST_METRIC_NAME_MAX];
    char unit[ST_METRIC_UNIT_MAX];
    double *values;        /* rows × cols, row-major; NaN = tile outside the mask */
} st_tile_map;

typedef struct st_tile_maps {
    int x0, y0, tile_px, cols, rows;
    st_tile_map *maps;
    size_t n_maps;
} st_tile_maps;

/* The radial power spectral density of the session's surface. */
typedef struct st_psd_curve {
    double *freq_per_mm;   /* cycles/mm (cycles/pixel when uncalibrated) */
    double *power;
    size_t n;
} st_psd_curve;

typedef struct st_session_result {
    const st_scan_session *scan;
    int failed;            /* registration, QC or reading failed: out of the trend */
    char reason[512];
    st_registration_info reg;
    st_quality_info quality;
    st_metric_set metrics; /* mean over repeat shots */
    st_metric_set spread;  /* SD over repeat shots (repeatability); empty for one shot */
    st_metric_set change;  /* percent vs baseline; unit "" */
    st_shot_result *shots; /* when the session has more than one measured photo */
    size_t n_shots;
    st_detections det;     /* baseline pixels */
    st_psd_curve psd;
    st_tile_maps tiles;
    char image_aligned[128]; /* relative to OUT, "" when not written */
    char image_overlay[128];
    char image_diff[128];      /* luminance difference to the baseline patch */
} st_session_result;

typedef struct st_series_result {
    const st_series *series;
    int has_roi;
    int roi[4];            /* the measured ROI in baseline pixels */
    st_session_result *sessions; /* same order as series->sessions */
    size_t n_sessions;
    st_remodel_result remodel;
    int remodel_session;   /* which session the index compares with the baseline; -1 none */
    st_metric_set trend;   /* percent per 30 days */
    st_strlist flags;
} st_series_result;

void st_series_result_free(st_series_result *r);
void st_session_result_free(st_session_result *s);

/* change, trend_per_30d, repeatability flags and the remodeling index's
 * point of comparison, from the sessions' metrics (pure maths over them). */
int st_series_progress(st_series_result *r, st_err *err);

#endif
