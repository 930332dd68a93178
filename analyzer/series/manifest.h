/* series.json: the optional description of a series folder (SPEC.md,
 * "A series folder"). Parsed with cJSON and validated: a wrong type or an
 * unknown modality is an error naming the key and the file; an unknown key is
 * a warning returned in `warnings`; file names that would leave the series
 * folder are refused. */
#ifndef ST_SERIES_MANIFEST_H
#define ST_SERIES_MANIFEST_H

#include <stddef.h>

#include "series/date.h"
#include "series/strlist.h"
#include "skintrack/skintrack.h"

/* st_modality, st_modality_name and st_modality_parse are public
 * (skintrack/skintrack.h). */

#define ST_TEXT_MAX 128
#define ST_MAX_ADJUNCTS 8
#define ST_MAX_LIGHTS 16

/* Plausible ranges of the physical numbers (series.json and the command
 * line): a value outside is refused, naming it and the range. A skin pixel
 * from 0.1 um (microscopy) to 10 mm; a needle up to 10 mm (pens reach 2.5);
 * a height unit from 1 pm to 1 cm per count. */
#define ST_NEEDLE_MM_MAX 10.0
/* ST_PIXEL_MM_MIN/MAX and ST_HEIGHT_SCALE_MIN/MAX: skintrack/skintrack.h */

typedef struct st_treatment {
    int present;
    char setting[32];     /* "professional", "home", or as written; "" unknown */
    int has_needle_mm;
    double needle_mm;
    int n_adjuncts;
    char adjuncts[ST_MAX_ADJUNCTS][64];
} st_treatment;

typedef struct st_manifest_session {
    char date[ST_DATE_LEN]; /* "" when not given */
    char label[ST_TEXT_MAX];
    st_strlist files;       /* names relative to the series folder */
    st_treatment treatment;
    int n_lights;           /* stereo: one unit vector per file */
    double lights[ST_MAX_LIGHTS][3];
} st_manifest_session;

typedef struct st_manifest {
    int present;            /* 0: the folder has no series.json */
    char patient[ST_TEXT_MAX], area[ST_TEXT_MAX];
    int has_pixel_mm, has_roi, has_modality, has_height_scale;
    double pixel_mm;
    int roi[4];             /* x, y, width, height in baseline pixels */
    st_modality modality;
    double height_um_per_unit;
    int colour_fixed;       /* "colour": "fixed-camera" (default "auto") */
    double chart_pitch_mm;  /* "chart": {"patch_pitch_mm": P}; 0 when not given */
    st_manifest_session *sessions;
    size_t n_sessions;
    st_strlist warnings;    /* unknown keys etc.; the caller decides how to show them */
} st_manifest;

/* Parses series.json text. `name` is used in messages (the file's path);
 * `dir` is the series folder against which file names are checked (NULL:
 * only the lexical checks). On error the manifest is freed. */
int st_manifest_parse(const char *text, size_t len, const char *name, const char *dir,
                      st_manifest *m, st_err *err);

/* Reads DIR/series.json if it exists (m->present = 0 if not). */
int st_manifest_load(const char *dir, st_manifest *m, st_err *err);

void st_manifest_free(st_manifest *m);

/* Refuses a file name that would leave the folder: absolute, with a ".."
 * component, or (when it exists) resolving through symlinks to a place
 * outside dir. Returns ST_OK or ST_EINVAL with the reason. */
int st_check_inside(const char *dir, const char *file, const char *what, st_err *err);

#endif
