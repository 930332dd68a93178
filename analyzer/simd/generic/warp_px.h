/* Bicubic (Catmull-Rom) sampling arithmetic shared by the scalar reference
 * and the SIMD warp, in the order the SIMD code repeats (bit-identical). */
#ifndef ST_SIMD_WARP_PX_H
#define ST_SIMD_WARP_PX_H

/* The SIMD code relies on these formulas being rounded operation by
 * operation: no fused multiply-adds (GCC does not contract in ISO C mode;
 * clang would, where FMA is enabled). */
#ifdef __clang__
#pragma clang fp contract(off)
#endif

#include <math.h>
#include <stddef.h>

/* Keys (1981) cubic convolution with a = -0.5 (Catmull-Rom): weights of the
 * samples at offsets -1, 0, 1, 2 for a fraction t in [0, 1). At t = 0 they
 * are exactly (0, 1, 0, 0), so integer positions return the sample itself. */
static inline void st_cubic_weights(float t, float w[4])
{
    w[0] = t * (t * (-0.5f * t + 1.0f) - 0.5f);
    w[1] = (t * t) * (1.5f * t - 2.5f) + 1.0f;
    w[2] = t * (t * (-1.5f * t + 2.0f) + 0.5f);
    w[3] = (t * t) * (0.5f * t - 0.5f);
}

/* Source position of destination pixel (x, y): M [x y 1]^T, projected
 * (one division, by the homogeneous coordinate). */
static inline void st_warp_coords(const double m[9], double x, double y, double *xs, double *ys)
{
    double X = (m[0] * x + m[1] * y) + m[2];
    double Y = (m[3] * x + m[4] * y) + m[5];
    double inv = 1.0 / ((m[6] * x + m[7] * y) + m[8]);
    *xs = X * inv;
    *ys = Y * inv;
}

/* Inside means within the sample centres [0, w-1] x [0, h-1] (false for NaN). */
static inline int st_inside(double x, double y, int w, int h)
{
    return x >= 0.0 && x <= (double)(w - 1) && y >= 0.0 && y <= (double)(h - 1);
}

static inline int st_clampi(int i, int lo, int hi) { return i < lo ? lo : (i > hi ? hi : i); }

/* Catmull-Rom at (x, y), which must be inside; neighbours beyond the edge
 * repeat the edge sample (their weights are 0 on the edge itself).
 * Column sums first: col_i = ((wy0 r0 + wy1 r1) + wy2 r2) + wy3 r3, then
 * (wx0 col0 + wx2 col2) + (wx1 col1 + wx3 col3). */
static inline float st_bicubic_px(const float *src, size_t sstride, int w, int h, double x,
                                  double y)
{
    double fx = floor(x), fy = floor(y);
    int ix = (int)fx, iy = (int)fy;
    float wx[4], wy[4];
    st_cubic_weights((float)(x - fx), wx);
    st_cubic_weights((float)(y - fy), wy);
    const float *row[4];
    int col[4];
    for (int i = 0; i < 4; i++) {
        row[i] = src + (size_t)st_clampi(iy - 1 + i, 0, h - 1) * sstride;
        col[i] = st_clampi(ix - 1 + i, 0, w - 1);
    }
    float p[4];
    for (int i = 0; i < 4; i++) {
        float c = ((wy[0] * row[0][col[i]] + wy[1] * row[1][col[i]]) + wy[2] * row[2][col[i]]) +
                  wy[3] * row[3][col[i]];
        p[i] = wx[i] * c;
    }
    return (p[0] + p[2]) + (p[1] + p[3]);
}

#endif
