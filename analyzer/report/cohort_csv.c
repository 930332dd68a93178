#include "report/cohort_csv.h"

#include <stdio.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/csv_cell.h"
#include "series/metrics_import.h"

/* The columns of one row, in the order of ST_COHORT_CSV_HEADER. */
enum { PATIENT, AREA, MODALITY, SERIES, SESSION, DATE, DAYS, LABEL, QUALITY, METRIC, VALUE, UNIT,
       CHANGE, WITHHELD, MESSAGE, N_COLUMNS };

static void put_row(st_sbuf *b, const char *const cells[N_COLUMNS])
{
    for (int k = 0; k < N_COLUMNS; k++) {
        st_csv_cell(b, cells[k] ? cells[k] : "");
        st_sbuf_put(b, k + 1 < N_COLUMNS ? "," : "\n");
    }
}

/* The rows of one session: one per metric, or one with its cause. */
static void session_rows(st_sbuf *b, const st_imported *imp, const char *series,
                         const st_db_session *s, size_t *next_metric)
{
    char idx[24], days[24], value[ST_CSV_NUM_BUF], change[ST_CSV_NUM_BUF];
    snprintf(idx, sizeof idx, "%d", s->index);
    snprintf(days, sizeof days, "%d", s->days);
    const char *cells[N_COLUMNS] = {
        [PATIENT] = imp->patient, [AREA] = imp->area, [MODALITY] = imp->modality,
        [SERIES] = series, [SESSION] = idx, [DATE] = s->date, [DAYS] = s->date[0] ? days : "",
        [LABEL] = s->label, [QUALITY] = s->status, [MESSAGE] = s->message};
    int any = 0;
    for (; *next_metric < imp->n_metrics && imp->metrics[*next_metric].session == s->index;
         ++*next_metric) {
        const st_db_metric *m = &imp->metrics[*next_metric];
        cells[METRIC] = m->name;
        cells[VALUE] = st_csv_number(value, m->value);
        cells[UNIT] = m->unit;
        cells[CHANGE] = m->has_change ? st_csv_number(change, m->change_pct) : "";
        cells[WITHHELD] = m->withheld;
        put_row(b, cells);
        any = 1;
    }
    if (!any) /* a failed session (or one with nothing measured): its cause */
        put_row(b, cells);
}

static void series_rows(st_sbuf *b, const st_cohort_series *c)
{
    st_imported imp;
    st_err e = {0};
    const char *why = c->failure && c->failure[0] ? c->failure : NULL;
    if (!why && st_metrics_import(c->metrics_json, &imp, &e))
        why = e.msg;
    if (why) {
        const char *cells[N_COLUMNS] = {[PATIENT] = c->patient, [AREA] = c->area,
                                        [MODALITY] = c->modality, [SERIES] = c->name,
                                        [QUALITY] = "failed", [MESSAGE] = why};
        put_row(b, cells);
        return;
    }
    size_t next = 0; /* metrics are stored session after session */
    for (size_t i = 0; i < imp.n_sessions; i++)
        session_rows(b, &imp, c->name, &imp.sessions[i], &next);
    st_imported_free(&imp);
}

int st_cohort_csv_write(const char *path, const st_cohort_series *series, size_t n, st_err *err)
{
    st_sbuf b = {0};
    st_sbuf_put(&b, ST_COHORT_CSV_HEADER);
    for (size_t i = 0; i < n; i++)
        series_rows(&b, &series[i]);
    int rc = b.oom ? st_err_set(err, ST_ENOMEM, "%s: out of memory", path)
                   : st_atomic_write(path, b.data, b.len, err);
    st_sbuf_free(&b);
    return rc;
}
