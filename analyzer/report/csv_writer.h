/* metrics.csv: long format, one row per value (SPEC.md):
 *   series,session,date,label,file,metric,value,unit,change_pct
 * Quoting per RFC 4180 (a field with a comma, quote, CR or LF, or leading or
 * trailing blanks, is quoted, and quotes doubled; formula-like cells get a
 * leading '). A session's row names its
 * file; a session of several photos has one row per photo (change_pct
 * empty) and then the session mean with file "mean"; a stereo session's rows
 * name its files joined by '+'. Failed sessions have no rows. */
#ifndef ST_REPORT_CSV_WRITER_H
#define ST_REPORT_CSV_WRITER_H

#include <stdio.h>

#include "report/csv_cell.h"
#include "series/result.h"

/* Writes the rows to an open stream (header included). */
int st_metrics_csv_stream(const st_series_result *r, FILE *fp, st_err *err);

/* Writes atomically to path. */
int st_metrics_csv_write(const st_series_result *r, const char *path, st_err *err);

#endif
