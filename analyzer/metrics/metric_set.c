#include "metrics/metric_set.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

int st_metric_set_put(st_metric_set *set, const char *name, double value, const char *unit,
                      st_err *err)
{
    if (!isfinite(value))
        return st_err_set(err, ST_EINTERNAL, "metric %s: not a finite value", name);
    if (strlen(name) >= ST_METRIC_NAME_MAX || strlen(unit) >= ST_METRIC_UNIT_MAX)
        return st_err_set(err, ST_EINTERNAL, "metric %s: name or unit too long", name);
    st_metric *m = (st_metric *)st_metric_set_find(set, name);
    if (!m) {
        if (set->count == set->cap) {
            size_t cap = set->cap ? 2 * set->cap : 32;
            st_metric *grown = realloc(set->items, cap * sizeof *grown);
            if (!grown)
                return st_err_set(err, ST_ENOMEM, "metric %s: out of memory", name);
            set->items = grown;
            set->cap = cap;
        }
        m = &set->items[set->count++];
        memset(m, 0, sizeof *m);
        strcpy(m->name, name);
    }
    strcpy(m->unit, unit);
    m->value = value;
    return ST_OK;
}

const st_metric *st_metric_set_find(const st_metric_set *set, const char *name)
{
    for (size_t i = 0; i < set->count; i++)
        if (!strcmp(set->items[i].name, name))
            return &set->items[i];
    return NULL;
}

void st_metric_set_clear(st_metric_set *set)
{
    free(set->items);
    memset(set, 0, sizeof *set);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const st_metric *)a)->name, ((const st_metric *)b)->name);
}

void st_metric_set_sort(st_metric_set *set)
{
    if (set->count > 1)
        qsort(set->items, set->count, sizeof *set->items, by_name);
}

void st_detections_clear(st_detections *d)
{
    free(d->pores);
    free(d->tracked);
    free(d->scars);
    for (size_t i = 0; d->wrinkles && i < d->n_wrinkles; i++)
        free(d->wrinkles[i].path);
    free(d->wrinkles);
    free(d->scar_labels);
    memset(d, 0, sizeof *d);
}

void st_detections_offset(st_detections *d, double dx, double dy)
{
    for (size_t k = 0; k < d->n_pores; k++) {
        d->pores[k].x += dx;
        d->pores[k].y += dy;
    }
    for (size_t k = 0; k < d->n_tracked; k++) {
        d->tracked[k].x += dx;
        d->tracked[k].y += dy;
    }
    for (size_t k = 0; k < d->n_scars; k++) {
        d->scars[k].x += dx;
        d->scars[k].y += dy;
    }
    for (size_t k = 0; k < d->n_wrinkles; k++) {
        st_wrinkle *w = &d->wrinkles[k];
        w->x0 += dx;
        w->y0 += dy;
        w->x1 += dx;
        w->y1 += dy;
        for (size_t p = 0; p < w->n_path; p++) {
            w->path[2 * p] += dx;
            w->path[2 * p + 1] += dy;
        }
    }
}
