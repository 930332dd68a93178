/* Per-pixel filter arithmetic shared by the scalar reference and the scalar
 * tails of the SIMD kernels, in the operation order the SIMD code repeats. */
#ifndef ST_SIMD_FILTER_PX_H
#define ST_SIMD_FILTER_PX_H

/* The SIMD code relies on these formulas being rounded operation by
 * operation: no fused multiply-adds (GCC does not contract in ISO C mode;
 * clang would, where FMA is enabled). */
#ifdef __clang__
#pragma clang fp contract(off)
#endif

/* Symmetric convolution at the sample p points to:
 * k0 p[0] + sum_j k_j (p[-j] + p[j]), accumulated j = 1..r. */
static inline float st_conv_h_px(const float *p, const float *k, int r)
{
    float acc = k[0] * p[0];
    for (int j = 1; j <= r; j++)
        acc = acc + k[j] * (p[-j] + p[j]);
    return acc;
}

/* Horizontal box sum of one row padded by r mirrored samples each side
 * (sample x at pad[x + r]): a running sum in double, s(0) = sum of pad[0..2r]
 * in order, s(x) = s(x-1) + (pad[x+2r] - pad[x-1]); dst[x] = (float)(s inv). */
static inline double st_box_h_start(const float *pad, int r)
{
    double s = 0.0;
    for (int i = 0; i <= 2 * r; i++)
        s += (double)pad[i];
    return s;
}

static inline void st_box_h_tail(const float *pad, int x0, int w, int r, double inv, double s,
                                 float *dst)
{
    for (int x = x0; x < w; x++) {
        s = s + ((double)pad[x + 2 * r] - (double)pad[x - 1]);
        dst[x] = (float)(s * inv);
    }
}

static inline void st_box_h_row(const float *pad, int w, int r, double inv, float *dst)
{
    double s = st_box_h_start(pad, r);
    dst[0] = (float)(s * inv);
    st_box_h_tail(pad, 1, w, r, inv, s, dst);
}

/* One row of the summed-area table (Crow 1984) from column x0 on, in double:
 * run = s[0] + ... + s[x] accumulated in order, row[x+1] = prev[x+1] + run,
 * where prev is the table row above. */
static inline void st_integral_row(const float *s, const double *prev, double *row, int x0, int w,
                                   double run)
{
    for (int x = x0; x < w; x++) {
        run += (double)s[x];
        row[x + 1] = prev[x + 1] + run;
    }
}

/* 3x3 derivative pair at column x with left/right columns xl, xr:
 * gx = we (dA + dC) + wm dB with d = right - left on rows A (y-1), B, C (y+1);
 * gy = we (eL + eR) + wm eM with e = C - A on columns left, right, middle. */
static inline void st_grad3_px(const float *a, const float *b, const float *c, int xl, int x,
                               int xr, float we, float wm, float *gx, float *gy)
{
    if (gx)
        *gx = we * ((a[xr] - a[xl]) + (c[xr] - c[xl])) + wm * (b[xr] - b[xl]);
    if (gy)
        *gy = we * ((c[xl] - a[xl]) + (c[xr] - a[xr])) + wm * (c[x] - a[x]);
}

/* 5-point Laplacian: (up + down) + (left + right) - 4 centre */
static inline float st_laplace_px(const float *a, const float *b, const float *c, int xl, int x,
                                  int xr)
{
    return ((a[x] + c[x]) + (b[xl] + b[xr])) - 4.0f * b[x];
}

/* mean of a 2x2 block: ((a0 + b0) + (a1 + b1)) / 4 */
static inline float st_down2_px(float a0, float a1, float b0, float b1)
{
    return 0.25f * ((a0 + b0) + (a1 + b1));
}

#endif
