/* Atrophic scars and stretch marks: depressions 0.5-10 mm below the
 * surrounding skin (SPEC.md "Scar depth").
 *
 * Reference surface: the skin bridged over depressions, by iterated
 * normalised convolution (Knutsson & Westin 1993) on a mean pyramid: a wide
 * Gaussian average of the surface in which the pixels found below the
 * reference are given zero weight, re-estimated until the excluded set
 * settles. Unlike a morphological closing it does not ride on the roughness
 * peaks, so scar-free skin has zero mean depth. depth = reference - height.
 * Local roughness: the RMS of the depth of the skin (scars excluded) in the
 * same window. A scar is a connected region deeper than max(30 µm, 3 x local
 * roughness) of at least pi * 0.25^2 mm^2 (SPEC.md): its area and volume are
 * those of that region, so a scar's shallow rim (above the threshold) is
 * not counted, as the definition says. The maximum is read
 * after smoothing at a tenth of the scar's radius (less below 1 mm), so that the roughness on
 * its floor does not raise it. Classes follow Jacob, Dover & Kaminer
 * (JAAD 45(1), 2001): icepick < 2 mm, boxcar with steep walls, rolling with
 * sloping ones; elongated regions are stretch marks. */
#define _DEFAULT_SOURCE /* M_PI */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "metrics/detect_internal.h"
#include "simd/kernels.h"

#define REF_SIGMA_MM 2.0      /* reference window */
#define MIN_DEPTH_UM 30.0     /* SPEC.md */
#define ROUGH_FACTOR 3.0      /* SPEC.md */
#define MIN_RADIUS_MM 0.25    /* SPEC.md: area >= pi 0.25^2 mm^2 */
#define MIN_WIDTH_MM 0.4      /* narrower depressions are lines (wrinkles) */
#define STEEP_WALL 2.2        /* steepness above which walls count as vertical */
#define STRETCH_ELONGATION 3.0

typedef struct scar_maps {
    int w, h, levels, cw, ch;
    double pmm, sigma_ref_c; /* reference sigma in coarse pixels */
    float *hs;     /* lightly smoothed surface */
    float *depth;  /* reference - hs */
    float *rough;  /* local RMS roughness */
    const float *raw; /* the surface as given (packed) */
    float *raw_copy;  /* raw when the surface's rows are not packed */
    float *wt_c;   /* coarse weights: ROI, scars excluded */
} scar_maps;

static void maps_free(const st_detect_input *in, scar_maps *m)
{
    st_det_put(in, m->hs);
    st_det_put(in, m->depth);
    st_det_put(in, m->rough);
    st_det_put(in, m->raw_copy);
    st_aligned_free(m->wt_c);
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
        /* Exclude what lies clearly below the reference, and its 8
         * neighbours (the walls), from the next average. */
        for (size_t i = 0; i < nc; i++)
            tmp[i] = (ref[i] - hc[i] > t) ? 1.0f : 0.0f;
        for (int y = 0; y < ch; y++)
            for (int x = 0; x < cw; x++) {
                int ex = 0;
                for (int dy = -1; dy <= 1 && !ex; dy++)
                    for (int dx = -1; dx <= 1 && !ex; dx++) {
                        int xx = x + dx, yy = y + dy;
                        ex = xx >= 0 && yy >= 0 && xx < cw && yy < ch && tmp[(size_t)yy * cw + xx] > 0;
                    }
                m->wt_c[(size_t)y * cw + x] = ex ? 0.0f : roi_c[(size_t)y * cw + x];
            }
    }
    if (!rc) {
        for (size_t i = 0; i < nc; i++)
            hc[i] += quad[i];
        remove_quadratic(hc, m->wt_c, quad, cw, ch);
        rc = st_det_masked_blur(hc, m->wt_c, ref, tmp, cw, ch, m->sigma_ref_c, threads);
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

static int build_maps(const st_detect_input *in, double floor_depth, int threads, scar_maps *m)
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
    if (!rc)
        m->wt_c = st_det_alloc(m->cw, m->ch);
    if (!rc && !m->wt_c)
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

typedef struct region {
    double n, sx, sy, sxx, syy, sxy, sum_d, max_d, grad_sum, grad_n;
    int x0, y0, x1, y1; /* bounding box, inclusive */
} region;

typedef struct thr_ctx {
    const st_detect_input *in;
    const scar_maps *m;
    double floor_depth;
    unsigned char *bin;
} thr_ctx;

/* Without a mask: fmax(floor, 3 rough) as a select (the same value, NaN
 * roughness included), so that the row vectorises. */
ST_DET_VEC static void thr_row(const float *restrict depth, const float *restrict rough,
                               double floor_depth, unsigned char *restrict bin, int n)
{
    for (int x = 0; x < n; x++) {
        double r3 = ROUGH_FACTOR * rough[x];
        double t = r3 > floor_depth ? r3 : floor_depth;
        bin[x] = depth[x] > t;
    }
}

static void thr_rows(void *arg, int y0, int y1)
{
    const thr_ctx *c = arg;
    const scar_maps *m = c->m;
    for (int y = y0; y < y1 && !c->in->mask; y++) {
        size_t o = (size_t)y * m->w;
        thr_row(m->depth + o, m->rough + o, c->floor_depth, c->bin + o, m->w);
    }
    for (int y = y0; y < y1 && c->in->mask; y++)
        for (int x = 0; x < m->w; x++) {
            size_t i = (size_t)y * m->w + x;
            double t = fmax(c->floor_depth, ROUGH_FACTOR * m->rough[i]);
            c->bin[i] = st_det_inside(c->in, x, y) && m->depth[i] > t;
        }
}

/* The scar mask of SPEC.md: deeper than max(floor, 3 x local roughness). */
static unsigned char *threshold(const st_detect_input *in, const scar_maps *m,
                                double floor_depth, int threads)
{
    unsigned char *bin = st_det_get_bytes(in, (size_t)m->w * m->h);
    if (!bin)
        return NULL;
    thr_ctx c = {in, m, floor_depth, bin};
    st_parallel_for(threads, m->h, 64, thr_rows, &c);
    return bin;
}

/* Moments of every region (the mask's set bytes are scanned, labels read
 * only there: the mask is sparse). */
static void region_moments(const scar_maps *m, const unsigned char *bin, const int32_t *lab,
                           region *r)
{
    for (int y = 0; y < m->h; y++)
        for (int x = st_det_next_set(bin + (size_t)y * m->w, 0, m->w); x < m->w;
             x = st_det_next_set(bin + (size_t)y * m->w, x + 1, m->w)) {
            size_t i = (size_t)y * m->w + x;
            region *g = &r[lab[i] - 1];
            double d = m->depth[i];
            if (g->n == 0) {
                g->x0 = g->x1 = x;
                g->y0 = g->y1 = y;
            }
            g->x0 = x < g->x0 ? x : g->x0;
            g->x1 = x > g->x1 ? x : g->x1;
            g->y0 = y < g->y0 ? y : g->y0;
            g->y1 = y > g->y1 ? y : g->y1;
            g->n += 1;
            g->sx += x;
            g->sy += y;
            g->sxx += (double)x * x;
            g->syy += (double)y * y;
            g->sxy += (double)x * y;
            g->sum_d += d;
            g->max_d = fmax(g->max_d, d);
        }
    /* Wall slope: mean |grad depth| where depth is 20-80 % of the maximum. */
    for (int y = 1; y + 1 < m->h; y++)
        for (int x = st_det_next_set(bin + (size_t)y * m->w, 1, m->w - 1); x + 1 < m->w;
             x = st_det_next_set(bin + (size_t)y * m->w, x + 1, m->w - 1)) {
            size_t i = (size_t)y * m->w + x;
            region *g = &r[lab[i] - 1];
            double d = m->depth[i];
            if (d < 0.2 * g->max_d || d > 0.8 * g->max_d)
                continue;
            double gx = 0.5 * (m->depth[i + 1] - m->depth[i - 1]);
            double gy = 0.5 * (m->depth[i + m->w] - m->depth[i - m->w]);
            g->grad_sum += sqrt(gx * gx + gy * gy);
            g->grad_n += 1;
        }
}

/* Maximum depth of region `id` after a Gaussian of sigma px over its box. */
static double smoothed_max(const scar_maps *m, const int32_t *lab, int32_t id, const region *g,
                           double sigma)
{
    int pad = (int)ceil(3.0 * sigma) + 1;
    int x0 = g->x0 - pad < 0 ? 0 : g->x0 - pad, y0 = g->y0 - pad < 0 ? 0 : g->y0 - pad;
    int x1 = g->x1 + pad >= m->w ? m->w - 1 : g->x1 + pad;
    int y1 = g->y1 + pad >= m->h ? m->h - 1 : g->y1 + pad;
    int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
    float *patch = st_det_alloc(bw, bh);
    if (!patch)
        return g->max_d;
    /* Unsmoothed depth (reference - surface): the only smoothing is the
     * one chosen here for this scar's size. */
    for (int y = 0; y < bh; y++)
        for (int x = 0; x < bw; x++) {
            size_t i = (size_t)(y0 + y) * m->w + x0 + x;
            patch[(size_t)y * bw + x] = m->depth[i] + m->hs[i] - m->raw[i];
        }
    double mx = g->max_d;
    if (!st_gaussian_blur(patch, (size_t)bw, patch, (size_t)bw, bw, bh, sigma, 1)) {
        mx = -INFINITY;
        for (int y = 0; y < bh; y++)
            for (int x = 0; x < bw; x++)
                if (lab[(size_t)(y0 + y) * m->w + x0 + x] == id)
                    mx = fmax(mx, patch[(size_t)y * bw + x]);
    }
    st_aligned_free(patch);
    return mx;
}

/* Geometry and class of one region; 0 when it is not a scar. */
static int describe(const region *g, double pmm, double min_area_px, double depth_to_mm,
                    st_scar *s)
{
    if (g->n < min_area_px)
        return 0;
    double mx = g->sx / g->n, my = g->sy / g->n;
    double cxx = g->sxx / g->n - mx * mx, cyy = g->syy / g->n - my * my;
    double cxy = g->sxy / g->n - mx * my;
    double tr = 0.5 * (cxx + cyy), dd = sqrt(0.25 * (cxx - cyy) * (cxx - cyy) + cxy * cxy);
    double unit = pmm > 0 ? pmm : 1.0;
    /* Full axes of the ellipse with the same second moments (+1 px for
     * the pixel's own extent). */
    double len = (4.0 * sqrt(tr + dd) + 1.0) * unit, wid = (4.0 * sqrt(fmax(tr - dd, 0.0)) + 1.0) * unit;
    if (pmm > 0 && wid < MIN_WIDTH_MM)
        return 0;
    memset(s, 0, sizeof *s);
    s->x = mx;
    s->y = my;
    s->area_mm2 = g->n * unit * unit;
    s->max_depth = g->max_d;
    s->mean_depth = g->sum_d / g->n;
    s->volume_mm3 = g->sum_d * depth_to_mm * unit * unit;
    s->length_mm = len;
    s->width_mm = wid;
    /* Image y points down: counter-clockwise on screen is -y. */
    s->angle_deg = -0.5 * atan2(2.0 * cxy, cxx - cyy) * 180.0 / M_PI;
    double r_eq = sqrt(g->n / M_PI);
    s->steepness = g->grad_n > 0 ? (g->grad_sum / g->grad_n) * r_eq / g->max_d : 0.0;
    double d_eq = 2.0 * r_eq * unit;
    const char *type;
    if (len / wid >= STRETCH_ELONGATION)
        type = "stretch";
    else if (s->steepness >= STEEP_WALL && (pmm <= 0 || d_eq >= 1.5))
        type = "boxcar";
    else if (pmm > 0 && d_eq < 2.0)
        type = "icepick";
    else
        type = "rolling";
    strcpy(s->type, type);
    return 1;
}

static int put_metrics(const st_detect_input *in, st_metric_set *out, const st_scar *s,
                       size_t n, size_t roi_px, double pmm, double sum_d, double n_px,
                       st_err *err)
{
    int um = in->unit == ST_UNIT_UM && in->modality != ST_DETECT_PHOTO;
    const char *du = um ? "um" : "rel", *au = pmm > 0 ? "mm2" : "px2";
    const char *vu = (um && pmm > 0) ? "mm3" : "rel";
    double area = 0, vol = 0, maxd = 0;
    for (size_t i = 0; i < n; i++) {
        area += s[i].area_mm2;
        vol += s[i].volume_mm3;
        maxd = fmax(maxd, s[i].max_depth);
    }
    int rc = st_metric_set_put(out, "scars.count", (double)n, "", err);
    if (!rc)
        rc = st_metric_set_put(out, "scars.area_mm2", area, au, err);
    if (!rc && roi_px)
        rc = st_metric_set_put(out, "scars.area_fraction", 100.0 * n_px / (double)roi_px, "%", err);
    if (!rc)
        rc = st_metric_set_put(out, "scars.mean_depth", n_px > 0 ? sum_d / n_px : 0.0, du, err);
    if (!rc)
        rc = st_metric_set_put(out, "scars.max_depth", maxd, du, err);
    if (!rc)
        rc = st_metric_set_put(out, "scars.volume", vol, vu, err);
    return rc;
}

/* Keeps the scar regions, renumbered 1..n in the order of dets->scars. */
static void keep_labels(int32_t *lab, size_t npx, const int32_t *remap, st_detections *dets,
                        int w, int h)
{
    for (size_t i = 0; i < npx; i++)
        lab[i] = lab[i] ? remap[lab[i] - 1] : 0;
    free(dets->scar_labels);
    dets->scar_labels = lab;
    dets->labels_width = w;
    dets->labels_height = h;
}

/* Scars among the nl labelled regions, into sc (remap: label -> scar
 * number, 0 = not a scar); returns their count. */
static size_t collect_scars(const st_detect_input *in, const scar_maps *m, const int32_t *lab,
                            region *r, int nl, st_scar *sc, int32_t *remap, double *sum_d,
                            double *n_px)
{
    double unit = m->pmm > 0 ? m->pmm : 1.0;
    double min_area_px = m->pmm > 0 ? M_PI * MIN_RADIUS_MM * MIN_RADIUS_MM / (unit * unit)
                                    : M_PI * 5.0 * 5.0; /* uncalibrated: 5 px radius */
    /* Depth x area in mm^3 needs depth in mm: µm -> mm on height maps. */
    double depth_to_mm = (in->unit == ST_UNIT_UM && in->modality != ST_DETECT_PHOTO) ? 1e-3 : 1.0;
    size_t n = 0;
    for (int i = 0; i < nl; i++) {
        if (r[i].n < min_area_px)
            continue;
        /* Smoothing for the maximum: a tenth of the radius, less for scars
         * under 1 mm in radius, whose narrow (icepick) tips it would cut. */
        double r_px = sqrt(r[i].n / M_PI), r1_px = m->pmm > 0 ? 1.0 / m->pmm : 50.0;
        r[i].max_d = smoothed_max(m, lab, i + 1, &r[i], fmax(0.5, 0.1 * r_px * fmin(1.0, r_px / r1_px)));
        if (!describe(&r[i], m->pmm, min_area_px, depth_to_mm, &sc[n]))
            continue;
        remap[i] = (int32_t)(n + 1);
        *sum_d += r[i].sum_d;
        *n_px += r[i].n;
        n++;
    }
    return n;
}

int st_scars_detect(const st_detect_input *in0, int threads, int keep_labels_map,
                    st_metric_set *out, st_detections *dets, st_err *err)
{
    int rc = st_det_check_input(in0, "scars", err);
    if (rc)
        return rc;
    st_detect_input local;
    const st_detect_input *in = st_det_pool_begin(in0, &local);
    /* SPEC.md's 30 µm floor on height maps; on photos a 1 % luminance floor
     * keeps flawless synthetic skin (zero roughness) from yielding scars. */
    double floor_depth = in->modality == ST_DETECT_PHOTO ? 0.01
                         : in->unit == ST_UNIT_UM       ? MIN_DEPTH_UM
                                                         : 1e-6;
    scar_maps m;
    rc = build_maps(in, floor_depth, threads, &m);
    if (rc) {
        maps_free(in, &m);
        st_det_pool_end(in, &local);
        return st_err_set(err, rc, "scars: reference surface failed (%s)", st_status_name(rc));
    }
    size_t npx = (size_t)m.w * m.h;
    unsigned char *bin = threshold(in, &m, floor_depth, threads);
    /* a label image handed on to dets is the caller's (malloc); else pooled */
    int hand_on = keep_labels_map && dets;
    int32_t *lab = hand_on ? malloc(npx * sizeof *lab) : st_det_get_bytes(in, npx * sizeof *lab);
    region *r = NULL;
    st_scar *sc = NULL;
    int32_t *remap = NULL;
    int nl = 0;
    if (!bin || !lab) {
        rc = st_err_set(err, ST_ENOMEM, "scars: out of memory for %dx%d", m.w, m.h);
        goto done;
    }
    rc = st_det_label8(bin, m.w, m.h, lab, &nl, err);
    if (rc)
        goto done;
    r = calloc((size_t)nl + 1, sizeof *r);
    sc = malloc(((size_t)nl + 1) * sizeof *sc);
    remap = calloc((size_t)nl + 1, sizeof *remap);
    if (!r || !sc || !remap) {
        rc = st_err_set(err, ST_ENOMEM, "scars: out of memory for %d regions", nl);
        goto done;
    }
    region_moments(&m, bin, lab, r);
    double sum_d = 0, n_px = 0;
    size_t n = collect_scars(in, &m, lab, r, nl, sc, remap, &sum_d, &n_px);
    rc = put_metrics(in, out, sc, n, st_det_roi_count(in), m.pmm, sum_d, n_px, err);
    if (!rc && dets) {
        free(dets->scars);
        dets->scars = sc;
        dets->n_scars = n;
        sc = NULL;
        if (keep_labels_map) {
            keep_labels(lab, npx, remap, dets, m.w, m.h);
            lab = NULL;
        }
    }
done:
    st_det_put(in, (float *)bin);
    if (hand_on)
        free(lab);
    else
        st_det_put(in, (float *)lab);
    free(r);
    free(sc);
    free(remap);
    maps_free(in, &m);
    st_det_pool_end(in, &local);
    return rc;
}
