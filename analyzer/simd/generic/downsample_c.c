/* 2x2 block mean, scalar reference: dst[i] = ((a[2i] + b[2i]) + (a[2i+1] +
 * b[2i+1])) / 4 (filter_px.h). Bit-identical SIMD. */
/* On x86 the reference stays scalar: it is the baseline the SIMD paths are
 * measured against, and what SKINTRACK_SIMD=scalar promises. */
#if ST_HAVE_X86_SIMD && defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-vectorize")
#endif
#include "simd/generic/filter_px.h"
#include "simd/simd_internal.h"

void st_down2_c(const float *a, const float *b, float *dst, int n)
{
    for (int i = 0; i < n; i++)
        dst[i] = st_down2_px(a[2 * i], a[2 * i + 1], b[2 * i], b[2 * i + 1]);
}
