/* Robust statistics of the detection families: order statistics of evenly
 * spaced samples (quantiles, the MAD-based SD of Hampel 1974) by Hoare's
 * selection for few values and radix selection for many. */
#include "metrics/detect_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Evenly spaced sample (at most ~2^16 values: plenty for a quantile or a
 * MAD); caller frees. */
static float *sample(const float *v, size_t n, size_t *m)
{
    size_t step = n > 65536 ? n / 65536 + 1 : 1;
    size_t k = (n + step - 1) / step;
    float *s = malloc((k ? k : 1) * sizeof *s);
    if (!s)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i += step)
        if (isfinite(v[i]))
            s[j++] = v[i];
    *m = j;
    return s;
}

float st_det_select(float *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        float pivot = v[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                float t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            break;
    }
    return v[k];
}

double st_det_quantile(const float *v, size_t n, double q)
{
    size_t m = 0;
    float *s = sample(v, n, &m);
    if (!s || m == 0) {
        free(s);
        return 0.0;
    }
    double pos = q * (double)(m - 1);
    size_t i = (size_t)pos;
    double f = pos - (double)i, r = st_det_select(s, m, i);
    if (i + 1 < m && f > 0) {
        /* the next order statistic is the smallest of the upper part */
        float nx = s[i + 1];
        for (size_t k = i + 2; k < m; k++)
            nx = s[k] < nx ? s[k] : nx;
        r += f * ((double)nx - r);
    }
    free(s);
    return r;
}

/* Order-preserving map of a finite float to an unsigned key (the sign
 * bit flipped for positives, all bits for negatives), and back. */
static inline uint32_t float_key(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

static inline float key_float(uint32_t k)
{
    uint32_t u = (k & 0x80000000u) ? (k & 0x7fffffffu) : ~k;
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* k-th smallest of n finite values by radix selection on their keys
 * (11 + 11 + 10 bits, keeping only the bucket that holds rank k after
 * each pass): the same value as st_det_select, in a few linear passes.
 * keys is n scratch words. */
static float kth_radix(const float *v, size_t n, size_t k, uint32_t *keys)
{
    static const int shift[3] = {21, 10, 0};
    static const uint32_t mask[3] = {0x7ffu, 0x7ffu, 0x3ffu};
    size_t cnt[2048];
    for (size_t i = 0; i < n; i++)
        keys[i] = float_key(v[i]);
    size_t m = n;
    for (int p = 0; p < 3; p++) {
        memset(cnt, 0, (mask[p] + 1) * sizeof *cnt);
        for (size_t i = 0; i < m; i++)
            cnt[(keys[i] >> shift[p]) & mask[p]]++;
        uint32_t b = 0;
        while (k >= cnt[b]) /* the bucket of rank k: ranks below it are skipped */
            k -= cnt[b++];
        size_t j = 0;
        for (size_t i = 0; i < m; i++)
            if (((keys[i] >> shift[p]) & mask[p]) == b)
                keys[j++] = keys[i];
        m = j;
    }
    return key_float(keys[0]); /* every key left is the same */
}

double st_det_robust_sigma(const float *v, size_t n)
{
    size_t m = 0;
    float *s = sample(v, n, &m);
    uint32_t *keys = s && m > 1024 ? malloc(m * sizeof *keys) : NULL;
    if (!s || m == 0) {
        free(s);
        return 0.0;
    }
    /* the samples are finite (sample() drops the rest): radix selection
     * for many, Hoare's for few (or without scratch) */
    float med = keys ? kth_radix(s, m, m / 2, keys) : st_det_select(s, m, m / 2);
    for (size_t i = 0; i < m; i++)
        s[i] = fabsf(s[i] - med);
    double mad = keys ? kth_radix(s, m, m / 2, keys) : st_det_select(s, m, m / 2);
    free(keys);
    free(s);
    return 1.4826 * mad;
}
