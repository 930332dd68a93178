#define _DEFAULT_SOURCE /* M_PI */
#include "metrics/acf.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "metrics/blocks.h"

/* Autocorrelation of the window·mask, normalised to 1 at zero lag: the
 * separable 1-D autocorrelations of the windows (no mask), or the FFT of
 * window·mask (mask). The 1-D ones come complete from a shared cache
 * (tiles), or are computed lag by lag when the search first needs them (a
 * 12 MP plane: a few hundred lags of the 1500 a complete table would hold). */
typedef struct win_acf {
    const st_window_cache *wc; /* windows (and, if ready, their autocorrelations) */
    const double *ax, *ay;     /* complete 1-D autocorrelations, or NULL */
    double *lx, *ly;           /* else lazily filled: NaN = not yet */
    double w0x, w0y;           /* Σ window² (lazy case) */
    float *full;               /* masked: fw x fh, circular lags */
    double full0;
} win_acf;

static double sum_sq(const double *win, int n)
{
    double w0 = 0;
    for (int i = 0; i < n; i++)
        w0 += win[i] * win[i];
    return w0;
}

/* Σ_i w_i w_{i+t} / Σ_i w_i², summed as st_window_cache_make does. */
static double lag_1d(const double *full, double *lazy, const double *win, int n, double w0, int t)
{
    if (full)
        return full[t];
    if (isnan(lazy[t])) {
        double acc = 0;
        for (int i = 0; i + t < n; i++)
            acc += win[i] * win[i + t];
        lazy[t] = acc / w0;
    }
    return lazy[t];
}

typedef struct wm_ctx {
    const st_spectrum *s;
    const unsigned char *mask;
    size_t mstride;
    const st_window_cache *wc;
    float *buf;
    st_complex *G;
} wm_ctx;

/* Rows y0..y1 of window·mask (padding zero). */
static void wm_fill_block(void *arg, int b, int y0, int y1)
{
    (void)b;
    const wm_ctx *c = arg;
    int fw = c->s->fw;
    for (int y = y0; y < y1; y++) {
        float *o = c->buf + (size_t)y * fw;
        memset(o, 0, (size_t)fw * sizeof *o);
        if (y >= c->s->h)
            continue;
        const unsigned char *m = c->mask + (size_t)y * c->mstride;
        for (int x = 0; x < c->s->w; x++)
            if (m[x])
                o[x] = (float)(c->wc->wx[x] * c->wc->wy[y]);
    }
}

/* |G|² of spectrum rows y0..y1, in place. */
static void wm_power_block(void *arg, int b, int y0, int y1)
{
    (void)b;
    const wm_ctx *c = arg;
    for (size_t i = (size_t)y0 * c->s->hw; i < (size_t)y1 * c->s->hw; i++) {
        c->G[i][0] = c->G[i][0] * c->G[i][0] + c->G[i][1] * c->G[i][1];
        c->G[i][1] = 0;
    }
}

/* The per-element passes run on `threads` (fixed row blocks, no sums: the
 * same values for any count). */
static int masked_win_acf(st_fft *fft, const st_spectrum *s, const unsigned char *mask,
                          size_t mstride, int threads, win_acf *wa, st_err *err)
{
    size_t nreal = (size_t)s->fw * s->fh, ncplx = (size_t)s->hw * s->fh;
    float *buf = st_fft_alloc_real(nreal);
    st_complex *G = st_fft_alloc_complex(ncplx);
    int rc = ST_OK;
    if (!buf || !G) {
        rc = st_err_set(err, ST_ENOMEM, "acf: out of memory");
        goto done;
    }
    wm_ctx c = {s, mask, mstride, wa->wc, buf, G};
    st_run_blocks(threads, s->fh, wm_fill_block, &c);
    if ((rc = st_fft_r2c(fft, s->fw, s->fh, buf, G, err)))
        goto done;
    st_run_blocks(threads, s->fh, wm_power_block, &c);
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
    win_acf *wa;
} acf_map;

/* Normalised ACF at an integer lag (|tx| < fw, |ty| < fh); NaN where the
 * window overlap is too small to trust the ratio. */
static double rho_at(const acf_map *m, int tx, int ty)
{
    int ix = tx < 0 ? tx + m->fw : tx, iy = ty < 0 ? ty + m->fh : ty;
    double wgt;
    if (m->wa->full)
        wgt = m->wa->full[(size_t)iy * m->fw + ix] / m->wa->full0;
    else {
        win_acf *wa = m->wa;
        wgt = lag_1d(wa->ax, wa->lx, wa->wc->wx, wa->wc->w, wa->w0x, abs(tx)) *
              lag_1d(wa->ay, wa->ly, wa->wc->wy, wa->wc->h, wa->w0y, abs(ty));
    }
    if (!(wgt > 0.05))
        return NAN;
    return m->a[(size_t)iy * m->fw + ix] / (m->a0 * wgt);
}

/* The normalised ACF on the lags |tx|, |ty| <= r of the search, each lag
 * computed once, when a direction march first needs it (all-zero bits:
 * not yet; a computed +0 is kept as −0, the same number). The grid starts
 * small and grows (keeping what it holds) when a march goes further: a
 * 12 MP plane's search may reach 1500 px, a 36 MB grid, while skin decays
 * within a few dozen. */
enum { RHO_GRID_START = 64 };

typedef struct rho_grid {
    const acf_map *m;
    float *v;
    int r, n;  /* lags |t| <= r held; n = 2r + 1 */
    int rmax;  /* largest lag the search may need */
    int failed; /* no memory to grow: the cell reads as NaN */
} rho_grid;

static int rho_grid_alloc(rho_grid *g, int r)
{
    int n = 2 * r + 1;
    float *v = calloc((size_t)n * n, sizeof *v);
    if (!v)
        return -1;
    if (g->v) /* the old grid's cells, centred in the new one */
        for (int y = 0; y < g->n; y++)
            memcpy(v + (size_t)(y + r - g->r) * n + (r - g->r), g->v + (size_t)y * g->n,
                   (size_t)g->n * sizeof *v);
    free(g->v);
    g->v = v;
    g->r = r;
    g->n = n;
    return 0;
}

static int rho_grid_make(const acf_map *m, int rmax, rho_grid *g)
{
    *g = (rho_grid){m, NULL, 0, 0, rmax, 0};
    return rho_grid_alloc(g, rmax < RHO_GRID_START ? rmax : RHO_GRID_START);
}

static inline float rho_cell(rho_grid *g, int tx, int ty)
{
    int need = abs(tx) > abs(ty) ? abs(tx) : abs(ty);
    if (need > g->r) {
        int r = 2 * g->r > need ? 2 * g->r : need;
        if (g->failed || rho_grid_alloc(g, r < g->rmax ? r : g->rmax) || need > g->r) {
            g->failed = 1;
            return NAN;
        }
    }
    float *p = g->v + (size_t)(ty + g->r) * g->n + tx + g->r;
    uint32_t bits;
    memcpy(&bits, p, sizeof bits);
    if (!bits) {
        float v = (float)rho_at(g->m, tx, ty);
        *p = v == 0.0f ? -0.0f : v;
    }
    return *p;
}

/* floor() for |x| < 2^31 without the libm call (baseline x86-64 has no
 * rounding instruction): the same integer. */
static inline int floor_int(double x)
{
    int i = (int)x;
    return i > x ? i - 1 : i;
}

static inline double rho_interp(rho_grid *g, int x0, int y0, double fx, double fy)
{
    return (1 - fy) * ((1 - fx) * rho_cell(g, x0, y0) + fx * rho_cell(g, x0 + 1, y0)) +
           fy * ((1 - fx) * rho_cell(g, x0, y0 + 1) + fx * rho_cell(g, x0 + 1, y0 + 1));
}

static double rho_bilinear(rho_grid *g, double x, double y)
{
    int x0 = floor_int(x), y0 = floor_int(y);
    return rho_interp(g, x0, y0, x - x0, y - y0);
}

/* Lag (pixels) at which the ACF first falls to s along the direction
 * (c, sn), or INFINITY if it does not within rmax. */
static double decay_length(rho_grid *g, double c, double sn, double s, double step, double rmax)
{
    double prev = 1.0;
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

/* One sample of a march: the cell (x0, y0) and bilinear weights of the
 * point r·(cos θ, sin θ), computed as rho_bilinear does. */
typedef struct march_step {
    double r, fx, fy;
    int x0, y0;
} march_step;

struct st_acf_march {
    int w, h, n_dirs;
    double s, step;
    size_t *first; /* n_dirs + 1: steps of direction k are first[k] .. first[k+1]-1 */
    march_step *steps;
};

static void dir_cs(const st_acf_opts *o, int k, double *c, double *sn)
{
    *c = cos(M_PI * k / o->n_dirs);
    *sn = sin(M_PI * k / o->n_dirs);
}

st_acf_march *st_acf_march_new(const st_acf_opts *o, int w, int h)
{
    double rmax = o->max_frac * (w < h ? w : h);
    size_t per = 0;
    for (double r = o->step_px; r <= rmax; r += o->step_px)
        per++;
    st_acf_march *m = calloc(1, sizeof *m);
    if (!m || o->n_dirs < 1)
        goto fail;
    m->first = malloc(((size_t)o->n_dirs + 1) * sizeof *m->first);
    m->steps = malloc(((size_t)o->n_dirs * per + 1) * sizeof *m->steps);
    if (!m->first || !m->steps)
        goto fail;
    m->w = w;
    m->h = h;
    m->n_dirs = o->n_dirs;
    m->s = o->s;
    m->step = o->step_px;
    size_t n = 0;
    for (int k = 0; k < o->n_dirs; k++) {
        double c, sn;
        dir_cs(o, k, &c, &sn);
        m->first[k] = n;
        for (double r = o->step_px; r <= rmax; r += o->step_px) {
            double x = r * c, y = r * sn;
            int x0 = floor_int(x), y0 = floor_int(y);
            m->steps[n++] = (march_step){r, x - x0, y - y0, x0, y0};
        }
    }
    m->first[o->n_dirs] = n;
    return m;
fail:
    st_acf_march_free(m);
    return NULL;
}

void st_acf_march_free(st_acf_march *m)
{
    if (m) {
        free(m->first);
        free(m->steps);
        free(m);
    }
}

/* decay_length over a precomputed march: the same samples, the same sums. */
static double decay_marched(rho_grid *g, const march_step *st, size_t n, double s, double step)
{
    double prev = 1.0;
    for (size_t j = 0; j < n; j++) {
        const march_step *p = &st[j];
        double v = rho_interp(g, p->x0, p->y0, p->fx, p->fy);
        if (isnan(v))
            return INFINITY;
        if (v <= s)
            return prev > v ? p->r - step * (s - v) / (prev - v) : p->r;
        prev = v;
    }
    return INFINITY;
}

int st_acf_params(st_fft *fft, st_spectrum *s, const unsigned char *mask, size_t mstride,
                  const st_acf_opts *o, int threads, double *sal_px, double *str, st_err *err)
{
    *sal_px = NAN;
    *str = NAN;
    win_acf wa = {s->wc, NULL, NULL, NULL, NULL, 0, 0, NULL, 0};
    st_window_cache own = {0};
    float *acf = NULL;
    int rc = ST_OK;
    double rmax = o->max_frac * (s->w < s->h ? s->w : s->h);
    int rgrid = (int)ceil(rmax) + 1; /* lags the search can touch */
    if (!wa.wc) {
        if (st_window_cache_make(s->w, s->h, s->window, 0, &own))
            return st_err_set(err, ST_ENOMEM, "acf: out of memory");
        wa.wc = &own;
    }
    if (wa.wc->max_lag >= rgrid) {
        wa.ax = wa.wc->ax;
        wa.ay = wa.wc->ay;
    } else if (!mask) {
        wa.lx = malloc(((size_t)rgrid + 2) * sizeof *wa.lx);
        wa.ly = malloc(((size_t)rgrid + 2) * sizeof *wa.ly);
        if (!wa.lx || !wa.ly) {
            rc = st_err_set(err, ST_ENOMEM, "acf: out of memory");
            goto done;
        }
        for (int t = 0; t < rgrid + 2; t++)
            wa.lx[t] = wa.ly[t] = NAN;
        wa.w0x = sum_sq(wa.wc->wx, wa.wc->w);
        wa.w0y = sum_sq(wa.wc->wy, wa.wc->h);
    }
    if (mask && (rc = masked_win_acf(fft, s, mask, mstride, threads, &wa, err)))
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
    const st_acf_march *mk = o->march;
    if (mk && (mk->w != s->w || mk->h != s->h || mk->n_dirs != o->n_dirs || mk->s != o->s ||
               mk->step != o->step_px))
        mk = NULL;
    double lo = INFINITY, hi = 0;
    for (int k = 0; k < o->n_dirs; k++) {
        double r;
        if (mk) {
            r = decay_marched(&g, mk->steps + mk->first[k], mk->first[k + 1] - mk->first[k], o->s,
                              o->step_px);
        } else {
            double c, sn;
            dir_cs(o, k, &c, &sn);
            r = decay_length(&g, c, sn, o->s, o->step_px, rmax);
        }
        lo = r < lo ? r : lo;
        hi = r > hi ? r : hi;
    }
    free(g.v);
    if (g.failed) {
        rc = st_err_set(err, ST_ENOMEM, "acf: out of memory for the lag grid");
        goto done;
    }
    if (isfinite(lo)) {
        *sal_px = lo;
        *str = isfinite(hi) ? lo / hi : 0.0;
    }
done:
    st_window_cache_free(&own);
    free(wa.lx);
    free(wa.ly);
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
    /* The spectrum continued circularly, so the sums need no modulo. */
    double ext[ST_APS_BINS + 2 * APS_SMOOTH];
    for (int i = 0; i < ST_APS_BINS + 2 * APS_SMOOTH; i++)
        ext[i] = sums->aps[(i - APS_SMOOTH + ST_APS_BINS) % ST_APS_BINS];
    int best = -1;
    double best_v = 0;
    for (int a = 0; a < ST_APS_BINS; a++) {
        double v = 0;
        for (int d = -APS_SMOOTH; d <= APS_SMOOTH; d++)
            v += ext[a + d + APS_SMOOTH];
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
