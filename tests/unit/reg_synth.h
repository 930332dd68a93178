/* Synthetic registration pairs with an exact known transform: a smooth random
 * texture is sampled through a chosen matrix (st_warp_perspective, bicubic),
 * then an exposure gain, a light ramp and Gaussian noise are applied. Shared
 * by the registration tests and the benchmark. */
#ifndef ST_REG_SYNTH_H
#define ST_REG_SYNTH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "register/register.h"
#include "simd/kernels.h"

typedef struct synth_rng {
    uint64_t s;
} synth_rng;

static inline double synth_uniform(synth_rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (double)(r->s >> 11) * (1.0 / 9007199254740992.0);
}

static inline double synth_gauss(synth_rng *r)
{
    double u = synth_uniform(r), v = synth_uniform(r);
    return sqrt(-2.0 * log(u + 1e-300)) * cos(2.0 * M_PI * v);
}

/* Random texture w x h (dense): blurred noise at three scales, about [0.2, 0.8]. */
static inline float *synth_texture(int w, int h, uint64_t seed)
{
    synth_rng r = {seed * 2654435761u + 88172645463325252ull};
    size_t n = (size_t)w * h;
    float *out = st_alloc_floats(n), *tmp = st_alloc_floats(n);
    const double sig[3] = {1.5, 5.0, 14.0}, amp[3] = {0.5, 0.8, 1.2};
    for (int k = 0; k < 3; k++) {
        for (size_t i = 0; i < n; i++)
            tmp[i] = (float)synth_gauss(&r);
        st_gaussian_blur(tmp, (size_t)w, tmp, (size_t)w, w, h, sig[k], 1);
        double ss = 0;
        for (size_t i = 0; i < n; i++)
            ss += (double)tmp[i] * tmp[i];
        double sd = sqrt(ss / n);
        for (size_t i = 0; i < n; i++)
            out[i] += (float)(amp[k] * tmp[i] / sd);
    }
    for (size_t i = 0; i < n; i++)
        out[i] = (float)(0.5 + 0.08 * out[i]);
    st_aligned_free(tmp);
    return out;
}

typedef struct synth_params {
    double m[9];     /* moving -> fixed (the ground truth) */
    double gain;     /* exposure of the moving image */
    double ramp;     /* light: 1 + ramp * (x / w - 0.5) on the moving image */
    double noise_sd; /* additive Gaussian noise on both */
} synth_params;

/* fixed(y) = S(y + o), moving(x) = S(M x + o): so M maps moving to fixed. */
static inline void synth_pair(const float *scene, int sw, int sh, int w, int h,
                              const synth_params *p, uint64_t seed, st_image **fixed,
                              st_image **moving)
{
    st_image_new(w, h, 1, fixed, NULL);
    st_image_new(w, h, 1, moving, NULL);
    double ox = (sw - w) / 2.0, oy = (sh - h) / 2.0;
    double t[9] = {1, 0, ox, 0, 1, oy, 0, 0, 1}, tm[9];
    st_mat3_mul(t, p->m, tm);
    st_warp_perspective(scene, (size_t)sw, sw, sh, (*fixed)->data, (*fixed)->stride, w, h, t, 0.5f,
                        NULL, 1);
    st_warp_perspective(scene, (size_t)sw, sw, sh, (*moving)->data, (*moving)->stride, w, h, tm,
                        0.5f, NULL, 1);
    synth_rng r = {seed * 7919u + 1};
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            float *f = (*fixed)->data + (size_t)y * (*fixed)->stride + x;
            float *mv = (*moving)->data + (size_t)y * (*moving)->stride + x;
            double light = p->gain * (1.0 + p->ramp * ((double)x / w - 0.5));
            *f = (float)(*f + p->noise_sd * synth_gauss(&r));
            *mv = (float)(*mv * light + p->noise_sd * synth_gauss(&r));
        }
}

/* A moving -> fixed matrix: rotation th (rad) and scale s about the centre,
 * translation (tx, ty), perspective (px, py) applied before. */
static inline void synth_matrix(int w, int h, double th, double s, double tx, double ty,
                                double px, double py, double m[9])
{
    double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
    double c1[9] = {1, 0, -cx, 0, 1, -cy, 0, 0, 1};
    double pp[9] = {1, 0, 0, 0, 1, 0, px, py, 1};
    double a[9] = {s * cos(th), -s * sin(th), 0, s * sin(th), s * cos(th), 0, 0, 0, 1};
    double c2[9] = {1, 0, cx + tx, 0, 1, cy + ty, 0, 0, 1}, t1[9], t2[9];
    st_mat3_mul(pp, c1, t1);
    st_mat3_mul(a, t1, t2);
    st_mat3_mul(c2, t2, m);
    for (int i = 0; i < 9; i++)
        m[i] /= m[8];
}

/* Mean and max distance of the moving image's corners under a and b. */
static inline void synth_corner_error(const double a[9], const double b[9], int w, int h,
                                      double *mean, double *max)
{
    const double cx[4] = {0, w - 1.0, 0, w - 1.0}, cy[4] = {0, 0, h - 1.0, h - 1.0};
    *mean = 0;
    *max = 0;
    for (int i = 0; i < 4; i++) {
        double ua, va, ub, vb;
        st_mat3_apply(a, cx[i], cy[i], &ua, &va);
        st_mat3_apply(b, cx[i], cy[i], &ub, &vb);
        double d = hypot(ua - ub, va - vb);
        *mean += d / 4;
        *max = d > *max ? d : *max;
    }
}

#endif
