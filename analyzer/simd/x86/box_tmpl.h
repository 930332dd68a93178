/* Box filter column sums, vectorised (reference: generic/box_c.c);
 * element-wise, bit-identical. */
#include "simd/generic/filter_px.h"
#include "simd/simd_internal.h"
#include "simd/x86/vec.h"

void ST_FN(rows_add)(float *acc, const float *s, int n)
{
    int x = 0;
    for (; x + VW <= n; x += VW)
        vstore(acc + x, vadd(vload(acc + x), vload(s + x)));
    for (; x < n; x++)
        acc[x] = acc[x] + s[x];
}

void ST_FN(rows_slide)(float *acc, const float *add, const float *sub, int n)
{
    int x = 0;
    for (; x + VW <= n; x += VW)
        vstore(acc + x, vsub(vadd(vload(acc + x), vload(add + x)), vload(sub + x)));
    for (; x < n; x++)
        acc[x] = (acc[x] + add[x]) - sub[x];
}

/* Four rows' running sums side by side: 4x4 blocks of the padded rows are
 * transposed so that a vector holds one column of the four rows; the sums
 * run in double, in the reference's order (generic/filter_px.h). */
#if defined(ST_VEC_AVX2)
typedef __m256d sum4;
#define SUM4_LOAD(d) _mm256_loadu_pd(d)
#define SUM4_STORE(d, s) _mm256_storeu_pd(d, s)
#define SUM4_STEP(s, a, b) _mm256_add_pd(s, _mm256_sub_pd(_mm256_cvtps_pd(a), _mm256_cvtps_pd(b)))
#define SUM4_OUT(s, inv) _mm256_cvtpd_ps(_mm256_mul_pd(s, inv))
#define SUM4_INV(x) _mm256_set1_pd(x)
typedef __m256d inv4;
#else
typedef struct sum4 {
    __m128d lo, hi;
} sum4;
static inline sum4 SUM4_LOAD(const double *d) { return (sum4){_mm_loadu_pd(d), _mm_loadu_pd(d + 2)}; }
static inline void SUM4_STORE(double *d, sum4 s)
{
    _mm_storeu_pd(d, s.lo);
    _mm_storeu_pd(d + 2, s.hi);
}
static inline sum4 SUM4_STEP(sum4 s, __m128 a, __m128 b)
{
    __m128 ah = _mm_movehl_ps(a, a), bh = _mm_movehl_ps(b, b);
    s.lo = _mm_add_pd(s.lo, _mm_sub_pd(_mm_cvtps_pd(a), _mm_cvtps_pd(b)));
    s.hi = _mm_add_pd(s.hi, _mm_sub_pd(_mm_cvtps_pd(ah), _mm_cvtps_pd(bh)));
    return s;
}
static inline __m128 SUM4_OUT(sum4 s, __m128d inv)
{
    return _mm_movelh_ps(_mm_cvtpd_ps(_mm_mul_pd(s.lo, inv)), _mm_cvtpd_ps(_mm_mul_pd(s.hi, inv)));
}
#define SUM4_INV(x) _mm_set1_pd(x)
typedef __m128d inv4;
#endif

void ST_FN(box_h4)(const float *const pad[4], int w, int r, double inv, float *const dst[4])
{
    double s0[4];
    for (int i = 0; i < 4; i++) {
        s0[i] = st_box_h_start(pad[i], r);
        dst[i][0] = (float)(s0[i] * inv);
    }
    sum4 s = SUM4_LOAD(s0);
    const inv4 vinv = SUM4_INV(inv);
    int x = 1;
    for (; x + 4 <= w; x += 4) {
        __m128 a0 = _mm_loadu_ps(pad[0] + x + 2 * r), a1 = _mm_loadu_ps(pad[1] + x + 2 * r);
        __m128 a2 = _mm_loadu_ps(pad[2] + x + 2 * r), a3 = _mm_loadu_ps(pad[3] + x + 2 * r);
        __m128 b0 = _mm_loadu_ps(pad[0] + x - 1), b1 = _mm_loadu_ps(pad[1] + x - 1);
        __m128 b2 = _mm_loadu_ps(pad[2] + x - 1), b3 = _mm_loadu_ps(pad[3] + x - 1);
        _MM_TRANSPOSE4_PS(a0, a1, a2, a3);
        _MM_TRANSPOSE4_PS(b0, b1, b2, b3);
        s = SUM4_STEP(s, a0, b0);
        __m128 o0 = SUM4_OUT(s, vinv);
        s = SUM4_STEP(s, a1, b1);
        __m128 o1 = SUM4_OUT(s, vinv);
        s = SUM4_STEP(s, a2, b2);
        __m128 o2 = SUM4_OUT(s, vinv);
        s = SUM4_STEP(s, a3, b3);
        __m128 o3 = SUM4_OUT(s, vinv);
        _MM_TRANSPOSE4_PS(o0, o1, o2, o3);
        _mm_storeu_ps(dst[0] + x, o0);
        _mm_storeu_ps(dst[1] + x, o1);
        _mm_storeu_ps(dst[2] + x, o2);
        _mm_storeu_ps(dst[3] + x, o3);
    }
    SUM4_STORE(s0, s);
    for (int i = 0; i < 4; i++)
        st_box_h_tail(pad[i], x, w, r, inv, s0[i], dst[i]);
}
