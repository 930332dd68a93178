/* Grey-level morphology entry points (kernels.h): the active path's row
 * kernels, in pieces that fit an int. */
#include <limits.h>

#include "simd/simd_internal.h"

void st_rows_max(float *acc, const float *s, size_t n)
{
    const st_simd_fns *f = st_simd_fns_get();
    for (size_t i = 0; i < n; i += INT_MAX / 2)
        f->rows_max(acc + i, s + i, (int)(n - i < INT_MAX / 2 ? n - i : INT_MAX / 2));
}

void st_rows_min(float *acc, const float *s, size_t n)
{
    const st_simd_fns *f = st_simd_fns_get();
    for (size_t i = 0; i < n; i += INT_MAX / 2)
        f->rows_min(acc + i, s + i, (int)(n - i < INT_MAX / 2 ? n - i : INT_MAX / 2));
}
