/* skintrack analyze: one series folder in, measured progress out
 * (SPEC.md, "Outputs of analyze"). The library entry the `analyze` and
 * `batch` commands share. */
#ifndef ST_PIPELINE_ANALYZE_H
#define ST_PIPELINE_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "series/result.h"
#include "series/scan.h"
#include "series/strlist.h"
#include "skintrack/skintrack.h"

/* Time of each stage, seconds, summed over the series (st_pipeline_result
 * holds it twice: wall time, and the process's CPU time over all threads,
 * which a loaded machine does not inflate). The second group are parts of
 * the first: chart and light_grid of normalise (pass 1), skin_mask of roi,
 * face_area of roi and of registration (the baseline's face box), flatten,
 * colour, chromo, lamp and shading_copy of normalise (pass 2). */
typedef struct st_stage_times {
    double scan, load, quality, registration, roi, warp, normalise, surface, detect, tiles,
        images, write, report, total;
    double chart, light_grid, skin_mask, face_area, flatten, colour, chromo, lamp, shading_copy;
    double detect_family[5]; /* pores, scars, wrinkles, pigment, redness (wall only) */
} st_stage_times;

typedef struct st_pipeline_opts {
    st_series_overrides ov; /* command-line values over series.json */
    uint64_t max_pixels;    /* 0: ST_DEFAULT_MAX_PIXELS */
    uint64_t max_memory;    /* bytes one image may cost; 0: st_default_max_memory() */
    int threads;            /* <= 0: all cores */
    int no_images;          /* 1: do not write images/ */
    const char *face_model; /* dlib's 68-point landmark model; NULL: Debian's path (cv/dlib_wrap.h) */
    int no_report;          /* 1: do not write report.html and report.pdf */
    const char *run_date;   /* date of analysis printed in the reports (the CLI's
                               clock or SOURCE_DATE_EPOCH); NULL: "not recorded".
                               Not in metrics.json, which stays byte-identical. */
    /* Called after each photo (on the calling thread); may be NULL. */
    void (*progress)(void *ctx, size_t done, size_t total, const char *file);
    void *progress_ctx;
} st_pipeline_opts;

typedef struct st_pipeline_result {
    size_t n_sessions, n_failed, n_photos;
    st_strlist failures;    /* "session 2 (IMG_0412.jpg): registration: ..." */
    st_strlist notes;       /* ignored files, manifest warnings, ROI notes */
    st_stage_times times;   /* wall */
    st_stage_times cpu;     /* process CPU time, all threads */
} st_pipeline_result;

/* The measured series handed over to the caller (the public st_analysis):
 * result.series points at series. Free with st_pipeline_kept_free. */
typedef struct st_pipeline_kept {
    st_series series;
    st_series_result result;
} st_pipeline_kept;

/* Analyses the series in `dir` into `out` (created if missing; must not be
 * the series folder or inside it): metrics.json, metrics.csv, images/.
 * out NULL: nothing is written (no images, no report). kept, when not NULL,
 * receives the measured series on success (zeroed on error).
 * Returns ST_OK when the outputs were written, even if sessions failed
 * (result->n_failed > 0, each named in result->failures); an error when the
 * input cannot be read (ST_EIO, ST_EINVAL, ST_EFORMAT), output cannot be
 * written (ST_EIO) or on a bug (ST_EINTERNAL). result may be NULL. */
int st_pipeline_run(const char *dir, const char *out, const st_pipeline_opts *opts,
                    st_pipeline_result *result, st_pipeline_kept *kept, st_err *err);
void st_pipeline_result_free(st_pipeline_result *r);
void st_pipeline_kept_free(st_pipeline_kept *k);

#endif
