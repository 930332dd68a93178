/* Report stage: what `analyze` wrote (OUT/metrics.json, OUT/images/) into a
 * progress report a clinic can hand over (OUT/report.html, OUT/report.pdf),
 * and the batch overview (OUT/index.html, OUT/summary.csv).
 * Both outputs are deterministic: the report never reads the clock (the date
 * of analysis comes from metrics.json tool.run_date), so the same input gives
 * the same bytes. See report_model.h for the keys read beyond SPEC.md. */
#ifndef ST_REPORT_H
#define ST_REPORT_H

#include <stddef.h>
#include "skintrack/skintrack.h"
#include "report/report_buf.h"
#include "report/report_model.h"

/* Reads out_dir/metrics.json and writes out_dir/report.html and
 * out_dir/report.pdf, each atomically (core/atomic_file.h). */
int st_report_write(const char *out_dir, st_err *err);

typedef struct st_report_opts {
    /* Date of analysis for the footers and the PDF metadata when
     * metrics.json has no tool.run_date: "YYYY-MM-DD" or
     * "YYYY-MM-DDTHH:MM:SSZ", chosen by the caller (the CLI uses the time of
     * the run, or SOURCE_DATE_EPOCH); NULL: "not recorded". The library never
     * reads the clock, so equal inputs give equal bytes. */
    const char *run_date;
} st_report_opts;
int st_report_write_opts(const char *out_dir, const st_report_opts *opts, st_err *err);

/* The two renderers, for callers that already hold a model. */
int st_html_report_render(const st_rp_model *m, st_sbuf *out, st_err *err);
int st_pdf_report_write(const st_rp_model *m, const char *pdf_path, st_err *err);

/* out_root/index.html (sortable table linking <series>/report.html) and
 * out_root/summary.csv from each series' metrics.json. series_dirs are the
 * series output folders (absolute, or relative to the current directory);
 * links are made relative to out_root. A series with a non-empty
 * failures[i] (the cause a batch stored; failures may be NULL), or whose
 * metrics.json is missing or unreadable, is listed as failed with the reason. */
int st_batch_index_write(const char *out_root, const char *const *series_dirs,
                         const char *const *failures, size_t n, st_err *err);

#endif
