#define _DEFAULT_SOURCE /* M_PI */
#include "metrics/psd.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "metrics/blocks.h"

static void make_window(double *win, int n, st_window kind)
{
    for (int i = 0; i < n; i++) {
        double s = sin(M_PI * (i + 0.5) / n);
        win[i] = kind == ST_WINDOW_HANN ? s * s : 1.0;
    }
}

static void window_acf(const double *win, int n, int max_lag, double *out)
{
    double w0 = 0;
    for (int i = 0; i < n; i++)
        w0 += win[i] * win[i];
    for (int t = 0; t < n; t++) {
        if (t > max_lag) {
            out[t] = 0.0;
            continue;
        }
        double acc = 0;
        for (int i = 0; i + t < n; i++)
            acc += win[i] * win[i + t];
        out[t] = acc / w0;
    }
}

int st_window_cache_make(int w, int h, st_window kind, int max_lag, st_window_cache *wc)
{
    memset(wc, 0, sizeof *wc);
    if (max_lag < 0)
        max_lag = w > h ? w : h;
    wc->max_lag = max_lag;
    wc->w = w;
    wc->h = h;
    wc->kind = kind;
    wc->wx = malloc((size_t)w * sizeof *wc->wx);
    wc->wy = malloc((size_t)h * sizeof *wc->wy);
    wc->ax = malloc((size_t)w * sizeof *wc->ax);
    wc->ay = malloc((size_t)h * sizeof *wc->ay);
    if (!wc->wx || !wc->wy || !wc->ax || !wc->ay) {
        st_window_cache_free(wc);
        return -1;
    }
    make_window(wc->wx, w, kind);
    make_window(wc->wy, h, kind);
    window_acf(wc->wx, w, max_lag, wc->ax);
    window_acf(wc->wy, h, max_lag, wc->ay);
    return 0;
}

void st_window_cache_free(st_window_cache *wc)
{
    free(wc->wx);
    free(wc->wy);
    free(wc->ax);
    free(wc->ay);
    memset(wc, 0, sizeof *wc);
}

typedef struct fill_ctx {
    const float *z;
    size_t stride;
    int w;
    const unsigned char *mask;
    size_t mstride;
    const double *wx, *wy;
    double mean;
    float *out; /* fw-wide rows */
    int fw;
    double *part; /* blocks x 3: Σwm, Σwm·z, Σ(wm)² */
} fill_ctx;

/* Σ wx·z over an unmasked row: four interleaved partial sums, added in a
 * fixed order (the same bits for every thread count). */
static double row_weighted_sum(const double *wx, const float *row, int w)
{
    double a[4] = {0, 0, 0, 0}, t = 0;
    int x = 0;
    for (; x + 4 <= w; x += 4)
        for (int k = 0; k < 4; k++)
            a[k] += wx[x + k] * row[x + k];
    for (; x < w; x++)
        t += wx[x] * row[x];
    return ((a[0] + a[1]) + (a[2] + a[3])) + t;
}

static void weigh_block(void *arg, int b, int y0, int y1)
{
    const fill_ctx *c = arg;
    double sw = 0, swz = 0, sw2 = 0, full = 0, full2 = 0;
    if (!c->mask) /* Σw and Σw² of a whole row, as the masked loop adds them */
        for (int x = 0; x < c->w; x++) {
            full += c->wx[x];
            full2 += c->wx[x] * c->wx[x];
        }
    for (int y = y0; y < y1; y++) {
        const float *row = c->z + (size_t)y * c->stride;
        const unsigned char *m = c->mask ? c->mask + (size_t)y * c->mstride : NULL;
        double rw = full, rwz = 0, rw2 = full2;
        if (!m) {
            rwz = row_weighted_sum(c->wx, row, c->w);
        } else {
            for (int x = 0; x < c->w; x++) {
                if (!m[x])
                    continue;
                double wv = c->wx[x];
                rw += wv;
                rwz += wv * row[x];
                rw2 += wv * wv;
            }
        }
        sw += rw * c->wy[y];
        swz += rwz * c->wy[y];
        sw2 += rw2 * c->wy[y] * c->wy[y];
    }
    c->part[b * 3] = sw;
    c->part[b * 3 + 1] = swz;
    c->part[b * 3 + 2] = sw2;
}

static void fill_block(void *arg, int b, int y0, int y1)
{
    (void)b;
    const fill_ctx *c = arg;
    for (int y = y0; y < y1; y++) {
        const float *row = c->z + (size_t)y * c->stride;
        const unsigned char *m = c->mask ? c->mask + (size_t)y * c->mstride : NULL;
        float *o = c->out + (size_t)y * c->fw;
        if (!m) /* the same products, in a loop the compiler vectorises */
            for (int x = 0; x < c->w; x++)
                o[x] = (float)(c->wx[x] * c->wy[y] * (row[x] - c->mean));
        else
            for (int x = 0; x < c->w; x++)
                o[x] = !m[x] ? 0.0f : (float)(c->wx[x] * c->wy[y] * (row[x] - c->mean));
        memset(o + c->w, 0, (size_t)(c->fw - c->w) * sizeof *o);
    }
}

typedef struct pow_ctx {
    st_complex *F;
    int hw;
    float scale;
} pow_ctx;

static void power_block(void *arg, int b, int y0, int y1)
{
    (void)b;
    const pow_ctx *c = arg;
    for (size_t i = (size_t)y0 * c->hw; i < (size_t)y1 * c->hw; i++) {
        float re = c->F[i][0], im = c->F[i][1];
        c->F[i][0] = (re * re + im * im) * c->scale;
        c->F[i][1] = 0.0f;
    }
}

int st_spectrum_compute(st_fft *fft, const float *z, size_t stride, int w, int h,
                        const unsigned char *mask, size_t mstride, double px, st_window window,
                        const st_window_cache *wc, int threads, st_spectrum *out, st_err *err)
{
    memset(out, 0, sizeof *out);
    int fw = st_fft_good_size(w), fh = st_fft_good_size(h), hw = fw / 2 + 1;
    size_t nreal, ncplx;
    if (w < 2 || h < 2 || st_mul_size((size_t)fw, (size_t)fh, &nreal) ||
        st_mul_size((size_t)hw, (size_t)fh, &ncplx))
        return st_err_set(err, ST_EINVAL, "psd: bad size %dx%d", w, h);
    if (wc && (wc->w != w || wc->h != h || wc->kind != window))
        wc = NULL;
    double *wx = wc ? NULL : malloc((size_t)w * sizeof *wx);
    double *wy = wc ? NULL : malloc((size_t)h * sizeof *wy);
    int nb = st_block_count(h);
    double *part = calloc((size_t)nb * 3, sizeof *part);
    float *buf = st_fft_alloc_real(nreal);
    st_complex *F = st_fft_alloc_complex(ncplx);
    int rc = ST_OK;
    if ((!wc && (!wx || !wy)) || !part || !buf || !F) {
        rc = st_err_set(err, ST_ENOMEM, "psd: out of memory for a %dx%d spectrum", fw, fh);
        goto done;
    }
    if (!wc) {
        make_window(wx, w, window);
        make_window(wy, h, window);
    }
    fill_ctx fc = {z, stride, w, mask, mstride, wc ? wc->wx : wx, wc ? wc->wy : wy, 0, buf, fw, part};
    st_run_blocks(threads, h, weigh_block, &fc);
    double sw = 0, swz = 0, sw2 = 0;
    for (int b = 0; b < nb; b++) {
        sw += part[b * 3];
        swz += part[b * 3 + 1];
        sw2 += part[b * 3 + 2];
    }
    if (!(sw > 0)) {
        rc = st_err_set(err, ST_EINVAL, "psd: no pixel inside the mask");
        goto done;
    }
    /* Removing the window-weighted mean empties the DC bin exactly, so no
     * DC leakage reaches the low-frequency bins through the window. */
    fc.mean = swz / sw;
    st_run_blocks(threads, h, fill_block, &fc);
    memset(buf + (size_t)h * fw, 0, (size_t)(fh - h) * fw * sizeof *buf);
    rc = st_fft_r2c(fft, fw, fh, buf, F, err);
    if (rc)
        goto done;
    pow_ctx pc = {F, hw, (float)(1.0 / ((double)fw * fh * sw2))};
    st_run_blocks(threads, fh, power_block, &pc);
    *out = (st_spectrum){w, h, fw, fh, hw, px, F, buf, sw2, window, wc};
    F = NULL;
    buf = NULL;
done:
    free(wx);
    free(wy);
    free(part);
    st_fft_free_buf(buf);
    st_fft_free_buf(F);
    return rc;
}

void st_spectrum_free(st_spectrum *s)
{
    if (s) {
        st_fft_free_buf(s->F);
        st_fft_free_buf(s->real);
        s->F = NULL;
        s->real = NULL;
    }
}

/* atan on [0, 1], minimax polynomial (|error| < 1e-5 rad): only used to
 * pick a 1° bin, so the error only moves a few samples to a neighbour bin. */
static inline double atan01(double t)
{
    double t2 = t * t;
    return t * (0.99986600 + t2 * (-0.33029950 + t2 * (0.18014100 + t2 * (-0.08513300 + t2 * 0.02083510))));
}

/* Angle of (x, y) in [0, π). */
static inline double half_angle(double x, double y)
{
    if (y < 0 || (y == 0 && x < 0)) {
        x = -x;
        y = -y;
    }
    double ax = fabs(x), a;
    a = ax >= y ? atan01(y / ax) : M_PI_2 - atan01(ax / y);
    return x < 0 ? M_PI - a : a;
}

/* Geometry of one half-plane bin: everything the reduction needs except
 * the power, so that same-sized spectra (tiles) compute it once. */
struct st_bin_geom {
    double wgt;          /* 2 for a bin standing for its mirror image, else 1; 0 = DC */
    double c2, s2;       /* cos 2θ, sin 2θ of the wave vector */
    int r;               /* radial bin, -1 beyond Nyquist or past the last bin */
    short a;             /* angular bin, -1 when inside aps_rmin */
};

typedef struct geom_params {
    int fw, fh, hw, nbands;
    double dfx, dfy, df, fnyq2, aps_rmin2, flo2[ST_SPECTRUM_MAX_BANDS], fhi2[ST_SPECTRUM_MAX_BANDS];
    size_t nr;
} geom_params;

static void geom_params_make(int fw, int fh, double px, const double (*bands)[2], int nbands,
                             double aps_rmin, geom_params *g)
{
    memset(g, 0, sizeof *g);
    g->fw = fw;
    g->fh = fh;
    g->hw = fw / 2 + 1;
    g->nbands = nbands;
    g->dfx = 1.0 / (fw * px);
    g->dfy = 1.0 / (fh * px);
    g->df = g->dfx > g->dfy ? g->dfx : g->dfy;
    double fnyq = 0.5 / px * (1 + 1e-9);
    g->fnyq2 = fnyq * fnyq;
    g->nr = (size_t)floor(0.5 / px / g->df + 1e-9) + 1;
    g->aps_rmin2 = (aps_rmin * g->df) * (aps_rmin * g->df);
    /* Band limits as squared frequencies: no square root for the test. */
    for (int k = 0; k < nbands; k++) {
        g->flo2[k] = 1.0 / (bands[k][1] * bands[k][1]);
        g->fhi2[k] = 1.0 / (bands[k][0] * bands[k][0]);
    }
}

static void geom_row(const geom_params *g, int ky, struct st_bin_geom *out)
{
    double fy = (ky <= g->fh / 2 ? ky : ky - g->fh) * g->dfy, fy2 = fy * fy;
    const double inv_df = 1.0 / g->df, to_bin = ST_APS_BINS / M_PI;
    for (int kx = 0; kx < g->hw; kx++) {
        struct st_bin_geom *b = &out[kx];
        double fx = kx * g->dfx, fx2 = fx * fx, f2 = fx2 + fy2;
        /* The half plane stands for both halves, except the columns that
         * are their own mirror image. */
        b->wgt = (kx == 0 && ky == 0) ? 0.0
                 : (kx == 0 || (g->fw % 2 == 0 && kx == g->fw / 2)) ? 1.0 : 2.0;
        b->r = -1;
        b->a = -1;
        b->c2 = b->s2 = 0;
        if (f2 > g->fnyq2 || b->wgt == 0)
            continue;
        size_t r = (size_t)(sqrt(f2) * inv_df + 0.5);
        b->r = r < g->nr ? (int)r : -1;
        if (f2 < g->aps_rmin2)
            continue;
        /* Wave vector direction, counter-clockwise as displayed (y down). */
        int bin = (int)(half_angle(fx, -fy) * to_bin);
        b->a = (short)(bin < 0 ? 0 : (bin >= ST_APS_BINS ? ST_APS_BINS - 1 : bin));
        b->c2 = (fx2 - fy2) / f2;
        b->s2 = -2.0 * fx * fy / f2;
    }
}

/* Rows ky and fh − ky (0 < ky < fh/2) hold the same |f|, radial bin and
 * bands, wave vectors mirrored in the fx axis: the angle of one is π minus
 * that of the other and sin 2θ changes sign, all exactly (the same
 * operations on the same operands as geom_row, whose bins these equal bit
 * for bit). The per-bin values are computed in straight-line loops the
 * compiler vectorises; the whole plane's reduction needs them once per pair. */
typedef struct pair_scratch {
    double *f2, *ang, *c2, *s2; /* hw each */
    struct st_bin_geom *gp, *gm;
} pair_scratch;

static void geom_pair(const geom_params *g, int ky, pair_scratch *ps)
{
    const double fy = ky * g->dfy, fy2 = fy * fy, inv_df = 1.0 / g->df;
    const double to_bin = ST_APS_BINS / M_PI;
    const int hw = g->hw;
    double *restrict f2a = ps->f2, *restrict ang = ps->ang, *restrict c2 = ps->c2,
                     *restrict s2 = ps->s2;
    for (int kx = 0; kx < hw; kx++) {
        double fx = kx * g->dfx, fx2 = fx * fx, f2 = fx2 + fy2;
        /* half_angle(fx, −fy) after its flip: ax = fx, y = fy >= 0 */
        int ge = fx >= fy;
        double num = ge ? fy : fx, den = ge ? fx : fy;
        double t = num / (den > 0 ? den : 1.0); /* 0/1 at the origin */
        double at = atan01(t);
        f2a[kx] = f2;
        ang[kx] = ge ? at : M_PI_2 - at;
        double q = f2 > 0 ? f2 : 1.0;
        c2[kx] = (fx2 - fy2) / q;
        s2[kx] = -2.0 * fx * fy / q;
    }
    const int kmid = g->fw % 2 == 0 ? g->fw / 2 : -1; /* its own mirror column */
    for (int kx = 0; kx < hw; kx++) {
        struct st_bin_geom *b = &ps->gp[kx], *m = &ps->gm[kx];
        double f2 = f2a[kx];
        b->wgt = (kx == 0 && ky == 0) ? 0.0 : (kx == 0 || kx == kmid) ? 1.0 : 2.0;
        b->r = -1;
        b->a = -1;
        b->c2 = b->s2 = 0;
        *m = *b;
        if (f2 > g->fnyq2 || b->wgt == 0)
            continue;
        size_t r = (size_t)(sqrt(f2) * inv_df + 0.5);
        b->r = m->r = r < g->nr ? (int)r : -1;
        if (f2 < g->aps_rmin2)
            continue;
        /* Row ky > 0: the flipped wave vector points left (π − a) unless
         * fx = 0; row 0 is not flipped. */
        double ab = (ky > 0 && kx > 0) ? M_PI - ang[kx] : ang[kx];
        int bin = (int)(ab * to_bin), mbin = (int)(ang[kx] * to_bin);
        b->a = (short)(bin < 0 ? 0 : (bin >= ST_APS_BINS ? ST_APS_BINS - 1 : bin));
        m->a = (short)(mbin < 0 ? 0 : (mbin >= ST_APS_BINS ? ST_APS_BINS - 1 : mbin));
        b->c2 = m->c2 = c2[kx];
        b->s2 = s2[kx];
        m->s2 = -s2[kx];
    }
}

struct st_spectrum_geom {
    geom_params p;
    struct st_bin_geom *bins; /* fh x hw */
};

st_spectrum_geom *st_spectrum_geom_new(int w, int h, double px, const double (*bands)[2],
                                       int nbands, double aps_rmin)
{
    st_spectrum_geom *g = calloc(1, sizeof *g);
    if (!g || nbands > ST_SPECTRUM_MAX_BANDS) {
        free(g);
        return NULL;
    }
    geom_params_make(st_fft_good_size(w), st_fft_good_size(h), px, bands, nbands, aps_rmin, &g->p);
    g->bins = malloc((size_t)g->p.fh * g->p.hw * sizeof *g->bins);
    if (!g->bins) {
        free(g);
        return NULL;
    }
    for (int ky = 0; ky < g->p.fh; ky++)
        geom_row(&g->p, ky, g->bins + (size_t)ky * g->p.hw);
    return g;
}

void st_spectrum_geom_free(st_spectrum_geom *g)
{
    if (g) {
        free(g->bins);
        free(g);
    }
}

typedef struct red_ctx {
    const st_spectrum *s;
    const geom_params *g;
    const struct st_bin_geom *bins; /* whole plane, or NULL: made per row pair */
    size_t stride; /* doubles per block partial */
    double *part;
    atomic_int failed;
} red_ctx;

/* First kx of row fy2 whose |f|² exceeds thr (hw if none): |f|² grows with
 * kx, and is computed exactly as geom_row does, so a band's bins in a row
 * are the run [first(lo), first(hi)). */
static int first_above(const geom_params *g, double fy2, double thr)
{
    int lo = 0, hi = g->hw;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        double fx = mid * g->dfx, fx2 = fx * fx, f2 = fx2 + fy2;
        if (f2 > thr)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Partial layout: rsum[nr], rcnt[nr], band[nb], total, aps[3][180]. Each
 * sum sees its terms in kx order, as a single loop over the bins would. */
static void scatter_row(const geom_params *g, const st_complex *row,
                        const struct st_bin_geom *gr, int ky, double *p)
{
    double *rsum = p, *rcnt = p + g->nr, *band = rcnt + g->nr, *total = band + g->nbands;
    double *aps = total + 1, *apc = aps + ST_APS_BINS, *apsn = apc + ST_APS_BINS;
    double tot = *total;
    for (int kx = 0; kx < g->hw; kx++) {
        const struct st_bin_geom *e = &gr[kx];
        double pw = row[kx][0] * e->wgt;
        tot += pw;
        if (e->r < 0)
            continue;
        rsum[e->r] += pw;
        rcnt[e->r] += e->wgt;
        if (e->a < 0)
            continue;
        aps[e->a] += pw;
        apc[e->a] += pw * e->c2;
        apsn[e->a] += pw * e->s2;
    }
    *total = tot;
    double fy = (ky <= g->fh / 2 ? ky : ky - g->fh) * g->dfy, fy2 = fy * fy;
    for (int k = 0; k < g->nbands; k++) {
        int a = first_above(g, fy2, g->flo2[k]), b = first_above(g, fy2, g->fhi2[k]);
        double acc = band[k];
        for (int kx = a; kx < b; kx++)
            acc += row[kx][0] * gr[kx].wgt;
        band[k] = acc;
    }
}

/* Blocks run over mirror row pairs (ky, fh − ky), with or without a
 * geometry table, so both give the same sums bit for bit. */
static void reduce_block(void *arg, int b, int y0, int y1)
{
    red_ctx *c = arg;
    const st_spectrum *s = c->s;
    const geom_params *g = c->g;
    double *p = c->part + (size_t)b * c->stride;
    size_t hw = (size_t)g->hw;
    double *mem = NULL;
    pair_scratch ps = {0};
    if (!c->bins) {
        mem = malloc(hw * (4 * sizeof(double) + 2 * sizeof(struct st_bin_geom)));
        if (!mem) {
            atomic_store(&c->failed, 1);
            return;
        }
        ps = (pair_scratch){mem, mem + hw, mem + 2 * hw, mem + 3 * hw,
                            (struct st_bin_geom *)(mem + 4 * hw), NULL};
        ps.gm = ps.gp + hw;
    }
    for (int ky = y0; ky < y1; ky++) {
        int my = s->fh - ky, mirror = ky > 0 && my > ky;
        const struct st_bin_geom *gp, *gm;
        if (c->bins) {
            gp = c->bins + (size_t)ky * hw;
            gm = c->bins + (size_t)my * hw;
        } else {
            geom_pair(g, ky, &ps);
            gp = ps.gp;
            gm = ps.gm;
        }
        scatter_row(g, s->F + (size_t)ky * s->hw, gp, ky, p);
        if (mirror)
            scatter_row(g, s->F + (size_t)my * s->hw, gm, my, p);
    }
    free(mem);
}

int st_spectrum_reduce(const st_spectrum *s, const double (*bands)[2], int nbands,
                       double aps_rmin, const st_spectrum_geom *geom, int threads,
                       st_spectrum_sums *out)
{
    memset(out, 0, sizeof *out);
    if (nbands > ST_SPECTRUM_MAX_BANDS)
        return -1;
    geom_params gp;
    red_ctx c = {.s = s};
    if (geom && geom->p.fw == s->fw && geom->p.fh == s->fh && geom->p.nbands == nbands) {
        c.g = &geom->p;
        c.bins = geom->bins;
    } else {
        geom_params_make(s->fw, s->fh, s->px, bands, nbands, aps_rmin, &gp);
        c.g = &gp;
    }
    size_t nr = c.g->nr;
    c.stride = 2 * nr + (size_t)nbands + 1 + 3 * ST_APS_BINS;
    int nrows = s->fh / 2 + 1; /* mirror row pairs */
    int nb = st_block_count(nrows);
    c.part = calloc((size_t)nb * c.stride, sizeof *c.part);
    out->rsum = calloc(nr, sizeof *out->rsum);
    out->rcnt = calloc(nr, sizeof *out->rcnt);
    if (!c.part || !out->rsum || !out->rcnt) {
        free(c.part);
        st_spectrum_sums_free(out);
        return -1;
    }
    st_run_blocks(threads, nrows, reduce_block, &c);
    if (atomic_load(&c.failed)) {
        free(c.part);
        st_spectrum_sums_free(out);
        return -1;
    }
    out->nr = nr;
    out->df = c.g->df;
    for (int b = 0; b < nb; b++) {
        const double *p = c.part + (size_t)b * c.stride;
        for (size_t r = 0; r < nr; r++) {
            out->rsum[r] += p[r];
            out->rcnt[r] += p[nr + r];
        }
        const double *band = p + 2 * nr;
        for (int k = 0; k < nbands; k++)
            out->band_ms[k] += band[k];
        out->total_ms += band[nbands];
        const double *aps = band + nbands + 1;
        for (int a = 0; a < ST_APS_BINS; a++) {
            out->aps[a] += aps[a];
            out->aps_c[a] += aps[ST_APS_BINS + a];
            out->aps_s[a] += aps[2 * ST_APS_BINS + a];
        }
    }
    free(c.part);
    return 0;
}

void st_spectrum_sums_free(st_spectrum_sums *sums)
{
    free(sums->rsum);
    free(sums->rcnt);
    sums->rsum = sums->rcnt = NULL;
}

int st_radial_psd(const st_spectrum *s, const st_spectrum_sums *sums, double **freq,
                  double **psd, size_t *n)
{
    *freq = *psd = NULL;
    *n = 0;
    if (sums->nr < 2)
        return -1;
    size_t m = sums->nr - 1;
    double *f = malloc(m * sizeof *f), *p = malloc(m * sizeof *p);
    if (!f || !p) {
        free(f);
        free(p);
        return -1;
    }
    double cell = 1.0 / (s->fw * s->px) / (s->fh * s->px);
    for (size_t k = 0; k < m; k++) {
        f[k] = (double)(k + 1) * sums->df;
        p[k] = sums->rcnt[k + 1] > 0 ? sums->rsum[k + 1] / sums->rcnt[k + 1] / cell : 0.0;
    }
    *freq = f;
    *psd = p;
    *n = m;
    return 0;
}

int st_psd_slope(const double *freq, const double *psd, size_t n, double f_lo, double f_hi,
                 double *slope)
{
    double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    int used = 0;
    for (size_t k = 0; k < n; k++) {
        if (freq[k] < f_lo * (1 - 1e-9) || freq[k] > f_hi * (1 + 1e-9) || !(psd[k] > 0))
            continue;
        double wgt = 1.0 / freq[k], x = log10(freq[k]), y = log10(psd[k]);
        sw += wgt;
        sx += wgt * x;
        sy += wgt * y;
        sxx += wgt * x * x;
        sxy += wgt * x * y;
        used++;
    }
    double den = sw * sxx - sx * sx;
    if (used < 3 || !(den > 0))
        return -1;
    *slope = (sw * sxy - sx * sy) / den;
    return 0;
}
