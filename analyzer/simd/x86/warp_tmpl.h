/* One row of the perspective warp, four destination pixels at a time:
 * source coordinates in double (4 lanes), Catmull-Rom weights in float
 * (4 lanes), then per pixel one 128-bit load per source row, the column sums
 * and the horizontal weights. Pixels whose 4x4 neighbourhood crosses the
 * edge take the scalar formula. Operations and their order are the
 * reference's (generic/warp_c.c, warp_px.h): bit-identical. */
#include "simd/generic/warp_px.h"
#include "simd/simd_internal.h"
#include "simd/x86/vec.h"

/* Source coordinates of pixels x .. x+3 of row y, as in st_warp_coords;
 * mask bit p set when pixel p is inside; ix, iy their floors (valid when
 * inside), tx, ty the fractions as floats. */
static inline int warp_coords4(const double m[9], int x, double y, int sw, int sh, int ix[4],
                               int iy[4], __m128 *tx, __m128 *ty)
{
#if defined(ST_VEC_AVX2)
    __m256d xv = _mm256_set_pd(x + 3, x + 2, x + 1, x), yv = _mm256_set1_pd(y);
#define LIN(a, b, c)                                                                          \
    _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(_mm256_set1_pd(a), xv),                          \
                                _mm256_mul_pd(_mm256_set1_pd(b), yv)),                         \
                  _mm256_set1_pd(c))
    __m256d inv = _mm256_div_pd(_mm256_set1_pd(1.0), LIN(m[6], m[7], m[8]));
    __m256d xs = _mm256_mul_pd(LIN(m[0], m[1], m[2]), inv);
    __m256d ys = _mm256_mul_pd(LIN(m[3], m[4], m[5]), inv);
#undef LIN
    __m256d in = _mm256_and_pd(
        _mm256_and_pd(_mm256_cmp_pd(xs, _mm256_setzero_pd(), _CMP_GE_OQ),
                      _mm256_cmp_pd(xs, _mm256_set1_pd(sw - 1), _CMP_LE_OQ)),
        _mm256_and_pd(_mm256_cmp_pd(ys, _mm256_setzero_pd(), _CMP_GE_OQ),
                      _mm256_cmp_pd(ys, _mm256_set1_pd(sh - 1), _CMP_LE_OQ)));
    int mask = _mm256_movemask_pd(in);
    if (!mask)
        return 0;
    /* outside lanes may hold anything: zero them before the integer conversion */
    xs = _mm256_and_pd(xs, in);
    ys = _mm256_and_pd(ys, in);
    __m256d fx = _mm256_floor_pd(xs), fy = _mm256_floor_pd(ys);
    _mm_storeu_si128((__m128i *)ix, _mm256_cvttpd_epi32(fx));
    _mm_storeu_si128((__m128i *)iy, _mm256_cvttpd_epi32(fy));
    *tx = _mm256_cvtpd_ps(_mm256_sub_pd(xs, fx));
    *ty = _mm256_cvtpd_ps(_mm256_sub_pd(ys, fy));
    return mask;
#else
    int mask = 0;
    __m128d yv = _mm_set1_pd(y);
    __m128 t[2][2];
    for (int h = 0; h < 2; h++) {
        __m128d xv = _mm_set_pd(x + 2 * h + 1, x + 2 * h);
#define LIN(a, b, c)                                                                          \
    _mm_add_pd(_mm_add_pd(_mm_mul_pd(_mm_set1_pd(a), xv), _mm_mul_pd(_mm_set1_pd(b), yv)),     \
               _mm_set1_pd(c))
        __m128d inv = _mm_div_pd(_mm_set1_pd(1.0), LIN(m[6], m[7], m[8]));
        __m128d xs = _mm_mul_pd(LIN(m[0], m[1], m[2]), inv);
        __m128d ys = _mm_mul_pd(LIN(m[3], m[4], m[5]), inv);
#undef LIN
        __m128d in = _mm_and_pd(
            _mm_and_pd(_mm_cmpge_pd(xs, _mm_setzero_pd()), _mm_cmple_pd(xs, _mm_set1_pd(sw - 1))),
            _mm_and_pd(_mm_cmpge_pd(ys, _mm_setzero_pd()), _mm_cmple_pd(ys, _mm_set1_pd(sh - 1))));
        mask |= _mm_movemask_pd(in) << (2 * h);
        xs = _mm_and_pd(xs, in);
        ys = _mm_and_pd(ys, in);
        /* inside means >= 0, where truncation is the floor */
        __m128i jx = _mm_cvttpd_epi32(xs), jy = _mm_cvttpd_epi32(ys);
        __m128d fx = _mm_cvtepi32_pd(jx), fy = _mm_cvtepi32_pd(jy);
        ix[2 * h] = _mm_cvtsi128_si32(jx);
        ix[2 * h + 1] = _mm_cvtsi128_si32(_mm_shuffle_epi32(jx, 1));
        iy[2 * h] = _mm_cvtsi128_si32(jy);
        iy[2 * h + 1] = _mm_cvtsi128_si32(_mm_shuffle_epi32(jy, 1));
        t[h][0] = _mm_cvtpd_ps(_mm_sub_pd(xs, fx));
        t[h][1] = _mm_cvtpd_ps(_mm_sub_pd(ys, fy));
    }
    *tx = _mm_movelh_ps(t[0][0], t[1][0]);
    *ty = _mm_movelh_ps(t[0][1], t[1][1]);
    return mask;
#endif
}

/* Catmull-Rom weights of four fractions, transposed: w[p] holds pixel p's
 * (w0, w1, w2, w3), each computed as st_cubic_weights does. */
static inline void cubic_weights4(__m128 t, __m128 w[4])
{
    const __m128 half = _mm_set1_ps(0.5f), one = _mm_set1_ps(1.0f);
    __m128 t2 = _mm_mul_ps(t, t);
    w[0] = _mm_mul_ps(t, _mm_sub_ps(_mm_mul_ps(t, _mm_add_ps(_mm_mul_ps(_mm_set1_ps(-0.5f), t), one)), half));
    w[1] = _mm_add_ps(_mm_mul_ps(t2, _mm_sub_ps(_mm_mul_ps(_mm_set1_ps(1.5f), t), _mm_set1_ps(2.5f))), one);
    w[2] = _mm_mul_ps(t, _mm_add_ps(_mm_mul_ps(t, _mm_add_ps(_mm_mul_ps(_mm_set1_ps(-1.5f), t),
                                                            _mm_set1_ps(2.0f))), half));
    w[3] = _mm_mul_ps(t2, _mm_sub_ps(_mm_mul_ps(half, t), half));
    _MM_TRANSPOSE4_PS(w[0], w[1], w[2], w[3]);
}

#define BCAST(v, i) _mm_shuffle_ps(v, v, _MM_SHUFFLE(i, i, i, i))

static inline float bicubic_inner(const float *p, size_t sstride, __m128 wx, __m128 wy)
{
    __m128 c = _mm_add_ps(_mm_mul_ps(BCAST(wy, 0), _mm_loadu_ps(p)),
                          _mm_mul_ps(BCAST(wy, 1), _mm_loadu_ps(p + sstride)));
    c = _mm_add_ps(c, _mm_mul_ps(BCAST(wy, 2), _mm_loadu_ps(p + 2 * sstride)));
    c = _mm_add_ps(c, _mm_mul_ps(BCAST(wy, 3), _mm_loadu_ps(p + 3 * sstride)));
    __m128 q = _mm_mul_ps(wx, c);
    __m128 s = _mm_add_ps(q, _mm_movehl_ps(q, q)); /* p0+p2, p1+p3 */
    return _mm_cvtss_f32(_mm_add_ss(s, BCAST(s, 1)));
}

static inline void warp_px(const float *const *src, int nch, size_t sstride, int sw, int sh,
                           const double m[9], int x, int y, float *const *dst,
                           unsigned char *valid, float outside)
{
    double xs, ys;
    st_warp_coords(m, (double)x, (double)y, &xs, &ys);
    int in = st_inside(xs, ys, sw, sh);
    for (int c = 0; c < nch; c++)
        dst[c][x] = in ? st_bicubic_px(src[c], sstride, sw, sh, xs, ys) : outside;
    if (valid)
        valid[x] = (unsigned char)in;
}

/* Pixel p of a group of four, every plane: outside, vector interior, or
 * scalar edge. */
static inline void group_px(const float *const *src, int nch, size_t sstride, int sw, int sh,
                            const double m[9], int x, int y, int p, int mask, const int *ix,
                            const int *iy, const __m128 *wx, const __m128 *wy, float *const *dst,
                            float outside)
{
    if (!((mask >> p) & 1)) {
        for (int c = 0; c < nch; c++)
            dst[c][x + p] = outside;
    } else if (ix[p] >= 1 && iy[p] >= 1 && ix[p] + 2 < sw && iy[p] + 2 < sh) {
        size_t off = (size_t)(iy[p] - 1) * sstride + (size_t)(ix[p] - 1);
        for (int c = 0; c < nch; c++)
            dst[c][x + p] = bicubic_inner(src[c] + off, sstride, wx[p], wy[p]);
    } else {
        warp_px(src, nch, sstride, sw, sh, m, x + p, y, dst, NULL, outside);
    }
}

#if defined(ST_VEC_AVX2)
/* Two interior pixels in the two halves of a 256-bit vector, each exactly
 * as bicubic_inner computes it. */
static inline void bicubic_pair(const float *p0, const float *p1, size_t ss, __m128 wx0,
                                __m128 wx1, __m128 wy0, __m128 wy1, float *out)
{
    const __m256 wy = _mm256_set_m128(wy1, wy0), wx = _mm256_set_m128(wx1, wx0);
#define ROW(k) _mm256_loadu2_m128(p1 + (k) * ss, p0 + (k) * ss)
#define B8(v, i) _mm256_permute_ps(v, _MM_SHUFFLE(i, i, i, i))
    __m256 c = _mm256_add_ps(_mm256_mul_ps(B8(wy, 0), ROW(0)), _mm256_mul_ps(B8(wy, 1), ROW(1)));
    c = _mm256_add_ps(c, _mm256_mul_ps(B8(wy, 2), ROW(2)));
    c = _mm256_add_ps(c, _mm256_mul_ps(B8(wy, 3), ROW(3)));
#undef ROW
#undef B8
    __m256 q = _mm256_mul_ps(wx, c);
    __m256 t = _mm256_add_ps(q, _mm256_permute_ps(q, _MM_SHUFFLE(1, 0, 3, 2))); /* p0+p2, p1+p3 */
    t = _mm256_add_ps(t, _mm256_permute_ps(t, _MM_SHUFFLE(0, 0, 0, 1)));
    out[0] = _mm256_cvtss_f32(t);
    out[1] = _mm_cvtss_f32(_mm256_extractf128_ps(t, 1));
}
#endif

void ST_FN(warp_row)(const float *const *src, int nch, size_t sstride, int sw, int sh,
                     const double m[9], int y, float *const *dst, unsigned char *valid, int dw,
                     float outside)
{
    int x = 0;
    for (; x + 4 <= dw; x += 4) {
        int ix[4], iy[4];
        __m128 tx, ty, wx[4], wy[4];
        int mask = warp_coords4(m, x, (double)y, sw, sh, ix, iy, &tx, &ty);
        if (valid)
            for (int p = 0; p < 4; p++)
                valid[x + p] = (unsigned char)((mask >> p) & 1);
        if (!mask) {
            for (int c = 0; c < nch; c++)
                for (int p = 0; p < 4; p++)
                    dst[c][x + p] = outside;
            continue;
        }
        cubic_weights4(tx, wx);
        cubic_weights4(ty, wy);
#if defined(ST_VEC_AVX2)
        /* all four inside, all 4x4 neighbourhoods within the image */
        int imin = ix[0] < ix[3] ? ix[0] : ix[3], imax = ix[0] < ix[3] ? ix[3] : ix[0];
        int jmin = iy[0] < iy[3] ? iy[0] : iy[3], jmax = iy[0] < iy[3] ? iy[3] : iy[0];
        int inner = mask == 15;
        for (int p = 1; p < 3 && inner; p++) {
            imin = ix[p] < imin ? ix[p] : imin;
            imax = ix[p] > imax ? ix[p] : imax;
            jmin = iy[p] < jmin ? iy[p] : jmin;
            jmax = iy[p] > jmax ? iy[p] : jmax;
        }
        if (inner && imin >= 1 && jmin >= 1 && imax + 2 < sw && jmax + 2 < sh) {
            size_t off[4];
            for (int p = 0; p < 4; p++)
                off[p] = (size_t)(iy[p] - 1) * sstride + (size_t)(ix[p] - 1);
            for (int c = 0; c < nch; c++) {
                const float *s = src[c];
                bicubic_pair(s + off[0], s + off[1], sstride, wx[0], wx[1], wy[0], wy[1],
                             dst[c] + x);
                bicubic_pair(s + off[2], s + off[3], sstride, wx[2], wx[3], wy[2], wy[3],
                             dst[c] + x + 2);
            }
            continue;
        }
#endif
        for (int p = 0; p < 4; p++)
            group_px(src, nch, sstride, sw, sh, m, x, y, p, mask, ix, iy, wx, wy, dst, outside);
    }
    for (; x < dw; x++)
        warp_px(src, nch, sstride, sw, sh, m, x, y, dst, valid, outside);
}
