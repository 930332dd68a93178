#include "series/roi.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

int st_mask_new(int w, int h, st_mask *m, st_err *err)
{
    size_t n;
    memset(m, 0, sizeof *m);
    if (w <= 0 || h <= 0 || st_mul_size((size_t)w, (size_t)h, &n))
        return st_err_set(err, ST_EINVAL, "roi: bad mask size %dx%d", w, h);
    m->px = calloc(n, 1);
    if (!m->px)
        return st_err_set(err, ST_ENOMEM, "roi: out of memory for a %dx%d mask", w, h);
    m->w = w;
    m->h = h;
    return ST_OK;
}

void st_mask_free(st_mask *m)
{
    free(m->px);
    memset(m, 0, sizeof *m);
}

size_t st_mask_count(const st_mask *m)
{
    size_t n = 0, total = (size_t)m->w * (size_t)m->h;
    for (size_t i = 0; i < total; i++)
        n += m->px[i] != 0;
    return n;
}

int st_mask_bbox(const st_mask *m, int box[4])
{
    int x0 = m->w, y0 = m->h, x1 = -1, y1 = -1;
    for (int y = 0; y < m->h; y++) {
        const unsigned char *row = m->px + (size_t)y * m->w;
        for (int x = 0; x < m->w; x++)
            if (row[x]) {
                x0 = x < x0 ? x : x0;
                x1 = x > x1 ? x : x1;
                y0 = y < y0 ? y : y0;
                y1 = y;
            }
    }
    if (x1 < 0)
        return -1;
    box[0] = x0;
    box[1] = y0;
    box[2] = x1 - x0 + 1;
    box[3] = y1 - y0 + 1;
    return 0;
}

int st_mask_from_rect(int w, int h, const int roi[4], st_mask *m, st_err *err)
{
    int x0 = roi[0], y0 = roi[1];
    long x1 = (long)roi[0] + roi[2], y1 = (long)roi[1] + roi[3];
    if (x1 > w)
        x1 = w;
    if (y1 > h)
        y1 = h;
    if (x0 >= x1 || y0 >= y1)
        return st_err_set(err, ST_EINVAL, "roi %d,%d,%d,%d lies outside the %dx%d baseline image", roi[0],
                          roi[1], roi[2], roi[3], w, h);
    int rc = st_mask_new(w, h, m, err);
    if (rc)
        return rc;
    for (long y = y0; y < y1; y++)
        memset(m->px + (size_t)y * w + x0, 1, (size_t)(x1 - x0));
    return ST_OK;
}

/* Clears every set pixel of m whose point in the session (baseline ->
 * session by the adjugate of a, session -> baseline) `seen` rejects; a
 * singular matrix sees nothing. */
typedef int (*seen_fn)(const void *ctx, double xs, double ys);

static void cut_by_view(st_mask *m, const double a[9], seen_fn seen, const void *ctx)
{
    double inv[9] = {a[4] * a[8] - a[5] * a[7], a[2] * a[7] - a[1] * a[8], a[1] * a[5] - a[2] * a[4],
                     a[5] * a[6] - a[3] * a[8], a[0] * a[8] - a[2] * a[6], a[2] * a[3] - a[0] * a[5],
                     a[3] * a[7] - a[4] * a[6], a[1] * a[6] - a[0] * a[7], a[0] * a[4] - a[1] * a[3]};
    double det = a[0] * inv[0] + a[1] * inv[3] + a[2] * inv[6];
    for (int y = 0; y < m->h; y++) {
        unsigned char *row = m->px + (size_t)y * m->w;
        for (int x = 0; x < m->w; x++) {
            if (!row[x])
                continue;
            double zs = inv[6] * x + inv[7] * y + inv[8];
            if (det == 0 || fabs(zs) < 1e-12) {
                row[x] = 0;
                continue;
            }
            double xs = (inv[0] * x + inv[1] * y + inv[2]) / zs;
            double ys = (inv[3] * x + inv[4] * y + inv[5]) / zs;
            if (!seen(ctx, xs, ys))
                row[x] = 0;
        }
    }
}

typedef struct skin_view {
    const st_mask *skin;
    int f;
} skin_view;

static int on_skin(const void *ctx, double xs, double ys)
{
    const skin_view *v = ctx;
    int bx = (int)floor((xs + 0.5) / v->f), by = (int)floor((ys + 0.5) / v->f);
    return bx >= 0 && by >= 0 && bx < v->skin->w && by < v->skin->h &&
           v->skin->px[(size_t)by * v->skin->w + bx];
}

void st_mask_cut_to_skin(st_mask *m, const double a[9], const st_mask *skin, int f)
{
    skin_view v = {skin, f};
    cut_by_view(m, a, on_skin, &v);
}

typedef struct frame_view {
    double lo_x, lo_y, hi_x, hi_y;
} frame_view;

static int in_frame(const void *ctx, double xs, double ys)
{
    const frame_view *v = ctx;
    return xs >= v->lo_x && xs <= v->hi_x && ys >= v->lo_y && ys <= v->hi_y;
}

void st_mask_cut_to_view(st_mask *m, const double a[9], int sw, int sh, double margin)
{
    frame_view v = {margin, margin, sw - 1 - margin, sh - 1 - margin};
    cut_by_view(m, a, in_frame, &v);
}

void st_quad_prepare(st_quad *t, const double q[8], double margin)
{
    /* Orientation of the quad (corners in either turning order). */
    double area = 0;
    for (int k = 0; k < 4; k++) {
        int j = (k + 1) % 4;
        area += q[2 * k] * q[2 * j + 1] - q[2 * j] * q[2 * k + 1];
    }
    memcpy(t->q, q, sizeof t->q);
    t->margin = margin;
    t->sign = area > 0 ? 1.0 : -1.0;
    t->empty = area == 0;
    t->lo_x = t->hi_x = q[0];
    t->lo_y = t->hi_y = q[1];
    for (int k = 0; k < 4; k++) {
        int j = (k + 1) % 4;
        t->ex[k] = q[2 * j] - q[2 * k];
        t->ey[k] = q[2 * j + 1] - q[2 * k + 1];
        t->len[k] = hypot(t->ex[k], t->ey[k]);
        t->lo_x = fmin(t->lo_x, q[2 * k]);
        t->hi_x = fmax(t->hi_x, q[2 * k]);
        t->lo_y = fmin(t->lo_y, q[2 * k + 1]);
        t->hi_y = fmax(t->hi_y, q[2 * k + 1]);
    }
}

int st_quad_inside(const st_quad *t, double x, double y)
{
    if (t->empty)
        return 0;
    /* inside (grown by margin) when within margin of the inner side of
     * every edge */
    for (int k = 0; k < 4; k++) {
        double d = t->len[k] > 0 ? t->sign * (t->ex[k] * (y - t->q[2 * k + 1]) - t->ey[k] * (x - t->q[2 * k])) /
                                      t->len[k]
                                 : 0;
        if (d < -t->margin)
            return 0;
    }
    return 1;
}

size_t st_mask_clear_quad(st_mask *m, const double q[8], double margin)
{
    st_quad t;
    st_quad_prepare(&t, q, margin);
    if (t.empty)
        return 0;
    int x0 = (int)fmax(0, floor(t.lo_x - margin)), x1 = (int)fmin(m->w - 1, ceil(t.hi_x + margin));
    int y0 = (int)fmax(0, floor(t.lo_y - margin)), y1 = (int)fmin(m->h - 1, ceil(t.hi_y + margin));
    size_t cleared = 0;
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++) {
            if (!st_quad_inside(&t, x, y))
                continue;
            unsigned char *p = m->px + (size_t)y * m->w + x;
            cleared += *p;
            *p = 0;
        }
    return cleared;
}

/* One line of a separable erosion: out[k] = 1 when in[k - r .. k + r] are
 * all set and inside the line (prefix counts of unset pixels). */
static void erode_line(const unsigned char *in, size_t step, int n, int r, unsigned char *out, int *zeros)
{
    zeros[0] = 0;
    for (int k = 0; k < n; k++)
        zeros[k + 1] = zeros[k] + !in[(size_t)k * step];
    for (int k = 0; k < n; k++) {
        int a = k - r, b = k + r + 1;
        out[k] = a >= 0 && b <= n && zeros[b] == zeros[a];
    }
}

int st_mask_erode(st_mask *m, int r, st_err *err)
{
    if (r <= 0)
        return ST_OK;
    int n = m->w > m->h ? m->w : m->h;
    int *zeros = malloc((size_t)(n + 1) * sizeof *zeros);
    unsigned char *line = malloc((size_t)n);
    if (!zeros || !line) {
        free(zeros);
        free(line);
        return st_err_set(err, ST_ENOMEM, "roi: out of memory");
    }
    for (int y = 0; y < m->h; y++) {
        unsigned char *row = m->px + (size_t)y * m->w;
        erode_line(row, 1, m->w, r, line, zeros);
        memcpy(row, line, (size_t)m->w);
    }
    for (int x = 0; x < m->w; x++) {
        erode_line(m->px + x, (size_t)m->w, m->h, r, line, zeros);
        for (int y = 0; y < m->h; y++)
            m->px[(size_t)y * m->w + x] = line[y];
    }
    free(zeros);
    free(line);
    return ST_OK;
}
