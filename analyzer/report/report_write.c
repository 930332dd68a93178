/* st_report_write: metrics.json in, report.html and report.pdf out. */
#include <stdio.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/report.h"

int st_report_write(const char *out_dir, st_err *err)
{
    return st_report_write_opts(out_dir, NULL, err);
}

int st_report_write_opts(const char *out_dir, const st_report_opts *opts, st_err *err)
{
    st_rp_model m;
    char path[ST_PATH_MAX];
    int code = st_rp_model_load(out_dir, &m, err);
    if (code != ST_OK)
        return code;
    if (!m.run_date[0] && opts && opts->run_date)
        m.run_date = opts->run_date;
    st_sbuf html = {0};
    code = st_html_report_render(&m, &html, err);
    if (code == ST_OK) {
        if ((size_t)snprintf(path, sizeof path, "%s/report.html", out_dir) >= sizeof path)
            code = st_err_set(err, ST_EINVAL, "%s: path too long", out_dir);
        else
            code = st_atomic_write(path, html.data, html.len, err);
    }
    st_sbuf_free(&html);
    if (code == ST_OK) {
        snprintf(path, sizeof path, "%s/report.pdf", out_dir);
        code = st_pdf_report_write(&m, path, err);
    }
    st_rp_model_free(&m);
    return code;
}
