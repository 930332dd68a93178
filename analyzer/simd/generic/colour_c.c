/* Colour conversions, scalar reference. What is computed is spelled out in
 * colour_px.h: IEC 61966-2-1 sRGB decoding, Rec. 709 luminance on encoded
 * values, and CIE L*a*b* (CIE 15:2004) against the D65 white. */
/* On x86 the reference stays scalar: it is the baseline the SIMD paths are
 * measured against, and what SKINTRACK_SIMD=scalar promises. */
#if ST_HAVE_X86_SIMD && defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-vectorize")
#endif
#include "simd/generic/colour_px.h"
#include "simd/simd_internal.h"

void st_srgb_to_linear_c(const float *in, float *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = st_srgb_to_linear_px(in[i]);
}

void st_luminance_c(const float *r, const float *g, const float *b, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] = st_luminance_px(r[i], g[i], b[i]);
}

void st_srgb_to_lab_c(const float *r, const float *g, const float *b, float *L, float *a,
                      float *bs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        st_srgb_to_lab_px(r[i], g[i], b[i], &L[i], &a[i], &bs[i]);
}
