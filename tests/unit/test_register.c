/* Registration on synthetic pairs with exact ground truth. */
#define _XOPEN_SOURCE 700
#include "test_util.h"

#include "reg_synth.h"
#include "register/logpolar.h"
#include "register/phasecor.h"
#include "register/refine.h"

/* The feature fallback alone (ORB + RANSAC through the wrapper) recovers a
 * rotated, scaled, shifted pair to within a pixel, before any ECC. */
static void test_features(const float *scene, int sw, int sh, int w, int h)
{
    synth_params p = {{0}, 0.9, 0.3, 0.005};
    synth_matrix(w, h, 25.0 * M_PI / 180, 1.15, 30, -20, 0, 0, p.m);
    st_image *f, *m;
    synth_pair(scene, sw, sh, w, h, &p, 9, &f, &m);
    st_plane pf = {f->data, f->stride, w, h}, pm = {m->data, m->stride, w, h};
    double hm[9];
    int inliers = 0;
    st_err e;
    CHECK_EQ_INT(st_refine_features(&pf, &pm, hm, &inliers, &e), 0);
    double mean, max;
    synth_corner_error(hm, p.m, w, h, &mean, &max);
    CHECK_MSG(max < 1.5 && inliers >= 20, "features: corner error %.2f / %.2f px, %d inliers", mean,
              max, inliers);
    st_image_free(f);
    st_image_free(m);
}

static void test_phasecor_shift(void)
{
    int w = 128, h = 96;
    float *s = synth_texture(w + 64, h + 64, 3);
    st_image *a, *b;
    synth_params p = {{1, 0, 0, 0, 1, 0, 0, 0, 1}, 1.0, 0.0, 0.0};
    synth_matrix(w, h, 0, 1, 0, 0, 0, 0, p.m);
    /* b(x) = S(x + t) = a(x + t): a shift of -t in the b(x) = a(x - d) sense. */
    p.m[2] = 7.0;
    p.m[5] = -4.0;
    synth_pair(s, w + 64, h + 64, w, h, &p, 1, &a, &b);
    st_fft *fft;
    st_fft_new(1, &fft, NULL);
    st_fft_set_wisdom(fft, "off", 0);
    st_phasecor_result r;
    CHECK_EQ_INT(st_phasecor(fft, a->data, a->stride, b->data, b->stride, w, h, 3, 1, &r, NULL), 0);
    CHECK_NEAR(r.dx, -7.0, 0.25);
    CHECK_NEAR(r.dy, 4.0, 0.25);
    CHECK(r.psr > 10);
    st_fft_free(fft);
    st_image_free(a);
    st_image_free(b);
    st_aligned_free(s);
}

static void register_case(const float *scene, int sw, int sh, int w, int h, const synth_params *p,
                          uint64_t seed, double tol_mean, double tol_max, const char *name)
{
    st_image *f, *m;
    synth_pair(scene, sw, sh, w, h, p, seed, &f, &m);
    st_register_opts o;
    st_register_opts_default(&o);
    o.wisdom = "off";
    st_registration r;
    st_err e;
    int rc = st_register_pair(f, m, &o, &r, &e);
    CHECK_MSG(rc == 0, "%s: %s", name, e.msg);
    double mean, max;
    synth_corner_error(r.matrix, p->m, w, h, &mean, &max);
    CHECK_MSG(r.status == ST_REG_OK, "%s: status %s (%s) ncc %.3f overlap %.2f", name,
              st_reg_status_name(r.status), r.message, r.ncc, r.overlap);
    CHECK_MSG(mean <= tol_mean && max <= tol_max, "%s: corner error mean %.3f max %.3f", name,
              mean, max);
    if (getenv("ST_VERBOSE"))
        fprintf(stderr, "%s: %s %s ncc %.3f ov %.2f psr %.1f fb %d err %.3f/%.3f t %.3f+%.3f+%.3f\n",
                name, st_reg_status_name(r.status), st_reg_model_name(r.model), r.ncc, r.overlap,
                r.coarse_confidence, r.used_fallback, mean, max, r.times.coarse, r.times.refine,
                r.times.fallback);
    st_image_free(f);
    st_image_free(m);
}

int main(void)
{
    test_phasecor_shift();
    int w = 512, h = 384, sw = 900, sh = 700;
    float *scene = synth_texture(sw, sh, 11);
    synth_params p = {{0}, 1.0, 0.0, 0.005};
    synth_matrix(w, h, 0.0, 1.0, 40.5, -25.25, 0, 0, p.m);
    register_case(scene, sw, sh, w, h, &p, 1, 0.3, 1.0, "translation");
    synth_matrix(w, h, 8.0 * M_PI / 180, 1.07, -60, 30, 0, 0, p.m);
    p.gain = 0.8;
    p.ramp = 0.6;
    register_case(scene, sw, sh, w, h, &p, 2, 0.3, 1.0, "rot+scale+light");
    synth_matrix(w, h, -9.0 * M_PI / 180, 0.91, 95, 50, 0, 0, p.m);
    p.gain = 1.2;
    register_case(scene, sw, sh, w, h, &p, 3, 0.3, 1.0, "rot-scale-shift");
    synth_matrix(w, h, 3.0 * M_PI / 180, 1.0, 10, 5, 4e-5, -3e-5, p.m);
    register_case(scene, sw, sh, w, h, &p, 4, 0.5, 1.0, "perspective");
    test_features(scene, sw, sh, w, h);
    st_aligned_free(scene);
    return test_summary();
}
