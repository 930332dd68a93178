/* The table pages of report.pdf (every metric × session, unit, change %,
 * QC row; sessions in chunks of ST_PDF_COLS so any series fits portrait
 * A4), then warnings, guideline flags and what the data cannot show. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/pdf_draw.h"
#include "report/pdf_pages.h"
#include "report/report_catalog.h"
#include "report/report_conditions.h"
#include "report/report_words.h"

#define ST_PDF_COLS 5
#define NAME_W 150.0
#define UNIT_W 50.0
#define TREND_W 48.0
#define ROW_H 19.0

typedef struct cols { size_t first, n; double w; } cols;

static void table_head(st_pdf_ctx *p, const cols *c)
{
    cairo_t *cr = p->cr;
    char name[96];
    st_pdf_rgb(cr, 0xF1F4F7);
    cairo_rectangle(cr, ST_PDF_MARGIN, p->y, ST_PDF_CW, 24);
    cairo_fill(cr);
    st_pdf_rgb(cr, 0x1D2733);
    st_pdf_font(cr, ST_PDF_BOLD, 7.5);
    st_pdf_text(cr, ST_PDF_MARGIN + 4, p->y + 10, 0, "Metric");
    st_pdf_text(cr, ST_PDF_MARGIN + NAME_W + 4, p->y + 10, 0, "Unit");
    for (size_t k = 0; k < c->n; k++) {
        size_t i = c->first + k;
        double xr = ST_PDF_MARGIN + NAME_W + UNIT_W + (k + 1) * c->w - 4;
        st_rp_session_name(p->m, i, name, sizeof name);
        st_pdf_font(cr, ST_PDF_BOLD, 7.5);
        st_pdf_text(cr, xr, p->y + 10, 2, name);
        st_pdf_font(cr, ST_PDF_REGULAR, 6.5);
        st_pdf_text(cr, xr, p->y + 19, 2, p->m->sessions[i].date[0] ? p->m->sessions[i].date : "date unknown");
    }
    st_pdf_font(cr, ST_PDF_BOLD, 7.5);
    st_pdf_text(cr, ST_PDF_W - ST_PDF_MARGIN - 4, p->y + 10, 2, "Trend /30 d");
    p->y += 26;
}

static void row_line(st_pdf_ctx *p)
{
    st_pdf_rgb(p->cr, 0xE3E8EE);
    cairo_set_line_width(p->cr, 0.5);
    cairo_move_to(p->cr, ST_PDF_MARGIN, p->y);
    cairo_line_to(p->cr, ST_PDF_W - ST_PDF_MARGIN, p->y);
    cairo_stroke(p->cr);
}

static void need_row(st_pdf_ctx *p, const cols *c, double h)
{
    if (p->y + h > ST_PDF_BOTTOM) {
        st_pdf_new_page(p);
        table_head(p, c);
    }
}

static void metric_row(st_pdf_ctx *p, const cols *c, size_t mi)
{
    cairo_t *cr = p->cr;
    const st_rp_model *m = p->m;
    const st_rp_metric_info *info = st_rp_metric_info_find(m->metric_names[mi]);
    char txt[48];
    need_row(p, c, ROW_H);
    st_pdf_rgb(cr, 0x1D2733);
    st_pdf_font(cr, ST_PDF_REGULAR, 7.5);
    st_pdf_text(cr, ST_PDF_MARGIN + 4, p->y + 9, 0, info ? info->label : m->metric_names[mi]);
    st_pdf_rgb(cr, 0x7A8593);
    st_pdf_font(cr, ST_PDF_REGULAR, 6);
    st_pdf_text(cr, ST_PDF_MARGIN + 4, p->y + 16.5, 0, m->metric_names[mi]);
    st_pdf_font(cr, ST_PDF_REGULAR, 7);
    st_pdf_text(cr, ST_PDF_MARGIN + NAME_W + 4, p->y + 9, 0, st_rp_unit_text(m->metric_units[mi]));
    int better = st_rp_better(m->metric_names[mi]);
    for (size_t k = 0; k < c->n; k++) {
        const st_rp_session *s = &m->sessions[c->first + k];
        double xr = ST_PDF_MARGIN + NAME_W + UNIT_W + (k + 1) * c->w - 4;
        double v = s->values[mi], ch = s->changes[mi];
        st_pdf_rgb(cr, isfinite(v) ? 0x1D2733 : 0x7A8593);
        st_pdf_font(cr, ST_PDF_REGULAR, 7.5);
        st_rp_fmt_value(txt, sizeof txt, v);
        st_pdf_text(cr, xr, p->y + 9, 2, isfinite(v) ? txt : s->failed ? "failed" : "—");
        const char *why = st_rp_withheld(s, (int)mi);
        if (why) { /* never a number: the word and its note's number */
            snprintf(txt, sizeof txt, "withheld %d", st_rp_withheld_note(m, why));
            st_pdf_rgb(cr, 0x8A5A00);
            st_pdf_font(cr, ST_PDF_REGULAR, 6.5);
            st_pdf_text(cr, xr, p->y + 16.5, 2, txt);
        } else if (isfinite(ch)) {
            unsigned col = better == 0 || fabs(ch) < 0.5 ? 0x6B7785
                           : ch * better > 0             ? 0x17663A
                                                         : 0xA8231A;
            st_rp_fmt_pct(txt, sizeof txt, ch);
            st_pdf_rgb(cr, col);
            st_pdf_font(cr, ST_PDF_REGULAR, 6.5);
            st_pdf_text(cr, xr, p->y + 16.5, 2, txt);
        }
    }
    st_rp_fmt_pct(txt, sizeof txt, m->trend_30d[mi]);
    st_pdf_rgb(cr, 0x3A4653);
    st_pdf_font(cr, ST_PDF_REGULAR, 7);
    st_pdf_text(cr, ST_PDF_W - ST_PDF_MARGIN - 4, p->y + 9, 2, txt);
    p->y += ROW_H;
    row_line(p);
}

static void qc_row(st_pdf_ctx *p, const cols *c)
{
    st_pdf_rgb(p->cr, 0x1D2733);
    st_pdf_font(p->cr, ST_PDF_BOLD, 7.5);
    st_pdf_text(p->cr, ST_PDF_MARGIN + 4, p->y + 10, 0, "Quality check");
    for (size_t k = 0; k < c->n; k++) {
        const st_rp_session *s = &p->m->sessions[c->first + k];
        int warn = (s->reg_status[0] && strcmp(s->reg_status, "ok") != 0) ||
                   (s->q_status[0] && strcmp(s->q_status, "ok") != 0) || s->n_q_messages;
        st_pdf_rgb(p->cr, s->failed ? 0xA8231A : warn ? 0x8A5A00 : 0x17663A);
        st_pdf_text(p->cr, ST_PDF_MARGIN + NAME_W + UNIT_W + (k + 1) * c->w - 4, p->y + 10, 2,
                    s->failed ? "failed" : warn ? "warning" : "ok");
    }
    p->y += 15;
    row_line(p);
}

/* Rows "Colour" and "Lamp": each photo's conditions in a word or two. */
static void condition_rows(st_pdf_ctx *p, const cols *c)
{
    char shrt[96], text[600];
    if (!st_rp_has_conditions(p->m))
        return;
    for (int r = 0; r < 2; r++) {
        st_pdf_rgb(p->cr, 0x1D2733);
        st_pdf_font(p->cr, ST_PDF_BOLD, 7.5);
        st_pdf_text(p->cr, ST_PDF_MARGIN + 4, p->y + 10, 0, r ? "Lamp" : "Colour");
        st_pdf_font(p->cr, ST_PDF_REGULAR, 7);
        for (size_t k = 0; k < c->n; k++) {
            size_t i = c->first + k;
            int warn = r ? st_rp_light_text(p->m, i, text, sizeof text)
                         : st_rp_colour_text(&p->m->sessions[i], text, sizeof text);
            if (r)
                st_rp_light_short(p->m, i, shrt, sizeof shrt);
            else
                st_rp_colour_short(&p->m->sessions[i], shrt, sizeof shrt);
            st_pdf_rgb(p->cr, warn ? 0x8A5A00 : 0x5B6775);
            st_pdf_text(p->cr, ST_PDF_MARGIN + NAME_W + UNIT_W + (k + 1) * c->w - 4, p->y + 10, 2,
                        text[0] ? shrt : "—");
        }
        p->y += 15;
        row_line(p);
    }
}

static void footnote(void *ctx, int k, const char *note)
{
    st_pdf_ctx *p = ctx;
    char line[900];
    snprintf(line, sizeof line, "%d  %s", k, note);
    st_pdf_need(p, 12);
    st_pdf_rgb(p->cr, 0x5B6775);
    st_pdf_font(p->cr, ST_PDF_REGULAR, 7.5);
    p->y += st_pdf_para(p->cr, ST_PDF_MARGIN + 4, p->y, ST_PDF_CW - 8, 10, line) + 1;
}

/* Per photo, the colour calibration and the lamp in full sentences. */
static void conditions_list(st_pdf_ctx *p)
{
    char name[96], text[600], line[800];
    if (!st_rp_has_conditions(p->m))
        return;
    st_pdf_heading(p, "Colour and light per photo");
    for (size_t i = 0; i < p->m->n_sessions; i++) {
        const st_rp_session *s = &p->m->sessions[i];
        st_rp_session_name(p->m, i, name, sizeof name);
        for (int c = 0; c < 2; c++) {
            int warn = c ? st_rp_light_text(p->m, i, text, sizeof text)
                         : st_rp_colour_text(s, text, sizeof text);
            if (!text[0])
                continue;
            snprintf(line, sizeof line, "%s: %s", name, text);
            st_pdf_need(p, 24);
            st_pdf_rgb(p->cr, warn ? 0x8A5A00 : 0x1D2733);
            st_pdf_font(p->cr, warn ? ST_PDF_BOLD : ST_PDF_REGULAR, 8.5);
            p->y += st_pdf_para(p->cr, ST_PDF_MARGIN + 4, p->y, ST_PDF_CW - 10, 11.5, line) + 2;
        }
    }
    p->y += 12;
}

static void family_rows(st_pdf_ctx *p, const cols *c, int f)
{
    const st_rp_model *m = p->m;
    size_t ncat;
    const st_rp_metric_info *cat = st_rp_catalog(&ncat);
    int any = 0;
    for (size_t mi = 0; mi < m->n_metrics; mi++)
        any |= (int)st_rp_family_of(m->metric_names[mi]) == f;
    if (!any && f == ST_FAM_OTHER)
        return;
    need_row(p, c, 16 + ROW_H);
    st_pdf_rgb(p->cr, 0xE9EEF3);
    cairo_rectangle(p->cr, ST_PDF_MARGIN, p->y, ST_PDF_CW, 14);
    cairo_fill(p->cr);
    st_pdf_rgb(p->cr, 0x1D2733);
    st_pdf_font(p->cr, ST_PDF_BOLD, 8);
    st_pdf_text(p->cr, ST_PDF_MARGIN + 4, p->y + 10, 0, st_rp_family_title((st_rp_family)f));
    p->y += 15;
    for (size_t mi = 0; mi < m->n_metrics; mi++)
        if ((int)st_rp_family_of(m->metric_names[mi]) == f)
            metric_row(p, c, mi);
    for (size_t k = 0; k < ncat; k++) {
        if ((int)cat[k].family != f || st_rp_metric_index(m, cat[k].name) >= 0)
            continue;
        const char *why = st_rp_missing_reason(&cat[k], m->modality, m->calibrated);
        char line[256];
        snprintf(line, sizeof line, "not available: %s", why[0] ? why : "not reported by the analysis");
        need_row(p, c, 13);
        st_pdf_rgb(p->cr, 0x7A8593);
        st_pdf_font(p->cr, ST_PDF_REGULAR, 7);
        st_pdf_text(p->cr, ST_PDF_MARGIN + 4, p->y + 9, 0, cat[k].label);
        st_pdf_text(p->cr, ST_PDF_MARGIN + NAME_W + 4, p->y + 9, 0, line);
        p->y += 13;
    }
}

void st_pdf_table_pages(st_pdf_ctx *p)
{
    const st_rp_model *m = p->m;
    for (size_t first = 0; first < m->n_sessions; first += ST_PDF_COLS) {
        cols c = {first, m->n_sessions - first < ST_PDF_COLS ? m->n_sessions - first : ST_PDF_COLS, 0};
        c.w = (ST_PDF_CW - NAME_W - UNIT_W - TREND_W) / ST_PDF_COLS;
        if (first)
            st_pdf_new_page(p);
        else
            conditions_list(p);
        st_pdf_heading(p, first ? "All measurements (continued: later sessions)" : "All measurements");
        table_head(p, &c);
        qc_row(p, &c);
        condition_rows(p, &c);
        for (int f = 0; f < ST_FAM_COUNT; f++)
            family_rows(p, &c, f);
    }
    p->y += 6;
    st_rp_withheld_notes(m, footnote, p);
}

static void emit_para(void *ctx, const char *note)
{
    st_pdf_ctx *p = ctx;
    char line[1100];
    snprintf(line, sizeof line, "•  %s", note);
    st_pdf_font(p->cr, ST_PDF_REGULAR, 8.5);
    cairo_text_extents_t e;
    cairo_text_extents(p->cr, line, &e);
    st_pdf_need(p, 12 * ceil(e.x_advance / (ST_PDF_CW - 10)) + 4);
    st_pdf_rgb(p->cr, 0x1D2733);
    p->y += st_pdf_para(p->cr, ST_PDF_MARGIN + 4, p->y, ST_PDF_CW - 10, 11.5, line) + 3;
}

void st_pdf_warnings(st_pdf_ctx *p)
{
    p->y += 14;
    st_pdf_heading(p, "Warnings and guideline checks");
    size_t n = st_rp_session_warnings(p->m, emit_para, p);
    for (size_t i = 0; i < p->m->n_flags; i++, n++)
        emit_para(p, p->m->flags[i]);
    if (!n)
        emit_para(p, "None: every session was measured, aligned and of good quality, and the "
                     "treatment dates follow the guidelines.");
    p->y += 10;
    st_pdf_heading(p, "What these measurements can and cannot show");
    st_rp_series_notes(p->m, emit_para, p);
    emit_para(p, "Changes are measured inside the same patch of skin in every session, after "
                 "aligning each photo onto the baseline. A change is called significant only when "
                 "its 95 % interval excludes zero. These measurements support, and do not "
                 "replace, clinical judgement.");
}
