/* Sobel / Scharr / Laplacian on interior columns, vectorised (reference:
 * generic/gradient_c.c, formulas in generic/filter_px.h); bit-identical.
 * Large images are written with non-temporal stores (ST_STREAM_MIN_FLOATS). */
#include "simd/generic/filter_px.h"
#include "simd/simd_internal.h"
#include "simd/x86/vec.h"

static inline vf grad_x(const float *a, const float *b, const float *c, int x, vf ve, vf vm)
{
    vf da = vsub(vload(a + x + 1), vload(a + x - 1));
    vf dc = vsub(vload(c + x + 1), vload(c + x - 1));
    vf db = vsub(vload(b + x + 1), vload(b + x - 1));
    return vadd(vmul(ve, vadd(da, dc)), vmul(vm, db));
}

static inline vf grad_y(const float *a, const float *c, int x, vf ve, vf vm)
{
    vf el = vsub(vload(c + x - 1), vload(a + x - 1));
    vf er = vsub(vload(c + x + 1), vload(a + x + 1));
    vf em = vsub(vload(c + x), vload(a + x));
    return vadd(vmul(ve, vadd(el, er)), vmul(vm, em));
}

void ST_FN(grad3)(const float *a, const float *b, const float *c, float *gx, float *gy, int x0,
                  int x1, float we, float wm, int stream)
{
    const vf ve = vset1(we), vm = vset1(wm);
    int x = x0;
    float *any = gx ? gx : gy;
    if (stream && any) {
        /* whole 64-byte lines of one output, then of the other: interleaving
         * partial lines of two streams defeats the write combining (6x slower
         * on SSE2, measured) */
        for (; x < x1 && ((uintptr_t)(any + x) & 63); x++)
            st_grad3_px(a, b, c, x - 1, x, x + 1, we, wm, gx ? gx + x : NULL, gy ? gy + x : NULL);
        if ((!gx || !((uintptr_t)(gx + x) & 63)) && (!gy || !((uintptr_t)(gy + x) & 63))) {
            for (; x + 16 <= x1; x += 16) {
                if (gx)
                    for (int i = 0; i < 16; i += VW)
                        vstream(gx + x + i, grad_x(a, b, c, x + i, ve, vm));
                if (gy)
                    for (int i = 0; i < 16; i += VW)
                        vstream(gy + x + i, grad_y(a, c, x + i, ve, vm));
            }
            _mm_sfence();
        }
    }
    for (; x + VW <= x1; x += VW) {
        if (gx)
            vstore(gx + x, grad_x(a, b, c, x, ve, vm));
        if (gy)
            vstore(gy + x, grad_y(a, c, x, ve, vm));
    }
    for (; x < x1; x++)
        st_grad3_px(a, b, c, x - 1, x, x + 1, we, wm, gx ? gx + x : NULL, gy ? gy + x : NULL);
}

static inline vf lap(const float *a, const float *b, const float *c, int x)
{
    vf s = vadd(vadd(vload(a + x), vload(c + x)), vadd(vload(b + x - 1), vload(b + x + 1)));
    return vsub(s, vmul(vset1(4.0f), vload(b + x)));
}

void ST_FN(laplace)(const float *a, const float *b, const float *c, float *dst, int x0, int x1,
                    int stream)
{
    int x = x0;
    if (stream) {
        for (; x < x1 && !st_valigned(dst + x); x++)
            dst[x] = st_laplace_px(a, b, c, x - 1, x, x + 1);
        for (; x + VW <= x1; x += VW)
            vstream(dst + x, lap(a, b, c, x));
        _mm_sfence();
    }
    for (; x + VW <= x1; x += VW)
        vstore(dst + x, lap(a, b, c, x));
    for (; x < x1; x++)
        dst[x] = st_laplace_px(a, b, c, x - 1, x, x + 1);
}
