/* The reduction of a power spectrum (psd.h, st_spectrum_reduce): radial
 * sums, band sums, Parseval total and the angular spectrum in one pass over
 * the half plane, with the per-bin geometry computed once per mirror row
 * pair, or once for many same-sized tiles (st_spectrum_geom). */
#define _DEFAULT_SOURCE /* M_PI */
#include "metrics/psd.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/blocks.h"

/* atan on [0, 1], minimax polynomial (|error| < 1e-5 rad): only used to
 * pick a 1° bin, so the error only moves a few samples to a neighbour bin. */
static inline double atan01(double t)
{
    double t2 = t * t;
    return t * (0.99986600 + t2 * (-0.33029950 + t2 * (0.18014100 + t2 * (-0.08513300 + t2 * 0.02083510))));
}

/* Angle of (x, y) in [0, π). */
static inline double half_angle(double x, double y)
{
    if (y < 0 || (y == 0 && x < 0)) {
        x = -x;
        y = -y;
    }
    double ax = fabs(x), a;
    a = ax >= y ? atan01(y / ax) : M_PI_2 - atan01(ax / y);
    return x < 0 ? M_PI - a : a;
}

/* Geometry of one half-plane bin: everything the reduction needs except
 * the power, so that same-sized spectra (tiles) compute it once. */
struct st_bin_geom {
    double wgt;          /* 2 for a bin standing for its mirror image, else 1; 0 = DC */
    double c2, s2;       /* cos 2θ, sin 2θ of the wave vector */
    int r;               /* radial bin, -1 beyond Nyquist or past the last bin */
    short a;             /* angular bin, -1 when inside aps_rmin */
};

typedef struct geom_params {
    int fw, fh, hw, nbands;
    double dfx, dfy, df, fnyq2, aps_rmin2, flo2[ST_SPECTRUM_MAX_BANDS], fhi2[ST_SPECTRUM_MAX_BANDS];
    size_t nr;
} geom_params;

static void geom_params_make(int fw, int fh, double px, const double (*bands)[2], int nbands,
                             double aps_rmin, geom_params *g)
{
    memset(g, 0, sizeof *g);
    g->fw = fw;
    g->fh = fh;
    g->hw = fw / 2 + 1;
    g->nbands = nbands;
    g->dfx = 1.0 / (fw * px);
    g->dfy = 1.0 / (fh * px);
    g->df = g->dfx > g->dfy ? g->dfx : g->dfy;
    double fnyq = 0.5 / px * (1 + 1e-9);
    g->fnyq2 = fnyq * fnyq;
    g->nr = (size_t)floor(0.5 / px / g->df + 1e-9) + 1;
    g->aps_rmin2 = (aps_rmin * g->df) * (aps_rmin * g->df);
    /* Band limits as squared frequencies: no square root for the test. */
    for (int k = 0; k < nbands; k++) {
        g->flo2[k] = 1.0 / (bands[k][1] * bands[k][1]);
        g->fhi2[k] = 1.0 / (bands[k][0] * bands[k][0]);
    }
}

/* Weight and radial bin of half-plane bin (kx, ky) at squared frequency f2
 * (no angle yet); 1 when it also gets an angle: inside Nyquist and beyond
 * aps_rmin. */
static inline int radial_bin(const geom_params *g, int kx, int ky, double f2,
                             struct st_bin_geom *b)
{
    /* The half plane stands for both halves, except the columns that are
     * their own mirror image. */
    const int kmid = g->fw % 2 == 0 ? g->fw / 2 : -1;
    b->wgt = (kx == 0 && ky == 0) ? 0.0 : (kx == 0 || kx == kmid) ? 1.0 : 2.0;
    b->r = -1;
    b->a = -1;
    b->c2 = b->s2 = 0;
    if (f2 > g->fnyq2 || b->wgt == 0)
        return 0;
    size_t r = (size_t)(sqrt(f2) * (1.0 / g->df) + 0.5);
    b->r = r < g->nr ? (int)r : -1;
    return f2 >= g->aps_rmin2;
}

static void geom_row(const geom_params *g, int ky, struct st_bin_geom *out)
{
    double fy = (ky <= g->fh / 2 ? ky : ky - g->fh) * g->dfy, fy2 = fy * fy;
    const double to_bin = ST_APS_BINS / M_PI;
    for (int kx = 0; kx < g->hw; kx++) {
        struct st_bin_geom *b = &out[kx];
        double fx = kx * g->dfx, fx2 = fx * fx, f2 = fx2 + fy2;
        if (!radial_bin(g, kx, ky, f2, b))
            continue;
        /* Wave vector direction, counter-clockwise as displayed (y down). */
        int bin = (int)(half_angle(fx, -fy) * to_bin);
        b->a = (short)(bin < 0 ? 0 : (bin >= ST_APS_BINS ? ST_APS_BINS - 1 : bin));
        b->c2 = (fx2 - fy2) / f2;
        b->s2 = -2.0 * fx * fy / f2;
    }
}

/* Rows ky and fh − ky (0 < ky < fh/2) hold the same |f|, radial bin and
 * bands, wave vectors mirrored in the fx axis: the angle of one is π minus
 * that of the other and sin 2θ changes sign, all exactly (the same
 * operations on the same operands as geom_row, whose bins these equal bit
 * for bit). The per-bin values are computed in straight-line loops the
 * compiler vectorises; the whole plane's reduction needs them once per pair. */
typedef struct pair_scratch {
    double *f2, *ang, *c2, *s2; /* hw each */
    struct st_bin_geom *gp, *gm;
} pair_scratch;

static void geom_pair(const geom_params *g, int ky, pair_scratch *ps)
{
    const double fy = ky * g->dfy, fy2 = fy * fy;
    const double to_bin = ST_APS_BINS / M_PI;
    const int hw = g->hw;
    double *restrict f2a = ps->f2, *restrict ang = ps->ang, *restrict c2 = ps->c2,
                     *restrict s2 = ps->s2;
    for (int kx = 0; kx < hw; kx++) {
        double fx = kx * g->dfx, fx2 = fx * fx, f2 = fx2 + fy2;
        /* half_angle(fx, −fy) after its flip: ax = fx, y = fy >= 0 */
        int ge = fx >= fy;
        double num = ge ? fy : fx, den = ge ? fx : fy;
        double t = num / (den > 0 ? den : 1.0); /* 0/1 at the origin */
        double at = atan01(t);
        f2a[kx] = f2;
        ang[kx] = ge ? at : M_PI_2 - at;
        double q = f2 > 0 ? f2 : 1.0;
        c2[kx] = (fx2 - fy2) / q;
        s2[kx] = -2.0 * fx * fy / q;
    }
    for (int kx = 0; kx < hw; kx++) {
        struct st_bin_geom *b = &ps->gp[kx], *m = &ps->gm[kx];
        int angular = radial_bin(g, kx, ky, f2a[kx], b);
        *m = *b;
        if (!angular)
            continue;
        /* Row ky > 0: the flipped wave vector points left (π − a) unless
         * fx = 0; row 0 is not flipped. */
        double ab = (ky > 0 && kx > 0) ? M_PI - ang[kx] : ang[kx];
        int bin = (int)(ab * to_bin), mbin = (int)(ang[kx] * to_bin);
        b->a = (short)(bin < 0 ? 0 : (bin >= ST_APS_BINS ? ST_APS_BINS - 1 : bin));
        m->a = (short)(mbin < 0 ? 0 : (mbin >= ST_APS_BINS ? ST_APS_BINS - 1 : mbin));
        b->c2 = m->c2 = c2[kx];
        b->s2 = s2[kx];
        m->s2 = -s2[kx];
    }
}

/* One term of a gathered sum: the bin (index into the half plane), its
 * weight and, for the angular sums, cos 2θ and sin 2θ. */
typedef struct gather_term {
    double wgt, c2, s2;
    size_t idx;
} gather_term;

/* For each block of row pairs, the terms of every sum of the partial
 * (radial, bands, total, angular) in the order the scatter adds them, so
 * that a sum gathered term by term is the scattered sum bit for bit, and
 * the counts per radial bin, which depend on the geometry only. */
typedef struct gather_block {
    size_t *first;  /* nslots + 1 */
    gather_term *terms;
    double *rcnt;   /* nr */
} gather_block;

struct st_spectrum_geom {
    geom_params p;
    struct st_bin_geom *bins; /* fh x hw */
    int nblocks;
    gather_block *gb;         /* NULL: scatter from bins */
};

/* First kx of row fy2 whose |f|² exceeds thr (hw if none): |f|² grows with
 * kx, and is computed exactly as geom_row does, so a band's bins in a row
 * are the run [first(lo), first(hi)). */
static int first_above(const geom_params *g, double fy2, double thr)
{
    int lo = 0, hi = g->hw;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        double fx = mid * g->dfx, fx2 = fx * fx, f2 = fx2 + fy2;
        if (f2 > thr)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Slots of a partial: rsum[nr], band[nbands], total, aps[180] (the
 * angular terms carry cos 2θ and sin 2θ for aps_c and aps_s). */
static size_t gather_slots(const geom_params *g) { return g->nr + (size_t)g->nbands + 1 + ST_APS_BINS; }

/* Walks block b's rows in the scatter's order; with terms == NULL it only
 * counts (into first[slot + 1]), else it fills at cursor[slot]. */
static void gather_walk(const st_spectrum_geom *g, int b, size_t *count, size_t *cursor,
                        gather_term *terms, double *rcnt)
{
    const geom_params *p = &g->p;
    size_t nr = p->nr, tot_slot = nr + (size_t)p->nbands, aps_slot = tot_slot + 1;
    int pairs = p->fh / 2 + 1, y0 = b * ST_BLOCK_ROWS;
    int y1 = y0 + ST_BLOCK_ROWS < pairs ? y0 + ST_BLOCK_ROWS : pairs;
#define EMIT(slot, i, e, withcs)                                                               \
    do {                                                                                       \
        if (!terms)                                                                            \
            count[(slot) + 1]++;                                                               \
        else                                                                                   \
            terms[cursor[slot]++] = (gather_term){(e)->wgt, (withcs) ? (e)->c2 : 0,             \
                                                  (withcs) ? (e)->s2 : 0, (i)};                 \
    } while (0)
    for (int ky = y0; ky < y1; ky++) {
        int rows[2] = {ky, p->fh - ky}, nrow = (ky > 0 && p->fh - ky > ky) ? 2 : 1;
        for (int q = 0; q < nrow; q++) {
            int y = rows[q];
            const struct st_bin_geom *gr = g->bins + (size_t)y * p->hw;
            for (int kx = 0; kx < p->hw; kx++) {
                const struct st_bin_geom *e = &gr[kx];
                size_t i = (size_t)y * p->hw + kx;
                EMIT(tot_slot, i, e, 0);
                if (e->r < 0)
                    continue;
                EMIT((size_t)e->r, i, e, 0);
                if (rcnt)
                    rcnt[e->r] += e->wgt;
                if (e->a >= 0)
                    EMIT(aps_slot + (size_t)e->a, i, e, 1);
            }
            double fy = (y <= p->fh / 2 ? y : y - p->fh) * p->dfy, fy2 = fy * fy;
            for (int k = 0; k < p->nbands; k++) {
                int a = first_above(p, fy2, p->flo2[k]), e2 = first_above(p, fy2, p->fhi2[k]);
                for (int kx = a; kx < e2; kx++)
                    EMIT(nr + (size_t)k, (size_t)y * p->hw + kx, &gr[kx], 0);
            }
        }
    }
#undef EMIT
}

static void gather_make(st_spectrum_geom *g)
{
    size_t ns = gather_slots(&g->p);
    g->nblocks = st_block_count(g->p.fh / 2 + 1);
    g->gb = calloc((size_t)g->nblocks, sizeof *g->gb);
    size_t *cursor = malloc(ns * sizeof *cursor);
    int ok = g->gb && cursor;
    for (int b = 0; ok && b < g->nblocks; b++) {
        gather_block *gb = &g->gb[b];
        gb->first = calloc(ns + 1, sizeof *gb->first);
        gb->rcnt = calloc(g->p.nr ? g->p.nr : 1, sizeof *gb->rcnt);
        if (!(ok = gb->first && gb->rcnt))
            break;
        gather_walk(g, b, gb->first, NULL, NULL, gb->rcnt);
        for (size_t k = 0; k < ns; k++)
            gb->first[k + 1] += gb->first[k];
        gb->terms = malloc((gb->first[ns] ? gb->first[ns] : 1) * sizeof *gb->terms);
        if (!(ok = gb->terms != NULL))
            break;
        memcpy(cursor, gb->first, ns * sizeof *cursor);
        gather_walk(g, b, NULL, cursor, gb->terms, NULL);
    }
    free(cursor);
    if (!ok && g->gb) {
        for (int b = 0; b < g->nblocks; b++) {
            free(g->gb[b].first);
            free(g->gb[b].terms);
            free(g->gb[b].rcnt);
        }
        free(g->gb);
        g->gb = NULL;
    }
}

st_spectrum_geom *st_spectrum_geom_new(int w, int h, double px, const double (*bands)[2],
                                       int nbands, double aps_rmin)
{
    st_spectrum_geom *g = calloc(1, sizeof *g);
    if (!g || nbands > ST_SPECTRUM_MAX_BANDS) {
        free(g);
        return NULL;
    }
    geom_params_make(st_fft_good_size(w), st_fft_good_size(h), px, bands, nbands, aps_rmin, &g->p);
    g->bins = malloc((size_t)g->p.fh * g->p.hw * sizeof *g->bins);
    if (!g->bins) {
        free(g);
        return NULL;
    }
    for (int ky = 0; ky < g->p.fh; ky++)
        geom_row(&g->p, ky, g->bins + (size_t)ky * g->p.hw);
    gather_make(g); /* no memory: the reduction scatters instead */
    return g;
}

void st_spectrum_geom_free(st_spectrum_geom *g)
{
    if (g) {
        for (int b = 0; g->gb && b < g->nblocks; b++) {
            free(g->gb[b].first);
            free(g->gb[b].terms);
            free(g->gb[b].rcnt);
        }
        free(g->gb);
        free(g->bins);
        free(g);
    }
}

typedef struct red_ctx {
    const st_spectrum *s;
    const geom_params *g;
    const struct st_bin_geom *bins; /* whole plane, or NULL: made per row pair */
    const gather_block *gb;         /* per block terms, or NULL: scatter */
    size_t stride; /* doubles per block partial */
    double *part;
    atomic_int failed;
} red_ctx;

/* Partial layout: rsum[nr], rcnt[nr], band[nb], total, aps[3][180]. Each
 * sum sees its terms in kx order, as a single loop over the bins would. */
static void scatter_row(const geom_params *g, const st_complex *row,
                        const struct st_bin_geom *gr, int ky, double *p)
{
    double *rsum = p, *rcnt = p + g->nr, *band = rcnt + g->nr, *total = band + g->nbands;
    double *aps = total + 1, *apc = aps + ST_APS_BINS, *apsn = apc + ST_APS_BINS;
    double tot = *total;
    for (int kx = 0; kx < g->hw; kx++) {
        const struct st_bin_geom *e = &gr[kx];
        double pw = row[kx][0] * e->wgt;
        tot += pw;
        if (e->r < 0)
            continue;
        rsum[e->r] += pw;
        rcnt[e->r] += e->wgt;
        if (e->a < 0)
            continue;
        aps[e->a] += pw;
        apc[e->a] += pw * e->c2;
        apsn[e->a] += pw * e->s2;
    }
    *total = tot;
    double fy = (ky <= g->fh / 2 ? ky : ky - g->fh) * g->dfy, fy2 = fy * fy;
    for (int k = 0; k < g->nbands; k++) {
        int a = first_above(g, fy2, g->flo2[k]), b = first_above(g, fy2, g->fhi2[k]);
        double acc = band[k];
        for (int kx = a; kx < b; kx++)
            acc += row[kx][0] * gr[kx].wgt;
        band[k] = acc;
    }
}

/* Block b's partial from its gathered terms: each sum takes its terms in
 * the scatter's order, in a register instead of through memory. */
static void gather_reduce(const red_ctx *c, const gather_block *gb, double *p)
{
    const geom_params *g = c->g;
    const st_complex *F = c->s->F;
    size_t nr = g->nr, nb = (size_t)g->nbands, aps_slot = nr + nb + 1;
    for (size_t slot = 0; slot < aps_slot; slot++) {
        double acc = 0;
        for (size_t t = gb->first[slot]; t < gb->first[slot + 1]; t++)
            acc += F[gb->terms[t].idx][0] * gb->terms[t].wgt;
        p[slot < nr ? slot : slot + nr] = acc; /* rcnt sits between rsum and bands */
    }
    memcpy(p + nr, gb->rcnt, nr * sizeof *p);
    double *aps = p + 2 * nr + nb + 1, *apc = aps + ST_APS_BINS, *apsn = apc + ST_APS_BINS;
    for (int a = 0; a < ST_APS_BINS; a++) {
        double s0 = 0, s1 = 0, s2 = 0;
        for (size_t t = gb->first[aps_slot + a]; t < gb->first[aps_slot + a + 1]; t++) {
            const gather_term *e = &gb->terms[t];
            double pw = F[e->idx][0] * e->wgt;
            s0 += pw;
            s1 += pw * e->c2;
            s2 += pw * e->s2;
        }
        aps[a] = s0;
        apc[a] = s1;
        apsn[a] = s2;
    }
}

/* Blocks run over mirror row pairs (ky, fh − ky), with or without a
 * geometry table, so both give the same sums bit for bit. */
static void reduce_block(void *arg, int b, int y0, int y1)
{
    red_ctx *c = arg;
    const st_spectrum *s = c->s;
    const geom_params *g = c->g;
    double *p = c->part + (size_t)b * c->stride;
    if (c->gb) {
        gather_reduce(c, &c->gb[b], p);
        return;
    }
    size_t hw = (size_t)g->hw;
    double *mem = NULL;
    pair_scratch ps = {0};
    if (!c->bins) {
        mem = malloc(hw * (4 * sizeof(double) + 2 * sizeof(struct st_bin_geom)));
        if (!mem) {
            atomic_store(&c->failed, 1);
            return;
        }
        ps = (pair_scratch){mem, mem + hw, mem + 2 * hw, mem + 3 * hw,
                            (struct st_bin_geom *)(mem + 4 * hw), NULL};
        ps.gm = ps.gp + hw;
    }
    for (int ky = y0; ky < y1; ky++) {
        int my = s->fh - ky, mirror = ky > 0 && my > ky;
        const struct st_bin_geom *gp, *gm;
        if (c->bins) {
            gp = c->bins + (size_t)ky * hw;
            gm = c->bins + (size_t)my * hw;
        } else {
            geom_pair(g, ky, &ps);
            gp = ps.gp;
            gm = ps.gm;
        }
        scatter_row(g, s->F + (size_t)ky * s->hw, gp, ky, p);
        if (mirror)
            scatter_row(g, s->F + (size_t)my * s->hw, gm, my, p);
    }
    free(mem);
}

int st_spectrum_reduce(const st_spectrum *s, const double (*bands)[2], int nbands,
                       double aps_rmin, const st_spectrum_geom *geom, int threads,
                       st_spectrum_sums *out)
{
    memset(out, 0, sizeof *out);
    if (nbands > ST_SPECTRUM_MAX_BANDS)
        return -1;
    geom_params gp;
    red_ctx c = {.s = s};
    if (geom && geom->p.fw == s->fw && geom->p.fh == s->fh && geom->p.nbands == nbands) {
        c.g = &geom->p;
        c.bins = geom->bins;
        c.gb = geom->gb;
    } else {
        geom_params_make(s->fw, s->fh, s->px, bands, nbands, aps_rmin, &gp);
        c.g = &gp;
    }
    size_t nr = c.g->nr;
    c.stride = 2 * nr + (size_t)nbands + 1 + 3 * ST_APS_BINS;
    int nrows = s->fh / 2 + 1; /* mirror row pairs */
    int nb = st_block_count(nrows);
    c.part = calloc((size_t)nb * c.stride, sizeof *c.part);
    out->rsum = calloc(nr, sizeof *out->rsum);
    out->rcnt = calloc(nr, sizeof *out->rcnt);
    if (!c.part || !out->rsum || !out->rcnt) {
        free(c.part);
        st_spectrum_sums_free(out);
        return -1;
    }
    st_run_blocks(threads, nrows, reduce_block, &c);
    if (atomic_load(&c.failed)) {
        free(c.part);
        st_spectrum_sums_free(out);
        return -1;
    }
    out->nr = nr;
    out->df = c.g->df;
    for (int b = 0; b < nb; b++) {
        const double *p = c.part + (size_t)b * c.stride;
        for (size_t r = 0; r < nr; r++) {
            out->rsum[r] += p[r];
            out->rcnt[r] += p[nr + r];
        }
        const double *band = p + 2 * nr;
        for (int k = 0; k < nbands; k++)
            out->band_ms[k] += band[k];
        out->total_ms += band[nbands];
        const double *aps = band + nbands + 1;
        for (int a = 0; a < ST_APS_BINS; a++) {
            out->aps[a] += aps[a];
            out->aps_c[a] += aps[ST_APS_BINS + a];
            out->aps_s[a] += aps[2 * ST_APS_BINS + a];
        }
    }
    free(c.part);
    return 0;
}

void st_spectrum_sums_free(st_spectrum_sums *sums)
{
    free(sums->rsum);
    free(sums->rcnt);
    sums->rsum = sums->rcnt = NULL;
}
