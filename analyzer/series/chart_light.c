/* How much more light the colour chart got than the measured skin.
 *
 * The chart's correction maps the chart's patches to their published values,
 * so it is exact for light as strong as on the chart. A lamp to one side,
 * vignetting or a chart held nearer the lamp light the skin of the patch
 * differently: after the correction the skin reads too dark or too bright by
 * E(patch) / E(chart), which shifts the melanin index (100 log10 1/R) by
 * 100 log10 of that ratio (4 units for 10 %).
 *
 * The light field of one photo can only be guessed from its skin's
 * luminance, whose own unevenness (tone, spots) is of the same few percent
 * as the light's. Between two registered photos of the same skin that
 * unevenness cancels: the ratio of a session's luminance to the baseline's
 * at the same skin is the change of the light (times an even change of the
 * skin, which cancels between chart and patch). So the baseline's ratio
 * E(chart) / E(patch) is estimated once from its own luminance, and each
 * session's from the baseline's times the change of light between its chart
 * and its patch. Fields are wide low-passes (a tenth of the frame's larger
 * side, as the flattening's) on a coarse grid, the chart's cells left out
 * and filled from around (normalised convolution), then extended past the
 * frame's edges by point reflection, so a linear ramp of light stays exact
 * up to the edge where charts usually lie. */
#include "series/chart_light.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "register/flatten.h"
#include "register/register.h"
#include "series/roi.h"
#include "simd/kernels.h"

#define GRID_CELLS 96 /* cells along the larger side */

/* Sample i of a row of n: point reflection past the ends (point = 1) or
 * clamped (weights must stay positive). */
static double sample(const double *row, size_t stride, int n, int i, int point)
{
    if (i >= 0 && i < n)
        return row[(size_t)i * stride];
    if (!point)
        return row[(size_t)(i < 0 ? 0 : n - 1) * stride];
    if (i < 0)
        return 2 * row[0] - row[(size_t)(-i < n ? -i : n - 1) * stride];
    int j = 2 * (n - 1) - i;
    return 2 * row[(size_t)(n - 1) * stride] - row[(size_t)(j >= 0 ? j : 0) * stride];
}

/* In-place separable Gaussian (normalised kernel) of a gw x gh grid. */
static int blur_grid(double *g, int gw, int gh, double sigma, int point)
{
    int r = (int)ceil(3 * sigma);
    double *k = malloc((size_t)(2 * r + 1) * sizeof *k);
    double *tmp = malloc((size_t)gw * gh * sizeof *tmp);
    if (!k || !tmp) {
        free(k);
        free(tmp);
        return -1;
    }
    double ks = 0;
    for (int i = -r; i <= r; i++)
        ks += k[i + r] = exp(-0.5 * i * i / (sigma * sigma));
    for (int i = 0; i <= 2 * r; i++)
        k[i] /= ks;
    for (int y = 0; y < gh; y++)
        for (int x = 0; x < gw; x++) {
            double s = 0;
            for (int i = -r; i <= r; i++)
                s += k[i + r] * sample(g + (size_t)y * gw, 1, gw, x + i, point);
            tmp[(size_t)y * gw + x] = s;
        }
    for (int y = 0; y < gh; y++)
        for (int x = 0; x < gw; x++) {
            double s = 0;
            for (int i = -r; i <= r; i++)
                s += k[i + r] * sample(tmp + x, (size_t)gw, gh, y + i, point);
            g[(size_t)y * gw + x] = s;
        }
    free(k);
    free(tmp);
    return 0;
}

static void quad_centre(const double q[8], double *cx, double *cy)
{
    *cx = *cy = 0;
    for (int k = 0; k < 4; k++) {
        *cx += 0.25 * q[2 * k];
        *cy += 0.25 * q[2 * k + 1];
    }
}

int st_light_grid_new(const st_image *img, const double quad[8], double margin, st_light_grid *out,
                      st_err *err)
{
    memset(out, 0, sizeof *out);
    int side = img->width > img->height ? img->width : img->height;
    int b = (side + GRID_CELLS - 1) / GRID_CELLS;
    int gw = (img->width + b - 1) / b, gh = (img->height + b - 1) / b;
    double *sum = calloc((size_t)gw * gh, sizeof *sum), *cnt = calloc((size_t)gw * gh, sizeof *cnt);
    float *lin = malloc(3 * (size_t)img->width * sizeof *lin);
    st_quad chart;
    if (quad)
        st_quad_prepare(&chart, quad, margin);
    if (!sum || !cnt || !lin) {
        free(sum);
        free(cnt);
        free(lin);
        return st_err_set(err, ST_ENOMEM, "chart light: out of memory");
    }
    for (int y = 0; y < img->height; y++) {
        const float *p[3];
        for (int k = 0; k < 3; k++) {
            p[k] = st_image_row(img, k, y);
            st_srgb_to_linear(p[k], lin + (size_t)k * img->width, (size_t)img->width);
        }
        const float *r = lin, *g = lin + img->width, *bl = lin + 2 * (size_t)img->width;
        /* cell by cell along the row: no division per pixel */
        size_t c = (size_t)(y / b) * gw;
        for (int x0 = 0; x0 < img->width; x0 += b, c++)
            for (int x = x0, x1 = x0 + b < img->width ? x0 + b : img->width; x < x1; x++) {
                /* clipped pixels say nothing of the light */
                if (p[0][x] >= 0.99f || p[1][x] >= 0.99f || p[2][x] >= 0.99f ||
                    (quad && st_quad_inside(&chart, x, y)))
                    continue;
                sum[c] += 0.2126 * r[x] + 0.7152 * g[x] + 0.0722 * bl[x];
                cnt[c] += 1.0;
            }
    }
    free(lin);
    /* a cell is seen when at least half its pixels were measured skin */
    for (size_t c = 0; c < (size_t)gw * gh; c++) {
        int seen = cnt[c] >= 0.5 * b * b;
        sum[c] = seen ? sum[c] / cnt[c] : 0.0;
        cnt[c] = seen;
    }
    out->mean = sum;
    out->seen = cnt;
    out->gw = gw;
    out->gh = gh;
    out->cell = b;
    out->sigma = st_flatten_default_sigma(img->width, img->height) / b;
    return ST_OK;
}

void st_light_grid_free(st_light_grid *g)
{
    free(g->mean);
    free(g->seen);
    memset(g, 0, sizeof *g);
}

/* Bilinear sample of a gw x gh field at photo pixel (x, y) (cell centres at
 * (i + 0.5) cell - 0.5), clamped to the grid. */
static double field_at(const double *f, int gw, int gh, int cell, double x, double y)
{
    double gx = (x + 0.5) / cell - 0.5, gy = (y + 0.5) / cell - 0.5;
    gx = gx < 0 ? 0 : gx > gw - 1 ? gw - 1 : gx;
    gy = gy < 0 ? 0 : gy > gh - 1 ? gh - 1 : gy;
    int x0 = (int)gx, y0 = (int)gy;
    int x1 = x0 + 1 < gw ? x0 + 1 : x0, y1 = y0 + 1 < gh ? y0 + 1 : y0;
    double tx = gx - x0, ty = gy - y0;
    double top = f[(size_t)y0 * gw + x0] * (1 - tx) + f[(size_t)y0 * gw + x1] * tx;
    double bot = f[(size_t)y1 * gw + x0] * (1 - tx) + f[(size_t)y1 * gw + x1] * tx;
    return top * (1 - ty) + bot * ty;
}

/* values (seen where seen != 0) -> a smooth field over the whole grid: the
 * unseen cells filled by normalised convolution, then the wide low-pass. */
static int smooth_field(double *values, const double *seen, int gw, int gh, double sigma)
{
    size_t n = (size_t)gw * gh;
    double *num = malloc(n * sizeof *num), *den = malloc(n * sizeof *den);
    int rc = num && den ? 0 : -1;
    if (!rc) {
        for (size_t c = 0; c < n; c++) {
            num[c] = seen[c] ? values[c] : 0.0;
            den[c] = seen[c] ? 1.0 : 0.0;
        }
        rc = blur_grid(num, gw, gh, sigma, 0) || blur_grid(den, gw, gh, sigma, 0);
    }
    if (!rc) {
        for (size_t c = 0; c < n; c++)
            if (!seen[c])
                values[c] = den[c] > 1e-9 ? num[c] / den[c] : 1.0;
        rc = blur_grid(values, gw, gh, sigma, 1);
    }
    free(num);
    free(den);
    return rc;
}

/* The field's grid from g, and its value at the chart's centre. */
static void finish(st_chart_light *out, const st_light_grid *g, const double quad[8])
{
    out->gw = g->gw;
    out->gh = g->gh;
    out->cell = g->cell;
    out->scale = 1.0;
    double cx, cy;
    quad_centre(quad, &cx, &cy);
    out->at_chart = field_at(out->field, out->gw, out->gh, out->cell, cx, cy);
}

int st_chart_light_new(const st_light_grid *g, const double quad[8], st_chart_light *out, st_err *err)
{
    memset(out, 0, sizeof *out);
    size_t n = (size_t)g->gw * g->gh;
    out->field = malloc(n * sizeof *out->field);
    if (!out->field || (memcpy(out->field, g->mean, n * sizeof *out->field),
                        smooth_field(out->field, g->seen, g->gw, g->gh, g->sigma))) {
        st_chart_light_free(out);
        return st_err_set(err, ST_ENOMEM, "chart light: out of memory");
    }
    finish(out, g, quad);
    return ST_OK;
}

int st_chart_light_relative(const st_light_grid *base, const st_light_grid *sess, const double m_sb[9],
                            const double quad[8], st_chart_light *out, st_err *err)
{
    memset(out, 0, sizeof *out);
    size_t n = (size_t)sess->gw * sess->gh;
    out->field = malloc(n * sizeof *out->field);
    double *seen = calloc(n, sizeof *seen);
    int rc = out->field && seen ? 0 : -1;
    for (int y = 0; !rc && y < sess->gh; y++)
        for (int x = 0; x < sess->gw; x++) {
            size_t c = (size_t)y * sess->gw + x;
            out->field[c] = 1.0;
            if (!sess->seen[c])
                continue;
            /* the same skin in the baseline */
            double bx, by;
            st_mat3_apply(m_sb, (x + 0.5) * sess->cell - 0.5, (y + 0.5) * sess->cell - 0.5, &bx, &by);
            if (!isfinite(bx) || !isfinite(by))
                continue;
            int bi = (int)floor((bx + 0.5) / base->cell), bj = (int)floor((by + 0.5) / base->cell);
            if (bi < 0 || bj < 0 || bi >= base->gw || bj >= base->gh || !base->seen[(size_t)bj * base->gw + bi])
                continue;
            double lb = base->mean[(size_t)bj * base->gw + bi]; /* nearest: unseen cells hold 0 */
            if (lb <= 0)
                continue;
            out->field[c] = sess->mean[c] / lb;
            seen[c] = 1.0;
        }
    if (!rc)
        rc = smooth_field(out->field, seen, sess->gw, sess->gh, sess->sigma);
    free(seen);
    if (rc) {
        st_chart_light_free(out);
        return st_err_set(err, ST_ENOMEM, "chart light: out of memory");
    }
    finish(out, sess, quad);
    return ST_OK;
}

double st_chart_light_patch_ratio(const st_chart_light *l, const double m_sb[9], const int box[4],
                                  const unsigned char *mask)
{
    if (!l->field)
        return 1.0;
    double inv[9];
    if (!st_mat3_inverse(m_sb, inv)) /* baseline -> session */
        return l->scale;
    int step = l->cell > 1 ? l->cell / 2 : 1;
    double sum = 0;
    size_t n = 0;
    for (int y = 0; y < box[3]; y += step)
        for (int x = 0; x < box[2]; x += step) {
            if (!mask[(size_t)y * box[2] + x])
                continue;
            double sx, sy;
            st_mat3_apply(inv, x + box[0], y + box[1], &sx, &sy);
            if (!isfinite(sx) || !isfinite(sy))
                continue;
            sum += field_at(l->field, l->gw, l->gh, l->cell, sx, sy);
            n++;
        }
    if (!n || sum <= 0 || l->at_chart <= 0)
        return l->scale;
    return l->scale * l->at_chart / (sum / (double)n);
}

void st_chart_light_free(st_chart_light *l)
{
    free(l->field);
    memset(l, 0, sizeof *l);
}
