/* One vocabulary over SSE2 (4 floats) and AVX2 (8 floats) so each kernel is
 * written once (x86/<kernel>_tmpl.h) and compiled twice: <kernel>_sse2.c
 * defines ST_VEC_SSE2, <kernel>_avx2.c defines ST_VEC_AVX2, each with its own
 * ISA flags (CMake). ST_FN(name) gives the path's symbol, e.g. st_conv_h_avx2.
 *
 * vfmadd is a fused multiply-add on AVX2 and mul + add on SSE2: only kernels
 * whose reference allows rounding differences use it; the others use vmul
 * and vadd and stay bit-identical to the scalar reference. */
#ifndef ST_SIMD_X86_VEC_H
#define ST_SIMD_X86_VEC_H

#include <immintrin.h>

#if defined(ST_VEC_AVX2)
#define ST_FN(name) st_##name##_avx2
#define VW 8
typedef __m256 vf;
typedef __m256i vi;
#define vload(p) _mm256_loadu_ps(p)
#define vstore(p, v) _mm256_storeu_ps(p, v)
#define vset1(x) _mm256_set1_ps(x)
#define vzero() _mm256_setzero_ps()
#define vadd(a, b) _mm256_add_ps(a, b)
#define vsub(a, b) _mm256_sub_ps(a, b)
#define vmul(a, b) _mm256_mul_ps(a, b)
#define vdiv(a, b) _mm256_div_ps(a, b)
#define vfmadd(a, b, c) _mm256_fmadd_ps(a, b, c)
#define vmax(a, b) _mm256_max_ps(a, b) /* a > b ? a : b */
#define vmin(a, b) _mm256_min_ps(a, b) /* a < b ? a : b */
#define vcmple(a, b) _mm256_cmp_ps(a, b, _CMP_LE_OQ)
#define vcmpgt(a, b) _mm256_cmp_ps(a, b, _CMP_GT_OQ)
/* mask ? b : a */
#define vselect(mask, a, b) _mm256_blendv_ps(a, b, mask)
#define vcast_i(v) _mm256_castps_si256(v)
#define vcast_f(v) _mm256_castsi256_ps(v)
#define vcvt_i2f(v) _mm256_cvtepi32_ps(v)
#define vcvtt_f2i(v) _mm256_cvttps_epi32(v)
#define vstream(p, v) _mm256_stream_ps(p, v)
#elif defined(ST_VEC_SSE2)
#define ST_FN(name) st_##name##_sse2
#define VW 4
typedef __m128 vf;
typedef __m128i vi;
#define vload(p) _mm_loadu_ps(p)
#define vstore(p, v) _mm_storeu_ps(p, v)
#define vset1(x) _mm_set1_ps(x)
#define vzero() _mm_setzero_ps()
#define vadd(a, b) _mm_add_ps(a, b)
#define vsub(a, b) _mm_sub_ps(a, b)
#define vmul(a, b) _mm_mul_ps(a, b)
#define vdiv(a, b) _mm_div_ps(a, b)
#define vfmadd(a, b, c) _mm_add_ps(_mm_mul_ps(a, b), c)
#define vmax(a, b) _mm_max_ps(a, b) /* a > b ? a : b */
#define vmin(a, b) _mm_min_ps(a, b) /* a < b ? a : b */
#define vcmple(a, b) _mm_cmple_ps(a, b)
#define vcmpgt(a, b) _mm_cmpgt_ps(a, b)
static inline __m128 st_sse2_select(__m128 mask, __m128 a, __m128 b)
{
    return _mm_or_ps(_mm_and_ps(mask, b), _mm_andnot_ps(mask, a));
}
#define vselect(mask, a, b) st_sse2_select(mask, a, b)
#define vcast_i(v) _mm_castps_si128(v)
#define vcast_f(v) _mm_castsi128_ps(v)
#define vcvt_i2f(v) _mm_cvtepi32_ps(v)
#define vcvtt_f2i(v) _mm_cvttps_epi32(v)
#define vstream(p, v) _mm_stream_ps(p, v)
#else
#error "define ST_VEC_SSE2 or ST_VEC_AVX2 before including vec.h"
#endif

/* Non-temporal stores need VW-float alignment; the scalar head loops of the
 * kernels run until st_valigned, and an sfence makes the stores visible
 * before the kernel returns. */
#include <stdint.h>
#define st_valigned(p) ((((uintptr_t)(p)) & (VW * sizeof(float) - 1)) == 0)

#endif
