/* Wrinkles on photos: the line filter matched to a groove under a lamp.
 *
 * Under a lamp at azimuth u (towards the lamp) a relief h shades as
 * S ≈ S0 (1 − t ∂_u h) (Lambert, small slopes; t = cot of the lamp's
 * elevation; lamp.c). A groove of normal n at angle α to u therefore shows
 * as an antisymmetric pair across it: its wall nearer the lamp faces away
 * and is dark, the far wall is bright, with an amplitude ∝ |cos α|; a
 * groove running along u (α = 90°) leaves no trace. The valley filter of
 * height maps (wrinkle_maps.c) looks for a dark line, which this is not.
 *
 * Filter: the first derivative of the Gaussian-smoothed shading across each
 * candidate normal n_k (12 orientations, 15° apart), signed so that a pair
 * in the order the lamp dictates (bright on the side away from the lamp,
 * dark on its side) answers positive, then averaged along the line's
 * direction (a Gaussian of 3 scales' SD, 13 samples) — a groove is long,
 * the skin's fine texture and its pores are short. The response of an
 * albedo line (dark without the bright side, e.g. a hair or a pigmented
 * line) is odd about its centre, so it only answers at its flanks, which
 * the pair test of wrinkles.c (photo_profile) rejects, as it rejects steps
 * (albedo edges). Each (scale, orientation) is divided by its own robust
 * noise over the ROI (the texture's shading is itself stronger along u).
 * Orientations whose normal is more than VIS_DEG from u are not searched:
 * their grooves are too faint to be told from the texture, so the length
 * measured is the length visible under this lamp (README, "Wrinkles on
 * photos").
 *
 * The maps are written into the line_maps of wrinkle_maps.h: snr (best SNR
 * over scales and orientations, where positive), best (the same, for the
 * non-maximum suppression across the line), the direction as (h2b, hamc) =
 * (sin 2θ, cos 2θ) of the normal θ (image axes), sigma the scale in
 * working px. */
#define _DEFAULT_SOURCE /* M_PI */
#include "metrics/wrinkle_photo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "metrics/detect_internal.h"
#include "simd/kernels.h"

#define N_ORIENT 12
#define ALONG_TAPS 6       /* samples each side along the line */
#define ALONG_SD 3.0       /* along-line Gaussian SD, in scales */
#define NOISE_SAMPLES 32768

static const double scale_mm[] = {0.05, 0.1, 0.2};
#define N_SCALES (int)(sizeof scale_mm / sizeof scale_mm[0])

/* The response of one orientation as a fixed sparse kernel: every pixel's
 * along-line samples sit at the same offsets (ix, iy integer, the same
 * bilinear fractions), so each tap is four weighted rows of the
 * derivative plane, padded by `pad` zero pixels (samples outside the plane
 * count as zero response). */
typedef struct orient_ctx {
    const float *dp; /* derivative across, padded: (w + 2 pad) x (h + 2 pad) */
    float *resp;     /* this orientation's response, w x h */
    int w, h, pad;
    int ix[2 * ALONG_TAPS + 1], iy[2 * ALONG_TAPS + 1];
    float wt[2 * ALONG_TAPS + 1][4];
} orient_ctx;

ST_DET_VEC static void tap_row(const float *restrict r0, const float *restrict r1, const float *wt,
                               float *restrict o, int n)
{
    float a = wt[0], b = wt[1], c = wt[2], d = wt[3];
    for (int x = 0; x < n; x++)
        o[x] += a * r0[x] + b * r0[x + 1] + c * r1[x] + d * r1[x + 1];
}

static void orient_rows(void *arg, int y0, int y1)
{
    const orient_ctx *c = arg;
    size_t pw = (size_t)c->w + 2 * (size_t)c->pad;
    for (int y = y0; y < y1; y++) {
        float *o = c->resp + (size_t)y * c->w;
        memset(o, 0, (size_t)c->w * sizeof *o);
        for (int j = 0; j < 2 * ALONG_TAPS + 1; j++) {
            const float *r0 = c->dp + (size_t)(y + c->pad + c->iy[j]) * pw + (size_t)(c->pad + c->ix[j]);
            tap_row(r0, r0 + pw, c->wt[j], o, c->w);
        }
    }
}

/* The taps of normal (nx, ny): samples `step` px apart along (-ny, nx),
 * Gaussian weights, times -sign (the lamp's order answers positive). */
static void orient_taps(orient_ctx *c, double nx, double ny, double sign, double step)
{
    double g[2 * ALONG_TAPS + 1], gs = 0;
    for (int j = -ALONG_TAPS; j <= ALONG_TAPS; j++)
        gs += g[j + ALONG_TAPS] = exp(-0.5 * j * j / (ALONG_SD * ALONG_SD));
    for (int j = -ALONG_TAPS; j <= ALONG_TAPS; j++) {
        double ox = -ny * step * j, oy = nx * step * j, fx = ox - floor(ox), fy = oy - floor(oy);
        double k = -sign * g[j + ALONG_TAPS] / gs;
        c->ix[j + ALONG_TAPS] = (int)floor(ox);
        c->iy[j + ALONG_TAPS] = (int)floor(oy);
        float *w = c->wt[j + ALONG_TAPS];
        w[0] = (float)(k * (1 - fx) * (1 - fy));
        w[1] = (float)(k * fx * (1 - fy));
        w[2] = (float)(k * (1 - fx) * fy);
        w[3] = (float)(k * fx * fy);
    }
}

/* The derivative across (nx, ny) into the padded plane's interior. */
static void across(const float *gx, const float *gy, int w, int h, int pad, double nx, double ny,
                   float *dp)
{
    size_t pw = (size_t)w + 2 * (size_t)pad;
    for (int y = 0; y < h; y++) {
        float *d = dp + (size_t)(y + pad) * pw + pad;
        const float *ax = gx + (size_t)y * w, *ay = gy + (size_t)y * w;
        for (int x = 0; x < w; x++)
            d[x] = (float)nx * ax[x] + (float)ny * ay[x];
    }
}

/* Central differences of b (one-sided at the border). */
static void gradient(const float *b, int w, int h, float *gx, float *gy)
{
    for (int y = 0; y < h; y++) {
        const float *r = b + (size_t)y * w;
        const float *up = b + (size_t)(y > 0 ? y - 1 : y) * w;
        const float *dn = b + (size_t)(y < h - 1 ? y + 1 : y) * w;
        float ky = (y > 0 && y < h - 1) ? 0.5f : 1.0f;
        for (int x = 0; x < w; x++) {
            int xl = x > 0 ? x - 1 : x, xr = x < w - 1 ? x + 1 : x;
            gx[(size_t)y * w + x] = (r[xr] - r[xl]) / (float)(xr - xl > 0 ? xr - xl : 1);
            gy[(size_t)y * w + x] = (dn[x] - up[x]) * ky;
        }
    }
}

/* Robust SD of the response over evenly spaced ROI pixels (the response is
 * odd: symmetric about zero on skin without lines). */
static double resp_noise(const st_detect_input *in, const float *r, int w, int h, int f, float *smp)
{
    size_t n = (size_t)w * h, step = n / NOISE_SAMPLES + 1, k = 0;
    int W = in->surface->width, H = in->surface->height;
    for (size_t i = 0; i < n; i += step) {
        int x = (int)(i % (size_t)w), y = (int)(i / (size_t)w);
        int fx = x * f + f / 2, fy = y * f + f / 2;
        if (st_det_inside(in, fx < W ? fx : W - 1, fy < H ? fy : H - 1))
            smp[k++] = r[i];
    }
    return k >= 64 ? st_det_robust_sigma(smp, k) : 0.0;
}

/* Keeps, per pixel, the best SNR over what has run. */
static void keep_best(line_maps *m, const float *r, double inv, double theta, double sigma)
{
    float c2 = (float)cos(2.0 * theta), s2 = (float)sin(2.0 * theta);
    size_t n = (size_t)m->w * m->h;
    for (size_t i = 0; i < n; i++) {
        float v = (float)(r[i] * inv);
        if (v > m->snr[i]) {
            m->snr[i] = m->best[i] = v;
            m->hamc[i] = c2;
            m->h2b[i] = s2;
            m->sigma[i] = (float)sigma;
        }
    }
}

int st_det_wrinkle_photo_maps(const st_detect_input *in, double lux, double luy, int threads,
                              line_maps *m)
{
    memset(m, 0, sizeof *m);
    int W = in->surface->width, H = in->surface->height;
    double pmm = st_det_pixel_mm(in), s0 = pmm > 0 ? scale_mm[0] / pmm : 1.0;
    while (s0 / (double)(1 << (m->level + 1)) >= 1.0 && (W >> (m->level + 1)) >= 32 &&
           (H >> (m->level + 1)) >= 32)
        m->level++;
    int f = 1 << m->level;
    m->px_mm = (pmm > 0 ? pmm : 1.0) * f;
    m->photo = 1;
    m->lux = lux;
    m->luy = luy;
    float *copy = NULL, *lv = NULL;
    const float *base = st_det_surface(in, &copy);
    if (!base)
        return ST_ENOMEM;
    int w = W, h = H;
    if (m->level) {
        lv = st_det_pyr_down(base, W, H, m->level, &w, &h, threads);
        st_det_put(in, copy);
        copy = NULL;
        if (!lv)
            return ST_ENOMEM;
        base = lv;
    }
    int got = st_det_wrinkle_maps_get(in, m, w, h);
    m->surf = st_det_get(in, w, h);
    float *b = st_det_get(in, w, h), *gx = st_det_get(in, w, h), *gy = st_det_get(in, w, h);
    float *r = st_det_get(in, w, h), *smp = malloc((NOISE_SAMPLES + 1) * sizeof *smp);
    int rc = (!got && m->surf && b && gx && gy && r && smp)
                 ? ST_OK
                 : ST_ENOMEM;
    if (!rc) {
        size_t n = (size_t)w * h;
        memset(m->snr, 0, n * sizeof *m->snr);
        memset(m->best, 0, n * sizeof *m->best);
        memset(m->h2b, 0, n * sizeof *m->h2b);
        memset(m->hamc, 0, n * sizeof *m->hamc);
        memset(m->sigma, 0, n * sizeof *m->sigma);
    }
    double cmin = cos(WR_PHOTO_VIS_DEG * M_PI / 180.0);
    for (int s = 0; s < N_SCALES && !rc; s++) {
        double sg = pmm > 0 ? scale_mm[s] / m->px_mm : (double)(1 << s);
        if (sg < 1.0)
            sg = 1.0;
        rc = st_gaussian_blur(base, (size_t)w, b, (size_t)w, w, h, sg, threads);
        if (rc)
            break;
        gradient(b, w, h, gx, gy);
        int pad = (int)ceil(ALONG_TAPS * sg) + 2;
        size_t pn = ((size_t)w + 2 * (size_t)pad) * ((size_t)h + 2 * (size_t)pad);
        float *dp = calloc(pn, sizeof *dp);
        if (!dp) {
            rc = ST_ENOMEM;
            break;
        }
        for (int k = 0; k < N_ORIENT; k++) {
            double th = M_PI * k / N_ORIENT, nx = cos(th), ny = sin(th);
            double c = nx * lux + ny * luy;
            if (fabs(c) < cmin)
                continue; /* a groove along the lamp's azimuth: not visible */
            orient_ctx oc = {dp, r, w, h, pad, {0}, {0}, {{0}}};
            orient_taps(&oc, nx, ny, c > 0 ? 1.0 : -1.0, sg);
            across(gx, gy, w, h, pad, nx, ny, dp);
            st_parallel_for(threads, h, 32, orient_rows, &oc);
            double noise = resp_noise(in, r, w, h, f, smp);
            if (noise > 0)
                keep_best(m, r, 1.0 / noise, th, sg);
        }
        free(dp);
    }
    /* the measuring surface: a little smoothing against pixel noise */
    if (!rc)
        rc = st_gaussian_blur(base, (size_t)w, m->surf, (size_t)w, w, h, 0.7, threads);
    free(smp);
    st_det_put(in, b);
    st_det_put(in, gx);
    st_det_put(in, gy);
    st_det_put(in, r);
    st_det_put(in, copy);
    st_aligned_free(lv);
    return rc;
}
