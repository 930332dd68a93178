/* Detection overlays rasterised onto an RGB copy of the image: lines
 * (Bresenham 1965) with a square pen, circles and ellipses as polygons of
 * such lines, and scar outlines traced from the label map. */
#define _DEFAULT_SOURCE /* M_PI */
#include "report/overlay.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

typedef struct canvas {
    st_image *img;
    int pen; /* half-width of the pen, px */
} canvas;

static void plot(const canvas *c, int x, int y, const float rgb[3])
{
    for (int dy = -c->pen; dy <= c->pen; dy++)
        for (int dx = -c->pen; dx <= c->pen; dx++) {
            int px = x + dx, py = y + dy;
            if (px < 0 || py < 0 || px >= c->img->width || py >= c->img->height)
                continue;
            for (int k = 0; k < 3; k++)
                st_image_row(c->img, k, py)[px] = rgb[k];
        }
}

static void line(const canvas *c, double x0d, double y0d, double x1d, double y1d,
                 const float rgb[3])
{
    /* Clamp far-away points so a wild coordinate cannot make a huge loop. */
    double lim = 4.0 * (c->img->width + c->img->height);
    x0d = fmax(-lim, fmin(lim, x0d)), y0d = fmax(-lim, fmin(lim, y0d));
    x1d = fmax(-lim, fmin(lim, x1d)), y1d = fmax(-lim, fmin(lim, y1d));
    int x0 = (int)lround(x0d), y0 = (int)lround(y0d), x1 = (int)lround(x1d), y1 = (int)lround(y1d);
    int dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int e = dx + dy;
    for (;;) {
        plot(c, x0, y0, rgb);
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * e;
        if (e2 >= dy) {
            e += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            e += dx;
            y0 += sy;
        }
    }
}

/* Ellipse with semi-axes a, b, the a axis at t radians (image axes). */
static void ellipse(const canvas *c, double cx, double cy, double a, double b, double t,
                    const float rgb[3])
{
    int n = (int)ceil(2.0 * M_PI * fmax(a, b) / 2.0) + 12;
    double ct = cos(t), st = sin(t), px = cx + a * ct, py = cy + a * st;
    for (int k = 1; k <= n; k++) {
        double u = 2.0 * M_PI * k / n, ex = a * cos(u), ey = b * sin(u);
        double qx = cx + ex * ct - ey * st, qy = cy + ex * st + ey * ct;
        line(c, px, py, qx, qy, rgb);
        px = qx;
        py = qy;
    }
}

/* Blue (shallow) through green to red (deepest). */
static void depth_colour(double t, float rgb[3])
{
    t = t < 0 ? 0 : (t > 1 ? 1 : t);
    rgb[0] = (float)fmin(1.0, 2.0 * t);
    rgb[1] = (float)(t < 0.5 ? 2.0 * t : 2.0 - 2.0 * t);
    rgb[2] = (float)fmax(0.0, 1.0 - 2.0 * t);
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Gray base: 1st..99th percentile (of a sample) stretched to [0, 1]. */
static void gray_base(const st_image *base, st_image *out)
{
    size_t n = (size_t)base->width * base->height, step = n / 65536 + 1, k = 0;
    float *v = malloc((n / step + 1) * sizeof *v);
    double lo = 0.0, hi = 1.0;
    if (v) {
        for (size_t i = 0; i < n; i += step)
            v[k++] = st_image_row(base, 0, (int)(i / base->width))[i % base->width];
        qsort(v, k, sizeof *v, cmp_float);
        lo = v[k / 100];
        hi = v[k - 1 - k / 100];
        free(v);
    }
    double s = hi > lo ? 1.0 / (hi - lo) : 1.0;
    for (int y = 0; y < base->height; y++)
        for (int x = 0; x < base->width; x++) {
            float g = (float)fmin(1.0, fmax(0.0, (st_image_row(base, 0, y)[x] - lo) * s));
            for (int c = 0; c < 3; c++)
                st_image_row(out, c, y)[x] = g;
        }
}

static void scar_outlines(const canvas *c, const st_detections *d, double maxd)
{
    const int32_t *lab = d->scar_labels;
    int w = d->labels_width, h = d->labels_height;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int32_t l = lab[(size_t)y * w + x];
            if (l <= 0 || (size_t)l > d->n_scars)
                continue;
            int edge = x == 0 || y == 0 || x == w - 1 || y == h - 1 ||
                       lab[(size_t)y * w + x - 1] != l || lab[(size_t)y * w + x + 1] != l ||
                       lab[(size_t)(y - 1) * w + x] != l || lab[(size_t)(y + 1) * w + x] != l;
            if (edge) {
                float rgb[3];
                depth_colour(maxd > 0 ? d->scars[l - 1].max_depth / maxd : 1.0, rgb);
                plot(c, x, y, rgb);
            }
        }
}

static void scar_ellipses(const canvas *c, const st_detections *d, double pixel_mm, double maxd)
{
    double unit = pixel_mm > 0 ? pixel_mm : 1.0;
    for (size_t i = 0; i < d->n_scars; i++) {
        const st_scar *s = &d->scars[i];
        float rgb[3];
        depth_colour(maxd > 0 ? s->max_depth / maxd : 1.0, rgb);
        /* angle_deg is counter-clockwise on screen: image y points down. */
        ellipse(c, s->x, s->y, 0.5 * s->length_mm / unit, 0.5 * s->width_mm / unit,
                -s->angle_deg * M_PI / 180.0, rgb);
    }
}

int st_overlay_detections(const st_image *base, const st_detections *dets, double pixel_mm,
                          st_image **out, st_err *err)
{
    *out = NULL;
    if (!base || !dets || (base->channels != 1 && base->channels != 3))
        return st_err_set(err, ST_EINVAL, "overlay: needs a 1- or 3-channel image and detections");
    st_image *img = NULL;
    int rc = st_image_new(base->width, base->height, 3, &img, err);
    if (rc)
        return rc;
    img->pixel_mm = base->pixel_mm;
    if (base->channels == 3)
        memcpy(img->data, base->data, img->stride * (size_t)img->height * 3 * sizeof(float));
    else
        gray_base(base, img);
    int big = base->width > 1600 || base->height > 1600;
    canvas c = {img, big ? 1 : 0};
    double maxd = 0;
    for (size_t i = 0; i < dets->n_scars; i++)
        maxd = fmax(maxd, dets->scars[i].max_depth);
    if (dets->scar_labels && dets->labels_width == base->width && dets->labels_height == base->height)
        scar_outlines(&c, dets, maxd);
    else
        scar_ellipses(&c, dets, pixel_mm, maxd);
    static const float cyan[3] = {0.0f, 0.9f, 1.0f}, yellow[3] = {1.0f, 0.9f, 0.0f};
    for (size_t i = 0; i < dets->n_wrinkles; i++) {
        const st_wrinkle *wr = &dets->wrinkles[i];
        if (wr->path && wr->n_path >= 2)
            for (size_t k = 1; k < wr->n_path; k++)
                line(&c, wr->path[2 * k - 2], wr->path[2 * k - 1], wr->path[2 * k],
                     wr->path[2 * k + 1], cyan);
        else
            line(&c, wr->x0, wr->y0, wr->x1, wr->y1, cyan);
    }
    for (size_t i = 0; i < dets->n_pores; i++) {
        const st_pore *p = &dets->pores[i];
        double r = 0.5 * (pixel_mm > 0 ? p->d_mm / pixel_mm : p->d_mm);
        ellipse(&c, p->x, p->y, fmax(r, 1.5), fmax(r, 1.5), 0.0, yellow);
    }
    *out = img;
    return ST_OK;
}
