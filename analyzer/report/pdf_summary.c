/* Page 1 of report.pdf: who and what, the remodeling index, one card per
 * family, the before/after pair and two key charts. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/pdf_draw.h"
#include "report/pdf_pages.h"
#include "report/report_catalog.h"
#include "report/report_words.h"

/* Text colour and tint per verdict, as in the HTML style sheet. */
static void verdict_colours(st_rp_verdict v, unsigned *ink, unsigned *tint)
{
    *ink = v == ST_V_IMPROVED ? 0x17663A : v == ST_V_WORSENED ? 0xA8231A
           : v == ST_V_WITHHELD ? 0x8A5A00 : 0x4D5966;
    *tint = v == ST_V_IMPROVED ? 0xE3F4EA : v == ST_V_WORSENED ? 0xFBE9E7
            : v == ST_V_WITHHELD ? 0xFFF4D6 : 0xF1F3F5;
}

static void header(st_pdf_ctx *p)
{
    cairo_t *cr = p->cr;
    const st_rp_model *m = p->m;
    char line[512], cal[160], when[64];
    st_rp_analysis_date(m, when, sizeof when);
    st_pdf_rgb(cr, 0x1D2733);
    st_pdf_font(cr, ST_PDF_BOLD, 20);
    st_pdf_text(cr, ST_PDF_MARGIN, p->y + 18, 0, "Skin progress report");
    st_pdf_font(cr, ST_PDF_BOLD, 11);
    st_pdf_text(cr, ST_PDF_W - ST_PDF_MARGIN, p->y + 8, 2, m->patient[0] ? m->patient : m->name);
    st_pdf_font(cr, ST_PDF_REGULAR, 10);
    st_pdf_rgb(cr, 0x5B6775);
    st_pdf_text(cr, ST_PDF_W - ST_PDF_MARGIN, p->y + 21, 2, m->area[0] ? m->area : "area not given");
    p->y += 32;
    st_rp_calibration_text(m, cal, sizeof cal);
    snprintf(line, sizeof line, "%s · %s · %zu sessions · analysed %s",
             strcmp(m->modality, "height") == 0   ? "height map (3-D imaging)"
             : strcmp(m->modality, "stereo") == 0 ? "photometric stereo"
                                                  : "photographs",
             cal, m->n_sessions, when);
    st_pdf_font(cr, ST_PDF_REGULAR, 9);
    p->y += st_pdf_para(cr, ST_PDF_MARGIN, p->y, ST_PDF_CW, 12, line) + 6;
}

static void timeline(st_pdf_ctx *p)
{
    cairo_t *cr = p->cr;
    const st_rp_model *m = p->m;
    size_t n = m->n_sessions;
    double x0 = ST_PDF_MARGIN + 36, x1 = ST_PDF_W - ST_PDF_MARGIN - 36, y = p->y + 24;
    double dmax = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(m->sessions[i].days))
            dmax = fmax(dmax, m->sessions[i].days);
    st_pdf_rgb(cr, 0xB9C3CE);
    cairo_set_line_width(cr, 1.5);
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    cairo_stroke(cr);
    double last_below = -1e9, last_above = -1e9;
    for (size_t i = 0; i < n; i++) {
        const st_rp_session *s = &m->sessions[i];
        double t = m->dates_known && dmax > 0 ? s->days / dmax : n > 1 ? (double)i / (n - 1) : 0;
        double x = x0 + t * (x1 - x0);
        char name[96], tx[256];
        st_pdf_rgb(cr, s->failed ? 0xA8231A : 0x0B5CAD);
        cairo_arc(cr, x, y, 4.5, 0, 6.2831853);
        cairo_fill(cr);
        st_rp_session_name(m, i, name, sizeof name);
        if (x - last_below < 70) {
            /* Too close to the previous label: name and date above the line
             * instead; if that is taken too, the table still lists it. */
            if (x - last_above < 70)
                continue;
            last_above = x;
            st_pdf_font(cr, ST_PDF_BOLD, 8);
            st_pdf_text(cr, x, y - 16, 1, name);
            st_pdf_font(cr, ST_PDF_REGULAR, 7.5);
            st_pdf_rgb(cr, 0x5B6775);
            st_pdf_text(cr, x, y - 7, 1, s->failed ? "not measured" : s->date[0] ? s->date : "date unknown");
            continue;
        }
        last_below = x;
        st_pdf_font(cr, ST_PDF_BOLD, 8);
        st_pdf_text(cr, x, y + 15, 1, name);
        st_pdf_font(cr, ST_PDF_REGULAR, 7.5);
        st_pdf_rgb(cr, 0x5B6775);
        st_pdf_text(cr, x, y + 25, 1, s->failed ? "not measured" : s->date[0] ? s->date : "date unknown");
        st_rp_treatment_text(s, tx, sizeof tx);
        char *comma = strstr(tx, ", ");
        if (comma)
            *comma = '\0';
        st_pdf_text(cr, x, y + 34, 1, tx);
        if (comma) {
            if (strlen(comma + 2) > 30)
                strcpy(comma + 2 + 27, "…");
            st_pdf_text(cr, x, y + 43, 1, comma + 2);
        }
    }
    p->y += 72;
}

static void index_box(st_pdf_ctx *p)
{
    cairo_t *cr = p->cr;
    char text[640], val[32];
    unsigned ink, tint;
    st_rp_verdict v;
    st_rp_index_sentence(p->m, text, sizeof text, &v);
    verdict_colours(v, &ink, &tint);
    st_pdf_rgb(cr, tint);
    st_pdf_round_rect(cr, ST_PDF_MARGIN, p->y, ST_PDF_CW, 62, 6);
    cairo_fill(cr);
    st_pdf_rgb(cr, ink);
    st_pdf_font(cr, ST_PDF_BOLD, 28);
    snprintf(val, sizeof val, "%.1f", p->m->index_value);
    double w = st_pdf_text(cr, ST_PDF_MARGIN + 14, p->y + 40,
                           0, isfinite(p->m->index_value) ? val : "—");
    st_pdf_font(cr, ST_PDF_BOLD, 13);
    st_pdf_text(cr, ST_PDF_MARGIN + 18 + w, p->y + 40, 0, "%");
    double tx = ST_PDF_MARGIN + 40 + fmax(w, 60);
    st_pdf_font(cr, ST_PDF_BOLD, 10);
    st_pdf_rgb(cr, 0x1D2733);
    st_pdf_text(cr, tx, p->y + 16, 0, "Remodeling index");
    st_pdf_font(cr, ST_PDF_REGULAR, 8.5);
    st_pdf_para(cr, tx, p->y + 20, ST_PDF_W - ST_PDF_MARGIN - 12 - tx, 10.5, text);
    p->y += 72;
}

static void family_cards(st_pdf_ctx *p)
{
    cairo_t *cr = p->cr;
    double gap = 8, cw = (ST_PDF_CW - 2 * gap) / 3, ch = 74;
    for (int k = 0; k < ST_RP_SUMMARY_FAMILIES; k++) {
        st_rp_family_summary fs;
        unsigned ink, tint;
        char pct[32];
        st_rp_summarise_family(p->m, st_rp_summary_family(k), &fs);
        verdict_colours(fs.verdict, &ink, &tint);
        double x = ST_PDF_MARGIN + (k % 3) * (cw + gap), y = p->y + (k / 3) * (ch + gap);
        st_pdf_rgb(cr, tint);
        st_pdf_round_rect(cr, x, y, cw, ch, 5);
        cairo_fill(cr);
        st_pdf_rgb(cr, 0x1D2733);
        st_pdf_font(cr, ST_PDF_BOLD, 9.5);
        st_pdf_text(cr, x + 9, y + 14, 0, st_rp_family_title((st_rp_family)fs.family));
        st_pdf_rgb(cr, ink);
        st_pdf_font(cr, ST_PDF_BOLD, 8);
        st_pdf_text(cr, x + cw - 9, y + 14, 2, st_rp_verdict_text(fs.verdict));
        st_rp_fmt_pct(pct, sizeof pct, fs.change);
        st_pdf_font(cr, ST_PDF_BOLD, fs.metric >= 0 ? 15 : 10);
        st_pdf_text(cr, x + 9, y + 32, 0, fs.metric >= 0 ? pct : fs.no_change);
        st_pdf_rgb(cr, 0x3A4653);
        st_pdf_font(cr, ST_PDF_REGULAR, 6.8);
        st_pdf_para(cr, x + 9, y + 37, cw - 18, 8.2, fs.sentence);
    }
    p->y += 2 * ch + gap + 12;
}

static void before_after(st_pdf_ctx *p, double h)
{
    const st_rp_model *m = p->m;
    int li = st_rp_latest(m);
    double w = (ST_PDF_CW - 10) / 2;
    int which[2] = {m->baseline, li};
    double used = 0, caps[2] = {0, 0};
    char captext[2][160];
    for (int k = 0; k < 2; k++) {
        double x = ST_PDF_MARGIN + k * (w + 10), r[4] = {0, 0, w, h};
        char cap[160], name[96];
        cairo_surface_t *img = st_pdf_aligned(p, which[k]);
        if (img) {
            st_pdf_image_fit(p->cr, img, x, p->y, w, h, r);
            used = fmax(used, r[3]);
        } else {
            st_pdf_not_available(p->cr, x, p->y, w, h,
                                 which[k] < 0 ? "Follow-up photo not available: no follow-up "
                                                "session could be measured"
                                              : "Photo not available: the aligned image was "
                                                "not exported");
        }
        if (which[k] >= 0) {
            st_rp_session_name(m, (size_t)which[k], name, sizeof name);
            snprintf(cap, sizeof cap, "%s · %s", name,
                     m->sessions[which[k]].date[0] ? m->sessions[which[k]].date : "date unknown");
        } else {
            snprintf(cap, sizeof cap, "latest session");
        }
        caps[k] = x + w / 2;
        snprintf(captext[k], sizeof captext[k], "%s", cap);
    }
    if (used == 0)
        used = h;
    st_pdf_rgb(p->cr, 0x5B6775);
    st_pdf_font(p->cr, ST_PDF_REGULAR, 8);
    for (int k = 0; k < 2; k++)
        st_pdf_text(p->cr, caps[k], p->y + used + 11, 1, captext[k]);
    p->y += used + 22;
}

void st_pdf_summary_page(st_pdf_ctx *p)
{
    header(p);
    timeline(p);
    index_box(p);
    family_cards(p);
    int li = st_rp_latest(p->m);
    int photos = p->m->sessions[p->m->baseline].images[ST_IMG_ALIGNED][0] ||
                 (li >= 0 && p->m->sessions[li].images[ST_IMG_ALIGNED][0]);
    double chart_h = photos ? 150 : 210, room = ST_PDF_BOTTOM - p->y - chart_h - 24;
    before_after(p, photos ? fmin(room, 230) : 50);
    /* Key charts: the two families that matter most for microneedling. */
    static const int key[2] = {ST_FAM_ROUGHNESS, ST_FAM_SCARS};
    double w = (ST_PDF_CW - 12) / 2;
    for (int k = 0; k < 2; k++) {
        st_chart c;
        if (st_chart_trend(p->m, key[k], &c) == 0)
            st_pdf_chart(p->cr, &c, ST_PDF_MARGIN + k * (w + 12), p->y, w, chart_h);
        st_chart_free(&c);
    }
    p->y += chart_h;
}
