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

/* Sum, min and max of an unmasked row: four interleaved partial sums (a
 * fixed order, so every thread count gives the same bits) that the
 * compiler keeps in vector registers. */
static double row_sum_minmax(const float *row, int w, float *lo, float *hi)
{
    double a[4] = {0, 0, 0, 0};
    float mn = *lo, mx = *hi;
    int x = 0;
    for (; x + 4 <= w; x += 4)
        for (int k = 0; k < 4; k++) {
            float v = row[x + k];
            a[k] += v;
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
        }
    double t = 0;
    for (; x < w; x++) {
        t += row[x];
        mn = row[x] < mn ? row[x] : mn;
        mx = row[x] > mx ? row[x] : mx;
    }
    *lo = mn;
    *hi = mx;
    return ((a[0] + a[1]) + (a[2] + a[3])) + t;
}

static void pass_mean(void *arg, int b, int y0, int y1)
{
    const hp_ctx *c = arg;
    double n = 0, sum = 0, lo = DBL_MAX, hi = -DBL_MAX;
    float flo = FLT_MAX, fhi = -FLT_MAX;
    for (int y = y0; y < y1; y++) {
        const float *row = c->z + (size_t)y * c->stride;
        const unsigned char *m = c->mask ? c->mask + (size_t)y * c->mstride : NULL;
        if (!m) {
            sum += row_sum_minmax(row, c->w, &flo, &fhi);
            n += c->w;
            continue;
        }
        double rs = 0;
        for (int x = 0; x < c->w; x++) {
            if (!m[x])
                continue;
            float v = row[x];
            n += 1;
            rs += v;
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        sum += rs;
    }
    if (flo <= fhi) { /* unmasked rows seen */
        lo = flo < lo ? flo : lo;
        hi = fhi > hi ? fhi : hi;
    }
    double *p = c->part + (size_t)b * P_COUNT;
    p[P_N] = n;
    p[P_SUM] = sum;
    p[P_MIN] = lo;
    p[P_MAX] = hi;
}

/* Σ|d|, Σd², Σd³, Σd⁴ of an unmasked row (d = z − mean), four interleaved
 * partial sums each, added in a fixed order. */
static void row_moments(const float *row, int w, double mean, double acc[4])
{
    double sa[4] = {0, 0, 0, 0}, s2[4] = {0, 0, 0, 0}, s3[4] = {0, 0, 0, 0}, s4[4] = {0, 0, 0, 0};
    int x = 0;
    for (; x + 4 <= w; x += 4)
        for (int k = 0; k < 4; k++) {
            double d = row[x + k] - mean, d2 = d * d;
            sa[k] += fabs(d);
            s2[k] += d2;
            s3[k] += d2 * d;
            s4[k] += d2 * d2;
        }
    double ta = 0, t2 = 0, t3 = 0, t4 = 0;
    for (; x < w; x++) {
        double d = row[x] - mean, d2 = d * d;
        ta += fabs(d);
        t2 += d2;
        t3 += d2 * d;
        t4 += d2 * d2;
    }
    acc[0] += ((sa[0] + sa[1]) + (sa[2] + sa[3])) + ta;
    acc[1] += ((s2[0] + s2[1]) + (s2[2] + s2[3])) + t2;
    acc[2] += ((s3[0] + s3[1]) + (s3[2] + s3[3])) + t3;
    acc[3] += ((s4[0] + s4[1]) + (s4[2] + s4[3])) + t4;
}

static void pass_moments(void *arg, int b, int y0, int y1)
{
    const hp_ctx *c = arg;
    double acc[4] = {0, 0, 0, 0};
    for (int y = y0; y < y1; y++) {
        const float *row = c->z + (size_t)y * c->stride;
        const unsigned char *m = c->mask ? c->mask + (size_t)y * c->mstride : NULL;
        if (!m) {
            row_moments(row, c->w, c->mean, acc);
            continue;
        }
        for (int x = 0; x < c->w; x++) {
            if (!m[x])
                continue;
            double d = row[x] - c->mean, d2 = d * d;
            acc[0] += fabs(d);
            acc[1] += d2;
            acc[2] += d2 * d;
            acc[3] += d2 * d2;
        }
    }
    double *p = c->part + (size_t)b * P_COUNT;
    p[P_ABS] = acc[0];
    p[P_M2] = acc[1];
    p[P_M3] = acc[2];
    p[P_M4] = acc[3];
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
