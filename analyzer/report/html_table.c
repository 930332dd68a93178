/* The full table of report.html. Cells carry the exact JSON value in
 * data-v / data-c (%.17g) so tests can check the page against metrics.json. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/html_parts.h"
#include "report/report_catalog.h"
#include "report/report_conditions.h"
#include "report/report_words.h"

static void qc_row(st_sbuf *b, const st_rp_model *m)
{
    st_sbuf_put(b, "<tr><td>Quality check</td><td class=\"u\"></td>");
    for (size_t i = 0; i < m->n_sessions; i++) {
        const st_rp_session *s = &m->sessions[i];
        int warn = (s->reg_status[0] && strcmp(s->reg_status, "ok") != 0) ||
                   (s->q_status[0] && strcmp(s->q_status, "ok") != 0) || s->n_q_messages;
        const char *cls = s->failed ? "qc-failed" : warn ? "qc-warn" : "qc-ok";
        st_sbuf_printf(b, "<td class=\"%s\">%s</td>", cls,
                       s->failed ? "failed" : warn ? "warning" : "ok");
    }
    st_sbuf_put(b, "<td></td></tr>");
}

/* Rows "Colour" and "Lamp": each photo's conditions in a word or two, the
 * full sentence as the cell's title. */
static void condition_rows(st_sbuf *b, const st_rp_model *m)
{
    char shrt[96], text[600];
    if (!st_rp_has_conditions(m))
        return;
    for (int c = 0; c < 2; c++) {
        st_sbuf_printf(b, "<tr><td>%s</td><td class=\"u\"></td>", c ? "Lamp" : "Colour");
        for (size_t i = 0; i < m->n_sessions; i++) {
            int warn = c ? st_rp_light_text(m, i, text, sizeof text)
                         : st_rp_colour_text(&m->sessions[i], text, sizeof text);
            if (c)
                st_rp_light_short(m, i, shrt, sizeof shrt);
            else
                st_rp_colour_short(&m->sessions[i], shrt, sizeof shrt);
            if (!text[0]) {
                st_sbuf_put(b, "<td class=\"neutral\">—</td>");
                continue;
            }
            st_sbuf_printf(b, "<td class=\"%s\" title=\"", warn ? "qc-warn" : "neutral");
            st_sbuf_html(b, text);
            st_sbuf_put(b, "\">");
            st_sbuf_html(b, shrt);
            st_sbuf_put(b, "</td>");
        }
        st_sbuf_put(b, "<td></td></tr>");
    }
}

/* A withheld change: the word and its footnote, never a number. */
static void withheld_mark(st_sbuf *b, const st_rp_model *m, const char *why)
{
    st_sbuf_put(b, "<small class=\"withheld\" data-w=\"1\" title=\"Not compared: ");
    st_sbuf_html(b, why[0] ? why : "no reason given");
    st_sbuf_printf(b, "\">withheld<sup>%d</sup></small>", st_rp_withheld_note(m, why));
}

static void value_cell(st_sbuf *b, const st_rp_model *m, size_t si, size_t mi)
{
    const st_rp_session *s = &m->sessions[si];
    double v = s->values[mi], c = s->changes[mi];
    const char *why = st_rp_withheld(s, (int)mi);
    char txt[48], pct[32];
    if (!isfinite(v)) {
        if (why) {
            st_sbuf_put(b, "<td class=\"neutral\">—");
            withheld_mark(b, m, why);
            st_sbuf_put(b, "</td>");
            return;
        }
        st_sbuf_put(b, s->failed ? "<td class=\"neutral\">failed</td>" : "<td class=\"neutral\">—</td>");
        return;
    }
    st_rp_fmt_value(txt, sizeof txt, v);
    st_sbuf_put(b, "<td data-m=\"");
    st_sbuf_html(b, m->metric_names[mi]);
    st_sbuf_printf(b, "\" data-s=\"%d\" data-v=\"%.17g\"", s->index, v);
    if (isfinite(c))
        st_sbuf_printf(b, " data-c=\"%.17g\"", c);
    st_sbuf_printf(b, ">%s", txt);
    if (isfinite(s->spread[mi])) {
        char sd[48];
        st_rp_fmt_value(sd, sizeof sd, s->spread[mi]);
        st_sbuf_printf(b, "<small class=\"neutral\" title=\"SD over the repeat photos of this "
                          "session\">±\xc2\xa0%s</small>", sd);
    }
    if (isfinite(c)) {
        int better = st_rp_better(m->metric_names[mi]);
        const char *cls = better == 0 || fabs(c) < 0.5 ? "neutral"
                          : c * better > 0             ? (c < 0 ? "down-good" : "up-good")
                                                       : (c < 0 ? "down-bad" : "up-bad");
        st_rp_fmt_pct(pct, sizeof pct, c);
        st_sbuf_printf(b, "<small class=\"%s\">%s</small>", cls, pct);
    } else if (why) {
        withheld_mark(b, m, why);
    }
    st_sbuf_put(b, "</td>");
}

static void metric_row(st_sbuf *b, const st_rp_model *m, size_t mi)
{
    const st_rp_metric_info *info = st_rp_metric_info_find(m->metric_names[mi]);
    char tr[32];
    st_sbuf_put(b, "<tr><td>");
    st_sbuf_html(b, info ? info->label : m->metric_names[mi]);
    st_sbuf_put(b, "<small class=\"neutral\">");
    st_sbuf_html(b, m->metric_names[mi]);
    st_sbuf_put(b, "</small></td><td class=\"u\">");
    st_sbuf_html(b, st_rp_unit_text(m->metric_units[mi]));
    st_sbuf_put(b, "</td>");
    for (size_t i = 0; i < m->n_sessions; i++)
        value_cell(b, m, i, mi);
    st_rp_fmt_pct(tr, sizeof tr, m->trend_30d[mi]);
    if (isfinite(m->trend_30d[mi]))
        st_sbuf_printf(b, "<td data-t=\"%.17g\">%s</td></tr>", m->trend_30d[mi], tr);
    else
        st_sbuf_put(b, "<td class=\"neutral\">—</td></tr>");
}

static void missing_rows(st_sbuf *b, const st_rp_model *m, int family, size_t ncols)
{
    size_t ncat;
    const st_rp_metric_info *cat = st_rp_catalog(&ncat);
    for (size_t k = 0; k < ncat; k++) {
        if ((int)cat[k].family != family || st_rp_metric_index(m, cat[k].name) >= 0)
            continue;
        const char *why = st_rp_missing_reason(&cat[k], m->modality, m->calibrated);
        st_sbuf_put(b, "<tr class=\"missing\"><td>");
        st_sbuf_html(b, cat[k].label);
        st_sbuf_printf(b, "<small class=\"neutral\">%s</small></td><td class=\"u\"></td>"
                          "<td colspan=\"%zu\" class=\"neutral\" style=\"text-align:left\">"
                          "not available: %s</td></tr>",
                       cat[k].name, ncols, why[0] ? why : "not reported by the analysis");
    }
}

static void footnote(void *ctx, int k, const char *note)
{
    st_sbuf_printf(ctx, "<li value=\"%d\">", k);
    st_sbuf_html(ctx, note);
    st_sbuf_put(ctx, "</li>");
}

void st_html_table(st_sbuf *b, const st_rp_model *m)
{
    char name[96];
    st_sbuf_put(b, "<section id=\"table\"><h2>All measurements</h2><p class=\"sub\">Value per "
                   "session; below it the change since baseline (green: better, red: worse, "
                   "grey: no better direction or under 0.5 %). \"withheld\": the change is not "
                   "compared, for the reason in the numbered note below the table. ± : spread "
                   "(SD) over repeat photos of one session, where there were several. Last "
                   "column: trend per 30 days.</p><div class=\"tablewrap\"><table><thead><tr><th>Metric</th>"
                   "<th class=\"u\">Unit</th>");
    for (size_t i = 0; i < m->n_sessions; i++) {
        st_rp_session_name(m, i, name, sizeof name);
        st_sbuf_put(b, "<th>");
        st_sbuf_html(b, name);
        st_sbuf_put(b, "<br><small>");
        st_sbuf_html(b, m->sessions[i].date[0] ? m->sessions[i].date : "date unknown");
        st_sbuf_put(b, "</small></th>");
    }
    st_sbuf_put(b, "<th>Trend /30 d</th></tr></thead><tbody>");
    qc_row(b, m);
    condition_rows(b, m);
    for (int f = 0; f < ST_FAM_COUNT; f++) {
        int any = 0;
        for (size_t mi = 0; mi < m->n_metrics; mi++)
            any |= (int)st_rp_family_of(m->metric_names[mi]) == f;
        if (!any && f == ST_FAM_OTHER)
            continue;
        st_sbuf_printf(b, "<tr class=\"fam\"><th colspan=\"%zu\">%s</th></tr>", m->n_sessions + 3,
                       st_rp_family_title((st_rp_family)f));
        for (size_t mi = 0; mi < m->n_metrics; mi++)
            if ((int)st_rp_family_of(m->metric_names[mi]) == f)
                metric_row(b, m, mi);
        missing_rows(b, m, f, m->n_sessions + 1);
    }
    st_sbuf_put(b, "</tbody></table></div>");
    st_sbuf tmp = {0};
    if (st_rp_withheld_notes(m, footnote, &tmp)) {
        st_sbuf_put(b, "<ol class=\"footnotes\" id=\"withheld-notes\">");
        st_sbuf_putn(b, tmp.data, tmp.len);
        st_sbuf_put(b, "</ol>");
    }
    b->oom |= tmp.oom;
    st_sbuf_free(&tmp);
    st_sbuf_put(b, "</section>");
}
