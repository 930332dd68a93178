/* A chart_model.h chart drawn with cairo (vector in the PDF), matching the
 * SVG back end: same frame, ticks, colours and marks. */
#include <math.h>
#include <stdio.h>

#include "report/pdf_draw.h"

#define ST_CHART_BOX_W 420.0

static void pdf_axes(cairo_t *cr, const st_chart *c, const st_chart_frame *f)
{
    char lab[48];
    st_pdf_rgb(cr, 0xFBFCFD);
    cairo_rectangle(cr, f->left, f->top, f->right - f->left, f->bottom - f->top);
    cairo_fill_preserve(cr);
    st_pdf_rgb(cr, 0xDDE3EA);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
    st_pdf_font(cr, ST_PDF_REGULAR, 9.5);
    for (int i = 0; i < c->nyt; i++) {
        double y = st_chart_py(c, f, c->logy ? pow(10, c->yt[i]) : c->yt[i]);
        st_pdf_rgb(cr, 0xE8ECF0);
        cairo_move_to(cr, f->left, y);
        cairo_line_to(cr, f->right, y);
        cairo_stroke(cr);
        st_chart_tick_label(c, 1, c->yt[i], lab, sizeof lab);
        st_pdf_rgb(cr, 0x5B6775);
        st_pdf_text(cr, f->left - 5, y + 3.5, 2, lab);
    }
    for (int i = 0; i < c->nxt; i++) {
        double x = st_chart_px(c, f, c->logx ? pow(10, c->xt[i]) : c->xt[i]);
        st_pdf_rgb(cr, 0xE8ECF0);
        cairo_move_to(cr, x, f->top);
        cairo_line_to(cr, x, f->bottom);
        cairo_stroke(cr);
        st_chart_tick_label(c, 0, c->xt[i], lab, sizeof lab);
        st_pdf_rgb(cr, 0x5B6775);
        st_pdf_text(cr, x, f->bottom + 14, 1, lab);
    }
    if (c->zero_line && c->y0 < 0 && c->y1 > 0) {
        st_pdf_rgb(cr, 0x8A96A3);
        cairo_set_line_width(cr, 1.1);
        cairo_move_to(cr, f->left, st_chart_py(c, f, 0));
        cairo_line_to(cr, f->right, st_chart_py(c, f, 0));
        cairo_stroke(cr);
    }
    st_pdf_font(cr, ST_PDF_REGULAR, 10.5);
    st_pdf_rgb(cr, 0x5B6775);
    st_pdf_text(cr, (f->left + f->right) / 2, f->bottom + 30, 1, c->xlabel);
    cairo_save(cr);
    cairo_translate(cr, 14, (f->top + f->bottom) / 2);
    cairo_rotate(cr, -1.57079632679489661923);
    st_pdf_text(cr, 0, 0, 1, c->ylabel);
    cairo_restore(cr);
}

static void pdf_series(cairo_t *cr, const st_chart *c, const st_chart_frame *f,
                       const st_chart_series *s)
{
    unsigned col = st_chart_colour(s->colour);
    double dash[] = {6, 3}, dot[] = {2, 3};
    st_pdf_rgb(cr, col);
    cairo_set_line_width(cr, 1.6);
    cairo_set_dash(cr, dash, s->dashed ? 2 : 0, 0);
    for (size_t i = 0; i < s->n; i++) {
        double x = st_chart_px(c, f, s->x[i]), y = st_chart_py(c, f, s->y[i]);
        i ? cairo_line_to(cr, x, y) : cairo_move_to(cr, x, y);
    }
    cairo_stroke(cr);
    if (s->has_trend && s->n >= 2) {
        double xa = s->x[0], xb = s->x[s->n - 1];
        cairo_set_dash(cr, dot, 2, 0);
        cairo_set_line_width(cr, 1.4);
        cairo_move_to(cr, st_chart_px(c, f, xa), st_chart_py(c, f, s->icept + s->slope * xa));
        cairo_line_to(cr, st_chart_px(c, f, xb), st_chart_py(c, f, s->icept + s->slope * xb));
        cairo_stroke(cr);
    }
    cairo_set_dash(cr, NULL, 0, 0);
    for (size_t i = 0; !c->logx && i < s->n; i++) {
        cairo_new_sub_path(cr);
        cairo_arc(cr, st_chart_px(c, f, s->x[i]), st_chart_py(c, f, s->y[i]), 3.4, 0, 2 * 3.14159265358979323846);
        st_pdf_rgb(cr, col);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 1.1);
        cairo_stroke(cr);
    }
}

/* Legend below the axis label, two items per row. */
static void pdf_legend(cairo_t *cr, const st_chart *c, double w, double h)
{
    double dash[] = {4, 3};
    st_pdf_font(cr, ST_PDF_REGULAR, 9.5);
    for (int k = 0; k <= c->nser; k++) {
        int fail = k == c->nser;
        if (fail && !c->nmarks)
            break;
        double x, y;
        st_chart_legend_pos(c, w, h, k, &x, &y);
        if (fail) {
            st_pdf_rgb(cr, 0xA8231A);
            cairo_set_dash(cr, dash, 2, 0);
            cairo_set_line_width(cr, 1.2);
            cairo_move_to(cr, x + 7, y - 11);
            cairo_line_to(cr, x + 7, y + 2);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
        } else {
            st_pdf_rgb(cr, st_chart_colour(c->ser[k].colour));
            cairo_rectangle(cr, x, y - 6, 14, 4);
            cairo_fill(cr);
        }
        char text[160];
        st_chart_legend_text(c, k, text, sizeof text);
        st_pdf_rgb(cr, 0x1D2733);
        st_pdf_text(cr, x + 19, y, 0, text);
    }
}

void st_pdf_chart(cairo_t *cr, const st_chart *c, double x, double y, double w, double h)
{
    /* Drawn in the SVG's 560×300 coordinate box, then scaled, so both back
     * ends share the layout and font proportions. */
    double sc = w / ST_CHART_BOX_W;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, sc, sc);
    double bh = h / sc;
    st_chart_frame f = st_chart_layout(c, ST_CHART_BOX_W, bh);
    st_pdf_rgb(cr, 0x1D2733);
    st_pdf_font(cr, ST_PDF_BOLD, 13);
    st_pdf_text(cr, 0, 16, 0, c->title);
    if (c->empty_msg) {
        cairo_restore(cr); /* the message box in page units, so its text stays legible */
        st_pdf_not_available(cr, x + f.left * sc, y + f.top * sc, (f.right - f.left) * sc,
                             (f.bottom - f.top) * sc, c->empty_msg);
        return;
    }
    pdf_axes(cr, c, &f);
    double dash[] = {4, 3};
    for (size_t i = 0; i < c->nmarks; i++) {
        double mx = st_chart_px(c, &f, c->marks[i].x);
        st_pdf_rgb(cr, 0xA8231A);
        cairo_set_dash(cr, dash, 2, 0);
        cairo_set_line_width(cr, 1.2);
        cairo_move_to(cr, mx, f.top);
        cairo_line_to(cr, mx, f.bottom);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        st_pdf_font(cr, ST_PDF_REGULAR, 9.5);
        st_pdf_text(cr, mx, f.top - 4, 1, "× failed");
    }
    for (int k = 0; k < c->nser; k++)
        pdf_series(cr, c, &f, &c->ser[k]);
    pdf_legend(cr, c, ST_CHART_BOX_W, bh);
    cairo_restore(cr);
}
