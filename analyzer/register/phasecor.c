/* Windowed phase correlation: the normalised cross-power spectrum of two
 * images related by a shift is a pure phase ramp whose inverse transform is a
 * delta at the shift (Kuglin & Hines 1975). The Hann window removes the
 * wrap-around edge that would otherwise dominate the spectrum. */
#define _XOPEN_SOURCE 700
#include "register/phasecor.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

/* Hann weights, 0.5 (1 - cos(2 pi (i + 0.5) / n)): never exactly zero, so no
 * sample of the image is lost entirely. */
static void hann(float *wv, int n, int on)
{
    for (int i = 0; i < n; i++)
        wv[i] = on ? (float)(0.5 - 0.5 * cos(2.0 * M_PI * (i + 0.5) / n)) : 1.0f;
}

/* Mean-removed, windowed copy of src (w x h) at the top left of a zeroed
 * W x H buffer. */
static void prep(const float *src, size_t stride, int w, int h, int W, const float *wx,
                 const float *wy, float *dst)
{
    double sum = 0.0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            sum += src[(size_t)y * stride + x];
    float mean = (float)(sum / ((double)w * h));
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            dst[(size_t)y * W + x] = (src[(size_t)y * stride + x] - mean) * wx[x] * wy[y];
}

/* Parabola vertex through (-1, a), (0, b), (1, c), clamped to half a sample. */
static double parabola(double a, double b, double c)
{
    double den = a - 2.0 * b + c;
    if (den >= 0.0)
        return 0.0;
    double d = 0.5 * (a - c) / den;
    return d > 0.5 ? 0.5 : (d < -0.5 ? -0.5 : d);
}

static void find_peak(const float *r, int W, int H, st_phasecor_result *out)
{
    size_t n = (size_t)W * H, best = 0;
    for (size_t i = 1; i < n; i++)
        if (r[i] > r[best])
            best = i;
    int px = (int)(best % (size_t)W), py = (int)(best / (size_t)W);
#define R(x, y) r[(size_t)(((y) + H) % H) * W + (size_t)(((x) + W) % W)]
    double fx = parabola(R(px - 1, py), R(px, py), R(px + 1, py));
    double fy = parabola(R(px, py - 1), R(px, py), R(px, py + 1));
    /* Peak-to-sidelobe ratio outside an 11 x 11 window round the peak. */
    double s = 0.0, s2 = 0.0;
    size_t cnt = 0;
    for (int y = 0; y < H; y++) {
        int dy = abs(y - py);
        dy = dy > H / 2 ? H - dy : dy;
        for (int x = 0; x < W; x++) {
            int dx = abs(x - px);
            dx = dx > W / 2 ? W - dx : dx;
            if (dx <= 5 && dy <= 5)
                continue;
            double v = r[(size_t)y * W + x];
            s += v;
            s2 += v * v;
            cnt++;
        }
    }
    double mean = cnt ? s / cnt : 0.0, var = cnt ? s2 / cnt - mean * mean : 0.0;
    out->psr = var > 0.0 ? (R(px, py) - mean) / sqrt(var) : 0.0;
#undef R
    double sx = px + fx, sy = py + fy;
    out->dx = sx > W / 2.0 ? sx - W : sx;
    out->dy = sy > H / 2.0 ? sy - H : sy;
}

int st_phasecor(st_fft *fft, const float *a, size_t astride, const float *b, size_t bstride,
                int w, int h, unsigned window, int pad, st_phasecor_result *out, st_err *err)
{
    if (!fft || !a || !b || !out || w < 4 || h < 4)
        return st_err_set(err, ST_EINVAL, "phase correlation: bad arguments");
    int W = pad ? st_fft_good_size(w + w / 8) : w, H = pad ? st_fft_good_size(h + h / 8) : h;
    size_t n, nc;
    if (st_mul_size((size_t)W, (size_t)H, &n) || st_mul_size((size_t)(W / 2 + 1), (size_t)H, &nc))
        return st_err_set(err, ST_ETOOBIG, "phase correlation: %dx%d too large", W, H);
    float *ra = st_fft_alloc_real(n), *rb = st_fft_alloc_real(n);
    st_complex *fa = st_fft_alloc_complex(nc), *fb = st_fft_alloc_complex(nc);
    float *wx = st_alloc_floats((size_t)w), *wy = st_alloc_floats((size_t)h);
    int rc = ST_OK;
    if (!ra || !rb || !fa || !fb || !wx || !wy) {
        rc = st_err_set(err, ST_ENOMEM, "phase correlation: out of memory (%dx%d)", W, H);
        goto done;
    }
    memset(ra, 0, n * sizeof *ra);
    memset(rb, 0, n * sizeof *rb);
    hann(wx, w, (window & ST_PC_WINDOW_X) != 0);
    hann(wy, h, (window & ST_PC_WINDOW_Y) != 0);
    prep(a, astride, w, h, W, wx, wy, ra);
    prep(b, bstride, w, h, W, wx, wy, rb);
    if ((rc = st_fft_r2c(fft, W, H, ra, fa, err)) || (rc = st_fft_r2c(fft, W, H, rb, fb, err)))
        goto done;
    /* conj(A) B / |A B|: a delta at +t when b(x) = a(x - t). The tiny floor
     * keeps empty frequencies (zero padding) at zero instead of NaN. */
    for (size_t i = 0; i < nc; i++) {
        double re = (double)fa[i][0] * fb[i][0] + (double)fa[i][1] * fb[i][1];
        double im = (double)fa[i][0] * fb[i][1] - (double)fa[i][1] * fb[i][0];
        double mag = sqrt(re * re + im * im);
        double k = mag > 1e-20 ? 1.0 / mag : 0.0;
        fa[i][0] = (float)(re * k);
        fa[i][1] = (float)(im * k);
    }
    if ((rc = st_fft_c2r(fft, W, H, fa, ra, err)))
        goto done;
    find_peak(ra, W, H, out);
done:
    st_fft_free_buf(ra);
    st_fft_free_buf(rb);
    st_fft_free_buf(fa);
    st_fft_free_buf(fb);
    st_aligned_free(wx);
    st_aligned_free(wy);
    return rc;
}
