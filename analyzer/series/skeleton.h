/* `skintrack init`: a series.json skeleton for a folder of photos, for the
 * clinic to complete. It holds what the scan finds (sessions in order, their
 * dates from file names or EXIF, their files; "height" when every image is a
 * 16-bit gray PNG) and placeholders for the rest: patient and area empty,
 * pixel_mm and roi null (read as "not given", so the file loads as it is:
 * an uncalibrated series measured on the automatic skin area). */
#ifndef ST_SERIES_SKELETON_H
#define ST_SERIES_SKELETON_H

#include <stddef.h>

#include "skintrack/skintrack.h"

typedef struct st_skeleton {
    char *json;            /* the file's text (malloc'd), ending with a newline */
    size_t n_sessions;
    size_t n_photos;
    int dates_unknown;     /* no date found: sessions in file-name order, undated */
    int height;            /* written as modality "height" */
} st_skeleton;

/* Builds the skeleton of dir from its photos only (an existing series.json
 * is not read). */
int st_skeleton_build(const char *dir, st_skeleton *out, st_err *err);
void st_skeleton_free(st_skeleton *s);

#endif
