#include "report/pdf_draw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_catalog.h"

#define ST_PI 3.14159265358979323846

void st_pdf_rgb(cairo_t *cr, unsigned rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
                         (rgb & 255) / 255.0);
}

void st_pdf_font(cairo_t *cr, int weight, double size)
{
    cairo_select_font_face(cr, "Liberation Sans", CAIRO_FONT_SLANT_NORMAL,
                           weight == ST_PDF_BOLD ? CAIRO_FONT_WEIGHT_BOLD
                                                 : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double st_pdf_text(cairo_t *cr, double x, double y, int align, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    double w = e.x_advance;
    cairo_move_to(cr, align == 1 ? x - w / 2 : align == 2 ? x - w : x, y);
    cairo_show_text(cr, s);
    cairo_new_path(cr); /* show_text leaves a current point; drop it */
    return w;
}

double st_pdf_para(cairo_t *cr, double x, double y, double w, double line_h, const char *s)
{
    size_t n = strlen(s);
    char *line = malloc(n + 1);
    if (!line)
        return 0;
    double yy = y + line_h * 0.8;
    size_t start = 0;
    while (start < n) {
        size_t best = 0, end = start;
        /* Greedy: the longest run of whole words that fits. */
        while (end <= n) {
            if (end == n || s[end] == ' ') {
                memcpy(line, s + start, end - start);
                line[end - start] = '\0';
                cairo_text_extents_t e;
                cairo_text_extents(cr, line, &e);
                if (e.x_advance > w && best)
                    break;
                best = end;
                if (end == n)
                    break;
            }
            end++;
        }
        if (!best)
            best = n;
        memcpy(line, s + start, best - start);
        line[best - start] = '\0';
        cairo_move_to(cr, x, yy);
        cairo_show_text(cr, line);
        cairo_new_path(cr);
        yy += line_h;
        start = best + 1;
    }
    free(line);
    return yy - line_h * 0.8 - y;
}

void st_pdf_round_rect(cairo_t *cr, double x, double y, double w, double h, double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -ST_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, ST_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, ST_PI / 2, ST_PI);
    cairo_arc(cr, x + r, y + r, r, ST_PI, 1.5 * ST_PI);
    cairo_close_path(cr);
}

void st_pdf_image_fit(cairo_t *cr, cairo_surface_t *img, double x, double y, double w,
                      double h, double out[4])
{
    int iw = cairo_image_surface_get_width(img), ih = cairo_image_surface_get_height(img);
    double sc = fmin(w / iw, h / ih);
    double dw = iw * sc, dh = ih * sc, dx = x + (w - dw) / 2, dy = y;
    cairo_save(cr);
    cairo_rectangle(cr, dx, dy, dw, dh);
    cairo_clip(cr);
    cairo_translate(cr, dx, dy);
    cairo_scale(cr, sc, sc);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_restore(cr);
    out[0] = dx, out[1] = dy, out[2] = dw, out[3] = dh;
}

int st_pdf_overlay(cairo_t *cr, const st_rp_model *m, const st_rp_session *s, int img_w,
                   int img_h, const double r[4])
{
    double ox, oy, f, dmax = 0;
    if (!st_rp_det_map(m, s, img_w, img_h, &ox, &oy, &f))
        return 0;
    /* baseline pixel x lands at image pixel (x - ox + 0.5) / f - 0.5 */
    double sc = r[2] / img_w / f;
    ox += 0.5 * f - 0.5;
    oy += 0.5 * f - 0.5;
    for (size_t i = 0; i < m->n_sessions; i++)
        for (size_t k = 0; k < m->sessions[i].n_scars; k++)
            if (isfinite(m->sessions[i].scars[k].max_depth))
                dmax = fmax(dmax, m->sessions[i].scars[k].max_depth);
    cairo_save(cr);
    cairo_rectangle(cr, r[0], r[1], r[2], r[3]);
    cairo_clip(cr);
    cairo_set_line_width(cr, 0.9);
    for (size_t k = 0; k < s->n_scars; k++) {
        const st_rp_scar *q = &s->scars[k];
        double rad = fmax(st_rp_mm_to_px(m, sqrt(fmax(q->area_mm2, 0) / ST_PI)) * sc, 2.5);
        unsigned col = st_colour_scale(ST_SCALE_DEPTH, dmax > 0 ? q->max_depth / dmax : 0);
        cairo_new_sub_path(cr);
        cairo_arc(cr, r[0] + (q->x - ox) * sc, r[1] + (q->y - oy) * sc, rad, 0, 2 * ST_PI);
        cairo_set_source_rgba(cr, ((col >> 16) & 255) / 255.0, ((col >> 8) & 255) / 255.0,
                              (col & 255) / 255.0, 0.3);
        cairo_fill_preserve(cr);
        st_pdf_rgb(cr, col);
        cairo_stroke(cr);
    }
    st_pdf_rgb(cr, 0xFFD400);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (size_t k = 0; k < s->n_wrinkles; k++) {
        const st_rp_wrinkle *q = &s->wrinkles[k];
        cairo_set_line_width(cr, fmax(st_rp_mm_to_px(m, q->width_mm) * sc, 1.0));
        cairo_move_to(cr, r[0] + (q->x0 - ox) * sc, r[1] + (q->y0 - oy) * sc);
        cairo_line_to(cr, r[0] + (q->x1 - ox) * sc, r[1] + (q->y1 - oy) * sc);
        cairo_stroke(cr);
    }
    st_pdf_rgb(cr, 0x00E5FF);
    cairo_set_line_width(cr, 0.6);
    for (size_t k = 0; k < s->n_pores; k++) {
        const st_rp_pore *q = &s->pores[k];
        double rad = fmax(st_rp_mm_to_px(m, q->d_mm) * sc / 2 + 0.6, 1.2);
        cairo_new_sub_path(cr);
        cairo_arc(cr, r[0] + (q->x - ox) * sc, r[1] + (q->y - oy) * sc, rad, 0, 2 * ST_PI);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
    return 1;
}

void st_pdf_not_available(cairo_t *cr, double x, double y, double w, double h, const char *s)
{
    cairo_save(cr);
    st_pdf_rgb(cr, 0xF5F7FA);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill_preserve(cr);
    double dash[] = {3, 2};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, 0.7);
    st_pdf_rgb(cr, 0xB9C3CE);
    cairo_stroke(cr);
    st_pdf_rgb(cr, 0x5B6775);
    st_pdf_font(cr, ST_PDF_REGULAR, 8.5);
    double th = 11;
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    double lines = ceil(e.x_advance / (w - 16));
    st_pdf_para(cr, x + 8, y + h / 2 - lines * th / 2, w - 16, th, s);
    cairo_restore(cr);
}

/* A bar's end labels: lo at the left, "hi unit" at the right. */
static void scale_labels(cairo_t *cr, double x, double y, double w, double lo, double hi,
                         const char *unit)
{
    char a[32], z[96];
    st_rp_fmt_value(a, sizeof a, lo);
    st_rp_fmt_value(z, 32, hi);
    if (unit && unit[0])
        snprintf(z + strlen(z), sizeof z - strlen(z), " %.60s", st_rp_unit_text(unit));
    st_pdf_rgb(cr, 0x5B6775);
    st_pdf_font(cr, ST_PDF_REGULAR, 7);
    st_pdf_text(cr, x, y + 14, 0, a);
    st_pdf_text(cr, x + w, y + 14, 2, z);
}

static void add_stop(cairo_pattern_t *g, double t, unsigned c)
{
    cairo_pattern_add_color_stop_rgb(g, t, ((c >> 16) & 255) / 255.0, ((c >> 8) & 255) / 255.0,
                                     (c & 255) / 255.0);
}

void st_pdf_scale(cairo_t *cr, int which, double x, double y, double w, double lo, double hi,
                  const char *unit)
{
    cairo_pattern_t *g = cairo_pattern_create_linear(x, 0, x + w, 0);
    for (int i = 0; i <= 8; i++)
        add_stop(g, i / 8.0, st_colour_scale(which, i / 8.0));
    cairo_rectangle(cr, x, y, w, 6);
    cairo_set_source(cr, g);
    cairo_fill(cr);
    cairo_pattern_destroy(g);
    scale_labels(cr, x, y, w, lo, hi, unit);
}

void st_pdf_ramp(cairo_t *cr, unsigned c0, unsigned c1, double x, double y, double w, double lo,
                 double hi, const char *unit)
{
    cairo_pattern_t *g = cairo_pattern_create_linear(x, 0, x + w, 0);
    add_stop(g, 0, c0);
    add_stop(g, 1, c1);
    cairo_rectangle(cr, x, y, w, 6);
    cairo_set_source(cr, g);
    cairo_fill_preserve(cr);
    cairo_pattern_destroy(g);
    st_pdf_rgb(cr, 0xDDE3EA); /* a pale end of the ramp stays visible on white */
    cairo_set_line_width(cr, 0.4);
    cairo_stroke(cr);
    scale_labels(cr, x, y, w, lo, hi, unit);
}
