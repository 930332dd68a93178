/* Band RMS from the reassigned power spectrum (psd.h, st_band_ms).
 *
 * Why reassign: a window keeps a wave's power near its frequency, but not
 * closer than its main lobe, ±2 bins for Hann (±2/L in frequency, L the
 * side). A wave of 1.66 mm in a 12 mm field sits 1.2 bins from the 2 mm
 * edge of band_medium, and the plain windowed spectrum put 2.5 % of its
 * power (16 % of A/√2 in RMS) into band_coarse. Each bin's power is
 * instead counted at the frequency it comes from, estimated from the same
 * transform with the window's derivative (the reassignment method: Kodera,
 * Gendrin & de Villedary 1978; Auger & Flandrin 1995, IEEE Trans. Signal
 * Process. 43:1068, eq. 20): for F_h the transform with window h and F_dh
 * the one with dh/dx (per pixel), the bin at f holds power from
 *
 *     f̂x = fx − Im(F_dh · conj F_h) / (2π |F_h|²)     (and so in y),
 *
 * which for a sinusoid is its exact frequency in every bin of its main
 * lobe. Only where power is counted moves, never how much: the sum over
 * all bands and outside them is the windowed spectrum's total, so
 * Parseval holds as for st_spectrum_compute (sum = window-weighted mean
 * square, an unbiased estimate of Sq²). A shift is limited to the main
 * lobe (±2 bins per axis): beyond it a bin is not one wave's.
 *
 * Cost: the windowed transform is the spectrum's (st_spectrum_compute_ex
 * keeps it). A bin whose frequency is further than the largest shift
 * (2 bins per axis) from every band edge stays in its band whatever the
 * estimate says, so F_dh is only needed near the edges. Without zero
 * padding (FFT size = data size n) both derivative transforms come from
 * the transform G of the unwindowed data: with φ_i = 2π(i + ½)/n,
 *
 *     w(i)  = ½ − ¼ e^{iφ_i} − ¼ e^{−iφ_i}
 *     dw(i) = (π/n)·(e^{iφ_i} − e^{−iφ_i}) / 2i,
 *
 * and e^{iφ_i} shifts the transform by one bin (times e^{iπ/n}), so F_dh
 * at bin k is two taps of G along that axis and three (the window) along
 * the other. With padding the window is not periodic in the FFT size and
 * the two derivative transforms are computed directly. */
#define _DEFAULT_SOURCE /* M_PI */
#include "metrics/psd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "metrics/blocks.h"

static double clampd(double v, double lim) { return v < -lim ? -lim : (v > lim ? lim : v); }

/* Hann, w(i) = sin²(π(i + ½)/n) as psd.c, and dw/di = (π/n)·sin(2π(i + ½)/n). */
static void hann(double *w, double *dw, int n, st_window kind)
{
    for (int i = 0; i < n; i++) {
        double t = M_PI * (i + 0.5) / n, s = sin(t);
        w[i] = kind == ST_WINDOW_HANN ? s * s : 1.0;
        dw[i] = kind == ST_WINDOW_HANN ? M_PI / n * sin(2.0 * t) : 0.0;
    }
}

typedef struct cplx {
    double re, im;
} cplx;

static inline cplx cmul(cplx a, cplx b) { return (cplx){a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re}; }

/* Taps of the window (h) and its derivative (d) on G[k − 1], G[k], G[k + 1]. */
typedef struct taps {
    cplx h[3], d[3];
} taps;

static void make_taps(int n, taps *t)
{
    double c = cos(M_PI / n), s = sin(M_PI / n), a = M_PI / (2.0 * n);
    cplx ep = {c, s}, em = {c, -s}; /* e^{±iπ/n} */
    t->h[0] = (cplx){-0.25 * ep.re, -0.25 * ep.im};
    t->h[1] = (cplx){0.5, 0.0};
    t->h[2] = (cplx){-0.25 * em.re, -0.25 * em.im};
    /* (π/n)/(2i) = −i·a: on G[k − 1] −i·a·e^{iπ/n}, on G[k + 1] +i·a·e^{−iπ/n}. */
    t->d[0] = cmul((cplx){0.0, -a}, ep);
    t->d[1] = (cplx){0.0, 0.0};
    t->d[2] = cmul((cplx){0.0, a}, em);
}

typedef struct band_ctx {
    const st_spectrum *s;
    const st_complex *G;         /* unwindowed transform (no padding), or NULL */
    const st_complex *Fdx, *Fdy; /* derivative transforms (padding), or NULL */
    taps tx, ty;
    int nb;
    double flo2[ST_SPECTRUM_MAX_BANDS], fhi2[ST_SPECTRUM_MAX_BANDS]; /* in 1/px² */
    double near_lo2[2 * ST_SPECTRUM_MAX_BANDS], near_hi2[2 * ST_SPECTRUM_MAX_BANDS];
    /* f² within [near_lo2, near_hi2]: within the largest shift of an edge */
    double scale;
    double *part; /* blocks x (1 + nb): total, bands */
} band_ctx;

/* G at (kx, row) for kx in [−1, hw] (the half plane's neighbours), from
 * the half plane: G[−kx, −ky] = conj G[kx, ky]. row is ky wrapped to
 * [0, fh), nrow the row of −ky. */
static inline cplx g_at(const band_ctx *c, int kx, int row, int nrow)
{
    const int fw = c->s->fw, hw = c->s->hw;
    if (kx >= 0 && kx < hw) {
        const float *v = c->G[(size_t)row * hw + kx];
        return (cplx){v[0], v[1]};
    }
    int mx = kx < 0 ? -kx : fw - kx; /* the mirrored column, in [0, hw) */
    const float *v = c->G[(size_t)nrow * hw + mx];
    return (cplx){v[0], -v[1]};
}

/* G filtered along y at column kx: the window's taps (hh) and the
 * derivative's (hd) over rows ky − 1, ky, ky + 1 (row, nrow as g_at). */
static inline void y_taps(const band_ctx *c, int kx, const int *row, const int *nrow, cplx *hh,
                          cplx *hd)
{
    *hh = *hd = (cplx){0, 0};
    for (int b = 0; b < 3; b++) {
        cplx g = g_at(c, kx, row[b], nrow[b]), u = cmul(c->ty.h[b], g), v = cmul(c->ty.d[b], g);
        hh->re += u.re, hh->im += u.im;
        hd->re += v.re, hd->im += v.im;
    }
}

/* F_dx and F_dy at bin kx from the y-filtered columns kx − 1, kx, kx + 1. */
static inline void x_taps(const band_ctx *c, const cplx *hh, const cplx *hd, cplx *dx, cplx *dy)
{
    *dx = *dy = (cplx){0, 0};
    for (int a = 0; a < 3; a++) {
        cplx u = cmul(c->tx.d[a], hh[a]), v = cmul(c->tx.h[a], hd[a]);
        dx->re += u.re, dx->im += u.im;
        dy->re += v.re, dy->im += v.im;
    }
}

/* Regions up to this many half-plane bins (tiles) have most bins within
 * reach of a band edge: their rows are filtered along y once, whole. */
enum { ROW_TAPS_MAX_BINS = 1 << 16 };

static void band_block(void *arg, int blk, int y0, int y1)
{
    const band_ctx *c = arg;
    const st_spectrum *s = c->s;
    const int fw = s->fw, fh = s->fh, hw = s->hw, kmid = fw % 2 == 0 ? fw / 2 : -1;
    const double lim = 2.0;
    double total = 0, band[ST_SPECTRUM_MAX_BANDS] = {0};
    /* Whole y-filtered rows (columns −1 .. hw) for small regions; NULL:
     * each bin near an edge filters its own 3 x 3 neighbourhood. */
    cplx *rh = NULL, *rd = NULL;
    if (c->G && (size_t)hw * fh <= ROW_TAPS_MAX_BINS && (rh = malloc(2 * (size_t)(hw + 2) * sizeof *rh)))
        rd = rh + hw + 2;
    for (int ky = y0; ky < y1; ky++) {
        int sy = ky <= fh / 2 ? ky : ky - fh;
        double rowt = 0, rowb[ST_SPECTRUM_MAX_BANDS] = {0};
        int row[3], nrow[3];
        for (int b = 0; b < 3; b++) {
            row[b] = (ky + b - 1 + fh) % fh;
            nrow[b] = (fh - row[b]) % fh;
        }
        if (rh)
            for (int kx = -1; kx <= hw; kx++)
                y_taps(c, kx, row, nrow, &rh[kx + 1], &rd[kx + 1]);
        for (int kx = 0; kx < hw; kx++) {
            size_t i = (size_t)ky * hw + kx;
            double re = s->Fc[i][0], im = s->Fc[i][1], p2 = re * re + im * im;
            double wgt = (kx == 0 || kx == kmid) ? 1.0 : 2.0, pw = wgt * p2 * c->scale;
            rowt += pw;
            if (!(p2 > 0) || (kx == 0 && ky == 0))
                continue;
            double fx = (double)kx / fw, fy = (double)sy / fh, f2 = fx * fx + fy * fy;
            int near = 0;
            for (int e = 0; e < 2 * c->nb; e++)
                near |= f2 >= c->near_lo2[e] && f2 <= c->near_hi2[e];
            if (near && s->window == ST_WINDOW_HANN) {
                /* Im(F_d · conj F) / |F|², in radians per pixel; to bins: × n/2π. */
                double dxr, dxi, dyr, dyi;
                if (c->G) {
                    cplx dx, dy, hh[3], hd[3];
                    if (rh) {
                        x_taps(c, rh + kx, rd + kx, &dx, &dy);
                    } else {
                        for (int a = 0; a < 3; a++)
                            y_taps(c, kx + a - 1, row, nrow, &hh[a], &hd[a]);
                        x_taps(c, hh, hd, &dx, &dy);
                    }
                    dxr = dx.re, dxi = dx.im, dyr = dy.re, dyi = dy.im;
                } else {
                    dxr = c->Fdx[i][0], dxi = c->Fdx[i][1], dyr = c->Fdy[i][0], dyi = c->Fdy[i][1];
                }
                double ix = (dxi * re - dxr * im) / p2, iy = (dyi * re - dyr * im) / p2;
                double bx = kx - clampd(ix * fw / (2.0 * M_PI), lim);
                double by = sy - clampd(iy * fh / (2.0 * M_PI), lim);
                fx = bx / fw;
                fy = by / fh;
                f2 = fx * fx + fy * fy;
            }
            for (int k = 0; k < c->nb; k++)
                if (f2 > c->flo2[k] && f2 <= c->fhi2[k])
                    rowb[k] += pw;
        }
        total += rowt;
        for (int k = 0; k < c->nb; k++)
            band[k] += rowb[k];
    }
    free(rh);
    double *o = c->part + (size_t)blk * (1 + c->nb);
    o[0] = total;
    for (int k = 0; k < c->nb; k++)
        o[1 + k] = band[k];
}

typedef struct fill_ctx {
    const float *z;
    size_t stride;
    const unsigned char *mask;
    size_t mstride;
    const double *ax, *ay; /* NULL: no window along that axis */
    double mean;
    float *out;
    int w, fw;
} fill_ctx;

static void fill_block(void *arg, int b, int y0, int y1)
{
    (void)b;
    const fill_ctx *c = arg;
    for (int y = y0; y < y1; y++) {
        const float *row = c->z + (size_t)y * c->stride;
        const unsigned char *m = c->mask ? c->mask + (size_t)y * c->mstride : NULL;
        float *o = c->out + (size_t)y * c->fw;
        double wy = c->ay ? c->ay[y] : 1.0;
        for (int x = 0; x < c->w; x++) {
            double v = (m && !m[x]) ? 0.0 : (row[x] - c->mean) * wy;
            o[x] = (float)(c->ax ? c->ax[x] * v : v);
        }
        memset(o + c->w, 0, (size_t)(c->fw - c->w) * sizeof *o);
    }
}

int st_band_ms_spectrum(st_fft *fft, st_spectrum *s, const float *z, size_t stride,
                        const unsigned char *mask, size_t mstride, const double (*bands)[2],
                        int nbands, int threads, double *band_ms, double *total_ms, st_err *err)
{
    for (int k = 0; k < nbands; k++)
        band_ms[k] = 0.0;
    *total_ms = 0.0;
    if (!s->Fc || nbands > ST_SPECTRUM_MAX_BANDS)
        return st_err_set(err, ST_EINVAL, "psd: band spectrum without the complex transform");
    const int w = s->w, h = s->h, fw = s->fw, fh = s->fh, hw = s->hw;
    const size_t ncplx = (size_t)hw * fh;
    const int nblk = st_block_count(fh);
    band_ctx c = {0};
    c.s = s;
    c.nb = nbands;
    c.scale = 1.0 / ((double)fw * fh * s->sum_w2);
    const double reach = sqrt(8.0) / (fw < fh ? fw : fh); /* 2 bins per axis */
    for (int k = 0; k < nbands; k++) {
        c.flo2[k] = s->px * s->px / (bands[k][1] * bands[k][1]);
        c.fhi2[k] = s->px * s->px / (bands[k][0] * bands[k][0]);
        for (int e = 0; e < 2; e++) {
            double edge = s->px / bands[k][1 - e], lo = edge - reach, hi = edge + reach;
            c.near_lo2[2 * k + e] = lo > 0 ? lo * lo * (1 - 1e-9) : 0.0;
            c.near_hi2[2 * k + e] = hi * hi * (1 + 1e-9);
        }
    }
    c.part = calloc((size_t)nblk * (1 + nbands), sizeof *c.part);
    double *win = NULL;
    float *buf = NULL;
    st_complex *T[2] = {NULL, NULL};
    int rc = ST_OK;
    if (!c.part) {
        rc = st_err_set(err, ST_ENOMEM, "psd: out of memory for the band spectra");
        goto done;
    }
    if (s->window == ST_WINDOW_HANN && nbands > 0) {
        int direct = fw == w && fh == h;
        buf = s->real; /* the spectrum's scratch: its windowed input is not needed again */
        T[0] = st_fft_alloc_complex(ncplx);
        if (!direct)
            T[1] = st_fft_alloc_complex(ncplx);
        win = malloc(2 * (size_t)(w + h) * sizeof *win);
        if (!buf || !T[0] || (!direct && !T[1]) || !win) {
            rc = st_err_set(err, ST_ENOMEM, "psd: out of memory for the band spectra");
            goto done;
        }
        double *wx = win, *dwx = wx + w, *wy = dwx + w, *dwy = wy + h;
        hann(wx, dwx, w, s->window);
        hann(wy, dwy, h, s->window);
        fill_ctx fc = {z, stride, mask, mstride, NULL, NULL, s->mean, buf, w, fw};
        if (direct) { /* G: the unwindowed transform */
            st_run_blocks(threads, h, fill_block, &fc);
            if ((rc = st_fft_r2c(fft, fw, fh, buf, T[0], err)))
                goto done;
            c.G = T[0];
            make_taps(fw, &c.tx);
            make_taps(fh, &c.ty);
        } else {
            for (int t = 0; t < 2; t++) {
                fc.ax = t == 0 ? dwx : wx;
                fc.ay = t == 0 ? wy : dwy;
                st_run_blocks(threads, h, fill_block, &fc);
                memset(buf + (size_t)h * fw, 0, (size_t)(fh - h) * fw * sizeof *buf);
                if ((rc = st_fft_r2c(fft, fw, fh, buf, T[t], err)))
                    goto done;
            }
            c.Fdx = T[0];
            c.Fdy = T[1];
        }
    }
    st_run_blocks(threads, fh, band_block, &c);
    for (int b = 0; b < nblk; b++) {
        const double *o = c.part + (size_t)b * (1 + nbands);
        *total_ms += o[0];
        for (int k = 0; k < nbands; k++)
            band_ms[k] += o[1 + k];
    }
done:
    free(c.part);
    free(win);
    st_fft_free_buf(T[0]);
    st_fft_free_buf(T[1]);
    return rc;
}

int st_band_ms(st_fft *fft, const float *z, size_t stride, int w, int h,
               const unsigned char *mask, size_t mstride, double px, st_window window,
               const double (*bands)[2], int nbands, double *band_ms, double *total_ms,
               st_err *err)
{
    for (int k = 0; k < nbands; k++)
        band_ms[k] = 0.0;
    *total_ms = 0.0;
    st_spectrum s;
    int rc = st_spectrum_compute_ex(fft, z, stride, w, h, mask, mstride, px, window, NULL, 1, 1,
                                    &s, err);
    if (rc)
        return rc;
    rc = st_band_ms_spectrum(fft, &s, z, stride, mask, mstride, bands, nbands, 1, band_ms,
                             total_ms, err);
    st_spectrum_free(&s);
    return rc;
}
