#define _DEFAULT_SOURCE /* M_PI */
#include "metrics/acf.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

/* The areal autocorrelation of ISO 25178-2 §4.2.1 as Gwyddion estimates it
 * (libprocess/stats.c, gwy_data_field_area_2dacf_mask): the surface as it
 * is (levelled, no window), zero-padded so that the FFT's product is the
 * linear, not circular, correlation, and each lag's sum divided by the
 * number of pixel pairs that made it (the unbiased estimator); lags up to
 * half the region's side in each direction. */
typedef struct acf_lags {
    int w, h, pw, ph; /* region, padded FFT size */
    int xr, yr;       /* lags |tx| < xr, |ty| < yr */
    int lx, ly;       /* lags computed: |tx| < lx <= xr, |ty| < ly <= yr */
    float *num;       /* Σ z(p)·z(p + t), circular index on pw x ph */
    float *cnt;       /* pairs inside the mask (NULL: no mask) */
    double rho0;      /* num/pairs at lag 0 */
    double min_pairs; /* fewer pairs than this: the lag is not measured */
} acf_lags;

/* In place: buf (pw x ph, data in the top-left w x h, zeros elsewhere)
 * becomes its circular autocorrelation, unnormalised (FFTW's scale). */
static int autocorrelate(st_fft *fft, int pw, int ph, float *buf, st_complex *F, st_err *err)
{
    int rc = st_fft_r2c(fft, pw, ph, buf, F, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < (size_t)(pw / 2 + 1) * ph; i++) {
        F[i][0] = F[i][0] * F[i][0] + F[i][1] * F[i][1];
        F[i][1] = 0.0f;
    }
    return st_fft_c2r(fft, pw, ph, F, buf, err);
}

static double pairs_at(const acf_lags *a, int tx, int ty, size_t idx)
{
    if (a->cnt)
        return a->cnt[idx];
    return (double)(a->w - abs(tx)) * (a->h - abs(ty));
}

/* Normalised ACF at integer lag (tx, ty); NaN outside the lag range or
 * where too few pairs inside the mask made it. */
static double rho_at(const acf_lags *a, int tx, int ty)
{
    if (abs(tx) >= a->xr || abs(ty) >= a->yr)
        return NAN;
    size_t idx = (size_t)(ty < 0 ? ty + a->ph : ty) * a->pw + (tx < 0 ? tx + a->pw : tx);
    double n = pairs_at(a, tx, ty, idx);
    if (!(n >= a->min_pairs))
        return NAN;
    return a->num[idx] / n / a->rho0;
}

/* The padded size for n: any size >= n gives the same lags, so the one
 * FFTW transforms fastest. st_fft_good_size's smallest 2^a 3^b 5^c 7^d is
 * often odd or a high power of 5 (1875 x 1458 took as long as 2400 x
 * 1800, 19 ns a pixel for r2c + c2r); a multiple of 16 whose cofactor is
 * 7-smooth ran at 8-10 ns (1920 x 1536). */
static int acf_size(int n)
{
    if (n < 128)
        return st_fft_good_size(n);
    for (int m = (n + 15) / 16 * 16;; m += 16) {
        int r = m / 16;
        static const int p[4] = {2, 3, 5, 7};
        for (int k = 0; k < 4; k++)
            while (r % p[k] == 0)
                r /= p[k];
        if (r == 1)
            return m;
    }
}

/* lx, ly: the lags computed (<= 0 or beyond the range: all); the padding
 * only needs to hold them, so fewer lags make a smaller transform. */
static int acf_lags_make(st_fft *fft, const float *z, size_t stride, int w, int h,
                         const unsigned char *mask, size_t mstride, int lx, int ly, acf_lags *a,
                         st_err *err)
{
    memset(a, 0, sizeof *a);
    a->w = w;
    a->h = h;
    a->xr = w / 2;
    a->yr = h / 2;
    a->lx = lx > 0 && lx < a->xr ? lx : a->xr;
    a->ly = ly > 0 && ly < a->yr ? ly : a->yr;
    a->pw = acf_size(w + a->lx);
    a->ph = acf_size(h + a->ly);
    size_t nreal = (size_t)a->pw * a->ph, ncplx = (size_t)(a->pw / 2 + 1) * a->ph;
    st_complex *F = st_fft_alloc_complex(ncplx);
    a->num = st_fft_alloc_real(nreal);
    a->cnt = mask ? st_fft_alloc_real(nreal) : NULL;
    int rc = ST_OK;
    if (!F || !a->num || (mask && !a->cnt)) {
        rc = st_err_set(err, ST_ENOMEM, "acf: out of memory for a %dx%d correlation", a->pw, a->ph);
        goto done;
    }
    memset(a->num, 0, nreal * sizeof *a->num);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            a->num[(size_t)y * a->pw + x] =
                (!mask || mask[(size_t)y * mstride + x]) ? z[(size_t)y * stride + x] : 0.0f;
    if ((rc = autocorrelate(fft, a->pw, a->ph, a->num, F, err)))
        goto done;
    double n0 = (double)w * h;
    if (mask) {
        memset(a->cnt, 0, nreal * sizeof *a->cnt);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                a->cnt[(size_t)y * a->pw + x] = mask[(size_t)y * mstride + x] ? 1.0f : 0.0f;
        if ((rc = autocorrelate(fft, a->pw, a->ph, a->cnt, F, err)))
            goto done;
        n0 = a->cnt[0];
    }
    /* A lag made by fewer than 5 % of the pixels (masks only: without one,
     * half-side lags keep a quarter of them) is noise, left unmeasured. */
    a->min_pairs = 0.05 * n0;
    a->rho0 = n0 > 0 ? a->num[0] / n0 : 0.0;
done:
    st_fft_free_buf(F);
    if (rc) {
        st_fft_free_buf(a->num);
        st_fft_free_buf(a->cnt);
        a->num = a->cnt = NULL;
    }
    return rc;
}

/* The search over the central lobe of the ACF: lags connected to the
 * origin (4-neighbours) where rho > s. Every step from a lag inside to a
 * neighbour at or below s crosses the boundary, at the point found by
 * linear interpolation between the two lags; a step out of the lag range
 * (or into unmeasured lags) meets its edge half a pixel out, as Gwyddion's
 * grain boundary does. */
typedef struct lobe {
    double rmin;  /* nearest decay crossing (INFINITY: none) */
    double rmax;  /* furthest boundary point, crossings and edges */
    int truncated; /* the lobe reached lags that were not computed (lx, ly) */
} lobe;

/* The normalised ACF over the lags computed and a one-lag border, as a
 * grid centred on lag 0 (the search reads it instead of recomputing each
 * lag): border lags are NaN at the edge of the range (or of the measured
 * lags) and +INFINITY where the range goes on but was not computed. */
static double *rho_grid(const acf_lags *a, int *gw_out)
{
    const int gw = 2 * a->lx + 1, gh = 2 * a->ly + 1;
    double *g = malloc((size_t)gw * gh * sizeof *g);
    if (!g)
        return NULL;
    for (int j = 0; j < gh; j++) {
        int ty = j - a->ly;
        double *row = g + (size_t)j * gw;
        if (!a->cnt && abs(ty) < a->ly) {
            /* Without a mask every computed lag is measured (half-side lags
             * keep a quarter of the pairs): rho_at's arithmetic, no branch. */
            const float *num = a->num + (size_t)(ty < 0 ? ty + a->ph : ty) * a->pw;
            double py = (double)(a->h - abs(ty));
            for (int i = 1; i < gw - 1; i++) {
                int tx = i - a->lx;
                row[i] = num[tx < 0 ? tx + a->pw : tx] / ((double)(a->w - abs(tx)) * py) / a->rho0;
            }
            row[0] = row[gw - 1] = a->lx < a->xr ? INFINITY : NAN;
            continue;
        }
        for (int i = 0; i < gw; i++) {
            int tx = i - a->lx;
            if (abs(tx) < a->lx && abs(ty) < a->ly)
                row[i] = rho_at(a, tx, ty);
            else if (abs(tx) < a->xr && abs(ty) < a->yr)
                row[i] = INFINITY; /* not computed */
            else
                row[i] = NAN;
        }
    }
    *gw_out = gw;
    return g;
}

static int search_lobe(const acf_lags *a, double s, lobe *out)
{
    out->truncated = 0;
    int gw = 2 * a->lx + 1;
    double *rho = rho_grid(a, &gw);
    const int gh = 2 * a->ly + 1;
    unsigned char *seen = calloc((size_t)gw * gh, 1);
    size_t cap = 1024, n = 0;
    int32_t *stack = malloc(cap * sizeof *stack);
    if (!rho || !seen || !stack) {
        free(rho);
        free(seen);
        free(stack);
        return -1;
    }
    static const int dx[4] = {1, -1, 0, 0}, dy[4] = {0, 0, 1, -1};
    const int step[4] = {1, -1, gw, -gw};
    double rmin2 = INFINITY, rmax2 = 0;
    int c0 = a->ly * gw + a->lx;
    seen[c0] = 1;
    stack[n++] = c0;
    while (n) {
        int c = stack[--n], tx = c % gw - a->lx, ty = c / gw - a->ly;
        double ra = rho[c];
        for (int k = 0; k < 4; k++) {
            int nc = c + step[k];
            double rb = rho[nc], px, py;
            if (isnan(rb)) { /* the edge of what was measured */
                px = tx + 0.5 * dx[k];
                py = ty + 0.5 * dy[k];
            } else if (isinf(rb)) {
                out->truncated = 1; /* the caller computes more lags */
                n = 0;
                break;
            } else if (rb > s) {
                if (!seen[nc]) {
                    seen[nc] = 1;
                    if (n == cap) {
                        int32_t *grown = realloc(stack, 2 * cap * sizeof *stack);
                        if (!grown) {
                            free(rho);
                            free(seen);
                            free(stack);
                            return -1;
                        }
                        stack = grown;
                        cap *= 2;
                    }
                    stack[n++] = nc;
                }
                continue;
            } else {
                double f = (ra - s) / (ra - rb);
                px = tx + f * dx[k];
                py = ty + f * dy[k];
                double d2 = px * px + py * py;
                rmin2 = d2 < rmin2 ? d2 : rmin2;
            }
            double d2 = px * px + py * py;
            rmax2 = d2 > rmax2 ? d2 : rmax2;
        }
    }
    free(rho);
    free(seen);
    free(stack);
    out->rmin = sqrt(rmin2);
    out->rmax = sqrt(rmax2);
    return 0;
}

/* Box average of k x k pixels (inside the mask), for the coarse pass. A
 * coarse pixel is inside when at least half of its pixels are. */
static int downsample(const float *z, size_t stride, int w, int h, const unsigned char *mask,
                      size_t mstride, int k, float **zc, unsigned char **mc, int *wc, int *hc)
{
    int cw = w / k, ch = h / k;
    float *o = malloc((size_t)cw * ch * sizeof *o);
    unsigned char *m = mask ? malloc((size_t)cw * ch) : NULL;
    if (!o || (mask && !m)) {
        free(o);
        free(m);
        return -1;
    }
    for (int cy = 0; cy < ch; cy++)
        for (int cx = 0; cx < cw; cx++) {
            double sum = 0;
            int n = 0;
            for (int y = cy * k; y < (cy + 1) * k; y++)
                for (int x = cx * k; x < (cx + 1) * k; x++)
                    if (!mask || mask[(size_t)y * mstride + x]) {
                        sum += z[(size_t)y * stride + x];
                        n++;
                    }
            o[(size_t)cy * cw + cx] = n ? (float)(sum / n) : 0.0f;
            if (m)
                m[(size_t)cy * cw + cx] = 2 * n >= k * k;
        }
    *zc = o;
    *mc = m;
    *wc = cw;
    *hc = ch;
    return 0;
}

/* The coarse pass (regions of at least ACF_COARSE_MIN px a side) bounds the
 * lags the full-resolution ACF needs, so that its zero padding (and FFT)
 * holds those lags, not half the side: the ACF of the k x k box-averaged
 * surface (k = side / ACF_COARSE_SIDE, at least 2), the furthest point of
 * its central lobe, a quarter more and a margin (on the eight demo photos
 * the fine lobe reached 0.94 to 1.27 times the coarse one's extent, within
 * 1 % but for three). Box averaging lowers the variance more than the
 * correlation at a lag, so the coarse lobe tends to be the larger; when it
 * is not, the full-resolution search finds its lobe reaching lags that
 * were not computed and doubles them (up to all). The result is the same
 * either way; only the ACF is not averaged into Sal (the fine-scale dips
 * of a textured surface's ACF set its nearest crossing and would be
 * smoothed away). */
enum { ACF_COARSE_MIN = 256, ACF_COARSE_SIDE = 256, ACF_MARGIN = 8 };

static int coarse_bound(st_fft *fft, const float *z, size_t stride, int w, int h,
                        const unsigned char *mask, size_t mstride, double s, int *lag_bound,
                        st_err *err)
{
    int side = w < h ? w : h, k = side / ACF_COARSE_SIDE < 2 ? 2 : side / ACF_COARSE_SIDE;
    *lag_bound = 0; /* all lags */
    float *zc = NULL;
    unsigned char *mc = NULL;
    int cw, ch;
    if (downsample(z, stride, w, h, mask, mstride, k, &zc, &mc, &cw, &ch))
        return st_err_set(err, ST_ENOMEM, "acf: out of memory for the coarse pass");
    acf_lags a;
    int rc = acf_lags_make(fft, zc, (size_t)cw, cw, ch, mc, (size_t)cw, 0, 0, &a, err);
    lobe lb;
    if (!rc && a.rho0 > 0 && !search_lobe(&a, s, &lb))
        *lag_bound = (int)ceil(1.25 * k * (lb.rmax + 2.0)) + ACF_MARGIN;
    st_fft_free_buf(a.num);
    st_fft_free_buf(a.cnt);
    free(zc);
    free(mc);
    return rc;
}

int st_acf_params(st_fft *fft, const float *z, size_t stride, int w, int h,
                  const unsigned char *mask, size_t mstride, const st_acf_opts *o,
                  double *sal_px, double *str, st_err *err)
{
    *sal_px = NAN;
    *str = NAN;
    if (w < 4 || h < 4)
        return ST_OK; /* no lag range to search */
    int bound = 0, rc;
    if ((w < h ? w : h) >= ACF_COARSE_MIN &&
        (rc = coarse_bound(fft, z, stride, w, h, mask, mstride, o->s, &bound, err)))
        return rc;
    for (;;) {
        acf_lags a;
        if ((rc = acf_lags_make(fft, z, stride, w, h, mask, mstride, bound, bound, &a, err)))
            return rc;
        lobe lb = {0};
        int again = 0;
        if (!(a.rho0 > 0)) {
            /* flat surface: no decay to measure */
        } else if (search_lobe(&a, o->s, &lb)) {
            rc = st_err_set(err, ST_ENOMEM, "acf: out of memory for the lag search");
        } else if (lb.truncated) {
            again = 1; /* the lobe goes beyond the lags computed: twice as many */
        } else if (isfinite(lb.rmin) && lb.rmax > 0) {
            *sal_px = lb.rmin;
            *str = lb.rmin / lb.rmax;
        }
        st_fft_free_buf(a.num);
        st_fft_free_buf(a.cnt);
        if (!again || rc)
            return rc;
        bound *= 2; /* acf_lags_make stops at the range */
    }
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
    /* Refined on the power-weighted doubled angles around the peak. The
     * window is a cos² taper re-centred on its own estimate until it
     * settles: a flat window moved with the integer peak bin, so a peak
     * wavering between two bins made the direction jump by 2-3° between
     * photos of the same skin. The taper makes it continuous in the data. */
    double wave = best + 0.5; /* wave vector angle, degrees */
    for (int it = 0; it < 20; it++) {
        const double half = 2.0 * APS_REFINE; /* cos² FWHM = half: about the old ±15° */
        double c = 0, sn = 0;
        for (int d = -(int)half; d <= (int)half + 1; d++) {
            int a = (int)floor(wave) + d;
            double off = a + 0.5 - wave;
            if (fabs(off) >= half)
                continue;
            double w = cos(0.5 * M_PI * off / half);
            w *= w;
            a = ((a % ST_APS_BINS) + ST_APS_BINS) % ST_APS_BINS;
            c += w * sums->aps_c[a];
            sn += w * sums->aps_s[a];
        }
        double next = 0.5 * atan2(sn, c) * 180.0 / M_PI; /* (-90, 90] */
        /* Keep the estimate on the same branch as the window's centre. */
        next += 180.0 * round((wave - next) / 180.0);
        double moved = fabs(next - wave);
        wave = next;
        if (moved < 1e-9)
            break;
    }
    double lay = fmod(wave + 90.0 + 360.0, 180.0);
    return lay >= 180.0 ? lay - 180.0 : lay;
}
