/* images/: per session the aligned patch (what was measured, after light and
 * colour normalisation) and the same with its detections drawn, both in the
 * patch's frame at most IMG_MAX_SIDE pixels a side. Written without EXIF
 * through the io stage (temporary name + rename). */
#define _DEFAULT_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/image_reduce.h"
#include "report/chromo_map.h"
#include "pipeline/analyze_int.h"
#include "simd/kernels.h"

#define IMG_MAX_SIDE 1600
#define IMG_QUALITY 90

/* A height map shown over its range (min to max of the reduced patch). */
static void stretch(st_image *img)
{
    float lo = INFINITY, hi = -INFINITY;
    for (int y = 0; y < img->height; y++) {
        const float *row = st_image_row(img, 0, y);
        for (int x = 0; x < img->width; x++) {
            lo = fminf(lo, row[x]);
            hi = fmaxf(hi, row[x]);
        }
    }
    float span = hi > lo ? hi - lo : 1;
    for (int c = 0; c < 3; c++)
        for (int y = 0; y < img->height; y++) {
            float *row = st_image_row(img, c, y);
            for (int x = 0; x < img->width; x++)
                row[x] = (row[x] - lo) / span;
        }
}

static void dot(st_image *img, int x, int y, const float rgb[3])
{
    if (x < 0 || y < 0 || x >= img->width || y >= img->height)
        return;
    for (int c = 0; c < 3; c++)
        st_image_row(img, c, y)[x] = rgb[c];
}

static void circle(st_image *img, double cx, double cy, double r, const float rgb[3])
{
    if (r < 1.5)
        r = 1.5;
    int steps = (int)(2 * M_PI * r) + 8;
    for (int k = 0; k < steps; k++) {
        double a = 2 * M_PI * k / steps;
        dot(img, (int)lround(cx + r * cos(a)), (int)lround(cy + r * sin(a)), rgb);
    }
}

static void line(st_image *img, double x0, double y0, double x1, double y1, const float rgb[3])
{
    int steps = (int)fmax(fabs(x1 - x0), fabs(y1 - y0)) + 1;
    for (int k = 0; k <= steps; k++) {
        double t = (double)k / steps;
        dot(img, (int)lround(x0 + t * (x1 - x0)), (int)lround(y0 + t * (y1 - y0)), rgb);
    }
}

static void draw(st_image *img, const st_detections *d, double ox, double oy, double f, double px_mm)
{
    static const float green[3] = {0.1f, 0.9f, 0.2f}, red[3] = {1.0f, 0.15f, 0.1f}, blue[3] = {0.2f, 0.5f, 1.0f};
    double mm = px_mm > 0 ? px_mm : 1.0;
    /* Detection coordinates are baseline pixels; the image is the patch
     * reduced by f: pixel centre x maps to (x - ox + 0.5) / f - 0.5. */
#define MAPX(x) (((x) - ox + 0.5) / f - 0.5)
#define MAPY(y) (((y) - oy + 0.5) / f - 0.5)
    for (size_t k = 0; k < d->n_pores; k++)
        circle(img, MAPX(d->pores[k].x), MAPY(d->pores[k].y), 0.5 * d->pores[k].d_mm / mm / f, green);
    for (size_t k = 0; k < d->n_scars; k++)
        circle(img, MAPX(d->scars[k].x), MAPY(d->scars[k].y), sqrt(d->scars[k].area_mm2 / M_PI) / mm / f, red);
    for (size_t k = 0; k < d->n_wrinkles; k++)
        line(img, MAPX(d->wrinkles[k].x0), MAPY(d->wrinkles[k].y0), MAPX(d->wrinkles[k].x1),
             MAPY(d->wrinkles[k].y1), blue);
#undef MAPX
#undef MAPY
}

/* Luminance (or the height) of the shown image, one channel. */
static int plane_of(const st_image *small, int from_rgb, st_image **out, st_err *err)
{
    return from_rgb ? st_luminance_image(small, out, err) : st_image_clone(small, out, err);
}

/* Difference to the baseline on a diverging scale: white = unchanged, red =
 * brighter (higher), blue = darker (lower); full colour at 3 SD of the
 * baseline's values, so the scale follows the skin's own contrast. The mean
 * difference is taken out first: an overall shift (a height map's arbitrary
 * zero, exposure left after matching) is not a change of the skin, and would
 * tint the whole map. */
static int diff_image(const st_image *base, const st_image *cur, st_image **out, st_err *err)
{
    double s = 0, s2 = 0, dsum = 0, n = (double)base->width * base->height;
    for (int y = 0; y < base->height; y++) {
        const float *b = st_image_row(base, 0, y), *c = st_image_row(cur, 0, y);
        for (int x = 0; x < base->width; x++) {
            double v = b[x];
            s += v;
            s2 += v * v;
            dsum += (double)c[x] - v;
        }
    }
    double sd = sqrt(fmax(s2 / n - (s / n) * (s / n), 1e-12)), scale = 3 * sd;
    double shift = dsum / n;
    int rc = st_image_new(base->width, base->height, 3, out, err);
    for (int y = 0; !rc && y < base->height; y++)
        for (int x = 0; x < base->width; x++) {
            double t = (st_image_row(cur, 0, y)[x] - st_image_row(base, 0, y)[x] - shift) / scale;
            t = t < -1 ? -1 : t > 1 ? 1 : t;
            float rgb[3] = {(float)(t < 0 ? 1 + t : 1), (float)(1 - fabs(t)), (float)(t > 0 ? 1 - t : 1)};
            for (int c = 0; c < 3; c++)
                st_image_row(*out, c, y)[x] = rgb[c];
        }
    return rc;
}

static int save(analyze_ctx *c, const st_image *img, char *rel, size_t cap, size_t i, const char *what,
                st_err *err)
{
    char path[4400];
    snprintf(rel, cap, "images/session_%02zu_%s.jpg", i, what);
    snprintf(path, sizeof path, "%s/%s", c->out, rel);
    return st_image_save_jpeg(img, path, IMG_QUALITY, err);
}

int image_factor(const st_image *src)
{
    int side = src->width > src->height ? src->width : src->height;
    return (side + IMG_MAX_SIDE - 1) / IMG_MAX_SIDE;
}

/* A chromophore density map on its fixed colour ramp (report/chromo_map.h),
 * reduced by f: rendered f rows at a time, each band reduced at once. The
 * reduction of a band of f rows is that row of the whole map's reduction
 * (same sums in the same order), so the bytes are those of rendering the
 * whole map first, without its 3 floats a pixel (144 MB at 12 MP). */
static int reduced_map(const st_image *density, int which, const unsigned char *mask, int f, st_image **out,
                       st_err *err)
{
    int w = (density->width + f - 1) / f, h = (density->height + f - 1) / f;
    int rc = st_image_new(w, h, 3, out, err);
    for (int y = 0; !rc && y < h; y++) {
        int y0 = y * f;
        st_image band = *density;
        band.height = y0 + f <= density->height ? f : density->height - y0;
        band.data = density->data + (size_t)y0 * density->stride;
        st_image *full = NULL, *row = NULL;
        rc = st_chromo_map(&band, which, mask ? mask + (size_t)y0 * density->width : NULL, (size_t)density->width,
                           &full, err);
        if (!rc)
            rc = st_image_reduce_rgb(full, f, &row, err);
        for (int c = 0; !rc && c < 3; c++)
            memcpy(st_image_row(*out, c, y), st_image_row(row, c, 0), (size_t)w * sizeof(float));
        st_image_free(full);
        st_image_free(row);
    }
    if (rc) {
        st_image_free(*out);
        *out = NULL;
    }
    return rc;
}

int images_reduce_chromo(const st_image *rgb, const st_chromo *chromo, const unsigned char *mask,
                         st_image *small[2], st_err *err)
{
    small[0] = small[1] = NULL;
    int f = image_factor(rgb), rc = ST_OK;
    if (chromo->melanin)
        rc = reduced_map(chromo->melanin, ST_CHROMO_MELANIN, mask, f, &small[0], err);
    if (!rc && chromo->haemoglobin)
        rc = reduced_map(chromo->haemoglobin, ST_CHROMO_HAEMOGLOBIN, mask, f, &small[1], err);
    if (rc) {
        st_image_free(small[0]);
        small[0] = NULL;
    }
    return rc;
}

int images_write_session(analyze_ctx *c, size_t i, const st_image *rgb, const st_image *surface,
                         st_image *const chromo_small[2], const st_detections *det, st_err *err)
{
    const st_image *src = rgb ? rgb : surface;
    int f = image_factor(src);
    st_image *small = NULL, *plane = NULL, *diff = NULL;
    int rc = st_image_reduce_rgb(src, f, &small, err);
    if (rc)
        return rc;
    if (!rgb)
        stretch(small);
    st_session_result *sr = &c->result.sessions[i];
    rc = save(c, small, sr->image_aligned, sizeof sr->image_aligned, i, "aligned", err);
    if (!rc)
        rc = plane_of(small, rgb != NULL, &plane, err);
    if (!rc && i == 0) {
        st_image_free(c->base_small);
        c->base_small = plane;
        plane = NULL;
    } else if (!rc && c->base_small && c->base_small->width == plane->width &&
               c->base_small->height == plane->height) {
        rc = diff_image(c->base_small, plane, &diff, err);
        if (!rc)
            rc = save(c, diff, sr->image_diff, sizeof sr->image_diff, i, "diff", err);
    }
    if (!rc) {
        draw(small, det, c->box[0], c->box[1], f, c->series.pixel_mm);
        rc = save(c, small, sr->image_overlay, sizeof sr->image_overlay, i, "overlay", err);
    }
    if (!rc && chromo_small && chromo_small[0])
        rc = save(c, chromo_small[0], sr->image_melanin, sizeof sr->image_melanin, i, "melanin", err);
    if (!rc && chromo_small && chromo_small[1])
        rc = save(c, chromo_small[1], sr->image_haemoglobin, sizeof sr->image_haemoglobin, i, "haemoglobin", err);
    st_image_free(small);
    st_image_free(plane);
    st_image_free(diff);
    return rc;
}

int images_write_area(analyze_ctx *c, st_err *err)
{
    const st_image *src = c->base;
    int f = image_factor(src);
    st_image *small = NULL;
    int rc = st_image_reduce_rgb(src, f, &small, err);
    if (rc)
        return rc;
    if (src->channels != 3)
        stretch(small);
    int w = small->width, h = small->height;
    /* the patch at the reduced size: a block is inside when most of it is */
    unsigned char *in = calloc((size_t)w * h, 1);
    if (!in) {
        st_image_free(small);
        return st_err_set(err, ST_ENOMEM, "images: out of memory");
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int n = 0, on = 0;
            for (int yy = y * f; yy < (y + 1) * f && yy < c->mask.h; yy++)
                for (int xx = x * f; xx < (x + 1) * f && xx < c->mask.w; xx++, n++)
                    on += c->mask.px[(size_t)yy * c->mask.w + xx] != 0;
            in[(size_t)y * w + x] = 2 * on > n;
        }
    int automatic = strncmp(c->result.roi_source, "manifest", 8) && strncmp(c->result.roi_source, "option", 6);
    const float yellow[3] = {1.0f, 0.85f, 0.0f}, green[3] = {0.1f, 0.9f, 0.2f};
    const float *col = automatic ? yellow : green;
    int t = w > 800 ? 2 : 1; /* outline half-width */
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            if (!in[(size_t)y * w + x])
                continue;
            int edge = 0;
            for (int dy = -t; dy <= t && !edge; dy++)
                for (int dx = -t; dx <= t && !edge; dx++) {
                    int xx = x + dx, yy = y + dy;
                    edge = xx < 0 || yy < 0 || xx >= w || yy >= h || !in[(size_t)yy * w + xx];
                }
            if (edge)
                dot(small, x, y, col);
        }
    free(in);
    rc = save(c, small, c->result.image_area, sizeof c->result.image_area, 0, "area", err);
    st_image_free(small);
    return rc;
}
