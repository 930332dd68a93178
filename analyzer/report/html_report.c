/* report.html: one self-contained page (style, script, images and charts
 * inline). Every string from metrics.json goes through st_sbuf_html. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "report/html_parts.h"
#include "report/html_style.h"
#include "report/report.h"
#include "report/report_catalog.h"
#include "report/report_conditions.h"
#include "report/report_words.h"
#include "report/svg_chart.h"

static const char *verdict_class(st_rp_verdict v)
{
    switch (v) {
    case ST_V_IMPROVED: return "improved";
    case ST_V_WORSENED: return "worse";
    case ST_V_NOT_SIGNIFICANT: return "ns";
    case ST_V_UNCHANGED: return "unchanged";
    case ST_V_NEUTRAL: return "changed";
    case ST_V_UNTESTED: return "ns";
    case ST_V_WITHHELD: return "withheld";
    default: return "na";
    }
}

static void fact(st_sbuf *b, const char *term, const char *value)
{
    st_sbuf_put(b, "<div><dt>");
    st_sbuf_html(b, term);
    st_sbuf_put(b, "</dt><dd>");
    st_sbuf_html(b, value && value[0] ? value : "not given");
    st_sbuf_put(b, "</dd></div>");
}

static void html_timeline(st_sbuf *b, const st_rp_model *m)
{
    char name[96], tx[256];
    st_sbuf_put(b, "<ol class=\"timeline\">");
    for (size_t i = 0; i < m->n_sessions; i++) {
        const st_rp_session *s = &m->sessions[i];
        st_rp_session_name(m, i, name, sizeof name);
        st_sbuf_printf(b, "<li%s><b>", s->failed ? " class=\"failed\"" : "");
        st_sbuf_html(b, name);
        st_sbuf_put(b, "</b>");
        st_sbuf_html(b, s->date[0] ? s->date : "date unknown");
        if (isfinite(s->days))
            st_sbuf_printf(b, " <span class=\"tl-day\">· day %.0f</span>", s->days);
        st_rp_treatment_text(s, tx, sizeof tx);
        st_sbuf_put(b, "<span class=\"tl-tx\">");
        st_sbuf_html(b, tx[0] ? tx : "no treatment recorded");
        st_sbuf_put(b, "</span>");
        if (s->failed)
            st_sbuf_put(b, "<span class=\"badge b-worse\">not measured</span>");
        st_sbuf_put(b, "</li>");
    }
    st_sbuf_put(b, "</ol>");
}

/* Per session: how the colour was calibrated and where the lamp was, the
 * conditions that decide which changes can be compared. */
static void html_conditions(st_sbuf *b, const st_rp_model *m)
{
    char name[96], text[600];
    if (!st_rp_has_conditions(m))
        return;
    st_sbuf_put(b, "<h3 class=\"sublist\">Colour and light per photo</h3><ul class=\"conditions\">");
    for (size_t i = 0; i < m->n_sessions; i++) {
        const st_rp_session *s = &m->sessions[i];
        if (!s->colour.status[0] && !s->light.present)
            continue;
        st_rp_session_name(m, i, name, sizeof name);
        st_sbuf_put(b, "<li><b>");
        st_sbuf_html(b, name);
        st_sbuf_put(b, "</b>");
        for (int c = 0; c < 2; c++) {
            int warn = c ? st_rp_light_text(m, i, text, sizeof text)
                         : st_rp_colour_text(s, text, sizeof text);
            if (!text[0])
                continue;
            st_sbuf_printf(b, "<span class=\"%s\" data-cond=\"%s\">", warn ? "cond-warn" : "cond-ok",
                           c ? "light" : "colour");
            st_sbuf_html(b, text);
            st_sbuf_put(b, "</span>");
        }
        st_sbuf_put(b, "</li>");
    }
    st_sbuf_put(b, "</ul>");
}

static void html_header(st_sbuf *b, const st_rp_model *m)
{
    char cal[160], sessions[160];
    st_rp_calibration_text(m, cal, sizeof cal);
    const st_rp_session *first = &m->sessions[m->baseline], *last = &m->sessions[m->n_sessions - 1];
    if (first->date[0] && last->date[0])
        snprintf(sessions, sizeof sessions, "%zu (%s to %s)", m->n_sessions, first->date,
                 last->date);
    else
        snprintf(sessions, sizeof sessions, "%zu (dates unknown)", m->n_sessions);
    st_sbuf_put(b, "<section id=\"header\"><h1>Skin progress report</h1><p class=\"sub\">");
    st_sbuf_html(b, m->name[0] ? m->name : "treatment series");
    st_sbuf_put(b, strcmp(m->modality, "photo") == 0
                       ? " · measured changes after microneedling, compared with the baseline "
                         "photograph</p><dl class=\"facts\">"
                       : " · measured changes after microneedling, compared with the baseline "
                         "measurement</p><dl class=\"facts\">");
    fact(b, "Patient", m->patient);
    fact(b, "Treated area", m->area);
    fact(b, "Imaging", strcmp(m->modality, "height") == 0   ? "height map (3-D imaging)"
                       : strcmp(m->modality, "stereo") == 0 ? "photometric stereo"
                                                            : "photograph");
    fact(b, "Calibration", cal);
    fact(b, "Sessions", sessions);
    char when[64];
    st_rp_analysis_date(m, when, sizeof when);
    fact(b, "Date of analysis", when);
    st_sbuf_put(b, "</dl>");
    html_timeline(b, m);
    html_conditions(b, m);
    st_sbuf_put(b, "</section>");
}

static void html_index(st_sbuf *b, const st_rp_model *m)
{
    char text[640], val[32];
    st_rp_verdict v;
    st_rp_index_sentence(m, text, sizeof text, &v);
    snprintf(val, sizeof val, "%.1f", m->index_value);
    st_sbuf_printf(b, "<div class=\"index v-%s\"><div class=\"big\" id=\"remodeling-index\" "
                      "data-v=\"%.17g\">%s<small> %%</small></div><p><strong>Remodeling "
                      "index</strong><span class=\"badge b-%s\">%s</span><br>",
                   verdict_class(v), m->index_value, isfinite(m->index_value) ? val : "—",
                   verdict_class(v), st_rp_verdict_text(v));
    st_sbuf_html(b, text);
    st_sbuf_put(b, "</p></div>");
}

static void html_summary(st_sbuf *b, const st_rp_model *m)
{
    char pct[32], name[96];
    int li = st_rp_latest(m);
    st_sbuf_put(b, "<section id=\"summary\"><h2>Summary</h2><p class=\"sub\">");
    if (li >= 0) {
        st_rp_session_name(m, (size_t)li, name, sizeof name);
        st_sbuf_put(b, "Latest measured session (");
        st_sbuf_html(b, name);
        st_sbuf_put(b, ", ");
        st_sbuf_html(b, m->sessions[li].date[0] ? m->sessions[li].date : "date unknown");
        st_sbuf_put(b, ") compared with the baseline.");
    } else {
        st_sbuf_put(b, "No follow-up session could be measured.");
    }
    st_sbuf_put(b, "</p>");
    html_index(b, m);
    st_sbuf_put(b, "<div class=\"cards\">");
    for (int k = 0; k < ST_RP_SUMMARY_FAMILIES; k++) {
        st_rp_family_summary fs;
        st_rp_summarise_family(m, st_rp_summary_family(k), &fs);
        const char *cls = verdict_class(fs.verdict);
        st_rp_fmt_pct(pct, sizeof pct, fs.change);
        st_sbuf_printf(b, "<div class=\"card v-%s\" data-family=\"%d\"><h3>%s<span class=\"badge "
                          "b-%s\">%s</span></h3><div class=\"pct\"",
                       cls, fs.family, st_rp_family_title((st_rp_family)fs.family), cls,
                       st_rp_verdict_text(fs.verdict));
        if (fs.metric >= 0) {
            st_sbuf_put(b, " data-metric=\"");
            st_sbuf_html(b, m->metric_names[fs.metric]);
            st_sbuf_printf(b, "\" data-v=\"%.17g\">%s", fs.change, pct);
        }
        else
            st_sbuf_printf(b, ">%s", fs.no_change);
        st_sbuf_put(b, "</div><p>");
        st_sbuf_html(b, fs.sentence);
        st_sbuf_put(b, "</p></div>");
    }
    st_sbuf_put(b, "</div></section>");
}

static void emit_li(void *ctx, const char *note)
{
    st_sbuf_put(ctx, "<li>");
    st_sbuf_html(ctx, note);
    st_sbuf_put(ctx, "</li>");
}

/* Flags start lower-case in metrics.json; a list item reads better capitalised. */
static void emit_flag(st_sbuf *b, const char *flag)
{
    st_sbuf_put(b, "<li>");
    if (flag[0] >= 'a' && flag[0] <= 'z') {
        char c[2] = {(char)(flag[0] - 32), 0};
        st_sbuf_put(b, c);
        flag++;
    }
    st_sbuf_html(b, flag);
    st_sbuf_put(b, "</li>");
}

static void html_warnings(st_sbuf *b, const st_rp_model *m)
{
    st_sbuf tmp = {0};
    size_t n = st_rp_session_warnings(m, emit_li, &tmp);
    if (n || m->n_flags) {
        st_sbuf_put(b, "<section id=\"warnings\" class=\"warn\"><h2>Warnings and guideline "
                       "checks</h2>");
        if (n) {
            st_sbuf_put(b, "<h3 class=\"sublist\">Sessions</h3><ul class=\"notes\">");
            st_sbuf_putn(b, tmp.data, tmp.len);
            st_sbuf_put(b, "</ul>");
        }
        if (m->n_flags) {
            st_sbuf_put(b, "<h3 class=\"sublist\">Checks reported by the analysis (treatment "
                           "guidelines, photo quality, alignment)</h3><ul class=\"notes\">");
            for (size_t i = 0; i < m->n_flags; i++)
                emit_flag(b, m->flags[i]);
            st_sbuf_put(b, "</ul>");
        }
        st_sbuf_put(b, "</section>");
    }
    b->oom |= tmp.oom;
    st_sbuf_free(&tmp);
    st_sbuf_put(b, "<section id=\"limits\"><h2>What these measurements can and cannot show"
                   "</h2><ul class=\"notes\">");
    st_rp_series_notes(m, emit_li, b);
    emit_li(b, "Changes are measured inside the same patch of skin in every session, after "
               "aligning each photo onto the baseline. A change is called significant only when "
               "its 95 % interval excludes zero.");
    st_sbuf_put(b, "</ul></section>");
}

static void html_trends(st_sbuf *b, const st_rp_model *m)
{
    st_sbuf_put(b, "<section id=\"trends\"><h2>Trends</h2><p class=\"sub\">Change since "
                   "baseline per session (dots), with the least-squares trend (dotted). "
                   "Lower is better for every metric drawn here; failed sessions are marked and left "
                   "out of the trend, and so are changes not compared (withheld: colour not "
                   "calibrated, lamp moved).</p>"
                   "<div class=\"charts\">");
    for (int k = 0; k < ST_RP_SUMMARY_FAMILIES; k++) {
        st_chart c;
        if (st_chart_trend(m, st_rp_summary_family(k), &c) == 0)
            st_svg_chart(b, &c, ST_CHART_W, ST_CHART_H);
        else
            b->oom = 1;
        st_chart_free(&c);
    }
    st_chart c;
    if (st_chart_psd(m, &c) == 0)
        st_svg_chart(b, &c, ST_CHART_W, ST_CHART_H);
    else
        b->oom = 1;
    st_chart_free(&c);
    st_sbuf_put(b, "</div></section>");
}

int st_html_report_render(const st_rp_model *m, st_sbuf *b, st_err *err)
{
    st_sbuf_put(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                   "<title>Skin progress report — ");
    st_sbuf_html(b, m->patient[0] ? m->patient : m->name);
    if (m->area[0]) {
        st_sbuf_put(b, ", ");
        st_sbuf_html(b, m->area);
    }
    st_sbuf_printf(b, "</title><style>%s</style></head><body><main>\n", st_html_css);
    html_header(b, m);
    html_summary(b, m);
    html_warnings(b, m);
    st_html_beforeafter(b, m);
    html_trends(b, m);
    st_html_table(b, m);
    char when[64];
    st_rp_analysis_date(m, when, sizeof when);
    st_sbuf_put(b, "<footer>Date of analysis ");
    st_sbuf_html(b, when);
    st_sbuf_put(b, " · ");
    st_sbuf_html(b, m->tool_name[0] ? m->tool_name : "skintrack");
    st_sbuf_put(b, " ");
    st_sbuf_html(b, m->tool_version);
    st_sbuf_put(b, " · These measurements support, and do not replace, clinical judgement."
                   "</footer></main>\n<script>");
    st_sbuf_put(b, st_html_js);
    st_sbuf_put(b, "</script></body></html>\n");
    if (b->oom)
        return st_err_set(err, ST_ENOMEM, "report.html: out of memory while rendering");
    return ST_OK;
}
