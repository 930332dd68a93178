#include "series/photo_quality.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define CLIP_HI (254.5f / 255.0f)
#define CLIP_LO (0.5f / 255.0f)

/* Row y of the luminance (Rec. 709 weights on the encoded values), with
 * clipped-pixel counting; mirrored rows outside the image. */
static void luma_row(const st_image *img, int y, float *out, size_t *clipped, int count)
{
    if (y < 0)
        y = -y;
    if (y >= img->height)
        y = 2 * img->height - 2 - y;
    const float *r = st_image_row(img, 0, y);
    const float *g = img->channels == 3 ? st_image_row(img, 1, y) : r;
    const float *b = img->channels == 3 ? st_image_row(img, 2, y) : r;
    for (int x = 0; x < img->width; x++) {
        out[x] = 0.2126f * r[x] + 0.7152f * g[x] + 0.0722f * b[x];
        if (count && (r[x] >= CLIP_HI || g[x] >= CLIP_HI || b[x] >= CLIP_HI || out[x] <= CLIP_LO))
            (*clipped)++;
    }
}

int st_photo_quality_measure(const st_image *img, st_photo_quality *q, st_err *err)
{
    memset(q, 0, sizeof *q);
    int w = img->width, h = img->height;
    if (w < 3 || h < 3)
        return st_err_set(err, ST_EINVAL, "quality: image too small (%dx%d)", w, h);
    float *ring = malloc(3 * (size_t)w * sizeof *ring);
    if (!ring)
        return st_err_set(err, ST_ENOMEM, "quality: out of memory");
    float *rows[3] = {ring, ring + w, ring + 2 * (size_t)w};
    size_t clipped = 0;
    double sum_y = 0, sum_l = 0, sum_l2 = 0;
    luma_row(img, -1, rows[0], &clipped, 0);
    luma_row(img, 0, rows[1], &clipped, 1);
    for (int y = 0; y < h; y++) {
        luma_row(img, y + 1, rows[2], &clipped, y + 1 < h);
        const float *up = rows[0], *mid = rows[1], *dn = rows[2];
        for (int x = 0; x < w; x++) {
            float l = mid[x > 0 ? x - 1 : 1] + mid[x < w - 1 ? x + 1 : w - 2] + up[x] + dn[x] - 4 * mid[x];
            sum_l += l;
            sum_l2 += (double)l * l;
            sum_y += mid[x];
        }
        float *t = rows[0];
        rows[0] = rows[1];
        rows[1] = rows[2];
        rows[2] = t;
    }
    free(ring);
    double n = (double)w * h, ml = sum_l / n;
    q->sharpness = sqrt(fmax(sum_l2 / n - ml * ml, 0));
    q->clipped_pct = 100.0 * (double)clipped / n;
    q->exposure = sum_y / n;
    return ST_OK;
}
