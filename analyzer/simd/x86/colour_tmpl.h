/* Colour kernels, vectorised (see generic/colour_px.h for what they compute);
 * every lane performs the reference's operations in its order, so results
 * are bit-identical. Both branches are evaluated and blended. */
#include "simd/generic/colour_px.h"
#include "simd/simd_internal.h"
#include "simd/x86/vec.h"

static inline vf v_bits_guess(vf x, float inv_n, float k)
{
    vi i = vcvtt_f2i(vadd(vmul(vcvt_i2f(vcast_i(x)), vset1(inv_n)), vset1(k)));
    return vcast_f(i);
}

static inline vf v_root5(vf x)
{
    vf g = v_bits_guess(x, 0.2f, ST_ROOT5_K);
    for (int i = 0; i < 3; i++) {
        vf g2 = vmul(g, g);
        g = vadd(vmul(vset1(0.8f), g), vmul(vset1(0.2f), vdiv(x, vmul(g2, g2))));
    }
    return g;
}

static inline vf v_root3(vf x)
{
    vf g = v_bits_guess(x, 0.33333334f, ST_ROOT3_K);
    for (int i = 0; i < 3; i++)
        g = vadd(vmul(vset1(0.6666667f), g), vmul(vset1(0.33333334f), vdiv(x, vmul(g, g))));
    return g;
}

static inline vf v_srgb_to_linear(vf v)
{
    vf lin = vdiv(v, vset1(ST_SRGB_SLOPE));
    vf u = vdiv(vadd(v, vset1(ST_SRGB_OFF)), vset1(ST_SRGB_SCALE));
    vf q = v_root5(u);
    vf p = vmul(vmul(u, u), vmul(q, q));
    return vselect(vcmple(v, vset1(ST_SRGB_KNEE)), p, lin);
}

static inline vf v_lab_f(vf t)
{
    vf lin = vadd(vmul(vset1(ST_LAB_KAPPA), t), vset1(ST_LAB_OFF));
    return vselect(vcmpgt(t, vset1(ST_LAB_EPS)), lin, v_root3(t));
}

static inline vf v_dot3(vf r, vf g, vf b, float kr, float kg, float kb)
{
    return vadd(vadd(vmul(vset1(kr), r), vmul(vset1(kg), g)), vmul(vset1(kb), b));
}

void ST_FN(srgb_to_linear)(const float *in, float *out, size_t n)
{
    size_t i = 0;
    if (n >= ST_STREAM_MIN_FLOATS && in != out) {
        for (; i < n && !st_valigned(out + i); i++)
            out[i] = st_srgb_to_linear_px(in[i]);
        for (; i + VW <= n; i += VW)
            vstream(out + i, v_srgb_to_linear(vload(in + i)));
        _mm_sfence();
    }
    for (; i + VW <= n; i += VW)
        vstore(out + i, v_srgb_to_linear(vload(in + i)));
    for (; i < n; i++)
        out[i] = st_srgb_to_linear_px(in[i]);
}

static inline vf v_luminance(vf r, vf g, vf b)
{
    return vadd(g, vadd(vmul(vset1(0.2126f), vsub(r, g)), vmul(vset1(0.0722f), vsub(b, g))));
}

void ST_FN(luminance)(const float *r, const float *g, const float *b, float *y, size_t n)
{
    size_t i = 0;
    if (n >= ST_STREAM_MIN_FLOATS) {
        for (; i < n && !st_valigned(y + i); i++)
            y[i] = st_luminance_px(r[i], g[i], b[i]);
        for (; i + VW <= n; i += VW)
            vstream(y + i, v_luminance(vload(r + i), vload(g + i), vload(b + i)));
        _mm_sfence();
    }
    for (; i + VW <= n; i += VW)
        vstore(y + i, v_luminance(vload(r + i), vload(g + i), vload(b + i)));
    for (; i < n; i++)
        y[i] = st_luminance_px(r[i], g[i], b[i]);
}

void ST_FN(srgb_to_lab)(const float *r, const float *g, const float *b, float *L, float *a,
                        float *bs, size_t n)
{
    size_t i = 0;
    for (; i + VW <= n; i += VW) {
        vf lr = v_srgb_to_linear(vload(r + i));
        vf lg = v_srgb_to_linear(vload(g + i));
        vf lb = v_srgb_to_linear(vload(b + i));
        vf fx = v_lab_f(v_dot3(lr, lg, lb, ST_XR, ST_XG, ST_XB));
        vf fy = v_lab_f(v_dot3(lr, lg, lb, ST_YR, ST_YG, ST_YB));
        vf fz = v_lab_f(v_dot3(lr, lg, lb, ST_ZR, ST_ZG, ST_ZB));
        vstore(L + i, vsub(vmul(vset1(116.0f), fy), vset1(16.0f)));
        vstore(a + i, vmul(vset1(500.0f), vsub(fx, fy)));
        vstore(bs + i, vmul(vset1(200.0f), vsub(fy, fz)));
    }
    for (; i < n; i++)
        st_srgb_to_lab_px(r[i], g[i], b[i], &L[i], &a[i], &bs[i]);
}
