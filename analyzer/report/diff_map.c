/* The difference map of the report: latest minus baseline brightness of the
 * aligned images, computed here when analyze did not export one. Both
 * images are the same patch of the baseline frame (analyze aligns every
 * session onto it), so pixels correspond one to one. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "report/report_image.h"
#include "simd/kernels.h"

unsigned st_rp_diff_colour(double t)
{
    /* ColorBrewer PuOr, reversed: purple = darker now, orange = lighter now;
     * readable with colour-vision deficiency and free of good/bad meaning. */
    static const unsigned stop[5] = {0x542788, 0x998EC3, 0xF7F7F7, 0xF1A340, 0xB35806};
    if (!isfinite(t))
        t = 0;
    double u = (fmin(fmax(t, -1), 1) + 1) * 2;
    int k = u >= 4 ? 3 : (int)u;
    double f = u - k;
    unsigned out = 0;
    for (int sh = 16; sh >= 0; sh -= 8) {
        double a = (stop[k] >> sh) & 255, b = (stop[k + 1] >> sh) & 255;
        out |= (unsigned)lround(a + (b - a) * f) << sh;
    }
    return out;
}

/* In-place box mean of radius r along rows then columns: single-pixel noise
 * (sensor, JPEG) would otherwise hide the changes of skin structure. */
static void box_blur(float *d, int w, int h, int r, float *tmp)
{
    for (int pass = 0; pass < 2; pass++) {
        int n = pass ? h : w, lines = pass ? w : h;
        size_t step = pass ? (size_t)w : 1, line_step = pass ? 1 : (size_t)w;
        for (int l = 0; l < lines; l++) {
            float *v = d + (size_t)l * line_step;
            double s = 0;
            int lo = 0, hi = -1;
            for (int i = 0; i < n; i++) {
                while (hi < i + r && hi + 1 < n)
                    s += v[(size_t)++hi * step];
                while (lo < i - r)
                    s -= v[(size_t)lo++ * step];
                tmp[i] = (float)(s / (hi - lo + 1));
            }
            for (int i = 0; i < n; i++)
                v[(size_t)i * step] = tmp[i];
        }
    }
}

static double luma(uint32_t px)
{
    return st_luma709((px >> 16) & 255, (px >> 8) & 255, px & 255) / 255.0;
}

cairo_surface_t *st_rp_diff_map(const st_rp_model *m, int latest, double *range)
{
    if (latest < 0)
        return NULL;
    cairo_surface_t *a = st_rp_load_image(m, m->sessions[m->baseline].images[ST_IMG_ALIGNED]);
    cairo_surface_t *b = st_rp_load_image(m, m->sessions[latest].images[ST_IMG_ALIGNED]);
    cairo_surface_t *out = NULL;
    float *d = NULL, *tmp = NULL;
    int w = a ? cairo_image_surface_get_width(a) : 0, h = a ? cairo_image_surface_get_height(a) : 0;
    if (!a || !b || w != cairo_image_surface_get_width(b) || h != cairo_image_surface_get_height(b) ||
        !(d = malloc((size_t)w * (size_t)h * sizeof *d)) ||
        !(tmp = malloc((size_t)(w > h ? w : h) * sizeof *tmp)))
        goto done;
    /* Both decoders give RGB24/ARGB32 native words: 0x00RRGGBB. */
    cairo_surface_flush(a);
    cairo_surface_flush(b);
    size_t hist[1001] = {0};
    for (int y = 0; y < h; y++) {
        const uint32_t *ra = (const uint32_t *)(cairo_image_surface_get_data(a) +
                                                (size_t)y * (size_t)cairo_image_surface_get_stride(a));
        const uint32_t *rb = (const uint32_t *)(cairo_image_surface_get_data(b) +
                                                (size_t)y * (size_t)cairo_image_surface_get_stride(b));
        for (int x = 0; x < w; x++) {
            d[(size_t)y * (size_t)w + (size_t)x] = (float)(luma(rb[x]) - luma(ra[x]));
        }
    }
    box_blur(d, w, h, (w > h ? w : h) / 300 + 1, tmp);
    for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
        hist[(int)lround(fmin(fabs(d[i]), 1.0) * 1000)]++;
    size_t want = (size_t)((double)w * h * 0.99), acc = 0;
    int q = 0;
    while (q < 1000 && (acc += hist[q]) < want)
        q++;
    *range = fmax(q / 1000.0, 0.02);
    out = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(out) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(out);
        out = NULL;
        goto done;
    }
    cairo_surface_flush(out);
    for (int y = 0; y < h; y++) {
        uint32_t *ro = (uint32_t *)(cairo_image_surface_get_data(out) +
                                    (size_t)y * (size_t)cairo_image_surface_get_stride(out));
        for (int x = 0; x < w; x++)
            ro[x] = st_rp_diff_colour(d[(size_t)y * (size_t)w + (size_t)x] / *range);
    }
    cairo_surface_mark_dirty(out);
done:
    free(d);
    free(tmp);
    if (a)
        cairo_surface_destroy(a);
    if (b)
        cairo_surface_destroy(b);
    return out;
}
