/* Public colour conversions: the active path's element-wise kernels. */
#include "simd/simd_internal.h"
#include "skintrack/skintrack.h"

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

int st_luminance_image(const st_image *rgb, st_image **out, st_err *err)
{
    int rc = st_image_new(rgb->width, rgb->height, 1, out, err);
    if (rc)
        return rc;
    for (int y = 0; y < rgb->height; y++)
        st_luminance(st_image_row(rgb, 0, y), st_image_row(rgb, 1, y), st_image_row(rgb, 2, y),
                     st_image_row(*out, 0, y), (size_t)rgb->width);
    (*out)->pixel_mm = rgb->pixel_mm;
    (*out)->unit = ST_UNIT_REL;
    return ST_OK;
}
