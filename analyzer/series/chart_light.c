/* How much more light the colour chart got than the measured skin.
 *
 * The chart's correction maps the chart's patches to their published values,
 * so it is exact for light as strong as on the chart. A lamp to one side,
 * vignetting or a chart held nearer the lamp light the skin of the patch
 * differently: after the correction the skin reads too dark or too bright by
 * E(patch) / E(chart), which shifts the melanin index (100 log10 1/R) by
 * 100 log10 of that ratio (4 units for 10 %). The light field E is taken as
 * the wide low-pass of the photo's linear luminance with the chart left out
 * (normalised convolution: blur(Y w) / blur(w), the chart's weight 0), the
 * same width as the flattening's (a tenth of the frame's larger side), on a
 * coarse grid; the correction is then scaled by E(chart) / mean E(patch). */
#include "series/chart_light.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "register/flatten.h"
#include "simd/kernels.h"

#define GRID_CELLS 96 /* cells along the larger side */

/* In-place separable Gaussian of a gw x gh grid (edges clamped). */
static int blur_grid(double *g, int gw, int gh, double sigma)
{
    int r = (int)ceil(3 * sigma);
    double *k = malloc((size_t)(2 * r + 1) * sizeof *k);
    double *tmp = malloc((size_t)gw * gh * sizeof *tmp);
    if (!k || !tmp) {
        free(k);
        free(tmp);
        return -1;
    }
    for (int i = -r; i <= r; i++)
        k[i + r] = exp(-0.5 * i * i / (sigma * sigma));
    for (int y = 0; y < gh; y++)
        for (int x = 0; x < gw; x++) {
            double s = 0;
            for (int i = -r; i <= r; i++) {
                int xx = x + i < 0 ? 0 : x + i >= gw ? gw - 1 : x + i;
                s += k[i + r] * g[(size_t)y * gw + xx];
            }
            tmp[(size_t)y * gw + x] = s;
        }
    for (int y = 0; y < gh; y++)
        for (int x = 0; x < gw; x++) {
            double s = 0;
            for (int i = -r; i <= r; i++) {
                int yy = y + i < 0 ? 0 : y + i >= gh ? gh - 1 : y + i;
                s += k[i + r] * tmp[(size_t)yy * gw + x];
            }
            g[(size_t)y * gw + x] = s;
        }
    free(k);
    free(tmp);
    return 0;
}

static int inside_quad(const double q[8], double margin, double x, double y)
{
    double area = 0;
    for (int k = 0; k < 4; k++) {
        int j = (k + 1) % 4;
        area += q[2 * k] * q[2 * j + 1] - q[2 * j] * q[2 * k + 1];
    }
    double sign = area > 0 ? 1.0 : -1.0;
    for (int k = 0; k < 4; k++) {
        int j = (k + 1) % 4;
        double ex = q[2 * j] - q[2 * k], ey = q[2 * j + 1] - q[2 * k + 1], len = hypot(ex, ey);
        if (len > 0 && sign * (ex * (y - q[2 * k + 1]) - ey * (x - q[2 * k])) / len < -margin)
            return 0;
    }
    return 1;
}

int st_chart_light_new(const st_image *img, const double quad[8], double margin, st_chart_light *out,
                       st_err *err)
{
    memset(out, 0, sizeof *out);
    int side = img->width > img->height ? img->width : img->height;
    int b = (side + GRID_CELLS - 1) / GRID_CELLS;
    int gw = (img->width + b - 1) / b, gh = (img->height + b - 1) / b;
    double *yw = calloc((size_t)gw * gh, sizeof *yw), *w = calloc((size_t)gw * gh, sizeof *w);
    if (!yw || !w) {
        free(yw);
        free(w);
        return st_err_set(err, ST_ENOMEM, "chart light: out of memory");
    }
    float *lin = malloc(3 * (size_t)img->width * sizeof *lin);
    if (!lin) {
        free(yw);
        free(w);
        return st_err_set(err, ST_ENOMEM, "chart light: out of memory");
    }
    for (int y = 0; y < img->height; y++) {
        const float *p[3];
        for (int k = 0; k < 3; k++) {
            p[k] = st_image_row(img, k, y);
            st_srgb_to_linear(p[k], lin + (size_t)k * img->width, (size_t)img->width);
        }
        const float *r = lin, *g = lin + img->width, *bl = lin + 2 * (size_t)img->width;
        for (int x = 0; x < img->width; x++) {
            /* clipped pixels say nothing of the light */
            if (p[0][x] >= 0.99f || p[1][x] >= 0.99f || p[2][x] >= 0.99f || inside_quad(quad, margin, x, y))
                continue;
            size_t c = (size_t)(y / b) * gw + (size_t)(x / b);
            yw[c] += 0.2126 * r[x] + 0.7152 * g[x] + 0.0722 * bl[x];
            w[c] += 1.0;
        }
    }
    free(lin);
    double sigma = st_flatten_default_sigma(img->width, img->height) / b;
    if (blur_grid(yw, gw, gh, sigma) || blur_grid(w, gw, gh, sigma)) {
        free(yw);
        free(w);
        return st_err_set(err, ST_ENOMEM, "chart light: out of memory");
    }
    for (size_t c = 0; c < (size_t)gw * gh; c++)
        yw[c] = w[c] > 1e-9 ? yw[c] / w[c] : 0.0;
    free(w);
    out->field = yw;
    out->gw = gw;
    out->gh = gh;
    out->cell = b;
    double cx = 0, cy = 0;
    for (int k = 0; k < 4; k++) {
        cx += 0.25 * quad[2 * k];
        cy += 0.25 * quad[2 * k + 1];
    }
    out->at_chart = st_chart_light_at(out, cx, cy);
    return ST_OK;
}

double st_chart_light_at(const st_chart_light *l, double x, double y)
{
    /* cell centres at (i + 0.5) b - 0.5 in pixels; bilinear, clamped */
    double gx = (x + 0.5) / l->cell - 0.5, gy = (y + 0.5) / l->cell - 0.5;
    gx = gx < 0 ? 0 : gx > l->gw - 1 ? l->gw - 1 : gx;
    gy = gy < 0 ? 0 : gy > l->gh - 1 ? l->gh - 1 : gy;
    int x0 = (int)gx, y0 = (int)gy;
    int x1 = x0 + 1 < l->gw ? x0 + 1 : x0, y1 = y0 + 1 < l->gh ? y0 + 1 : y0;
    double tx = gx - x0, ty = gy - y0;
    const double *f = l->field;
    double top = f[(size_t)y0 * l->gw + x0] * (1 - tx) + f[(size_t)y0 * l->gw + x1] * tx;
    double bot = f[(size_t)y1 * l->gw + x0] * (1 - tx) + f[(size_t)y1 * l->gw + x1] * tx;
    return top * (1 - ty) + bot * ty;
}

double st_chart_light_patch_ratio(const st_chart_light *l, const double m_sb[9], const int box[4],
                                  const unsigned char *mask)
{
    /* baseline -> session by the adjugate of the session -> baseline matrix */
    const double *a = m_sb;
    double inv[9] = {a[4] * a[8] - a[5] * a[7], a[2] * a[7] - a[1] * a[8], a[1] * a[5] - a[2] * a[4],
                     a[5] * a[6] - a[3] * a[8], a[0] * a[8] - a[2] * a[6], a[2] * a[3] - a[0] * a[5],
                     a[3] * a[7] - a[4] * a[6], a[1] * a[6] - a[0] * a[7], a[0] * a[4] - a[1] * a[3]};
    int step = l->cell > 1 ? l->cell / 2 : 1;
    double sum = 0;
    size_t n = 0;
    for (int y = 0; y < box[3]; y += step)
        for (int x = 0; x < box[2]; x += step) {
            if (!mask[(size_t)y * box[2] + x])
                continue;
            double bx = x + box[0], by = y + box[1];
            double z = inv[6] * bx + inv[7] * by + inv[8];
            if (fabs(z) < 1e-12)
                continue;
            sum += st_chart_light_at(l, (inv[0] * bx + inv[1] * by + inv[2]) / z,
                                     (inv[3] * bx + inv[4] * by + inv[5]) / z);
            n++;
        }
    if (!n || sum <= 0 || l->at_chart <= 0)
        return 1.0;
    return l->at_chart / (sum / (double)n);
}

void st_chart_light_free(st_chart_light *l)
{
    free(l->field);
    memset(l, 0, sizeof *l);
}
