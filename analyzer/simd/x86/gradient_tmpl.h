/* Sobel / Scharr / Laplacian on interior columns, vectorised (reference:
 * generic/gradient_c.c, formulas in generic/filter_px.h); bit-identical. */
#include "simd/generic/filter_px.h"
#include "simd/simd_internal.h"
#include "simd/x86/vec.h"

void ST_FN(grad3)(const float *a, const float *b, const float *c, float *gx, float *gy, int x0,
                  int x1, float we, float wm)
{
    const vf ve = vset1(we), vm = vset1(wm);
    int x = x0;
    for (; x + VW <= x1; x += VW) {
        if (gx) {
            vf da = vsub(vload(a + x + 1), vload(a + x - 1));
            vf dc = vsub(vload(c + x + 1), vload(c + x - 1));
            vf db = vsub(vload(b + x + 1), vload(b + x - 1));
            vstore(gx + x, vadd(vmul(ve, vadd(da, dc)), vmul(vm, db)));
        }
        if (gy) {
            vf el = vsub(vload(c + x - 1), vload(a + x - 1));
            vf er = vsub(vload(c + x + 1), vload(a + x + 1));
            vf em = vsub(vload(c + x), vload(a + x));
            vstore(gy + x, vadd(vmul(ve, vadd(el, er)), vmul(vm, em)));
        }
    }
    for (; x < x1; x++)
        st_grad3_px(a, b, c, x - 1, x, x + 1, we, wm, gx ? gx + x : NULL, gy ? gy + x : NULL);
}

void ST_FN(laplace)(const float *a, const float *b, const float *c, float *dst, int x0, int x1)
{
    const vf four = vset1(4.0f);
    int x = x0;
    for (; x + VW <= x1; x += VW) {
        vf s = vadd(vadd(vload(a + x), vload(c + x)), vadd(vload(b + x - 1), vload(b + x + 1)));
        vstore(dst + x, vsub(s, vmul(four, vload(b + x))));
    }
    for (; x < x1; x++)
        dst[x] = st_laplace_px(a, b, c, x - 1, x, x + 1);
}
