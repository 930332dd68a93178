/* Atrophic scars and stretch marks: depressions 0.5-10 mm below the
 * surrounding skin (SPEC.md "Scar depth"); the reference surface, the depth
 * and the roughness are made in scar_surface.c.
 *
 * A scar is a connected region deeper than max(30 µm, 3 x local roughness)
 * of at least pi * 0.25^2 mm^2 (SPEC.md): its count, area and mean depth are
 * those of that region. The depth is read at two scales: at full resolution
 * (30 µm smoothing) and at the scale of a scar (0.5 mm, each scale against
 * the roughness the skin has at that scale); a region at the scar scale
 * that the texture breaks into small pieces at full resolution (a wide,
 * shallow rolling scar) is taken whole.
 *
 * Volume (and only the volume): over the scar's whole depression, not
 * only over the region deeper than the threshold. The region is grown
 * outwards down the shoulders (which lie less than the threshold deep)
 * until the depression meets the skin's texture (depression_volumes), and
 * the depth is summed there with its sign, so the skin taken in adds
 * zero-mean texture, not bias. This is what a clinician means by a scar's
 * volume (what a filler would fill) and what the generator's truth
 * integrates; over the thresholded region alone the volume of a scar that
 * gets shallower falls faster than its depth, as its shoulders drop under
 * the threshold, so a treatment course would overstate the improvement
 * (issue #8: -41 % measured for scars 34 % shallower). On photos the
 * depth is a luminance index and so is the volume ("rel"); scar_photo.c
 * checks photo candidates for a depression's shading.
 *
 * The maximum is read after smoothing at a tenth of the scar's radius
 * (less below 1 mm), so that the roughness on its floor does not raise it.
 * Classes follow Jacob, Dover & Kaminer (JAAD 45(1), 2001): icepick < 2 mm,
 * boxcar with steep walls, rolling with sloping ones; elongated regions are
 * stretch marks. */
#define _DEFAULT_SOURCE /* M_PI */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "metrics/detect_internal.h"
#include "metrics/scar_photo.h"
#include "metrics/scar_surface.h"
#include "simd/kernels.h"

#define MIN_WIDTH_MM 0.4      /* narrower depressions are lines (wrinkles) */
#define STEEP_WALL 2.2        /* steepness above which walls count as vertical */
#define STRETCH_ELONGATION 3.0
#define WIDE_SHARE 0.5        /* below this share of fine pixels a region is one wide scar */
#define VOL_MARGIN 1.0        /* depression: at least the region + this x its radius */
#define GROW_MAX 2.0          /* ... at most the region + this x its radius */
#define GROW_LEVEL 1.0        /* ... while its rings are deeper than this x the skin RMS */

typedef struct region {
    double n, sx, sy, sxx, syy, sxy, sum_d, max_d, grad_sum, grad_n;
    double steep; /* > 0: wall steepness read at the scar scale */
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

/* Wide shallow scars (see scar_surface.c, coarse_scale): a region at the
 * scar scale whose cells hold fewer fine scar pixels than WIDE_SHARE of its
 * area is one scar that the skin's texture broke up at full resolution; it
 * replaces the fragments inside it, its pixels being those where the
 * (upsampled) scar-scale depth exceeds its threshold. Labels nl+1.. */
static int wide_scars(const st_detect_input *in, const scar_maps *m, unsigned char *bin,
                      int32_t *lab, int *nl, double min_area_px, st_err *err)
{
    int cw = m->cw, ch = m->ch, L = m->levels, ncl = 0;
    size_t nc = (size_t)cw * ch;
    int32_t *cl = malloc(nc * sizeof *cl);
    if (!cl)
        return st_err_set(err, ST_ENOMEM, "scars: out of memory for the scar scale");
    int rc = st_det_label8(m->dc_bin, cw, ch, cl, &ncl, err);
    double *cells = calloc((size_t)ncl + 1, sizeof *cells), *fine = calloc((size_t)ncl + 1, sizeof *fine);
    int32_t *id = calloc((size_t)ncl + 1, sizeof *id);
    st_det_up u = {0};
    if (!rc && (!cells || !fine || !id || st_det_up_init(&u, cw, ch, L, m->w)))
        rc = st_err_set(err, ST_ENOMEM, "scars: out of memory for %d scar-scale regions", ncl);
    double cpx = (double)(1 << L) * (1 << L);
    for (size_t i = 0; i < nc && !rc; i++)
        cells[cl[i]] += cpx;
    /* fine scar pixels under the cells of the regions (only there) */
    for (int cy = 0; cy < ch && !rc; cy++)
        for (int cx = 0; cx < cw; cx++) {
            int32_t j = cl[(size_t)cy * cw + cx];
            for (int y = cy << L; j && y < ((cy + 1) << L) && y < m->h; y++)
                for (int x = cx << L; x < ((cx + 1) << L) && x < m->w; x++)
                    fine[j] += bin[(size_t)y * m->w + x] != 0;
        }
    int next = *nl;
    for (int j = 1; j <= ncl && !rc; j++)
        if (cells[j] >= min_area_px && fine[j] < WIDE_SHARE * cells[j])
            id[j] = ++next;
    /* The region's cells and their neighbours (where the upsampled depth
     * may still cross the threshold: else the outline follows the cells). */
    for (int cy = 0; cy < ch && !rc; cy++)
        for (int cx = 0; cx < cw; cx++) {
            int32_t j = id[cl[(size_t)cy * cw + cx]];
            for (int q = 0; q < 9 && !j; q++) {
                int xx = cx + q % 3 - 1, yy = cy + q / 3 - 1;
                if (xx >= 0 && yy >= 0 && xx < cw && yy < ch)
                    j = id[cl[(size_t)yy * cw + xx]];
            }
            for (int y = cy << L; j && y < ((cy + 1) << L) && y < m->h; y++)
                for (int x = cx << L; x < ((cx + 1) << L) && x < m->w; x++) {
                    size_t i = (size_t)y * m->w + x;
                    int on = st_det_inside(in, x, y) &&
                             st_det_up_at(&u, m->dc, x, y) > st_det_up_at(&u, m->dc_thr, x, y);
                    if (on || id[cl[(size_t)cy * cw + cx]]) {
                        bin[i] = (unsigned char)on;
                        lab[i] = on ? j : 0;
                    }
                }
        }
    *nl = next;
    st_det_up_free(&u);
    free(cl);
    free(cells);
    free(fine);
    free(id);
    return rc;
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

/* Wall steepness of the scar-scale regions (labels first..nl) from the
 * scar-scale depth, as region_moments reads it at full resolution (mean
 * slope where the depth is 20-80 % of its maximum, x radius / maximum):
 * at full resolution the texture's own slopes would make every wide
 * rolling scar look steep-walled. Every 4th pixel each way. */
static int wide_steepness(const scar_maps *m, const int32_t *lab, region *r, int first, int nl)
{
    st_det_up u = {0};
    if (first >= nl)
        return ST_OK;
    if (st_det_up_init(&u, m->cw, m->ch, m->levels, m->w))
        return ST_ENOMEM;
    for (int pass = 0; pass < 2; pass++)
        for (int i = first; i < nl; i++)
            for (int y = r[i].y0 + 1; r[i].n > 0 && y < r[i].y1 && y + 1 < m->h; y += 4)
                for (int x = r[i].x0 + 1; x < r[i].x1 && x + 1 < m->w; x += 4) {
                    if (lab[(size_t)y * m->w + x] != i + 1)
                        continue;
                    double d = st_det_up_at(&u, m->dc, x, y);
                    if (!pass) {
                        r[i].steep = fmin(r[i].steep, -d); /* -max, kept negative */
                        continue;
                    }
                    double mx = -r[i].steep;
                    if (d < 0.2 * mx || d > 0.8 * mx)
                        continue;
                    double gx = 0.5 * (st_det_up_at(&u, m->dc, x + 1, y) - st_det_up_at(&u, m->dc, x - 1, y));
                    double gy = 0.5 * (st_det_up_at(&u, m->dc, x, y + 1) - st_det_up_at(&u, m->dc, x, y - 1));
                    r[i].grad_sum += sqrt(gx * gx + gy * gy);
                    r[i].grad_n += 1;
                }
    for (int i = first; i < nl; i++) {
        double mx = -r[i].steep;
        r[i].steep = r[i].grad_n > 0 && mx > 0 ? (r[i].grad_sum / r[i].grad_n) * sqrt(r[i].n / M_PI) / mx : 0.0;
    }
    st_det_up_free(&u);
    return ST_OK;
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
static int describe(const region *g, double pmm, double min_area_px, double min_width_mm,
                    double depth_to_mm, st_scar *s)
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
    if (pmm > 0 && wid < min_width_mm)
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
    s->steepness = g->steep > 0    ? g->steep
                   : g->grad_n > 0 ? (g->grad_sum / g->grad_n) * r_eq / g->max_d
                                   : 0.0;
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

/* Each scar's depression on the coarse grid: the cells nearest to it (own,
 * by chamfer distance dist) out to the first ring (1 cell wide) whose mean
 * depth at the scar scale no longer exceeds GROW_LEVEL x the skin's RMS
 * there, that ring included (the rim), for at least margin[l] and at most
 * allow[l] cells. Whole rings are judged: choosing cells by their own depth
 * would pick the texture's valleys and bias the volume up. */
static int depression_extent(const scar_maps *m, int32_t *own, const float *dist,
                             const float *allow, const float *margin, size_t n)
{
    size_t nc = (size_t)m->cw * m->ch;
    int rings = 0;
    for (size_t l = 1; l <= n; l++)
        rings = (int)fmax(rings, ceil(fmax(allow[l], margin[l])) + 1);
    double *sd = calloc((n + 1) * (size_t)rings, sizeof *sd);
    double *sr = calloc((n + 1) * (size_t)rings, sizeof *sr);
    float *stop = malloc((n + 1) * sizeof *stop);
    if (!sd || !sr || !stop) {
        free(sd);
        free(sr);
        free(stop);
        return ST_ENOMEM;
    }
    for (size_t i = 0; i < nc; i++)
        if (own[i] && dist[i] > 0) {
            size_t k = (size_t)own[i] * rings + (size_t)fmin(rings - 1, ceil(dist[i]) - 1);
            sd[k] += m->dc[i];
            sr[k] += m->dc_rough[i];
        }
    for (size_t l = 1; l <= n; l++) {
        stop[l] = fmaxf(allow[l], margin[l]);
        for (int k = 0; k < rings; k++)
            if (k + 1 >= margin[l] && sd[l * rings + k] <= GROW_LEVEL * sr[l * rings + k]) {
                stop[l] = fminf(stop[l], fmaxf((float)(k + 1), margin[l]));
                break;
            }
    }
    for (size_t i = 0; i < nc; i++)
        if (own[i] && dist[i] > stop[own[i]])
            own[i] = 0;
    free(sd);
    free(sr);
    free(stop);
    return ST_OK;
}

/* Volume of each scar over its whole depression, not only over the region
 * deeper than the threshold (see the file comment): on the reference's
 * coarse grid, the cells nearest to the scar (a cell goes to the nearest
 * scar) out to where its rings stop being deeper than the skin's roughness
 * at the scar scale (depression_extent), the depth summed with its sign
 * over their ROI pixels. */
static int depression_volumes(const st_detect_input *in, const scar_maps *m,
                              const int32_t *lab, const region *r, int nl, const int32_t *remap,
                              st_scar *sc, size_t n, st_err *err)
{
    if (!n)
        return ST_OK;
    int cw = m->cw, ch = m->ch, L = m->levels;
    size_t nc = (size_t)cw * ch;
    int32_t *seed = calloc(nc, sizeof *seed), *own = malloc(nc * sizeof *own);
    float *allow = calloc(n + 1, sizeof *allow), *margin = calloc(n + 1, sizeof *margin);
    float *lim = calloc(n + 1, sizeof *lim), *dist = malloc(nc * sizeof *dist);
    double *vol = calloc(n + 1, sizeof *vol);
    int rc = (seed && own && allow && margin && lim && dist && vol) ? ST_OK : ST_ENOMEM;
    /* the kept regions' boxes only: the label image is mostly empty */
    for (int i = 0; i < nl && !rc; i++)
        for (int y = r[i].y0; remap[i] && y <= r[i].y1; y++)
            for (int x = r[i].x0; x <= r[i].x1; x++)
                if (lab[(size_t)y * m->w + x] == i + 1)
                    seed[(size_t)(y >> L) * cw + (x >> L)] = remap[i];
    double unit = m->pmm > 0 ? m->pmm : 1.0, cell = (double)(1 << L);
    for (size_t k = 0; k < n && !rc; k++)
    for (size_t k = 0; k < n && !rc; k++) {
        double r_eq = sqrt(sc[k].area_mm2 / (unit * unit) / M_PI) / cell;
        allow[k + 1] = (float)(GROW_MAX * r_eq);
        margin[k + 1] = (float)fmax(1.0, VOL_MARGIN * r_eq);
    }
    for (size_t k = 1; k <= n && !rc; k++)
        lim[k] = fmaxf(allow[k], margin[k]) + 1.0f;
    if (!rc)
        rc = scar_grow(seed, cw, ch, lim, own, dist);
    if (!rc)
        rc = depression_extent(m, own, dist, allow, margin, n);
    for (size_t i = 0; i < nc && !rc; i++)
        if (own[i])
            vol[own[i]] += m->dcv[i];
    double depth_to_mm = (in->unit == ST_UNIT_UM && in->modality != ST_DETECT_PHOTO) ? 1e-3 : 1.0;
    for (size_t k = 0; k < n && !rc; k++)
        sc[k].volume_mm3 = vol[k + 1] * depth_to_mm * unit * unit;
    free(seed);
    free(own);
    free(allow);
    free(margin);
    free(lim);
    free(dist);
    free(vol);
    return rc ? st_err_set(err, rc, "scars: out of memory for the depressions") : ST_OK;
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

/* SPEC.md's smallest scar area in pixels. */
static double min_area_px(const scar_maps *m)
{
    return m->pmm > 0 ? M_PI * MIN_RADIUS_MM * MIN_RADIUS_MM / (m->pmm * m->pmm)
                      : M_PI * 5.0 * 5.0; /* uncalibrated: 5 px radius */
}

/* Scars among the nl labelled regions, into sc (remap: label -> scar
 * number, 0 = not a scar); returns their count. */
static size_t collect_scars(const st_detect_input *in, const scar_maps *m,
                            const scar_light *light, int32_t *lab, region *r, int nl, st_scar *sc, int32_t *remap, double *reg_sum,
                            double *sum_d, double *n_px)
{
    double min_area = min_area_px(m), unit = m->pmm > 0 ? m->pmm : 1.0;
    /* Depth x area in mm^3 needs depth in mm: µm -> mm on height maps. */
    double depth_to_mm = (in->unit == ST_UNIT_UM && in->modality != ST_DETECT_PHOTO) ? 1e-3 : 1.0;
    /* On a photo under a directional light a depression's dark wall is
     * about half of it: SPEC's smallest area (and the width of a line) is
     * judged on the whole depression, the dark wall and the bright wall
     * that scar_photo_check joins, so a scar that gets shallower does not
     * vanish when its dark half falls under the minimum. */
    int halves = in->modality == ST_DETECT_PHOTO && light->directional;
    double pre_area = halves ? 0.5 * min_area : min_area;
    double pre_width = halves ? 0.5 * MIN_WIDTH_MM : MIN_WIDTH_MM;
    size_t n = 0;
    for (int i = 0; i < nl; i++) {
        if (r[i].n < pre_area)
            continue;
        /* Smoothing for the maximum: a tenth of the radius, less for scars
         * under 1 mm in radius, whose narrow (icepick) tips it would cut. */
        double r_px = sqrt(r[i].n / M_PI), r1_px = m->pmm > 0 ? 1.0 / m->pmm : 50.0;
        r[i].max_d = smoothed_max(m, lab, i + 1, &r[i], fmax(0.5, 0.1 * r_px * fmin(1.0, r_px / r1_px)));
        if (!describe(&r[i], m->pmm, pre_area, pre_width, depth_to_mm, &sc[n]))
            continue;
        double a0 = sc[n].area_mm2;
        int box[4] = {r[i].x0, r[i].y0, r[i].x1, r[i].y1};
        if (in->modality == ST_DETECT_PHOTO && !scar_photo_check(in, m, light, lab, i + 1, box, &sc[n]))
            continue;
        if (halves && (sc[n].area_mm2 / (unit * unit) < min_area ||
                       (a0 == sc[n].area_mm2 &&
                        (r[i].n < min_area || (m->pmm > 0 && sc[n].width_mm < MIN_WIDTH_MM)))))
            continue; /* too small as a whole, or no bright wall and too small alone */
        remap[i] = (int32_t)(n + 1);
        reg_sum[n] = r[i].sum_d;
        *sum_d += r[i].sum_d;
        *n_px += r[i].n + (sc[n].area_mm2 - a0) / (unit * unit);
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
    rc = scar_build_maps(in, floor_depth, threads, &m);
    if (rc) {
        scar_maps_free(in, &m);
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
    double *reg_sum = NULL;
    int nl = 0;
    if (!bin || !lab) {
        rc = st_err_set(err, ST_ENOMEM, "scars: out of memory for %dx%d", m.w, m.h);
        goto done;
    }
    rc = st_det_label8(bin, m.w, m.h, lab, &nl, err);
    /* On photos the scar scale shows relief only under a directional
     * light; under diffuse light its dark patches are the skin's tone. */
    scar_light light = {0};
    if (in->modality == ST_DETECT_PHOTO)
        scar_photo_light(&m, &light);
    int nl_fine = nl;
    if (!rc && (in->modality != ST_DETECT_PHOTO || light.directional))
        rc = wide_scars(in, &m, bin, lab, &nl, min_area_px(&m), err);
    if (rc)
        goto done;
    r = calloc((size_t)nl + 1, sizeof *r);
    sc = malloc(((size_t)nl + 1) * sizeof *sc);
    remap = calloc((size_t)nl + 1, sizeof *remap);
    reg_sum = calloc((size_t)nl + 1, sizeof *reg_sum);
    if (!r || !sc || !remap || !reg_sum) {
        rc = st_err_set(err, ST_ENOMEM, "scars: out of memory for %d regions", nl);
        goto done;
    }
    region_moments(&m, bin, lab, r);
    for (int i = nl_fine; i < nl; i++) {
        r[i].grad_sum = r[i].grad_n = 0;
        r[i].steep = 0;
    }
    if (wide_steepness(&m, lab, r, nl_fine, nl)) {
        rc = st_err_set(err, ST_ENOMEM, "scars: out of memory for the wall slopes");
        goto done;
    }
    double sum_d = 0, n_px = 0;
    size_t n = collect_scars(in, &m, &light, lab, r, nl, sc, remap, reg_sum, &sum_d, &n_px);
    rc = depression_volumes(in, &m, lab, r, nl, remap, sc, n, err);
    if (!rc)
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
    free(reg_sum);
    scar_maps_free(in, &m);
    st_det_pool_end(in, &local);
    return rc;
}
