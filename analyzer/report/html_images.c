/* The before/after part of report.html: images embedded as data: URIs,
 * detections drawn as SVG over the aligned photos, the slider/blink
 * comparison, the difference map and per-tile heat maps. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart_model.h"
#include "report/html_parts.h"
#include "report/report_image.h"
#include "report/report_catalog.h"
#include "report/report_words.h"

/* Pixel size from the PNG IHDR or the JPEG SOFn marker; 0 if neither. */
static int image_dims(const unsigned char *p, size_t n, int *w, int *h, const char **mime)
{
    if (n > 24 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) {
        *w = (int)((unsigned)p[16] << 24 | (unsigned)p[17] << 16 | (unsigned)p[18] << 8 | p[19]);
        *h = (int)((unsigned)p[20] << 24 | (unsigned)p[21] << 16 | (unsigned)p[22] << 8 | p[23]);
        *mime = "image/png";
        return *w > 0 && *h > 0;
    }
    if (n > 4 && p[0] == 0xFF && p[1] == 0xD8) {
        size_t i = 2;
        while (i + 9 < n && p[i] == 0xFF) {
            unsigned mk = p[i + 1], len = (unsigned)p[i + 2] << 8 | p[i + 3];
            if (mk >= 0xC0 && mk <= 0xCF && mk != 0xC4 && mk != 0xC8 && mk != 0xCC) {
                *h = (int)((unsigned)p[i + 5] << 8 | p[i + 6]);
                *w = (int)((unsigned)p[i + 7] << 8 | p[i + 8]);
                *mime = "image/jpeg";
                return *w > 0 && *h > 0;
            }
            i += 2 + len;
        }
    }
    return 0;
}

/* <img> with the file inline; returns 1 and the size, or 0 if unusable. */
static int embed_img(st_sbuf *b, const st_rp_model *m, const char *rel, const char *alt,
                     const char *cls, int *w, int *h)
{
    size_t n;
    const char *mime;
    unsigned char *data = st_rp_read_asset(m, rel, &n);
    if (!data || !image_dims(data, n, w, h, &mime)) {
        free(data);
        return 0;
    }
    st_sbuf_printf(b, "<img%s%s%s width=\"%d\" height=\"%d\" alt=\"", cls ? " class=\"" : "",
                   cls ? cls : "", cls ? "\"" : "", *w, *h);
    st_sbuf_html(b, alt);
    st_sbuf_printf(b, "\" src=\"data:%s;base64,", mime);
    st_sbuf_base64(b, data, n);
    st_sbuf_put(b, "\">");
    free(data);
    return 1;
}

static void not_available(st_sbuf *b, const char *what, const char *why)
{
    st_sbuf_put(b, "<div class=\"na\">");
    st_sbuf_html(b, what);
    st_sbuf_put(b, " not available: ");
    st_sbuf_html(b, why);
    st_sbuf_put(b, "</div>");
}

static double max_scar_depth(const st_rp_model *m)
{
    double d = 0;
    for (size_t i = 0; i < m->n_sessions; i++)
        for (size_t k = 0; k < m->sessions[i].n_scars; k++)
            if (isfinite(m->sessions[i].scars[k].max_depth))
                d = fmax(d, m->sessions[i].scars[k].max_depth);
    return d;
}

/* Detections drawn in baseline pixels inside a group that maps them onto
 * the image (st_rp_det_map); returns 0 when the image's frame is unknown. */
static int overlay_svg(st_sbuf *b, const st_rp_model *m, const st_rp_session *s, int w, int h)
{
    double ox, oy, f, dmax = max_scar_depth(m);
    if (!st_rp_det_map(m, s, w, h, &ox, &oy, &f))
        return 0;
    double lw = fmax(1.0, w / 400.0) * f; /* line widths in baseline pixels */
    st_sbuf_printf(b, "<svg class=\"ov\" viewBox=\"0 0 %d %d\" preserveAspectRatio=\"none\" "
                      "aria-hidden=\"true\"><g transform=\"matrix(%.6g 0 0 %.6g %.6g %.6g)\">",
                   w, h, 1 / f, 1 / f, (0.5 - ox) / f - 0.5, (0.5 - oy) / f - 0.5);
    ox = oy = 0;
    for (size_t k = 0; k < s->n_scars; k++) {
        const st_rp_scar *q = &s->scars[k];
        double r = st_rp_mm_to_px(m, sqrt(fmax(q->area_mm2, 0) / 3.14159265358979323846));
        unsigned col = st_colour_scale(ST_SCALE_DEPTH, dmax > 0 ? q->max_depth / dmax : 0);
        st_sbuf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#%06X\" "
                          "fill-opacity=\".3\" stroke=\"#%06X\" stroke-width=\"%.1f\"/>",
                       q->x - ox, q->y - oy, fmax(r, 3 * lw), col, col, lw * 1.5);
    }
    for (size_t k = 0; k < s->n_wrinkles; k++) {
        const st_rp_wrinkle *q = &s->wrinkles[k];
        st_sbuf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#FFD400\" "
                          "stroke-width=\"%.1f\" stroke-linecap=\"round\" stroke-opacity=\".9\"/>",
                       q->x0 - ox, q->y0 - oy, q->x1 - ox, q->y1 - oy,
                       fmax(st_rp_mm_to_px(m, q->width_mm), 1.5 * lw));
    }
    for (size_t k = 0; k < s->n_pores; k++) {
        const st_rp_pore *q = &s->pores[k];
        st_sbuf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"none\" "
                          "stroke=\"#00E5FF\" stroke-width=\"%.1f\"/>",
                       q->x - ox, q->y - oy, fmax(st_rp_mm_to_px(m, q->d_mm) / 2 + lw, 2 * lw), lw);
    }
    st_sbuf_put(b, "</g></svg>");
    return 1;
}

/* One aligned photo with its detections; returns 1 if the image existed. */
static int photo_figure(st_sbuf *b, const st_rp_model *m, size_t si, const char *what)
{
    const st_rp_session *s = &m->sessions[si];
    char name[96], alt[160];
    int w, h;
    st_rp_session_name(m, si, name, sizeof name);
    snprintf(alt, sizeof alt, "%s: %s", name, what);
    st_sbuf_printf(b, "<figure><div class=\"ph\" id=\"ph-%zu\">", si);
    int ok = embed_img(b, m, s->images[ST_IMG_ALIGNED], alt, NULL, &w, &h), ow, oh;
    /* Frame unknown: the analysis' own overlay image, if any, instead. */
    if (ok && !overlay_svg(b, m, s, w, h) && s->images[ST_IMG_OVERLAY][0]) {
        snprintf(alt, sizeof alt, "%s: detections", name);
        embed_img(b, m, s->images[ST_IMG_OVERLAY], alt, "ov", &ow, &oh);
    }
    st_sbuf_put(b, "</div>");
    if (!ok)
        not_available(b, "Photo", s->failed ? "this session could not be measured"
                                             : "the aligned image was not exported");
    st_sbuf_put(b, "<figcaption>");
    st_sbuf_html(b, name);
    st_sbuf_put(b, " · ");
    st_sbuf_html(b, s->date[0] ? s->date : "date unknown");
    st_sbuf_printf(b, " · %zu pores, %zu scars, %zu lines detected</figcaption></figure>",
                   s->n_pores, s->n_scars, s->n_wrinkles);
    return ok;
}

/* An <img> whose pixels the page's script copies from the photo in
 * #ph-<si>, so each photo is embedded once however often it is shown. */
static void copied_img(st_sbuf *b, const st_rp_model *m, size_t si, const char *alt, const char *cls)
{
    size_t n;
    int w = 0, h = 0;
    const char *mime;
    unsigned char *data = st_rp_read_asset(m, m->sessions[si].images[ST_IMG_ALIGNED], &n);
    if (data)
        image_dims(data, n, &w, &h, &mime);
    free(data);
    st_sbuf_printf(b, "<img%s%s%s width=\"%d\" height=\"%d\" data-copy=\"ph-%zu\" alt=\"%s\">",
                   cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "", w, h, si, alt);
}

static void comparison(st_sbuf *b, const st_rp_model *m, int li)
{
    st_sbuf_put(b, "<div class=\"controls\"><label>Baseline ◀</label><input type=\"range\" "
                   "id=\"cmp-range\" min=\"0\" max=\"100\" value=\"50\" aria-label=\"Compare "
                   "baseline and latest\"><label>▶ Latest</label><button id=\"blink\" "
                   "type=\"button\">Blink</button></div><div class=\"cmp\">");
    copied_img(b, m, (size_t)m->baseline, "baseline (comparison)", NULL);
    copied_img(b, m, (size_t)li, "latest (comparison)", "top");
    st_sbuf_put(b, "<div class=\"cut\"></div></div>");
}

static void scale_bar(st_sbuf *b, int which, double lo, double hi, const char *unit)
{
    char a[32], z[32];
    st_rp_fmt_value(a, sizeof a, lo);
    st_rp_fmt_value(z, sizeof z, hi);
    st_sbuf_put(b, "<svg viewBox=\"0 0 260 30\" class=\"scale\" role=\"img\" aria-label=\"colour "
                   "scale\"><defs><linearGradient id=\"g");
    st_sbuf_printf(b, "%d\">", which);
    for (int i = 0; i <= 8; i++)
        st_sbuf_printf(b, "<stop offset=\"%d%%\" stop-color=\"#%06X\"/>", i * 100 / 8,
                       st_colour_scale(which, i / 8.0));
    st_sbuf_printf(b, "</linearGradient></defs><rect x=\"0\" y=\"2\" width=\"260\" height=\"10\" "
                      "fill=\"url(#g%d)\"/><text x=\"0\" y=\"26\" class=\"tick\">%s</text>"
                      "<text x=\"260\" y=\"26\" text-anchor=\"end\" class=\"tick\">%s ",
                   which, a, z);
    st_sbuf_html(b, unit && unit[0] ? st_rp_unit_text(unit) : "");
    st_sbuf_put(b, "</text></svg>");
}

static const st_rp_tiles *find_tiles(const st_rp_session *s, const char *metric)
{
    for (size_t i = 0; i < s->n_tiles; i++)
        if (strcmp(s->tiles[i].metric, metric) == 0)
            return &s->tiles[i];
    return NULL;
}

static void tile_grid(st_sbuf *b, const st_rp_tiles *t, double lo, double hi)
{
    st_sbuf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"tile "
                      "map\" shape-rendering=\"crispEdges\">", t->cols * 20, t->rows * 20);
    for (int r = 0; r < t->rows; r++)
        for (int c = 0; c < t->cols; c++) {
            double v = t->values[(size_t)r * (size_t)t->cols + (size_t)c];
            if (isfinite(v))
                st_sbuf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"20\" height=\"20\" "
                                  "fill=\"#%06X\"/>",
                               c * 20, r * 20,
                               st_colour_scale(ST_SCALE_VIRIDIS, hi > lo ? (v - lo) / (hi - lo) : .5));
        }
    st_sbuf_put(b, "</svg>");
}

/* Baseline and latest maps of one tiled metric on a shared colour scale. */
static void tile_pair(st_sbuf *b, const st_rp_model *m, const st_rp_tiles *tb,
                      const st_rp_tiles *tl, const char *metric)
{
    double lo = INFINITY, hi = -INFINITY;
    const st_rp_tiles *both[2] = {tb, tl};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; both[k] && i < (size_t)both[k]->rows * (size_t)both[k]->cols; i++)
            if (isfinite(both[k]->values[i]))
                lo = fmin(lo, both[k]->values[i]), hi = fmax(hi, both[k]->values[i]);
    st_sbuf_put(b, "<figure><h3>");
    st_sbuf_html(b, st_rp_tile_label(metric));
    st_sbuf_put(b, " per tile</h3><div class=\"pair tiles\">");
    for (int k = 0; k < 2; k++) {
        st_sbuf_printf(b, "<div>%s", k ? "<figcaption>latest</figcaption>"
                                       : "<figcaption>baseline</figcaption>");
        if (both[k])
            tile_grid(b, both[k], lo, hi);
        else
            not_available(b, "Map", "no tile values for this session");
        st_sbuf_put(b, "</div>");
    }
    st_sbuf_put(b, "</div>");
    if (isfinite(lo))
        scale_bar(b, ST_SCALE_VIRIDIS, lo, hi, (tl ? tl : tb)->unit);
    st_sbuf_put(b, "</figure>");
}

static void tile_maps(st_sbuf *b, const st_rp_model *m, int li)
{
    const st_rp_session *sb = &m->sessions[m->baseline], *sl = li >= 0 ? &m->sessions[li] : NULL;
    int shown = 0, w, h;
    st_sbuf_put(b, "<h3 style=\"margin-top:18px\">Maps per tile</h3><p class=\"sub\">The "
                   "measured patch is cut into tiles; each square shows that tile's value, on the "
                   "same colour scale for baseline and latest session.</p><div class=\"maps\">");
    for (size_t i = 0; i < sb->n_tiles; i++) {
        tile_pair(b, m, &sb->tiles[i], sl ? find_tiles(sl, sb->tiles[i].metric) : NULL,
                  sb->tiles[i].metric);
        shown++;
    }
    for (size_t i = 0; sl && i < sl->n_tiles; i++)
        if (!find_tiles(sb, sl->tiles[i].metric)) {
            tile_pair(b, m, NULL, &sl->tiles[i], sl->tiles[i].metric);
            shown++;
        }
    static const char *const cap[2] = {"Roughness per tile (latest)", "Depth per tile (latest)"};
    for (int k = 0; !shown && sl && k < 2; k++) {
        st_sbuf_put(b, "<figure>");
        if (embed_img(b, m, sl->images[ST_IMG_TILES_ROUGHNESS + k], cap[k], NULL, &w, &h)) {
            st_sbuf_printf(b, "<figcaption>%s (colour scale in the image)</figcaption>", cap[k]);
            shown++;
        }
        st_sbuf_put(b, "</figure>");
    }
    st_sbuf_put(b, "</div>");
    if (!shown)
        not_available(b, "Tile maps", "this analysis did not export per-tile values");
}

static cairo_status_t png_to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    st_sbuf_putn(closure, (const char *)data, len);
    return ((st_sbuf *)closure)->oom ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

/* The map computed from the two aligned images, as an inline PNG with its key. */
static int computed_diff(st_sbuf *b, const st_rp_model *m, int li)
{
    double range = 0;
    cairo_surface_t *d = st_rp_diff_map(m, li, &range);
    if (!d)
        return 0;
    st_sbuf png = {0};
    int ok = cairo_surface_write_to_png_stream(d, png_to_buf, &png) == CAIRO_STATUS_SUCCESS;
    if (ok) {
        st_sbuf_printf(b, "<img class=\"diff\" width=\"%d\" height=\"%d\" alt=\"difference latest "
                          "minus baseline\" src=\"data:image/png;base64,",
                       cairo_image_surface_get_width(d), cairo_image_surface_get_height(d));
        st_sbuf_base64(b, (const unsigned char *)png.data, png.len);
        st_sbuf_put(b, "\"><svg viewBox=\"0 0 260 30\" class=\"scale\" role=\"img\" "
                       "aria-label=\"colour scale\"><defs><linearGradient id=\"gd\">");
        for (int i = 0; i <= 8; i++)
            st_sbuf_printf(b, "<stop offset=\"%d%%\" stop-color=\"#%06X\"/>", i * 100 / 8,
                           st_rp_diff_colour(i / 4.0 - 1));
        st_sbuf_printf(b, "</linearGradient></defs><rect x=\"0\" y=\"2\" width=\"260\" "
                          "height=\"10\" fill=\"url(#gd)\"/><text x=\"0\" y=\"26\" class=\"tick\">"
                          "darker now (\xe2\x88\x92%.2f)</text><text x=\"260\" y=\"26\" "
                          "text-anchor=\"end\" class=\"tick\">lighter now (+%.2f)</text></svg>"
                          "<figcaption>Computed for this report: brightness (0–1) of the latest "
                          "aligned photo minus the baseline's, after alignment and light "
                          "correction. White areas did not change.</figcaption>",
                       range, range);
    }
    b->oom |= png.oom;
    st_sbuf_free(&png);
    cairo_surface_destroy(d);
    return ok;
}

static void diff_map(st_sbuf *b, const st_rp_model *m, int li)
{
    int w, h;
    st_sbuf_put(b, "<figure style=\"margin-top:14px\"><h3>Difference map</h3>");
    if (li >= 0 && embed_img(b, m, m->sessions[li].images[ST_IMG_DIFF],
                             "difference latest minus baseline", "diff", &w, &h))
        st_sbuf_put(b, "<figcaption>Latest minus baseline after alignment and light correction. "
                       "Uniform areas did not change.</figcaption>");
    else if (!computed_diff(b, m, li))
        not_available(b, "Difference map", li < 0 ? "no follow-up session could be measured"
                                                   : "the aligned photos of baseline and latest "
                                                     "session were not both exported");
    st_sbuf_put(b, "</figure>");
}

/* The colour key of a chromophore map: a linear ramp between the key's two
 * colours, min and max at the ends. */
static void ramp_key(st_sbuf *b, int k, const char *title, const st_rp_chromo_key *key)
{
    char a[32], z[32];
    st_sbuf_printf(b, "<div data-key=\"%d\"><b>%s</b> ", k, title);
    if (!key->present) {
        st_sbuf_put(b, "colour key not given</div>");
        return;
    }
    st_rp_fmt_value(a, sizeof a, key->min);
    st_rp_fmt_value(z, sizeof z, key->max);
    st_sbuf_printf(b, "<svg viewBox=\"0 0 260 30\" class=\"scale\" role=\"img\" aria-label=\"%s "
                      "colour key\"><defs><linearGradient id=\"gk%d\"><stop offset=\"0%%\" "
                      "stop-color=\"#%06X\"/><stop offset=\"100%%\" stop-color=\"#%06X\"/>"
                      "</linearGradient></defs><rect x=\"0\" y=\"2\" width=\"260\" height=\"10\" "
                      "fill=\"url(#gk%d)\" stroke=\"#dde3ea\" stroke-width=\".5\"/><text x=\"0\" "
                      "y=\"26\" class=\"tick\">%s</text><text x=\"260\" y=\"26\" "
                      "text-anchor=\"end\" class=\"tick\">%s ",
                   title, k, key->colour_min, key->colour_max, k, a, z);
    st_sbuf_html(b, key->unit);
    st_sbuf_put(b, "</text></svg></div>");
}

/* Melanin and haemoglobin maps (the "brown and red views") beside the
 * aligned photos of baseline and latest session, with their colour keys. */
static void chromophore_maps(st_sbuf *b, const st_rp_model *m, int li)
{
    static const char *const title[2] = {"Melanin (brown)", "Haemoglobin (red)"};
    int rows[2] = {m->baseline, li}, any = 0, w, h;
    char name[96], alt[160];
    for (int r = 0; r < 2; r++)
        for (int k = 0; rows[r] >= 0 && k < 2; k++)
            any |= m->sessions[rows[r]].images[ST_IMG_MELANIN + k][0] != '\0';
    if (!st_rp_is_photo(m->modality))
        return;
    st_sbuf_put(b, "<figure id=\"chromophores\" style=\"margin-top:18px\"><h3>Melanin and "
                   "haemoglobin</h3>");
    if (!any) {
        not_available(b, "Melanin and haemoglobin maps", "this analysis did not export them");
        st_sbuf_put(b, "</figure>");
        return;
    }
    st_sbuf_put(b, "<p class=\"sub\">Where the skin's colour comes from: melanin (brown "
                   "pigment) and haemoglobin (blood), separated from the aligned photo as optical "
                   "densities; darker means more. Same scale in every session.</p><div "
                   "class=\"chromo\"><div></div><div class=\"ch\">Photo</div>");
    for (int k = 0; k < 2; k++)
        st_sbuf_printf(b, "<div class=\"ch\">%s</div>", title[k]);
    for (int r = 0; r < 2; r++) {
        if (rows[r] < 0)
            continue;
        const st_rp_session *s = &m->sessions[rows[r]];
        st_rp_session_name(m, (size_t)rows[r], name, sizeof name);
        st_sbuf_put(b, "<div class=\"rl\">");
        st_sbuf_html(b, name);
        if (strcmp(s->colour.status, "uncalibrated") == 0)
            st_sbuf_put(b, "<br><small class=\"cond-warn\">colour not calibrated: compare with "
                           "care</small>");
        st_sbuf_put(b, "</div><div>");
        if (s->images[ST_IMG_ALIGNED][0])
            copied_img(b, m, (size_t)rows[r], "photo", NULL);
        st_sbuf_put(b, "</div>");
        for (int k = 0; k < 2; k++) {
            snprintf(alt, sizeof alt, "%s: %s map", name, title[k]);
            st_sbuf_put(b, "<div>");
            if (!embed_img(b, m, s->images[ST_IMG_MELANIN + k], alt, NULL, &w, &h))
                st_sbuf_put(b, "<div class=\"na\">not exported</div>");
            st_sbuf_put(b, "</div>");
        }
    }
    st_sbuf_put(b, "</div><div class=\"keys\">");
    for (int k = 0; k < 2; k++)
        ramp_key(b, k, title[k], &m->chromo[k]);
    st_sbuf_put(b, "</div></figure>");
}

void st_html_beforeafter(st_sbuf *b, const st_rp_model *m)
{
    int li = st_rp_latest(m);
    double dmax = max_scar_depth(m);
    st_sbuf_put(b, "<section id=\"beforeafter\" class=\"show-ov\"><h2>Before and after</h2><p class=\"sub\">"
                   "Baseline and latest measured session, aligned onto the same patch of skin."
                   "</p><div class=\"controls\"><label><input type=\"checkbox\" id=\"show-ov\" checked> "
                   "Show detected pores, scars and lines</label></div><div class=\"pair\">");
    int have_b = photo_figure(b, m, (size_t)m->baseline, "baseline photo");
    int have_l = 0;
    if (li >= 0)
        have_l = photo_figure(b, m, (size_t)li, "latest photo");
    else
        not_available(b, "Follow-up photo", "no follow-up session could be measured");
    st_sbuf_put(b, "</div><div class=\"key\"><span><i style=\"border:2px solid #00B8D4\"></i>"
                   "pores</span><span><i style=\"background:#FFD400\"></i>fine lines</span>"
                   "<span>scars by depth:</span>");
    int di = st_rp_metric_index(m, "scars.max_depth");
    scale_bar(b, ST_SCALE_DEPTH, 0, dmax, di >= 0 ? m->metric_units[di] : "");
    st_sbuf_put(b, "</div>");
    if (have_b && have_l)
        comparison(b, m, li);
    diff_map(b, m, li);
    chromophore_maps(b, m, li);
    tile_maps(b, m, li);
    st_sbuf_put(b, "</section>");
}
