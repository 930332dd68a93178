/* Reference surface of scar detection (SPEC.md "Scar depth"): the skin
 * bridged over depressions, by iterated normalised convolution (Knutsson &
 * Westin 1993) on a mean pyramid: a wide Gaussian average of the surface in
 * which the depressions found so far are given zero weight, re-estimated
 * until the excluded set settles. Unlike a morphological closing it does
 * not ride on the roughness peaks, so scar-free skin has zero mean depth.
 * depth = reference - height. Local roughness: the RMS of the skin's depth
 * (depressions excluded) in the same window. */
#define _DEFAULT_SOURCE
#define MARGIN 0.7 /* exclusion = deep cells widened by this x their radius */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/parallel.h"
#include "metrics/scar_surface.h"
#include "simd/kernels.h"

void scar_maps_free(const st_detect_input *in, scar_maps *m)
{
    st_det_put(in, m->hs);
    st_det_put(in, m->depth);
    st_det_put(in, m->rough);
    st_det_put(in, m->raw_copy);
    st_aligned_free(m->wt_c);
    free(m->dep_c);
    free(m->dc_bin);
    st_aligned_free(m->dc);
    st_aligned_free(m->dc_thr);
    st_aligned_free(m->dc_rough);
    st_aligned_free(m->dcv);
}

/* Coarse ROI weights (fraction of ROI pixels under each coarse pixel). */
static float *roi_weights(const st_detect_input *in, int w, int h, int levels, int *cw, int *ch,
                          int threads)
{
    if (!in->mask) {
        /* all ones: so are their means (exactly) */
        *cw = w;
        *ch = h;
        for (int l = 0; l < levels; l++) {
            *cw = (*cw + 1) / 2;
            *ch = (*ch + 1) / 2;
        }
        float *c = st_det_alloc(*cw, *ch);
        for (size_t i = 0; c && i < (size_t)*cw * *ch; i++)
            c[i] = 1.0f;
        return c;
    }
    float *m = st_det_get(in, w, h);
    if (!m)
        return NULL;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            m[(size_t)y * w + x] = st_det_inside(in, x, y) ? 1.0f : 0.0f;
    float *c = st_det_pyr_down(m, w, h, levels, cw, ch, threads);
    st_det_put(in, m);
    return c;
}

/* Weighted least-squares quadratic z = c0 + c1 x + c2 y + c3 x^2 + c4 xy
 * + c5 y^2 (x, y scaled to [-1, 1]), subtracted from hc in place and
 * written to quad: the skin's form, which normalised convolution alone
 * would bend at the image borders. */
static void remove_quadratic(float *hc, const float *wt, float *quad, int cw, int ch)
{
    double a[6][7] = {{0}};
    for (int y = 0; y < ch; y++)
        for (int x = 0; x < cw; x++) {
            double w = wt[(size_t)y * cw + x];
            if (w <= 0)
                continue;
            double u = 2.0 * x / (cw > 1 ? cw - 1 : 1) - 1, v = 2.0 * y / (ch > 1 ? ch - 1 : 1) - 1;
            double b[6] = {1, u, v, u * u, u * v, v * v};
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 6; j++)
                    a[i][j] += w * b[i] * b[j];
                a[i][6] += w * b[i] * hc[(size_t)y * cw + x];
            }
        }
    /* Gauss-Jordan with partial pivoting; a singular system (tiny ROI)
     * leaves the surface as it is. */
    for (int c = 0; c < 6; c++) {
        int piv = c;
        for (int r = c + 1; r < 6; r++)
            if (fabs(a[r][c]) > fabs(a[piv][c]))
                piv = r;
        if (fabs(a[piv][c]) < 1e-9) {
            memset(quad, 0, (size_t)cw * ch * sizeof *quad);
            return;
        }
        for (int k = 0; k < 7; k++) {
            double t = a[c][k];
            a[c][k] = a[piv][k];
            a[piv][k] = t;
        }
        for (int r = 0; r < 6; r++) {
            if (r == c)
                continue;
            double f = a[r][c] / a[c][c];
            for (int k = c; k < 7; k++)
                a[r][k] -= f * a[c][k];
        }
    }
    double co[6];
    for (int i = 0; i < 6; i++)
        co[i] = a[i][6] / a[i][i];
    for (int y = 0; y < ch; y++)
        for (int x = 0; x < cw; x++) {
            double u = 2.0 * x / (cw > 1 ? cw - 1 : 1) - 1, v = 2.0 * y / (ch > 1 ? ch - 1 : 1) - 1;
            size_t i = (size_t)y * cw + x;
            quad[i] = (float)(co[0] + co[1] * u + co[2] * v + co[3] * u * u + co[4] * u * v + co[5] * v * v);
            hc[i] -= quad[i];
        }
}

int scar_grow(const int32_t *seed, int cw, int ch, const float *allow, int32_t *owner,
              float *dist_out)
{
    size_t nc = (size_t)cw * ch;
    float *dist = dist_out ? dist_out : malloc(nc * sizeof *dist);
    if (!dist)
        return ST_ENOMEM;
    for (size_t i = 0; i < nc; i++) {
        dist[i] = seed[i] ? 0.0f : INFINITY;
        owner[i] = seed[i];
    }
    static const int off[4][2] = {{-1, 0}, {-1, -1}, {0, -1}, {1, -1}};
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < ch; k++) {
            int y = pass ? ch - 1 - k : k;
            for (int j = 0; j < cw; j++) {
                int x = pass ? cw - 1 - j : j;
                size_t i = (size_t)y * cw + x;
                for (int q = 0; q < 4; q++) {
                    int dx = pass ? -off[q][0] : off[q][0], dy = pass ? -off[q][1] : off[q][1];
                    int xx = x + dx, yy = y + dy;
                    if (xx < 0 || yy < 0 || xx >= cw || yy >= ch)
                        continue;
                    size_t o = (size_t)yy * cw + xx;
                    float d = dist[o] + (dx && dy ? 1.41421356f : 1.0f);
                    if (d < dist[i]) {
                        dist[i] = d;
                        owner[i] = owner[o];
                    }
                }
            }
        }
    for (size_t i = 0; i < nc; i++)
        if (owner[i] && dist[i] > allow[owner[i]])
            owner[i] = 0;
    if (!dist_out)
        free(dist);
    return ST_OK;
}

/* Excludes the depressions from the next average: the cells below the
 * reference by more than t, each connected set of them widened by MARGIN
 * times its equivalent radius (at least 1.5 cells: the walls), so that a
 * wide scar's shallow shoulders, which lie less than t below the skin, do
 * not pull the reference down over it. (A lower threshold grown from the
 * deep cells, hysteresis, would run along the skin's own furrows instead.)
 * The set is kept in m->dep_c. */
static int exclude(scar_maps *m, const float *ref, const float *hc, const float *roi_c, double t)
{
    int cw = m->cw, ch = m->ch;
    size_t nc = (size_t)cw * ch;
    unsigned char *core = malloc(nc);
    int32_t *lab = malloc(nc * sizeof *lab), *own = malloc(nc * sizeof *own);
    float *allow = NULL;
    int nl = 0, rc = (core && lab && own) ? ST_OK : ST_ENOMEM;
    for (size_t i = 0; i < nc && !rc; i++)
        core[i] = roi_c[i] > 0 && ref[i] - hc[i] > t;
    st_err e;
    if (!rc)
        rc = st_det_label8(core, cw, ch, lab, &nl, &e);
    if (!rc && !(allow = calloc((size_t)nl + 1, sizeof *allow)))
        rc = ST_ENOMEM;
    for (size_t i = 0; i < nc && !rc; i++)
        allow[lab[i]] += 1.0f;
    for (int l = 1; l <= nl && !rc; l++)
        allow[l] = (float)fmax(1.5, MARGIN * sqrt(allow[l] / M_PI));
    if (!rc)
        rc = scar_grow(lab, cw, ch, allow, own, NULL);
    for (size_t i = 0; i < nc && !rc; i++) {
        int ex = own[i] && roi_c[i] > 0;
        m->dep_c[i] = (unsigned char)ex;
        m->wt_c[i] = ex ? 0.0f : roi_c[i];
    }
    free(core);
    free(lab);
    free(own);
    free(allow);
    return rc;
}

/* The depth at the scale of a scar (SPEC.md's smallest is 0.25 mm in
 * radius): smoothed at COARSE_MM on the coarse grid, with its own local
 * roughness (RMS over the skin, depressions excluded). At that scale the
 * skin's texture has a third to a half of its full RMS while a scar keeps
 * its depth, so a wide shallow scar that the texture breaks into pieces at
 * full resolution stands out as one region: m->dc_bin marks the cells
 * deeper than max(floor, 3 x that roughness), m->dc the depth, m->dc_thr the
 * threshold. ref and hc are the quadratic-free reference and surface. */
static int coarse_scale(scar_maps *m, const float *ref, const float *hc, const float *roi_c,
                        double floor_depth, float *tmp, float *r2, int threads)
{
    int cw = m->cw, ch = m->ch, s = 1 << m->levels;
    size_t nc = (size_t)cw * ch;
    for (size_t i = 0; i < nc; i++)
        tmp[i] = ref[i] - hc[i];
    /* Depth summed over each cell's ROI pixels (a cell's mean is the mean
     * pyramid's), for the volumes. */
    for (int y = 0; y < ch; y++)
        for (int x = 0; x < cw; x++) {
            int bw = m->w - x * s < s ? m->w - x * s : s, bh = m->h - y * s < s ? m->h - y * s : s;
            size_t i = (size_t)y * cw + x;
            m->dcv[i] = tmp[i] * roi_c[i] * (float)(bw * bh);
        }
    double cell_mm = m->pmm > 0 ? m->pmm * (double)(1 << m->levels) : 0.0;
    double sg = cell_mm > 0 ? COARSE_MM / cell_mm : 1.5;
    int rc = st_gaussian_blur(tmp, (size_t)cw, m->dc, (size_t)cw, cw, ch, sg, threads);
    for (size_t i = 0; i < nc && !rc; i++)
        r2[i] = m->dc[i] * m->dc[i];
    if (!rc)
        rc = st_det_masked_blur(r2, m->wt_c, r2, tmp, cw, ch, m->sigma_ref_c, threads);
    for (size_t i = 0; i < nc && !rc; i++) {
        m->dc_rough[i] = sqrtf(fmaxf(r2[i], 0.0f));
        m->dc_thr[i] = (float)fmax(floor_depth, ROUGH_FACTOR * m->dc_rough[i]);
        m->dc_bin[i] = m->dep_c[i] && m->dc[i] > m->dc_thr[i];
    }
    return rc;
}

/* Iterated normalised convolution on the coarse grid; leaves the reference
 * (upsampled) minus hs in m->depth and the final weights in m->wt_c. */
static int reference(scar_maps *m, const float *roi_c, double floor_depth, int threads)
{
    int cw = m->cw, ch = m->ch;
    size_t nc = (size_t)cw * ch;
    float *hc = st_det_pyr_down(m->hs, m->w, m->h, m->levels, &cw, &ch, threads);
    float *ref = st_det_alloc(cw, ch), *tmp = st_det_alloc(cw, ch), *res = st_det_alloc(cw, ch);
    float *quad = st_det_alloc(cw, ch);
    int rc = (hc && ref && tmp && res && quad) ? ST_OK : ST_ENOMEM;
    if (!rc)
        memcpy(m->wt_c, roi_c, nc * sizeof *roi_c);
    for (int it = 0; it < 5 && !rc; it++) {
        /* Form first (weights exclude the depressions found so far), then
         * the local average of what the form leaves. */
        if (it)
            for (size_t i = 0; i < nc; i++)
                hc[i] += quad[i];
        remove_quadratic(hc, m->wt_c, quad, cw, ch);
        rc = st_det_masked_blur(hc, m->wt_c, ref, tmp, cw, ch, m->sigma_ref_c, threads);
        if (rc)
            break;
        size_t nin = 0;
        for (size_t i = 0; i < nc; i++)
            if (roi_c[i] > 0.5f)
                res[nin++] = ref[i] - hc[i];
        double sd = st_det_robust_sigma(res, nin);
        double t = fmax(0.5 * floor_depth, 2.0 * sd);
        rc = exclude(m, ref, hc, roi_c, t);
    }
    if (!rc) {
        for (size_t i = 0; i < nc; i++)
            hc[i] += quad[i];
        remove_quadratic(hc, m->wt_c, quad, cw, ch);
        rc = st_det_masked_blur(hc, m->wt_c, ref, tmp, cw, ch, m->sigma_ref_c, threads);
        if (!rc)
            rc = coarse_scale(m, ref, hc, roi_c, floor_depth, tmp, res, threads);
        for (size_t i = 0; i < nc; i++)
            ref[i] += quad[i];
        if (!rc)
            rc = st_det_pyr_up(ref, cw, ch, m->levels, m->depth, m->w, m->h, threads);
    }
    st_aligned_free(quad);
    st_aligned_free(hc);
    st_aligned_free(ref);
    st_aligned_free(tmp);
    st_aligned_free(res);
    return rc;
}

/* Local RMS roughness of the raw surface around the reference, scars
 * excluded, in the reference window; m->depth holds the reference on entry
 * and the depth of hs on exit. */
typedef struct rough_ctx {
    scar_maps *m;
    const float *raw;
    float *r2;
} rough_ctx;

static void rough_rows(void *arg, int y0, int y1)
{
    const rough_ctx *c = arg;
    scar_maps *m = c->m;
    for (size_t i = (size_t)y0 * m->w; i < (size_t)y1 * m->w; i++) {
        float d = m->depth[i] - c->raw[i];
        c->r2[i] = d * d;
        m->depth[i] -= m->hs[i];
    }
}

static int roughness(const st_detect_input *in, scar_maps *m, const float *raw, int threads)
{
    float *r2 = st_det_get(in, m->w, m->h);
    if (!r2)
        return ST_ENOMEM;
    rough_ctx rc2 = {m, raw, r2};
    st_parallel_for(threads, m->h, 64, rough_rows, &rc2);
    int cw, ch;
    float *r2c = st_det_pyr_down(r2, m->w, m->h, m->levels, &cw, &ch, threads);
    float *tmp = st_det_alloc(cw, ch);
    int rc = (r2c && tmp) ? ST_OK : ST_ENOMEM;
    if (!rc)
        rc = st_det_masked_blur(r2c, m->wt_c, r2c, tmp, cw, ch, m->sigma_ref_c, threads);
    if (!rc) {
        for (size_t i = 0; i < (size_t)cw * ch; i++)
            r2c[i] = sqrtf(fmaxf(r2c[i], 0.0f));
        rc = st_det_pyr_up(r2c, cw, ch, m->levels, m->rough, m->w, m->h, threads);
    }
    st_det_put(in, r2);
    st_aligned_free(r2c);
    st_aligned_free(tmp);
    return rc;
}

int scar_build_maps(const st_detect_input *in, double floor_depth, int threads, scar_maps *m)
{
    memset(m, 0, sizeof *m);
    m->w = in->surface->width;
    m->h = in->surface->height;
    m->pmm = st_det_pixel_mm(in);
    double sref_px = m->pmm > 0 ? REF_SIGMA_MM / m->pmm : 40.0;
    while (sref_px / (double)(1 << m->levels) > 8.0 && (m->w >> (m->levels + 1)) >= 8 &&
           (m->h >> (m->levels + 1)) >= 8)
        m->levels++;
    m->sigma_ref_c = sref_px / (double)(1 << m->levels);
    const float *raw = m->raw = st_det_surface(in, &m->raw_copy);
    m->hs = st_det_get(in, m->w, m->h);
    m->depth = st_det_get(in, m->w, m->h);
    m->rough = st_det_get(in, m->w, m->h);
    float *roi_c = roi_weights(in, m->w, m->h, m->levels, &m->cw, &m->ch, threads);
    int rc = (raw && m->hs && m->depth && m->rough && roi_c) ? ST_OK : ST_ENOMEM;
    if (!rc) {
        m->wt_c = st_det_alloc(m->cw, m->ch);
        m->dep_c = calloc((size_t)m->cw * m->ch, 1);
        m->dc_bin = calloc((size_t)m->cw * m->ch, 1);
        m->dc = st_det_alloc(m->cw, m->ch);
        m->dc_thr = st_det_alloc(m->cw, m->ch);
        m->dc_rough = st_det_alloc(m->cw, m->ch);
        m->dcv = st_det_alloc(m->cw, m->ch);
    }
    if (!rc && (!m->wt_c || !m->dep_c || !m->dc_bin || !m->dc || !m->dc_thr || !m->dc_rough ||
                !m->dcv))
        rc = ST_ENOMEM;
    if (!rc) {
        /* Denoise for the depth map (max depth is an extreme: pixel noise
         * would bias it up), about 30 µm of lateral smoothing. */
        double ss = m->pmm > 0 ? fmax(0.6, 0.03 / m->pmm) : 0.8;
        rc = st_gaussian_blur(raw, (size_t)m->w, m->hs, (size_t)m->w, m->w, m->h, ss, threads);
    }
    if (!rc)
        rc = reference(m, roi_c, floor_depth, threads);
    if (!rc)
        rc = roughness(in, m, raw, threads);
    st_aligned_free(roi_c);
    return rc;
}

