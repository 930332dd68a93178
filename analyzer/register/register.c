/* The registration stage: coarse (Fourier-Mellin + phase correlation) ->
 * fine (ECC on flattened pyramid levels) -> feature fallback -> verification.
 * Every path ends in the verification; nothing is reported "ok" that the
 * aligned images themselves do not support. */
#define _POSIX_C_SOURCE 200809L
#include "register/register.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/alloc.h"
#include "fft/fft.h"
#include "register/coarse.h"
#include "register/ecc.h"
#include "register/pyramid.h"
#include "register/verify.h"

/* A translation correlation peak this many sidelobe SDs above the mean is
 * a confident coarse estimate (random textures give 4-6). */
#define COARSE_PSR_MIN 8.0
/* ECC starts on the level whose larger side is <= this: Gauss-Newton on an
 * 8-parameter model converges slowly from a start several pixels off, and
 * a pixel at 256 px is a quarter pixel at 1024. */
#define ECC_START_DIM 256

void st_register_opts_default(st_register_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_model = ST_MODEL_HOMOGRAPHY;
    o->coarse_max_dim = 512;
    o->fine_max_dim = 1024;
    o->ok_ncc = 0.5;
    o->fail_ncc = 0.25;
    o->ok_overlap = 0.5;
    o->fail_overlap = 0.2;
}

const char *st_reg_status_name(st_reg_status s)
{
    return s == ST_REG_OK ? "ok" : (s == ST_REG_WARN ? "warn" : "fail");
}

const char *st_reg_model_name(st_reg_model m)
{
    static const char *names[] = {"identity", "translation", "similarity", "affine", "homography"};
    return (m >= ST_MODEL_IDENTITY && m <= ST_MODEL_HOMOGRAPHY) ? names[m] : "unknown";
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

typedef struct reg_ctx {
    st_register_opts o;
    st_pyramid pf, pm;
    int lf, lc; /* fine and coarse levels */
    int le;     /* level ECC starts on (<= ECC_START_DIM px, at least lc) */
    st_ecc_level ecc[ST_PYR_MAX]; /* ECC inputs, made when a level is first refined */
    int mw, mh; /* full-size moving image */
    double t_verify; /* seconds spent verifying candidates */
} reg_ctx;

/* ECC iterations on a w x h level: each level halves the remaining error,
 * so small levels get many cheap iterations and large ones a few costly
 * ones (a budget of about 5e6 pixel-iterations, 5..40). ECC stops
 * earlier once an update moves no corner by more than ECC_STOP_PX. */
static int ecc_iterations(int w, int h)
{
    double n = 5e6 / ((double)w * h);
    return n < 5 ? 5 : (n > 40 ? 40 : (int)n);
}

/* An ECC update moving no corner of the level by more than this (level
 * pixels) ends the iterations: the fine levels start within a fraction of a
 * pixel and need only a few. The finest level stops later, since its error
 * is the result's. */
#define ECC_STOP_PX 0.05
#define ECC_STOP_PX_FINEST 0.02
/* A finest level that is itself reduced (a 12 MP photo refines on its
 * 2000x1500 level) has far more pixels than the 8 parameters need: every
 * other template row gives the same corners (three 12 MP generated series:
 * corner errors within 0.04 px of all rows, either way) at half the cost. */
#define ECC_REDUCED_FINEST_ROW_STEP 2

/* ECC on one pyramid level l with `model` (m is full resolution, updated on
 * success). The level's smoothed planes and gradients are made once and
 * kept in c->ecc. Returns ST_OK, ST_EREGISTER (did not converge) or an error. */
static int refine_level(reg_ctx *c, int l, st_reg_model model, int iterations, double m[9],
                        st_err *err)
{
    st_plane f = st_pyramid_plane(&c->pf, l), mv = st_pyramid_plane(&c->pm, l);
    int rc;
    if (!c->ecc[l].tpl && (rc = st_ecc_prepare(&f, &mv, c->o.threads, &c->ecc[l], err)))
        return rc;
    double ml[9];
    st_mat3_full_to_level(m, l, l, ml);
    /* Leave out the band where the local-contrast filter saw the border
     * (3 sigma): there the two images differ by construction. */
    st_ecc_opts eo = {model, iterations, l == c->lf ? ECC_STOP_PX_FINEST : ECC_STOP_PX,
                      3.0 * st_pyramid_sigma(f.w, f.h) + 2.0, c->o.threads,
                      l == c->lf && l > 0 ? ECC_REDUCED_FINEST_ROW_STEP : 1};
    rc = st_refine_ecc(&c->ecc[l], &eo, ml, NULL, err);
    if (!rc)
        st_mat3_level_to_full(ml, l, l, m);
    return rc;
}

/* On a perspective pair the affine fit converges slowly (each step about
 * half the previous one: it cannot fit), and the homography then starts
 * pixels away. So when a homography follows, the affine fit gets at most
 * this many steps on the finest level (an affine pair converges in 2), and
 * the homography takes the bulk of its steps on the next coarser level, a
 * quarter of the pixels. */
#define ECC_AFFINE_FINEST_STEPS 2

/* ECC from level `from` down to the fine one with `model`; m is full
 * resolution. Below the coarse level the start is already within a fraction
 * of a pixel: a few Gauss-Newton steps converge (and each costs a full pass
 * over a large level). finest_steps > 0 caps the steps on the finest level. */
static int refine_levels(reg_ctx *c, int from, st_reg_model model, int finest_steps, double m[9],
                         st_err *err)
{
    int rc = ST_OK;
    for (int l = from; l >= c->lf && !rc; l--) {
        st_plane f = st_pyramid_plane(&c->pf, l);
        int n = l == c->le ? 30 : ecc_iterations(f.w, f.h);
        if (model == ST_MODEL_HOMOGRAPHY)
            n *= 2;
        if (l == c->lf && finest_steps > 0 && n > finest_steps)
            n = finest_steps;
        rc = refine_level(c, l, model, n, m, err);
    }
    return rc;
}

static int verify(reg_ctx *c, const double m[9], double *ncc, double *overlap, st_err *err)
{
    st_plane f = st_pyramid_plane(&c->pf, c->lf), mv = st_pyramid_plane(&c->pm, c->lf);
    double ml[9];
    st_mat3_full_to_level(m, c->lf, c->lf, ml);
    return st_verify_overlap(&f, &mv, ml, c->o.threads, ncc, overlap, err);
}

/* One candidate path's outcome. */
typedef struct candidate {
    int valid;
    double m[9], ncc, overlap;
} candidate;

/* The 8-parameter homography is kept only when it matches the images
 * clearly better than the affine model it starts from: on a similarity or
 * affine pair its two perspective terms only fit noise, and with a partial
 * overlap they tilt the far corners by pixels (seen at 68 % overlap: 2.2 px). */
#define HOMOGRAPHY_MIN_NCC_GAIN 0.002

static int evaluate(reg_ctx *c, double m[9], candidate *cand, st_err *err)
{
    st_err e2;
    int homography = c->o.max_model == ST_MODEL_HOMOGRAPHY;
    st_reg_model first = homography ? ST_MODEL_AFFINE : c->o.max_model;
    int rc = refine_levels(c, c->le, first, homography ? ECC_AFFINE_FINEST_STEPS : 0, m, &e2);
    if (rc == ST_EREGISTER)
        return ST_OK; /* this path found nothing: cand stays invalid */
    if (rc)
        return st_err_set(err, rc, "%s", e2.msg);
    double t = now();
    rc = verify(c, m, &cand->ncc, &cand->overlap, err);
    c->t_verify += now() - t;
    if (rc)
        return rc;
    if (homography) {
        /* A homography that does not converge leaves the affine result. */
        double mh[9], ncc_h = -1.0, overlap_h = 0.0;
        memcpy(mh, m, sizeof mh);
        rc = refine_levels(c, c->lf < c->le ? c->lf + 1 : c->lf, ST_MODEL_HOMOGRAPHY, 0, mh, &e2);
        if (rc && rc != ST_EREGISTER)
            return st_err_set(err, rc, "%s", e2.msg);
        t = now();
        if (!rc && (rc = verify(c, mh, &ncc_h, &overlap_h, err)))
            return rc;
        c->t_verify += now() - t;
        if (ncc_h > cand->ncc + HOMOGRAPHY_MIN_NCC_GAIN && !*st_implausible(mh, c->mw, c->mh)) {
            memcpy(m, mh, sizeof mh);
            cand->ncc = ncc_h;
            cand->overlap = overlap_h;
        }
    }
    memcpy(cand->m, m, sizeof cand->m);
    cand->valid = 1;
    return ST_OK;
}

static void fill_opts(const st_register_opts *in, st_register_opts *o)
{
    st_register_opts_default(o);
    if (!in)
        return;
    *o = *in;
    if (o->max_model <= ST_MODEL_IDENTITY || o->max_model > ST_MODEL_HOMOGRAPHY)
        o->max_model = ST_MODEL_HOMOGRAPHY;
    if (o->coarse_max_dim <= 0)
        o->coarse_max_dim = 512;
    if (o->fine_max_dim <= 0)
        o->fine_max_dim = 1024;
    if (o->ok_ncc <= 0)
        o->ok_ncc = 0.5;
    if (o->fail_ncc <= 0)
        o->fail_ncc = 0.25;
    if (o->ok_overlap <= 0)
        o->ok_overlap = 0.5;
    if (o->fail_overlap <= 0)
        o->fail_overlap = 0.2;
}

/* The verdict on the best candidate (SPEC.md: ok / warn / fail + reason). */
static void judge(const reg_ctx *c, const candidate *best, st_registration *out)
{
    const st_register_opts *o = &c->o;
    out->status = ST_REG_FAIL;
    if (!best->valid) {
        snprintf(out->message, sizeof out->message,
                 "no transform found: the images share no alignable texture");
        return;
    }
    memcpy(out->matrix, best->m, sizeof out->matrix);
    out->ncc = best->ncc;
    out->overlap = best->overlap;
    st_reg_model model = st_classify_model(best->m, c->mw, c->mh, 0.1);
    out->model = model > (st_reg_model)o->max_model ? (st_reg_model)o->max_model : model;
    const char *why = st_implausible(best->m, c->mw, c->mh);
    if (*why)
        snprintf(out->message, sizeof out->message, "%s", why);
    else if (best->ncc < o->fail_ncc)
        snprintf(out->message, sizeof out->message,
                 "aligned images do not match (NCC %.2f): a different area or subject?", best->ncc);
    else if (best->overlap < o->fail_overlap)
        snprintf(out->message, sizeof out->message, "too little overlap with baseline (%.0f %%)",
                 100.0 * best->overlap);
    else if (best->ncc < o->ok_ncc) {
        out->status = ST_REG_WARN;
        snprintf(out->message, sizeof out->message, "low similarity after alignment (NCC %.2f)",
                 best->ncc);
    } else if (best->overlap < o->ok_overlap) {
        out->status = ST_REG_WARN;
        snprintf(out->message, sizeof out->message, "small overlap with baseline (%.0f %%)",
                 100.0 * best->overlap);
    } else {
        out->status = ST_REG_OK;
        out->message[0] = '\0';
    }
}

static int needs_fallback(const reg_ctx *c, const candidate *a, double psr)
{
    return !c->o.no_fallback && (!a->valid || psr < COARSE_PSR_MIN || a->ncc < c->o.ok_ncc ||
                                 a->overlap < c->o.ok_overlap);
}

/* Feature path: ORB homography on the fine level, then the same ECC. */
static int run_fallback(reg_ctx *c, candidate *b, st_err *err)
{
    st_plane f = st_pyramid_plane(&c->pf, c->lf), mv = st_pyramid_plane(&c->pm, c->lf);
    double ml[9], m[9];
    st_err e2;
    int rc = st_refine_features(&f, &mv, ml, NULL, &e2);
    if (rc == ST_EREGISTER)
        return ST_OK;
    if (rc)
        return st_err_set(err, rc, "%s", e2.msg);
    st_mat3_level_to_full(ml, c->lf, c->lf, m);
    if (*st_implausible(m, c->mw, c->mh))
        return ST_OK; /* RANSAC on unrelated images: nothing to refine */
    return evaluate(c, m, b, err);
}

static int run_paths(reg_ctx *c, st_fft *fft, st_registration *out, candidate *best, st_err *err)
{
    double t = now(), ml[9], m[9], psr = 0.0;
    st_plane f = st_pyramid_plane(&c->pf, c->lc), mv = st_pyramid_plane(&c->pm, c->lc);
    int rc = st_coarse_align(fft, &f, &mv, c->o.threads, ml, &psr, err);
    if (rc)
        return rc;
    st_mat3_level_to_full(ml, c->lc, c->lc, m);
    out->coarse_confidence = psr;
    out->times.coarse = now() - t;
    t = now();
    candidate a = {0}, b = {0};
    if ((rc = evaluate(c, m, &a, err)))
        return rc;
    out->times.refine = now() - t - c->t_verify;
    *best = a;
    if (needs_fallback(c, &a, psr)) {
        t = now();
        if ((rc = run_fallback(c, &b, err)))
            return rc;
        if (b.valid && (!a.valid || b.ncc > a.ncc)) {
            *best = b;
            out->used_fallback = 1;
        }
        out->times.fallback = now() - t; /* verification of this path included */
    }
    return ST_OK;
}

int st_register_pair(const st_image *fixed, const st_image *moving, const st_register_opts *opts,
                     st_registration *out, st_err *err)
{
    if (!fixed || !moving || !out)
        return st_err_set(err, ST_EINVAL, "registration: bad arguments");
    memset(out, 0, sizeof *out);
    out->matrix[0] = out->matrix[4] = out->matrix[8] = 1.0;
    out->status = ST_REG_FAIL;
    reg_ctx c;
    memset(&c, 0, sizeof c);
    fill_opts(opts, &c.o);
    c.mw = moving->width;
    c.mh = moving->height;
    int big_w = fixed->width > moving->width ? fixed->width : moving->width;
    int big_h = fixed->height > moving->height ? fixed->height : moving->height;
    c.lc = st_pyramid_level_for(big_w, big_h, c.o.coarse_max_dim);
    c.lf = st_pyramid_level_for(big_w, big_h, c.o.fine_max_dim);
    c.lf = c.lf > c.lc ? c.lc : c.lf;
    c.le = st_pyramid_level_for(big_w, big_h, ECC_START_DIM);
    c.le = c.le < c.lc ? c.lc : c.le;
    int small = fixed->width < moving->width ? fixed->width : moving->width;
    int small_h = fixed->height < moving->height ? fixed->height : moving->height;
    if ((small >> c.le) < 32 || (small_h >> c.le) < 32)
        return st_err_set(err, ST_EINVAL, "registration: images too small (%dx%d and %dx%d)",
                          fixed->width, fixed->height, moving->width, moving->height);
    double t = now();
    int rc;
    if ((rc = st_pyramid_build(fixed, c.lf, c.le, c.o.threads, &c.pf, err)) ||
        (rc = st_pyramid_build(moving, c.lf, c.le, c.o.threads, &c.pm, err)))
        goto done;
    out->times.pyramid = now() - t;
    st_fft *fft = NULL;
    if ((rc = st_fft_new(c.o.threads, &fft, err)))
        goto done;
    char wpath[4096];
    st_fft_set_wisdom(fft, c.o.wisdom ? c.o.wisdom : st_fft_default_wisdom_path(wpath, sizeof wpath),
                      c.o.fft_measure);
    candidate best = {0};
    rc = run_paths(&c, fft, out, &best, err);
    st_fft_free(fft);
    if (rc)
        goto done;
    judge(&c, &best, out);
    out->times.verify = c.t_verify;
done:
    for (int l = 0; l < ST_PYR_MAX; l++)
        st_ecc_level_free(&c.ecc[l]);
    st_pyramid_free(&c.pf);
    st_pyramid_free(&c.pm);
    return rc;
}
