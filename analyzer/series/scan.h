/* Reading a series folder into sessions (SPEC.md, "A series folder"):
 * images by extension, session dates in the SPEC's order of precedence
 * (series.json, a date in the file name, EXIF DateTimeOriginal, else file-name
 * order with "dates unknown"), the earliest session as baseline, same-date
 * photos as repeat shots of one session, stereo sessions as one set of lit
 * images. Command-line options override series.json. */
#ifndef ST_SERIES_SCAN_H
#define ST_SERIES_SCAN_H

#include "series/manifest.h"

typedef enum st_date_source {
    ST_DATE_NONE = 0,
    ST_DATE_MANIFEST,
    ST_DATE_FILENAME,
    ST_DATE_EXIF
} st_date_source;

/* A note on a file the scan leaves out reads "NAME: why" ST_SCAN_IGNORED;
 * reports gather those files on one line instead of a note each. */
#define ST_SCAN_IGNORED ", ignored"

typedef struct st_scan_session {
    char date[ST_DATE_LEN];   /* "" when unknown */
    st_date_source date_source;
    long day;                 /* days since 1970-01-01 when dated */
    int days;                 /* since the baseline; 0 when either is undated */
    char label[ST_TEXT_MAX];
    st_strlist files;         /* relative to the series folder */
    st_treatment treatment;
    int n_lights;
    double lights[ST_MAX_LIGHTS][3];
} st_scan_session;

/* Values given on the command line; has_* = 1 overrides series.json. */
typedef struct st_series_overrides {
    int has_pixel_mm, has_roi, has_modality, has_height_scale;
    double pixel_mm;
    int roi[4];
    st_modality modality;
    double height_um_per_unit;
    int ignore_manifest;      /* 1: read the folder as if it had no series.json */
} st_series_overrides;

typedef struct st_series {
    char dir[4096];
    char name[256];           /* folder name */
    char patient[ST_TEXT_MAX], area[ST_TEXT_MAX];
    st_modality modality;
    double pixel_mm;          /* 0: uncalibrated */
    int has_roi;
    int roi_from_option;      /* the roi is --roi's, not series.json's */
    int roi[4];
    double height_um_per_unit;/* 1 when not given */
    int colour_fixed;         /* series.json "colour": "fixed-camera" */
    double chart_pitch_mm;    /* series.json "chart.patch_pitch_mm"; 0 when not given */
    int pixel_mm_from_chart;  /* pixel_mm was measured on the baseline's chart */
    int has_manifest;
    int dates_unknown;        /* no session has a date: file-name order */
    st_scan_session *sessions;/* sorted; [0] is the baseline */
    size_t n_sessions;
    st_strlist notes;         /* ignored files, manifest warnings */
    int modality_given;       /* by --modality or series.json, not the default */
    size_t gray16_pngs;       /* images that are 16-bit gray PNGs (height maps?) */
} st_series;

/* Scans `dir`. A bad series.json, an unreadable folder or a folder without
 * images is an error (ST_EINVAL / ST_EIO); ignored files become notes. */
int st_series_scan(const char *dir, const st_series_overrides *ov, st_series *out, st_err *err);

/* The session order and grouping from a list of (file name, date) pairs:
 * exposed for tests. dates[i] may be "" (unknown). */
int st_series_group(st_series *s, const char *const *files, const char *const *dates,
                    const st_date_source *sources, size_t n, st_err *err);

void st_series_free(st_series *s);

/* Hints for the person running the tool, beside the notes (they are not part
 * of metrics.json): 16-bit gray PNGs read as photos, dates unknown and the
 * order used instead. */
int st_series_hints(const st_series *s, st_strlist *hints, st_err *err);

/* 1 if name ends in one of ST_IMAGE_EXTS (any case): the files a series
 * folder's scan and batch's change detection take for photos. */
#define ST_IMAGE_EXTS "(.jpg, .jpeg, .png, .heic, .heif)"
int st_is_image_name(const char *name);

#endif
