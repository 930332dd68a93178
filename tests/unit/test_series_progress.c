/* Progress maths against known answers: percent change, least-squares
 * trend, direction of improvement, repeat-shot spread, and the remodeling
 * index with its bootstrap interval. */
#include <stdlib.h>
#include <string.h>

#include "series/progress.h"
#include "test_util.h"

static void test_change(void)
{
    double c;
    CHECK(!st_percent_change(8, 10, &c));
    CHECK_NEAR(c, -20, 1e-12);
    CHECK(!st_percent_change(12.5, 10, &c));
    CHECK_NEAR(c, 25, 1e-12);
    /* |baseline| in the denominator: a negative baseline (Ssk) moving up is + */
    CHECK(!st_percent_change(-8, -10, &c));
    CHECK_NEAR(c, 20, 1e-12);
    CHECK(st_percent_change(1, 0, &c) == -1);
    CHECK(st_percent_change(NAN, 1, &c) == -1);
}

static void test_trend(void)
{
    double d1[] = {0, 35, 70}, p1[] = {0, -10, -20}, s;
    CHECK(!st_trend_per_30d(d1, p1, 3, &s));
    CHECK_NEAR(s, -30.0 * 10.0 / 35.0, 1e-12);
    /* Hand-computed: mean x 45, mean y -6.75, Sxx 4500, Sxy -705. */
    double d2[] = {0, 30, 60, 90}, p2[] = {0, -5, -7, -15};
    CHECK(!st_trend_per_30d(d2, p2, 4, &s));
    CHECK_NEAR(s, 30.0 * -705.0 / 4500.0, 1e-12);
    /* Large day numbers do not lose precision (centred sums). */
    double d3[] = {20000, 20030}, p3[] = {0, 3};
    CHECK(!st_trend_per_30d(d3, p3, 2, &s));
    CHECK_NEAR(s, 3.0, 1e-9);
    CHECK(st_trend_per_30d(d1, p1, 1, &s) == -1);
    double d4[] = {5, 5}, p4[] = {1, 2};
    CHECK(st_trend_per_30d(d4, p4, 2, &s) == -1);
}

static void test_direction(void)
{
    CHECK_EQ_INT(st_metric_direction("roughness.sq"), -1);
    CHECK_EQ_INT(st_metric_direction("pores.mean_diameter_mm"), -1);
    CHECK_EQ_INT(st_metric_direction("scars.volume"), -1);
    CHECK_EQ_INT(st_metric_direction("wrinkles.length_mm_cm2"), -1);
    CHECK_EQ_INT(st_metric_direction("redness.erythema_index"), -1);
    CHECK_EQ_INT(st_metric_direction("pigment.ita_sd"), -1);
    CHECK_EQ_INT(st_metric_direction("pigment.spot_area_fraction"), -1);
    CHECK_EQ_INT(st_metric_direction("pigment.ita_deg"), 0);
    CHECK_EQ_INT(st_metric_direction("texture.glcm.contrast"), 0);
    CHECK_EQ_INT(st_metric_direction("quality.sharpness"), 0);
}

static void test_mean_sd(void)
{
    double v[] = {1, 2, 3, 4}, m, sd;
    st_mean_sd(v, 4, &m, &sd);
    CHECK_NEAR(m, 2.5, 1e-15);
    CHECK_NEAR(sd, sqrt(5.0 / 3.0), 1e-15);
    st_mean_sd(v, 1, &m, &sd);
    CHECK(m == 1 && sd == 0);
}

static void test_from_changes(void)
{
    double c[ST_FAM_COUNT] = {-20, -10, -30, 10};
    int all[ST_FAM_COUNT] = {1, 1, 1, 1};
    CHECK_NEAR(st_remodel_from_changes(c, all), (20 + 10 + 30 - 10) / 4.0, 1e-12);
    int two[ST_FAM_COUNT] = {1, 0, 1, 0};
    CHECK_NEAR(st_remodel_from_changes(c, two), 25, 1e-12);
    double worse[ST_FAM_COUNT] = {150, -100, 0, 0};
    CHECK_NEAR(st_remodel_from_changes(worse, two), -50, 1e-12); /* clamped at -100 */
}

/* Every tile the same: the index is exact and the interval collapses onto it. */
static void test_uniform_tiles(void)
{
    enum { N = 25 };
    double sb[N], ss[N], px[N], db[N], ds[N], cb[N], cs[N], one[N];
    for (int t = 0; t < N; t++) {
        px[t] = 100;
        sb[t] = 100 * 1.0;  /* Sq 1.0 -> 0.8: -20 % */
        ss[t] = 100 * 0.64;
        db[t] = 0.3 * 4;    /* 4 pores of 0.3 mm -> 0.27 mm: -10 % */
        ds[t] = 0.27 * 4;
        cb[t] = cs[t] = 4;
        one[t] = 1;
    }
    double vb[N], vs[N];
    for (int t = 0; t < N; t++) {
        vb[t] = 2.0;        /* scar volume -30 % */
        vs[t] = 1.4;
    }
    st_remodel_input in = {0};
    in.n_tiles = N;
    in.fam[ST_FAM_ROUGHNESS] = (st_family_tiles){1, {sb, ss}, {px, px}, 1};
    in.fam[ST_FAM_PORES] = (st_family_tiles){1, {db, ds}, {cb, cs}, 0};
    in.fam[ST_FAM_SCARS] = (st_family_tiles){1, {vb, vs}, {one, one}, 0};
    st_remodel_result r;
    CHECK(!st_remodel_index(&in, &r));
    CHECK(r.valid);
    CHECK(r.used[0] && r.used[1] && r.used[2] && !r.used[3]);
    CHECK_NEAR(r.change[ST_FAM_ROUGHNESS], -20, 1e-9);
    CHECK_NEAR(r.change[ST_FAM_PORES], -10, 1e-9);
    CHECK_NEAR(r.change[ST_FAM_SCARS], -30, 1e-9);
    CHECK_NEAR(r.value, 20, 1e-9);
    CHECK_NEAR(r.ci95[0], 20, 1e-9);
    CHECK_NEAR(r.ci95[1], 20, 1e-9);
    CHECK_NEAR(r.change_ci95[ST_FAM_PORES][0], -10, 1e-9);
    CHECK_NEAR(r.change_ci95[ST_FAM_PORES][1], -10, 1e-9);
}

/* One family, den = 1: the index is minus the percent change of a mean, so
 * the bootstrap interval must match the normal interval ±1.96·SE. */
static void test_interval_width(void)
{
    enum { N = 400 };
    static double b[N], s[N], one[N];
    uint64_t st = 12345;
    double sum = 0, sum2 = 0;
    for (int t = 0; t < N; t++) {
        /* Uniform on [0.8 - a, 0.8 + a] with a = 0.2·√3: SD 0.2 */
        double u = (double)(st_splitmix64(&st) >> 11) / 9007199254740992.0;
        s[t] = 0.8 + (2 * u - 1) * 0.2 * sqrt(3.0);
        b[t] = 1.0;
        one[t] = 1;
        sum += s[t];
        sum2 += s[t] * s[t];
    }
    double mean = sum / N, sd = sqrt((sum2 - N * mean * mean) / (N - 1));
    st_remodel_input in = {0};
    in.n_tiles = N;
    in.fam[ST_FAM_SCARS] = (st_family_tiles){1, {b, s}, {one, one}, 0};
    st_remodel_result r, r2;
    CHECK(!st_remodel_index(&in, &r));
    CHECK_NEAR(r.value, -100 * (mean - 1), 1e-9);
    double half = 1.96 * 100 * sd / sqrt((double)N);
    CHECK_REL((r.ci95[1] - r.ci95[0]) / 2, half, 0.12);
    CHECK(r.ci95[0] < r.value && r.value < r.ci95[1]);
    /* one family: the change's interval is the index's, mirrored */
    CHECK_NEAR(r.change_ci95[ST_FAM_SCARS][0], -r.ci95[1], 1e-9);
    CHECK_NEAR(r.change_ci95[ST_FAM_SCARS][1], -r.ci95[0], 1e-9);
    /* Reproducible bit for bit with the same seed; another seed differs. */
    CHECK(!st_remodel_index(&in, &r2));
    CHECK(!memcmp(&r, &r2, sizeof r));
    in.seed = 99;
    CHECK(!st_remodel_index(&in, &r2));
    CHECK(r2.ci95[0] != r.ci95[0]);
    CHECK_NEAR(r2.ci95[0], r.ci95[0], 0.5);
}

static void test_degenerate(void)
{
    double z[3] = {0, 0, 0}, one[3] = {1, 1, 1};
    st_remodel_input in = {0};
    in.n_tiles = 3;
    in.fam[ST_FAM_WRINKLES] = (st_family_tiles){1, {z, z}, {one, one}, 0};
    st_remodel_result r;
    CHECK(!st_remodel_index(&in, &r));
    CHECK(!r.valid); /* baseline 0: no relative change, no index */
    in.n_tiles = 0;
    CHECK(!st_remodel_index(&in, &r));
    CHECK(!r.valid);
}

int main(void)
{
    test_change();
    test_trend();
    test_direction();
    test_mean_sd();
    test_from_changes();
    test_uniform_tiles();
    test_interval_width();
    test_degenerate();
    return test_summary();
}
