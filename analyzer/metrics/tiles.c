#include "metrics/tiles.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/parallel.h"

void st_tile_layout_make(int w, int h, int ts, st_tile_layout *tl)
{
    memset(tl, 0, sizeof *tl);
    tl->ts = ts;
    if (ts < 1)
        return;
    tl->nx = w / ts;
    tl->ny = h / ts;
    if (tl->nx < 1 || tl->ny < 1) {
        tl->nx = tl->ny = 0;
        return;
    }
    tl->x0 = (w - tl->nx * ts) / 2;
    tl->y0 = (h - tl->ny * ts) / 2;
}

typedef struct tv_ctx {
    const st_tile_layout *tl;
    const unsigned char *mask;
    size_t mstride;
    unsigned char *valid;
} tv_ctx;

static void valid_rows(void *arg, int begin, int end)
{
    const tv_ctx *c = arg;
    const st_tile_layout *tl = c->tl;
    size_t need = (size_t)ceil(ST_TILE_MIN_INSIDE * tl->ts * tl->ts);
    for (int ty = begin; ty < end; ty++) {
        for (int tx = 0; tx < tl->nx; tx++) {
            size_t in = 0;
            if (!c->mask) {
                in = (size_t)tl->ts * tl->ts;
            } else {
                for (int y = 0; y < tl->ts; y++) {
                    const unsigned char *m = c->mask +
                                             (size_t)(tl->y0 + ty * tl->ts + y) * c->mstride +
                                             tl->x0 + tx * tl->ts;
                    for (int x = 0; x < tl->ts; x++)
                        in += m[x] != 0;
                }
            }
            c->valid[(size_t)ty * tl->nx + tx] = in >= need;
        }
    }
}

void st_tile_valid(const st_tile_layout *tl, const unsigned char *mask, size_t mstride,
                   unsigned char *valid, int threads)
{
    tv_ctx c = {tl, mask, mstride, valid};
    /* Each tile row is counted on its own: any thread count, same flags. */
    (void)st_parallel_for(mask ? threads : 1, tl->ny, 2, valid_rows, &c);
}

typedef struct rt_ctx {
    st_fft *fft;
    const float *z;
    size_t stride;
    const unsigned char *mask;
    size_t mstride;
    st_rough_cfg cfg; /* threads = 1, remove_plane = 1 */
    const st_tile_layout *tl;
    const unsigned char *valid;
    double *vals;
    pthread_mutex_t lock; /* guards rc and err */
    int rc;
    st_err err;
} rt_ctx;

/* Keeps the first failure; the tile stays unmeasured. */
static void record_failure(rt_ctx *c, int rc, const st_err *e)
{
    pthread_mutex_lock(&c->lock);
    if (!c->rc) {
        c->rc = rc;
        if (e)
            c->err = *e;
    }
    pthread_mutex_unlock(&c->lock);
}

static void tile_band(void *arg, int begin, int end)
{
    rt_ctx *c = arg;
    int ts = c->tl->ts;
    float *scratch = malloc((size_t)ts * ts * sizeof *scratch);
    unsigned char *m = c->mask ? malloc((size_t)ts * ts) : NULL;
    if (!scratch || (c->mask && !m)) {
        record_failure(c, ST_ENOMEM, NULL);
        free(scratch);
        free(m);
        return;
    }
    for (int t = begin; t < end; t++) {
        double *out = c->vals + (size_t)t * ST_RV_COUNT;
        for (int k = 0; k < ST_RV_COUNT; k++)
            out[k] = NAN;
        if (!c->valid[t])
            continue;
        int x0 = c->tl->x0 + (t % c->tl->nx) * ts, y0 = c->tl->y0 + (t / c->tl->nx) * ts;
        if (m)
            for (int y = 0; y < ts; y++)
                memcpy(m + (size_t)y * ts, c->mask + (size_t)(y0 + y) * c->mstride + x0, (size_t)ts);
        st_rough_result r;
        st_err e;
        int rc = st_roughness_region(c->fft, c->z + (size_t)y0 * c->stride + x0, c->stride, ts, ts,
                                     m, (size_t)ts, &c->cfg, scratch, &r, &e);
        if (rc) {
            record_failure(c, rc, &e);
            continue;
        }
        memcpy(out, r.v, sizeof r.v);
    }
    free(scratch);
    free(m);
}

int st_roughness_tiles(st_fft *fft, const float *z, size_t stride, int w, int h,
                       const unsigned char *mask, size_t mstride, const st_rough_cfg *cfg,
                       const st_tile_layout *tl, const unsigned char *valid, int threads,
                       double *tile_vals, st_err *err)
{
    (void)w;
    (void)h;
    rt_ctx c = {fft, z, stride, mask, mstride, *cfg, tl, valid, tile_vals,
                PTHREAD_MUTEX_INITIALIZER, ST_OK, {0}};
    c.cfg.threads = 1;
    c.cfg.remove_plane = 1;
    c.cfg.keep_radial = 0;
    c.cfg.aps_rmin = 2;
    st_window_cache wc;
    if (st_window_cache_make(tl->ts, tl->ts, cfg->window, -1, &wc))
        return st_err_set(err, ST_ENOMEM, "tiles: out of memory");
    c.cfg.wcache = &wc; /* one set of windows for every tile */
    st_spectrum_geom *geom = st_spectrum_geom_new(tl->ts, tl->ts, cfg->px, NULL, 0,
                                                  c.cfg.aps_rmin);
    c.cfg.geom = geom; /* NULL (no memory) only costs time */
    (void)st_parallel_for(threads, tl->nx * tl->ny, 4, tile_band, &c);
    pthread_mutex_destroy(&c.lock);
    st_window_cache_free(&wc);
    st_spectrum_geom_free(geom);
    if (c.rc) {
        if (c.err.msg[0])
            return st_err_set(err, c.rc, "tiles: %s", c.err.msg);
        return st_err_set(err, c.rc, "tiles: out of memory");
    }
    return ST_OK;
}

void st_tile_stats(const double *vals, size_t ntiles, size_t nmetrics, double *mean, double *sd,
                   int *n)
{
    for (size_t m = 0; m < nmetrics; m++) {
        double s = 0;
        int k = 0;
        for (size_t t = 0; t < ntiles; t++) {
            double v = vals[m * ntiles + t];
            if (isfinite(v)) {
                s += v;
                k++;
            }
        }
        double mu = k ? s / k : NAN, ss = 0;
        for (size_t t = 0; t < ntiles; t++) {
            double v = vals[m * ntiles + t];
            if (isfinite(v))
                ss += (v - mu) * (v - mu);
        }
        mean[m] = mu;
        sd[m] = k > 1 ? sqrt(ss / (k - 1)) : NAN;
        n[m] = k;
    }
}
