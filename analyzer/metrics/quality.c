/* Per-photo quality control.
 * - Sharpness: variance of the Laplacian (Pech-Pacheco et al. 2000, "Diatom
 *   autofocusing in brightfield microscopy: a comparative study", ICPR):
 *   defocus removes the high frequencies the Laplacian responds to. It is
 *   taken relative to the mean luminance, as if the photo were exposed to
 *   mid-grey (x (0.5 / mean)^2): a darker exposure or another white balance
 *   scales the texture's contrast with the mean, and must not read as blur.
 *   Thresholds were set on generated skin at 0.05 mm/px with camera noise
 *   (samples/generator): in focus about 1.5e-3, an optical blur of sigma
 *   1.2 px about 4e-4, sigma 3 px about 1.2e-4 (the noise floor).
 * - Clipping: highlights (any channel >= 0.99) and shadows (luminance <=
 *   0.01) carry no texture; above a few percent the texture metrics are
 *   biased.
 * - Exposure: mean luminance; far from mid-grey the noise or the clipping
 *   dominates. */
#include "metrics/quality.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "simd/kernels.h"

static void add_msg(st_quality *q, int status, const char *fmt, double v)
{
    if (status > q->status)
        q->status = status;
    if (q->n_messages < ST_QC_MAX_MESSAGES)
        snprintf(q->messages[q->n_messages++], sizeof q->messages[0], fmt, v);
}

static void judge(st_quality *q, int w, int h)
{
    if (w < ST_QC_MIN_SIDE || h < ST_QC_MIN_SIDE) {
        q->status = 2;
        snprintf(q->messages[q->n_messages++], sizeof q->messages[0],
                 "too small to measure: %dx%d px, at least %d px a side", w, h, ST_QC_MIN_SIDE);
    }
    /* Exposure first: in a photo too dark or too bright to measure the
     * texture is noise or clipped away, so "out of focus" would blame the
     * lens for what the light did (a black frame is underexposed). */
    int under = q->exposure < ST_QC_EXPO_FAIL_LO, over = q->exposure > ST_QC_EXPO_FAIL_HI;
    int flat = q->luminance_sd < ST_QC_FLAT_SD;
    if (under)
        add_msg(q, 2, "underexposed: too dark to measure (mean luminance %.2f)", q->exposure);
    else if (over)
        add_msg(q, 2, "overexposed: too bright to measure (mean luminance %.2f)", q->exposure);
    else if (flat)
        add_msg(q, 2, "featureless: no texture (luminance spread %.2g)", q->luminance_sd);
    else if (q->sharpness < ST_QC_SHARP_FAIL)
        add_msg(q, 2, "out of focus (sharpness %.2g)", q->sharpness);
    else if (q->sharpness < ST_QC_SHARP_WARN)
        add_msg(q, 1, "soft focus (sharpness %.2g)", q->sharpness);
    if (q->clipped_pct > ST_QC_CLIP_FAIL)
        add_msg(q, 2, "%.1f %% of the pixels clipped", q->clipped_pct);
    else if (q->clipped_pct > ST_QC_CLIP_WARN)
        add_msg(q, 1, "%.1f %% of the pixels clipped", q->clipped_pct);
    if (!under && !over && (q->exposure < ST_QC_EXPO_WARN_LO || q->exposure > ST_QC_EXPO_WARN_HI))
        add_msg(q, 1, "exposure off (mean luminance %.2f)", q->exposure);
}

/* Pass 1, per row of the half-resolution plane: the luminance of its two
 * source rows, their clipped pixels and luminance sum, then their 2x2 block
 * means. Per-row sums are added up afterwards in row order, so the result
 * does not depend on the thread count. */
typedef struct qc_ctx {
    const st_image *img;
    int w, h, lw, lh, half; /* half: 2x2 block means taken */
    float *y, *small;       /* full-resolution luminance, half-resolution plane */
    double *sum, *sum2;     /* per-row luminance sums and sums of squares */
    double *s, *s2;         /* per-row Laplacian sums */
    size_t *clipped;
    int failed;
} qc_ctx;

static void luminance_rows(const qc_ctx *c, int r0, int r1)
{
    const st_image *img = c->img;
    for (int r = r0; r < r1; r++) {
        float *yr = c->y + (size_t)r * c->w;
        if (img->channels == 3)
            st_luminance(st_image_row(img, 0, r), st_image_row(img, 1, r), st_image_row(img, 2, r),
                         yr, (size_t)c->w);
        else
            memcpy(yr, st_image_row(img, 0, r), (size_t)c->w * sizeof *yr);
        /* Branch-free and channel-count-free inner loop (a grey image
         * tests its one plane three times), so the compiler vectorises it. */
        const float *p0 = st_image_row(img, 0, r);
        const float *p1 = st_image_row(img, img->channels == 3 ? 1 : 0, r);
        const float *p2 = st_image_row(img, img->channels == 3 ? 2 : 0, r);
        double sum = 0.0, sum2 = 0.0;
        unsigned clipped = 0;
        for (int x = 0; x < c->w; x++) {
            clipped += (unsigned)((p0[x] >= 0.99f) | (p1[x] >= 0.99f) | (p2[x] >= 0.99f) |
                                  (yr[x] <= 0.01f));
            sum += yr[x];
            sum2 += (double)yr[x] * yr[x];
        }
        c->sum[r] = sum;
        c->sum2[r] = sum2;
        c->clipped[r] = clipped;
    }
}

static void pass_luminance(void *ctx, int begin, int end)
{
    qc_ctx *c = ctx;
    if (!c->half) {
        luminance_rows(c, begin, end);
        return;
    }
    /* Rows [2 begin, 2 end) of the source; the last band may hold one odd
     * row, which st_downsample2x mirrors as it would on the whole image. */
    int r0 = 2 * begin, r1 = 2 * end < c->h ? 2 * end : c->h;
    luminance_rows(c, r0, r1);
    st_downsample2x(c->y + (size_t)r0 * c->w, (size_t)c->w, c->w, r1 - r0,
                    c->small + (size_t)begin * c->lw, (size_t)c->lw);
}

/* Pass 2: the Laplacian's interior rows [begin, end) (its own 2-row margin:
 * the mirrored rows at a band's edge are computed but not counted). */
static void pass_laplacian(void *ctx, int begin, int end)
{
    qc_ctx *c = ctx;
    begin++; /* bands cover [0, lh - 2): the interior rows are [1, lh - 1) */
    end++;
    int lo = begin - 1, hi = end + 1;
    float *lap = st_alloc_floats((size_t)(hi - lo) * c->lw);
    if (!lap) {
        c->failed = 1;
        return;
    }
    st_laplacian(c->small + (size_t)lo * c->lw, (size_t)c->lw, lap, (size_t)c->lw, c->lw, hi - lo);
    for (int r = begin; r < end; r++) {
        const float *row = lap + (size_t)(r - lo) * c->lw;
        double s = 0.0, s2 = 0.0;
        for (int x = 1; x < c->lw - 1; x++) {
            s += row[x];
            s2 += (double)row[x] * row[x];
        }
        c->s[r] = s;
        c->s2[r] = s2;
    }
    st_aligned_free(lap);
}

int st_quality_measure(const st_image *img, st_quality *q, st_metric_set *set, int threads,
                       st_err *err)
{
    if (!img || !q)
        return st_err_set(err, ST_EINVAL, "quality: bad arguments");
    /* The 5-point Laplacian needs a 3x3 neighbourhood. */
    if (img->width < 3 || img->height < 3)
        return st_err_set(err, ST_EINVAL, "quality: too small to measure: %dx%d px, at least %d px a side",
                          img->width, img->height, ST_QC_MIN_SIDE);
    memset(q, 0, sizeof *q);
    qc_ctx c = {.img = img, .w = img->width, .h = img->height};
    /* On the 2x2 block means: sensor noise (white, so 20 sigma^2 of
     * Laplacian variance per pixel) is cut four-fold while focus-relevant
     * texture of 4 px and more is kept. */
    c.half = c.w >= 16 && c.h >= 16;
    c.lw = c.half ? (c.w + 1) / 2 : c.w;
    c.lh = c.half ? (c.h + 1) / 2 : c.h;
    size_t n = (size_t)c.w * c.h;
    c.y = st_alloc_floats(n);
    c.small = c.half ? st_alloc_floats((size_t)c.lw * c.lh) : c.y;
    c.sum = malloc((size_t)c.h * sizeof *c.sum);
    c.sum2 = malloc((size_t)c.h * sizeof *c.sum2);
    c.clipped = malloc((size_t)c.h * sizeof *c.clipped);
    c.s = calloc((size_t)c.lh, sizeof *c.s);
    c.s2 = calloc((size_t)c.lh, sizeof *c.s2);
    int rc = (c.y && c.small && c.sum && c.sum2 && c.clipped && c.s && c.s2) ? ST_OK : ST_ENOMEM;
    if (!rc) {
        st_parallel_for(threads, c.lh, 16, pass_luminance, &c);
        st_parallel_for(threads, c.lh - 2, 16, pass_laplacian, &c);
    }
    double sum = 0.0, sum2 = 0.0, s = 0.0, s2 = 0.0;
    size_t clipped = 0;
    for (int r = 0; !rc && r < c.h; r++) {
        sum += c.sum[r];
        sum2 += c.sum2[r];
        clipped += c.clipped[r];
    }
    for (int r = 1; !rc && r < c.lh - 1; r++) {
        s += c.s[r];
        s2 += c.s2[r];
    }
    if (c.failed)
        rc = ST_ENOMEM;
    if (c.small != c.y)
        st_aligned_free(c.small);
    st_aligned_free(c.y);
    free(c.sum);
    free(c.sum2);
    free(c.clipped);
    free(c.s);
    free(c.s2);
    if (rc)
        return st_err_set(err, rc, "quality: out of memory (%dx%d)", img->width, img->height);
    double cnt = (double)(c.lw - 2) * (c.lh - 2), mean = s / cnt;
    q->clipped_pct = 100.0 * (double)clipped / (double)n;
    q->exposure = sum / (double)n;
    double var = sum2 / (double)n - q->exposure * q->exposure;
    q->luminance_sd = var > 0 ? sqrt(var) : 0.0;
    double to_mid_grey = q->exposure > 0.01 ? 0.5 / q->exposure : 50.0;
    q->sharpness = (s2 / cnt - mean * mean) * to_mid_grey * to_mid_grey;
    judge(q, img->width, img->height);
    if (set) {
        if ((rc = st_metric_set_put(set, "quality.sharpness", q->sharpness, "", err)) ||
            (rc = st_metric_set_put(set, "quality.clipped_pct", q->clipped_pct, "%", err)) ||
            (rc = st_metric_set_put(set, "quality.exposure", q->exposure, "", err)))
            return rc;
    }
    return ST_OK;
}
