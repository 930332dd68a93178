#include "series/tiles.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

int st_tile_px(double pixel_mm)
{
    if (pixel_mm <= 0)
        return ST_TILE_PX_UNCAL;
    int px = (int)lround(ST_TILE_MM / pixel_mm);
    return px < 16 ? 16 : px;
}

void st_tiles_free(st_tile_sums *t)
{
    free(t->valid);
    for (int f = 0; f < ST_FAM_COUNT; f++) {
        free(t->fam_num[f]);
        free(t->fam_den[f]);
    }
    memset(t, 0, sizeof *t);
}

/* Least-squares plane a + b·x + c·y over the mask (normal equations in
 * centred coordinates, ISO 25178-2 §3.1.8's F-operation for a plane). */
static void fit_plane(const float *z, size_t stride, const unsigned char *mask, int w, int h,
                      double p[3])
{
    double n = 0, sx = 0, sy = 0, sz = 0, sxx = 0, syy = 0, sxy = 0, sxz = 0, syz = 0;
    double cx = 0.5 * (w - 1), cy = 0.5 * (h - 1);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            if (!mask[(size_t)y * w + x])
                continue;
            double X = x - cx, Y = y - cy, Z = z[(size_t)y * stride + x];
            n++;
            sx += X, sy += Y, sz += Z;
            sxx += X * X, syy += Y * Y, sxy += X * Y, sxz += X * Z, syz += Y * Z;
        }
    p[0] = n ? sz / n : 0;
    p[1] = p[2] = 0;
    if (n < 3)
        return;
    /* Solve the 3x3 system by Cramer's rule on centred moments. */
    double mx = sx / n, my = sy / n, mz = sz / n;
    double a11 = sxx - n * mx * mx, a12 = sxy - n * mx * my, a22 = syy - n * my * my;
    double b1 = sxz - n * mx * mz, b2 = syz - n * my * mz;
    double det = a11 * a22 - a12 * a12;
    if (fabs(det) > 1e-12 * (a11 * a22 + 1e-300)) {
        p[1] = (b1 * a22 - b2 * a12) / det;
        p[2] = (a11 * b2 - a12 * b1) / det;
    }
    p[0] = mz - p[1] * mx - p[2] * my; /* in coordinates relative to (cx, cy) */
}

static int alloc_sums(st_tile_sums *t)
{
    t->valid = calloc(t->n, 1);
    int bad = !t->valid;
    for (int f = 0; f < ST_FAM_COUNT; f++) {
        t->fam_num[f] = calloc(t->n, sizeof(double));
        t->fam_den[f] = calloc(t->n, sizeof(double));
        bad |= !t->fam_num[f] || !t->fam_den[f];
    }
    return bad ? -1 : 0;
}

/* Tile index of a baseline point, or -1 outside the grid / invalid tile. */
static long tile_of(const st_tile_sums *t, double xb, double yb)
{
    long c = (long)floor((xb - t->x0) / t->tile_px), r = (long)floor((yb - t->y0) / t->tile_px);
    if (c < 0 || r < 0 || c >= t->cols || r >= t->rows)
        return -1;
    long i = r * t->cols + c;
    return t->valid[i] ? i : -1;
}

static void surface_sums(st_tile_sums *t, const float *z, size_t stride, const unsigned char *mask,
                         int w, int h, double tile_area_mm2)
{
    double p[3];
    fit_plane(z, stride, mask, w, h, p);
    double cx = 0.5 * (w - 1), cy = 0.5 * (h - 1);
    size_t *count = calloc(t->n, sizeof *count);
    if (!count)
        return;
    for (int y = 0; y < h; y++) {
        size_t r = (size_t)(y / t->tile_px) * t->cols;
        for (int x = 0; x < w; x++) {
            if (!mask[(size_t)y * w + x])
                continue;
            size_t i = r + (size_t)(x / t->tile_px);
            double d = z[(size_t)y * stride + x] - (p[0] + p[1] * (x - cx) + p[2] * (y - cy));
            t->fam_num[ST_FAM_ROUGHNESS][i] += d * d;
            t->fam_den[ST_FAM_ROUGHNESS][i] += 1;
            count[i]++;
        }
    }
    for (size_t i = 0; i < t->n; i++) {
        int tw = t->tile_px, th = t->tile_px;
        t->valid[i] = 2 * count[i] >= (size_t)tw * (size_t)th;
        if (!t->valid[i])
            t->fam_num[ST_FAM_ROUGHNESS][i] = t->fam_den[ST_FAM_ROUGHNESS][i] = 0;
        t->fam_den[ST_FAM_SCARS][i] = t->valid[i];
        t->fam_den[ST_FAM_WRINKLES][i] = t->valid[i] ? tile_area_mm2 : 0;
    }
    free(count);
}

static void detection_sums(st_tile_sums *t, const st_detections *d, int volume_from_area)
{
    const st_pore *pores = d->n_tracked ? d->tracked : d->pores;
    size_t n_pores = d->n_tracked ? d->n_tracked : d->n_pores;
    for (size_t k = 0; k < n_pores; k++) {
        long i = tile_of(t, pores[k].x, pores[k].y);
        if (i >= 0) {
            t->fam_num[ST_FAM_PORES][i] += pores[k].d_mm;
            t->fam_den[ST_FAM_PORES][i] += 1;
        }
    }
    for (size_t k = 0; k < d->n_scars; k++) {
        const st_scar *s = &d->scars[k];
        long i = tile_of(t, s->x, s->y);
        if (i >= 0)
            t->fam_num[ST_FAM_SCARS][i] += volume_from_area ? s->area_mm2 * s->mean_depth : s->volume_mm3;
    }
    for (size_t k = 0; k < d->n_wrinkles; k++) {
        const st_wrinkle *wr = &d->wrinkles[k];
        long i = tile_of(t, 0.5 * (wr->x0 + wr->x1), 0.5 * (wr->y0 + wr->y1));
        if (i >= 0)
            t->fam_num[ST_FAM_WRINKLES][i] += wr->length_mm * wr->depth;
    }
}

int st_tiles_compute(const float *z, size_t stride, const unsigned char *mask, int w, int h, int x0,
                     int y0, double pixel_mm, const st_detections *det, int volume_from_area,
                     st_tile_sums *out, st_err *err)
{
    memset(out, 0, sizeof *out);
    out->tile_px = st_tile_px(pixel_mm);
    out->x0 = x0;
    out->y0 = y0;
    out->cols = (w + out->tile_px - 1) / out->tile_px;
    out->rows = (h + out->tile_px - 1) / out->tile_px;
    out->n = (size_t)out->cols * out->rows;
    if (alloc_sums(out)) {
        st_tiles_free(out);
        return st_err_set(err, ST_ENOMEM, "tiles: out of memory");
    }
    double px_mm = pixel_mm > 0 ? pixel_mm : 1.0;
    surface_sums(out, z, stride, mask, w, h, pow(out->tile_px * px_mm, 2));
    detection_sums(out, det, volume_from_area);
    return ST_OK;
}

int st_tiles_to_grid(const st_tile_sums *t, const char *surface_unit, const char *scar_unit,
                     st_tile_maps *g, st_err *err)
{
    static const char *names[3] = {"roughness.sq", "pores.count", "scars.volume"};
    const char *units[3] = {surface_unit, "", scar_unit};
    memset(g, 0, sizeof *g);
    g->x0 = t->x0;
    g->y0 = t->y0;
    g->tile_px = t->tile_px;
    g->cols = t->cols;
    g->rows = t->rows;
    g->maps = calloc(3, sizeof *g->maps);
    if (!g->maps)
        return st_err_set(err, ST_ENOMEM, "tiles: out of memory");
    g->n_maps = 3;
    for (int k = 0; k < 3; k++) {
        strcpy(g->maps[k].name, names[k]);
        snprintf(g->maps[k].unit, sizeof g->maps[k].unit, "%s", units[k]);
        g->maps[k].values = malloc(t->n * sizeof(double));
        if (!g->maps[k].values)
            return st_err_set(err, ST_ENOMEM, "tiles: out of memory");
        for (size_t i = 0; i < t->n; i++) {
            double v = NAN;
            if (t->valid[i] && k == 0 && t->fam_den[ST_FAM_ROUGHNESS][i] > 0)
                v = sqrt(t->fam_num[ST_FAM_ROUGHNESS][i] / t->fam_den[ST_FAM_ROUGHNESS][i]);
            else if (t->valid[i] && k == 1)
                v = t->fam_den[ST_FAM_PORES][i];
            else if (t->valid[i] && k == 2)
                v = t->fam_num[ST_FAM_SCARS][i];
            g->maps[k].values[i] = v;
        }
    }
    return ST_OK;
}
