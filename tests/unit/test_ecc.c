/* Our ECC (register/ecc.c) on synthetic pairs with an exact known warp:
 * translation, affine and homography come back to within 0.02 px at the
 * corners from a start more than a pixel off; the result is the same bytes
 * for any thread count; gain and offset do not move it; too little overlap
 * and bad arguments are refused. */
#define _XOPEN_SOURCE 700
#include "test_util.h"

#include "reg_synth.h"
#include "register/ecc.h"

#define W 320
#define H 240
#define SW 520
#define SH 420

/* fixed = S(y + o), moving = S(M x + o); ECC's warp (fixed -> moving) is M^-1. */
static void make_pair(const float *scene, const double m[9], double gain, double offset,
                      st_ecc_level *lv, double truth[9])
{
    synth_params p = {{0}, 1.0, 0.0, 0.002};
    memcpy(p.m, m, sizeof p.m);
    st_image *f, *mv;
    synth_pair(scene, SW, SH, W, H, &p, 5, &f, &mv);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            float *q = st_image_row(mv, 0, y) + x;
            *q = (float)(gain * *q + offset);
        }
    st_plane pf = {f->data, f->stride, W, H}, pm = {mv->data, mv->stride, W, H};
    st_err e;
    CHECK_EQ_INT(st_ecc_prepare(&pf, &pm, 2, lv, &e), ST_OK);
    st_mat3_inverse(m, truth);
    for (int i = 0; i < 9; i++)
        truth[i] /= truth[8];
    st_image_free(f);
    st_image_free(mv);
}

/* Runs ECC from `start` and returns the corner error (template corners). */
static double align_rows(const st_ecc_level *lv, st_reg_model model, const double start[9],
                         const double truth[9], int threads, int row_step, double out[9],
                         st_ecc_result *r)
{
    st_ecc_opts o = {model, 50, 1e-4, 8.0, threads, row_step};
    memcpy(out, start, 9 * sizeof *out);
    st_err e;
    int rc = st_ecc_align(lv, &o, out, r, &e);
    CHECK_MSG(rc == ST_OK, "model %d: %s", (int)model, e.msg);
    double mean, max;
    synth_corner_error(out, truth, W, H, &mean, &max);
    return max;
}

static double align(const st_ecc_level *lv, st_reg_model model, const double start[9],
                    const double truth[9], int threads, double out[9], st_ecc_result *r)
{
    return align_rows(lv, model, start, truth, threads, 1, out, r);
}

/* A start off the truth by a shift of (1.3, -0.9) px and, for the affine
 * and homography models, a 0.5 degree turn about the centre. */
static void perturb(const double truth[9], int turn, double start[9])
{
    double a = turn ? 0.5 * M_PI / 180 : 0.0, cx = (W - 1) / 2.0, cy = (H - 1) / 2.0;
    double r[9] = {cos(a), -sin(a), cx - cos(a) * cx + sin(a) * cy + 1.3,
                   sin(a), cos(a),  cy - sin(a) * cx - cos(a) * cy - 0.9,
                   0,      0,       1};
    st_mat3_mul(truth, r, start);
    for (int i = 0; i < 9; i++)
        start[i] /= start[8];
}

static void test_models(const float *scene)
{
    struct {
        st_reg_model model;
        double th, s, tx, ty, px, py;
    } cases[] = {
        {ST_MODEL_TRANSLATION, 0.0, 1.0, 7.4, -3.6, 0, 0},
        {ST_MODEL_AFFINE, 4.0, 1.05, -5.2, 2.7, 0, 0},
        {ST_MODEL_HOMOGRAPHY, -3.0, 0.97, 4.1, 6.3, 1.5e-4, -1e-4},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        double m[9], truth[9], start[9], out1[9], out2[9], out3[9];
        synth_matrix(W, H, cases[k].th * M_PI / 180, cases[k].s, cases[k].tx, cases[k].ty,
                     cases[k].px, cases[k].py, m);
        st_ecc_level lv;
        make_pair(scene, m, 1.0, 0.0, &lv, truth);
        perturb(truth, cases[k].model != ST_MODEL_TRANSLATION, start);
        double e0, e0max;
        synth_corner_error(start, truth, W, H, &e0, &e0max);
        CHECK(e0max > 1.0);
        st_ecc_result r1, r2, r3;
        double err = align(&lv, cases[k].model, start, truth, 1, out1, &r1);
        CHECK_MSG(err < 0.02, "model %d: corner error %.4f px after %d iterations",
                  (int)cases[k].model, err, r1.iterations);
        CHECK_MSG(r1.rho > 0.98, "model %d: rho %.4f", (int)cases[k].model, r1.rho);
        CHECK(r1.iterations >= 2 && r1.iterations < 50);
        if (getenv("ST_VERBOSE"))
            fprintf(stderr, "model %d: start %.2f px, error %.5f px, rho %.5f, %d iterations\n",
                    (int)cases[k].model, e0max, err, r1.rho, r1.iterations);
        /* Same bytes on 2 and 3 threads (row blocks summed in a fixed order). */
        align(&lv, cases[k].model, start, truth, 2, out2, &r2);
        align(&lv, cases[k].model, start, truth, 3, out3, &r3);
        CHECK(!memcmp(out1, out2, sizeof out1) && !memcmp(out1, out3, sizeof out1));
        CHECK(!memcmp(&r1.rho, &r2.rho, sizeof r1.rho) && r1.iterations == r2.iterations &&
              r1.used == r2.used);
        /* Every other template row: as accurate, half the pixels, and
         * still the same bytes on any thread count. */
        double half1[9], half2[9];
        st_ecc_result h1, h2;
        double eh = align_rows(&lv, cases[k].model, start, truth, 1, 2, half1, &h1);
        align_rows(&lv, cases[k].model, start, truth, 2, 2, half2, &h2);
        CHECK_MSG(eh < 0.02, "model %d, row step 2: corner error %.4f px", (int)cases[k].model,
                  eh);
        CHECK_MSG(h1.used * 2 > r1.used * 0.95 && h1.used * 2 < r1.used * 1.05,
                  "row step 2 used %zu of %zu pixels", h1.used, r1.used);
        CHECK(!memcmp(half1, half2, sizeof half1));
        st_ecc_level_free(&lv);
    }
}

/* The correlation coefficient ignores gain and offset of the image. */
static void test_photometric(const float *scene)
{
    double m[9], truth[9], start[9], a[9], b[9];
    synth_matrix(W, H, 2.0 * M_PI / 180, 1.02, 3.0, -2.0, 0, 0, m);
    st_ecc_level l1, l2;
    make_pair(scene, m, 1.0, 0.0, &l1, truth);
    make_pair(scene, m, 0.6, 0.25, &l2, truth);
    perturb(truth, 1, start);
    st_ecc_result r1, r2;
    double e1 = align(&l1, ST_MODEL_AFFINE, start, truth, 2, a, &r1);
    double e2 = align(&l2, ST_MODEL_AFFINE, start, truth, 2, b, &r2);
    double mean, max;
    synth_corner_error(a, b, W, H, &mean, &max);
    CHECK_MSG(e1 < 0.02 && e2 < 0.02 && max < 0.005, "gain/offset: %.4f %.4f apart %.4f", e1, e2,
              max);
    CHECK_NEAR(r1.rho, r2.rho, 2e-3);
    st_ecc_level_free(&l1);
    st_ecc_level_free(&l2);
}

/* A warp that sends the template almost entirely outside the image, and
 * bad arguments. */
static void test_refusals(const float *scene)
{
    double m[9], truth[9], w[9];
    synth_matrix(W, H, 0, 1.0, 0, 0, 0, 0, m);
    st_ecc_level lv;
    make_pair(scene, m, 1.0, 0.0, &lv, truth);
    double far[9] = {1, 0, 0.9 * W, 0, 1, 0.9 * H, 0, 0, 1};
    memcpy(w, far, sizeof w);
    st_ecc_opts o = {ST_MODEL_AFFINE, 20, 0.01, 8.0, 2, 1};
    st_err e;
    CHECK_EQ_INT(st_ecc_align(&lv, &o, w, NULL, &e), ST_EREGISTER);
    CHECK(!memcmp(w, far, sizeof w)); /* unchanged on failure */
    o.model = ST_MODEL_SIMILARITY;
    CHECK_EQ_INT(st_ecc_align(&lv, &o, w, NULL, &e), ST_EINVAL);
    o.model = ST_MODEL_AFFINE;
    w[6] = 1e-4; /* perspective in an affine warp */
    CHECK_EQ_INT(st_ecc_align(&lv, &o, w, NULL, &e), ST_EINVAL);
    o.border = 0.5;
    w[6] = 0.0;
    CHECK_EQ_INT(st_ecc_align(&lv, &o, w, NULL, &e), ST_EINVAL);
    st_ecc_level_free(&lv);
}

int main(void)
{
    float *scene = synth_texture(SW, SH, 21);
    test_models(scene);
    test_photometric(scene);
    test_refusals(scene);
    st_aligned_free(scene);
    return test_summary();
}
