#define _DEFAULT_SOURCE /* M_PI */
#include "metrics/acf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

/* Autocorrelation of the window·mask, normalised to 1 at zero lag: either
 * separable 1-D sums (no mask) or through the FFT (mask). */
typedef struct win_acf {
    double *wx, *wy; /* separable: lags 0..w−1, 0..h−1 */
    float *full;     /* masked: fw x fh, circular lags */
    double full0;
} win_acf;

static void win1d_acf(double *out, int n, st_window kind)
{
    double *w = malloc((size_t)n * sizeof *w);
    if (!w) {
        for (int t = 0; t < n; t++)
            out[t] = 1.0 - (double)t / n;
        return;
    }
    for (int i = 0; i < n; i++) {
        double s = sin(M_PI * (i + 0.5) / n);
        w[i] = kind == ST_WINDOW_HANN ? s * s : 1.0;
    }
    double w0 = 0;
    for (int t = 0; t < n; t++) {
        double acc = 0;
        for (int i = 0; i + t < n; i++)
            acc += w[i] * w[i + t];
        if (t == 0)
            w0 = acc;
        out[t] = acc / w0;
    }
    free(w);
}

static int masked_win_acf(st_fft *fft, const st_spectrum *s, const unsigned char *mask,
                          size_t mstride, win_acf *wa, st_err *err)
{
    size_t nreal = (size_t)s->fw * s->fh, ncplx = (size_t)s->hw * s->fh;
    float *buf = st_fft_alloc_real(nreal);
    st_complex *G = st_fft_alloc_complex(ncplx);
    double *wx = malloc((size_t)s->w * sizeof *wx), *wy = malloc((size_t)s->h * sizeof *wy);
    int rc = ST_OK;
    if (!buf || !G || !wx || !wy) {
        rc = st_err_set(err, ST_ENOMEM, "acf: out of memory");
        goto done;
    }
    for (int i = 0; i < s->w; i++) {
        double v = sin(M_PI * (i + 0.5) / s->w);
        wx[i] = s->window == ST_WINDOW_HANN ? v * v : 1.0;
    }
    for (int i = 0; i < s->h; i++) {
        double v = sin(M_PI * (i + 0.5) / s->h);
        wy[i] = s->window == ST_WINDOW_HANN ? v * v : 1.0;
    }
    memset(buf, 0, nreal * sizeof *buf);
    for (int y = 0; y < s->h; y++)
        for (int x = 0; x < s->w; x++)
            if (mask[(size_t)y * mstride + x])
                buf[(size_t)y * s->fw + x] = (float)(wx[x] * wy[y]);
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
    free(wx);
    free(wy);
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
        wgt = m->wa->wx[abs(tx)] * m->wa->wy[abs(ty)];
    if (!(wgt > 0.05))
        return NAN;
    return m->a[(size_t)iy * m->fw + ix] / (m->a0 * wgt);
}

static double rho_bilinear(const acf_map *m, double x, double y)
{
    int x0 = (int)floor(x), y0 = (int)floor(y);
    double fx = x - x0, fy = y - y0;
    return (1 - fy) * ((1 - fx) * rho_at(m, x0, y0) + fx * rho_at(m, x0 + 1, y0)) +
           fy * ((1 - fx) * rho_at(m, x0, y0 + 1) + fx * rho_at(m, x0 + 1, y0 + 1));
}

/* Lag (pixels) at which the ACF first falls to s along direction th, or
 * INFINITY if it does not within rmax. */
static double decay_length(const acf_map *m, double th, double s, double step, double rmax)
{
    double c = cos(th), sn = sin(th), prev = 1.0;
    for (double r = step; r <= rmax; r += step) {
        double v = rho_bilinear(m, r * c, r * sn);
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
    win_acf wa = {0};
    float *acf = NULL;
    int rc = ST_OK;
    if (mask) {
        if ((rc = masked_win_acf(fft, s, mask, mstride, &wa, err)))
            return rc;
    } else {
        wa.wx = malloc((size_t)s->w * sizeof *wa.wx);
        wa.wy = malloc((size_t)s->h * sizeof *wa.wy);
        if (!wa.wx || !wa.wy) {
            rc = st_err_set(err, ST_ENOMEM, "acf: out of memory");
            goto done;
        }
        win1d_acf(wa.wx, s->w, s->window);
        win1d_acf(wa.wy, s->h, s->window);
    }
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
    double rmax = o->max_frac * (s->w < s->h ? s->w : s->h);
    double lo = INFINITY, hi = 0;
    for (int k = 0; k < o->n_dirs; k++) {
        double r = decay_length(&m, M_PI * k / o->n_dirs, o->s, o->step_px, rmax);
        lo = r < lo ? r : lo;
        hi = r > hi ? r : hi;
    }
    if (isfinite(lo)) {
        *sal_px = lo;
        *str = isfinite(hi) ? lo / hi : 0.0;
    }
done:
    free(wa.wx);
    free(wa.wy);
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
