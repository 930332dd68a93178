/* Detections on generated skin (samples/generator) against its exact ground
 * truth: scars on height maps, pores on photos, wrinkles, and photometric
 * stereo from four Lambertian renders. */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/detect.h"
#include "report/overlay.h"
#include "simd/kernels.h"
#include "skingen.h"
#include "flat_luminance.h"
#include "test_util.h"

#ifndef SQ_UM
#define SQ_UM 8.0
#endif
#ifndef FBM_MM
#define FBM_MM 3.0
#endif

/* Writes the detections (and, beside, the truth) over img into the test's
 * scratch folder, to look at. */
static void save_overlay(const st_image *img, const st_detections *d, double pmm, const char *name)
{
    st_image *o = NULL;
    st_err err = {0};
    char path[1200];
    CHECK_EQ_INT(st_overlay_detections(img, d, pmm, &o, &err), ST_OK);
    snprintf(path, sizeof path, "%s/%s.png", test_tmpdir("detect_gen"), name);
    CHECK_MSG(st_image_save_png(o, path, 8, &err) == ST_OK, "%s", err.msg);
    st_image_free(o);
}

static skingen_skin *make_skin(skingen_params *p)
{
    skingen_skin *skin = NULL;
    st_err err = {0};
    int rc = skingen_skin_new(p, &skin, &err);
    CHECK_MSG(rc == ST_OK, "%s", err.msg);
    return skin;
}

static const st_scar *match_scar(const st_detections *d, double x, double y, double r_px)
{
    const st_scar *best = NULL;
    for (size_t j = 0; j < d->n_scars; j++)
        if (hypot(d->scars[j].x - x, d->scars[j].y - y) < r_px)
            best = &d->scars[j];
    return best;
}

/* Height map with relief (fine-textured skin, Sq 8 µm, so that the scar
 * threshold is SPEC.md's 30 µm floor), pores and three scar kinds: each
 * found and classified, max depth within 10 %, volume within 15 %, area
 * within 15 % of the area deeper than 30 µm (the scar's definition); the
 * same skin without scars gives none. On the default cheek relief (Sq
 * 22 µm) the threshold is 3 Sq = 66 µm and relief adds +-2 Sq to depths. */
static void test_scars_height(void)
{
    const double pmm = 0.04;
    const int w = 420, h = 360;
    skingen_params p;
    skingen_params_default(&p, 17, w, h, pmm);
    const skingen_scar scars[3] = {{SKINGEN_ICEPICK, 80, 80, 1.2, 0.9, 20, 400},
                                   {SKINGEN_BOXCAR, 300, 90, 3.0, 0.8, 60, 250},
                                   {SKINGEN_ROLLING, 170, 250, 5.0, 0.8, 120, 180}};
    p.scars = scars;
    p.n_scars = 3;
    p.n_wrinkles = 0;
    p.sq_um = SQ_UM;
    p.fbm_max_mm = FBM_MM;
    skingen_skin *skin = make_skin(&p);
    skingen_state s;
    skingen_state_baseline(&s);
    skingen_camera c;
    skingen_camera_default(&c, w, h, 1);
    st_image *hm = NULL;
    st_err err = {0};
    CHECK_EQ_INT(skingen_render_height(skin, &s, &c, &hm, &err), ST_OK);
    st_detect_input in = {.surface = hm, .unit = ST_UNIT_UM, .modality = ST_DETECT_HEIGHT};
    st_metric_set ms = {0};
    st_detections d = {0};
    CHECK_EQ_INT(st_scars_detect(&in, 2, 0, &ms, &d, &err), ST_OK);
    for (int i = 0; i < 3; i++) {
        skingen_scar_truth t;
        skingen_scar_geometry(&scars[i], 1.0, &t);
        const st_scar *m = match_scar(&d, scars[i].x, scars[i].y, 0.25 * scars[i].d_mm / pmm);
        CHECK_MSG(m != NULL, "scar %d not found", i);
        if (!m)
            continue;
        printf("gen scar %d (%s): max %.1f/%.1f, area %.3f/%.3f (footprint %.3f), vol %.5f/%.5f\n",
               i, m->type, m->max_depth, t.max_depth_um, m->area_mm2, t.area30_mm2, t.area_mm2,
               m->volume_mm3, t.volume_mm3);
        CHECK_REL(m->max_depth, t.max_depth_um, 0.10);
        CHECK_REL(m->area_mm2, t.area30_mm2, 0.15);
        CHECK_REL(m->volume_mm3, t.volume_mm3, 0.15);
        const char *kind[3] = {"icepick", "boxcar", "rolling"};
        CHECK_MSG(!strcmp(m->type, kind[scars[i].kind]), "scar %d typed %s", i, m->type);
    }
    CHECK_EQ_INT(d.n_scars, 3);
    st_metric_set_clear(&ms);
    st_detections_clear(&d);
    st_image_free(hm);
    /* the same skin, scars not drawn */
    s.features = SKINGEN_F_ALL & ~SKINGEN_F_SCARS;
    CHECK_EQ_INT(skingen_render_height(skin, &s, &c, &hm, &err), ST_OK);
    in.surface = hm; /* (a call before this line read the freed map: ASan) */
    CHECK_EQ_INT(st_scars_detect(&in, 2, 0, &ms, &d, &err), ST_OK);
    CHECK_EQ_INT(d.n_scars, 0);
    st_metric_set_clear(&ms);
    st_detections_clear(&d);
    st_image_free(hm);
    skingen_skin_free(skin);
}

/* Pores on a generated photo under diffuse clinic light with a light
 * gradient (relief shading, colour, vignetting, noise, optical blur):
 * recall and precision >= 0.90 within one radius, mean diameter within
 * 15 %. */
static void test_pores_photo(void)
{
    const double pmm = 0.02;
    const int w = 480, h = 400;
    skingen_params p;
    skingen_params_default(&p, 23, w, h, pmm);
    skingen_skin *skin = make_skin(&p);
    skingen_state s;
    skingen_state_baseline(&s);
    s.features = SKINGEN_F_RELIEF | SKINGEN_F_PORES | SKINGEN_F_COLOUR;
    skingen_camera c;
    skingen_camera_default(&c, w, h, 5);
    c.ambient = 0.6;
    c.gradient[0] = 0.25;
    c.gradient[1] = -0.1;
    st_image *rgb = NULL;
    st_err err = {0};
    CHECK_EQ_INT(skingen_render_photo(skin, &s, &c, &rgb, &err), ST_OK);
    st_image *lum = flat_luminance(rgb, pmm);
    st_detect_input in = {.surface = lum, .rgb = rgb, .pixel_mm = pmm};
    st_metric_set ms = {0};
    st_detections d = {0};
    CHECK_EQ_INT(st_pores_detect(&in, 2, &ms, &d, &err), ST_OK);
    int n = 0;
    const skingen_pore *tp = skingen_skin_pores(skin, &n);
    int tp_hits = 0, n_in = 0;
    double dsum_t = 0, dsum_d = 0;
    for (int i = 0; i < n; i++) {
        if (tp[i].x < 4 || tp[i].y < 4 || tp[i].x > w - 5 || tp[i].y > h - 5)
            continue;
        n_in++;
        double r = 0.5 * tp[i].d_mm / pmm;
        for (size_t j = 0; j < d.n_pores; j++)
            if (hypot(d.pores[j].x - tp[i].x, d.pores[j].y - tp[i].y) <= r) {
                tp_hits++;
                dsum_t += skingen_pore_spec_d_mm(&tp[i]);
                dsum_d += d.pores[j].d_mm;
                break;
            }
    }
    size_t good = 0;
    for (size_t j = 0; j < d.n_pores; j++)
        for (int i = 0; i < n; i++)
            if (hypot(d.pores[j].x - tp[i].x, d.pores[j].y - tp[i].y) <= 0.5 * tp[i].d_mm / pmm) {
                good++;
                break;
            }
    save_overlay(lum, &d, pmm, "pores_found");
    st_detections truth = {0};
    truth.pores = calloc((size_t)n + 1, sizeof *truth.pores);
    for (int i = 0; i < n; i++)
        truth.pores[truth.n_pores++] = (st_pore){tp[i].x, tp[i].y, tp[i].d_mm, 0, 0};
    save_overlay(lum, &truth, pmm, "pores_truth");
    st_detections_clear(&truth);
    double recall = n_in ? (double)tp_hits / n_in : 0, prec = d.n_pores ? (double)good / d.n_pores : 0;
    printf("generated pores: %d true, %zu found, recall %.3f, precision %.3f, mean d %.3f/%.3f mm\n",
           n_in, d.n_pores, recall, prec, tp_hits ? dsum_d / tp_hits : 0, tp_hits ? dsum_t / tp_hits : 0);
    CHECK(recall >= 0.90);
    CHECK(prec >= 0.90);
    CHECK(tp_hits > 0 && fabs(dsum_d / dsum_t - 1.0) <= 0.15);
    st_metric_set_clear(&ms);
    st_detections_clear(&d);
    st_image_free(lum);
    st_image_free(rgb);
    skingen_skin_free(skin);
}

/* Wrinkles on a generated height map (fine relief, pores): total length
 * at half depth within 10 %, dominant orientation within 5 degrees; width
 * and depth index near the truth. */
static void test_wrinkles_height(void)
{
    const double pmm = 0.04;
    const int w = 400, h = 360;
    skingen_params p;
    skingen_params_default(&p, 31, w, h, pmm);
    /* three lines at about -25 deg on screen (y down: +25 deg in image axes) */
    const skingen_wrinkle wr[3] = {{60, 80, 300, 192, 0.30, 50},
                                   {90, 170, 330, 282, 0.25, 40},
                                   {40, 260, 200, 335, 0.35, 60}};
    p.wrinkles = wr;
    p.n_wrinkles = 3;
    p.n_scars = 0;
    p.sq_um = SQ_UM;
    p.fbm_max_mm = FBM_MM;
    skingen_skin *skin = make_skin(&p);
    skingen_state s;
    skingen_state_baseline(&s);
    skingen_camera c;
    skingen_camera_default(&c, w, h, 3);
    st_image *hm = NULL;
    st_err err = {0};
    CHECK_EQ_INT(skingen_render_height(skin, &s, &c, &hm, &err), ST_OK);
    st_detect_input in = {.surface = hm, .unit = ST_UNIT_UM, .modality = ST_DETECT_HEIGHT};
    st_metric_set ms = {0};
    st_detections d = {0};
    CHECK_EQ_INT(st_wrinkles_detect(&in, 2, &ms, &d, &err), ST_OK);
    save_overlay(hm, &d, pmm, "wrinkles_found");
    /* Length as width is measured, at half depth: the generator tapers a
     * wrinkle's depth over the last fifth at each end (smoothstep), which
     * passes half depth a tenth in from each end, so the length deeper than
     * half the groove is 0.8 of the segment (the whole segment would ask
     * the detector to follow the ends down to nothing). */
    double len = 0, ang = 0, wid = 0, dep = 0;
    for (int i = 0; i < 3; i++) {
        len += 0.8 * hypot(wr[i].x1 - wr[i].x0, wr[i].y1 - wr[i].y0) * pmm;
        wid += wr[i].width_mm / 3;
        dep += wr[i].depth_um / 3;
    }
    ang = -atan2(wr[0].y1 - wr[0].y0, wr[0].x1 - wr[0].x0) * 180.0 / M_PI;
    const st_metric *ml = st_metric_set_find(&ms, "wrinkles.length_mm_cm2");
    const st_metric *mo = st_metric_set_find(&ms, "wrinkles.orientation_deg");
    const st_metric *mw = st_metric_set_find(&ms, "wrinkles.mean_width_mm");
    const st_metric *md = st_metric_set_find(&ms, "wrinkles.depth_index");
    CHECK(ml && mo && mw && md);
    if (ml && mo && mw && md) {
        double area_cm2 = w * h * pmm * pmm / 100.0;
        printf("generated wrinkles: %zu lines, length %.2f/%.2f mm, orientation %.1f/%.1f deg, "
               "width %.3f/%.3f mm, depth %.1f/%.1f um\n",
               d.n_wrinkles, ml->value * area_cm2, len, mo->value, ang, mw->value, wid, md->value, dep);
        CHECK_REL(ml->value * area_cm2, len, 0.10);
        CHECK_NEAR(mo->value, ang, 5.0);
        CHECK_REL(mw->value, wid, 0.35);
        CHECK_REL(md->value, dep, 0.35);
    }
    st_metric_set_clear(&ms);
    st_detections_clear(&d);
    st_image_free(hm);
    skingen_skin_free(skin);
}

/* Linear luminance of a rendered photo (photometric stereo wants linear
 * intensities). */
static st_image *linear_luminance(const st_image *rgb)
{
    st_image *y = NULL;
    st_err err = {0};
    st_image_new(rgb->width, rgb->height, 1, &y, &err);
    float *lin = malloc(3 * (size_t)rgb->width * sizeof *lin);
    for (int r = 0; r < rgb->height; r++) {
        for (int c = 0; c < 3; c++)
            st_srgb_to_linear(st_image_row(rgb, c, r), lin + (size_t)c * rgb->width, (size_t)rgb->width);
        for (int x = 0; x < rgb->width; x++)
            st_image_row(y, 0, r)[x] = 0.2126f * lin[x] + 0.7152f * lin[rgb->width + x] +
                                       0.0722f * lin[2 * rgb->width + x];
    }
    free(lin);
    return y;
}

/* Photometric stereo of a generated skin under four lights (exact Lambert
 * renders): the integrated height map gives the scar's max depth within
 * 15 % and its volume within 20 %. */
static void test_photostereo_gen(void)
{
    const double pmm = 0.04;
    const int w = 320, h = 280;
    skingen_params p;
    skingen_params_default(&p, 41, w, h, pmm);
    const skingen_scar scar = {SKINGEN_BOXCAR, 160, 140, 3.0, 0.85, 30, 200};
    p.scars = &scar;
    p.n_scars = 1;
    p.n_wrinkles = 0;
    p.sq_um = SQ_UM;
    p.fbm_max_mm = FBM_MM;
    skingen_skin *skin = make_skin(&p);
    skingen_state s;
    skingen_state_baseline(&s);
    s.features = SKINGEN_F_RELIEF | SKINGEN_F_SCARS | SKINGEN_F_PORES;
    const double l[4][3] = {{0.5, 0, 0.866}, {0, 0.5, 0.866}, {-0.5, 0, 0.866}, {0, -0.5, 0.866}};
    st_image *img[4];
    st_err err = {0};
    for (int k = 0; k < 4; k++) {
        skingen_camera c;
        skingen_camera_default(&c, w, h, 7 + k);
        c.lambert_exact = 1;
        memcpy(c.light, l[k], sizeof c.light);
        st_image *rgb = NULL;
        CHECK_EQ_INT(skingen_render_photo(skin, &s, &c, &rgb, &err), ST_OK);
        img[k] = linear_luminance(rgb);
        st_image_free(rgb);
    }
    st_image *hm = NULL;
    st_photostereo_opts o = {.threads = 2};
    CHECK_EQ_INT(st_photostereo((const st_image *const *)img, l, 4, pmm, &o, &hm, NULL, &err), ST_OK);
    st_detect_input in = {.surface = hm, .unit = ST_UNIT_UM, .modality = ST_DETECT_STEREO};
    st_metric_set ms = {0};
    st_detections d = {0};
    CHECK_EQ_INT(st_scars_detect(&in, 2, 1, &ms, &d, &err), ST_OK);
    save_overlay(hm, &d, pmm, "stereo_height");
    skingen_scar_truth t;
    skingen_scar_geometry(&scar, 1.0, &t);
    const st_scar *m = match_scar(&d, scar.x, scar.y, 0.25 * scar.d_mm / pmm);
    CHECK(m != NULL);
    if (m) {
        printf("stereo scar: max %.1f/%.1f um, volume %.4f/%.4f mm3, area %.2f/%.2f mm2\n",
               m->max_depth, t.max_depth_um, m->volume_mm3, t.volume_mm3, m->area_mm2, t.area30_mm2);
        CHECK_REL(m->max_depth, t.max_depth_um, 0.15);
        CHECK_REL(m->volume_mm3, t.volume_mm3, 0.20);
    }
    st_metric_set_clear(&ms);
    st_detections_clear(&d);
    st_image_free(hm);
    for (int k = 0; k < 4; k++)
        st_image_free(img[k]);
    skingen_skin_free(skin);
}

/* Same input, same bytes, whatever the thread count: every family on a
 * generated photo with 1 and 2 threads. */
static void test_thread_determinism(void)
{
    const double pmm = 0.03;
    const int w = 300, h = 260;
    skingen_params p;
    skingen_params_default(&p, 5, w, h, pmm);
    skingen_skin *skin = make_skin(&p);
    skingen_state s;
    skingen_state_baseline(&s);
    skingen_camera c;
    skingen_camera_default(&c, w, h, 2);
    st_image *rgb = NULL;
    st_err err = {0};
    CHECK_EQ_INT(skingen_render_photo(skin, &s, &c, &rgb, &err), ST_OK);
    st_image *lum = flat_luminance(rgb, pmm);
    st_detect_input in = {.rgb = rgb, .surface = lum, .pixel_mm = pmm};
    st_metric_set ms[2] = {{0}};
    st_detections d[2] = {{0}};
    for (int k = 0; k < 2; k++) {
        st_detect_opts o = {.threads = k + 1, .keep_scar_labels = 1};
        CHECK_EQ_INT(st_detect_all(&in, &o, &ms[k], &d[k], &err), ST_OK);
    }
    CHECK_EQ_INT(ms[0].count, ms[1].count);
    for (size_t i = 0; i < ms[0].count && ms[0].count == ms[1].count; i++)
        CHECK_MSG(!memcmp(&ms[0].items[i], &ms[1].items[i], sizeof ms[0].items[i]), "%s differs",
                  ms[0].items[i].name);
    CHECK(d[0].n_pores == d[1].n_pores &&
          !memcmp(d[0].pores, d[1].pores, d[0].n_pores * sizeof *d[0].pores));
    CHECK(d[0].n_scars == d[1].n_scars &&
          !memcmp(d[0].scars, d[1].scars, d[0].n_scars * sizeof *d[0].scars));
    CHECK_EQ_INT(d[0].n_wrinkles, d[1].n_wrinkles);
    for (size_t i = 0; i < d[0].n_wrinkles && d[0].n_wrinkles == d[1].n_wrinkles; i++)
        CHECK(d[0].wrinkles[i].length_mm == d[1].wrinkles[i].length_mm &&
              d[0].wrinkles[i].n_path == d[1].wrinkles[i].n_path);
    CHECK(ms[0].count >= 15);
    for (int k = 0; k < 2; k++) {
        st_metric_set_clear(&ms[k]);
        st_detections_clear(&d[k]);
    }
    st_image_free(lum);
    st_image_free(rgb);
    skingen_skin_free(skin);
}

int main(void)
{
    test_thread_determinism();
    test_photostereo_gen();
    test_wrinkles_height();
    test_scars_height();
    test_pores_photo();
    return test_summary();
}
