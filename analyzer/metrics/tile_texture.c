/* GLCM and LBP over the plane and its tiles in one pass per family. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "metrics/blocks.h"
#include "metrics/lbp.h"
#include "metrics/tiles.h"

#define MARGIN_ROWS 64

typedef struct strip {
    int ya, yb, trow; /* rows [ya, yb); tile row, or -1 outside the grid */
} strip;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int add_rows(strip *s, int n, int ya, int yb)
{
    for (int y = ya; y < yb; y += MARGIN_ROWS)
        s[n++] = (strip){y, y + MARGIN_ROWS < yb ? y + MARGIN_ROWS : yb, -1};
    return n;
}

static strip *make_strips(const st_tile_layout *tl, int h, int *count)
{
    strip *s = malloc(((size_t)h / MARGIN_ROWS + 3 + (size_t)tl->ny) * sizeof *s);
    if (!s)
        return NULL;
    int n = 0;
    if (tl->nx > 0 && tl->ny > 0) {
        n = add_rows(s, n, 0, tl->y0);
        for (int ty = 0; ty < tl->ny; ty++)
            s[n++] = (strip){tl->y0 + ty * tl->ts, tl->y0 + (ty + 1) * tl->ts, ty};
        n = add_rows(s, n, tl->y0 + tl->ny * tl->ts, h);
    } else {
        n = add_rows(s, n, 0, h);
    }
    *count = n;
    return s;
}

typedef struct tex_ctx {
    const float *tex;
    size_t stride;
    int w, h, d;
    const unsigned char *mask;
    size_t mstride;
    const st_tile_layout *tl;
    const unsigned char *valid;
    const strip *strips;
    const int *tcol;
    unsigned char *lev;       /* w x h levels */
    double *tile_vals;        /* ntiles x ST_TV_COUNT or NULL */
    uint32_t *glcm_tot;       /* nstrips x DIRS x CELLS */
    uint64_t *lbp_tot;        /* nstrips x BINS */
    atomic_int failed;
} tex_ctx;

static void quantize_block(void *arg, int b, int y0, int y1)
{
    (void)b;
    tex_ctx *c = arg;
    for (int y = y0; y < y1; y++)
        st_glcm_quantize_row(c->tex + (size_t)y * c->stride,
                             c->mask ? c->mask + (size_t)y * c->mstride : NULL, c->w,
                             c->lev + (size_t)y * c->w);
}

/* Pairs (row[x], qrow[x + dx]) for x in [xa, xb) into cnt. Levels are < 32
 * and ST_LEVEL_NONE has bit 7 set, so one test rejects either pixel. */
static void count_run(const unsigned char *row, const unsigned char *qrow, int dx, int xa, int xb,
                      uint32_t *cnt)
{
    for (int x = xa; x < xb; x++) {
        unsigned a = row[x], b = qrow[x + dx];
        if ((a | b) & 0x80u)
            continue;
        cnt[a * ST_GLCM_LEVELS + b]++;
    }
}

/* One row and direction of a tile row: each tile's inner pairs go to the
 * tile, pairs that cross a tile edge or lie in the margins to rest. */
static void count_tiled_row(const tex_ctx *c, const unsigned char *row, const unsigned char *qrow,
                            int k, int dx, int xa, int xb, uint32_t *tiles, uint32_t *rest)
{
    const st_tile_layout *tl = c->tl;
    int ts = tl->ts, ad = dx < 0 ? -dx : dx;
    int x = xa;
    for (int t = 0; t < tl->nx; t++) {
        int sa = tl->x0 + t * ts, sb = sa + ts;
        /* x in [ia, ib) keeps x + dx inside [sa, sb) */
        int ia = dx < 0 ? sa + ad : sa, ib = dx > 0 ? sb - ad : sb;
        ia = ia > xa ? ia : xa;
        ib = ib < xb ? ib : xb;
        if (ib <= ia)
            continue;
        count_run(row, qrow, dx, x, ia, rest);
        count_run(row, qrow, dx, ia, ib,
                  tiles + ((size_t)t * ST_GLCM_DIRS + k) * ST_GLCM_CELLS);
        x = ib;
    }
    count_run(row, qrow, dx, x, xb, rest);
}

static void count_strip(const tex_ctx *c, const strip *s, uint32_t *tiles, uint32_t *rest)
{
    int dx[ST_GLCM_DIRS], dy[ST_GLCM_DIRS];
    st_glcm_offsets(c->d, dx, dy);
    for (int y = s->ya; y < s->yb; y++) {
        const unsigned char *row = c->lev + (size_t)y * c->w;
        for (int k = 0; k < ST_GLCM_DIRS; k++) {
            int qy = y + dy[k];
            if (qy < 0 || qy >= c->h)
                continue;
            const unsigned char *qrow = c->lev + (size_t)qy * c->w;
            int xa = dx[k] < 0 ? -dx[k] : 0, xb = dx[k] > 0 ? c->w - dx[k] : c->w;
            uint32_t *r = rest + (size_t)k * ST_GLCM_CELLS;
            if (s->trow >= 0 && qy >= s->ya) /* dy <= 0: same tile row */
                count_tiled_row(c, row, qrow, k, dx[k], xa, xb, tiles, r);
            else
                count_run(row, qrow, dx[k], xa, xb, r);
        }
    }
}

/* Adds a tile's counts to the strip total and clears them, visiting only
 * the occupied block of each direction (a 2 mm tile holds a few levels). */
static void drain_tile(uint32_t *tc, uint32_t *tot)
{
    for (int k = 0; k < ST_GLCM_DIRS; k++) {
        uint32_t *src = tc + (size_t)k * ST_GLCM_CELLS, *dst = tot + (size_t)k * ST_GLCM_CELLS;
        int lo, hi;
        if (st_glcm_level_range(src, &lo, &hi))
            continue;
        for (int i = lo; i <= hi; i++)
            for (int j = lo; j <= hi; j++) {
                dst[i * ST_GLCM_LEVELS + j] += src[i * ST_GLCM_LEVELS + j];
                src[i * ST_GLCM_LEVELS + j] = 0;
            }
    }
}

static void glcm_band(void *arg, int begin, int end)
{
    tex_ctx *c = arg;
    int nx = c->tl->nx;
    size_t per_tile = (size_t)ST_GLCM_DIRS * ST_GLCM_CELLS;
    /* Zeroed once; drain_tile leaves every tile's counts at zero again. */
    uint32_t *tiles = calloc(((size_t)nx + 1) * per_tile, sizeof *tiles);
    if (!tiles) {
        atomic_store(&c->failed, 1);
        return;
    }
    for (int si = begin; si < end; si++) {
        const strip *s = &c->strips[si];
        uint32_t *tot = c->glcm_tot + (size_t)si * per_tile;
        size_t ntile_here = s->trow >= 0 ? (size_t)nx : 0;
        memset(tot, 0, per_tile * sizeof *tot);
        count_strip(c, s, tiles, tot);
        for (size_t tx = 0; tx < ntile_here; tx++) {
            uint32_t *tc = tiles + tx * per_tile;
            size_t t = (size_t)s->trow * nx + tx;
            if (c->tile_vals && c->valid[t])
                st_glcm_features((const uint32_t(*)[ST_GLCM_CELLS])tc,
                                 c->tile_vals + t * ST_TV_COUNT);
            drain_tile(tc, tot);
        }
    }
    free(tiles);
}

static void lbp_band(void *arg, int begin, int end)
{
    tex_ctx *c = arg;
    int nx = c->tl->nx;
    unsigned char *codes = malloc((size_t)c->w);
    uint64_t *hist = malloc(((size_t)nx + 1) * ST_LBP_BINS * sizeof *hist);
    if (!codes || !hist) {
        free(codes);
        free(hist);
        atomic_store(&c->failed, 1);
        return;
    }
    for (int si = begin; si < end; si++) {
        const strip *s = &c->strips[si];
        uint64_t *tot = c->lbp_tot + (size_t)si * ST_LBP_BINS;
        memset(hist, 0, ((size_t)nx + 1) * ST_LBP_BINS * sizeof *hist);
        for (int y = s->ya > 1 ? s->ya : 1; y < s->yb && y < c->h - 1; y++) {
            st_lbp_row(c->tex, c->stride, c->w, y, c->mask, c->mstride, codes);
            for (int x = 1; x < c->w - 1; x++) {
                if (codes[x] == ST_LBP_NONE)
                    continue;
                int t = s->trow >= 0 ? c->tcol[x] : -1;
                hist[(size_t)(t + 1) * ST_LBP_BINS + codes[x]]++;
            }
        }
        for (int k = 0; k < ST_LBP_BINS; k++) {
            tot[k] = 0;
            for (int t = 0; t <= nx; t++)
                tot[k] += hist[(size_t)t * ST_LBP_BINS + k];
        }
        if (s->trow < 0 || !c->tile_vals)
            continue;
        for (int tx = 0; tx < nx; tx++) {
            size_t t = (size_t)s->trow * nx + tx;
            if (c->valid[t])
                c->tile_vals[t * ST_TV_COUNT + ST_TV_LBP_ENTROPY] =
                    st_lbp_entropy(hist + (size_t)(tx + 1) * ST_LBP_BINS);
        }
    }
    free(codes);
    free(hist);
}

static int *tile_columns(const st_tile_layout *tl, int w)
{
    int *tcol = malloc((size_t)w * sizeof *tcol);
    if (tcol)
        for (int x = 0; x < w; x++) {
            int rel = x - tl->x0;
            tcol[x] = (tl->nx > 0 && rel >= 0 && rel < tl->nx * tl->ts) ? rel / tl->ts : -1;
        }
    return tcol;
}

int st_texture_measure(const float *tex, size_t stride, int w, int h, const unsigned char *mask,
                       size_t mstride, int d, const st_tile_layout *tl,
                       const unsigned char *valid, int threads, double global[ST_TV_COUNT],
                       double *tile_vals, double *glcm_seconds, double *lbp_seconds,
                       st_err *err)
{
    for (int k = 0; k < ST_TV_COUNT; k++)
        global[k] = NAN;
    size_t ntiles = (size_t)tl->nx * tl->ny;
    if (tile_vals)
        for (size_t i = 0; i < ntiles * ST_TV_COUNT; i++)
            tile_vals[i] = NAN;
    int nstrips = 0;
    strip *strips = make_strips(tl, h, &nstrips);
    tex_ctx c = {tex, stride, w, h, d < 1 ? 1 : d, mask, mstride, tl, valid, strips, NULL,
                 NULL, tile_vals, NULL, NULL, 0};
    int *tcol = tile_columns(tl, w);
    c.tcol = tcol;
    c.lev = malloc((size_t)w * h);
    st_advise_huge(c.lev, (size_t)w * h);
    c.glcm_tot = malloc((size_t)nstrips * ST_GLCM_DIRS * ST_GLCM_CELLS * sizeof *c.glcm_tot);
    c.lbp_tot = malloc((size_t)nstrips * ST_LBP_BINS * sizeof *c.lbp_tot);
    int rc = ST_OK;
    if (!strips || !tcol || !c.lev || !c.glcm_tot || !c.lbp_tot) {
        rc = st_err_set(err, ST_ENOMEM, "texture: out of memory");
        goto done;
    }
    double t0 = now_s();
    st_run_blocks(threads, h, quantize_block, &c);
    (void)st_parallel_for(threads, nstrips, 1, glcm_band, &c);
    st_glcm_counts total; /* 16 KiB */
    memset(total, 0, sizeof total);
    for (int s = 0; s < nstrips; s++) {
        const uint32_t *p = c.glcm_tot + (size_t)s * ST_GLCM_DIRS * ST_GLCM_CELLS;
        for (int k = 0; k < ST_GLCM_DIRS; k++)
            for (int i = 0; i < ST_GLCM_CELLS; i++)
                total[k][i] += p[k * ST_GLCM_CELLS + i];
    }
    st_glcm_features((const uint32_t(*)[ST_GLCM_CELLS])total, global);
    double t1 = now_s();
    (void)st_parallel_for(threads, nstrips, 1, lbp_band, &c);
    uint64_t hist[ST_LBP_BINS] = {0};
    for (int s = 0; s < nstrips; s++)
        for (int k = 0; k < ST_LBP_BINS; k++)
            hist[k] += c.lbp_tot[(size_t)s * ST_LBP_BINS + k];
    global[ST_TV_LBP_ENTROPY] = st_lbp_entropy(hist);
    double t2 = now_s();
    if (glcm_seconds)
        *glcm_seconds = t1 - t0;
    if (lbp_seconds)
        *lbp_seconds = t2 - t1;
    if (atomic_load(&c.failed))
        rc = st_err_set(err, ST_ENOMEM, "texture: out of memory in a worker");
done:
    free(strips);
    free(tcol);
    free(c.lev);
    free(c.glcm_tot);
    free(c.lbp_tot);
    return rc;
}
