/* The generator's chromophore skin model: monotonic in melanin and
 * haemoglobin, plausible ITA° for light and tanned skin, truth (EI, MI, ITA)
 * equal to what the rendered albedo gives in the ROI, the chart lit and cast
 * like the skin, the colour recipes' files, and thread-independent bytes. */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "recipes.h"
#include "skingen.h"
#include "skingen_series.h"
#include "test_util.h"

static double enc(double v)
{
    return v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1.0 / 2.4) - 0.055;
}

static double dec(double v)
{
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

/* L*a*b*, ITA°, EI and MI of linear sRGB. */
static void measures(const double lin[3], double lab[3], double *ita, double *ei, double *mi)
{
    double e[3] = {enc(lin[0]), enc(lin[1]), enc(lin[2])};
    skingen_srgb_to_lab(e, lab);
    *ita = skingen_ita_deg(lab[0], lab[2]);
    *ei = 100.0 * log10(lin[0] / lin[1]);
    *mi = 100.0 * log10(1.0 / lin[0]);
}

static void test_monotonic(void)
{
    skingen_chromophore c;
    skingen_chromophore_default(&c);
    static const double mel[5] = {0.005, 0.015, 0.04, 0.1, 0.25}, blood[4] = {0.003, 0.01, 0.02, 0.05};
    for (int b = 0; b < 4; b++)
        for (int m = 0; m + 1 < 5; m++) {
            double l0[3], l1[3], lab0[3], lab1[3], ita0, ita1, ei0, ei1, mi0, mi1;
            skingen_chromophore_linear(&c, mel[m], blood[b], l0);
            skingen_chromophore_linear(&c, mel[m + 1], blood[b], l1);
            measures(l0, lab0, &ita0, &ei0, &mi0);
            measures(l1, lab1, &ita1, &ei1, &mi1);
            CHECK_MSG(lab1[0] < lab0[0] && ita1 < ita0 && mi1 > mi0,
                      "more melanin (%.3f -> %.3f, blood %.3f): L* %.2f -> %.2f, ITA %.2f -> "
                      "%.2f, MI %.2f -> %.2f", mel[m], mel[m + 1], blood[b], lab0[0], lab1[0],
                      ita0, ita1, mi0, mi1);
        }
    for (int m = 0; m < 5; m++)
        for (int b = 0; b + 1 < 4; b++) {
            double l0[3], l1[3], lab0[3], lab1[3], ita0, ita1, ei0, ei1, mi0, mi1;
            skingen_chromophore_linear(&c, mel[m], blood[b], l0);
            skingen_chromophore_linear(&c, mel[m], blood[b + 1], l1);
            measures(l0, lab0, &ita0, &ei0, &mi0);
            measures(l1, lab1, &ita1, &ei1, &mi1);
            CHECK_MSG(ei1 > ei0 && lab1[1] > lab0[1],
                      "more blood (%.3f -> %.3f, melanin %.3f): EI %.2f -> %.2f, a* %.2f -> %.2f",
                      blood[b], blood[b + 1], mel[m], ei0, ei1, lab0[1], lab1[1]);
        }
    /* plausible tones: light skin (1.5 % melanosomes) and tanned skin (6 %) */
    double lin[3], lab[3], ita, ei, mi;
    skingen_chromophore_linear(&c, 0.015, c.blood, lin);
    measures(lin, lab, &ita, &ei, &mi);
    CHECK_MSG(ita > 40 && ita < 60, "light skin ITA %.1f", ita);
    CHECK_MSG(lab[1] > 5 && lab[1] < 16, "light skin a* %.1f", lab[1]);
    skingen_chromophore_linear(&c, 0.06, c.blood, lin);
    measures(lin, lab, &ita, &ei, &mi);
    CHECK_MSG(ita > 10 && ita < 30, "tanned skin ITA %.1f", ita);
    /* a perfect white reflector would be (1, 1, 1): no absorber, no loss but the dermis' */
    CHECK(lin[0] > lin[1] && lin[1] > lin[2] && lin[0] < 1.0);
}

static skingen_skin *chromo_skin(skingen_params *p, int w, int h, uint64_t seed, int chart)
{
    skingen_params_default(p, seed, w, h, 0.05);
    CHECK(p->chromo.enabled == 0); /* opt-in */
    p->chromo.enabled = 1;
    p->ita_deg = 45.0;
    if (chart) {
        p->chart.enabled = 1, p->chart.x = w - 150, p->chart.y = h - 105, p->chart.patch_mm = 0.9;
    }
    skingen_skin *skin = NULL;
    st_err err;
    CHECK_MSG(skingen_skin_new(p, &skin, &err) == ST_OK, "%s", err.msg);
    return skin;
}

/* Means of EI, MI and ITA° over roi of a rendered (sRGB-encoded) albedo. */
static void albedo_means(const st_image *alb, const int r[4], double *ei, double *mi, double *ita)
{
    double n = (double)r[2] * r[3];
    *ei = *mi = *ita = 0;
    for (int y = r[1]; y < r[1] + r[3]; y++)
        for (int x = r[0]; x < r[0] + r[2]; x++) {
            double lin[3], lab[3], e, m, t;
            for (int k = 0; k < 3; k++)
                lin[k] = dec(st_image_row(alb, k, y)[x]);
            measures(lin, lab, &t, &e, &m);
            *ei += e / n, *mi += m / n, *ita += t / n;
        }
}

static void test_truth_vs_render(void)
{
    skingen_params p;
    skingen_skin *skin = chromo_skin(&p, 400, 300, 61, 1);
    const int roi[4] = {30, 25, 200, 180};
    st_err err;
    skingen_truth t0;
    skingen_state s;
    skingen_state_baseline(&s);
    CHECK(skingen_truth_compute(skin, &s, roi, &t0, &err) == ST_OK);
    CHECK(t0.has_colour);
    CHECK_NEAR(t0.ita_deg, 45.0, 0.01); /* the base melanin is solved for the tone */
    CHECK_MSG(t0.ita_mean_deg > 35 && t0.ita_mean_deg < 55, "ITA %.2f", t0.ita_mean_deg);
    s.melanin = 0.85;
    s.haemoglobin = 1.2;
    s.spots = 0.7;
    skingen_truth t;
    CHECK(skingen_truth_compute(skin, &s, roi, &t, &err) == ST_OK);
    skingen_camera c;
    skingen_camera_default(&c, 400, 300, 9);
    st_image *alb = NULL;
    CHECK(skingen_render_albedo(skin, &s, &c, &alb, &err) == ST_OK);
    double ei, mi, ita;
    albedo_means(alb, roi, &ei, &mi, &ita);
    CHECK_REL(t.erythema_index, ei, 0.005);
    CHECK_REL(t.melanin_index, mi, 0.005);
    CHECK_REL(t.ita_mean_deg, ita, 0.005);
    /* the session factors move the truth the right way */
    CHECK(t.erythema_index > t0.erythema_index && t.lab_mean[1] > t0.lab_mean[1] - 0.5);
    CHECK(t.melanin_index < t0.melanin_index + 1.0);
    skingen_state more = s;
    more.melanin = 1.3;
    skingen_truth tm;
    CHECK(skingen_truth_compute(skin, &more, roi, &tm, &err) == ST_OK);
    CHECK(tm.melanin_index > t.melanin_index && tm.ita_mean_deg < t.ita_mean_deg &&
          tm.lab_mean[0] < t.lab_mean[0]);
    more = s;
    more.haemoglobin = 1.5;
    CHECK(skingen_truth_compute(skin, &more, roi, &tm, &err) == ST_OK);
    CHECK(tm.erythema_index > t.erythema_index && tm.lab_mean[1] > t.lab_mean[1]);
    st_image_free(alb);
    skingen_skin_free(skin);
}

/* The chart keeps its published sRGB, times the session's exposure and
 * white balance, like the skin beside it. */
static void test_chart_cast(void)
{
    skingen_params p;
    skingen_skin *skin = chromo_skin(&p, 400, 300, 62, 1);
    skingen_state s;
    skingen_state_baseline(&s);
    skingen_camera c;
    skingen_camera_default(&c, 400, 300, 5);
    c.noise = c.shot_noise = c.vignetting = c.blur_px = 0;
    c.exposure = 0.9, c.wb[0] = 1.08, c.wb[2] = 0.93;
    st_image *img = NULL, *alb = NULL;
    st_err err;
    CHECK(skingen_render_photo(skin, &s, &c, &img, &err) == ST_OK);
    CHECK(skingen_render_albedo(skin, &s, &c, &alb, &err) == ST_OK);
    for (int i = 0; i < 24; i++) {
        double x, y;
        skingen_chart_patch_centre(&p.chart, p.pixel_mm, i, &x, &y);
        for (int k = 0; k < 3; k++) {
            double want = enc(fmin(1.0, dec(skingen_checker_srgb[i][k] / 255.0) * 0.9 * c.wb[k]));
            CHECK_NEAR(st_image_row(img, k, (int)lround(y))[(int)lround(x)], want, 1e-4);
            CHECK_NEAR(st_image_row(alb, k, (int)lround(y))[(int)lround(x)] * 255.0,
                       skingen_checker_srgb[i][k], 0.05);
        }
    }
    st_image_free(img);
    st_image_free(alb);
    skingen_skin_free(skin);
}

static uint64_t fnv(const st_image *img)
{
    uint64_t h = 1469598103934665603ull;
    for (int k = 0; k < img->channels; k++)
        for (int y = 0; y < img->height; y++) {
            const unsigned char *b = (const unsigned char *)st_image_row(img, k, y);
            for (size_t i = 0; i < (size_t)img->width * sizeof(float); i++)
                h = (h ^ b[i]) * 1099511628211ull;
        }
    return h;
}

static void test_threads(void)
{
    skingen_params p;
    skingen_skin *skin = chromo_skin(&p, 160, 120, 63, 0);
    skingen_state s;
    skingen_state_baseline(&s);
    uint64_t h[2];
    for (int i = 0; i < 2; i++) {
        skingen_camera c;
        skingen_camera_default(&c, 160, 120, 4);
        skingen_matrix_camera(c.matrix, 160, 120, 2, -1, 1.5, 1.01, 0, 0);
        c.threads = 1 + 2 * i;
        st_image *img = NULL;
        st_err err;
        CHECK(skingen_render_photo(skin, &s, &c, &img, &err) == ST_OK);
        h[i] = fnv(img);
        st_image_free(img);
    }
    CHECK(h[0] == h[1]);
    skingen_skin_free(skin);
}

static cJSON *load_json(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[1 << 21];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return cJSON_Parse(buf);
}

static double num(const cJSON *o, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItem(o, a);
    x = b ? cJSON_GetObjectItem(x, b) : x;
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

/* `skingen colour --change course` at 400x300: the truth's EI rises 8-15 %
 * at session 1, MI falls later; the files say where the chart is. */
static void test_course_series(void)
{
    static skingen_series_spec s;
    recipe_colour_opts o = {71, 4, 1, RECIPE_COURSE, 400, 300, 0.05, 1};
    recipe_colour(&s, &o);
    double cw, ch;
    skingen_chart_size(&s.skin.chart, s.skin.pixel_mm, &cw, &ch);
    CHECK(s.roi[0] + s.roi[2] < s.skin.chart.x - 10); /* ROI clear of the chart */
    char dir[1100], path[1200];
    snprintf(dir, sizeof dir, "%s/course", test_tmpdir("generator_colour"));
    st_err err;
    CHECK_MSG(skingen_write_series(&s, dir, &err) == ST_OK, "%s", err.msg);
    snprintf(path, sizeof path, "%s/truth.json", dir);
    cJSON *t = load_json(path);
    CHECK(t != NULL);
    cJSON *ss = cJSON_GetObjectItem(t, "sessions");
    CHECK_EQ_INT(cJSON_GetArraySize(ss), 4);
    double ei[4], mi[4];
    for (int i = 0; i < 4; i++) {
        cJSON *c = cJSON_GetObjectItem(cJSON_GetArrayItem(ss, i), "colour");
        ei[i] = num(c, "erythema_index", NULL);
        mi[i] = num(c, "melanin_index", NULL);
        CHECK(isfinite(num(c, "ita_deg", NULL)));
        cJSON *cam = cJSON_GetObjectItem(cJSON_GetArrayItem(ss, i), "camera");
        CHECK(num(cam, "exposure", NULL) >= 0.85 && num(cam, "exposure", NULL) <= 1.15);
        CHECK_NEAR(num(cam, "light_azimuth_deg", NULL), 225.0, 1e-6);
    }
    double d1 = 100.0 * (ei[1] - ei[0]) / ei[0];
    CHECK_MSG(d1 >= 8.0 && d1 <= 15.0, "course: EI %+.2f %% at session 1", d1);
    CHECK_NEAR(num(cJSON_GetArrayItem(ss, 1), "change_pct", "redness.erythema_index"), d1, 1e-3);
    CHECK(mi[2] < mi[0] && mi[3] < mi[2]);
    cJSON *chart = cJSON_GetObjectItem(t, "chart");
    CHECK_NEAR(num(chart, "patch_pitch_mm", NULL), s.skin.chart.patch_mm * 7.0 / 6.0, 1e-6);
    CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(chart, "box")), 4);
    cJSON_Delete(t);
    snprintf(path, sizeof path, "%s/series.json", dir);
    cJSON *js = load_json(path);
    CHECK(js != NULL);
    CHECK(cJSON_GetObjectItem(js, "pixel_mm") == NULL); /* --no-pixel-mm: from the chart */
    CHECK_NEAR(num(js, "chart", "patch_pitch_mm"), s.skin.chart.patch_mm * 7.0 / 6.0, 1e-6);
    cJSON_Delete(js);
}

/* Sessions on the same day are repeat shots: DATE_1.jpg, DATE_2.jpg, one
 * session in series.json with both files; truth.json keeps one entry per shot. */
static void test_repeat_shots(void)
{
    static skingen_series_spec s;
    memset(&s, 0, sizeof s);
    s.start_date = "2026-01-05";
    s.modality = SKINGEN_PHOTO;
    s.write_series_json = 1;
    skingen_params_default(&s.skin, 5, 96, 72, 0.05);
    s.skin.chromo.enabled = 1;
    s.n_sessions = 3;
    static const int days[3] = {0, 0, 35};
    for (int i = 0; i < 3; i++) {
        skingen_camera_default(&s.sessions[i].camera, 96, 72, 20 + (uint64_t)i);
        skingen_state_baseline(&s.sessions[i].state);
        s.sessions[i].day = days[i];
    }
    char dir[1100], path[1200];
    snprintf(dir, sizeof dir, "%s/repeat", test_tmpdir("generator_colour"));
    st_err err;
    CHECK_MSG(skingen_write_series(&s, dir, &err) == ST_OK, "%s", err.msg);
    snprintf(path, sizeof path, "%s/series.json", dir);
    cJSON *js = load_json(path);
    CHECK(js != NULL);
    cJSON *ss = cJSON_GetObjectItem(js, "sessions");
    CHECK_EQ_INT(cJSON_GetArraySize(ss), 2);
    cJSON *f0 = cJSON_GetObjectItem(cJSON_GetArrayItem(ss, 0), "files");
    CHECK_EQ_INT(cJSON_GetArraySize(f0), 2);
    CHECK(!strcmp(cJSON_GetArrayItem(f0, 1)->valuestring, "2026-01-05_2.jpg"));
    cJSON *f1 = cJSON_GetObjectItem(cJSON_GetArrayItem(ss, 1), "files");
    CHECK(!strcmp(cJSON_GetArrayItem(f1, 0)->valuestring, "2026-02-09.jpg"));
    cJSON_Delete(js);
    snprintf(path, sizeof path, "%s/2026-01-05_1.jpg", dir);
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    snprintf(path, sizeof path, "%s/truth.json", dir);
    cJSON *t = load_json(path);
    CHECK(t && cJSON_GetArraySize(cJSON_GetObjectItem(t, "sessions")) == 3);
    cJSON_Delete(t);
}

int main(void)
{
    test_monotonic();
    test_truth_vs_render();
    test_chart_cast();
    test_threads();
    test_course_series();
    test_repeat_shots();
    return test_summary();
}
