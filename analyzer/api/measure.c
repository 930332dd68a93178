/* The public single-image measurement (skintrack.h, "one image"): a handle
 * over series/measure_image.c's result. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "report/json_writer.h"
#include "series/measure_image.h"
#include "skintrack/skintrack.h"

struct st_measurement {
    st_session_result r;
    st_modality modality;
    char *path;
};

void st_measure_opts_init(st_measure_opts *opts)
{
    if (opts)
        memset(opts, 0, sizeof *opts);
}

int st_measure_image(const char *path, const st_measure_opts *opts, st_measurement **result,
                     st_err *err)
{
    st_err local;
    if (!err)
        err = &local;
    if (!result || !path)
        return st_err_set(err, ST_EINVAL, "st_measure_image: %s is NULL", result ? "path" : "result");
    *result = NULL;
    st_measure_opts defaults;
    st_measure_opts_init(&defaults);
    const st_measure_opts *o = opts ? opts : &defaults;
    st_measure_one_opts p;
    memset(&p, 0, sizeof p);
    p.ov.has_pixel_mm = o->has_pixel_mm;
    p.ov.has_roi = o->has_roi;
    p.ov.has_modality = o->has_modality;
    p.ov.has_height_scale = o->has_height_scale;
    p.ov.pixel_mm = o->pixel_mm;
    memcpy(p.ov.roi, o->roi, sizeof p.ov.roi);
    p.ov.modality = o->modality;
    p.ov.height_um_per_unit = o->height_um_per_unit;
    p.max_pixels = o->max_pixels;
    p.max_memory = o->max_memory;
    p.threads = o->threads;
    p.raw = o->raw;
    st_measurement *m = calloc(1, sizeof *m);
    if (!m || !(m->path = strdup(path))) {
        free(m);
        return st_err_set(err, ST_ENOMEM, "out of memory");
    }
    m->modality = o->has_modality ? o->modality : ST_MODALITY_PHOTO;
    int rc = st_measure_one(path, &p, &m->r, err);
    if (rc) {
        free(m->path);
        free(m);
        return rc;
    }
    *result = m;
    return ST_OK;
}

int st_measurement_value(const st_measurement *m, const char *metric, double *value)
{
    if (!m || !metric || !value)
        return ST_EINVAL;
    const st_metric *x = st_metric_set_find(&m->r.metrics, metric);
    if (!x)
        return ST_ENOTFOUND;
    *value = x->value;
    return ST_OK;
}

const char *st_measurement_metric_name(const st_measurement *m, int k)
{
    return m && k >= 0 && (size_t)k < m->r.metrics.count ? m->r.metrics.items[k].name : NULL;
}

int st_measurement_json(const st_measurement *m, char **json, st_err *err)
{
    st_err local;
    if (!err)
        err = &local;
    if (!m || !json)
        return st_err_set(err, ST_EINVAL, "st_measurement_json: NULL argument");
    *json = st_image_json_render(&m->r, m->path, st_modality_name(m->modality), err);
    return *json ? ST_OK : (err->code ? err->code : ST_EINTERNAL);
}

void st_measurement_free(st_measurement *m)
{
    if (!m)
        return;
    st_session_result_free(&m->r);
    free(m->path);
    free(m);
}
