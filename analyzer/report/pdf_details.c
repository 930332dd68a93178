/* Detail pages of report.pdf: every trend chart with the spectrum, then the
 * aligned photos with detections, the difference map and per-tile maps. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/pdf_draw.h"
#include "report/pdf_pages.h"
#include "report/report_catalog.h"
#include "report/report_words.h"

void st_pdf_charts_pages(st_pdf_ctx *p)
{
    st_pdf_heading(p, "Trends since baseline");
    st_pdf_rgb(p->cr, 0x5B6775);
    st_pdf_font(p->cr, ST_PDF_REGULAR, 8.5);
    p->y += st_pdf_para(p->cr, ST_PDF_MARGIN, p->y, ST_PDF_CW, 11,
                        "Change since baseline per session (dots) with the least-squares trend "
                        "(dotted line). Lower is better for every metric drawn here; failed "
                        "sessions are marked and left out of the trend.") + 8;
    double w = (ST_PDF_CW - 14) / 2, h = 156;
    for (int k = 0; k <= ST_RP_SUMMARY_FAMILIES; k++) {
        st_chart c;
        int ok = k < ST_RP_SUMMARY_FAMILIES ? st_chart_trend(p->m, st_rp_summary_family(k), &c)
                                            : st_chart_psd(p->m, &c);
        if (k % 2 == 0)
            st_pdf_need(p, h + 10);
        if (ok == 0)
            st_pdf_chart(p->cr, &c, ST_PDF_MARGIN + (k % 2) * (w + 14), p->y, w, h);
        st_chart_free(&c);
        if (k == ST_RP_SUMMARY_FAMILIES) {
            st_pdf_rgb(p->cr, 0x3A4653);
            st_pdf_font(p->cr, ST_PDF_REGULAR, 8.5);
            st_pdf_para(p->cr, ST_PDF_MARGIN + w + 26, p->y + 24, w - 20, 11.5,
                        "The spectrum splits the surface into wavelengths: right is fine texture, "
                        "left is coarse relief. A smoother surface after treatment shows as the "
                        "latest curve (dashed) lying below the baseline at the wavelengths that "
                        "improved. Both curves come from the same aligned patch of skin.");
        }
        if (k % 2 == 1 || k == ST_RP_SUMMARY_FAMILIES)
            p->y += h + 12;
    }
}

static double photo_with_overlay(st_pdf_ctx *p, int si, double x, double w, double h)
{
    double used = h;
    const st_rp_model *m = p->m;
    char cap[200], name[96];
    cairo_surface_t *img = st_pdf_aligned(p, si);
    if (img) {
        double r[4];
        st_pdf_image_fit(p->cr, img, x, p->y, w, h, r);
        used = r[3];
        if (!st_pdf_overlay(p->cr, m, &m->sessions[si], cairo_image_surface_get_width(img),
                            cairo_image_surface_get_height(img), r)) {
            /* Frame unknown: the analysis' own overlay image, if any, instead. */
            cairo_surface_t *ov = st_rp_load_image(m, m->sessions[si].images[ST_IMG_OVERLAY]);
            if (ov) {
                st_pdf_image_fit(p->cr, ov, x, p->y, w, h, r);
                cairo_surface_destroy(ov);
            }
        }
    } else {
        st_pdf_not_available(p->cr, x, p->y, w, h, "Photo not available");
    }
    if (si >= 0) {
        const st_rp_session *s = &m->sessions[si];
        st_rp_session_name(m, (size_t)si, name, sizeof name);
        snprintf(cap, sizeof cap, "%s: %zu pores, %zu scars, %zu lines", name, s->n_pores,
                 s->n_scars, s->n_wrinkles);
        st_pdf_rgb(p->cr, 0x5B6775);
        st_pdf_font(p->cr, ST_PDF_REGULAR, 8);
        st_pdf_text(p->cr, x + w / 2, p->y + used + 11, 1, cap);
    }
    return used;
}

static void detection_key(st_pdf_ctx *p)
{
    cairo_t *cr = p->cr;
    double x = ST_PDF_MARGIN, y = p->y + 8, dmax = 0;
    for (size_t i = 0; i < p->m->n_sessions; i++)
        for (size_t k = 0; k < p->m->sessions[i].n_scars; k++)
            if (isfinite(p->m->sessions[i].scars[k].max_depth))
                dmax = fmax(dmax, p->m->sessions[i].scars[k].max_depth);
    st_pdf_font(cr, ST_PDF_REGULAR, 8);
    st_pdf_rgb(cr, 0x00B8D4);
    cairo_set_line_width(cr, 1.2);
    cairo_arc(cr, x + 4, y - 3, 3.5, 0, 6.2831853);
    cairo_stroke(cr);
    st_pdf_rgb(cr, 0x3A4653);
    x += 12 + st_pdf_text(cr, x + 12, y, 0, "pores") + 14;
    st_pdf_rgb(cr, 0xE6BF00);
    cairo_rectangle(cr, x, y - 5, 12, 3);
    cairo_fill(cr);
    st_pdf_rgb(cr, 0x3A4653);
    x += 16 + st_pdf_text(cr, x + 16, y, 0, "fine lines") + 14;
    x += st_pdf_text(cr, x, y, 0, "scars by depth:") + 8;
    int di = st_rp_metric_index(p->m, "scars.max_depth");
    st_pdf_scale(cr, ST_SCALE_DEPTH, x, y - 6, 150, 0, dmax, di >= 0 ? p->m->metric_units[di] : "");
    p->y += 26;
}

static const st_rp_tiles *find_tiles(const st_rp_session *s, const char *metric)
{
    for (size_t i = 0; s && i < s->n_tiles; i++)
        if (strcmp(s->tiles[i].metric, metric) == 0)
            return &s->tiles[i];
    return NULL;
}

static void tile_grid(cairo_t *cr, const st_rp_tiles *t, double x, double y, double w,
                      double lo, double hi)
{
    double cell = w / t->cols;
    for (int r = 0; r < t->rows; r++)
        for (int c = 0; c < t->cols; c++) {
            double v = t->values[(size_t)r * (size_t)t->cols + (size_t)c];
            if (!isfinite(v))
                continue;
            st_pdf_rgb(cr, st_colour_scale(ST_SCALE_VIRIDIS, hi > lo ? (v - lo) / (hi - lo) : .5));
            cairo_rectangle(cr, x + c * cell, y + r * cell, cell + 0.3, cell + 0.3);
            cairo_fill(cr);
        }
}

/* Baseline and latest maps of one tiled metric on one colour scale, in the
 * column of width colw starting at x; returns the height used. */
static double tile_pair(st_pdf_ctx *p, const st_rp_tiles *tb, const st_rp_tiles *tl, double x,
                        double colw)
{
    const st_rp_tiles *both[2] = {tb, tl}, *any = tb ? tb : tl;
    double lo = INFINITY, hi = -INFINITY, w = (colw - 24) / 2;
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; both[k] && i < (size_t)both[k]->rows * (size_t)both[k]->cols; i++)
            if (isfinite(both[k]->values[i]))
                lo = fmin(lo, both[k]->values[i]), hi = fmax(hi, both[k]->values[i]);
    double h = w * any->rows / any->cols, y = p->y;
    char title[128];
    snprintf(title, sizeof title, "%s per tile", st_rp_tile_label(any->metric));
    st_pdf_rgb(p->cr, 0x1D2733);
    st_pdf_font(p->cr, ST_PDF_BOLD, 9.5);
    st_pdf_text(p->cr, x, y + 10, 0, title);
    y += 16;
    for (int k = 0; k < 2; k++) {
        double xx = x + k * (w + 8);
        if (both[k])
            tile_grid(p->cr, both[k], xx, y, w, lo, hi);
        else
            st_pdf_not_available(p->cr, xx, y, w, h, "no tile values for this session");
        st_pdf_rgb(p->cr, 0x5B6775);
        st_pdf_font(p->cr, ST_PDF_REGULAR, 8);
        st_pdf_text(p->cr, xx + w / 2, y + h + 11, 1, k ? "latest" : "baseline");
    }
    if (isfinite(lo))
        st_pdf_scale(p->cr, ST_SCALE_VIRIDIS, x, y + h + 20, 2 * w + 8, lo, hi, any->unit);
    return h + 56;
}

static void tile_maps(st_pdf_ctx *p, int li)
{
    const st_rp_session *sb = &p->m->sessions[p->m->baseline];
    const st_rp_session *sl = li >= 0 ? &p->m->sessions[li] : NULL;
    const st_rp_tiles *pairs[64][2];
    size_t n = 0;
    for (size_t i = 0; i < sb->n_tiles && n < 64; i++, n++)
        pairs[n][0] = &sb->tiles[i], pairs[n][1] = find_tiles(sl, sb->tiles[i].metric);
    for (size_t i = 0; sl && i < sl->n_tiles && n < 64; i++)
        if (!find_tiles(sb, sl->tiles[i].metric))
            pairs[n][0] = NULL, pairs[n++][1] = &sl->tiles[i];
    st_pdf_heading(p, "Maps per tile");
    if (!n) {
        st_pdf_not_available(p->cr, ST_PDF_MARGIN, p->y, ST_PDF_CW, 40,
                             "Tile maps not available: this analysis did not export per-tile values");
        p->y += 50;
        return;
    }
    st_pdf_rgb(p->cr, 0x5B6775);
    st_pdf_font(p->cr, ST_PDF_REGULAR, 8.5);
    p->y += st_pdf_para(p->cr, ST_PDF_MARGIN, p->y, ST_PDF_CW, 11,
                        "The measured patch is cut into tiles; each square shows that tile's "
                        "value, on one colour scale for baseline and latest session.") + 6;
    /* Three metrics to a row (analyze maps roughness, pores and scars), so
     * the maps stay on the page of the difference map. */
    const size_t per_row = n < 3 ? 2 : 3;
    const double colw = ST_PDF_CW / per_row;
    for (size_t i = 0; i < n; i += per_row) {
        double used = 0.0;
        st_pdf_need(p, colw * 0.75 + 60);
        for (size_t k = 0; k < per_row && i + k < n; k++)
            used = fmax(used, tile_pair(p, pairs[i + k][0], pairs[i + k][1],
                                        ST_PDF_MARGIN + k * colw, colw));
        p->y += used;
    }
}

/* The computed map's key: purple darker, white unchanged, orange lighter. */
static void diff_key(st_pdf_ctx *p, double x, double y, double w, double range)
{
    char a[48], z[48];
    cairo_pattern_t *g = cairo_pattern_create_linear(x, 0, x + w, 0);
    for (int i = 0; i <= 8; i++) {
        unsigned c = st_rp_diff_colour(i / 4.0 - 1);
        cairo_pattern_add_color_stop_rgb(g, i / 8.0, ((c >> 16) & 255) / 255.0,
                                         ((c >> 8) & 255) / 255.0, (c & 255) / 255.0);
    }
    cairo_rectangle(p->cr, x, y, w, 7);
    cairo_set_source(p->cr, g);
    cairo_fill(p->cr);
    cairo_pattern_destroy(g);
    snprintf(a, sizeof a, "darker now (\xe2\x88\x92%.2f)", range);
    snprintf(z, sizeof z, "lighter now (+%.2f)", range);
    st_pdf_rgb(p->cr, 0x5B6775);
    st_pdf_font(p->cr, ST_PDF_REGULAR, 7.5);
    st_pdf_text(p->cr, x, y + 17, 0, a);
    st_pdf_text(p->cr, x + w, y + 17, 2, z);
}

/* Melanin and haemoglobin maps beside the aligned photos of baseline and
 * latest session, with their colour keys (as report.html). */
static void chromophore_maps(st_pdf_ctx *p, int li)
{
    static const char *const title[3] = {"Photo", "Melanin (brown)", "Haemoglobin (red)"};
    const st_rp_model *m = p->m;
    int rows[2] = {m->baseline, li}, any = 0;
    for (int r = 0; r < 2; r++)
        for (int k = 0; rows[r] >= 0 && k < 2; k++)
            any |= m->sessions[rows[r]].images[ST_IMG_MELANIN + k][0] != '\0';
    if (!st_rp_is_photo(m->modality))
        return;
    double lw = 64, gap = 8, w = (ST_PDF_CW - lw - 2 * gap) / 3, h = w * 0.8;
    if (any) /* heading, note, maps and keys on one page */
        st_pdf_need(p, 24 + 30 + 14 + 2 * (h + 8) + 40);
    st_pdf_heading(p, "Melanin and haemoglobin");
    if (!any) {
        st_pdf_not_available(p->cr, ST_PDF_MARGIN, p->y, ST_PDF_CW, 40,
                             "Melanin and haemoglobin maps not available: this analysis did not "
                             "export them");
        p->y += 50;
        return;
    }
    st_pdf_rgb(p->cr, 0x5B6775);
    st_pdf_font(p->cr, ST_PDF_REGULAR, 8.5);
    p->y += st_pdf_para(p->cr, ST_PDF_MARGIN, p->y, ST_PDF_CW, 11,
                        "Where the skin's colour comes from: melanin (brown pigment) and "
                        "haemoglobin (blood), separated from the aligned photo as optical "
                        "densities; darker means more. Same scale in every session.") + 6;
    st_pdf_font(p->cr, ST_PDF_BOLD, 8);
    st_pdf_rgb(p->cr, 0x1D2733);
    for (int k = 0; k < 3; k++)
        st_pdf_text(p->cr, ST_PDF_MARGIN + lw + k * (w + gap) + w / 2, p->y + 9, 1, title[k]);
    p->y += 14;
    char name[96];
    for (int r = 0; r < 2; r++) {
        if (rows[r] < 0)
            continue;
        const st_rp_session *s = &m->sessions[rows[r]];
        double used = 0, box[4];
        st_rp_session_name(m, (size_t)rows[r], name, sizeof name);
        st_pdf_rgb(p->cr, 0x1D2733);
        st_pdf_font(p->cr, ST_PDF_BOLD, 8.5);
        st_pdf_text(p->cr, ST_PDF_MARGIN, p->y + h / 2, 0, name);
        if (strcmp(s->colour.status, "uncalibrated") == 0) {
            st_pdf_rgb(p->cr, 0x8A5A00);
            st_pdf_font(p->cr, ST_PDF_REGULAR, 6.8);
            st_pdf_para(p->cr, ST_PDF_MARGIN, p->y + h / 2 + 4, lw - 6, 8,
                        "colour not calibrated: compare with care");
        }
        for (int k = 0; k < 3; k++) {
            double x = ST_PDF_MARGIN + lw + k * (w + gap);
            cairo_surface_t *img = k == 0 ? st_pdf_aligned(p, rows[r])
                                          : st_rp_load_image(m, s->images[ST_IMG_MELANIN + k - 1]);
            if (img) {
                st_pdf_image_fit(p->cr, img, x, p->y, w, h, box);
                used = fmax(used, box[3]);
            } else {
                st_pdf_not_available(p->cr, x, p->y, w, h, "not exported");
                used = fmax(used, h);
            }
            if (img && k > 0)
                cairo_surface_destroy(img);
        }
        p->y += used + 8;
    }
    double kw = (ST_PDF_CW - lw - 30) / 2;
    for (int k = 0; k < 2; k++) {
        const st_rp_chromo_key *key = &m->chromo[k];
        double x = ST_PDF_MARGIN + lw + k * (kw + 30);
        st_pdf_rgb(p->cr, 0x1D2733);
        st_pdf_font(p->cr, ST_PDF_BOLD, 7.5);
        st_pdf_text(p->cr, x, p->y + 7, 0, title[k + 1]);
        if (key->present)
            st_pdf_ramp(p->cr, key->colour_min, key->colour_max, x, p->y + 11, kw, key->min,
                        key->max, key->unit);
        else
            st_pdf_text(p->cr, x, p->y + 20, 0, "colour key not given");
    }
    p->y += 40;
}

void st_pdf_images_pages(st_pdf_ctx *p)
{
    const st_rp_model *m = p->m;
    int li = st_rp_latest(m);
    double w = (ST_PDF_CW - 10) / 2, h = 230;
    st_pdf_heading(p, "Before and after: detections");
    double used = photo_with_overlay(p, m->baseline, ST_PDF_MARGIN, w, h);
    if (li >= 0)
        used = fmax(used, photo_with_overlay(p, li, ST_PDF_MARGIN + w + 10, w, h));
    else
        st_pdf_not_available(p->cr, ST_PDF_MARGIN + w + 10, p->y, w, h,
                             "Follow-up photo not available: no follow-up session could be measured");
    p->y += used + 18;
    detection_key(p);
    st_pdf_heading(p, "Difference map");
    cairo_surface_t *d = li >= 0 ? st_rp_load_image(m, m->sessions[li].images[ST_IMG_DIFF]) : NULL;
    double range = 0;
    int computed = !d && (d = st_rp_diff_map(m, li, &range)) != NULL;
    if (d) {
        double r[4];
        st_pdf_need(p, 200);
        st_pdf_image_fit(p->cr, d, ST_PDF_MARGIN, p->y, w, 190, r);
        cairo_surface_destroy(d);
        st_pdf_rgb(p->cr, 0x3A4653);
        st_pdf_font(p->cr, ST_PDF_REGULAR, 8.5);
        double th = st_pdf_para(p->cr, ST_PDF_MARGIN + w + 12, p->y + 4, w - 12, 11,
                                computed ? "Computed for this report: brightness (0–1) of the "
                                           "latest aligned photo minus the baseline's, after "
                                           "alignment and light correction. White areas did not "
                                           "change."
                                         : "Latest minus baseline after alignment and light "
                                           "correction. Uniform areas did not change; the colour "
                                           "key is part of the image.");
        if (computed)
            diff_key(p, ST_PDF_MARGIN + w + 12, p->y + th + 16, w - 24, range);
        p->y += r[3] + 14;
    } else {
        st_pdf_not_available(p->cr, ST_PDF_MARGIN, p->y, ST_PDF_CW, 40,
                             li < 0 ? "Difference map not available: no follow-up session could be measured"
                                    : "Difference map not available: the aligned photos of baseline "
                                      "and latest session were not both exported");
        p->y += 50;
    }
    chromophore_maps(p, li);
    tile_maps(p, li);
}
