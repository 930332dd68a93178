/* Box filter, scalar reference: the column sums, element-wise acc += s and
 * the sliding update out = (acc + add) - sub; the row sums, a running sum in
 * double along each padded row (filter_px.h st_box_h_row), eight rows per
 * call. SIMD paths are bit-identical. */
/* On x86 the reference stays scalar: it is the baseline the SIMD paths are
 * measured against, and what SKINTRACK_SIMD=scalar promises. */
#if ST_HAVE_X86_SIMD && defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-vectorize")
#endif
#include "simd/generic/filter_px.h"
#include "simd/simd_internal.h"

void st_rows_add_c(float *acc, const float *s, int n)
{
    for (int x = 0; x < n; x++)
        acc[x] = acc[x] + s[x];
}

void st_rows_slide_c(float *out, const float *acc, const float *add, const float *sub, int n)
{
    for (int x = 0; x < n; x++)
        out[x] = (acc[x] + add[x]) - sub[x];
}

void st_box_h8_c(const float *const pad[8], int w, int r, double inv, float *const dst[8])
{
    for (int i = 0; i < 8; i++)
        st_box_h_row(pad[i], w, r, inv, dst[i]);
}
