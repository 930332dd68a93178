/* Four doubles as one value on both ISAs: one __m256d on AVX2, two __m128d
 * on SSE2. Used where sums must run in double (box row sums, integral image)
 * with four independent rows side by side. */
#ifndef ST_SIMD_X86_D4_H
#define ST_SIMD_X86_D4_H

#include "simd/x86/vec.h"

#if defined(ST_VEC_AVX2)
typedef __m256d d4;
static inline d4 d4_load(const double *p) { return _mm256_loadu_pd(p); }
static inline void d4_store(double *p, d4 v) { _mm256_storeu_pd(p, v); }
static inline d4 d4_set1(double x) { return _mm256_set1_pd(x); }
static inline d4 d4_add(d4 a, d4 b) { return _mm256_add_pd(a, b); }
static inline d4 d4_sub(d4 a, d4 b) { return _mm256_sub_pd(a, b); }
static inline d4 d4_mul(d4 a, d4 b) { return _mm256_mul_pd(a, b); }
static inline d4 d4_from_ps(__m128 v) { return _mm256_cvtps_pd(v); }
static inline __m128 d4_to_ps(d4 v) { return _mm256_cvtpd_ps(v); }
/* rows of a 4x4 block of doubles become its columns */
static inline void d4_transpose(d4 *a, d4 *b, d4 *c, d4 *d)
{
    __m256d t0 = _mm256_unpacklo_pd(*a, *b), t1 = _mm256_unpackhi_pd(*a, *b);
    __m256d t2 = _mm256_unpacklo_pd(*c, *d), t3 = _mm256_unpackhi_pd(*c, *d);
    *a = _mm256_permute2f128_pd(t0, t2, 0x20);
    *b = _mm256_permute2f128_pd(t1, t3, 0x20);
    *c = _mm256_permute2f128_pd(t0, t2, 0x31);
    *d = _mm256_permute2f128_pd(t1, t3, 0x31);
}
#else
typedef struct d4 {
    __m128d lo, hi;
} d4;
static inline d4 d4_load(const double *p) { return (d4){_mm_loadu_pd(p), _mm_loadu_pd(p + 2)}; }
static inline void d4_store(double *p, d4 v)
{
    _mm_storeu_pd(p, v.lo);
    _mm_storeu_pd(p + 2, v.hi);
}
static inline d4 d4_set1(double x) { return (d4){_mm_set1_pd(x), _mm_set1_pd(x)}; }
static inline d4 d4_add(d4 a, d4 b) { return (d4){_mm_add_pd(a.lo, b.lo), _mm_add_pd(a.hi, b.hi)}; }
static inline d4 d4_sub(d4 a, d4 b) { return (d4){_mm_sub_pd(a.lo, b.lo), _mm_sub_pd(a.hi, b.hi)}; }
static inline d4 d4_mul(d4 a, d4 b) { return (d4){_mm_mul_pd(a.lo, b.lo), _mm_mul_pd(a.hi, b.hi)}; }
static inline d4 d4_from_ps(__m128 v)
{
    return (d4){_mm_cvtps_pd(v), _mm_cvtps_pd(_mm_movehl_ps(v, v))};
}
static inline __m128 d4_to_ps(d4 v) { return _mm_movelh_ps(_mm_cvtpd_ps(v.lo), _mm_cvtpd_ps(v.hi)); }
static inline void d4_transpose(d4 *a, d4 *b, d4 *c, d4 *d)
{
    d4 ra = {_mm_unpacklo_pd(a->lo, b->lo), _mm_unpacklo_pd(c->lo, d->lo)};
    d4 rb = {_mm_unpackhi_pd(a->lo, b->lo), _mm_unpackhi_pd(c->lo, d->lo)};
    d4 rc = {_mm_unpacklo_pd(a->hi, b->hi), _mm_unpacklo_pd(c->hi, d->hi)};
    d4 rd = {_mm_unpackhi_pd(a->hi, b->hi), _mm_unpackhi_pd(c->hi, d->hi)};
    *a = ra;
    *b = rb;
    *c = rc;
    *d = rd;
}
#endif

#endif
