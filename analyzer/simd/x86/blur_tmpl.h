/* Symmetric convolution, vectorised (reference: generic/blur_c.c). Four
 * vectors of outputs per pass over the taps, so each broadcast tap serves
 * 4 x VW outputs. The sum runs j = 1..r as in the reference; SSE2 is
 * bit-identical on SSE2 and AVX2: the multiply and the add stay separate
 * (no FMA), because a fused multiply-add rounds differently and the blur
 * feeds every printed metric (flattening, detections), which must be the same
 * bytes on every path (SPEC.md, "Outputs of analyze"). */
#include "simd/generic/filter_px.h"
#include "simd/simd_internal.h"
#include "simd/x86/vec.h"

#define BLUR_MADD(a, b, c) vadd(c, vmul(a, b))

void ST_FN(conv_h)(const float *p, const float *k, int r, float *dst, int n)
{
    int x = 0;
    const vf k0 = vset1(k[0]);
    for (; x + 4 * VW <= n; x += 4 * VW) {
        const float *c = p + x + r;
        vf a0 = vmul(k0, vload(c)), a1 = vmul(k0, vload(c + VW));
        vf a2 = vmul(k0, vload(c + 2 * VW)), a3 = vmul(k0, vload(c + 3 * VW));
        for (int j = 1; j <= r; j++) {
            vf kj = vset1(k[j]);
            a0 = BLUR_MADD(kj, vadd(vload(c - j), vload(c + j)), a0);
            a1 = BLUR_MADD(kj, vadd(vload(c - j + VW), vload(c + j + VW)), a1);
            a2 = BLUR_MADD(kj, vadd(vload(c - j + 2 * VW), vload(c + j + 2 * VW)), a2);
            a3 = BLUR_MADD(kj, vadd(vload(c - j + 3 * VW), vload(c + j + 3 * VW)), a3);
        }
        vstore(dst + x, a0);
        vstore(dst + x + VW, a1);
        vstore(dst + x + 2 * VW, a2);
        vstore(dst + x + 3 * VW, a3);
    }
    for (; x + VW <= n; x += VW) {
        const float *c = p + x + r;
        vf a0 = vmul(k0, vload(c));
        for (int j = 1; j <= r; j++)
            a0 = BLUR_MADD(vset1(k[j]), vadd(vload(c - j), vload(c + j)), a0);
        vstore(dst + x, a0);
    }
    for (; x < n; x++)
        dst[x] = st_conv_h_px(p + x + r, k, r);
}

void ST_FN(conv_v)(const float *const *rows, const float *k, int r, size_t x0, float *dst, int n)
{
    int i = 0;
    const vf k0 = vset1(k[0]);
    for (; i + 4 * VW <= n; i += 4 * VW) {
        size_t x = x0 + (size_t)i;
        const float *c = rows[r] + x;
        vf a0 = vmul(k0, vload(c)), a1 = vmul(k0, vload(c + VW));
        vf a2 = vmul(k0, vload(c + 2 * VW)), a3 = vmul(k0, vload(c + 3 * VW));
        for (int j = 1; j <= r; j++) {
            vf kj = vset1(k[j]);
            const float *u = rows[r - j] + x, *d = rows[r + j] + x;
            a0 = BLUR_MADD(kj, vadd(vload(u), vload(d)), a0);
            a1 = BLUR_MADD(kj, vadd(vload(u + VW), vload(d + VW)), a1);
            a2 = BLUR_MADD(kj, vadd(vload(u + 2 * VW), vload(d + 2 * VW)), a2);
            a3 = BLUR_MADD(kj, vadd(vload(u + 3 * VW), vload(d + 3 * VW)), a3);
        }
        vstore(dst + i, a0);
        vstore(dst + i + VW, a1);
        vstore(dst + i + 2 * VW, a2);
        vstore(dst + i + 3 * VW, a3);
    }
    for (; i + VW <= n; i += VW) {
        size_t x = x0 + (size_t)i;
        vf a0 = vmul(k0, vload(rows[r] + x));
        for (int j = 1; j <= r; j++)
            a0 = BLUR_MADD(vset1(k[j]), vadd(vload(rows[r - j] + x), vload(rows[r + j] + x)), a0);
        vstore(dst + i, a0);
    }
    for (; i < n; i++) {
        size_t x = x0 + (size_t)i;
        float acc = k[0] * rows[r][x];
        for (int j = 1; j <= r; j++)
            acc = acc + k[j] * (rows[r - j][x] + rows[r + j][x]);
        dst[i] = acc;
    }
}
