/* Pores on generated photos (samples/generator) lit from one side at
 * growing slants, against the generator's truth (a match within one
 * radius): the contrast floor comes from the skin's own null contrast and
 * the radial profiles are point-symmetrised, so relief shading must not
 * turn into pores (precision) and the pores' own shading dipole must not
 * hide them (recall). Figures are printed for every light. */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>

#include "metrics/detect.h"
#include "simd/kernels.h"
#include "skingen.h"
#include "flat_luminance.h"
#include "test_util.h"

typedef struct score {
    int n_true, hits;
    size_t n_found, good;
    double d_found, d_true; /* sums over the matched pores, mm */
} score;

/* One photo: light from azimuth az_deg at slant_deg off the camera axis
 * (the photo course's convention, samples/generator/recipes.c), `ambient`
 * share of diffuse light; relief, pores and colour drawn. */
static score run(uint64_t seed, double slant_deg, double az_deg, double ambient)
{
    const double pmm = 0.02;
    const int w = 640, h = 480;
    score sc = {0};
    skingen_params p;
    skingen_params_default(&p, seed, w, h, pmm);
    skingen_skin *skin = NULL;
    st_err err = {0};
    CHECK_EQ_INT(skingen_skin_new(&p, &skin, &err), ST_OK);
    if (!skin)
        return sc;
    skingen_state s;
    skingen_state_baseline(&s);
    s.features = SKINGEN_F_RELIEF | SKINGEN_F_PORES | SKINGEN_F_COLOUR;
    skingen_camera c;
    skingen_camera_default(&c, w, h, seed + 1);
    double a = az_deg * M_PI / 180.0, sl = slant_deg * M_PI / 180.0;
    c.light[0] = sin(sl) * cos(a);
    c.light[1] = sin(sl) * sin(a);
    c.light[2] = cos(sl);
    c.ambient = ambient;
    st_image *rgb = NULL;
    CHECK_EQ_INT(skingen_render_photo(skin, &s, &c, &rgb, &err), ST_OK);
    st_image *lum = flat_luminance(rgb, pmm);
    st_detect_input in = {.surface = lum, .rgb = rgb, .pixel_mm = pmm, .modality = ST_DETECT_PHOTO};
    st_metric_set ms = {0};
    st_detections d = {0};
    CHECK_EQ_INT(st_pores_detect(&in, 2, &ms, &d, &err), ST_OK);
    int n = 0;
    const skingen_pore *tp = skingen_skin_pores(skin, &n);
    for (int i = 0; i < n; i++) {
        if (tp[i].x < 4 || tp[i].y < 4 || tp[i].x > w - 5 || tp[i].y > h - 5)
            continue;
        sc.n_true++;
        for (size_t j = 0; j < d.n_pores; j++)
            if (hypot(d.pores[j].x - tp[i].x, d.pores[j].y - tp[i].y) <= 0.5 * tp[i].d_mm / pmm) {
                sc.hits++;
                sc.d_true += skingen_pore_spec_d_mm(&tp[i]);
                sc.d_found += d.pores[j].d_mm;
                break;
            }
    }
    sc.n_found = d.n_pores;
    for (size_t j = 0; j < d.n_pores; j++)
        for (int i = 0; i < n; i++)
            if (hypot(d.pores[j].x - tp[i].x, d.pores[j].y - tp[i].y) <= 0.5 * tp[i].d_mm / pmm) {
                sc.good++;
                break;
            }
    st_metric_set_clear(&ms);
    st_detections_clear(&d);
    st_image_free(lum);
    st_image_free(rgb);
    skingen_skin_free(skin);
    return sc;
}

/* Two skins per light; recall, precision and the mean diameter of the
 * matched pores over both, checked against the given floors. */
static void check_light(double slant, double az, double ambient, double min_recall,
                        double min_precision)
{
    score t = {0};
    for (uint64_t seed = 61; seed <= 62; seed++) {
        score s = run(seed, slant, az, ambient);
        t.n_true += s.n_true;
        t.hits += s.hits;
        t.n_found += s.n_found;
        t.good += s.good;
        t.d_found += s.d_found;
        t.d_true += s.d_true;
    }
    double recall = t.n_true ? (double)t.hits / t.n_true : 0.0;
    double precision = t.n_found ? (double)t.good / (double)t.n_found : 0.0;
    double derr = t.d_true > 0 ? t.d_found / t.d_true - 1.0 : 1.0;
    printf("light slant %2.0f deg, azimuth %3.0f, ambient %.2f: %d true, %zu found, recall %.3f, "
           "precision %.3f, mean d error %+.1f %%\n",
           slant, az, ambient, t.n_true, t.n_found, recall, precision, 100.0 * derr);
    CHECK(recall >= min_recall);
    CHECK(precision >= min_precision);
    CHECK(fabs(derr) <= 0.15);
}

int main(void)
{
    /* the clinic lamp of bench_detect (40 deg, diffuse share 0.6): the
     * issue's 0.90 / 0.90 */
    check_light(40, 225, 0.6, 0.90, 0.90);
    /* The photo course's lamp (40 deg, diffuse share 0.25) and raking
     * light (60 deg): the floors are the levels the detector reaches today
     * (recall / precision 0.878 / 0.963, 0.845 / 0.992, 0.466 / 0.895;
     * before the null-contrast rule 0.818 / 0.938, 0.730 / 1.000,
     * 0.338 / 0.962), below the 0.90 for recall: the smallest
     * pores (0.06-0.1 mm, 3-5 px) sink in the relief's shading, whose null
     * contrast doubles from 40 to 60 deg. They guard against going back;
     * they are not the target met. */
    check_light(40, 225, 0.25, 0.85, 0.90);
    check_light(60, 225, 0.6, 0.80, 0.90);
    check_light(60, 135, 0.25, 0.40, 0.80);
    return test_summary();
}
