/* Photometric stereo: a height map from >= 3 images under known distant
 * lights.
 *
 * Normals: Lambertian model I_k = rho * (l_k . n) (Woodham, "Photometric
 * method for determining surface orientation from multiple images", Opt.
 * Eng. 19(1), 1980). Per pixel, g = rho * n solves the least-squares system
 * over the lights whose sample is neither shadowed nor saturated (at least
 * three, not coplanar); the pseudo-inverse of every usable subset of lights
 * is computed once. Gradients p = dz/dx = -n_x/n_z, q = dz/dy = -n_y/n_z.
 *
 * Integration: Frankot & Chellappa, "A method for enforcing integrability in
 * shape from shading algorithms", IEEE PAMI 10(4), 1988: the least-squares
 * integrable surface in the Fourier basis, Z = (-i u P - i v Q) / (u^2 + v^2),
 * on a zero-padded grid of an FFTW-friendly size (so the surface is not
 * forced to be periodic over the image itself). */
#define _DEFAULT_SOURCE /* M_PI */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "fft/fft.h"
#include "metrics/detect.h"
#include "metrics/detect_internal.h"

#define PS_MAX_LIGHTS 12
#define PS_MAX_SLOPE 20.0f /* gradients beyond this are grazing noise */

typedef struct ps_ctx {
    const st_image *const *img;
    int n, w, h, pw;        /* pw: padded width of the gradient buffers */
    float lo, hi;
    const double *pinv;     /* per subset mask: 3 x n, row-major; NaN = unusable */
    float *p, *q;           /* padded gradient buffers */
    float *albedo;          /* w x h or NULL */
} ps_ctx;

/* Pseudo-inverse (L_S^T L_S)^-1 L_S^T of the lights in `mask`, 3 x n with
 * zero columns outside the mask; 0 if fewer than 3 or near-coplanar. */
static int subset_pinv(const double (*l)[3], int n, unsigned mask, double *out)
{
    double a[3][3] = {{0}};
    int cnt = 0;
    for (int k = 0; k < n; k++) {
        if (!(mask >> k & 1u))
            continue;
        cnt++;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                a[i][j] += l[k][i] * l[k][j];
    }
    if (cnt < 3)
        return 0;
    double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
                 a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
                 a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    if (fabs(det) < 1e-4)
        return 0;
    double inv[3][3];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            int i1 = (j + 1) % 3, i2 = (j + 2) % 3, j1 = (i + 1) % 3, j2 = (i + 2) % 3;
            inv[i][j] = (a[i1][j1] * a[i2][j2] - a[i1][j2] * a[i2][j1]) / det;
        }
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < n; k++) {
            double v = 0;
            if (mask >> k & 1u)
                for (int j = 0; j < 3; j++)
                    v += inv[i][j] * l[k][j];
            out[i * n + k] = v;
        }
    return 1;
}

static void normal_rows(void *arg, int y0, int y1)
{
    const ps_ctx *c = arg;
    /* n <= PS_MAX_LIGHTS is checked on entry; saying so here lets the
     * compiler see the row[] bound (GCC's -Warray-bounds otherwise assumes
     * the shift below allows k up to 31). */
    const int n = c->n < PS_MAX_LIGHTS ? c->n : PS_MAX_LIGHTS;
    unsigned all = (1u << n) - 1u;
    for (int y = y0; y < y1; y++) {
        const float *row[PS_MAX_LIGHTS];
        for (int k = 0; k < n; k++)
            row[k] = st_image_row(c->img[k], 0, y);
        float *pr = c->p + (size_t)y * c->pw, *qr = c->q + (size_t)y * c->pw;
        for (int x = 0; x < c->w; x++) {
            unsigned mask = 0;
            for (int k = 0; k < n; k++)
                mask |= (unsigned)(row[k][x] > c->lo && row[k][x] < c->hi) << k;
            const double *pi = c->pinv + (size_t)mask * 3 * n;
            if (isnan(pi[0]))
                pi = c->pinv + (size_t)all * 3 * n; /* too few good samples: use all */
            double g[3] = {0, 0, 0};
            for (int i = 0; i < 3; i++)
                for (int k = 0; k < n; k++)
                    g[i] += pi[i * n + k] * row[k][x];
            double rho = sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
            float p = 0.0f, q = 0.0f;
            if (rho > 1e-6 && g[2] > 1e-3 * rho) {
                p = (float)(-g[0] / g[2]);
                q = (float)(-g[1] / g[2]);
            }
            pr[x] = fmaxf(-PS_MAX_SLOPE, fminf(PS_MAX_SLOPE, p));
            qr[x] = fmaxf(-PS_MAX_SLOPE, fminf(PS_MAX_SLOPE, q));
            if (c->albedo)
                c->albedo[(size_t)y * c->w + x] = (float)rho;
        }
    }
}

static int check_inputs(const st_image *const *images, const double (*lights)[3], int n,
                        st_err *err)
{
    if (n < 3 || n > PS_MAX_LIGHTS || !images || !lights)
        return st_err_set(err, ST_EINVAL, "photometric stereo: %d images (3 to %d needed)", n,
                          PS_MAX_LIGHTS);
    for (int k = 0; k < n; k++) {
        if (!images[k] || images[k]->channels != 1 || images[k]->width != images[0]->width ||
            images[k]->height != images[0]->height)
            return st_err_set(err, ST_EINVAL,
                              "photometric stereo: image %d is not a gray image of the size "
                              "of image 0",
                              k);
        double len = sqrt(lights[k][0] * lights[k][0] + lights[k][1] * lights[k][1] +
                          lights[k][2] * lights[k][2]);
        if (!(len > 1e-6) || lights[k][2] <= 0.0)
            return st_err_set(err, ST_EINVAL,
                              "photometric stereo: light %d does not point towards the camera", k);
    }
    return ST_OK;
}

/* Table of pseudo-inverses for every subset of the (normalised) lights. */
static double *pinv_table(const double (*lights)[3], int n)
{
    double l[PS_MAX_LIGHTS][3];
    for (int k = 0; k < n; k++) {
        double len = sqrt(lights[k][0] * lights[k][0] + lights[k][1] * lights[k][1] +
                          lights[k][2] * lights[k][2]);
        for (int i = 0; i < 3; i++)
            l[k][i] = lights[k][i] / len;
    }
    size_t masks = (size_t)1 << n;
    double *t = malloc(masks * 3 * (size_t)n * sizeof *t);
    if (!t)
        return NULL;
    for (size_t m = 0; m < masks; m++)
        if (!subset_pinv((const double(*)[3])l, n, (unsigned)m, t + m * 3 * n))
            t[m * 3 * n] = NAN;
    return t;
}

typedef struct fc_ctx {
    st_complex *P, *Q;
    int pw, ph;
} fc_ctx;

/* Z = (-i u P - i v Q) / (u^2 + v^2), written into P; Q is scratch. */
static void fc_rows(void *arg, int y0, int y1)
{
    const fc_ctx *c = arg;
    int cw = c->pw / 2 + 1;
    for (int ky = y0; ky < y1; ky++) {
        double v = 2.0 * M_PI * (ky <= c->ph / 2 ? ky : ky - c->ph) / c->ph;
        for (int kx = 0; kx < cw; kx++) {
            size_t i = (size_t)ky * cw + kx;
            double u = 2.0 * M_PI * kx / c->pw, d = u * u + v * v;
            /* DC is the free constant; the Nyquist rows/columns carry no
             * derivative information for a real signal. */
            if (d == 0.0 || (c->pw % 2 == 0 && kx == c->pw / 2) ||
                (c->ph % 2 == 0 && ky == c->ph / 2)) {
                c->P[i][0] = c->P[i][1] = 0.0f;
                continue;
            }
            /* -i u (a + ib) = u b - i u a */
            double re = u * c->P[i][1] + v * c->Q[i][1];
            double im = -u * c->P[i][0] - v * c->Q[i][0];
            c->P[i][0] = (float)(re / d);
            c->P[i][1] = (float)(im / d);
        }
    }
}

/* Integrates the padded gradients p, q (pw x ph) into z (same layout). */
static int frankot_chellappa(float *p, float *q, int pw, int ph, int threads, float *z,
                             st_err *err)
{
    st_fft *fft = NULL;
    size_t nc = (size_t)(pw / 2 + 1) * ph;
    st_complex *P = st_fft_alloc_complex(nc), *Q = st_fft_alloc_complex(nc);
    int rc = (P && Q) ? st_fft_new(threads, &fft, err)
                      : st_err_set(err, ST_ENOMEM, "photometric stereo: out of memory (FFT)");
    if (!rc)
        rc = st_fft_r2c(fft, pw, ph, p, P, err);
    if (!rc)
        rc = st_fft_r2c(fft, pw, ph, q, Q, err);
    if (!rc) {
        fc_ctx c = {P, Q, pw, ph};
        st_parallel_for(threads, ph, 32, fc_rows, &c);
        rc = st_fft_c2r(fft, pw, ph, P, z, err);
    }
    st_fft_free_buf(P);
    st_fft_free_buf(Q);
    st_fft_free(fft);
    return rc;
}

int st_photostereo(const st_image *const *images, const double (*lights)[3], int n,
                   double pixel_mm, const st_photostereo_opts *opts, st_image **height,
                   st_image **albedo, st_err *err)
{
    *height = NULL;
    if (albedo)
        *albedo = NULL;
    int rc = check_inputs(images, lights, n, err);
    if (rc)
        return rc;
    int w = images[0]->width, h = images[0]->height, threads = opts ? opts->threads : 0;
    /* Pad by a margin so the periodic solution can relax back to flat
     * outside the image, then round up to a fast size. */
    int pw = st_fft_good_size(w + w / 8 + 8), ph = st_fft_good_size(h + h / 8 + 8);
    size_t np = (size_t)pw * ph;
    double *pinv = pinv_table(lights, n);
    float *p = st_fft_alloc_real(np), *q = st_fft_alloc_real(np), *z = st_fft_alloc_real(np);
    st_image *alb = NULL;
    if (!pinv || !p || !q || !z) {
        rc = st_err_set(err, ST_ENOMEM, "photometric stereo: out of memory for %dx%d", pw, ph);
        goto done;
    }
    if (isnan(pinv[(((size_t)1 << n) - 1) * 3 * n])) {
        rc = st_err_set(err, ST_EINVAL, "photometric stereo: the %d light directions are coplanar", n);
        goto done;
    }
    if (albedo && (rc = st_image_new(w, h, 1, &alb, err)))
        goto done;
    memset(p, 0, np * sizeof *p);
    memset(q, 0, np * sizeof *q);
    ps_ctx c = {images, n, w, h, pw, 0.02f, 0.98f, pinv, p, q, NULL};
    if (opts && opts->shadow_level > 0)
        c.lo = opts->shadow_level;
    if (opts && opts->saturate_level > 0)
        c.hi = opts->saturate_level;
    float *alb_buf = albedo ? st_det_alloc(w, h) : NULL;
    c.albedo = alb_buf;
    st_parallel_for(threads, h, 32, normal_rows, &c);
    rc = frankot_chellappa(p, q, pw, ph, threads, z, err);
    if (!rc)
        rc = st_image_new(w, h, 1, height, err);
    if (!rc) {
        /* z is in pixel units x (pw * ph) (unnormalised inverse FFT). */
        double scale = (pixel_mm > 0 ? pixel_mm * 1000.0 : 1.0) / (double)np;
        for (int y = 0; y < h; y++) {
            float *o = st_image_row(*height, 0, y);
            for (int x = 0; x < w; x++)
                o[x] = (float)(z[(size_t)y * pw + x] * scale);
        }
        (*height)->pixel_mm = pixel_mm > 0 ? pixel_mm : 0.0;
        (*height)->unit = pixel_mm > 0 ? ST_UNIT_UM : ST_UNIT_REL;
        if (alb && alb_buf) {
            for (int y = 0; y < h; y++)
                memcpy(st_image_row(alb, 0, y), alb_buf + (size_t)y * w, (size_t)w * sizeof(float));
            alb->pixel_mm = (*height)->pixel_mm;
            *albedo = alb;
            alb = NULL;
        }
    }
    st_aligned_free(alb_buf);
done:
    st_image_free(alb);
    free(pinv);
    st_fft_free_buf(p);
    st_fft_free_buf(q);
    st_fft_free_buf(z);
    return rc;
}
