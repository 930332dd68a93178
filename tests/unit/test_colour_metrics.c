/* ITA, MI and EI on uniform colour patches equal their formulas (+-0.1),
 * computed here independently in double precision from IEC 61966-2-1 and
 * CIE 15; brown-spot and red areas on patches with known blotches. */
#include <stdlib.h>

#include "detect_synth.h"
#include "metrics/detect.h"
#include "metrics/detect_internal.h"
#include "test_util.h"

static double lin(double v) { return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4); }
static double flab(double t) { return t > 216.0 / 24389.0 ? cbrt(t) : (24389.0 / 27.0 * t + 16.0) / 116.0; }

static void ref_lab(const double rgb[3], double lab[3])
{
    double R = lin(rgb[0]), G = lin(rgb[1]), B = lin(rgb[2]);
    double X = 0.4124564 * R + 0.3575761 * G + 0.1804375 * B;
    double Y = 0.2126729 * R + 0.7151522 * G + 0.0721750 * B;
    double Z = 0.0193339 * R + 0.1191920 * G + 0.9503041 * B;
    double fx = flab(X / 0.95047), fy = flab(Y), fz = flab(Z / 1.08883);
    lab[0] = 116 * fy - 16;
    lab[1] = 500 * (fx - fy);
    lab[2] = 200 * (fy - fz);
}

static st_image *patch(int w, int h, const double rgb[3])
{
    st_image *img = NULL;
    st_err err = {0};
    st_image_new(w, h, 3, &img, &err);
    for (int c = 0; c < 3; c++)
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                st_image_row(img, c, y)[x] = (float)rgb[c];
    return img;
}

static void run(st_image *rgb, double pmm, st_metric_set *ms)
{
    st_image *lum = NULL;
    st_err err = {0};
    st_image_new(rgb->width, rgb->height, 1, &lum, &err);
    st_detect_input in = {.rgb = rgb, .surface = lum, .pixel_mm = pmm};
    CHECK_EQ_INT(st_pigment_measure(&in, 1, ms, &err), ST_OK);
    CHECK_EQ_INT(st_redness_measure(&in, 1, ms, &err), ST_OK);
    st_image_free(lum);
}

static double val(const st_metric_set *ms, const char *name)
{
    const st_metric *m = st_metric_set_find(ms, name);
    CHECK_MSG(m != NULL, "%s missing", name);
    return m ? m->value : NAN;
}

/* At 0.05 mm the 0.05 mm smoothing is 1 px (full grid); at 0.02 mm it is
 * 2.5 px and the colour families run on the 2x grid (odd sizes: the last
 * row and column mirrored). */
static void test_uniform(const double rgb[3], double pmm, int w, int h)
{
    st_image *img = patch(w, h, rgb);
    st_metric_set ms = {0};
    run(img, pmm, &ms);
    double lab[3];
    ref_lab(rgb, lab);
    double ita = atan2(lab[0] - 50.0, lab[2]) * 180.0 / M_PI;
    double mi = 100.0 * log10(1.0 / lin(rgb[0]));
    double ei = 100.0 * log10(lin(rgb[0]) / lin(rgb[1]));
    printf("rgb %.2f %.2f %.2f: ITA %.3f (%.3f), MI %.3f (%.3f), EI %.3f (%.3f)\n", rgb[0], rgb[1],
           rgb[2], val(&ms, "pigment.ita_deg"), ita, val(&ms, "pigment.melanin_index"), mi,
           val(&ms, "redness.erythema_index"), ei);
    CHECK_NEAR(val(&ms, "pigment.ita_deg"), ita, 0.1);
    CHECK_NEAR(val(&ms, "pigment.ita_sd"), 0.0, 0.1);
    CHECK_NEAR(val(&ms, "pigment.melanin_index"), mi, 0.1);
    CHECK_NEAR(val(&ms, "redness.erythema_index"), ei, 0.1);
    CHECK_NEAR(val(&ms, "pigment.spot_area_fraction"), 0.0, 1e-9);
    CHECK_NEAR(val(&ms, "redness.area_fraction"), 0.0, 1e-9);
    st_metric_set_clear(&ms);
    st_image_free(img);
}

/* A brown disk and a red disk on light skin: areas as drawn (+-15 %). */
/* s = 1: 300 x 200 px at 0.05 mm (full grid); s = 2: the same scene at
 * 0.025 mm, 600 x 400 px (the 2x grid). */
static void test_blotches(int s)
{
    const double skin[3] = {0.85, 0.68, 0.58}, brown[3] = {0.62, 0.45, 0.30},
                 red[3] = {0.90, 0.55, 0.52};
    const int W = 300 * s, H = 200 * s;
    st_image *img = patch(W, H, skin);
    double pmm = 0.05 / s, rb = 20 * s, rr = 25 * s;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            const double *c = hypot(x - 80.0 * s, y - 100.0 * s) <= rb   ? brown
                              : hypot(x - 210.0 * s, y - 100.0 * s) <= rr ? red
                                                                       : skin;
            for (int k = 0; k < 3; k++)
                st_image_row(img, k, y)[x] = (float)c[k];
        }
    synth_add_noise(img, 0.005, 4);
    st_metric_set ms = {0};
    run(img, pmm, &ms);
    double spot = 100.0 * M_PI * rb * rb / (W * H), redf = 100.0 * M_PI * rr * rr / (W * H);
    printf("grid x%d: spots %.3f %% (%.3f), red %.3f %% (%.3f), ITA sd %.2f\n",
           s, val(&ms, "pigment.spot_area_fraction"), spot, val(&ms, "redness.area_fraction"), redf,
           val(&ms, "pigment.ita_sd"));
    CHECK_REL(val(&ms, "pigment.spot_area_fraction"), spot, 0.15);
    CHECK_REL(val(&ms, "redness.area_fraction"), redf, 0.15);
    CHECK(val(&ms, "pigment.ita_sd") > 1.0);
    st_metric_set_clear(&ms);
    st_image_free(img);
}

/* The vectorised row functions behind ITA, MI and EI against libm in double
 * precision: atan2 on a grid over the four quadrants (axes and near-axis
 * values included) of the L* - 50, b* plane; log10 over 1e-4 .. 1e4. */
static void test_row_maths(void)
{
    enum { N = 201 };
    float y[N * N], x[N * N], o[N * N];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            y[i * N + j] = (float)(-150.0 + 1.5 * i) * (i % 7 == 3 ? 1e-4f : 1.0f);
            x[i * N + j] = (float)(-150.0 + 1.5 * j) * (j % 5 == 2 ? 1e-4f : 1.0f);
        }
    st_det_atan2_row(y, x, o, N * N);
    double worst = 0.0;
    for (int k = 0; k < N * N; k++)
        worst = fmax(worst, fabs(o[k] - atan2((double)y[k], (double)x[k])));
    CHECK(worst <= 4e-7);
    float v[N * N], l[N * N];
    for (int k = 0; k < N * N; k++)
        v[k] = (float)pow(10.0, -4.0 + 8.0 * k / (N * N - 1.0));
    st_det_log10_row(v, l, N * N);
    worst = 0.0;
    for (int k = 0; k < N * N; k++)
        worst = fmax(worst, fabs(l[k] - log10((double)v[k])));
    CHECK(worst <= 1e-6);
}

int main(void)
{
    const double p1[3] = {0.85, 0.68, 0.58}, p2[3] = {0.45, 0.30, 0.22}, p3[3] = {0.5, 0.5, 0.7};
    test_uniform(p1, 0.05, 64, 48);
    test_uniform(p2, 0.05, 64, 48);
    test_uniform(p3, 0.05, 64, 48); /* b* < 0: atan2 as SPEC.md writes it */
    test_uniform(p1, 0.02, 65, 49);
    test_uniform(p2, 0.02, 65, 49);
    test_uniform(p3, 0.02, 65, 49);
    test_blotches(1);
    test_blotches(2);
    test_row_maths();
    return test_summary();
}
