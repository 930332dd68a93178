#include "metrics/height_params.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/blocks.h"

enum { P_N, P_SUM, P_MIN, P_MAX, P_ABS, P_M2, P_M3, P_M4, P_COUNT };

typedef struct hp_ctx {
    const float *z;
    size_t stride;
    int w;
    const unsigned char *mask;
    size_t mstride;
    double mean; /* second pass only */
    double *part;
} hp_ctx;

static void pass_mean(void *arg, int b, int y0, int y1)
{
    const hp_ctx *c = arg;
    double n = 0, sum = 0, lo = DBL_MAX, hi = -DBL_MAX;
    for (int y = y0; y < y1; y++) {
        const float *row = c->z + (size_t)y * c->stride;
        const unsigned char *m = c->mask ? c->mask + (size_t)y * c->mstride : NULL;
        double rs = 0;
        for (int x = 0; x < c->w; x++) {
            if (m && !m[x])
                continue;
            float v = row[x];
            n += 1;
            rs += v;
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        sum += rs;
    }
    double *p = c->part + (size_t)b * P_COUNT;
    p[P_N] = n;
    p[P_SUM] = sum;
    p[P_MIN] = lo;
    p[P_MAX] = hi;
}

static void pass_moments(void *arg, int b, int y0, int y1)
{
    const hp_ctx *c = arg;
    double sa = 0, m2 = 0, m3 = 0, m4 = 0;
    for (int y = y0; y < y1; y++) {
        const float *row = c->z + (size_t)y * c->stride;
        const unsigned char *m = c->mask ? c->mask + (size_t)y * c->mstride : NULL;
        for (int x = 0; x < c->w; x++) {
            if (m && !m[x])
                continue;
            double d = row[x] - c->mean, d2 = d * d;
            sa += fabs(d);
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
    }
    double *p = c->part + (size_t)b * P_COUNT;
    p[P_ABS] = sa;
    p[P_M2] = m2;
    p[P_M3] = m3;
    p[P_M4] = m4;
}

int st_height_params(const float *z, size_t stride, int w, int h, const unsigned char *mask,
                     size_t mstride, int threads, st_height_stats *out)
{
    memset(out, 0, sizeof *out);
    int nb = st_block_count(h);
    double *part = calloc((size_t)nb * P_COUNT, sizeof *part);
    if (!part)
        return -1;
    hp_ctx c = {z, stride, w, mask, mstride, 0, part};
    st_run_blocks(threads, h, pass_mean, &c);
    double n = 0, sum = 0, lo = DBL_MAX, hi = -DBL_MAX;
    for (int b = 0; b < nb; b++) {
        const double *p = part + (size_t)b * P_COUNT;
        n += p[P_N];
        sum += p[P_SUM];
        if (p[P_N] > 0) {
            lo = p[P_MIN] < lo ? p[P_MIN] : lo;
            hi = p[P_MAX] > hi ? p[P_MAX] : hi;
        }
    }
    if (n < 1) {
        free(part);
        return -1;
    }
    c.mean = sum / n;
    st_run_blocks(threads, h, pass_moments, &c);
    double sa = 0, m2 = 0, m3 = 0, m4 = 0;
    for (int b = 0; b < nb; b++) {
        const double *p = part + (size_t)b * P_COUNT;
        sa += p[P_ABS];
        m2 += p[P_M2];
        m3 += p[P_M3];
        m4 += p[P_M4];
    }
    free(part);
    out->n = (size_t)n;
    out->sa = sa / n;
    out->sq = sqrt(m2 / n);
    double s2 = m2 / n;
    out->ssk = s2 > 0 ? (m3 / n) / (s2 * sqrt(s2)) : NAN;
    out->sku = s2 > 0 ? (m4 / n) / (s2 * s2) : NAN;
    out->sp = hi - c.mean;
    out->sv = c.mean - lo;
    out->sz = out->sp + out->sv;
    return 0;
}
