#define _DEFAULT_SOURCE /* M_PI */
#include "metrics/acf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

/* Autocorrelation of the window·mask, normalised to 1 at zero lag: the
 * separable 1-D autocorrelations of a window cache (no mask), or the FFT of
 * window·mask (mask). */
typedef struct win_acf {
    const st_window_cache *wc; /* windows and their 1-D autocorrelations */
    float *full;               /* masked: fw x fh, circular lags */
    double full0;
} win_acf;

static int masked_win_acf(st_fft *fft, const st_spectrum *s, const unsigned char *mask,
                          size_t mstride, win_acf *wa, st_err *err)
{
    size_t nreal = (size_t)s->fw * s->fh, ncplx = (size_t)s->hw * s->fh;
    float *buf = st_fft_alloc_real(nreal);
    st_complex *G = st_fft_alloc_complex(ncplx);
    int rc = ST_OK;
    if (!buf || !G) {
        rc = st_err_set(err, ST_ENOMEM, "acf: out of memory");
        goto done;
    }
    memset(buf, 0, nreal * sizeof *buf);
    for (int y = 0; y < s->h; y++)
        for (int x = 0; x < s->w; x++)
            if (mask[(size_t)y * mstride + x])
                buf[(size_t)y * s->fw + x] = (float)(wa->wc->wx[x] * wa->wc->wy[y]);
    if ((rc = st_fft_r2c(fft, s->fw, s->fh, buf, G, err)))
        goto done;
    for (size_t i = 0; i < ncplx; i++) {
        G[i][0] = G[i][0] * G[i][0] + G[i][1] * G[i][1];
        G[i][1] = 0;
    }
    if ((rc = st_fft_c2r(fft, s->fw, s->fh, G, buf, err)))
        goto done;
    wa->full = buf;
    wa->full0 = buf[0];
    buf = NULL;
done:
    st_fft_free_buf(buf);
    st_fft_free_buf(G);
    return rc;
}

typedef struct acf_map {
    const float *a; /* circular ACF, fw x fh */
    int fw, fh;
    double a0;
    const win_acf *wa;
} acf_map;

/* Normalised ACF at an integer lag; NaN where the window overlap is too
 * small to trust the ratio. */
static double rho_at(const acf_map *m, int tx, int ty)
{
    int ix = ((tx % m->fw) + m->fw) % m->fw, iy = ((ty % m->fh) + m->fh) % m->fh;
    double wgt;
    if (m->wa->full)
        wgt = m->wa->full[(size_t)iy * m->fw + ix] / m->wa->full0;
    else
        wgt = m->wa->wc->ax[abs(tx)] * m->wa->wc->ay[abs(ty)];
    if (!(wgt > 0.05))
        return NAN;
    return m->a[(size_t)iy * m->fw + ix] / (m->a0 * wgt);
}

/* The normalised ACF on the lags |tx|, |ty| <= r of the search, each lag
 * computed once, when a direction march first needs it (INFINITY: not yet). */
typedef struct rho_grid {
    const acf_map *m;
    float *v;
    int r, n; /* n = 2r + 1 */
} rho_grid;

static int rho_grid_make(const acf_map *m, int r, rho_grid *g)
{
    g->m = m;
    g->r = r;
    g->n = 2 * r + 1;
    size_t cells = (size_t)g->n * g->n;
    g->v = malloc(cells * sizeof *g->v);
    if (!g->v)
        return -1;
    for (size_t i = 0; i < cells; i++)
        g->v[i] = INFINITY;
    return 0;
}

static inline float rho_cell(rho_grid *g, int tx, int ty)
{
    float *p = g->v + (size_t)(ty + g->r) * g->n + tx + g->r;
    if (isinf(*p))
        *p = (float)rho_at(g->m, tx, ty);
    return *p;
}

static double rho_bilinear(rho_grid *g, double x, double y)
{
    int x0 = (int)floor(x), y0 = (int)floor(y);
    double fx = x - x0, fy = y - y0;
    return (1 - fy) * ((1 - fx) * rho_cell(g, x0, y0) + fx * rho_cell(g, x0 + 1, y0)) +
           fy * ((1 - fx) * rho_cell(g, x0, y0 + 1) + fx * rho_cell(g, x0 + 1, y0 + 1));
}

/* Lag (pixels) at which the ACF first falls to s along direction th, or
 * INFINITY if it does not within rmax. */
static double decay_length(rho_grid *g, double th, double s, double step, double rmax)
{
    double c = cos(th), sn = sin(th), prev = 1.0;
    for (double r = step; r <= rmax; r += step) {
        double v = rho_bilinear(g, r * c, r * sn);
        if (isnan(v))
            return INFINITY;
        if (v <= s)
            return prev > v ? r - step * (s - v) / (prev - v) : r;
        prev = v;
    }
    return INFINITY;
}

int st_acf_params(st_fft *fft, st_spectrum *s, const unsigned char *mask, size_t mstride,
                  const st_acf_opts *o, int threads, double *sal_px, double *str, st_err *err)
{
    (void)threads;
    *sal_px = NAN;
    *str = NAN;
    win_acf wa = {s->wc, NULL, 0};
    st_window_cache own = {0};
    float *acf = NULL;
    int rc = ST_OK;
    double rmax = o->max_frac * (s->w < s->h ? s->w : s->h);
    int rgrid = (int)ceil(rmax) + 1; /* lags the search can touch */
    if (wa.wc && wa.wc->max_lag < rgrid)
        wa.wc = NULL;
    if (!wa.wc) {
        if (st_window_cache_make(s->w, s->h, s->window, rgrid, &own))
            return st_err_set(err, ST_ENOMEM, "acf: out of memory");
        wa.wc = &own;
    }
    if (mask && (rc = masked_win_acf(fft, s, mask, mstride, &wa, err)))
        goto done;
    /* The spectrum's input buffer is free now: the ACF goes there. */
    acf = s->real;
    s->real = NULL;
    if (!acf)
        acf = st_fft_alloc_real((size_t)s->fw * s->fh);
    if (!acf) {
        rc = st_err_set(err, ST_ENOMEM, "acf: out of memory");
        goto done;
    }
    if ((rc = st_fft_c2r(fft, s->fw, s->fh, s->F, acf, err)))
        goto done;
    st_spectrum_free(s); /* destroyed by the c2r transform */
    acf_map m = {acf, s->fw, s->fh, acf[0], &wa};
    if (!(m.a0 > 0))
        goto done; /* flat surface: no decay to measure */
    rho_grid g;
    if (rho_grid_make(&m, rgrid, &g)) {
        rc = st_err_set(err, ST_ENOMEM, "acf: out of memory");
        goto done;
    }
    double lo = INFINITY, hi = 0;
    for (int k = 0; k < o->n_dirs; k++) {
        double r = decay_length(&g, M_PI * k / o->n_dirs, o->s, o->step_px, rmax);
        lo = r < lo ? r : lo;
        hi = r > hi ? r : hi;
    }
    free(g.v);
    if (isfinite(lo)) {
        *sal_px = lo;
        *str = isfinite(hi) ? lo / hi : 0.0;
    }
done:
    st_window_cache_free(&own);
    st_fft_free_buf(wa.full);
    st_fft_free_buf(acf);
    return rc;
}

double st_texture_direction(const st_spectrum_sums *sums)
{
    /* The angular spectrum of a random surface is spiky at 1° (few
     * frequency samples per degree near the origin): the peak is searched
     * on the spectrum summed over ±APS_SMOOTH degrees, then refined. */
    enum { APS_SMOOTH = 5, APS_REFINE = 15 };
    int best = -1;
    double best_v = 0;
    for (int a = 0; a < ST_APS_BINS; a++) {
        double v = 0;
        for (int d = -APS_SMOOTH; d <= APS_SMOOTH; d++)
            v += sums->aps[(a + d + ST_APS_BINS) % ST_APS_BINS];
        if (v > best_v) {
            best_v = v;
            best = a;
        }
    }
    if (best < 0)
        return NAN;
    double c = 0, sn = 0;
    for (int d = -APS_REFINE; d <= APS_REFINE; d++) {
        int a = (best + d + ST_APS_BINS) % ST_APS_BINS;
        c += sums->aps_c[a];
        sn += sums->aps_s[a];
    }
    double wave = 0.5 * atan2(sn, c) * 180.0 / M_PI; /* wave vector, (-90, 90] */
    double lay = fmod(wave + 90.0 + 360.0, 180.0);
    return lay >= 180.0 ? lay - 180.0 : lay;
}
