/* Per-photo quality control.
 * - Sharpness: variance of the Laplacian (Pech-Pacheco et al. 2000, "Diatom
 *   autofocusing in brightfield microscopy: a comparative study", ICPR):
 *   defocus removes the high frequencies the Laplacian responds to.
 *   Thresholds were set on generated skin at 0.05 mm/px with camera noise
 *   (samples/generator): in focus about 3e-3, an optical blur of sigma
 *   1.2 px about 6e-4, sigma 3 px about 1.5e-4 (the noise floor).
 * - Clipping: highlights (any channel >= 0.99) and shadows (luminance <=
 *   0.01) carry no texture; above a few percent the texture metrics are
 *   biased.
 * - Exposure: mean luminance; far from mid-grey the noise or the clipping
 *   dominates. */
#include "metrics/quality.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "simd/kernels.h"

static void add_msg(st_quality *q, int status, const char *fmt, double v)
{
    if (status > q->status)
        q->status = status;
    if (q->n_messages < ST_QC_MAX_MESSAGES)
        snprintf(q->messages[q->n_messages++], sizeof q->messages[0], fmt, v);
}

static void judge(st_quality *q)
{
    if (q->sharpness < ST_QC_SHARP_FAIL)
        add_msg(q, 2, "out of focus (sharpness %.2g)", q->sharpness);
    else if (q->sharpness < ST_QC_SHARP_WARN)
        add_msg(q, 1, "soft focus (sharpness %.2g)", q->sharpness);
    if (q->clipped_pct > ST_QC_CLIP_FAIL)
        add_msg(q, 2, "%.1f %% of the pixels clipped", q->clipped_pct);
    else if (q->clipped_pct > ST_QC_CLIP_WARN)
        add_msg(q, 1, "%.1f %% of the pixels clipped", q->clipped_pct);
    if (q->exposure < ST_QC_EXPO_FAIL_LO || q->exposure > ST_QC_EXPO_FAIL_HI)
        add_msg(q, 2, "exposure unusable (mean luminance %.2f)", q->exposure);
    else if (q->exposure < ST_QC_EXPO_WARN_LO || q->exposure > ST_QC_EXPO_WARN_HI)
        add_msg(q, 1, "exposure off (mean luminance %.2f)", q->exposure);
}

int st_quality_measure(const st_image *img, st_quality *q, st_metric_set *set, st_err *err)
{
    if (!img || !q)
        return st_err_set(err, ST_EINVAL, "quality: bad arguments");
    if (img->width < 3 || img->height < 3) /* the 3x3 Laplacian of the focus measure */
        return st_err_set(err, ST_EINVAL, "quality: image too small (%dx%d)", img->width, img->height);
    memset(q, 0, sizeof *q);
    int w = img->width, h = img->height;
    size_t n = (size_t)w * h;
    float *y = st_alloc_floats(n), *lap = st_alloc_floats(n);
    if (!y || !lap) {
        st_aligned_free(y);
        st_aligned_free(lap);
        return st_err_set(err, ST_ENOMEM, "quality: out of memory (%dx%d)", w, h);
    }
    double sum = 0.0;
    size_t clipped = 0;
    for (int r = 0; r < h; r++) {
        float *yr = y + (size_t)r * w;
        if (img->channels == 3)
            st_luminance(st_image_row(img, 0, r), st_image_row(img, 1, r), st_image_row(img, 2, r),
                         yr, (size_t)w);
        else
            memcpy(yr, st_image_row(img, 0, r), (size_t)w * sizeof *yr);
        for (int x = 0; x < w; x++) {
            int hi = 0;
            for (int c = 0; c < img->channels; c++)
                hi |= st_image_row(img, c, r)[x] >= 0.99f;
            clipped += (size_t)(hi || yr[x] <= 0.01f);
            sum += yr[x];
        }
    }
    /* On the 2x2 block means: sensor noise (white, so 20 sigma^2 of
     * Laplacian variance per pixel) is cut four-fold while focus-relevant
     * texture of 4 px and more is kept. */
    int lw = w, lh = h;
    if (w >= 16 && h >= 16) {
        st_downsample2x(y, (size_t)w, w, h, lap, (size_t)w);
        lw = (w + 1) / 2;
        lh = (h + 1) / 2;
        for (int r = 0; r < lh; r++)
            memcpy(y + (size_t)r * lw, lap + (size_t)r * w, (size_t)lw * sizeof *y);
    }
    st_laplacian(y, (size_t)lw, lap, (size_t)lw, lw, lh);
    /* Interior only: the mirrored border adds a seam of its own. */
    double s = 0.0, s2 = 0.0;
    size_t cnt = 0;
    for (int r = 1; r < lh - 1; r++)
        for (int x = 1; x < lw - 1; x++) {
            double v = lap[(size_t)r * lw + x];
            s += v;
            s2 += v * v;
            cnt++;
        }
    double mean = s / (double)cnt;
    q->sharpness = s2 / (double)cnt - mean * mean;
    q->clipped_pct = 100.0 * (double)clipped / (double)n;
    q->exposure = sum / (double)n;
    st_aligned_free(y);
    st_aligned_free(lap);
    judge(q);
    if (set) {
        int rc;
        if ((rc = st_metric_set_put(set, "quality.sharpness", q->sharpness, "", err)) ||
            (rc = st_metric_set_put(set, "quality.clipped_pct", q->clipped_pct, "%", err)) ||
            (rc = st_metric_set_put(set, "quality.exposure", q->exposure, "", err)))
            return rc;
    }
    return ST_OK;
}
