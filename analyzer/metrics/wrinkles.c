/* Wrinkles and fine lines: dark (low) lines 0.05-1 mm wide.
 *
 * Valley measure from the Hessian of the Gaussian-smoothed surface at
 * several scales (Frangi et al., "Multiscale vessel enhancement filtering",
 * MICCAI 1998; here the simpler line measure sigma^2 (l1 - |l2|) for l1 > 0,
 * which is zero on round blobs such as pores and on flat or planar skin).
 * Each scale's response is divided by its robust noise level; the best scale
 * per pixel gives the orientation. Hysteresis (Canny 1986) keeps lines that
 * reach 5 noise SDs somewhere and follows them down to 1.5; non-maximum
 * suppression across the line, thinned to 8-connected, gives centre lines.
 * Length counts each centre-line pixel as 1 / max(|cos t|, |sin t|) pixels
 * along the local direction t, which is exact for digital straight lines;
 * width and depth are read across the line on the surface (full width at
 * half depth). Dark arcs that close around a blob (scar walls under
 * directional light) are not lines (is_arc).
 *
 * Photos under a lamp whose side the shading shows: a groove is a
 * dark/bright pair, not a dark line; the pair filter of wrinkle_photo.c
 * gives the maps, photo_line and the functions before it measure the
 * lines (README, "Wrinkles on photos"). */
#define _DEFAULT_SOURCE /* M_PI */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"
#include "metrics/detect_internal.h"
#include "metrics/lamp.h"
#include "metrics/wrinkle_maps.h"
#include "metrics/wrinkle_photo.h"
#include "simd/kernels.h"

#define T_HIGH 5.0
#define T_LOW 1.5
#define MIN_LEN_MM 0.5
#define SIDE_BALANCE 0.35 /* smaller / larger rise of the two sides of a valley */
#define MIN_COHERENCE 0.8 /* |mean of exp(2i theta)|: a line turning by < ~65 deg */
#define MAX_OFF_LINE 0.05 /* centroid off the line, in lengths: an arc */
/* Photos under a directional lamp (wrinkle_photo.c): hysteresis on the
 * pair filter's SNR, the shortest line kept, and the pair test across it
 * (photo_profile). */
#define MIN_SIDE_SKEW 0.1 /* lamp.c's side_skew: generated lit skin -0.19 to -0.87, dark
                            lines under diffuse light (test_wrinkles) within 0.02 */
#define P_HIGH 5.0
#define P_LOW 2.5
#define P_MIN_LEN_MM 4.5
#define PAIR_BALANCE 0.2 /* smaller / larger of the dark and the bright side */
#define STEP_MAX 0.5     /* far sides' difference / the pair's swing: an edge */
#define P_MIN_PAIRS 0.35
#define SPUR_DEG 30.0
#define TRIM_MM 1.0      /* half-window of the contrast along a line where its ends are cut */
#define NEAR_MM 0.5     /* a line this close to a baseline's line is that line */
#define TRIM_LEVEL 0.35  /* ... where it falls below this share of the line's contrast */
#define PAIR_AT_MM 0.15  /* the pair's contrast is read 0.5-1.5 x this far from the centre */ /* share of a line's length where the pair test holds */

/* Line direction at pixel i (rad, counter-clockwise on screen from +x): the
 * l1 eigenvector is across the line, at 0.5 atan2(2b, a - c) in image axes
 * (y down); the line runs at +90 degrees, and y down flips the sign. */
static inline double line_theta(const struct line_maps *m, size_t i)
{
    return -(0.5 * atan2(m->h2b[i], m->hamc[i]) + M_PI_2);
}

/* Unit normal across the line at pixel i (the l1 eigenvector, image axes),
 * by half-angle identities instead of trigonometric calls (this runs on
 * every candidate pixel). */
static inline void line_normal(const struct line_maps *m, size_t i, double *nx, double *ny)
{
    double c2 = m->hamc[i], s2 = m->h2b[i], r = hypot(c2, s2);
    if (r <= 0) {
        *nx = 1.0;
        *ny = 0.0;
        return;
    }
    c2 /= r;
    *nx = sqrt(fmax(0.0, 0.5 * (1.0 + c2)));
    *ny = copysign(sqrt(fmax(0.0, 0.5 * (1.0 - c2))), s2);
}

/* Row bands of the hysteresis and centre-line passes (core/parallel.h):
 * each row's result depends on that row's inputs only. */
typedef struct cl_ctx {
    const st_detect_input *in;
    const line_maps *m;
    unsigned char *bin, *keep;
    float lo, hi; /* hysteresis thresholds */
} cl_ctx;

/* Weak pixels (1): SNR above T_LOW inside the ROI; strong ones (2) reach
 * T_HIGH. */
ST_DET_VEC static void weak_row(const float *restrict snr, unsigned char *restrict b, int n,
                                float lo, float hi)
{
    for (int x = 0; x < n; x++)
        b[x] = (unsigned char)((snr[x] > lo) * (1 + (snr[x] >= hi)));
}

static void weak_rows(void *arg, int y0, int y1)
{
    const cl_ctx *c = arg;
    const line_maps *m = c->m;
    int f = 1 << m->level, W = c->in->surface->width, H = c->in->surface->height;
    for (int y = y0; y < y1 && !c->in->mask; y++) /* no ROI: the row vectorises */
        weak_row(m->snr + (size_t)y * m->w, c->bin + (size_t)y * m->w, m->w, c->lo, c->hi);
    for (int y = y0; y < y1 && c->in->mask; y++) {
        int fy = y * f + f / 2;
        fy = fy < H ? fy : H - 1;
        const float *snr = m->snr + (size_t)y * m->w;
        unsigned char *b = c->bin + (size_t)y * m->w;
        for (int x = 0; x < m->w; x++) {
            int fx = x * f + f / 2;
            fx = fx < W ? fx : W - 1;
            b[x] = (unsigned char)((snr[x] > c->lo && st_det_inside(c->in, fx, fy)) *
                                   (1 + (snr[x] >= c->hi)));
        }
    }
}

/* Centre lines: pixels of the mask whose response is a maximum across the
 * line (non-maximum suppression along the normal, as Canny 1986 does for
 * edges; Steger 1998 for lines), one pixel wide and without the spurs that
 * thinning leaves at the ends. */
static void nms_rows(void *arg, int y0, int y1)
{
    const cl_ctx *c = arg;
    const line_maps *m = c->m;
    for (int y = y0; y < y1; y++) {
        const unsigned char *bin = c->bin + (size_t)y * m->w;
        memset(c->keep + (size_t)y * m->w, 0, (size_t)m->w);
        for (int x = st_det_next_set(bin, 0, m->w); x < m->w; x = st_det_next_set(bin, x + 1, m->w)) {
            size_t i = (size_t)y * m->w + x;
            double nx, ny;
            line_normal(m, i, &nx, &ny);
            float r = m->best[i];
            float a = st_sample_bilinear(m->best, (size_t)m->w, m->w, m->h, x + nx, y + ny, 0.0f);
            float b = st_sample_bilinear(m->best, (size_t)m->w, m->w, m->h, x - nx, y - ny, 0.0f);
            c->keep[i] = r >= a && r > b;
        }
    }
}

/* Number of 8-connected groups among the set neighbours of (x, y) (the
 * pixel itself left out), and how many neighbours are set. The ring is
 * walked N, NE, E, SE, S, SW, W, NW; a 4-neighbour joins the groups of the
 * ring positions beside it (diagonals touch their two 4-neighbours). */
static int ring_groups(const unsigned char *k, int w, int h, int x, int y, int *count)
{
    static const int dx[8] = {0, 1, 1, 1, 0, -1, -1, -1}, dy[8] = {-1, -1, 0, 1, 1, 1, 0, -1};
    int v[8], n = 0;
    for (int i = 0; i < 8; i++) {
        int xx = x + dx[i], yy = y + dy[i];
        v[i] = xx >= 0 && yy >= 0 && xx < w && yy < h && k[(size_t)yy * w + xx];
        n += v[i];
    }
    *count = n;
    /* groups: runs of set ring positions, where a diagonal (odd i) gap
     * between two set 4-neighbours does not split them (they touch) */
    int groups = 0;
    for (int i = 0; i < 8; i++) {
        if (!v[i])
            continue;
        int prev = (i + 7) & 7;
        int joined = v[prev] || ((i & 1) == 0 && v[(i + 6) & 7] && !v[prev]);
        groups += !joined;
    }
    /* no start: the whole ring is one group (a pixel inside a blob) */
    return groups ? groups : (n > 0);
}

/* Centre lines one pixel wide in the 8-connected sense: a pixel on the
 * border (a 4-neighbour unset) whose set neighbours stay connected without
 * it (a simple point) and that is not an end (>= 2 neighbours) is removed,
 * in raster order. Non-maximum
 * suppression leaves such pixels on the steps of oblique lines (two
 * 4-adjacent pixels where one diagonal step suffices), and each would add
 * a pixel's length. Sequential (order matters), over the sparse set pixels
 * only. */
static void thin_lines(unsigned char *k, int w, int h)
{
    for (int y = 0; y < h; y++) {
        unsigned char *row = k + (size_t)y * w;
        for (int x = st_det_next_set(row, 0, w); x < w; x = st_det_next_set(row, x + 1, w)) {
            int n, g = ring_groups(k, w, h, x, y, &n);
            int border = y == 0 || y == h - 1 || x == 0 || x == w - 1 || !row[x - 1] ||
                         !row[x + 1] || !row[x - (ptrdiff_t)w] || !row[x + w];
            if (n >= 2 && g == 1 && border)
                row[x] = 0;
        }
    }
}

/* Hysteresis on the SNR inside the ROI (Canny 1986: components of weak
 * pixels kept when one of their pixels is strong), then centre lines. */
static int centre_lines(const st_detect_input *in, const line_maps *m, int threads,
                        unsigned char **out, st_err *err)
{
    size_t n = (size_t)m->w * m->h;
    unsigned char *bin = st_det_get_bytes(in, n), *keep = st_det_get_bytes(in, n);
    int rc = (bin && keep) ? ST_OK : st_err_set(err, ST_ENOMEM, "wrinkles: out of memory");
    cl_ctx c = {in, m, bin, keep, (float)(m->photo ? P_LOW : T_LOW), (float)(m->photo ? P_HIGH : T_HIGH)};
    if (!rc) {
        st_parallel_for(threads, m->h, 64, weak_rows, &c);
        rc = st_det_hysteresis8(bin, m->w, m->h, err);
    }
    if (!rc) {
        st_parallel_for(threads, m->h, 64, nms_rows, &c);
        thin_lines(keep, m->w, m->h);
    }
    st_det_put(in, (float *)bin);
    if (rc) {
        st_det_put(in, (float *)keep);
        return rc;
    }
    *out = keep;
    return ST_OK;
}

typedef struct line_acc {
    double len, wsum, dsum, mcount, sx, sy, sxx, syy, sxy, npx, c2, s2;
    double all; /* photos: the length of every centre-line pixel, pair or not */
} line_acc;

/* Full width at half depth and depth across the line at (x, y). */
static int profile(const line_maps *m, int x, int y, double theta, double sigma, double *width,
                   double *depth)
{
    double nx = sin(theta), ny = cos(theta); /* normal, image axes */
    double reach = 3.0 * sigma + 2.0;
    float out = NAN;
    double v0 = st_sample_bilinear(m->surf, (size_t)m->w, m->w, m->h, x, y, out);
    double va = st_sample_bilinear(m->surf, (size_t)m->w, m->w, m->h, x + reach * nx, y + reach * ny, out);
    double vb = st_sample_bilinear(m->surf, (size_t)m->w, m->w, m->h, x - reach * nx, y - reach * ny, out);
    if (isnan(v0) || isnan(va) || isnan(vb))
        return 0;
    /* A valley rises on both sides; the toe of an edge (the rim of a dark
     * spot, a shadow's border) rises on one side only. */
    double ra = va - v0, rb = vb - v0;
    if (!(ra > 0 && rb > 0) || fmin(ra, rb) < SIDE_BALANCE * fmax(ra, rb))
        return 0;
    double bg = 0.5 * (va + vb), d = bg - v0;
    double half = bg - 0.5 * d, side[2] = {reach, reach};
    for (int s = 0; s < 2; s++) {
        double sg = s ? -1.0 : 1.0, prev = v0;
        for (double t = 0.25; t <= reach; t += 0.25) {
            double v = st_sample_bilinear(m->surf, (size_t)m->w, m->w, m->h, x + sg * t * nx,
                                          y + sg * t * ny, (float)bg);
            if (v >= half) {
                side[s] = t - 0.25 + 0.25 * (half - prev) / (v - prev);
                break;
            }
            prev = v;
        }
    }
    *width = side[0] + side[1];
    *depth = d;
    return 1;
}

/* Photos: the pair across the line at (x, y), normal (nx, ny) in image
 * axes. The darkest point on the lamp's side and the brightest on the
 * other within 3 scales, against the mean of two points beyond them: both
 * sides must leave that level (PAIR_BALANCE: a dark albedo line has no
 * bright side) and the far points must agree (STEP_MAX: an albedo edge
 * leaves two levels). Depth: the pair's half swing relative to the level,
 * divided by |cos| of the normal to the lamp's azimuth: the relative
 * contrast the groove would give under a lamp across it (for a groove of
 * depth D and Gaussian section sigma_g under a lamp at elevation e it is
 * D e^-1/2 / (sigma_g tan e)). Width: the pair's extrema sit at
 * +-sigma_g, the full width at half depth is 1.18 times their distance. */
static int photo_profile(const line_maps *m, int x, int y, double nx, double ny, double sigma,
                         double *width, double *depth)
{
    double c = nx * m->lux + ny * m->luy;
    if (c < 0) {
        nx = -nx;
        ny = -ny;
        c = -c;
    }
    double reach = 3.0 * sigma + 2.0, far = reach + sigma + 1.0;
    float out = NAN;
    double dark = INFINITY, bright = -INFINITY, td = 0, tb = 0;
    for (double t = 0.25; t <= reach; t += 0.25) {
        double vd = st_sample_bilinear(m->surf, (size_t)m->w, m->w, m->h, x + t * nx, y + t * ny, out);
        double vb = st_sample_bilinear(m->surf, (size_t)m->w, m->w, m->h, x - t * nx, y - t * ny, out);
        if (isnan(vd) || isnan(vb))
            return 0;
        if (vd < dark) {
            dark = vd;
            td = t;
        }
        if (vb > bright) {
            bright = vb;
            tb = t;
        }
    }
    double fp = st_sample_bilinear(m->surf, (size_t)m->w, m->w, m->h, x + far * nx, y + far * ny, out);
    double fm = st_sample_bilinear(m->surf, (size_t)m->w, m->w, m->h, x - far * nx, y - far * ny, out);
    if (isnan(fp) || isnan(fm))
        return 0;
    double bg = 0.5 * (fp + fm), ad = bg - dark, ab = bright - bg, swing = bright - dark;
    if (!(ad > 0 && ab > 0 && bg > 0) || fmin(ad, ab) < PAIR_BALANCE * fmax(ad, ab) ||
        fabs(fp - fm) > STEP_MAX * swing)
        return 0;
    *width = 1.18 * (td + tb);
    *depth = 0.5 * swing / bg;
    return 1;
}

/* Photos: the pair's contrast at (x, y), linear in the shading (so that
 * the texture crossing a line averages out instead of biasing it, as the
 * extrema of photo_profile would): half the difference between the
 * shading one scale before and one scale beyond the centre, across the
 * normal towards the lamp, relative to the level (0 where the samples
 * leave the plane). */
static double pair_contrast(const line_maps *m, double x, double y, double nx, double ny)
{
    if (nx * m->lux + ny * m->luy < 0) {
        nx = -nx;
        ny = -ny;
    }
    double d0 = PAIR_AT_MM / m->px_mm, far = 3.0 * d0 + 2.0, sum = 0;
    float out = NAN;
    double bg = 0.5 * (st_sample_bilinear(m->surf, (size_t)m->w, m->w, m->h, x - far * nx, y - far * ny, out) +
                       st_sample_bilinear(m->surf, (size_t)m->w, m->w, m->h, x + far * nx, y + far * ny, out));
    int n = 0;
    for (double t = 0.5 * d0; t <= 1.5 * d0 + 1e-9; t += 0.25 * d0, n++)
        sum += st_sample_bilinear(m->surf, (size_t)m->w, m->w, m->h, x - t * nx, y - t * ny, out) -
               st_sample_bilinear(m->surf, (size_t)m->w, m->w, m->h, x + t * nx, y + t * ny, out);
    if (isnan(sum) || isnan(bg) || bg <= 0)
        return 0.0;
    return 0.5 * sum / n / bg;
}

static void accumulate(const line_maps *m, int x, int y, line_acc *a)
{
    size_t i = (size_t)y * m->w + x;
    double t = line_theta(m, i);
    double step = 1.0 / fmax(fabs(cos(t)), fabs(sin(t)));
    double wd, dp, nx, ny;
    line_normal(m, i, &nx, &ny);
    a->all += step;
    if (m->photo ? !photo_profile(m, x, y, nx, ny, m->sigma[i], &wd, &dp)
                 : !profile(m, x, y, t, m->sigma[i], &wd, &dp))
        return; /* not a valley here: not part of a line's length */
    a->len += step;
    a->npx += 1;
    a->c2 += step * cos(2.0 * t);
    a->s2 += step * sin(2.0 * t);
    a->sx += x;
    a->sy += y;
    a->sxx += (double)x * x;
    a->syy += (double)y * y;
    a->sxy += (double)x * y;
    a->wsum += wd * step;
    a->dsum += dp * step;
    a->mcount += step;
}

typedef struct proj_pt {
    double u, x, y;
    double v; /* photos: the pair's contrast there (line_contrast) */
} proj_pt;

static int cmp_proj(const void *a, const void *b)
{
    double p = ((const proj_pt *)a)->u, q = ((const proj_pt *)b)->u;
    return (p > q) - (p < q);
}

/* Wrinkle record: main axis by second moments, the path as means of bins
 * of ~4 working pixels along that axis, in full-resolution pixels. */
static int make_wrinkle(const line_maps *m, const line_acc *a, proj_pt *pts, size_t np,
                        st_wrinkle *w)
{
    double f = (double)(1 << m->level), mx = a->sx / a->npx, my = a->sy / a->npx;
    double cxx = a->sxx / a->npx - mx * mx, cyy = a->syy / a->npx - my * my;
    double cxy = a->sxy / a->npx - mx * my;
    double phi = 0.5 * atan2(2.0 * cxy, cxx - cyy), ux = cos(phi), uy = sin(phi);
    for (size_t i = 0; i < np; i++)
        pts[i].u = (pts[i].x - mx) * ux + (pts[i].y - my) * uy;
    qsort(pts, np, sizeof *pts, cmp_proj);
    size_t bins = (size_t)ceil((pts[np - 1].u - pts[0].u) / 4.0) + 1;
    memset(w, 0, sizeof *w);
    w->path = malloc(2 * (bins + 2) * sizeof *w->path);
    if (!w->path)
        return ST_ENOMEM;
    size_t i = 0;
    while (i < np) {
        double u0 = pts[i].u, sx = 0, sy = 0;
        size_t k = 0;
        for (; i < np && pts[i].u < u0 + 4.0; i++, k++) {
            sx += pts[i].x;
            sy += pts[i].y;
        }
        w->path[2 * w->n_path] = (sx / k + 0.5) * f - 0.5;
        w->path[2 * w->n_path + 1] = (sy / k + 0.5) * f - 0.5;
        w->n_path++;
    }
    w->x0 = (pts[0].x + 0.5) * f - 0.5;
    w->y0 = (pts[0].y + 0.5) * f - 0.5;
    w->x1 = (pts[np - 1].x + 0.5) * f - 0.5;
    w->y1 = (pts[np - 1].y + 0.5) * f - 0.5;
    w->length_mm = a->len * m->px_mm;
    w->width_mm = a->mcount > 0 ? a->wsum / a->mcount * m->px_mm : 0.0;
    w->depth = a->mcount > 0 ? a->dsum / a->mcount : 0.0;
    w->angle_deg = 0.5 * atan2(a->s2, a->c2) * 180.0 / M_PI;
    return ST_OK;
}

/* A dark arc around a blob rather than a line: the rim of a scar or of a
 * large pore, whose lit-away wall shades into a crescent under directional
 * light. Its direction turns through much of 180 degrees, so the doubled
 * angles do not agree (coherence |sum step e^(2i theta)| / length below
 * MIN_COHERENCE; 1 for a straight line, 0.83 for an arc turning by 60
 * degrees, ~0.2 for a half circle), and its centroid lies off the curve
 * (by 0.115 lengths for a half circle), where two wrinkles that cross keep
 * theirs on the lines. */
static int is_arc(const line_acc *a, const proj_pt *pts, size_t np)
{
    if (hypot(a->c2, a->s2) >= MIN_COHERENCE * a->len)
        return 0;
    double mx = a->sx / a->npx, my = a->sy / a->npx, d2 = INFINITY;
    for (size_t i = 0; i < np; i++) {
        double dx = pts[i].x - mx, dy = pts[i].y - my;
        d2 = fmin(d2, dx * dx + dy * dy);
    }
    return sqrt(d2) > MAX_OFF_LINE * a->len;
}

/* The main axis of a line's pixels (second moments), radians in image
 * axes. */
static double main_axis(const proj_pt *pts, size_t np)
{
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (size_t i = 0; i < np; i++) {
        sx += pts[i].x;
        sy += pts[i].y;
        sxx += pts[i].x * pts[i].x;
        syy += pts[i].y * pts[i].y;
        sxy += pts[i].x * pts[i].y;
    }
    double mx = sx / np, my = sy / np;
    return 0.5 * atan2(2.0 * (sxy / np - mx * my), sxx / np - mx * mx - (syy / np - my * my));
}

static int cmp_double(const void *a, const void *b)
{
    double p = *(const double *)a, q = *(const double *)b;
    return (p > q) - (p < q);
}

/* Photos: the contrast of a line's pairs (pair_contrast across its main
 * axis phi) as the mean of the upper half of its pixels' values: a
 * groove's depth tapers towards its ends, and the share of the tapered
 * ends a session's detection reaches would otherwise move the mean. Each
 * pixel's contrast goes to its v field. */
static double line_contrast(const line_maps *m, proj_pt *pts, size_t np, double phi)
{
    double nx = -sin(phi), ny = cos(phi), sum = 0;
    for (size_t i = 0; i < np; i++)
        pts[i].v = pair_contrast(m, pts[i].x, pts[i].y, nx, ny);
    double *v = malloc(np * sizeof *v);
    if (!v)
        return 0.0;
    for (size_t i = 0; i < np; i++)
        v[i] = pts[i].v;
    qsort(v, np, sizeof *v, cmp_double);
    for (size_t i = np / 2; i < np; i++)
        sum += v[i];
    free(v);
    return np - np / 2 ? sum / (double)(np - np / 2) : 0.0;
}

/* Length (px) of a line's pixels ordered along its axis (u): the polyline
 * through the means of bins 4 px long, plus the half bins beyond its first
 * and last mean. Counting pixels would add the zigzag of a centre line
 * whose direction is known to 15 degrees only (wrinkle_photo.c). */
static double path_length(const proj_pt *pts, size_t np)
{
    double len = 0, px = 0, py = 0, pu = 0, fu = 0;
    size_t i = 0, bins = 0;
    while (i < np) {
        double u0 = pts[i].u, sx = 0, sy = 0, su = 0;
        size_t k = 0;
        for (; i < np && pts[i].u < u0 + 4.0; i++, k++) {
            sx += pts[i].x;
            sy += pts[i].y;
            su += pts[i].u;
        }
        sx /= k;
        sy /= k;
        su /= k;
        if (bins++)
            len += hypot(sx - px, sy - py);
        else
            fu = su;
        px = sx;
        py = sy;
        pu = su;
    }
    return np ? len + (fu - pts[0].u) + (pts[np - 1].u - pu) + 1.0 : 0.0;
}

/* Photos: the line's pixels (contrast in v) ordered along its axis phi,
 * cut where the groove has faded: its ends are the first and the last
 * pixel whose mean contrast over +-TRIM_MM along the line reaches `half`
 * (half the line's contrast), so the length is the groove's length at
 * about half depth however far the hysteresis followed its tapering ends
 * (which depends on the lamp and the noise). The pixels kept move to the
 * front of pts, *len gets their length (working px); returns their count
 * (0: none). */
static size_t trim_ends(const line_maps *m, proj_pt *pts, size_t np, double phi, double half,
                        double *len)
{
    double ux = cos(phi), uy = sin(phi);
    for (size_t i = 0; i < np; i++)
        pts[i].u = pts[i].x * ux + pts[i].y * uy;
    qsort(pts, np, sizeof *pts, cmp_proj);
    size_t r = (size_t)ceil(TRIM_MM / m->px_mm), first = np, last = 0;
    for (size_t i = 0; i < np; i++) {
        size_t lo = i > r ? i - r : 0, hi = i + r < np ? i + r : np - 1;
        double s = 0;
        for (size_t j = lo; j <= hi; j++)
            s += pts[j].v;
        if (s / (double)(hi - lo + 1) >= half) {
            first = first < i ? first : i;
            last = i;
        }
    }
    if (first >= np)
        return 0;
    size_t k = 0;
    for (size_t i = first; i <= last; i++)
        pts[k++] = pts[i];
    *len = path_length(pts, k);
    return k;
}

/* Photos: a labelled centre line (its pixels pts, accumulated into a) as
 * a groove, or 0. The pair test may fail at some of its pixels (a pore or
 * the texture crossing it) without cutting the groove: a line is kept
 * when it holds over P_MIN_PAIRS of the length and the line is not an arc.
 * Pixels whose own direction leaves the line's main axis by more than
 * SPUR_DEG (spurs where the centre line meets other structure) are
 * dropped; the rest, moved to the front of pts, give the length (every
 * pixel, pair or not) and the depth: the contrast of the pairs across the
 * axis (line_contrast) over |cos| of the axis' normal to the lamp's
 * azimuth. Returns the pixels kept. */
static size_t photo_line(const line_maps *m, line_acc *a, proj_pt *pts, size_t np)
{
    if (a->len < P_MIN_PAIRS * a->all || is_arc(a, pts, np))
        return 0;
    double phi = main_axis(pts, np), len = 0;
    size_t k = 0;
    for (size_t j = 0; j < np; j++) {
        size_t i = (size_t)pts[j].y * m->w + (size_t)pts[j].x;
        double dir = 0.5 * atan2(m->h2b[i], m->hamc[i]) + M_PI_2; /* image axes */
        if (fabs(remainder(dir - phi, M_PI)) > SPUR_DEG * M_PI / 180.0)
            continue;
        double t = line_theta(m, i);
        len += 1.0 / fmax(fabs(cos(t)), fabs(sin(t)));
        pts[k++] = pts[j];
    }
    if (k < 2)
        return 0;
    phi = main_axis(pts, k);
    double c = fabs(-sin(phi) * m->lux + cos(phi) * m->luy);
    double lin = line_contrast(m, pts, k, phi);
    if (!(lin > 0) || !(k = trim_ends(m, pts, k, phi, TRIM_LEVEL * lin, &len)))
        return 0;
    /* between its ends the groove's whole contrast: the upper half alone
     * would add the texture's positive part, which does not follow the
     * groove's depth */
    lin = 0;
    for (size_t i = 0; i < k; i++)
        lin += pts[i].v / (double)k;
    a->len = len;
    a->dsum = lin * a->mcount / fmax(c, cos(WR_PHOTO_VIS_DEG * M_PI / 180.0));
    return k;
}

/* Distance from (x, y) to a line's path (or its end points' segment). */
static double path_dist(const st_wrinkle *w, double x, double y)
{
    const double ends[4] = {w->x0, w->y0, w->x1, w->y1};
    const double *p = w->n_path >= 2 ? w->path : ends;
    size_t np = w->n_path >= 2 ? w->n_path : 2;
    double best = INFINITY;
    for (size_t i = 1; i < np; i++) {
        double ax = p[2 * i - 2], ay = p[2 * i - 1], ex = p[2 * i] - ax, ey = p[2 * i + 1] - ay;
        double l2 = ex * ex + ey * ey, t = l2 > 0 ? ((x - ax) * ex + (y - ay) * ey) / l2 : 0.0;
        t = t < 0 ? 0 : (t > 1 ? 1 : t);
        best = fmin(best, hypot(x - ax - t * ex, y - ay - t * ey));
    }
    return best;
}

/* 1 when most of line w's path lies within `reach` px of one of the lines
 * t[0..n): the same line found again. */
static int near_lines(const st_wrinkle *w, const st_wrinkle *t, size_t n, double reach)
{
    const double ends[4] = {w->x0, w->y0, w->x1, w->y1};
    const double *p = w->n_path >= 1 ? w->path : ends;
    size_t np = w->n_path >= 1 ? w->n_path : 2, near = 0;
    for (size_t i = 0; i < np; i++) {
        double d = INFINITY;
        for (size_t k = 0; k < n; k++)
            d = fmin(d, path_dist(&t[k], p[2 * i], p[2 * i + 1]));
        near += d <= reach;
    }
    return 2 * near > np;
}

typedef struct line_totals {
    double len, wsum, dsum, mcount, c2, s2;
    size_t count;
    double photo_depth; /* photos: depth_along the lines */
    double photo_len;   /* photos: their length seen (mm) */
} line_totals;

/* Length (mm) of a line's samples (in path order; u the length each stands
 * for, v its contrast) where the contrast's mean over +-TRIM_MM reaches
 * `level`. */
static double seen_length(const line_maps *m, const proj_pt *pts, size_t np, double level)
{
    size_t r = (size_t)ceil(TRIM_MM / m->px_mm);
    double len = 0;
    for (size_t i = 0; i < np; i++) {
        size_t lo = i > r ? i - r : 0, hi = i + r < np ? i + r : np - 1;
        double s = 0;
        for (size_t j = lo; j <= hi; j++)
            s += pts[j].v;
        if (s / (double)(hi - lo + 1) >= level)
            len += pts[i].u;
    }
    return len;
}

/* Photos: wrinkles.depth_index read along the lines w[0..n) (surface
 * pixels; each its path, or the segment between its end points): per line
 * the contrast of the pairs across its main axis (line_contrast, one
 * sample per working pixel) over |cos| of the axis' normal to the lamp's
 * azimuth, then the lines' mean weighted by their lengths. 0 without
 * lines; -1 when out of memory. */
static double depth_along(const line_maps *m, const st_wrinkle *w, size_t n, double *seen_mm)
{
    double f = (double)(1 << m->level), cmin = cos(WR_PHOTO_VIS_DEG * M_PI / 180.0), sd = 0, sw = 0;
    *seen_mm = 0;
    for (size_t k = 0; k < n; k++) {
        const double ends[4] = {w[k].x0, w[k].y0, w[k].x1, w[k].y1};
        const double *p = w[k].n_path >= 2 ? w[k].path : ends;
        size_t np = w[k].n_path >= 2 ? w[k].n_path : 2, cap = 2;
        for (size_t i = 1; i < np; i++)
            cap += (size_t)ceil(hypot(p[2 * i] - p[2 * i - 2], p[2 * i + 1] - p[2 * i - 1]) / f) + 1;
        proj_pt *pts = malloc(cap * sizeof *pts);
        if (!pts)
            return -1.0;
        size_t q = 0;
        for (size_t i = 1; i < np; i++) {
            double ax = p[2 * i - 2], ay = p[2 * i - 1], bx = p[2 * i], by = p[2 * i + 1];
            int steps = (int)ceil(hypot(bx - ax, by - ay) / f);
            for (int j = (i > 1); j <= steps && q < cap; j++) {
                double t = steps ? (double)j / steps : 0.0;
                /* u: the length this sample stands for, mm */
                pts[q++] = (proj_pt){(j || i > 1) && steps ? hypot(bx - ax, by - ay) / steps * m->px_mm / f : 0.0,
                                     (ax + t * (bx - ax) + 0.5) / f - 0.5, (ay + t * (by - ay) + 0.5) / f - 0.5, 0};
            }
        }
        double phi = atan2(w[k].y1 - w[k].y0, w[k].x1 - w[k].x0);
        double c = fabs(-sin(phi) * m->lux + cos(phi) * m->luy);
        double lin = 0;
        if (q)
            line_contrast(m, pts, q, phi);
        for (size_t i = 0; i < q; i++) /* the lines' ends are already cut */
            lin += pts[i].v / (double)q;
        *seen_mm += seen_length(m, pts, q, TRIM_LEVEL * w[k].depth * fmax(c, cmin));
        free(pts);
        sd += w[k].length_mm * lin / fmax(c, cmin);
        sw += w[k].length_mm;
    }
    return sw > 0 ? sd / sw : 0.0;
}

/* Labels the centre lines, measures each, keeps those >= MIN_LEN_MM. */
static int measure_lines(const st_detect_input *in, const line_maps *m, unsigned char *skel,
                         st_detections *dets, line_totals *tot, st_err *err)
{
    size_t n = (size_t)m->w * m->h;
    int32_t *lab = st_det_get_bytes(in, n * sizeof *lab);
    int nl = 0, rc = lab ? st_det_label8(skel, m->w, m->h, lab, &nl, err)
                         : st_err_set(err, ST_ENOMEM, "wrinkles: out of memory");
    line_acc *acc = NULL;
    size_t *start = NULL;
    proj_pt *pts = NULL;
    st_wrinkle *wr = NULL;
    if (!rc) {
        acc = calloc((size_t)nl + 1, sizeof *acc);
        start = calloc((size_t)nl + 2, sizeof *start);
        if (!acc || !start)
            rc = st_err_set(err, ST_ENOMEM, "wrinkles: out of memory");
    }
    /* the skeleton is sparse: its bytes are scanned, labels read where set */
    for (int y = 0; y < m->h && !rc; y++) {
        const unsigned char *sk = skel + (size_t)y * m->w;
        for (int x = st_det_next_set(sk, 0, m->w); x < m->w; x = st_det_next_set(sk, x + 1, m->w)) {
            int32_t l = lab[(size_t)y * m->w + x];
            accumulate(m, x, y, &acc[l]);
            start[l + 1]++;
        }
    }
    size_t total = 0;
    for (int k = 1; k <= nl + 1 && !rc; k++) {
        start[k] += start[k - 1];
        total = start[k];
    }
    if (!rc && (!(pts = malloc((total ? total : 1) * sizeof *pts)) ||
                !(wr = calloc((size_t)nl + 1, sizeof *wr))))
        rc = st_err_set(err, ST_ENOMEM, "wrinkles: out of memory");
    if (!rc) {
        size_t *fill = start; /* advanced per label while filling */
        for (int y = 0; y < m->h; y++) {
            const unsigned char *sk = skel + (size_t)y * m->w;
            for (int x = st_det_next_set(sk, 0, m->w); x < m->w; x = st_det_next_set(sk, x + 1, m->w))
                pts[fill[lab[(size_t)y * m->w + x]]++] = (proj_pt){0, x, y, 0};
        }
    }
    /* After filling, start[l] is the end of label l and start[l-1] its start. */
    size_t kept = 0;
    for (int k = 1; k <= nl && !rc; k++) {
        line_acc whole = acc[k];
        const line_acc *a = &whole;
        size_t b = start[k - 1], e = start[k];
        size_t np = e - b;
        if (m->photo && !(np = photo_line(m, &whole, pts + b, np)))
            continue;
        if (a->len * m->px_mm < (m->photo ? P_MIN_LEN_MM : MIN_LEN_MM))
            continue;
        if (!m->photo && is_arc(a, pts + b, e - b))
            continue;
        rc = make_wrinkle(m, a, pts + b, np, &wr[kept]);
        if (rc) {
            rc = st_err_set(err, rc, "wrinkles: out of memory");
            break;
        }
        kept++;
        tot->len += a->len;
        tot->wsum += a->wsum;
        tot->dsum += a->dsum;
        tot->mcount += a->mcount;
        tot->c2 += a->c2;
        tot->s2 += a->s2;
    }
    tot->count = kept;
    if (!rc && m->photo) {
        int own = !in->n_track_wrinkles;
        tot->photo_depth = depth_along(m, own ? wr : in->track_wrinkles, own ? kept : in->n_track_wrinkles,
                                       &tot->photo_len);
        /* lines that appeared after the baseline count with their own length */
        for (size_t k = 0; !own && k < kept; k++)
            if (!near_lines(&wr[k], in->track_wrinkles, in->n_track_wrinkles, NEAR_MM * (1 << m->level) / m->px_mm))
                tot->photo_len += wr[k].length_mm;
        if (tot->photo_depth < 0)
            rc = st_err_set(err, ST_ENOMEM, "wrinkles: out of memory");
    }
    if (!rc && dets) {
        for (size_t i = 0; dets->wrinkles && i < dets->n_wrinkles; i++)
            free(dets->wrinkles[i].path);
        free(dets->wrinkles);
        dets->wrinkles = wr;
        dets->n_wrinkles = kept;
        wr = NULL;
    }
    for (size_t i = 0; wr && i < kept; i++)
        free(wr[i].path);
    free(wr);
    free(pts);
    free(acc);
    free(start);
    st_det_put(in, (float *)lab);
    return rc;
}

static int put_metrics(const st_detect_input *in, st_metric_set *out, const line_totals *t,
                       const line_maps *m, st_err *err)
{
    double pmm = st_det_pixel_mm(in);
    size_t roi = st_det_roi_count(in);
    int um = in->unit == ST_UNIT_UM && in->modality != ST_DETECT_PHOTO;
    int rc = st_metric_set_put(out, "wrinkles.count", (double)t->count, "", err);
    if (!rc && pmm > 0 && roi)
        rc = st_metric_set_put(out, "wrinkles.length_mm_cm2",
                               (m->photo ? t->photo_len : t->len * m->px_mm) / ((double)roi * pmm * pmm / 100.0),
                               "mm/cm2", err);
    if (!rc && t->mcount > 0)
        rc = st_metric_set_put(out, "wrinkles.mean_width_mm", t->wsum / t->mcount * m->px_mm,
                               pmm > 0 ? "mm" : "px", err);
    if (!rc)
        rc = st_metric_set_put(out, "wrinkles.depth_index",
                               m->photo ? t->photo_depth : t->mcount > 0 ? t->dsum / t->mcount : 0.0,
                               um ? "um" : "rel", err);
    if (!rc && t->len > 0)
        rc = st_metric_set_put(out, "wrinkles.orientation_deg",
                               0.5 * atan2(t->s2, t->c2) * 180.0 / M_PI, "deg", err);
    return rc;
}

int st_wrinkles_detect(const st_detect_input *in0, int threads, st_metric_set *out,
                       st_detections *dets, st_err *err)
{
    int rc = st_det_check_input(in0, "wrinkles", err);
    if (rc)
        return rc;
    st_detect_input local;
    const st_detect_input *in = st_det_pool_begin(in0, &local);
    line_maps m;
    unsigned char *skel = NULL;
    line_totals tot = {0};
    st_lamp lamp;
    st_err le = {0};
    /* Photos whose shading shows a lamp's side (lit relief: pits' and
     * grooves' near walls dark, far walls bright): the pair filter. Under
     * diffuse light, on a patch too small for the lamp, or where the
     * shading's derivative along the lamp is symmetric (dark lines of
     * albedo or shadow, no relief seen) a groove is a dark line, as on a
     * height map. */
    if (in->modality == ST_DETECT_PHOTO && !st_lamp_estimate(in->surface, in->mask, in->mask_stride, &lamp, &le) &&
        lamp.directional && fabs(lamp.side_skew) >= MIN_SIDE_SKEW) {
        double a = lamp.azimuth_deg * M_PI / 180.0;
        if (in->lamp_known && hypot(in->lamp[0], in->lamp[1]) > 0)
            a = atan2(in->lamp[1], in->lamp[0]);
        rc = st_det_wrinkle_photo_maps(in, cos(a), sin(a), threads, &m);
    } else {
        rc = st_det_wrinkle_maps(in, T_LOW, threads, &m);
    }
    if (rc) {
        rc = st_err_set(err, rc, "wrinkles: line filter failed (%s)", st_status_name(rc));
        goto done;
    }
    rc = centre_lines(in, &m, threads, &skel, err);
    /* the response and its SNR are done with: the label image of
     * measure_lines takes one of their planes instead of a fresh one */
    st_det_put(in, m.best);
    st_det_put(in, m.snr);
    m.best = m.snr = NULL;
    if (!rc)
        rc = measure_lines(in, &m, skel, dets, &tot, err);
    if (!rc)
        rc = put_metrics(in, out, &tot, &m, err);
done:
    st_det_put(in, (float *)skel);
    st_det_wrinkle_maps_free(in, &m);
    st_det_pool_end(in, &local);
    return rc;
}
