#include "metrics/hybrid_params.h"

#include <math.h>
#include <stdlib.h>

#include "metrics/blocks.h"

typedef struct hy_ctx {
    const float *z;
    size_t stride;
    int w, h;
    const unsigned char *mask;
    size_t mstride;
    double inv2dx;
    double *part; /* blocks x 3: n, Σ|g|², Σ(sqrt(1+|g|²)−1) */
} hy_ctx;

static int inside(const hy_ctx *c, int x, int y)
{
    return !c->mask || (c->mask[(size_t)y * c->mstride + x] && c->mask[(size_t)y * c->mstride + x - 1] &&
                        c->mask[(size_t)y * c->mstride + x + 1] &&
                        c->mask[(size_t)(y - 1) * c->mstride + x] &&
                        c->mask[(size_t)(y + 1) * c->mstride + x]);
}

enum { CHUNK = 256 };

/* |grad|² of pixels 1..w-2 of an unmasked row, CHUNK at a time: the
 * gradients in a loop the compiler vectorises, then the sums in the order
 * of a single loop (a loop holding sqrt() is not vectorised: it may set
 * errno). */
static void row_sums(const float *restrict up, const float *restrict row,
                     const float *restrict dn, int w, double inv2dx, double *g2, double *dr)
{
    double q[CHUNK], rg2 = 0, rdr = 0;
    for (int xa = 1; xa < w - 1; xa += CHUNK) {
        int n = xa + CHUNK < w - 1 ? CHUNK : w - 1 - xa;
        const float *u = up + xa, *r = row + xa, *d = dn + xa;
        for (int i = 0; i < n; i++) {
            double gx = ((double)r[i + 1] - r[i - 1]) * inv2dx;
            double gy = ((double)d[i] - u[i]) * inv2dx;
            q[i] = gx * gx + gy * gy;
        }
        for (int i = 0; i < n; i++) {
            rg2 += q[i];
            rdr += q[i] / (sqrt(1.0 + q[i]) + 1.0);
        }
    }
    *g2 += rg2;
    *dr += rdr;
}

static void hy_block(void *arg, int b, int y0, int y1)
{
    const hy_ctx *c = arg;
    double n = 0, g2 = 0, dr = 0;
    if (y0 < 1)
        y0 = 1;
    if (y1 > c->h - 1)
        y1 = c->h - 1;
    for (int y = y0; y < y1; y++) {
        const float *up = c->z + (size_t)(y - 1) * c->stride;
        const float *row = c->z + (size_t)y * c->stride;
        const float *dn = c->z + (size_t)(y + 1) * c->stride;
        if (!c->mask) {
            row_sums(up, row, dn, c->w, c->inv2dx, &g2, &dr);
            n += c->w - 2;
            continue;
        }
        for (int x = 1; x < c->w - 1; x++) {
            if (!inside(c, x, y))
                continue;
            double gx = ((double)row[x + 1] - row[x - 1]) * c->inv2dx;
            double gy = ((double)dn[x] - up[x]) * c->inv2dx;
            double q = gx * gx + gy * gy;
            n += 1;
            g2 += q;
            /* sqrt(1+q) − 1 written so that small slopes keep their digits */
            dr += q / (sqrt(1.0 + q) + 1.0);
        }
    }
    double *p = c->part + (size_t)b * 3;
    p[0] = n;
    p[1] = g2;
    p[2] = dr;
}

int st_hybrid_params(const float *z, size_t stride, int w, int h, const unsigned char *mask,
                     size_t mstride, double dx, int threads, double *sdq, double *sdr)
{
    if (w < 3 || h < 3 || !(dx > 0))
        return -1;
    int nb = st_block_count(h);
    double *part = calloc((size_t)nb * 3, sizeof *part);
    if (!part)
        return -1;
    hy_ctx c = {z, stride, w, h, mask, mstride, 0.5 / dx, part};
    st_run_blocks(threads, h, hy_block, &c);
    double n = 0, g2 = 0, dr = 0;
    for (int b = 0; b < nb; b++) {
        n += part[b * 3];
        g2 += part[b * 3 + 1];
        dr += part[b * 3 + 2];
    }
    free(part);
    if (n < 1)
        return -1;
    *sdq = sqrt(g2 / n);
    *sdr = 100.0 * dr / n;
    return 0;
}
