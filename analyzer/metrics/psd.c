#define _DEFAULT_SOURCE /* M_PI */
#include "metrics/psd.h"

#include <math.h>
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
    const st_complex *src; /* the transform (== F unless it is kept) */
    st_complex *F;
    int hw;
    float scale;
} pow_ctx;

static void power_block(void *arg, int b, int y0, int y1)
{
    (void)b;
    const pow_ctx *c = arg;
    for (size_t i = (size_t)y0 * c->hw; i < (size_t)y1 * c->hw; i++) {
        float re = c->src[i][0], im = c->src[i][1];
        c->F[i][0] = (re * re + im * im) * c->scale;
        c->F[i][1] = 0.0f;
    }
}

int st_spectrum_compute(st_fft *fft, const float *z, size_t stride, int w, int h,
                        const unsigned char *mask, size_t mstride, double px, st_window window,
                        const st_window_cache *wc, int threads, st_spectrum *out, st_err *err)
{
    return st_spectrum_compute_ex(fft, z, stride, w, h, mask, mstride, px, window, wc, threads, 0,
                                  out, err);
}

int st_spectrum_compute_ex(st_fft *fft, const float *z, size_t stride, int w, int h,
                           const unsigned char *mask, size_t mstride, double px, st_window window,
                           const st_window_cache *wc, int threads, int keep_complex,
                           st_spectrum *out, st_err *err)
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
    st_complex *Fc = keep_complex ? st_fft_alloc_complex(ncplx) : NULL;
    int rc = ST_OK;
    if ((!wc && (!wx || !wy)) || !part || !buf || !F || (keep_complex && !Fc)) {
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
    rc = st_fft_r2c(fft, fw, fh, buf, Fc ? Fc : F, err);
    if (rc)
        goto done;
    pow_ctx pc = {Fc ? Fc : F, F, hw, (float)(1.0 / ((double)fw * fh * sw2))};
    st_run_blocks(threads, fh, power_block, &pc);
    *out = (st_spectrum){w, h, fw, fh, hw, px, F, Fc, buf, sw2, fc.mean, window, wc};
    F = Fc = NULL;
    buf = NULL;
done:
    free(wx);
    free(wy);
    free(part);
    st_fft_free_buf(buf);
    st_fft_free_buf(F);
    st_fft_free_buf(Fc);
    return rc;
}

void st_spectrum_free(st_spectrum *s)
{
    if (s) {
        st_fft_free_buf(s->F);
        st_fft_free_buf(s->Fc);
        st_fft_free_buf(s->real);
        s->F = s->Fc = NULL;
        s->real = NULL;
    }
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
                 double *slope, double *resid)
{
    double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
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
        syy += wgt * y * y;
        used++;
    }
    double den = sw * sxx - sx * sx;
    if (used < 3 || !(den > 0))
        return -1;
    double b = (sw * sxy - sx * sy) / den, a = (sy - b * sx) / sw;
    *slope = b;
    if (resid) { /* weighted RMS of log10 psd about the line */
        double ss = syy - 2 * a * sy - 2 * b * sxy + a * a * sw + 2 * a * b * sx + b * b * sxx;
        *resid = sqrt(ss > 0 ? ss / sw : 0.0);
    }
    return 0;
}
