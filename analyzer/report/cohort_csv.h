/* OUT/metrics.csv of a batch: every series in one long ("tidy") table, one
 * row per session and metric, for a researcher to load in one call
 * (docs/cohort-data.md):
 *   patient,area,modality,series,session,date,days,label,quality,metric,
 *   value,unit,change_pct,withheld,message
 * Values come from each series' metrics.json, written so that they read
 * back as the same doubles. A failed session has one row without a metric,
 * quality "failed" and its cause in message; so has a failed series (session
 * empty). Every cell goes through st_csv_cell (quoting, formula guard). */
#ifndef ST_REPORT_COHORT_CSV_H
#define ST_REPORT_COHORT_CSV_H

#include <stddef.h>

#include "skintrack/skintrack.h"

typedef struct st_cohort_series {
    const char *name;         /* the series' folder name */
    const char *metrics_json; /* its metrics.json */
    const char *failure;      /* non-empty: the series failed, this is why */
    /* A failed series' patient, area and modality (from results.db, stored
     * from its series.json); NULL or "" when unknown. A series that did not
     * fail takes them from its metrics.json. */
    const char *patient, *area, *modality;
} st_cohort_series;

#define ST_COHORT_CSV_HEADER                                                                   \
    "patient,area,modality,series,session,date,days,label,quality,metric,value,unit,"         \
    "change_pct,withheld,message\n"

/* Writes the table for series[0..n) atomically to path. */
int st_cohort_csv_write(const char *path, const st_cohort_series *series, size_t n, st_err *err);

#endif
