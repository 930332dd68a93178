/* Writing a synthetic series folder: the images, series.json (SPEC.md) and
 * truth.json (the exact ground truth, from the generating parameters). */
#ifndef SKINGEN_SERIES_H
#define SKINGEN_SERIES_H

#include "skingen.h"

#define SKINGEN_MAX_SESSIONS 12
#define SKINGEN_MAX_LIGHTS 6

typedef enum skingen_modality {
    SKINGEN_PHOTO = 0,   /* one sRGB JPEG per session */
    SKINGEN_HEIGHT = 1,  /* one 16-bit gray PNG per session (µm via scale and offset) */
    SKINGEN_STEREO = 2   /* n_lights 8-bit gray PNGs per session (sRGB-encoded) */
} skingen_modality;

typedef enum skingen_defect {
    SKINGEN_GOOD = 0,
    SKINGEN_BLURRED = 1,  /* heavy defocus */
    SKINGEN_OTHER = 2     /* a photo of something else */
} skingen_defect;

typedef struct skingen_session_spec {
    int day;                 /* days after the baseline */
    const char *label;       /* NULL: "baseline" / "session N" */
    skingen_state state;
    skingen_camera camera;   /* matrix, light, exposure, white balance, noise */
    skingen_defect defect;
    const char *setting;     /* treatment: "professional", "home" or NULL */
    double needle_mm;
} skingen_session_spec;

typedef struct skingen_series_spec {
    const char *patient, *area;
    const char *start_date;  /* baseline date, "YYYY-MM-DD" */
    skingen_modality modality;
    skingen_params skin;
    int roi[4];              /* baseline px; w = 0: whole frame */
    int n_sessions;
    skingen_session_spec sessions[SKINGEN_MAX_SESSIONS];
    int n_lights;            /* stereo */
    double lights[SKINGEN_MAX_LIGHTS][3];
    double height_um_per_unit, height_offset_um;  /* height: µm = value·scale − offset */
    int jpeg_quality;
    int write_series_json;   /* 0: leave it out (dates from the file names) */
    int series_chart;        /* 1: series.json gets "chart": {"patch_pitch_mm": ...} */
    int omit_pixel_mm;       /* 1: no pixel_mm in series.json (it comes from the chart) */
} skingen_series_spec;

/* Writes dir/ (created if missing): images, series.json, truth.json. */
int skingen_write_series(const skingen_series_spec *spec, const char *dir, st_err *err);

/* "YYYY-MM-DD" of start + days (proleptic Gregorian). */
int skingen_date_add(const char *start, int days, char out[11]);

#endif
