/* Plumbing shared by the detection families: input checks, robust
 * statistics, normalised convolution, mean pyramids, Hessians. */
#define _POSIX_C_SOURCE 200809L
#include "metrics/detect_internal.h"

#include <limits.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "simd/kernels.h"

double st_det_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double st_det_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double st_det_pixel_mm(const st_detect_input *in)
{
    if (in->pixel_mm > 0.0)
        return in->pixel_mm;
    return in->surface && in->surface->pixel_mm > 0.0 ? in->surface->pixel_mm : 0.0;
}

size_t st_det_roi_count(const st_detect_input *in)
{
    const st_image *s = in->surface;
    if (!in->mask)
        return (size_t)s->width * (size_t)s->height;
    size_t n = 0;
    for (int y = 0; y < s->height; y++)
        for (int x = 0; x < s->width; x++)
            n += st_det_inside(in, x, y) != 0;
    return n;
}

int st_det_check_input(const st_detect_input *in, const char *family, st_err *err)
{
    if (!in || !in->surface || !in->surface->data)
        return st_err_set(err, ST_EINVAL, "%s: no surface given", family);
    if (in->surface->channels != 1)
        return st_err_set(err, ST_EINVAL, "%s: surface has %d channels (1 expected)", family,
                          in->surface->channels);
    if (in->mask && in->mask_stride && in->mask_stride < (size_t)in->surface->width)
        return st_err_set(err, ST_EINVAL, "%s: mask stride %zu below width %d", family,
                          in->mask_stride, in->surface->width);
    if (in->rgb && (in->rgb->channels != 3 || in->rgb->width != in->surface->width ||
                    in->rgb->height != in->surface->height))
        return st_err_set(err, ST_EINVAL, "%s: photo is not a %dx%d RGB image", family,
                          in->surface->width, in->surface->height);
    return ST_OK;
}

float *st_det_alloc(int w, int h)
{
    size_t n;
    if (w < 1 || h < 1 || st_mul_size((size_t)w, (size_t)h, &n) ||
        st_mul_size(n, sizeof(float), &n))
        return NULL;
    /* Not zero-filled: every caller writes the whole plane, and a 12 MP
     * plane's memset costs as much as a light filter pass over it. */
    return st_aligned_alloc(n);
}

#define POOL_SLOTS 24

struct st_det_pool {
    struct {
        float *p;
        size_t cap; /* floats */
        int used;
    } slot[POOL_SLOTS];
    /* Smoothed L*, a*, b* of lab_rgb (st_det_smoothed_lab), kept for the
     * next colour family; lab_share: planes to make beyond those asked for. */
    float *lab[3];
    const st_image *lab_rgb;
    double lab_sigma;
    unsigned lab_share;
};

st_det_pool *st_det_pool_new(void) { return calloc(1, sizeof(st_det_pool)); }

void st_det_pool_free(st_det_pool *pool)
{
    if (!pool)
        return;
    for (int k = 0; k < 3; k++) { /* a plane beyond a full table is not in a slot */
        int pooled = 0;
        for (int i = 0; i < POOL_SLOTS; i++)
            pooled |= pool->slot[i].p == pool->lab[k];
        if (!pooled)
            st_aligned_free(pool->lab[k]);
    }
    for (int i = 0; i < POOL_SLOTS; i++)
        st_aligned_free(pool->slot[i].p);
    free(pool);
}

float *st_det_get(const st_detect_input *in, int w, int h)
{
    st_det_pool *pool = in ? in->pool : NULL;
    if (!pool || w < 1 || h < 1)
        return st_det_alloc(w, h);
    size_t n = (size_t)w * (size_t)h;
    int best = -1, empty = -1;
    /* the smallest free buffer that holds the plane */
    for (int i = 0; i < POOL_SLOTS; i++) {
        if (!pool->slot[i].p) {
            empty = empty < 0 ? i : empty;
            continue;
        }
        if (!pool->slot[i].used && pool->slot[i].cap >= n &&
            (best < 0 || pool->slot[i].cap < pool->slot[best].cap))
            best = i;
    }
    if (best >= 0) {
        pool->slot[best].used = 1;
        return pool->slot[best].p;
    }
    float *p = st_det_alloc(w, h);
    if (p && empty >= 0) {
        pool->slot[empty].p = p;
        pool->slot[empty].cap = n;
        pool->slot[empty].used = 1;
    }
    return p; /* a full table: an unpooled plane, freed by st_det_put */
}

void st_det_put(const st_detect_input *in, float *plane)
{
    st_det_pool *pool = in ? in->pool : NULL;
    if (!plane)
        return;
    for (int i = 0; pool && i < POOL_SLOTS; i++)
        if (pool->slot[i].p == plane) {
            pool->slot[i].used = 0;
            return;
        }
    st_aligned_free(plane);
}

void st_det_pool_share_lab(st_det_pool *pool, unsigned planes)
{
    if (pool)
        pool->lab_share = planes;
}

void *st_det_get_bytes(const st_detect_input *in, size_t bytes)
{
    size_t floats = bytes / sizeof(float) + 1;
    return floats > (size_t)INT_MAX ? NULL : st_det_get(in, (int)floats, 1);
}

const st_detect_input *st_det_pool_begin(const st_detect_input *in, st_detect_input *local)
{
    if (in->pool)
        return in;
    *local = *in;
    local->pool = st_det_pool_new();
    return local;
}

void st_det_pool_end(const st_detect_input *in, st_detect_input *local)
{
    if (in == local) {
        st_det_pool_free(local->pool);
        local->pool = NULL;
    }
}

const float *st_det_surface(const st_detect_input *in, float **copy)
{
    const st_image *s = in->surface;
    *copy = NULL;
    if (s->stride == (size_t)s->width)
        return s->data;
    if (!(*copy = st_det_get(in, s->width, s->height)))
        return NULL;
    st_det_copy_plane(s, 0, *copy);
    return *copy;
}

void st_det_copy_plane(const st_image *img, int channel, float *dst)
{
    for (int y = 0; y < img->height; y++)
        memcpy(dst + (size_t)y * (size_t)img->width, st_image_row(img, channel, y),
               (size_t)img->width * sizeof(float));
}

/* Evenly spaced sample (at most ~2^16 values: plenty for a quantile or a
 * MAD); caller frees. */
static float *sample(const float *v, size_t n, size_t *m)
{
    size_t step = n > 65536 ? n / 65536 + 1 : 1;
    size_t k = (n + step - 1) / step;
    float *s = malloc((k ? k : 1) * sizeof *s);
    if (!s)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i += step)
        if (isfinite(v[i]))
            s[j++] = v[i];
    *m = j;
    return s;
}

float st_det_select(float *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        float pivot = v[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                float t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            break;
    }
    return v[k];
}

double st_det_quantile(const float *v, size_t n, double q)
{
    size_t m = 0;
    float *s = sample(v, n, &m);
    if (!s || m == 0) {
        free(s);
        return 0.0;
    }
    double pos = q * (double)(m - 1);
    size_t i = (size_t)pos;
    double f = pos - (double)i, r = st_det_select(s, m, i);
    if (i + 1 < m && f > 0) {
        /* the next order statistic is the smallest of the upper part */
        float nx = s[i + 1];
        for (size_t k = i + 2; k < m; k++)
            nx = s[k] < nx ? s[k] : nx;
        r += f * ((double)nx - r);
    }
    free(s);
    return r;
}

/* Order-preserving map of a finite float to an unsigned key (the sign
 * bit flipped for positives, all bits for negatives), and back. */
static inline uint32_t float_key(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

static inline float key_float(uint32_t k)
{
    uint32_t u = (k & 0x80000000u) ? (k & 0x7fffffffu) : ~k;
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* k-th smallest of n finite values by radix selection on their keys
 * (11 + 11 + 10 bits, keeping only the bucket that holds rank k after
 * each pass): the same value as st_det_select, in a few linear passes.
 * keys is n scratch words. */
static float kth_radix(const float *v, size_t n, size_t k, uint32_t *keys)
{
    static const int shift[3] = {21, 10, 0};
    static const uint32_t mask[3] = {0x7ffu, 0x7ffu, 0x3ffu};
    size_t cnt[2048];
    for (size_t i = 0; i < n; i++)
        keys[i] = float_key(v[i]);
    size_t m = n;
    for (int p = 0; p < 3; p++) {
        memset(cnt, 0, (mask[p] + 1) * sizeof *cnt);
        for (size_t i = 0; i < m; i++)
            cnt[(keys[i] >> shift[p]) & mask[p]]++;
        uint32_t b = 0;
        while (k >= cnt[b]) /* the bucket of rank k: ranks below it are skipped */
            k -= cnt[b++];
        size_t j = 0;
        for (size_t i = 0; i < m; i++)
            if (((keys[i] >> shift[p]) & mask[p]) == b)
                keys[j++] = keys[i];
        m = j;
    }
    return key_float(keys[0]); /* every key left is the same */
}

double st_det_robust_sigma(const float *v, size_t n)
{
    size_t m = 0;
    float *s = sample(v, n, &m);
    uint32_t *keys = s && m > 1024 ? malloc(m * sizeof *keys) : NULL;
    if (!s || m == 0) {
        free(s);
        return 0.0;
    }
    /* the samples are finite (sample() drops the rest): radix selection
     * for many, Hoare's for few (or without scratch) */
    float med = keys ? kth_radix(s, m, m / 2, keys) : st_det_select(s, m, m / 2);
    for (size_t i = 0; i < m; i++)
        s[i] = fabsf(s[i] - med);
    double mad = keys ? kth_radix(s, m, m / 2, keys) : st_det_select(s, m, m / 2);
    free(keys);
    free(s);
    return 1.4826 * mad;
}

int st_det_masked_blur(const float *v, const float *wt, float *dst, float *tmp, int w, int h,
                       double sigma, int threads)
{
    size_t n = (size_t)w * (size_t)h;
    float *num = st_det_alloc(w, h);
    if (!num)
        return ST_ENOMEM;
    for (size_t i = 0; i < n; i++)
        num[i] = v[i] * wt[i];
    int rc = st_gaussian_blur(num, (size_t)w, num, (size_t)w, w, h, sigma, threads);
    if (!rc)
        rc = st_gaussian_blur(wt, (size_t)w, tmp, (size_t)w, w, h, sigma, threads);
    if (!rc) {
        /* Far inside a large excluded hole the weights underflow: fall back
         * to the plain blur there (it is only reached for holes > ~6 sigma). */
        int need_plain = 0;
        for (size_t i = 0; i < n; i++)
            need_plain |= tmp[i] < 1e-6f;
        if (need_plain) {
            float *plain = st_det_alloc(w, h);
            if (!plain) {
                st_aligned_free(num);
                return ST_ENOMEM;
            }
            rc = st_gaussian_blur(v, (size_t)w, plain, (size_t)w, w, h, sigma, threads);
            for (size_t i = 0; i < n; i++)
                dst[i] = tmp[i] < 1e-6f ? plain[i] : num[i] / tmp[i];
            st_aligned_free(plain);
        } else {
            for (size_t i = 0; i < n; i++)
                dst[i] = num[i] / tmp[i];
        }
    }
    st_aligned_free(num);
    return rc;
}

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

static void up_hrow(const st_det_up *u, const float *coarse, int row, float *out)
{
    st_det_gather_lerp_row(coarse + (size_t)row * u->cw, u->x0, u->x1, u->fx, out, u->w);
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

static inline int clampi(int v, int lo, int hi) { return v < lo ? lo : (v > hi ? hi : v); }

void st_det_hessian(const float *s, int w, int h, int x, int y, float *dxx, float *dyy,
                    float *dxy)
{
    int xm = clampi(x - 1, 0, w - 1), xp = clampi(x + 1, 0, w - 1);
    int ym = clampi(y - 1, 0, h - 1), yp = clampi(y + 1, 0, h - 1);
    const float *r = s + (size_t)y * w, *rm = s + (size_t)ym * w, *rp = s + (size_t)yp * w;
    *dxx = r[xp] - 2.0f * r[x] + r[xm];
    *dyy = rp[x] - 2.0f * r[x] + rm[x];
    *dxy = 0.25f * (rp[xp] - rp[xm] - rm[xp] + rm[xm]);
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

typedef struct colour_ctx {
    const st_image *rgb;
    float *p0, *p1, *p2; /* L, a, b (Lab) or R, G (linear) */
} colour_ctx;

static void lab_rows(void *arg, int y0, int y1)
{
    const colour_ctx *c = arg;
    int w = c->rgb->width;
    float *tmp = st_det_alloc(w, 3);
    for (int y = y0; y < y1; y++) {
        size_t o = (size_t)y * w;
        /* a plane the caller does not want goes to scratch (always there
         * when some plane is skipped: NULL planes are only skipped with tmp) */
        float *L = c->p0 ? c->p0 + o : tmp, *A = c->p1 ? c->p1 + o : (tmp ? tmp + w : NULL);
        float *B = c->p2 ? c->p2 + o : (tmp ? tmp + 2 * (size_t)w : NULL);
        if (!L || !A || !B)
            continue;
        st_srgb_to_lab(st_image_row(c->rgb, 0, y), st_image_row(c->rgb, 1, y),
                       st_image_row(c->rgb, 2, y), L, A, B, (size_t)w);
    }
    st_aligned_free(tmp);
}

int st_det_smoothed_lab(const st_detect_input *in, double sigma, unsigned need, int threads,
                        const float **lab)
{
    st_det_pool *pool = in->pool;
    const st_image *rgb = in->rgb;
    if (!pool)
        return ST_ENOMEM;
    if (pool->lab_rgb != rgb || pool->lab_sigma != sigma) {
        for (int k = 0; k < 3; k++) {
            st_det_put(in, pool->lab[k]);
            pool->lab[k] = NULL;
        }
        pool->lab_rgb = rgb;
        pool->lab_sigma = sigma;
    }
    unsigned make = 0;
    for (int k = 0; k < 3; k++)
        if (((need | pool->lab_share) >> k & 1u) && !pool->lab[k])
            make |= 1u << k;
    int rc = ST_OK;
    if (make) {
        const int w = rgb->width, h = rgb->height;
        float *p[3] = {NULL, NULL, NULL}, *tmp = st_det_get(in, w, h);
        for (int k = 0; k < 3; k++)
            if (make >> k & 1u)
                p[k] = st_det_get(in, w, h);
        rc = tmp && (!(make & 1u) || p[0]) && (!(make & 2u) || p[1]) && (!(make & 4u) || p[2])
                 ? st_det_lab_planes(rgb, p[0], p[1], p[2], threads)
                 : ST_ENOMEM;
        /* blurred out of place (an in-place blur copies the plane): the
         * scratch plane and the converted one swap roles */
        for (int k = 0; k < 3 && !rc; k++) {
            if (!p[k])
                continue;
            rc = st_gaussian_blur(p[k], (size_t)w, tmp, (size_t)w, w, h, sigma, threads);
            float *t = p[k];
            p[k] = tmp;
            tmp = t;
        }
        st_det_put(in, tmp);
        for (int k = 0; k < 3; k++) {
            if (rc)
                st_det_put(in, p[k]);
            else if (p[k])
                pool->lab[k] = p[k];
        }
    }
    for (int k = 0; k < 3; k++)
        lab[k] = rc ? NULL : pool->lab[k];
    return rc;
}

int st_det_lab_planes(const st_image *rgb, float *L, float *a, float *b, int threads)
{
    /* Probe the scratch allocation once, so that a failure is reported. */
    float *probe = st_det_alloc(rgb->width, 3);
    if (!probe)
        return ST_ENOMEM;
    st_aligned_free(probe);
    colour_ctx c = {rgb, L, a, b};
    st_parallel_for(threads, rgb->height, 32, lab_rows, &c);
    return ST_OK;
}
