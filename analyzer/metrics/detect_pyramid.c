/* Mean pyramids of the detection families: 2x mean downsampling (plain or
 * weighted, in row bands), bilinear read-back of a coarse plane at the fine
 * grid (rows, single pixels, whole planes) and wide local means by
 * normalised convolution on a coarse level. */
#include "metrics/detect_internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/parallel.h"
#include "simd/kernels.h"

/* One 2x step in bands of output rows: a band downsamples its own input
 * rows (an odd last row is mirrored by the kernel as in the whole plane),
 * so the result is the same for any band split. With wt, each pair of
 * input rows is first multiplied by the weights into a scratch block. */
typedef struct down_ctx {
    const float *src, *wt;
    float *dst;
    int w, h, nw;
    atomic_int failed;
} down_ctx;

static void down_rows(void *arg, int y0, int y1)
{
    down_ctx *c = arg;
    const int w = c->w;
    if (!c->wt) {
        int rows = (2 * y1 < c->h ? 2 * y1 : c->h) - 2 * y0;
        st_downsample2x(c->src + (size_t)2 * y0 * w, (size_t)w, w, rows, c->dst + (size_t)y0 * c->nw,
                        (size_t)c->nw);
        return;
    }
    float *blk = st_det_alloc(w, 2);
    if (!blk) {
        atomic_store(&c->failed, 1);
        return;
    }
    for (int oy = y0; oy < y1; oy++) {
        int rows = 2 * oy + 1 < c->h ? 2 : 1;
        for (int k = 0; k < rows; k++) {
            size_t o = (size_t)(2 * oy + k) * w;
            for (int x = 0; x < w; x++)
                blk[(size_t)k * w + x] = c->src[o + x] * c->wt[o + x];
        }
        st_downsample2x(blk, (size_t)w, w, rows, c->dst + (size_t)oy * c->nw, (size_t)c->nw);
    }
    st_aligned_free(blk);
}

/* One 2x step of src (times wt when not NULL) into a new plane. */
static float *down_step(const float *src, const float *wt, int w, int h, int threads)
{
    int nw = (w + 1) / 2, nh = (h + 1) / 2;
    float *next = st_det_alloc(nw, nh);
    if (!next)
        return NULL;
    down_ctx c = {src, wt, next, w, h, nw, 0};
    st_parallel_for(threads, nh, 32, down_rows, &c);
    if (atomic_load(&c.failed)) {
        st_aligned_free(next);
        return NULL;
    }
    return next;
}

float *st_det_pyr_down(const float *src, int w, int h, int levels, int *ow, int *oh, int threads)
{
    float *cur = NULL;
    if (levels <= 0) {
        cur = st_det_alloc(w, h);
        if (cur)
            memcpy(cur, src, (size_t)w * (size_t)h * sizeof *cur);
    }
    /* The first step reads src directly (no full-resolution copy). */
    for (int l = 0; l < levels; l++) {
        float *next = down_step(cur ? cur : src, NULL, w, h, threads);
        st_aligned_free(cur);
        if (!next)
            return NULL;
        cur = next;
        w = (w + 1) / 2;
        h = (h + 1) / 2;
    }
    if (!cur)
        return NULL;
    *ow = w;
    *oh = h;
    return cur;
}

int st_det_pyr_level_for(double sigma, double max_lvl_sigma, int w, int h, int min_size)
{
    int k = 0;
    /* sizes as st_det_pyr_down makes them: halved, rounded up */
    while (k < 30 && sigma / (double)(1 << k) > max_lvl_sigma && w >= min_size && h >= min_size) {
        w = (w + 1) / 2;
        h = (h + 1) / 2;
        k++;
    }
    return k;
}

int st_det_pyr_descend(st_det_pyr_walk *p, int level, int threads)
{
    while (p->level < level) {
        float *next = st_det_pyr_down(p->lvl, p->w, p->h, 1, &p->w, &p->h, threads);
        if (!next)
            return ST_ENOMEM;
        st_aligned_free(p->own);
        p->lvl = p->own = next;
        p->level++;
    }
    return ST_OK;
}

/* A coarse pixel i covers fine pixels [i*s, (i+1)*s): its centre is at
 * fine coordinate (i + 0.5) * s - 0.5. */
static void up_pos(int i, double scale, int n, int *i0, int *i1, float *t)
{
    double c = (i + 0.5) / scale - 0.5;
    c = c < 0 ? 0 : (c > n - 1 ? n - 1 : c);
    *i0 = (int)c;
    *i1 = *i0 + 1 < n ? *i0 + 1 : *i0;
    *t = (float)(c - *i0);
}

int st_det_up_init(st_det_up *u, int cw, int ch, int levels, int w)
{
    /* Column positions once, not per pixel (the division and the clamps
     * cost more than the interpolation itself). */
    u->w = w;
    u->cw = cw;
    u->ch = ch;
    u->scale = (double)(1 << levels);
    u->x0 = malloc(2 * (size_t)w * sizeof *u->x0);
    u->fx = malloc((size_t)w * sizeof *u->fx);
    u->x1 = u->x0 ? u->x0 + w : NULL;
    if (!u->x0 || !u->fx) {
        st_det_up_free(u);
        return ST_ENOMEM;
    }
    for (int x = 0; x < w; x++)
        up_pos(x, u->scale, cw, &u->x0[x], &u->x1[x], &u->fx[x]);
    return ST_OK;
}

void st_det_up_free(st_det_up *u)
{
    free(u->x0);
    free(u->fx);
    u->x0 = u->x1 = NULL;
    u->fx = NULL;
}

/* Coarse row `row` interpolated along x to the fine width (the first half
 * of the bilinear formula, shared by every fine row that reads it). */
ST_DET_VEC void st_det_gather_lerp_row(const float *restrict r, const int *restrict i0,
                                       const int *restrict i1, const float *restrict t,
                                       float *restrict out, int n)
{
    for (int x = 0; x < n; x++) {
        float v0 = r[i0[x]];
        out[x] = v0 + t[x] * (r[i1[x]] - v0);
    }
}

/* The same row for one 2x step without gathers: fine pixel 2i sits a
 * quarter pixel before coarse pixel i (v[i-1] + 0.75 (v[i] - v[i-1])),
 * 2i + 1 a quarter after (v[i] + 0.25 (v[i+1] - v[i])), the ends clamped
 * (t = 0): the values, weights and formula st_det_up_init tabulates, so
 * the results are the same bits. Pixels [2, 2 cw - 2) here, the rest by
 * the table. */
ST_DET_VEC static void lerp2x_row(const float *restrict r, float *restrict out, int cw)
{
    for (int i = 1; i < cw - 1; i++) {
        out[2 * i] = r[i - 1] + 0.75f * (r[i] - r[i - 1]);
        out[2 * i + 1] = r[i] + 0.25f * (r[i + 1] - r[i]);
    }
}

static void up_hrow(const st_det_up *u, const float *coarse, int row, float *out)
{
    const float *r = coarse + (size_t)row * u->cw;
    if (u->scale != 2.0 || u->cw < 4 || u->w < 2 * u->cw - 1) {
        st_det_gather_lerp_row(r, u->x0, u->x1, u->fx, out, u->w);
        return;
    }
    lerp2x_row(r, out, u->cw);
    /* the ends (and an odd fine width's last pixel) from the table */
    int ends[4] = {0, 1, 2 * u->cw - 2, 2 * u->cw - 1};
    for (int k = 0; k < 4; k++) {
        int x = ends[k];
        if (x >= u->w)
            continue;
        float v0 = r[u->x0[x]];
        out[x] = v0 + u->fx[x] * (r[u->x1[x]] - v0);
    }
}

int st_det_up_cache_init(st_det_up_cache *c, int w)
{
    c->h[0] = malloc(2 * (size_t)w * sizeof *c->h[0]);
    c->h[1] = c->h[0] ? c->h[0] + w : NULL;
    c->row[0] = c->row[1] = -1;
    c->coarse = NULL;
    return c->h[0] ? ST_OK : ST_ENOMEM;
}

void st_det_up_cache_free(st_det_up_cache *c)
{
    free(c->h[0]);
    c->h[0] = c->h[1] = NULL;
}

void st_det_up_row(const st_det_up *u, const float *coarse, int y, float *out,
                   st_det_up_cache *cache)
{
    int yi[2];
    float fy;
    up_pos(y, u->scale, u->ch, &yi[0], &yi[1], &fy);
    if (!cache || !cache->h[0]) {
        const float *r0 = coarse + (size_t)yi[0] * u->cw, *r1 = coarse + (size_t)yi[1] * u->cw;
        for (int x = 0; x < u->w; x++) {
            int x0i = u->x0[x], x1i = u->x1[x];
            float fx = u->fx[x];
            float top = r0[x0i] + fx * (r0[x1i] - r0[x0i]);
            float bot = r1[x0i] + fx * (r1[x1i] - r1[x0i]);
            out[x] = top + fy * (bot - top);
        }
        return;
    }
    if (cache->coarse != coarse) {
        cache->coarse = coarse;
        cache->row[0] = cache->row[1] = -1;
    }
    /* The same top and bottom as above, each coarse row interpolated along x
     * once for the 2^levels fine rows that read it. */
    int s[2];
    for (int k = 0; k < 2; k++) {
        s[k] = cache->row[0] == yi[k] ? 0 : (cache->row[1] == yi[k] ? 1 : -1);
        if (s[k] < 0) {
            s[k] = k == 0 ? (cache->row[0] == yi[1] ? 1 : 0) : 1 - s[0];
            up_hrow(u, coarse, yi[k], cache->h[s[k]]);
            cache->row[s[k]] = yi[k];
        }
    }
    const float *restrict top = cache->h[s[0]], *restrict bot = cache->h[s[1]];
    float *restrict o = out;
    for (int x = 0; x < u->w; x++)
        o[x] = top[x] + fy * (bot[x] - top[x]);
}

float st_det_up_at(const st_det_up *u, const float *coarse, int x, int y)
{
    int yi[2];
    float fy;
    up_pos(y, u->scale, u->ch, &yi[0], &yi[1], &fy);
    const float *r0 = coarse + (size_t)yi[0] * u->cw, *r1 = coarse + (size_t)yi[1] * u->cw;
    int x0i = u->x0[x], x1i = u->x1[x];
    float fx = u->fx[x];
    float top = r0[x0i] + fx * (r0[x1i] - r0[x0i]);
    float bot = r1[x0i] + fx * (r1[x1i] - r1[x0i]);
    return top + fy * (bot - top);
}

typedef struct up_ctx {
    const st_det_up *u;
    const float *coarse;
    float *dst;
} up_ctx;

static void up_rows(void *arg, int y0, int y1)
{
    const up_ctx *c = arg;
    st_det_up_cache cache;
    st_det_up_cache_init(&cache, c->u->w); /* without it: the direct formula */
    for (int y = y0; y < y1; y++)
        st_det_up_row(c->u, c->coarse, y, c->dst + (size_t)y * c->u->w, &cache);
    st_det_up_cache_free(&cache);
}

int st_det_pyr_up(const float *coarse, int cw, int ch, int levels, float *dst, int w, int h,
                  int threads)
{
    st_det_up u;
    if (st_det_up_init(&u, cw, ch, levels, w))
        return ST_ENOMEM;
    up_ctx c = {&u, coarse, dst};
    st_parallel_for(threads, h, 64, up_rows, &c);
    st_det_up_free(&u);
    return ST_OK;
}

/* levels x 2x mean downsampling of v * wt (wt NULL: v), without a
 * full-resolution product plane: the first step multiplies two rows at a
 * time into a scratch block and downsamples that (the same sums as over
 * the whole plane). */
static float *pyr_down_product(const float *v, const float *wt, int w, int h, int levels,
                               int *ow, int *oh, int threads)
{
    if (!wt || levels <= 0) {
        if (!wt)
            return st_det_pyr_down(v, w, h, levels, ow, oh, threads);
        float *p = st_det_alloc(w, h);
        if (p)
            for (size_t i = 0; i < (size_t)w * h; i++)
                p[i] = v[i] * wt[i];
        *ow = w;
        *oh = h;
        return p;
    }
    int nw = (w + 1) / 2, nh = (h + 1) / 2;
    float *first = down_step(v, wt, w, h, threads);
    if (!first)
        return NULL;
    if (levels == 1) {
        *ow = nw;
        *oh = nh;
        return first;
    }
    float *c = st_det_pyr_down(first, nw, nh, levels - 1, ow, oh, threads);
    st_aligned_free(first);
    return c;
}

int st_det_local_mean_coarse(const float *const *v, int nv, const float *wt, int w, int h,
                             double sigma_px, int threads, float **out, int *cw, int *ch,
                             int *levels)
{
    int lv = 0;
    while (sigma_px / (double)(1 << lv) > 8.0 && (w >> (lv + 1)) >= 8 && (h >> (lv + 1)) >= 8)
        lv++;
    *levels = lv;
    for (int k = 0; k < nv; k++)
        out[k] = NULL;
    /* Downsample v*wt and wt, so the coarse value is the weighted mean; a
     * missing wt is all ones, whose means are ones. */
    float *wc = wt ? st_det_pyr_down(wt, w, h, lv, cw, ch, threads) : NULL;
    if (!wt) {
        *cw = w;
        *ch = h;
        for (int l = 0; l < lv; l++) {
            *cw = (*cw + 1) / 2;
            *ch = (*ch + 1) / 2;
        }
        if ((wc = st_det_alloc(*cw, *ch)))
            for (size_t i = 0; i < (size_t)*cw * *ch; i++)
                wc[i] = 1.0f;
    }
    float *tmp = st_det_alloc(*cw, *ch);
    int rc = (wc && tmp) ? ST_OK : ST_ENOMEM;
    for (int k = 0; k < nv && !rc; k++) {
        int vw, vh;
        float *vc = out[k] = pyr_down_product(v[k], wt, w, h, lv, &vw, &vh, threads);
        if (!vc) {
            rc = ST_ENOMEM;
            break;
        }
        for (size_t i = 0; i < (size_t)*cw * *ch; i++)
            vc[i] = wc[i] > 0 ? vc[i] / wc[i] : 0.0f;
        rc = st_det_masked_blur(vc, wc, vc, tmp, *cw, *ch, sigma_px / (double)(1 << lv), threads);
    }
    st_aligned_free(wc);
    st_aligned_free(tmp);
    for (int k = 0; k < nv && rc; k++) {
        st_aligned_free(out[k]);
        out[k] = NULL;
    }
    return rc;
}
