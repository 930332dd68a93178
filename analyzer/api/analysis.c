/* The public series analysis (skintrack.h, "series analysis"): a thin
 * handle over the pipeline (series/analyze.c) and its measured series. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "pipeline/analyze.h"
#include "skintrack/skintrack.h"

struct st_analysis {
    st_pipeline_kept kept;     /* the series and its measured result */
    st_pipeline_result summary;/* notes and failures */
};

void st_analyze_opts_init(st_analyze_opts *opts)
{
    if (opts)
        memset(opts, 0, sizeof *opts);
}

/* The public options as the pipeline's. */
static void pipeline_opts(const st_analyze_opts *o, st_pipeline_opts *p)
{
    memset(p, 0, sizeof *p);
    p->ov.has_pixel_mm = o->has_pixel_mm;
    p->ov.has_roi = o->has_roi;
    p->ov.has_modality = o->has_modality;
    p->ov.has_height_scale = o->has_height_scale;
    p->ov.pixel_mm = o->pixel_mm;
    memcpy(p->ov.roi, o->roi, sizeof p->ov.roi);
    p->ov.modality = o->modality;
    p->ov.height_um_per_unit = o->height_um_per_unit;
    p->max_pixels = o->max_pixels;
    p->max_memory = o->max_memory;
    p->threads = o->threads;
    p->no_images = o->no_images;
    p->face_model = o->face_model;
    p->no_report = o->no_report;
    p->run_date = o->run_date;
    p->progress = o->progress;
    p->progress_ctx = o->progress_ctx;
}

int st_analyze_series(const char *series_dir, const char *out_dir, const st_analyze_opts *opts,
                      st_analysis **result, st_err *err)
{
    st_err local;
    if (!err)
        err = &local;
    if (!result || !series_dir)
        return st_err_set(err, ST_EINVAL, "st_analyze_series: %s is NULL", result ? "series_dir" : "result");
    *result = NULL;
    st_analyze_opts defaults;
    st_analyze_opts_init(&defaults);
    st_pipeline_opts p;
    pipeline_opts(opts ? opts : &defaults, &p);
    st_analysis *a = calloc(1, sizeof *a);
    if (!a)
        return st_err_set(err, ST_ENOMEM, "out of memory");
    int rc = st_pipeline_run(series_dir, out_dir, &p, &a->summary, &a->kept, err);
    if (rc) {
        st_analysis_free(a);
        return rc;
    }
    *result = a;
    return ST_OK;
}

static const st_session_result *session(const st_analysis *a, int s)
{
    if (!a || s < 0 || (size_t)s >= a->kept.result.n_sessions)
        return NULL;
    return &a->kept.result.sessions[s];
}

int st_analysis_sessions(const st_analysis *a)
{
    return a ? (int)a->kept.result.n_sessions : 0;
}

int st_analysis_session_failed(const st_analysis *a, int s)
{
    const st_session_result *sr = session(a, s);
    return sr ? sr->failed != 0 : -1;
}

static int find(const st_metric_set *set, const char *metric, double *v)
{
    const st_metric *m = st_metric_set_find(set, metric);
    if (!m)
        return ST_ENOTFOUND;
    *v = m->value;
    return ST_OK;
}

int st_analysis_value(const st_analysis *a, int s, const char *metric, double *value)
{
    if (!a || !metric || !value)
        return ST_EINVAL;
    const st_session_result *sr = session(a, s);
    return sr && !sr->failed ? find(&sr->metrics, metric, value) : ST_ENOTFOUND;
}

int st_analysis_change(const st_analysis *a, int s, const char *metric, double *pct)
{
    if (!a || !metric || !pct)
        return ST_EINVAL;
    const st_session_result *sr = session(a, s);
    /* metrics.json: no change for the baseline; a withheld change is absent */
    if (!sr || s == 0 || sr->failed || st_withheld_reason(sr, metric))
        return ST_ENOTFOUND;
    return find(&sr->change, metric, pct);
}

const char *st_analysis_withheld(const st_analysis *a, int s, const char *metric)
{
    const st_session_result *sr = session(a, s);
    return sr && metric && s > 0 ? st_withheld_reason(sr, metric) : NULL;
}

const char *st_analysis_metric_name(const st_analysis *a, int s, int k)
{
    const st_session_result *sr = session(a, s);
    return sr && k >= 0 && (size_t)k < sr->metrics.count ? sr->metrics.items[k].name : NULL;
}

const char *st_analysis_note(const st_analysis *a, int k)
{
    return a && k >= 0 && (size_t)k < a->summary.notes.count ? a->summary.notes.items[k] : NULL;
}

const char *st_analysis_failure(const st_analysis *a, int k)
{
    return a && k >= 0 && (size_t)k < a->summary.failures.count ? a->summary.failures.items[k] : NULL;
}

void st_analysis_free(st_analysis *a)
{
    if (!a)
        return;
    st_pipeline_kept_free(&a->kept);
    st_pipeline_result_free(&a->summary);
    free(a);
}

void st_free(void *p)
{
    free(p);
}
