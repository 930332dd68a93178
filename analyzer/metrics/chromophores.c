/* Melanin / haemoglobin / shading decomposition (Tsumura et al. 2003 with
 * fixed absorption vectors; the derivation is in chromophores.h). Rows are
 * done in bands (st_parallel_for); the gain's sums are kept per row and
 * added in row order, so the output does not depend on the thread count. */
#include "metrics/chromophores.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "simd/kernels.h"

/* scripts/chromophore_vectors.py prints these. */
const double st_sigma_melanin[3] = {0.2413, 0.4620, 0.8534};
const double st_sigma_haemoglobin[3] = {0.1042, 0.6680, 0.7369};

/* Inverse of A = [sigma_m | sigma_h | 1] (columns), by cofactors. */
static void unmix_matrix(double inv[3][3])
{
    const double *m = st_sigma_melanin, *h = st_sigma_haemoglobin;
    double a[3][3];
    for (int k = 0; k < 3; k++) {
        a[k][0] = m[k];
        a[k][1] = h[k];
        a[k][2] = 1.0;
    }
    double c[3][3];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            int i1 = (i + 1) % 3, i2 = (i + 2) % 3, j1 = (j + 1) % 3, j2 = (j + 2) % 3;
            c[i][j] = a[i1][j1] * a[i2][j2] - a[i1][j2] * a[i2][j1];
        }
    double det = a[0][0] * c[0][0] + a[0][1] * c[0][1] + a[0][2] * c[0][2];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            inv[i][j] = c[j][i] / det;
}

void st_chromo_unmix(const double d[3], double mhs[3])
{
    double inv[3][3];
    unmix_matrix(inv);
    for (int i = 0; i < 3; i++)
        mhs[i] = inv[i][0] * d[0] + inv[i][1] * d[1] + inv[i][2] * d[2];
}

void st_chromo_mix(double m, double h, double s, double lin[3])
{
    for (int k = 0; k < 3; k++)
        lin[k] = exp(-(m * st_sigma_melanin[k] + h * st_sigma_haemoglobin[k] + s));
}

/* IEC 61966-2-1 encoding (the inverse of st_srgb_to_linear). */
static inline float srgb_encode(float v)
{
    return v <= 0.0031308f ? 12.92f * v : 1.055f * powf(v, 1.0f / 2.4f) - 0.055f;
}

typedef struct chromo_ctx {
    const st_image *rgb;
    const unsigned char *mask;
    size_t mstride;
    float inv[3][3];
    st_chromo *out;
    double *sum_y, *sum_s; /* per row, over the mask */
    size_t *n;             /* per row; (size_t)-1: out of memory */
} chromo_ctx;

static void chromo_rows(void *arg, int y0, int y1)
{
    const chromo_ctx *c = arg;
    int w = c->rgb->width;
    float *lin = st_alloc_floats(3 * (size_t)w);
    for (int y = y0; y < y1; y++) {
        c->sum_y[y] = c->sum_s[y] = 0;
        c->n[y] = 0;
        if (!lin) {
            c->n[y] = (size_t)-1;
            continue;
        }
        const float *src[3];
        for (int k = 0; k < 3; k++) {
            src[k] = st_image_row(c->rgb, k, y);
            st_srgb_to_linear(src[k], lin + (size_t)k * w, (size_t)w);
        }
        float *mo = st_image_row(c->out->melanin, 0, y);
        float *ho = st_image_row(c->out->haemoglobin, 0, y);
        float *so = st_image_row(c->out->shading, 0, y);
        const unsigned char *mrow = c->mask ? c->mask + (size_t)y * c->mstride : NULL;
        double sy = 0, ss = 0;
        size_t n = 0;
        for (int x = 0; x < w; x++) {
            float d[3];
            for (int k = 0; k < 3; k++) {
                float v = lin[(size_t)k * w + x];
                /* NaN and values under the floor both take the floor */
                d[k] = -logf(v > (float)ST_CHROMO_FLOOR ? v : (float)ST_CHROMO_FLOOR);
            }
            float r[3];
            for (int i = 0; i < 3; i++)
                r[i] = c->inv[i][0] * d[0] + c->inv[i][1] * d[1] + c->inv[i][2] * d[2];
            mo[x] = r[0];
            ho[x] = r[1];
            so[x] = srgb_encode(expf(-r[2]));
            if (!mrow || mrow[x]) {
                sy += st_luma709(src[0][x], src[1][x], src[2][x]);
                ss += so[x];
                n++;
            }
        }
        c->sum_y[y] = sy;
        c->sum_s[y] = ss;
        c->n[y] = n;
    }
    st_aligned_free(lin);
}

typedef struct gain_ctx {
    st_image *img;
    float gain;
} gain_ctx;

static void gain_rows(void *arg, int y0, int y1)
{
    const gain_ctx *g = arg;
    for (int y = y0; y < y1; y++) {
        float *row = st_image_row(g->img, 0, y);
        for (int x = 0; x < g->img->width; x++)
            row[x] *= g->gain;
    }
}

static int new_plane(const st_image *rgb, st_image **out, st_err *err)
{
    int rc = st_image_new(rgb->width, rgb->height, 1, out, err);
    if (rc == ST_OK) {
        (*out)->pixel_mm = rgb->pixel_mm;
        (*out)->unit = ST_UNIT_REL;
    }
    return rc;
}

void st_chromo_free(st_chromo *c)
{
    if (!c)
        return;
    st_image_free(c->melanin);
    st_image_free(c->haemoglobin);
    st_image_free(c->shading);
    memset(c, 0, sizeof *c);
}

/* The gain from the per-row sums, added in row order. */
static int matched_gain(const chromo_ctx *c, int h, double *gain, st_err *err)
{
    double sy = 0, ss = 0;
    size_t n = 0;
    for (int y = 0; y < h; y++) {
        sy += c->sum_y[y];
        ss += c->sum_s[y];
        n += c->n[y];
    }
    if (n == 0)
        return st_err_set(err, ST_EINVAL, "chromophores: the mask holds no pixel");
    if (!(ss > 0) || !(sy > 0))
        return st_err_set(err, ST_EINVAL,
                          "chromophores: the masked pixels are black (no shading to scale)");
    *gain = sy / ss;
    return ST_OK;
}

int st_chromophores(const st_image *rgb, const st_chromo_opts *opts, st_chromo *out,
                    st_err *err)
{
    if (!out)
        return st_err_set(err, ST_EINVAL, "chromophores: no output");
    memset(out, 0, sizeof *out);
    st_chromo_opts o = {0};
    if (opts)
        o = *opts;
    if (!rgb || rgb->channels != 3 || rgb->width < 1 || rgb->height < 1)
        return st_err_set(err, ST_EINVAL, "chromophores: needs a 3-channel (RGB) image");
    if (!(o.shading_gain >= 0) || !isfinite(o.shading_gain))
        return st_err_set(err, ST_EINVAL, "chromophores: shading gain %g is not >= 0",
                          o.shading_gain);
    int h = rgb->height, rc;
    double gain = o.shading_gain;
    if ((rc = new_plane(rgb, &out->melanin, err)) || (rc = new_plane(rgb, &out->haemoglobin, err)) ||
        (rc = new_plane(rgb, &out->shading, err))) {
        st_chromo_free(out);
        return rc;
    }
    chromo_ctx c = {.rgb = rgb, .mask = o.mask, .out = out};
    c.mstride = o.mask_stride ? o.mask_stride : (size_t)rgb->width;
    double inv[3][3];
    unmix_matrix(inv);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            c.inv[i][j] = (float)inv[i][j];
    c.sum_y = malloc((size_t)h * sizeof *c.sum_y);
    c.sum_s = malloc((size_t)h * sizeof *c.sum_s);
    c.n = malloc((size_t)h * sizeof *c.n);
    if (!c.sum_y || !c.sum_s || !c.n) {
        rc = st_err_set(err, ST_ENOMEM, "chromophores: out of memory");
        goto done;
    }
    st_parallel_for(o.threads, h, 16, chromo_rows, &c);
    for (int y = 0; y < h; y++)
        if (c.n[y] == (size_t)-1) {
            rc = st_err_set(err, ST_ENOMEM, "chromophores: out of memory");
            goto done;
        }
    if (gain == 0 && (rc = matched_gain(&c, h, &gain, err)))
        goto done;
    if (gain != 1.0) {
        gain_ctx g = {out->shading, (float)gain};
        st_parallel_for(o.threads, h, 64, gain_rows, &g);
    }
    out->shading_gain = gain;
    rc = ST_OK;
done:
    free(c.sum_y);
    free(c.sum_s);
    free(c.n);
    if (rc)
        st_chromo_free(out);
    return rc;
}
