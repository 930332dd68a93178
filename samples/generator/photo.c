/* Photo formation: linear albedo × Lambertian shading of the height field ×
 * light field (vignetting, gradient) × exposure × white balance, optical
 * blur, then sensor noise (read + shot, counter-based so thread-independent)
 * and sRGB encoding. */
#include "skingen_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"

typedef struct shade_ctx {
    const skingen_camera *c;
    const st_image *height;  /* µm on the session grid */
    st_image *rgb;           /* linear albedo in, linear radiance out */
    double px_mm;            /* session pixel size */
} shade_ctx;

static double light_field(const skingen_camera *c, int x, int y)
{
    if (c->lambert_exact)
        return 1.0;
    double cx = 0.5 * (c->width - 1), cy = 0.5 * (c->height - 1);
    double dx = (x - cx) / (cx + 0.5), dy = (y - cy) / (cy + 0.5);
    double r2 = 0.5 * (dx * dx + dy * dy); /* 1 at the corners */
    double g = 1.0 + 0.5 * (c->gradient[0] * dx + c->gradient[1] * dy);
    return (1.0 - c->vignetting * r2) * g;
}

static void shade_rows(void *vctx, int y0, int y1)
{
    const shade_ctx *s = vctx;
    const skingen_camera *c = s->c;
    const st_image *h = s->height;
    double ln = sqrt(c->light[0] * c->light[0] + c->light[1] * c->light[1] + c->light[2] * c->light[2]);
    double l[3] = {c->light[0] / ln, c->light[1] / ln, c->light[2] / ln};
    double k = 1e-3 / s->px_mm; /* µm per px -> mm per mm */
    for (int y = y0; y < y1; y++) {
        const float *up = st_image_row(h, 0, y > 0 ? y - 1 : y);
        const float *dn = st_image_row(h, 0, y < h->height - 1 ? y + 1 : y);
        const float *row = st_image_row(h, 0, y);
        double ky = k / ((y > 0 && y < h->height - 1) ? 2.0 : 1.0);
        for (int x = 0; x < c->width; x++) {
            int xl = x > 0 ? x - 1 : x, xr = x < c->width - 1 ? x + 1 : x;
            double sx = (row[xr] - row[xl]) * k / (double)(xr - xl > 0 ? xr - xl : 1);
            double sy = (dn[x] - up[x]) * ky;
            double ndl = (-sx * l[0] - sy * l[1] + l[2]) / sqrt(1.0 + sx * sx + sy * sy);
            if (ndl < 0)
                ndl = 0;
            double shade = c->lambert_exact ? ndl
                                            : c->ambient + (1.0 - c->ambient) * ndl / l[2];
            double g = shade * light_field(c, x, y) * c->exposure;
            for (int ch = 0; ch < 3; ch++)
                st_image_row(s->rgb, ch, y)[x] *= (float)(g * c->wb[ch]);
        }
    }
}

static void noise_rows(void *vctx, int y0, int y1)
{
    const shade_ctx *s = vctx;
    const skingen_camera *c = s->c;
    for (int ch = 0; ch < 3; ch++)
        for (int y = y0; y < y1; y++) {
            float *row = st_image_row(s->rgb, ch, y);
            for (int x = 0; x < c->width; x++) {
                double v = row[x] > 0 ? row[x] : 0.0;
                double sd = sqrt(c->noise * c->noise + c->shot_noise * c->shot_noise * v);
                if (sd > 0)
                    v += sd * sg_hash_gauss(c->noise_seed, (uint64_t)ch, (uint64_t)x, (uint64_t)y);
                v = sg_srgb_encode(v);
                row[x] = (float)(v < 0 ? 0 : (v > 1 ? 1 : v));
            }
        }
}

int skingen_render_photo(const skingen_skin *skin, const skingen_state *s,
                         const skingen_camera *c, st_image **out, st_err *err)
{
    *out = NULL;
    st_image *h = NULL, *rgb = NULL;
    int rc = skingen_render_height(skin, s, c, &h, err);
    if (rc)
        return rc;
    if ((rc = sg_render_linear_albedo(skin, s, c, &rgb, err)))
        goto done;
    shade_ctx sc = {c, h, rgb, h->pixel_mm};
    st_parallel_for(c->threads, c->height, 16, shade_rows, &sc);
    if (c->blur_px > 0 && (rc = skingen_blur(rgb, c->blur_px, err)))
        goto done;
    st_parallel_for(c->threads, c->height, 16, noise_rows, &sc);
    rgb->unit = ST_UNIT_REL;
    *out = rgb;
    rgb = NULL;
done:
    st_image_free(h);
    st_image_free(rgb);
    return rc;
}

/* Separable Gaussian, radius ceil(3 sigma), edge samples repeated. */
static void blur_line(const float *in, float *out, int n, size_t step, const double *k, int r,
                      float *tmp)
{
    for (int i = 0; i < n; i++)
        tmp[i] = in[(size_t)i * step];
    for (int i = 0; i < n; i++) {
        double acc = 0;
        for (int j = -r; j <= r; j++) {
            int t = i + j;
            t = t < 0 ? 0 : (t >= n ? n - 1 : t);
            acc += k[j + r] * tmp[t];
        }
        out[(size_t)i * step] = (float)acc;
    }
}

int skingen_blur(st_image *img, double sigma, st_err *err)
{
    if (!(sigma > 0))
        return ST_OK;
    int r = (int)ceil(3.0 * sigma);
    size_t n = (size_t)(img->width > img->height ? img->width : img->height);
    double *k = malloc(sizeof(double) * (size_t)(2 * r + 1));
    float *tmp = malloc(sizeof(float) * n);
    if (!k || !tmp) {
        free(k);
        free(tmp);
        return st_err_set(err, ST_ENOMEM, "skingen: blur: out of memory");
    }
    double sum = 0;
    for (int j = -r; j <= r; j++)
        sum += k[j + r] = exp(-0.5 * j * j / (sigma * sigma));
    for (int j = 0; j <= 2 * r; j++)
        k[j] /= sum;
    for (int ch = 0; ch < img->channels; ch++) {
        for (int y = 0; y < img->height; y++) {
            float *row = st_image_row(img, ch, y);
            blur_line(row, row, img->width, 1, k, r, tmp);
        }
        float *plane = st_image_row(img, ch, 0);
        for (int x = 0; x < img->width; x++)
            blur_line(plane + x, plane + x, img->height, img->stride, k, r, tmp);
    }
    free(k);
    free(tmp);
    return ST_OK;
}

/* Something that is not skin: a wooden desk below a pale wall, a blue mug. */
int skingen_render_other(uint64_t seed, const skingen_camera *c, st_image **out, st_err *err)
{
    int rc = st_image_new(c->width, c->height, 3, out, err);
    if (rc)
        return rc;
    st_image *img = *out;
    sg_rng r;
    sg_rng_init(&r, seed, 99);
    double horizon = sg_range(&r, 0.45, 0.6) * c->height;
    double mx = sg_range(&r, 0.2, 0.7) * c->width, mw = 0.18 * c->width;
    for (int y = 0; y < c->height; y++)
        for (int x = 0; x < c->width; x++) {
            double rgb[3];
            if (y < horizon) { /* wall, lit from the left */
                double g = 0.75 - 0.25 * x / c->width;
                rgb[0] = 0.80 * g, rgb[1] = 0.82 * g, rgb[2] = 0.78 * g;
            } else { /* wood grain */
                double grain = 0.5 + 0.5 * sin(0.09 * x + 6.0 * sin(0.011 * y + 0.004 * x));
                rgb[0] = 0.35 + 0.12 * grain, rgb[1] = 0.20 + 0.07 * grain, rgb[2] = 0.10 + 0.03 * grain;
            }
            if (fabs(x - mx) < 0.5 * mw && y > horizon - 0.25 * c->height && y < horizon + 0.1 * c->height) {
                double s = 1.0 - 0.6 * fabs(x - mx) / mw;
                rgb[0] = 0.10 * s, rgb[1] = 0.25 * s, rgb[2] = 0.60 * s;
            }
            for (int k = 0; k < 3; k++) {
                double v = sg_srgb_decode(rgb[k]) * c->exposure * c->wb[k];
                v += c->noise * sg_hash_gauss(c->noise_seed, (uint64_t)k, (uint64_t)x, (uint64_t)y);
                v = sg_srgb_encode(v);
                st_image_row(img, k, y)[x] = (float)(v > 1 ? 1 : v);
            }
        }
    return ST_OK;
}
