/* Reads a series' metrics.json (schema skintrack/1) back into the rows of
 * results.db, so the database holds exactly what the series' own outputs say. */
#ifndef ST_METRICS_IMPORT_H
#define ST_METRICS_IMPORT_H

#include "series/results_db.h"

typedef struct st_imported {
    void *json;             /* the parsed document; strings below point into it */
    const char *name, *patient, *area, *modality; /* series.*; "" when absent */
    st_db_session *sessions;
    size_t n_sessions;
    st_db_metric *metrics;
    size_t n_metrics;
    int has_index;
    double remodeling_index, ci_lo, ci_hi;
    int n_failed_sessions;  /* status, registration or quality "fail"/"failed" */
} st_imported;

int st_metrics_import(const char *metrics_json_path, st_imported *out, st_err *err);
void st_imported_free(st_imported *imp);

#endif
