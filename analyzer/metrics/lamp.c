/* The lamp's direction from the skin's shading.
 *
 * A Lambertian surface z = h(x, y) with small slopes, lit from the unit
 * direction l (towards the lamp), shades as I ≈ ρ(l_z − l_x h_x − l_y h_y);
 * after flattening (I divided by its local mean) S ≈ −tan(slant) ∂_u h, the
 * relief's derivative along the lamp's azimuth u.
 *
 * Azimuth, one photo: for isotropic relief the gradient's second moments of
 * S are E[Sx²] ∝ 3ux² + uy², E[Sy²] ∝ ux² + 3uy², E[SxSy] ∝ 2uxuy, so the
 * major axis is u's axis and the moments' ratio is 3 for any slant
 * (Pentland 1982). Skin's furrows run along preferred directions and pull
 * the axis towards their normals, so a photo's absolute azimuth is biased
 * by its own skin (a few degrees; see tests/unit/test_lamp.c). The side
 * (u or −u) comes from an odd statistic: relief of pits and furrows (narrow
 * depressions, broad plateaus) has a positively skewed curvature, and
 * ∂_u S = −tan(slant) ∂²_u h has a negative skew when u points to the lamp
 * (a pit's near wall is dark, its far wall bright).
 *
 * Turn between two photos of the same skin (registered onto the same
 * pixels): with B = −∂_l h (baseline, l its lamp's azimuth vector scaled by
 * tan(slant)) and S = −∂_m h (session), mixed derivatives commute:
 * ∂_l S = ∂_m B at every pixel, whatever the relief's anisotropy. So (l, m)
 * is the null vector of the 4 x 4 second moments of (Sx, Sy, −Bx, −By), a
 * total least squares fit (the smallest eigenvector), and the turn is the
 * angle from l to m, signed and free of the skin's preferred directions. A
 * uniform change of the relief's depth only scales m; local changes
 * (remodelled scars) and residual misregistration add to the misfit.
 *
 * Slant: to first order the shading is tan(slant) × the relief's slopes, so
 * a lower lamp and a deeper relief read alike; between sessions the
 * contrast's ratio is exactly the ratio a treatment changes. Only second-
 * order effects (the |∇h|² darkening, shadows) tell them apart, too weakly
 * for a photo of skin. The slant is therefore not measured: direction[2]
 * is the assumed ST_LAMP_SLANT_DEG, and the angle between two sessions'
 * directions measures their azimuths' turn. */
#define _DEFAULT_SOURCE /* M_PI */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/error.h"
#include "metrics/lamp.h"
#include "simd/kernels.h"

#define SMOOTH_MM 0.02   /* Gaussian SD before the derivatives: sensor noise off, pores kept */
#define MIN_SAMPLES 256  /* pixels inside the mask needed for a fit */
#define ROBUST_K 1.0     /* Cauchy weight: a residual of ROBUST_K x the RMS weighs 1/2 */
#define ROBUST_ITER 6    /* reweighting rounds */

static int inside(const unsigned char *mask, size_t ms, int x, int y)
{
    return !mask || mask[(size_t)y * ms + (size_t)x] != 0;
}

static int inside5(const unsigned char *mask, size_t ms, int x, int y)
{
    return inside(mask, ms, x, y) && inside(mask, ms, x - 1, y) && inside(mask, ms, x + 1, y) &&
           inside(mask, ms, x, y - 1) && inside(mask, ms, x, y + 1);
}

void st_lamp_axis(const float *img, int w, int h, size_t stride, const unsigned char *mask,
                  size_t mask_stride, int step, double *ux, double *uy, double *aniso)
{
    size_t ms = mask_stride ? mask_stride : (size_t)w;
    int s0 = step / 2 > 1 ? step / 2 : 1;
    double jxx = 0, jyy = 0, jxy = 0;
    for (int y = s0; y + s0 < h && y + 1 < h; y += step)
        for (int x = s0; x + s0 < w && x + 1 < w; x += step) {
            if (mask && !inside5(mask, ms, x, y))
                continue;
            const float *r = img + (size_t)y * stride + x;
            double gx = r[1] - r[-1], gy = r[stride] - r[-(ptrdiff_t)stride];
            jxx += gx * gx;
            jyy += gy * gy;
            jxy += gx * gy;
        }
    double tr = 0.5 * (jxx + jyy), dd = sqrt(0.25 * (jxx - jyy) * (jxx - jyy) + jxy * jxy);
    double phi = 0.5 * atan2(2.0 * jxy, jxx - jyy);
    *ux = cos(phi);
    *uy = sin(phi);
    *aniso = tr <= 0 ? 1.0 : (tr - dd > 0 ? (tr + dd) / (tr - dd) : 1e9);
}

static int check_shading(const st_image *img, const char *what, st_err *err)
{
    if (!img || img->channels != 1)
        return st_err_set(err, ST_EINVAL, "lamp: the %s shading must be one channel", what);
    if (img->width < 16 || img->height < 16)
        return st_err_set(err, ST_EINVAL, "lamp: the %s shading is too small (%dx%d, 16x16 at least)",
                          what, img->width, img->height);
    return ST_OK;
}

/* img smoothed by SMOOTH_MM (at least 0.7 px; 0.7 px when the pixel size is
 * unknown: a bare folder of photos), same stride. */
static int smoothed(const st_image *img, float **out, st_err *err)
{
    size_t n = img->stride * (size_t)img->height;
    *out = malloc(n * sizeof **out);
    if (!*out)
        return st_err_set(err, ST_ENOMEM, "lamp: out of memory");
    double sigma = img->pixel_mm > 0 ? SMOOTH_MM / img->pixel_mm : 0.0;
    int rc = st_gaussian_blur(img->data, img->stride, *out, img->stride, img->width, img->height,
                              sigma > 0.7 ? sigma : 0.7, 1);
    if (rc) {
        free(*out);
        *out = NULL;
        return st_err_set(err, rc, "lamp: smoothing the shading failed");
    }
    return ST_OK;
}

static double wrap_deg(double a)
{
    while (a > 180.0)
        a -= 360.0;
    while (a <= -180.0)
        a += 360.0;
    return a;
}

static void set_direction(st_lamp *l)
{
    double a = l->azimuth_deg * M_PI / 180.0, s = ST_LAMP_SLANT_DEG * M_PI / 180.0;
    l->direction[0] = sin(s) * cos(a);
    l->direction[1] = sin(s) * sin(a);
    l->direction[2] = cos(s);
}

/* Third standardised moment of the derivative along (ux, uy) of the
 * smoothed shading, over the pixels inside the mask; *n their count. */
static double side_skew(const float *sm, const st_image *img, const unsigned char *mask, size_t ms,
                        double ux, double uy, size_t *n)
{
    int w = img->width, h = img->height;
    size_t st = img->stride;
    double s1 = 0, s2 = 0, s3 = 0, cnt = 0;
    for (int y = 1; y + 1 < h; y++)
        for (int x = 1; x + 1 < w; x++) {
            if (mask && !inside5(mask, ms, x, y))
                continue;
            const float *r = sm + (size_t)y * st + x;
            double d = 0.5 * (ux * (r[1] - r[-1]) + uy * (r[st] - r[-(ptrdiff_t)st]));
            s1 += d;
            s2 += d * d;
            s3 += d * d * d;
            cnt += 1;
        }
    *n = (size_t)cnt;
    if (cnt < 2)
        return 0.0;
    double m = s1 / cnt, v = s2 / cnt - m * m;
    if (!(v > 0))
        return 0.0;
    return (s3 / cnt - 3.0 * m * s2 / cnt + 2.0 * m * m * m) / (v * sqrt(v));
}

/* st_lamp_estimate on the shading already smoothed (sm, its stride). */
static int lamp_from_smoothed(const float *sm, const st_image *shading, const unsigned char *mask,
                              size_t mask_stride, st_lamp *out, st_err *err)
{
    size_t ms = mask_stride ? mask_stride : (size_t)shading->width, n = 0;
    double ux, uy;
    st_lamp_axis(sm, shading->width, shading->height, shading->stride, mask, ms, 1, &ux, &uy,
                 &out->anisotropy);
    double sk = side_skew(sm, shading, mask, ms, ux, uy, &n);
    if (n < MIN_SAMPLES)
        return st_err_set(err, ST_EINVAL, "lamp: %zu pixels inside the mask, %d needed", n, MIN_SAMPLES);
    if (sk > 0) {
        ux = -ux;
        uy = -uy;
        sk = -sk;
    }
    out->side_skew = sk;
    out->azimuth_deg = wrap_deg(atan2(uy, ux) * 180.0 / M_PI);
    out->directional = out->anisotropy >= ST_LAMP_MIN_ANISO;
    set_direction(out);
    return ST_OK;
}

int st_lamp_estimate(const st_image *shading, const unsigned char *mask, size_t mask_stride,
                     st_lamp *out, st_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = check_shading(shading, "photo's", err);
    float *sm = NULL;
    if (rc || (rc = smoothed(shading, &sm, err)))
        return rc;
    rc = lamp_from_smoothed(sm, shading, mask, mask_stride, out, err);
    free(sm);
    return rc;
}

/* Eigen-decomposition of a symmetric 4 x 4 matrix by cyclic Jacobi
 * rotations (Golub & Van Loan §8.5): a is destroyed, its diagonal ends as
 * the eigenvalues, v's columns are the eigenvectors. */
static void jacobi4(double a[4][4], double v[4][4])
{
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            v[i][j] = i == j;
    for (int sweep = 0; sweep < 50; sweep++) {
        double off = 0;
        for (int p = 0; p < 4; p++)
            for (int q = p + 1; q < 4; q++)
                off += a[p][q] * a[p][q];
        if (off < 1e-30)
            break;
        for (int p = 0; p < 4; p++)
            for (int q = p + 1; q < 4; q++) {
                if (a[p][q] == 0.0)
                    continue;
                double th = 0.5 * (a[q][q] - a[p][p]) / a[p][q];
                double t = (th >= 0 ? 1.0 : -1.0) / (fabs(th) + sqrt(th * th + 1.0));
                double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
                for (int k = 0; k < 4; k++) { /* columns p, q */
                    double akp = a[k][p], akq = a[k][q];
                    a[k][p] = c * akp - s * akq;
                    a[k][q] = s * akp + c * akq;
                }
                for (int k = 0; k < 4; k++) { /* rows p, q */
                    double apk = a[p][k], aqk = a[q][k];
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
                for (int k = 0; k < 4; k++) {
                    double vkp = v[k][p], vkq = v[k][q];
                    v[k][p] = c * vkp - s * vkq;
                    v[k][q] = s * vkp + c * vkq;
                }
            }
    }
}

/* The smoothed baseline and session, and which pixels the fit reads:
 * inside5 of the mask, one byte per pixel (a 12 MP patch: 12 MB, where
 * the gradients themselves, 4 floats a pixel, took 192 MB). */
typedef struct turn_data {
    const float *sb, *ss;
    size_t stride;
    int w, h;
    unsigned char *in; /* w * h; 1: read */
    size_t n;
} turn_data;

static int turn_data_new(turn_data *t, const float *sb, const float *ss, const st_image *img,
                         const unsigned char *mask, size_t ms)
{
    *t = (turn_data){sb, ss, img->stride, img->width, img->height, NULL, 0};
    t->in = calloc((size_t)img->width * (size_t)img->height, 1);
    if (!t->in)
        return ST_ENOMEM;
    for (int y = 1; y + 1 < t->h; y++)
        for (int x = 1; x + 1 < t->w; x++)
            if (!mask || inside5(mask, ms, x, y)) {
                t->in[(size_t)y * t->w + x] = 1;
                t->n++;
            }
    return ST_OK;
}

/* Weighted second moments of the gradients (Sx, Sy, -Bx, -By) of the
 * smoothed session and baseline, scaled by k[], over the pixels read in
 * raster order; with v given (not NULL), each pixel weighs
 * 1 / (1 + (r / (ROBUST_K s))^2), r = v·g its residual and s the
 * residuals' RMS under the previous weights (*s). */
static void turn_moments(const turn_data *t, const double k[4], const double *v, double *s, double c[4][4])
{
    double s2[4][4] = {{0}}, sw = 0, rr = 0;
    size_t st = t->stride;
#if defined(__SSE2__)
    /* The ten sums of w x_p x_q two to a register (p,q = 00 01 | 02 03 |
     * 11 12 | 13 22 | 23 33): each lane does the scalar loop's operations,
     * (w x_p) x_q then the sum, in its order, so the sums are the same bit
     * for bit, in half the instructions. */
    __m128d a0 = _mm_setzero_pd(), a1 = a0, a2 = a0, a3 = a0, a4 = a0;
#endif
    for (int y = 1; y + 1 < t->h; y++) {
        const unsigned char *in = t->in + (size_t)y * t->w;
        for (int x = 1; x + 1 < t->w; x++) {
            if (!in[x])
                continue;
            size_t i = (size_t)y * st + x;
            const float *ss = t->ss, *sb = t->sb;
            float g[4] = {0.5f * (ss[i + 1] - ss[i - 1]), 0.5f * (ss[i + st] - ss[i - st]),
                          -0.5f * (sb[i + 1] - sb[i - 1]), -0.5f * (sb[i + st] - sb[i - st])};
            double xv[4] = {g[0] * k[0], g[1] * k[1], g[2] * k[2], g[3] * k[3]};
            double w = 1;
            if (v) {
                double r = v[0] * xv[0] + v[1] * xv[1] + v[2] * xv[2] + v[3] * xv[3], z = r / (ROBUST_K * *s);
                w = 1.0 / (1.0 + z * z);
                rr += w * r * r;
            }
            sw += w;
#if defined(__SSE2__)
            __m128d x01 = _mm_set_pd(xv[1], xv[0]), x23 = _mm_set_pd(xv[3], xv[2]), ww = _mm_set1_pd(w);
            __m128d wx01 = _mm_mul_pd(ww, x01), wx23 = _mm_mul_pd(ww, x23);
            __m128d wx0 = _mm_unpacklo_pd(wx01, wx01), wx1 = _mm_unpackhi_pd(wx01, wx01);
            a0 = _mm_add_pd(a0, _mm_mul_pd(wx0, x01));
            a1 = _mm_add_pd(a1, _mm_mul_pd(wx0, x23));
            a2 = _mm_add_pd(a2, _mm_mul_pd(wx1, _mm_shuffle_pd(x01, x23, 1)));
            a3 = _mm_add_pd(a3, _mm_mul_pd(_mm_shuffle_pd(wx01, wx23, 1), _mm_shuffle_pd(x23, x23, 1)));
            a4 = _mm_add_pd(a4, _mm_mul_pd(wx23, _mm_unpackhi_pd(x23, x23)));
#else
            for (int p = 0; p < 4; p++)
                for (int q = p; q < 4; q++)
                    s2[p][q] += w * xv[p] * xv[q];
#endif
        }
    }
#if defined(__SSE2__)
    double lanes[10];
    _mm_storeu_pd(lanes, a0);
    _mm_storeu_pd(lanes + 2, a1);
    _mm_storeu_pd(lanes + 4, a2);
    _mm_storeu_pd(lanes + 6, a3);
    _mm_storeu_pd(lanes + 8, a4);
    static const int pq[10][2] = {{0, 0}, {0, 1}, {0, 2}, {0, 3}, {1, 1}, {1, 2}, {1, 3}, {2, 2}, {2, 3}, {3, 3}};
    for (int l = 0; l < 10; l++)
        s2[pq[l][0]][pq[l][1]] = lanes[l];
#endif
    for (int p = 0; p < 4; p++)
        for (int q = p; q < 4; q++)
            c[p][q] = c[q][p] = s2[p][q] / sw;
    if (v)
        *s = sqrt(rr / sw);
}

/* The smallest eigenvector of c (destroyed) into v; its eigenvalue. */
static double null_vector(double c[4][4], double v[4])
{
    double e[4][4];
    jacobi4(c, e);
    int lo = 0;
    for (int p = 1; p < 4; p++)
        if (c[p][p] < c[lo][lo])
            lo = p;
    for (int p = 0; p < 4; p++)
        v[p] = e[p][lo];
    return c[lo][lo];
}

static int check_turn(const st_image *baseline, const st_image *session, st_err *err)
{
    int rc = check_shading(baseline, "baseline's", err);
    if (!rc && (!session || session->channels != 1 || session->width != baseline->width ||
                session->height != baseline->height))
        rc = st_err_set(err, ST_EINVAL, "lamp: the session's shading is not the baseline's size");
    return rc;
}

/* st_lamp_turn on the smoothed baseline (sb) and session (ss), both with
 * the baseline's stride. */
static int turn_from_smoothed(const float *sb, const float *ss, const st_image *baseline, const unsigned char *mask,
                              size_t mask_stride, double *turn_deg, double *residual, st_err *err)
{
    size_t ms = mask_stride ? mask_stride : (size_t)baseline->width;
    turn_data td;
    if (turn_data_new(&td, sb, ss, baseline, mask, ms))
        return st_err_set(err, ST_ENOMEM, "lamp: out of memory");
    if (td.n < MIN_SAMPLES) {
        free(td.in);
        return st_err_set(err, ST_EINVAL, "lamp: %zu pixels inside the mask, %d needed", td.n, MIN_SAMPLES);
    }
    /* Each photo's gradients scaled to unit variance: the fit is then blind
     * to exposure and contrast, and the noise of both columns is alike, as
     * total least squares assumes. */
    double c[4][4], k[4] = {1, 1, 1, 1}, v[4], s = 0;
    turn_moments(&td, k, NULL, NULL, c);
    double ks = sqrt(c[0][0] + c[1][1]), kb = sqrt(c[2][2] + c[3][3]);
    if (!(ks > 0) || !(kb > 0)) {
        free(td.in);
        return st_err_set(err, ST_EINVAL, "lamp: a shading without relief (flat image)");
    }
    k[0] = k[1] = 1 / ks;
    k[2] = k[3] = 1 / kb;
    turn_moments(&td, k, NULL, NULL, c);
    double lam = null_vector(c, v);
    s = sqrt(lam > 0 ? lam : 0) + 1e-12;
    /* Albedo common to both photos (a pore's dark blob, a brown spot) is no
     * directional derivative of the relief: it pulls the fit towards "no
     * turn", where it cancels. It is local, so its pixels have large
     * residuals: iteratively reweighted (Cauchy) total least squares. */
    for (int it = 0; it < ROBUST_ITER; it++) {
        turn_moments(&td, k, v, &s, c);
        lam = null_vector(c, v);
        s = s > 1e-12 ? s : 1e-12;
    }
    free(td.in);
    /* v is (l, m), the baseline's lamp and the session's, each scaled by a
     * positive factor (the photos' contrasts): their directions are the
     * lamps' azimuths, up to one common sign. */
    double lx = v[0], ly = v[1], mx = v[2], my = v[3];
    *turn_deg = wrap_deg(atan2(lx * my - ly * mx, lx * mx + ly * my) * 180.0 / M_PI);
    if (residual) {
        double r = lam / 0.5; /* the trace is about 2: 0.5 is the mean eigenvalue */
        *residual = r < 0 ? 0 : (r > 1 ? 1 : r);
    }
    return ST_OK;
}

int st_lamp_turn(const st_image *baseline, const st_image *session, const unsigned char *mask,
                 size_t mask_stride, double *turn_deg, double *residual, st_err *err)
{
    *turn_deg = 0;
    if (residual)
        *residual = 1;
    int rc = check_turn(baseline, session, err);
    if (rc)
        return rc;
    st_image sess = *session;
    sess.pixel_mm = baseline->pixel_mm; /* registered onto the baseline's pixels */
    float *sb = NULL, *ss = NULL;
    if (!(rc = smoothed(baseline, &sb, err)) && !(rc = smoothed(&sess, &ss, err)))
        rc = turn_from_smoothed(sb, ss, baseline, mask, mask_stride, turn_deg, residual, err);
    free(sb);
    free(ss);
    return rc;
}

int st_lamp_session(const st_image *baseline, const st_lamp *base, const st_image *session,
                    const unsigned char *mask, size_t mask_stride, st_lamp *out,
                    double *angle_to_baseline_deg, st_err *err)
{
    /* st_lamp_estimate, then st_lamp_turn, smoothing the session once when
     * both read it at the same pixel size (a registered series). */
    double turn = 0;
    memset(out, 0, sizeof *out);
    int rc = check_shading(session, "photo's", err);
    float *ss = NULL, *sb = NULL, *st = NULL;
    if (rc || (rc = smoothed(session, &ss, err)))
        return rc;
    rc = lamp_from_smoothed(ss, session, mask, mask_stride, out, err);
    if (!rc)
        rc = check_turn(baseline, session, err);
    if (!rc && session->pixel_mm != baseline->pixel_mm) {
        st_image sess = *session;
        sess.pixel_mm = baseline->pixel_mm; /* registered onto the baseline's pixels */
        rc = smoothed(&sess, &st, err);
    }
    if (!rc && !(rc = smoothed(baseline, &sb, err)))
        rc = turn_from_smoothed(sb, st ? st : ss, baseline, mask, mask_stride, &turn, NULL, err);
    free(ss);
    free(sb);
    free(st);
    if (rc)
        return rc;
    out->azimuth_deg = wrap_deg(base->azimuth_deg + turn);
    set_direction(out);
    *angle_to_baseline_deg = st_lamp_angle_deg(base->direction, out->direction);
    return ST_OK;
}

double st_lamp_angle_deg(const double a[3], const double b[3])
{
    /* atan2 of |a×b| and a·b: exact near 0° and 180°, unlike acos */
    double cx = a[1] * b[2] - a[2] * b[1], cy = a[2] * b[0] - a[0] * b[2], cz = a[0] * b[1] - a[1] * b[0];
    double d = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    return atan2(sqrt(cx * cx + cy * cy + cz * cz), d) * 180.0 / M_PI;
}
