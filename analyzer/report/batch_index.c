/* `batch` overview: OUT/index.html (one sortable row per series, linking to
 * its report) and OUT/summary.csv (RFC 4180), both from each series'
 * metrics.json. A series that cannot be read is still listed, as failed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/csv_cell.h"
#include "report/html_style.h"
#include "report/report.h"
#include "report/report_catalog.h"
#include "report/report_words.h"

/* Key changes in summary.csv (percent since baseline, latest session), one
 * fixed column each; index.html shows each family's headline, as the
 * series report does (st_rp_summarise_family). */
static const char *const key_metrics[] = {"roughness.sq",           "pores.mean_diameter_mm",
                                          "scars.mean_depth",       "scars.volume",
                                          "wrinkles.length_mm_cm2", "pigment.spot_area_fraction",
                                          "redness.erythema_index"};
#define N_KEYS (sizeof key_metrics / sizeof key_metrics[0])

static const char *base_name(const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    const char *s = dir + n;
    while (s > dir && s[-1] != '/')
        s--;
    return s;
}

/* A folder name as a relative URL path segment (RFC 3986 percent-encoding). */
static void url_segment(st_sbuf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            st_sbuf_putn(b, (const char *)p, 1);
        else
            st_sbuf_printf(b, "%%%02X", *p);
    }
}

static void csv_num(st_sbuf *b, double v)
{
    char t[ST_CSV_NUM_BUF];
    st_sbuf_printf(b, ",%s", st_csv_number(t, v));
}

static void html_head(st_sbuf *h)
{
    st_sbuf_printf(h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta "
                      "name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
                      "Skin progress — all series</title><style>%s"
                      "main{max-width:1280px}th[data-k]{cursor:pointer;user-select:none}"
                      "th[data-k]:after{content:' \\21C5';color:#9aa5b1}td.fail{color:var(--bad);"
                      "font-weight:600;white-space:normal}th.t,td.t{text-align:left;"
                      "white-space:normal;min-width:110px}"
                      "</style></head><body><main><section><h1>Skin progress — all series</h1>"
                      "<p class=\"sub\">Click a column title to sort. Remodeling index: positive is "
                      "better. Changes: latest measured session against baseline, in percent; "
                      "lower is better. Grey: the 95 %% interval includes zero.</p>"
                      "<div class=\"tablewrap\"><table id=\"series\"><thead><tr>"
                      "<th data-k=\"s\" class=\"t\">Series</th><th data-k=\"s\" class=\"t\">"
                      "Patient</th><th data-k=\"s\" class=\"t\">Area</th><th data-k=\"s\" "
                      "class=\"t\">Status</th><th data-k=\"n\">Sessions</th><th data-k=\"n\">"
                      "Remodeling index</th>",
                   st_html_css);
    for (int k = 0; k < ST_RP_SUMMARY_FAMILIES; k++)
        st_sbuf_printf(h, "<th data-k=\"n\">%s</th>",
                       st_rp_family_title((st_rp_family)st_rp_summary_family(k)));
    st_sbuf_put(h, "</tr></thead><tbody>");
}

/* A number cell; pct cells are coloured by direction (every key metric is
 * lower-is-better), index cells by sign (positive = improvement); grey when
 * the 95 % interval [lo, hi] includes zero. */
static void html_cell_num(st_sbuf *h, double v, int pct, double lo, double hi)
{
    char t[48];
    if (!isfinite(v)) {
        st_sbuf_put(h, "<td data-v=\"\" class=\"neutral\">—</td>");
        return;
    }
    int ns = isfinite(lo) && isfinite(hi) && lo <= 0 && hi >= 0;
    const char *cls = fabs(v) < 0.5 || ns ? "neutral" : (pct ? v < 0 : v > 0) ? "down-good" : "up-bad";
    if (pct)
        st_rp_fmt_pct(t, sizeof t, v);
    else {
        st_rp_fmt_value(t, sizeof t, v);
        strcat(t, "\xc2\xa0%");
    }
    st_sbuf_printf(h, "<td data-v=\"%.17g\" class=\"%s\">%s</td>", v, cls, t);
}

static void add_series(st_sbuf *h, st_sbuf *csv, const char *dir, const char *failure)
{
    st_rp_model m;
    st_err e = {0};
    const char *name = base_name(dir);
    int ok = !(failure && failure[0]) && st_rp_model_load(dir, &m, &e) == ST_OK;
    if (failure && failure[0])
        snprintf(e.msg, sizeof e.msg, "%s", failure);
    int li = ok ? st_rp_latest(&m) : -1;
    size_t failed = 0;
    for (size_t i = 0; ok && i < m.n_sessions; i++)
        failed += m.sessions[i].failed;
    char status[600];
    if (!ok)
        snprintf(status, sizeof status, "failed: %s", e.msg);
    else
        snprintf(status, sizeof status, failed == 0 ? "ok"
                                        : failed == 1 ? "1 session failed"
                                                      : "%zu sessions failed", failed);
    st_sbuf_put(h, "<tr><td class=\"t\"><a href=\"");
    url_segment(h, name);
    st_sbuf_put(h, "/report.html\">");
    st_sbuf_html(h, ok && m.name[0] ? m.name : name);
    st_sbuf_put(h, "</a></td><td class=\"t\">");
    st_sbuf_html(h, ok ? m.patient : "");
    st_sbuf_put(h, "</td><td class=\"t\">");
    st_sbuf_html(h, ok ? m.area : "");
    st_sbuf_printf(h, "</td><td class=\"t %s\">", ok && !failed ? "qc-ok" : ok ? "qc-warn" : "fail");
    st_sbuf_html(h, status);
    st_sbuf_printf(h, "</td><td data-v=\"%zu\">%zu</td>", ok ? m.n_sessions : 0,
                   ok ? m.n_sessions : 0);
    html_cell_num(h, ok ? m.index_value : NAN, 0, ok ? m.index_lo : NAN, ok ? m.index_hi : NAN);
    st_csv_cell(csv, name);
    st_sbuf_put(csv, ",");
    st_csv_cell(csv, ok ? m.patient : "");
    st_sbuf_put(csv, ",");
    st_csv_cell(csv, ok ? m.area : "");
    st_sbuf_put(csv, ",");
    st_csv_cell(csv, status);
    st_sbuf_printf(csv, ",%zu", ok ? m.n_sessions : 0);
    csv_num(csv, ok ? m.index_value : NAN);
    csv_num(csv, ok ? m.index_lo : NAN);
    csv_num(csv, ok ? m.index_hi : NAN);
    for (int k = 0; k < ST_RP_SUMMARY_FAMILIES; k++) {
        st_rp_family_summary fs = {.metric = -1};
        if (ok)
            st_rp_summarise_family(&m, st_rp_summary_family(k), &fs);
        html_cell_num(h, fs.metric >= 0 ? fs.change : NAN, 1, fs.lo, fs.hi);
    }
    for (size_t k = 0; k < N_KEYS; k++) {
        int mi = ok ? st_rp_metric_index(&m, key_metrics[k]) : -1;
        csv_num(csv, mi >= 0 && li >= 0 ? m.sessions[li].changes[mi] : NAN);
    }
    st_sbuf_put(h, "</tr>\n");
    st_sbuf_put(csv, "\r\n");
    if (ok)
        st_rp_model_free(&m);
}

/* Sorting: numbers by data-v (empty last), text by content. */
static const char sort_js[] =
    "(function(){var t=document.getElementById('series'),dir={};"
    "t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){"
    "var num=th.dataset.k==='n',d=dir[i]=-(dir[i]||-1),b=t.tBodies[0];"
    "var rows=Array.prototype.slice.call(b.rows);rows.sort(function(x,y){"
    "var a=x.cells[i],c=y.cells[i];if(num){var p=a.dataset.v,q=c.dataset.v;"
    "if(p===''&&q==='')return 0;if(p==='')return 1;if(q==='')return -1;return d*(p-q);}"
    "return d*a.textContent.localeCompare(c.textContent);});"
    "rows.forEach(function(r){b.appendChild(r);});});});})();";

int st_batch_index_write(const char *out_root, const char *const *series_dirs,
                         const char *const *failures, size_t n, st_err *err)
{
    st_sbuf h = {0}, csv = {0};
    char path[ST_PATH_MAX];
    html_head(&h);
    st_sbuf_put(&csv, "series,patient,area,status,sessions,remodeling_index,"
                      "remodeling_index_lo,remodeling_index_hi");
    for (size_t k = 0; k < N_KEYS; k++)
        st_sbuf_printf(&csv, ",change_pct.%s", key_metrics[k]);
    st_sbuf_put(&csv, "\r\n");
    for (size_t i = 0; i < n; i++)
        add_series(&h, &csv, series_dirs[i], failures ? failures[i] : NULL);
    st_sbuf_printf(&h, "</tbody></table></div></section><footer>%zu series · skintrack %s"
                       "</footer></main><script>%s</script></body></html>\n",
                   n, ST_VERSION_STRING, sort_js);
    int code = ST_OK;
    if (h.oom || csv.oom)
        code = st_err_set(err, ST_ENOMEM, "%s/index.html: out of memory", out_root);
    else if ((size_t)snprintf(path, sizeof path, "%s/index.html", out_root) >= sizeof path)
        code = st_err_set(err, ST_EINVAL, "%s: path too long", out_root);
    if (code == ST_OK)
        code = st_atomic_write(path, h.data, h.len, err);
    if (code == ST_OK) {
        snprintf(path, sizeof path, "%s/summary.csv", out_root);
        code = st_atomic_write(path, csv.data, csv.len, err);
    }
    st_sbuf_free(&h);
    st_sbuf_free(&csv);
    return code;
}
