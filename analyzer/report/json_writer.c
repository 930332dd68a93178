#include "report/json_writer.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/chromo_map.h"
#include "report/numfmt.h"

/* cJSON reports allocation failures as NULL returns; the builders below
 * chain them and the caller checks one flag. */
typedef struct jb {
    int oom;
} jb;

static cJSON *chk(jb *b, cJSON *item)
{
    if (!item)
        b->oom = 1;
    return item;
}

static void num(jb *b, cJSON *obj, const char *key, double v, int sig)
{
    char buf[ST_NUM_BUF];
    chk(b, cJSON_AddRawToObject(obj, key, st_fmt_num(buf, v, sig)));
}

static void str(jb *b, cJSON *obj, const char *key, const char *s)
{
    chk(b, cJSON_AddStringToObject(obj, key, s));
}

static void arr_num(jb *b, cJSON *arr, double v, int sig)
{
    char buf[ST_NUM_BUF];
    cJSON *n = chk(b, cJSON_CreateRaw(st_fmt_num(buf, v, sig)));
    if (n && !cJSON_AddItemToArray(arr, n))
        b->oom = 1;
}

static cJSON *strings(jb *b, cJSON *obj, const char *key, const st_strlist *l)
{
    cJSON *a = chk(b, cJSON_AddArrayToObject(obj, key));
    for (size_t i = 0; a && i < l->count; i++) {
        cJSON *s = chk(b, cJSON_CreateString(l->items[i]));
        if (s)
            cJSON_AddItemToArray(a, s);
    }
    return a;
}

/* The fixed scales of the melanin and haemoglobin maps in images/, for the
 * report's colour keys: range, end colours and the ramp at 9 even stops. */
static void chromophore_keys(jb *b, cJSON *o)
{
    static const char *name[2] = {"melanin", "haemoglobin"};
    static const int which[2] = {ST_CHROMO_MELANIN, ST_CHROMO_HAEMOGLOBIN};
    cJSON *keys = chk(b, cJSON_AddObjectToObject(o, "chromophore_keys"));
    for (int k = 0; keys && k < 2; k++) {
        cJSON *e = chk(b, cJSON_AddObjectToObject(keys, name[k]));
        if (!e)
            return;
        double lo, hi;
        st_chromo_map_range(which[k], &lo, &hi);
        num(b, e, "min", lo, ST_SIG_METRIC);
        num(b, e, "max", hi, ST_SIG_METRIC);
        char hex[8];
        snprintf(hex, sizeof hex, "#%06x", st_chromo_map_colour(which[k], 0.0));
        str(b, e, "colour_min", hex);
        snprintf(hex, sizeof hex, "#%06x", st_chromo_map_colour(which[k], 1.0));
        str(b, e, "colour_max", hex);
        cJSON *stops = chk(b, cJSON_AddArrayToObject(e, "stops"));
        for (int i = 0; stops && i <= 8; i++) {
            snprintf(hex, sizeof hex, "#%06x", st_chromo_map_colour(which[k], i / 8.0));
            cJSON_AddItemToArray(stops, chk(b, cJSON_CreateString(hex)));
        }
        str(b, e, "unit", "optical density (ln)");
    }
}

static void series_obj(jb *b, cJSON *root, const st_series_result *r)
{
    const st_series *s = r->series;
    cJSON *o = chk(b, cJSON_AddObjectToObject(root, "series"));
    if (!o)
        return;
    str(b, o, "name", s->name);
    str(b, o, "patient", s->patient);
    str(b, o, "area", s->area);
    str(b, o, "modality", st_modality_name(s->modality));
    if (s->pixel_mm > 0)
        num(b, o, "pixel_mm", s->pixel_mm, ST_SIG_MATRIX);
    else
        chk(b, cJSON_AddNullToObject(o, "pixel_mm"));
    chk(b, cJSON_AddBoolToObject(o, "calibrated", s->pixel_mm > 0));
    if (r->has_roi) {
        cJSON *roi = chk(b, cJSON_AddArrayToObject(o, "roi"));
        for (int i = 0; roi && i < 4; i++)
            arr_num(b, roi, r->roi[i], ST_SIG_MATRIX);
    } else {
        chk(b, cJSON_AddNullToObject(o, "roi"));
    }
    if (r->roi_source[0])
        str(b, o, "roi_source", r->roi_source);
    if (r->image_area[0])
        str(b, o, "image_area", r->image_area);
    num(b, o, "baseline", 0, ST_SIG_METRIC);
    chk(b, cJSON_AddBoolToObject(o, "dates_unknown", s->dates_unknown));
    strings(b, o, "notes", &s->notes);
    if (s->modality == ST_MODALITY_PHOTO)
        chromophore_keys(b, o);
}

static void treatment_obj(jb *b, cJSON *o, const st_treatment *t)
{
    if (!t->present)
        return;
    cJSON *tr = chk(b, cJSON_AddObjectToObject(o, "treatment"));
    if (!tr)
        return;
    if (t->setting[0])
        str(b, tr, "setting", t->setting);
    if (t->has_needle_mm)
        num(b, tr, "needle_mm", t->needle_mm, ST_SIG_METRIC);
    if (t->n_adjuncts) {
        cJSON *a = chk(b, cJSON_AddArrayToObject(tr, "adjuncts"));
        for (int i = 0; a && i < t->n_adjuncts; i++)
            cJSON_AddItemToArray(a, chk(b, cJSON_CreateString(t->adjuncts[i])));
    }
}

static void registration_obj(jb *b, cJSON *o, const st_registration_info *g)
{
    cJSON *r = chk(b, cJSON_AddObjectToObject(o, "registration"));
    if (!r)
        return;
    str(b, r, "status", g->status);
    str(b, r, "model", g->model);
    cJSON *m = chk(b, cJSON_AddArrayToObject(r, "matrix"));
    for (int i = 0; m && i < 3; i++) {
        cJSON *row = chk(b, cJSON_CreateArray());
        if (!row)
            break;
        cJSON_AddItemToArray(m, row);
        for (int j = 0; j < 3; j++)
            arr_num(b, row, g->matrix[i][j], ST_SIG_MATRIX);
    }
    num(b, r, "ncc", g->ncc, ST_SIG_METRIC);
    num(b, r, "overlap", g->overlap, ST_SIG_METRIC);
    str(b, r, "message", g->message);
}

static void quality_obj(jb *b, cJSON *o, const st_quality_info *q)
{
    cJSON *r = chk(b, cJSON_AddObjectToObject(o, "quality"));
    if (!r)
        return;
    str(b, r, "status", q->status);
    num(b, r, "sharpness", q->sharpness, ST_SIG_METRIC);
    num(b, r, "clipped_pct", q->clipped_pct, ST_SIG_METRIC);
    strings(b, r, "messages", &q->messages);
}

/* {"name": {"value": v, "unit": u}} (with_unit) or {"name": v}. */
static void colour_obj(jb *b, cJSON *o, const st_colour_info *c)
{
    if (!c->status[0])
        return; /* not a photo */
    cJSON *r = chk(b, cJSON_AddObjectToObject(o, "colour"));
    if (!r)
        return;
    str(b, r, "status", c->status);
    str(b, r, "method", c->method);
    if (c->has_fit) {
        num(b, r, "delta_e00_before", c->de00_before, ST_SIG_METRIC);
        num(b, r, "delta_e00_after", c->de00_after, ST_SIG_METRIC);
    } else {
        chk(b, cJSON_AddNullToObject(r, "delta_e00_before"));
        chk(b, cJSON_AddNullToObject(r, "delta_e00_after"));
    }
    if (c->has_chart) {
        cJSON *box = chk(b, cJSON_AddArrayToObject(r, "chart_box"));
        for (int i = 0; box && i < 4; i++)
            arr_num(b, box, c->chart_box[i], ST_SIG_MATRIX);
    } else {
        chk(b, cJSON_AddNullToObject(r, "chart_box"));
    }
    if (c->message[0])
        str(b, r, "message", c->message);
}

static void light_obj(jb *b, cJSON *o, const st_light_info *l)
{
    if (!l->present)
        return;
    cJSON *r = chk(b, cJSON_AddObjectToObject(o, "light"));
    if (!r)
        return;
    cJSON *d = chk(b, cJSON_AddArrayToObject(r, "direction"));
    for (int i = 0; d && i < 3; i++)
        arr_num(b, d, l->direction[i], ST_SIG_METRIC);
    num(b, r, "angle_to_baseline_deg", l->angle_to_baseline_deg, ST_SIG_METRIC);
    chk(b, cJSON_AddBoolToObject(r, "relief_comparable", l->relief_comparable));
}

static void withheld_obj(jb *b, cJSON *o, const st_withheld *w)
{
    cJSON *r = chk(b, cJSON_AddObjectToObject(o, "withheld"));
    for (size_t i = 0; r && i < w->names.count; i++)
        str(b, r, w->names.items[i], w->reasons.items[i]);
}

static void metric_obj(jb *b, cJSON *o, const char *key, const st_metric_set *set, int with_unit)
{
    cJSON *r = chk(b, cJSON_AddObjectToObject(o, key));
    for (size_t i = 0; r && i < set->count; i++) {
        const st_metric *m = &set->items[i];
        if (!with_unit) {
            num(b, r, m->name, m->value, ST_SIG_METRIC);
            continue;
        }
        cJSON *v = chk(b, cJSON_AddObjectToObject(r, m->name));
        if (!v)
            break;
        num(b, v, "value", m->value, ST_SIG_METRIC);
        str(b, v, "unit", m->unit);
    }
}

static void detections_obj(jb *b, cJSON *o, const st_detections *d)
{
    cJSON *r = chk(b, cJSON_AddObjectToObject(o, "detections"));
    cJSON *p = r ? chk(b, cJSON_AddArrayToObject(r, "pores")) : NULL;
    for (size_t i = 0; p && i < d->n_pores; i++) {
        cJSON *e = chk(b, cJSON_CreateObject());
        if (!e)
            return;
        cJSON_AddItemToArray(p, e);
        num(b, e, "x", d->pores[i].x, ST_SIG_METRIC);
        num(b, e, "y", d->pores[i].y, ST_SIG_METRIC);
        num(b, e, "d_mm", d->pores[i].d_mm, ST_SIG_METRIC);
    }
    cJSON *s = r ? chk(b, cJSON_AddArrayToObject(r, "scars")) : NULL;
    for (size_t i = 0; s && i < d->n_scars; i++) {
        const st_scar *c = &d->scars[i];
        cJSON *e = chk(b, cJSON_CreateObject());
        if (!e)
            return;
        cJSON_AddItemToArray(s, e);
        num(b, e, "x", c->x, ST_SIG_METRIC);
        num(b, e, "y", c->y, ST_SIG_METRIC);
        num(b, e, "area_mm2", c->area_mm2, ST_SIG_METRIC);
        num(b, e, "max_depth", c->max_depth, ST_SIG_METRIC);
        num(b, e, "mean_depth", c->mean_depth, ST_SIG_METRIC);
        num(b, e, "volume_mm3", c->volume_mm3, ST_SIG_METRIC);
        num(b, e, "length_mm", c->length_mm, ST_SIG_METRIC);
        num(b, e, "width_mm", c->width_mm, ST_SIG_METRIC);
        str(b, e, "type", c->type);
        if (c->depth_shadowed) /* photos: its depth does not show (scar_photo.c) */
            chk(b, cJSON_AddBoolToObject(e, "depth_shadowed", 1));
    }
    cJSON *w = r ? chk(b, cJSON_AddArrayToObject(r, "wrinkles")) : NULL;
    for (size_t i = 0; w && i < d->n_wrinkles; i++) {
        const st_wrinkle *k = &d->wrinkles[i];
        cJSON *e = chk(b, cJSON_CreateObject());
        if (!e)
            return;
        cJSON_AddItemToArray(w, e);
        num(b, e, "x0", k->x0, ST_SIG_METRIC);
        num(b, e, "y0", k->y0, ST_SIG_METRIC);
        num(b, e, "x1", k->x1, ST_SIG_METRIC);
        num(b, e, "y1", k->y1, ST_SIG_METRIC);
        num(b, e, "length_mm", k->length_mm, ST_SIG_METRIC);
        num(b, e, "width_mm", k->width_mm, ST_SIG_METRIC);
        num(b, e, "depth", k->depth, ST_SIG_METRIC);
        num(b, e, "angle_deg", k->angle_deg, ST_SIG_METRIC);
    }
}

static cJSON *num_array(jb *b, cJSON *o, const char *key, const double *v, size_t n)
{
    cJSON *a = chk(b, cJSON_AddArrayToObject(o, key));
    for (size_t i = 0; a && i < n; i++)
        arr_num(b, a, v[i], ST_SIG_METRIC); /* NaN prints null: a tile outside the mask */
    return a;
}

static void extras_obj(jb *b, cJSON *o, const st_session_result *s)
{
    if (s->image_aligned[0] || s->image_overlay[0]) {
        cJSON *im = chk(b, cJSON_AddObjectToObject(o, "images"));
        if (im && s->image_aligned[0])
            str(b, im, "aligned", s->image_aligned);
        if (im && s->image_diff[0])
            str(b, im, "diff", s->image_diff);
        if (im && s->image_overlay[0])
            str(b, im, "overlay", s->image_overlay);
        if (im && s->image_melanin[0])
            str(b, im, "melanin", s->image_melanin);
        if (im && s->image_haemoglobin[0])
            str(b, im, "haemoglobin", s->image_haemoglobin);
    }
    if (s->psd.n) {
        cJSON *p = chk(b, cJSON_AddObjectToObject(o, "psd"));
        if (p) {
            num_array(b, p, "freq_per_mm", s->psd.freq_per_mm, s->psd.n);
            num_array(b, p, "power", s->psd.power, s->psd.n);
        }
    }
    const st_tile_maps *g = &s->tiles;
    cJSON *t = g->n_maps ? chk(b, cJSON_AddObjectToObject(o, "tiles")) : NULL;
    for (size_t i = 0; t && i < g->n_maps; i++) {
        cJSON *mo = chk(b, cJSON_AddObjectToObject(t, g->maps[i].name));
        if (!mo)
            break;
        str(b, mo, "unit", g->maps[i].unit);
        num(b, mo, "rows", g->rows, ST_SIG_MATRIX);
        num(b, mo, "cols", g->cols, ST_SIG_MATRIX);
        num(b, mo, "x0", g->x0, ST_SIG_MATRIX);
        num(b, mo, "y0", g->y0, ST_SIG_MATRIX);
        num(b, mo, "tile_px", g->tile_px, ST_SIG_MATRIX);
        num_array(b, mo, "values", g->maps[i].values, (size_t)g->cols * (size_t)g->rows);
    }
}

static void shots_obj(jb *b, cJSON *o, const st_session_result *s)
{
    if (s->n_shots < 2)
        return;
    metric_obj(b, o, "repeatability", &s->spread, 0);
    cJSON *a = chk(b, cJSON_AddArrayToObject(o, "shots"));
    for (size_t i = 0; a && i < s->n_shots; i++) {
        cJSON *e = chk(b, cJSON_CreateObject());
        if (!e)
            return;
        cJSON_AddItemToArray(a, e);
        str(b, e, "file", s->shots[i].file);
        metric_obj(b, e, "metrics", &s->shots[i].metrics, 0);
    }
}

static void session_obj(jb *b, cJSON *arr, const st_session_result *s, size_t index)
{
    const st_scan_session *sc = s->scan;
    cJSON *o = chk(b, cJSON_CreateObject());
    if (!o)
        return;
    cJSON_AddItemToArray(arr, o);
    num(b, o, "index", (double)index, ST_SIG_MATRIX);
    if (sc->date[0]) {
        str(b, o, "date", sc->date);
        num(b, o, "days", sc->days, ST_SIG_MATRIX);
    } else {
        chk(b, cJSON_AddNullToObject(o, "date"));
        chk(b, cJSON_AddNullToObject(o, "days"));
    }
    str(b, o, "label", sc->label);
    strings(b, o, "files", &sc->files);
    treatment_obj(b, o, &sc->treatment);
    str(b, o, "status", s->failed ? "failed" : "ok");
    str(b, o, "error", s->reason);
    registration_obj(b, o, &s->reg);
    quality_obj(b, o, &s->quality);
    colour_obj(b, o, &s->colour);
    light_obj(b, o, &s->light);
    metric_obj(b, o, "metrics", &s->metrics, 1);
    if (index > 0) {
        metric_obj(b, o, "change", &s->change, 0);
        withheld_obj(b, o, &s->withheld);
    }
    shots_obj(b, o, s);
    detections_obj(b, o, &s->det);
    extras_obj(b, o, s);
}

static void progress_obj(jb *b, cJSON *root, const st_series_result *r)
{
    static const char *fam[ST_FAM_COUNT] = {"roughness", "pores", "scars", "wrinkles"};
    cJSON *p = chk(b, cJSON_AddObjectToObject(root, "progress"));
    if (!p)
        return;
    if (r->remodel.valid) {
        cJSON *ri = chk(b, cJSON_AddObjectToObject(p, "remodeling_index"));
        if (ri) {
            num(b, ri, "value", r->remodel.value, ST_SIG_METRIC);
            cJSON *ci = chk(b, cJSON_AddArrayToObject(ri, "ci95"));
            if (ci) {
                arr_num(b, ci, r->remodel.ci95[0], ST_SIG_METRIC);
                arr_num(b, ci, r->remodel.ci95[1], ST_SIG_METRIC);
            }
            num(b, ri, "session", r->remodel_session, ST_SIG_MATRIX);
            cJSON *f = chk(b, cJSON_AddObjectToObject(ri, "families"));
            for (int i = 0; f && i < ST_FAM_COUNT; i++)
                if (r->remodel.used[i])
                    num(b, f, fam[i], r->remodel.change[i], ST_SIG_METRIC);
        }
    } else {
        chk(b, cJSON_AddNullToObject(p, "remodeling_index"));
    }
    metric_obj(b, p, "trend_per_30d", &r->trend, 0);
    /* The remodeling families' key metrics: the interval of their change in
     * the index's session, from the same tile bootstrap. */
    static const char *key[ST_FAM_COUNT] = {"roughness.sq", "pores.mean_diameter_mm", "scars.volume", NULL};
    cJSON *ci = r->remodel.valid ? chk(b, cJSON_AddObjectToObject(p, "change_ci95")) : NULL;
    for (int f = 0; ci && f < ST_FAM_COUNT; f++) {
        if (!r->remodel.used[f] || !key[f])
            continue;
        cJSON *a = chk(b, cJSON_AddArrayToObject(ci, key[f]));
        if (a) {
            arr_num(b, a, r->remodel.change_ci95[f][0], ST_SIG_METRIC);
            arr_num(b, a, r->remodel.change_ci95[f][1], ST_SIG_METRIC);
        }
    }
    strings(b, p, "flags", &r->flags);
}

char *st_metrics_json_render(const st_series_result *r, st_err *err)
{
    jb b = {0};
    cJSON *root = chk(&b, cJSON_CreateObject());
    if (root) {
        str(&b, root, "schema", "skintrack/1");
        cJSON *tool = chk(&b, cJSON_AddObjectToObject(root, "tool"));
        if (tool) {
            str(&b, tool, "name", "skintrack");
            str(&b, tool, "version", st_version());
        }
        series_obj(&b, root, r);
        cJSON *sessions = chk(&b, cJSON_AddArrayToObject(root, "sessions"));
        for (size_t i = 0; sessions && i < r->n_sessions; i++)
            session_obj(&b, sessions, &r->sessions[i], i);
        progress_obj(&b, root, r);
    }
    char *text = (root && !b.oom) ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        st_err_set(err, ST_ENOMEM, "metrics.json: out of memory");
    return text;
}

int st_metrics_json_write(const st_series_result *r, const char *path, st_err *err)
{
    char *text = st_metrics_json_render(r, err);
    if (!text)
        return ST_ENOMEM;
    size_t n = strlen(text);
    text[n] = '\n'; /* cJSON leaves no final newline; text files end with one */
    int rc = st_atomic_write(path, text, n + 1, err);
    cJSON_free(text);
    return rc;
}

char *st_image_json_render(const st_session_result *s, const char *file, const char *modality,
                           st_err *err)
{
    /* `skintrack metrics --json`: one session-like object (SPEC.md). */
    jb b = {0};
    cJSON *root = chk(&b, cJSON_CreateObject());
    if (root) {
        str(&b, root, "file", file);
        str(&b, root, "modality", modality);
        metric_obj(&b, root, "metrics", &s->metrics, 1);
        quality_obj(&b, root, &s->quality);
        detections_obj(&b, root, &s->det);
        extras_obj(&b, root, s);
    }
    char *text = (root && !b.oom) ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text)
        st_err_set(err, ST_ENOMEM, "%s: out of memory", file);
    return text;
}
