/* ECC iterations (ecc.h): one fused pass per iteration, then the
 * Gauss-Newton step of Evangelidis & Psarakis 2008 (eq. 26 and the lambda of
 * eq. 27-28), in OpenCV's parameter order so the updates match its.
 *
 * Jacobian. With warp W(x, y) = (X/D, Y/D) and image gradient (gx, gy) at
 * W(x, y), every parameter's column of J is one of three "components"
 * a = (gx/D, gy/D, -(u gx + v gy)/D) times one monomial of (1, x, y); the
 * affine and translation warps use a = (gx, gy). So, per template row (y
 * fixed), it is enough to accumulate, over x, the sums of a_c a_d x^k
 * (k <= 2), a_c i x^k, a_c t x^k, a_c x^k (k <= 1) and the plain moments of
 * i and t; they become the entries of J^T J, J^T i, J^T t and sum J once
 * multiplied by powers of y in double. Per-row sums are float in 8 lanes
 * (a loop the compiler vectorises), rows are added in double in blocks of
 * ROWS_PER_BLOCK rows, and blocks in their order. */
#include "register/ecc.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/parallel.h"

#define LANES 8
#define ROWS_PER_BLOCK 8

/* Row accumulators (float x LANES). */
enum { A_N, A_I, A_T, A_II, A_TT, A_IT, A_R = 6, A_P = 12, A_Q = 18, A_S = 24, A_COUNT = 42 };
/* Component pairs (c <= d) -> index; pair (c, d) of 3 components. */
static const int PAIR[3][3] = {{0, 1, 2}, {1, 3, 4}, {2, 4, 5}};
/* Monomials 1, x, y, xx, xy, yy; product of two of (1, x, y). */
enum { M_1, M_X, M_Y, M_XX, M_XY, M_YY };
static const int MPROD[3][3] = {{M_1, M_X, M_Y}, {M_X, M_XX, M_XY}, {M_Y, M_XY, M_YY}};

/* Block sums (double): the 6 moments, then per component the monomials
 * 1, x, y of a_c, a_c i, a_c t, then per pair the 6 monomials of a_c a_d. */
enum { G_R = 6, G_P = 15, G_Q = 24, G_S = 33, G_COUNT = 69 };

typedef struct ecc_pass {
    const st_ecc_level *lv;
    double w[9];
    int homog;
    int row_step;               /* template rows used: every row_step-th */
    int x0, x1, y0, y1;         /* template pixels used: [x0, x1] x [y0, y1] */
    float ulo, uhi, vlo, vhi;   /* warped positions used */
    double *blocks;             /* nblocks x G_COUNT */
} ecc_pass;

typedef float acc_t[A_COUNT][LANES];

/* Per-lane accumulation of one component a_c (times i, t and x^k) and of
 * one product a_c a_d (times x^k): macros, so that the lane loop stays one
 * flat loop the compiler vectorises. */
#define ACC_COMP(c, ac)                                                                        \
    do {                                                                                       \
        acc[A_R + 2 * (c)][l] += (ac);                                                         \
        acc[A_R + 2 * (c) + 1][l] += (ac) * xf;                                                \
        acc[A_P + 2 * (c)][l] += (ac) * i;                                                     \
        acc[A_P + 2 * (c) + 1][l] += ((ac) * i) * xf;                                          \
        acc[A_Q + 2 * (c)][l] += (ac) * t;                                                     \
        acc[A_Q + 2 * (c) + 1][l] += ((ac) * t) * xf;                                          \
    } while (0)
#define ACC_PAIR(pr, ac, ad)                                                                   \
    do {                                                                                       \
        float p_ = (ac) * (ad);                                                                \
        acc[A_S + 3 * (pr)][l] += p_;                                                          \
        acc[A_S + 3 * (pr) + 1][l] += p_ * xf;                                                 \
        acc[A_S + 3 * (pr) + 2][l] += p_ * xx;                                                 \
    } while (0)

/* The lanes of one block of 8 template pixels (x, y) .. (x + 7, y):
 * bilinear sample of (value, gx, gy) at the warped position, components,
 * accumulation. Invalid lanes contribute exact zeros. */
static inline __attribute__((always_inline)) void block8(const ecc_pass *p, int y, int x,
                                                         const float *restrict trow, int homog,
                                                         float (*restrict acc)[LANES])
{
    const st_ecc_level *lv = p->lv;
    const double *w = p->w;
    const float *img = lv->img;
    const size_t iw4 = (size_t)lv->iw * 4;
    float u[LANES], v[LANES], inv[LANES], fx[LANES], fy[LANES], ok[LANES], s[3][LANES];
    int idx[LANES];
    const float w0 = (float)w[0], w3 = (float)w[3], w6 = (float)w[6];
    const float xr0 = (float)(w[1] * y + w[2]), yr0 = (float)(w[4] * y + w[5]);
    const float dr0 = (float)(w[7] * y + w[8]);
    const float ulo = p->ulo, uhi = p->uhi, vlo = p->vlo, vhi = p->vhi;
    const int xlast = p->x1, iw = lv->iw;
    for (int l = 0; l < LANES; l++) {
        float xf = (float)(x + l);
        float d = homog ? 1.0f / (w6 * xf + dr0) : 1.0f;
        float uu = (w0 * xf + xr0) * d, vv = (w3 * xf + yr0) * d;
        int in = (x + l <= xlast) & (uu >= ulo) & (uu <= uhi) & (vv >= vlo) & (vv <= vhi);
        ok[l] = in ? 1.0f : 0.0f;
        uu = in ? uu : ulo;
        vv = in ? vv : vlo;
        int iu = (int)uu, iv = (int)vv; /* >= 1: truncation is the floor */
        u[l] = uu;
        v[l] = vv;
        inv[l] = in ? d : 0.0f;
        fx[l] = uu - (float)iu;
        fy[l] = vv - (float)iv;
        idx[l] = iv * iw + iu;
    }
    for (int l = 0; l < LANES; l++) {
        const float *q0 = img + (size_t)idx[l] * 4, *q1 = q0 + iw4;
        float a = fx[l], b = fy[l];
        for (int c = 0; c < 3; c++) {
            float top = q0[c] + a * (q0[4 + c] - q0[c]);
            float bot = q1[c] + a * (q1[4 + c] - q1[c]);
            s[c][l] = top + b * (bot - top);
        }
    }
    for (int l = 0; l < LANES; l++) {
        float in = ok[l], xf = (float)(x + l), xx = xf * xf;
        float i = s[0][l] * in, t = trow[x + l] * in;
        float a0 = s[1][l] * inv[l], a1 = s[2][l] * inv[l];
        acc[A_N][l] += in;
        acc[A_I][l] += i;
        acc[A_T][l] += t;
        acc[A_II][l] += i * i;
        acc[A_TT][l] += t * t;
        acc[A_IT][l] += i * t;
        ACC_COMP(0, a0);
        ACC_COMP(1, a1);
        ACC_PAIR(0, a0, a0);
        ACC_PAIR(1, a0, a1);
        ACC_PAIR(3, a1, a1);
        if (homog) {
            float a2 = -(u[l] * a0 + v[l] * a1);
            ACC_COMP(2, a2);
            ACC_PAIR(2, a0, a2);
            ACC_PAIR(4, a1, a2);
            ACC_PAIR(5, a2, a2);
        }
    }
}

static void row_affine(const ecc_pass *p, int y, float (*restrict acc)[LANES])
{
    const float *trow = p->lv->tpl + (size_t)y * p->lv->tstride;
    for (int x = p->x0; x <= p->x1; x += LANES)
        block8(p, y, x, trow, 0, acc);
}

static void row_homography(const ecc_pass *p, int y, float (*restrict acc)[LANES])
{
    const float *trow = p->lv->tpl + (size_t)y * p->lv->tstride;
    for (int x = p->x0; x <= p->x1; x += LANES)
        block8(p, y, x, trow, 1, acc);
}

/* One row's float sums into the block's double sums, with the powers of y. */
static void add_row(const acc_t acc, double y, double *g)
{
    double r[A_COUNT];
    for (int k = 0; k < A_COUNT; k++) {
        /* lanes in a fixed tree order */
        const float *a = acc[k];
        r[k] = (((double)a[0] + a[4]) + ((double)a[2] + a[6])) +
               (((double)a[1] + a[5]) + ((double)a[3] + a[7]));
    }
    for (int k = 0; k < 6; k++)
        g[k] += r[k];
    for (int c = 0; c < 3; c++)
        for (int s = 0; s < 3; s++) { /* R, P, Q */
            const double *src = r + A_R + 6 * s + 2 * c;
            double *dst = g + G_R + 9 * s + 3 * c;
            dst[M_1] += src[0];
            dst[M_X] += src[1];
            dst[M_Y] += y * src[0];
        }
    for (int pr = 0; pr < 6; pr++) {
        const double *src = r + A_S + 3 * pr;
        double *dst = g + G_S + 6 * pr;
        dst[M_1] += src[0];
        dst[M_X] += src[1];
        dst[M_Y] += y * src[0];
        dst[M_XX] += src[2];
        dst[M_XY] += y * src[1];
        dst[M_YY] += y * y * src[0];
    }
}

static void pass_band(void *ctx, int b0, int b1)
{
    const ecc_pass *p = ctx;
    for (int b = b0; b < b1; b++) {
        double *g = p->blocks + (size_t)b * G_COUNT;
        memset(g, 0, G_COUNT * sizeof *g);
        int ya = p->y0 + b * ROWS_PER_BLOCK, yb = ya + ROWS_PER_BLOCK - 1;
        for (int y = ya; y <= yb && y <= p->y1; y += p->row_step) {
            acc_t acc;
            memset(acc, 0, sizeof acc);
            if (p->homog)
                row_homography(p, y, acc);
            else
                row_affine(p, y, acc);
            add_row((const float(*)[LANES])acc, y, g);
        }
    }
}

/* Parameters in OpenCV's order: component c (row c of the warp) times
 * monomial m (0: 1, 1: x, 2: y; column (m + 2) % 3 of the warp). */
typedef struct param_set {
    int n;
    int c[8], m[8];
} param_set;

static const param_set PARAMS_TRANSLATION = {2, {0, 1}, {0, 0}};
static const param_set PARAMS_AFFINE = {6, {0, 1, 0, 1, 0, 1}, {1, 1, 2, 2, 0, 0}};
static const param_set PARAMS_HOMOGRAPHY = {8, {0, 1, 2, 0, 1, 2, 0, 1}, {1, 1, 1, 2, 2, 2, 0, 0}};

static int warp_index(const param_set *ps, int k) { return 3 * ps->c[k] + (ps->m[k] + 2) % 3; }

/* Cholesky solve of the SPD system h z = b (n <= 8); 0 if not positive definite. */
static int solve_spd(const double h[8][8], int n, const double *b, double *z)
{
    double l[8][8] = {{0}};
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++) {
            double s = h[i][j];
            for (int k = 0; k < j; k++)
                s -= l[i][k] * l[j][k];
            if (i == j) {
                if (!(s > 0.0))
                    return 0;
                l[i][i] = sqrt(s);
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    double t[8];
    for (int i = 0; i < n; i++) {
        double s = b[i];
        for (int k = 0; k < i; k++)
            s -= l[i][k] * t[k];
        t[i] = s / l[i][i];
    }
    for (int i = n - 1; i >= 0; i--) {
        double s = t[i];
        for (int k = i + 1; k < n; k++)
            s -= l[k][i] * z[k];
        z[i] = s / l[i][i];
    }
    return 1;
}

/* The step of Evangelidis & Psarakis 2008 from the pass sums g:
 * delta = H^-1 (lambda J^T t' - J^T i'), with i', t' the zero-mean image and
 * template and lambda = (|i'|^2 - i'^T G i') / (i'^T t' - t'^T G i'),
 * G = J H^-1 J^T. Returns 0, or ST_EREGISTER when the correlation would be
 * minimised (lambda's denominator <= 0) or H is singular. */
static int ecc_step(const double *g, const param_set *ps, double *rho, double *delta)
{
    double n = g[A_N], mi = g[A_I] / n, mt = g[A_T] / n;
    double ii = g[A_II] - n * mi * mi, tt = g[A_TT] - n * mt * mt, it = g[A_IT] - n * mi * mt;
    *rho = it / sqrt(ii * tt);
    if (!isfinite(*rho))
        return ST_EREGISTER;
    double h[8][8], ip[8], tp[8], z[8];
    for (int p = 0; p < ps->n; p++) {
        int c = ps->c[p], m = ps->m[p];
        double js = g[G_R + 3 * c + m];
        ip[p] = g[G_P + 3 * c + m] - mi * js;
        tp[p] = g[G_Q + 3 * c + m] - mt * js;
        for (int q = 0; q < ps->n; q++)
            h[p][q] = g[G_S + 6 * PAIR[c][ps->c[q]] + MPROD[m][ps->m[q]]];
    }
    if (!solve_spd(h, ps->n, ip, z))
        return ST_EREGISTER;
    double ln = ii, ld = it;
    for (int p = 0; p < ps->n; p++) {
        ln -= ip[p] * z[p];
        ld -= tp[p] * z[p];
    }
    if (!(ld > 0.0))
        return ST_EREGISTER;
    double lambda = ln / ld, e[8];
    for (int p = 0; p < ps->n; p++)
        e[p] = lambda * tp[p] - ip[p];
    return solve_spd(h, ps->n, e, delta) ? ST_OK : ST_EREGISTER;
}

/* The sums of one pass at warp p->w into g (G_COUNT doubles). */
static void run_pass(ecc_pass *p, int nblocks, int threads, double *g)
{
    st_parallel_for(threads, nblocks, 4, pass_band, p);
    memset(g, 0, G_COUNT * sizeof *g);
    for (int b = 0; b < nblocks; b++)
        for (int k = 0; k < G_COUNT; k++)
            g[k] += p->blocks[(size_t)b * G_COUNT + k];
}

static int check_args(const st_ecc_level *lv, const st_ecc_opts *o, const double warp[9],
                      st_err *err)
{
    if (!lv || !lv->tpl || !lv->img || !o || !warp || o->max_iter < 1 || !(o->border >= 1.0))
        return st_err_set(err, ST_EINVAL, "ECC: bad arguments");
    if (o->model != ST_MODEL_TRANSLATION && o->model != ST_MODEL_AFFINE &&
        o->model != ST_MODEL_HOMOGRAPHY)
        return st_err_set(err, ST_EINVAL, "ECC: unsupported model %d", (int)o->model);
    for (int i = 0; i < 9; i++)
        if (!isfinite(warp[i]))
            return st_err_set(err, ST_EINVAL, "ECC: non-finite warp");
    if (o->model == ST_MODEL_HOMOGRAPHY ? warp[8] != 1.0
                                        : (warp[6] != 0.0 || warp[7] != 0.0 || warp[8] != 1.0))
        return st_err_set(err, ST_EINVAL, "ECC: warp not normalised for its model");
    if (lv->tw - 1 < 2 * o->border || lv->th - 1 < 2 * o->border ||
        lv->iw - 1 < 2 * o->border || lv->ih - 1 < 2 * o->border)
        return st_err_set(err, ST_EREGISTER, "ECC: %dx%d level too small for a %.0f px border",
                          lv->tw, lv->th, o->border);
    return ST_OK;
}

int st_ecc_align(const st_ecc_level *lv, const st_ecc_opts *o, double warp[9],
                 st_ecc_result *res, st_err *err)
{
    int rc = check_args(lv, o, warp, err);
    if (rc)
        return rc;
    const param_set *ps = o->model == ST_MODEL_TRANSLATION
                              ? &PARAMS_TRANSLATION
                              : (o->model == ST_MODEL_AFFINE ? &PARAMS_AFFINE : &PARAMS_HOMOGRAPHY);
    ecc_pass p;
    memset(&p, 0, sizeof p);
    p.lv = lv;
    p.homog = o->model == ST_MODEL_HOMOGRAPHY;
    p.row_step = o->row_step > 1 ? o->row_step : 1;
    p.x0 = (int)ceil(o->border);
    p.y0 = p.x0;
    p.x1 = (int)floor(lv->tw - 1 - o->border);
    p.y1 = (int)floor(lv->th - 1 - o->border);
    /* float bounds rounded inwards, so a sample inside them is inside in double too */
    p.ulo = nextafterf((float)o->border, INFINITY);
    p.vlo = p.ulo;
    p.uhi = nextafterf((float)(lv->iw - 1 - o->border), 0.0f);
    p.vhi = nextafterf((float)(lv->ih - 1 - o->border), 0.0f);
    int nblocks = (p.y1 - p.y0 + ROWS_PER_BLOCK) / ROWS_PER_BLOCK;
    if (!(p.blocks = st_aligned_alloc((size_t)nblocks * G_COUNT * sizeof(double))))
        return st_err_set(err, ST_ENOMEM, "ECC: out of memory");
    double start[9], g[G_COUNT] = {0}, rho = -1.0;
    memcpy(start, warp, sizeof start);
    memcpy(p.w, warp, sizeof p.w);
    size_t need = (size_t)lv->tw * lv->th / 20 / (size_t)p.row_step;
    int it = 0;
    rc = ST_OK;
    for (; it < o->max_iter; it++) {
        run_pass(&p, nblocks, o->threads, g);
        if (!(g[A_N] >= (double)need) || g[A_N] < 2.0 * ps->n) {
            rc = st_err_set(err, ST_EREGISTER, "ECC: too little overlap to refine");
            break;
        }
        double delta[8], next[9];
        if ((rc = ecc_step(g, ps, &rho, delta))) {
            st_err_set(err, rc, "ECC: did not converge (images unrelated or not overlapping)");
            break;
        }
        memcpy(next, p.w, sizeof next);
        for (int k = 0; k < ps->n; k++)
            next[warp_index(ps, k)] += delta[k];
        double moved = st_mat3_corner_distance(p.w, next, lv->tw, lv->th);
        memcpy(p.w, next, sizeof next);
        if (!(moved < 1e6)) {
            rc = st_err_set(err, ST_EREGISTER, "ECC: diverged");
            break;
        }
        if (moved < o->stop_px) {
            it++;
            break;
        }
    }
    st_aligned_free(p.blocks);
    if (res) {
        res->rho = rho;
        res->iterations = it;
        res->used = (size_t)g[A_N];
    }
    memcpy(warp, rc ? start : p.w, 9 * sizeof *warp);
    return rc;
}
