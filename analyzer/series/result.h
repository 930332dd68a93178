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

/* How a session's colour can be trusted (SPEC.md, "Colour"). */
typedef struct st_colour_info {
    char status[16];       /* "calibrated" | "fixed" | "uncalibrated"; "" not a photo */
    char method[16];       /* "chart" | "fixed-camera" | "none" */
    int has_chart;         /* a chart was found: chart_box is set */
    int chart_box[4];      /* x, y, w, h in the session photo's pixels */
    int has_fit;           /* the correction was fitted: the Delta E00 are set */
    double de00_before, de00_after; /* mean CIEDE2000 over the chart's patches */
    char message[200];     /* why not calibrated, when there is more to say */
} st_colour_info;

/* The lamp of a photo as estimated from the skin (SPEC.md, "Light"). */
typedef struct st_light_info {
    int present;
    double direction[3];   /* unit vector, camera frame: x right, y down, z to the camera */
    double angle_to_baseline_deg;
    int relief_comparable;
} st_light_info;

/* Metrics whose change is not reported, each with its reason. */
typedef struct st_withheld {
    st_strlist names, reasons; /* parallel lists */
} st_withheld;

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
    st_colour_info colour;
    st_light_info light;
    st_withheld withheld;  /* filled by st_series_progress */
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
    char image_melanin[128];   /* photos: melanin and haemoglobin density maps */
    char image_haemoglobin[128];
} st_session_result;

typedef struct st_series_result {
    const st_series *series;
    int has_roi;
    int roi[4];            /* the measured ROI in baseline pixels */
    /* where the measured patch comes from: "manifest", "option", "auto"
     * (the automatic skin area) or "face:<area>" (SPEC.md series.roi_source) */
    char roi_source[64];
    char image_area[128];  /* the baseline with the patch outlined, relative to OUT; "" none */
    st_session_result *sessions; /* same order as series->sessions */
    size_t n_sessions;
    st_remodel_result remodel;
    int remodel_session;   /* which session the index compares with the baseline; -1 none */
    st_metric_set trend;   /* percent per 30 days */
    st_strlist flags;
} st_series_result;

void st_series_result_free(st_series_result *r);
void st_session_result_free(st_session_result *s);

/* The reason a metric's change is withheld in session s, or NULL. */
const char *st_withheld_reason(const st_session_result *s, const char *metric);

/* change, trend_per_30d, repeatability flags and the remodeling index's
 * point of comparison, from the sessions' metrics (pure maths over them). */
int st_series_progress(st_series_result *r, st_err *err);

#endif
