#include "report/csv_writer.h"

#include <string.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/numfmt.h"

typedef struct row_ctx {
    FILE *fp;
    const st_series_result *r;
    size_t index;
    int bad;
} row_ctx;

static void field(row_ctx *c, const char *s, int last)
{
    if (st_csv_field(c->fp, s) || fputc(last ? '\n' : ',', c->fp) == EOF)
        c->bad = 1;
}

static void rows(row_ctx *c, const char *file, const st_metric_set *set, const st_metric_set *change)
{
    const st_session_result *s = &c->r->sessions[c->index];
    char idx[24], v[ST_NUM_BUF], ch[ST_NUM_BUF];
    snprintf(idx, sizeof idx, "%zu", c->index);
    for (size_t i = 0; i < set->count; i++) {
        const st_metric *m = &set->items[i];
        const st_metric *cm = change ? st_metric_set_find(change, m->name) : NULL;
        field(c, c->r->series->name, 0);
        field(c, idx, 0);
        field(c, s->scan->date, 0);
        field(c, s->scan->label, 0);
        field(c, file, 0);
        field(c, m->name, 0);
        field(c, st_fmt_num(v, m->value, ST_SIG_METRIC), 0);
        field(c, m->unit, 0);
        field(c, cm ? st_fmt_num(ch, cm->value, ST_SIG_METRIC) : "", 1);
    }
}

static void session_rows(row_ctx *c)
{
    const st_session_result *s = &c->r->sessions[c->index];
    if (s->failed)
        return;
    if (s->n_shots > 1) {
        for (size_t k = 0; k < s->n_shots; k++)
            rows(c, s->shots[k].file, &s->shots[k].metrics, NULL);
        rows(c, "mean", &s->metrics, &s->change);
        return;
    }
    char files[1024] = "";
    for (size_t k = 0; k < s->scan->files.count; k++) {
        size_t used = strlen(files);
        snprintf(files + used, sizeof files - used, "%s%s", k ? "+" : "", s->scan->files.items[k]);
    }
    rows(c, files, &s->metrics, &s->change);
}

int st_metrics_csv_stream(const st_series_result *r, FILE *fp, st_err *err)
{
    row_ctx c = {fp, r, 0, 0};
    if (fputs("series,session,date,label,file,metric,value,unit,change_pct\n", fp) < 0)
        c.bad = 1;
    for (c.index = 0; c.index < r->n_sessions && !c.bad; c.index++)
        session_rows(&c);
    return c.bad ? st_err_set(err, ST_EIO, "metrics.csv: write error") : ST_OK;
}

int st_metrics_csv_write(const st_series_result *r, const char *path, st_err *err)
{
    st_afile af;
    int rc = st_afile_open(&af, path, err);
    if (rc)
        return rc;
    rc = st_metrics_csv_stream(r, af.fp, err);
    if (rc) {
        st_afile_abort(&af);
        return rc;
    }
    return st_afile_commit(&af, err);
}
