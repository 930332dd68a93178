/* Registration on generated skin (samples/generator: rendered through an
 * exact session -> baseline matrix, the SPEC.md convention), issue 5's
 * acceptance: shifts up to 20 % of the width, rotation +-10 deg, scale
 * 0.9-1.1, exposure +-20 %, a light gradient and noise -> mean corner error
 * <= 0.3 px, max <= 1 px, all ok; perspective (corners moved <= 3 % of the
 * width) -> homography, mean corner error <= 0.5 px; unrelated pairs (other
 * skin seeds, skin vs a non-skin photo) -> all fail. The default run does a
 * few of each; test_register_skin_slow.c runs the full counts. */
#define _XOPEN_SOURCE 700
#include "test_util.h"

#include "reg_synth.h"
#include "skingen.h"

#ifndef N_PAIRS
#define N_PAIRS (getenv("ST_SANITIZED") ? 1 : 3)
#define N_PERSP 1
#define N_UNRELATED (getenv("ST_SANITIZED") ? 2 : 4)
#endif

enum { W = 512, H = 384 };

static st_image *render(const skingen_skin *skin, const skingen_camera *cam)
{
    skingen_state st;
    skingen_state_baseline(&st);
    st_image *img = NULL;
    st_err e;
    if (skingen_render_photo(skin, &st, cam, &img, &e))
        fprintf(stderr, "render: %s\n", e.msg);
    return img;
}

static skingen_skin *make_skin(uint64_t seed)
{
    skingen_params p;
    skingen_params_default(&p, seed, W, H, 0.05);
    skingen_skin *skin = NULL;
    st_err e;
    if (skingen_skin_new(&p, &skin, &e))
        fprintf(stderr, "skin: %s\n", e.msg);
    return skin;
}

/* A random session camera (deterministic from i). */
static void session_camera(int i, int persp, skingen_camera *c)
{
    synth_rng r = {0x9E3779B97F4A7C15ull * (uint64_t)(i + 1)};
    skingen_camera_default(c, W, H, 1000 + (uint64_t)i);
    double u[8];
    for (int k = 0; k < 8; k++)
        u[k] = 2.0 * synth_uniform(&r) - 1.0;
    double px = persp ? 1.2e-4 * u[6] : 0.0, py = persp ? 1.2e-4 * u[7] : 0.0;
    skingen_matrix_camera(c->matrix, W, H, 0.2 * W * u[0], 0.2 * H * u[1], 10.0 * u[2],
                          1.0 + 0.1 * u[3], px, py);
    c->exposure = 1.0 + 0.2 * u[4];
    c->gradient[0] = 0.4 * u[5];
    c->gradient[1] = 0.2 * u[2];
}

static void aligned_pairs(skingen_skin *skin, const st_image *base, int persp, int n)
{
    double sum = 0.0, worst = 0.0;
    int ok = 0;
    for (int i = 0; i < n; i++) {
        skingen_camera cam;
        session_camera(i + 100 * persp, persp, &cam);
        st_image *mov = render(skin, &cam);
        st_register_opts o;
        st_register_opts_default(&o);
        o.wisdom = "off";
        st_registration r;
        st_err e;
        CHECK_EQ_INT(st_register_pair(base, mov, &o, &r, &e), 0);
        double mean, max;
        synth_corner_error(r.matrix, cam.matrix, W, H, &mean, &max);
        ok += r.status == ST_REG_OK;
        sum += mean;
        worst = max > worst ? max : worst;
        CHECK_MSG(r.status == ST_REG_OK && max <= 1.0,
                  "pair %d%s: %s (%s) model %s ncc %.3f overlap %.2f corner error mean %.3f max %.3f",
                  i, persp ? " (perspective)" : "", st_reg_status_name(r.status), r.message,
                  st_reg_model_name(r.model), r.ncc, r.overlap, mean, max);
        if (persp)
            CHECK_MSG(r.model == ST_MODEL_HOMOGRAPHY, "pair %d: model %s", i,
                      st_reg_model_name(r.model));
        st_image_free(mov);
    }
    fprintf(stderr, "%s: %d pairs, %d ok, mean corner error %.3f px, max %.3f px\n",
            persp ? "perspective" : "similarity", n, ok, sum / n, worst);
    CHECK(sum / n <= (persp ? 0.5 : 0.3));
}

static void unrelated_pairs(const st_image *base, int n)
{
    int failed = 0;
    for (int i = 0; i < n; i++) {
        skingen_camera cam;
        session_camera(i + 500, 0, &cam);
        st_image *other = NULL;
        skingen_skin *skin2 = NULL;
        if (i % 4 == 3) {
            st_err e;
            skingen_render_other(77 + (uint64_t)i, &cam, &other, &e);
        } else {
            skin2 = make_skin(1000 + (uint64_t)i);
            other = render(skin2, &cam);
        }
        st_register_opts o;
        st_register_opts_default(&o);
        o.wisdom = "off";
        st_registration r;
        st_err e;
        CHECK_EQ_INT(st_register_pair(base, other, &o, &r, &e), 0);
        failed += r.status == ST_REG_FAIL;
        CHECK_MSG(r.status == ST_REG_FAIL, "unrelated pair %d (%s): %s ncc %.3f overlap %.2f", i,
                  i % 4 == 3 ? "non-skin" : "other skin", st_reg_status_name(r.status), r.ncc,
                  r.overlap);
        st_image_free(other);
        skingen_skin_free(skin2);
    }
    fprintf(stderr, "unrelated: %d pairs, %d fail\n", n, failed);
}

int main(void)
{
    skingen_skin *skin = make_skin(42);
    CHECK(skin != NULL);
    if (!skin)
        return test_summary();
    skingen_camera c0;
    skingen_camera_default(&c0, W, H, 7);
    st_image *base = render(skin, &c0);
    aligned_pairs(skin, base, 0, N_PAIRS);
    aligned_pairs(skin, base, 1, N_PERSP);
    unrelated_pairs(base, N_UNRELATED);
    st_image_free(base);
    skingen_skin_free(skin);
    return test_summary();
}
