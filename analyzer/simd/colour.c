/* Public colour conversions: the active path's element-wise kernels. */
#include "simd/simd_internal.h"

void st_srgb_to_linear(const float *in, float *out, size_t n)
{
    st_simd_fns_get()->srgb_to_linear(in, out, n);
}

void st_luminance(const float *r, const float *g, const float *b, float *y, size_t n)
{
    st_simd_fns_get()->luminance(r, g, b, y, n);
}

void st_srgb_to_lab(const float *r, const float *g, const float *b, float *L, float *a,
                    float *bstar, size_t n)
{
    st_simd_fns_get()->srgb_to_lab(r, g, b, L, a, bstar, n);
}
