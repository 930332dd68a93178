#include "metrics/lbp.h"

#include <math.h>
#include <stdlib.h>

/* riu2 label of every 8-bit pattern: the number of 1 bits when the pattern
 * has at most two 0/1 transitions (circularly), else 9. */
static const unsigned char riu2_table[256] = {
    0, 1, 1, 2, 1, 9, 2, 3, 1, 9, 9, 9, 2, 9, 3, 4, 1, 9, 9, 9, 9, 9, 9, 9, 2, 9, 9, 9, 3, 9, 4, 5,
    1, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 2, 9, 9, 9, 9, 9, 9, 9, 3, 9, 9, 9, 4, 9, 5, 6,
    1, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
    2, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 3, 9, 9, 9, 9, 9, 9, 9, 4, 9, 9, 9, 5, 9, 6, 7,
    1, 2, 9, 3, 9, 9, 9, 4, 9, 9, 9, 9, 9, 9, 9, 5, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 6,
    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 7,
    2, 3, 9, 4, 9, 9, 9, 5, 9, 9, 9, 9, 9, 9, 9, 6, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 7,
    3, 4, 9, 5, 9, 9, 9, 6, 9, 9, 9, 9, 9, 9, 9, 7, 4, 5, 9, 6, 9, 9, 9, 7, 5, 6, 9, 7, 6, 7, 7, 8};

static int neighbourhood_inside(const unsigned char *mask, size_t mstride, int x, int y)
{
    if (!mask)
        return 1;
    for (int j = -1; j <= 1; j++) {
        const unsigned char *m = mask + (size_t)(y + j) * mstride;
        if (!m[x - 1] || !m[x] || !m[x + 1])
            return 0;
    }
    return 1;
}

/* 8-bit patterns of pixels 1..w-2 of one row, every pixel (mask applied by
 * the caller): straight-line float code the compiler vectorises. */
static void row_patterns(const float *restrict up, const float *restrict row,
                         const float *restrict dn, int w, unsigned char *restrict pat)
{
    /* Bilinear weights of a diagonal neighbour at (cos 45°, sin 45°). */
    const float a = 0.70710678f, ww = a * (1 - a), wd = a * a;
    for (int x = 1; x < w - 1; x++) {
        float c = row[x];
        /* Differences to the centre first: an interpolated diagonal of a flat
         * patch is then exactly 0 (bit 1), whatever the rounding. */
        float e = row[x + 1] - c, n = up[x] - c, wv = row[x - 1] - c, s = dn[x] - c;
        float ne = up[x + 1] - c, nw = up[x - 1] - c, sw = dn[x - 1] - c, se = dn[x + 1] - c;
        /* p = 0..7 at angles 45°·p, counter-clockwise from +x (y up on screen). */
        unsigned p = (unsigned)(e >= 0) | (unsigned)(ww * (e + n) + wd * ne >= 0) << 1 |
                     (unsigned)(n >= 0) << 2 | (unsigned)(ww * (n + wv) + wd * nw >= 0) << 3 |
                     (unsigned)(wv >= 0) << 4 | (unsigned)(ww * (wv + s) + wd * sw >= 0) << 5 |
                     (unsigned)(s >= 0) << 6 | (unsigned)(ww * (s + e) + wd * se >= 0) << 7;
        pat[x] = (unsigned char)p;
    }
}

void st_lbp_row(const float *img, size_t stride, int w, int y, const unsigned char *mask,
                size_t mstride, unsigned char *codes)
{
    const float *up = img + (size_t)(y - 1) * stride, *row = img + (size_t)y * stride,
                *dn = img + (size_t)(y + 1) * stride;
    row_patterns(up, row, dn, w, codes);
    codes[0] = codes[w - 1] = ST_LBP_NONE;
    for (int x = 1; x < w - 1; x++)
        codes[x] = (mask && !neighbourhood_inside(mask, mstride, x, y)) ? ST_LBP_NONE
                                                                       : riu2_table[codes[x]];
}

void st_lbp_histogram(const float *img, size_t stride, int w, int h, const unsigned char *mask,
                      size_t mstride, uint64_t hist[ST_LBP_BINS])
{
    if (w < 3 || h < 3)
        return;
    unsigned char *codes = malloc((size_t)w);
    if (!codes)
        return;
    for (int y = 1; y < h - 1; y++) {
        st_lbp_row(img, stride, w, y, mask, mstride, codes);
        for (int x = 1; x < w - 1; x++)
            if (codes[x] != ST_LBP_NONE)
                hist[codes[x]]++;
    }
    free(codes);
}

double st_lbp_entropy(const uint64_t hist[ST_LBP_BINS])
{
    double n = 0, e = 0;
    for (int k = 0; k < ST_LBP_BINS; k++)
        n += (double)hist[k];
    if (n <= 0)
        return NAN;
    for (int k = 0; k < ST_LBP_BINS; k++) {
        if (hist[k]) {
            double p = (double)hist[k] / n;
            e -= p * log2(p);
        }
    }
    return e + 0.0;
}
