/* Directional closings (see pit_filter.h). A segment's pixels are fixed
 * offsets (dx, dy), so one output row is the max (or min) over the offsets
 * of a shifted source row: the SIMD row kernels st_rows_max / st_rows_min.
 * A dilation then an erosion by the same symmetric segment is its closing. */
#define _DEFAULT_SOURCE /* M_PI */
#include "metrics/pit_filter.h"

#include <math.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/parallel.h"
#include "simd/kernels.h"
#include "skintrack/skintrack.h"


typedef struct seg_pass {
    const float *src;
    float *dst;
    int w, h, n_off;
    const int (*off)[2];
    int erode;         /* 0: max (dilation), 1: min (erosion) */
    const float *base; /* erosion: then pit = min(pit, dst - base) */
    float *pit;
} seg_pass;

/* Plain comparisons, not fminf / fmaxf: those keep NaN rules, so compilers
 * call libm for them instead of vectorising (heights here are finite); in
 * the order of st_rows_min / st_rows_max. */
static inline float min_f(float a, float b)
{
    return a < b ? a : b;
}
static inline float max_f(float a, float b)
{
    return a > b ? a : b;
}

/* row[x + dx] for every x, with the row's end pixels repeated past its ends. */
static void combine_row(float *restrict acc, const float *restrict row, int w, int dx, int erode)
{
    int lo = dx < 0 ? -dx : 0, hi = dx > 0 ? w - dx : w; /* x in [lo, hi): inside */
    if (lo > w)
        lo = w;
    if (hi < lo)
        hi = lo;
    for (int x = 0; x < lo; x++)
        acc[x] = erode ? min_f(acc[x], row[0]) : max_f(acc[x], row[0]);
    if (erode)
        st_rows_min(acc + lo, row + lo + dx, (size_t)(hi - lo));
    else
        st_rows_max(acc + lo, row + lo + dx, (size_t)(hi - lo));
    for (int x = hi; x < w; x++)
        acc[x] = erode ? min_f(acc[x], row[w - 1]) : max_f(acc[x], row[w - 1]);
}

static void seg_rows(void *arg, int b, int e)
{
    const seg_pass *p = arg;
    for (int y = b; y < e; y++) {
        float *out = p->dst + (size_t)y * p->w;
        const float init = p->erode ? INFINITY : -INFINITY;
        for (int x = 0; x < p->w; x++)
            out[x] = init;
        for (int k = 0; k < p->n_off; k++) {
            int yy = y + p->off[k][1];
            yy = yy < 0 ? 0 : (yy >= p->h ? p->h - 1 : yy);
            combine_row(out, p->src + (size_t)yy * p->w, p->w, p->off[k][0], p->erode);
        }
        if (p->pit) {
            float *d = p->pit + (size_t)y * p->w;
            const float *s = p->base + (size_t)y * p->w;
            for (int x = 0; x < p->w; x++)
                d[x] = min_f(d[x], out[x] - s[x]);
        }
    }
}

/* The distinct pixel offsets of a segment of radius r at angle a. */
static int segment(int r, double a, int (*off)[2])
{
    int n = 0;
    for (int k = -r; k <= r; k++) {
        int dx = (int)lround(k * cos(a)), dy = (int)lround(k * sin(a)), dup = 0;
        for (int j = 0; j < n && !dup; j++)
            dup = off[j][0] == dx && off[j][1] == dy;
        if (!dup) {
            off[n][0] = dx;
            off[n][1] = dy;
            n++;
        }
    }
    return n;
}

int st_pit_depth(const float *src, int w, int h, int radius_px, int n_angles, int threads,
                 float *out)
{
    if (w < 1 || h < 1 || radius_px < 1 || radius_px > ST_PIT_MAX_RADIUS || n_angles < 1 ||
        src == out)
        return ST_EINVAL;
    float *dil = st_alloc_floats((size_t)w * (size_t)h);
    float *clo = st_alloc_floats((size_t)w * (size_t)h);
    if (!dil || !clo) {
        st_aligned_free(dil);
        st_aligned_free(clo);
        return ST_ENOMEM;
    }
    int off[2 * ST_PIT_MAX_RADIUS + 1][2];
    for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
        out[i] = INFINITY;
    for (int j = 0; j < n_angles; j++) {
        int n = segment(radius_px, M_PI * j / n_angles, off);
        seg_pass dilate = {src, dil, w, h, n, (const int(*)[2])off, 0, NULL, NULL};
        seg_pass close = {dil, clo, w, h, n, (const int(*)[2])off, 1, src, out};
        st_parallel_for(threads, h, 16, seg_rows, &dilate);
        st_parallel_for(threads, h, 16, seg_rows, &close);
    }
    st_aligned_free(dil);
    st_aligned_free(clo);
    return ST_OK;
}
