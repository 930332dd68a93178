#include "metrics/plane.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/blocks.h"

/* Per-block sums for the normal equations: n, Σx, Σy, Σxx, Σxy, Σyy, Σz, Σxz, Σyz. */
#define NSUM 9

typedef struct fit_ctx {
    const float *z;
    size_t stride;
    int w, h;
    const unsigned char *mask;
    size_t mstride;
    double *part; /* blocks x NSUM */
} fit_ctx;

/* Row sums n, Σx, Σx², Σz, Σx·z in centred x. */
static void row_sums(const float *row, const unsigned char *m, int w, double xc, double r[5])
{
    if (!m) {
        /* No mask: n, Σx, Σx² of a full row are known; four partial sums
         * (added in a fixed order) break the dependency chain. */
        double a[4] = {0}, b[4] = {0};
        int x = 0;
        for (; x + 4 <= w; x += 4)
            for (int k = 0; k < 4; k++) {
                double v = row[x + k];
                a[k] += v;
                b[k] += (x + k - xc) * v;
            }
        for (; x < w; x++) {
            a[0] += row[x];
            b[0] += (x - xc) * row[x];
        }
        r[0] = w;
        r[1] = 0;
        r[2] = (double)w * ((double)w * w - 1) / 12.0;
        r[3] = (a[0] + a[1]) + (a[2] + a[3]);
        r[4] = (b[0] + b[1]) + (b[2] + b[3]);
        return;
    }
    double n = 0, sx = 0, sxx = 0, sz = 0, sxz = 0;
    for (int x = 0; x < w; x++) {
        if (!m[x])
            continue;
        double xx = x - xc, v = row[x];
        n += 1;
        sx += xx;
        sxx += xx * xx;
        sz += v;
        sxz += xx * v;
    }
    r[0] = n;
    r[1] = sx;
    r[2] = sxx;
    r[3] = sz;
    r[4] = sxz;
}

static void fit_block(void *arg, int b, int y0, int y1)
{
    const fit_ctx *c = arg;
    double s[NSUM] = {0};
    double xc = 0.5 * (c->w - 1), yc = 0.5 * (c->h - 1);
    for (int y = y0; y < y1; y++) {
        const float *row = c->z + (size_t)y * c->stride;
        const unsigned char *m = c->mask ? c->mask + (size_t)y * c->mstride : NULL;
        double yy = y - yc, r[5];
        row_sums(row, m, c->w, xc, r);
        s[0] += r[0];
        s[1] += r[1];
        s[2] += r[0] * yy;
        s[3] += r[2];
        s[4] += r[1] * yy;
        s[5] += r[0] * yy * yy;
        s[6] += r[3];
        s[7] += r[4];
        s[8] += r[3] * yy;
    }
    memcpy(c->part + (size_t)b * NSUM, s, sizeof s);
}

/* 3x3 solve by Cramer's rule; returns 0 if singular. */
static int solve3(const double a[3][3], const double r[3], double out[3])
{
    double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
                 a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
                 a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    double scale = fabs(a[0][0] * a[1][1] * a[2][2]);
    if (!(fabs(det) > 1e-12 * scale) || scale == 0)
        return 0;
    for (int k = 0; k < 3; k++) {
        double m[3][3];
        memcpy(m, a, sizeof m);
        for (int i = 0; i < 3; i++)
            m[i][k] = r[i];
        out[k] = (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                  m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                  m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])) / det;
    }
    return 1;
}

size_t st_plane_fit(const float *z, size_t stride, int w, int h, const unsigned char *mask,
                    size_t mstride, int threads, double c[3])
{
    c[0] = c[1] = c[2] = 0;
    int nb = st_block_count(h);
    double *part = calloc((size_t)nb * NSUM, sizeof *part);
    double s[NSUM] = {0};
    if (part) {
        fit_ctx ctx = {z, stride, w, h, mask, mstride, part};
        st_run_blocks(threads, h, fit_block, &ctx);
        for (int b = 0; b < nb; b++)
            for (int k = 0; k < NSUM; k++)
                s[k] += part[(size_t)b * NSUM + k];
        free(part);
    } else {
        fit_ctx ctx = {z, stride, w, h, mask, mstride, s};
        for (int b = 0; b < nb; b++) { /* no memory for partials: one block at a time */
            double one[NSUM];
            ctx.part = one;
            int y0 = b * ST_BLOCK_ROWS, y1 = y0 + ST_BLOCK_ROWS < h ? y0 + ST_BLOCK_ROWS : h;
            fit_block(&ctx, 0, y0, y1);
            for (int k = 0; k < NSUM; k++)
                s[k] += one[k];
        }
    }
    if (s[0] < 1)
        return 0;
    const double a[3][3] = {{s[0], s[1], s[2]}, {s[1], s[3], s[4]}, {s[2], s[4], s[5]}};
    const double r[3] = {s[6], s[7], s[8]};
    if (!solve3(a, r, c)) {
        c[0] = s[6] / s[0];
        c[1] = c[2] = 0;
    }
    return (size_t)s[0];
}

typedef struct sub_ctx {
    const float *src;
    size_t sstride;
    float *dst;
    size_t dstride;
    int w, h;
    const unsigned char *mask;
    size_t mstride;
    const double *c;
} sub_ctx;

static void sub_block(void *arg, int b, int y0, int y1)
{
    (void)b;
    const sub_ctx *s = arg;
    double xc = 0.5 * (s->w - 1), yc = 0.5 * (s->h - 1);
    for (int y = y0; y < y1; y++) {
        const float *in = s->src + (size_t)y * s->sstride;
        float *out = s->dst + (size_t)y * s->dstride;
        const unsigned char *m = s->mask ? s->mask + (size_t)y * s->mstride : NULL;
        double base = s->c[0] + s->c[2] * (y - yc);
        for (int x = 0; x < s->w; x++) {
            double v = in[x] - (base + s->c[1] * (x - xc));
            out[x] = (m && !m[x]) ? 0.0f : (float)v;
        }
    }
}

void st_plane_subtract(const float *src, size_t sstride, float *dst, size_t dstride, int w,
                       int h, const unsigned char *mask, size_t mstride, const double c[3],
                       int threads)
{
    sub_ctx ctx = {src, sstride, dst, dstride, w, h, mask, mstride, c};
    st_run_blocks(threads, h, sub_block, &ctx);
}
