/* Coarse alignment. The log-polar step gives the angle only modulo 180
 * degrees and can be fooled by strongly oriented texture, so three
 * hypotheses are tried -- (theta, s), (theta + pi, s) and no rotation -- and
 * the translation correlation with the sharpest peak (highest PSR) wins. */
#define _XOPEN_SOURCE 700
#include "register/coarse.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "register/logpolar.h"
#include "register/phasecor.h"
#include "simd/kernels.h"

static double plane_mean(const st_plane *p)
{
    double s = 0.0;
    for (int y = 0; y < p->h; y++)
        for (int x = 0; x < p->w; x++)
            s += p->data[(size_t)y * p->stride + x];
    return s / ((double)p->w * p->h);
}

/* p copied to the top left of a W x H canvas filled with its mean. */
static float *on_canvas(const st_plane *p, int W, int H)
{
    float *c = st_alloc_floats((size_t)W * H);
    if (!c)
        return NULL;
    float mean = (float)plane_mean(p);
    for (size_t i = 0; i < (size_t)W * H; i++)
        c[i] = mean;
    for (int y = 0; y < p->h; y++)
        memcpy(c + (size_t)y * W, p->data + (size_t)y * p->stride, (size_t)p->w * sizeof *c);
    return c;
}

/* moving -> fixed: about the image centres, scale s and rotation th. */
static void rotscale_matrix(const st_plane *f, const st_plane *mv, double th, double s, double m[9])
{
    double cf[9] = {1, 0, (f->w - 1) / 2.0, 0, 1, (f->h - 1) / 2.0, 0, 0, 1};
    double cm[9] = {1, 0, -(mv->w - 1) / 2.0, 0, 1, -(mv->h - 1) / 2.0, 0, 0, 1};
    double a[9] = {s * cos(th), -s * sin(th), 0, s * sin(th), s * cos(th), 0, 0, 0, 1};
    double t[9];
    st_mat3_mul(cf, a, t);
    st_mat3_mul(t, cm, m);
}

/* Translation left after warping moving by m0; m gets T(-t) m0. */
static int try_hypothesis(st_fft *fft, const st_plane *f, const st_plane *mv, const double m0[9],
                          float *warped, int threads, double m[9], double *psr, st_err *err)
{
    double inv[9];
    if (!st_mat3_inverse(m0, inv))
        return st_err_set(err, ST_EINTERNAL, "coarse: singular hypothesis");
    int rc = st_warp_perspective(mv->data, mv->stride, mv->w, mv->h, warped, (size_t)f->w, f->w,
                                 f->h, inv, (float)plane_mean(mv), NULL, threads);
    if (rc)
        return st_err_set(err, rc, "coarse: warp failed");
    st_phasecor_result pc;
    if ((rc = st_phasecor(fft, f->data, f->stride, warped, (size_t)f->w, f->w, f->h,
                          ST_PC_WINDOW_X | ST_PC_WINDOW_Y, 1, &pc, err)))
        return rc;
    /* warped(x) = fixed(x - t): a warped pixel z lies at z - t in fixed. */
    double t[9] = {1, 0, -pc.dx, 0, 1, -pc.dy, 0, 0, 1};
    st_mat3_mul(t, m0, m);
    *psr = pc.psr;
    return ST_OK;
}

int st_coarse_align(st_fft *fft, const st_plane *fixed, const st_plane *moving, int threads,
                    double m[9], double *psr, st_err *err)
{
    int W = fixed->w > moving->w ? fixed->w : moving->w;
    int H = fixed->h > moving->h ? fixed->h : moving->h;
    float *cf = on_canvas(fixed, W, H), *cm = on_canvas(moving, W, H);
    float *warped = st_alloc_floats((size_t)fixed->w * fixed->h);
    int rc = ST_OK;
    if (!cf || !cm || !warped) {
        rc = st_err_set(err, ST_ENOMEM, "coarse: out of memory (%dx%d)", W, H);
        goto done;
    }
    st_rotscale rs;
    if ((rc = st_logpolar_rotscale(fft, cf, (size_t)W, cm, (size_t)W, W, H, &rs, err)))
        goto done;
    double hyp[3][2] = {{rs.angle_rad, rs.scale}, {rs.angle_rad + M_PI, rs.scale}, {0.0, 1.0}};
    int nh = (rs.scale > 0.5 && rs.scale < 2.0) ? 3 : 1;
    *psr = -1.0;
    for (int i = 3 - nh; i < 3; i++) {
        double m0[9], mi[9], p = -1.0;
        rotscale_matrix(fixed, moving, hyp[i][0], hyp[i][1], m0);
        if ((rc = try_hypothesis(fft, fixed, moving, m0, warped, threads, mi, &p, err)))
            goto done;
        if (p > *psr) {
            *psr = p;
            memcpy(m, mi, sizeof mi);
        }
    }
done:
    st_aligned_free(cf);
    st_aligned_free(cm);
    st_aligned_free(warped);
    return rc;
}
