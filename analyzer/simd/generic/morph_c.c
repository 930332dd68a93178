/* Grey-level morphology, scalar reference: the running max (or min) of a
 * row with a shifted source row, in the comparison order of the SSE2 /
 * AVX2 max and min instructions (the first operand when it is larger, else
 * the second), so every path is bit-identical, signed zeros included. */
/* On x86 the reference stays scalar: it is the baseline the SIMD paths are
 * measured against, and what SKINTRACK_SIMD=scalar promises. */
#if ST_HAVE_X86_SIMD && defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-vectorize")
#endif
#include "simd/simd_internal.h"

void st_rows_max_c(float *acc, const float *s, int n)
{
    for (int x = 0; x < n; x++)
        acc[x] = acc[x] > s[x] ? acc[x] : s[x];
}

void st_rows_min_c(float *acc, const float *s, int n)
{
    for (int x = 0; x < n; x++)
        acc[x] = acc[x] < s[x] ? acc[x] : s[x];
}
