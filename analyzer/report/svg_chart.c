#include "report/svg_chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void svg_text(st_sbuf *b, double x, double y, const char *anchor, const char *cls,
                     const char *text)
{
    st_sbuf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x, y,
                   anchor, cls);
    st_sbuf_html(b, text);
    st_sbuf_put(b, "</text>");
}

static void svg_axes(st_sbuf *b, const st_chart *c, const st_chart_frame *f)
{
    char lab[48];
    st_sbuf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"plot\"/>",
                   f->left, f->top, f->right - f->left, f->bottom - f->top);
    for (int i = 0; i < c->nyt; i++) {
        double y = st_chart_py(c, f, c->logy ? pow(10, c->yt[i]) : c->yt[i]);
        st_sbuf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>",
                       f->left, y, f->right, y);
        st_chart_tick_label(c, 1, c->yt[i], lab, sizeof lab);
        svg_text(b, f->left - 6, y + 4, "end", "tick", lab);
    }
    for (int i = 0; i < c->nxt; i++) {
        double x = st_chart_px(c, f, c->logx ? pow(10, c->xt[i]) : c->xt[i]);
        st_sbuf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>",
                       x, f->top, x, f->bottom);
        st_chart_tick_label(c, 0, c->xt[i], lab, sizeof lab);
        svg_text(b, x, f->bottom + 16, "middle", "tick", lab);
    }
    if (c->zero_line && c->y0 < 0 && c->y1 > 0) {
        double y = st_chart_py(c, f, 0);
        st_sbuf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"zero\"/>",
                       f->left, y, f->right, y);
    }
    svg_text(b, (f->left + f->right) / 2, f->bottom + 32, "middle", "axis", c->xlabel);
    st_sbuf_printf(b, "<text transform=\"translate(14 %.1f) rotate(-90)\" text-anchor=\"middle\" "
                      "class=\"axis\">",
                   (f->top + f->bottom) / 2);
    st_sbuf_html(b, c->ylabel);
    st_sbuf_put(b, "</text>");
}

static void svg_series(st_sbuf *b, const st_chart *c, const st_chart_frame *f,
                       const st_chart_series *s)
{
    unsigned col = st_chart_colour(s->colour);
    int markers = !c->logx;
    st_sbuf_printf(b, "<polyline fill=\"none\" stroke=\"#%06X\" stroke-width=\"%s\"%s points=\"",
                   col, markers ? "1.6" : "1.8", s->dashed ? " stroke-dasharray=\"6 3\"" : "");
    for (size_t i = 0; i < s->n; i++)
        st_sbuf_printf(b, "%.1f,%.1f ", st_chart_px(c, f, s->x[i]), st_chart_py(c, f, s->y[i]));
    st_sbuf_put(b, "\"/>");
    if (s->has_trend && s->n >= 2) {
        double xa = s->x[0], xb = s->x[s->n - 1];
        st_sbuf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#%06X\" "
                          "class=\"trend\"/>",
                       st_chart_px(c, f, xa), st_chart_py(c, f, s->icept + s->slope * xa),
                       st_chart_px(c, f, xb), st_chart_py(c, f, s->icept + s->slope * xb), col);
    }
    for (size_t i = 0; markers && i < s->n; i++)
        st_sbuf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.6\" fill=\"#%06X\" class=\"pt\"/>",
                       st_chart_px(c, f, s->x[i]), st_chart_py(c, f, s->y[i]), col);
}

/* Legend below the axis label, two items per row. */
static void svg_legend(st_sbuf *b, const st_chart *c, double w, double h)
{
    for (int k = 0; k <= c->nser; k++) {
        int fail = k == c->nser;
        if (fail && !c->nmarks)
            break;
        double x, y;
        st_chart_legend_pos(c, w, h, k, &x, &y);
        if (fail)
            st_sbuf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                              "class=\"failmark\"/>", x + 7, y - 11, x + 7, y + 2);
        else
            st_sbuf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"4\" "
                              "fill=\"#%06X\"/>", x, y - 6, st_chart_colour(c->ser[k].colour));
        char text[160];
        st_chart_legend_text(c, k, text, sizeof text);
        svg_text(b, x + 19, y, "start", "legend", text);
    }
}

void st_svg_chart(st_sbuf *b, const st_chart *c, double w, double h)
{
    st_chart_frame f = st_chart_layout(c, w, h);
    st_sbuf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"",
                   w, h);
    st_sbuf_html(b, c->title);
    st_sbuf_put(b, "\">");
    svg_text(b, 0, 16, "start", "title", c->title);
    if (c->empty_msg) {
        st_sbuf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"plot\"/>",
                       f.left, f.top, f.right - f.left, f.bottom - f.top);
        svg_text(b, (f.left + f.right) / 2, (f.top + f.bottom) / 2, "middle", "na", c->empty_msg);
        st_sbuf_put(b, "</svg>");
        return;
    }
    svg_axes(b, c, &f);
    for (size_t i = 0; i < c->nmarks; i++) {
        double x = st_chart_px(c, &f, c->marks[i].x);
        st_sbuf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"failmark\"/>",
                       x, f.top, x, f.bottom);
        svg_text(b, x, f.top - 4, "middle", "fail", "× failed");
    }
    for (int k = 0; k < c->nser; k++)
        svg_series(b, c, &f, &c->ser[k]);
    svg_legend(b, c, w, h);
    st_sbuf_put(b, "</svg>");
}
