/* 2x2 block mean, vectorised (reference: generic/downsample_c.c):
 * vertical pair sums, then even + odd lanes; bit-identical. */
#include "simd/generic/filter_px.h"
#include "simd/simd_internal.h"
#include "simd/x86/vec.h"

/* (s0, s1) hold 2 VW consecutive vertical sums e0 o0 e1 o1 ...; returns the
 * VW pair sums e_i + o_i in order. */
static inline vf pair_sums(vf s0, vf s1)
{
#if defined(ST_VEC_AVX2)
    vf e = _mm256_shuffle_ps(s0, s1, _MM_SHUFFLE(2, 0, 2, 0));
    vf o = _mm256_shuffle_ps(s0, s1, _MM_SHUFFLE(3, 1, 3, 1));
    /* in-lane shuffles leave the 64-bit chunks in order 0, 2, 1, 3 */
    return _mm256_castpd_ps(
        _mm256_permute4x64_pd(_mm256_castps_pd(vadd(e, o)), _MM_SHUFFLE(3, 1, 2, 0)));
#else
    vf e = _mm_shuffle_ps(s0, s1, _MM_SHUFFLE(2, 0, 2, 0));
    vf o = _mm_shuffle_ps(s0, s1, _MM_SHUFFLE(3, 1, 3, 1));
    return vadd(e, o);
#endif
}

void ST_FN(down2)(const float *a, const float *b, float *dst, int n)
{
    const vf q = vset1(0.25f);
    int i = 0;
    for (; i + VW <= n; i += VW) {
        const float *pa = a + 2 * i, *pb = b + 2 * i;
        vf s0 = vadd(vload(pa), vload(pb));
        vf s1 = vadd(vload(pa + VW), vload(pb + VW));
        vstore(dst + i, vmul(q, pair_sums(s0, s1)));
    }
    for (; i < n; i++)
        dst[i] = st_down2_px(a[2 * i], a[2 * i + 1], b[2 * i], b[2 * i + 1]);
}
