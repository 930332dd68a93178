/* ISO 25178 height and hybrid parameters and band RMS on analytic surfaces. */
#include "metrics/surface.h"
#include "surface_synth.h"
#include "test_util.h"

static double get(const st_metric_set *ms, const char *name)
{
    const st_metric *m = st_metric_set_find(ms, name);
    return m ? m->value : NAN;
}

static const char *unit(const st_metric_set *ms, const char *name)
{
    const st_metric *m = st_metric_set_find(ms, name);
    return m ? m->unit : "(absent)";
}

static int measure(const float *z, int w, int h, const unsigned char *mask, double px,
                   st_unit u, st_metric_set *ms)
{
    st_surface_input in = {z, (size_t)w, w, h, mask, (size_t)w, px, u};
    st_surface_opts o = {0};
    o.no_tiles = 1;
    st_err err = {0};
    int rc = st_measure_surface(&in, &o, ms, NULL, &err);
    if (rc)
        fprintf(stderr, "st_measure_surface: %s\n", err.msg);
    return rc;
}

/* A = 0.1, λ = 32 px (1.6 mm at 0.05 mm: medium band), 8 whole periods. */
static void test_sinusoid_heights(void)
{
    const int n = 256;
    const double A = 0.1, lam = 32, px = 0.05;
    float *z = malloc(sizeof(float) * n * n);
    synth_sinusoid(z, n, n, A, lam, 0.0, 0.5);
    st_metric_set ms = {0};
    CHECK_EQ_INT(measure(z, n, n, NULL, px, ST_UNIT_REL, &ms), 0);
    CHECK_REL(get(&ms, "roughness.sa"), 2 * A / M_PI, 0.005);
    CHECK_REL(get(&ms, "roughness.sq"), A / sqrt(2.0), 0.005);
    CHECK_NEAR(get(&ms, "roughness.ssk"), 0.0, 1e-3);
    CHECK_REL(get(&ms, "roughness.sku"), 1.5, 0.005);
    CHECK_REL(get(&ms, "roughness.sp"), A, 0.005);
    CHECK_REL(get(&ms, "roughness.sv"), A, 0.005);
    CHECK_REL(get(&ms, "roughness.sz"), 2 * A, 0.005);
    /* Central differences of a sampled sinusoid: exactly A·sin(2π·dx/λ)/dx/√2. */
    double dx = px, lam_mm = lam * px;
    CHECK_REL(get(&ms, "roughness.sdq"), A * sin(2 * M_PI * dx / lam_mm) / dx / sqrt(2.0), 0.005);
    CHECK(!strcmp(unit(&ms, "roughness.sdq"), "rel/mm"));
    CHECK(!strcmp(unit(&ms, "roughness.sq"), "rel"));
    CHECK(!strcmp(unit(&ms, "roughness.sal"), "mm"));
    CHECK(!strcmp(unit(&ms, "roughness.sdr"), "%"));
    /* Ridges run along y: the lay is 90°. */
    CHECK_NEAR(get(&ms, "roughness.std"), 90.0, 1.0);
    CHECK(get(&ms, "roughness.str") < 0.3);
    st_metric_set_clear(&ms);
    free(z);
}

/* Band RMS: a sinusoid in each band gives A/√2 there (±3 %) and ~0 elsewhere. */
static void test_bands(void)
{
    static const struct {
        double lam_mm, px, deg;
        int n, band;
    } cases[] = {
        {0.25, 0.025, 17.0, 256, 0}, /* fine, 10 px, oblique */
        {0.3, 0.05, 0.0, 256, 0},    /* fine, 6 px */
        {1.0, 0.05, 63.0, 256, 1},   /* medium */
        {4.0, 0.1, 35.0, 300, 2},    /* coarse, 40 px, 7.5 periods */
    };
    const char *names[3] = {"roughness.band_fine", "roughness.band_medium", "roughness.band_coarse"};
    const double A = 2.0;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        int n = cases[c].n;
        float *z = malloc(sizeof(float) * n * n);
        synth_sinusoid(z, n, n, A, cases[c].lam_mm / cases[c].px, cases[c].deg, 0.0);
        st_metric_set ms = {0};
        CHECK_EQ_INT(measure(z, n, n, NULL, cases[c].px, ST_UNIT_UM, &ms), 0);
        for (int b = 0; b < 3; b++) {
            double v = get(&ms, names[b]);
            if (b == cases[c].band)
                CHECK_REL(v, A / sqrt(2.0), 0.03);
            else if (!isnan(v)) /* a band the image cannot hold is absent */
                CHECK_MSG(v < 0.02 * A, "case %zu band %d = %g", c, b, v);
        }
        CHECK(!strcmp(unit(&ms, names[cases[c].band]), "um"));
        /* Std: the lay is perpendicular to the wave vector (±1°). */
        double lay = fmod(cases[c].deg + 90.0, 180.0), std = get(&ms, "roughness.std");
        double d = fabs(std - lay);
        d = d > 90 ? 180 - d : d;
        CHECK_MSG(d <= 1.0, "case %zu: Std %g, lay %g", c, std, lay);
        st_metric_set_clear(&ms);
        free(z);
    }
}

/* White Gaussian heights of known σ: Sq ±2 %, Ssk ≈ 0, Sku ≈ 3. */
static void test_gaussian(void)
{
    const int n = 256;
    const double sigma = 3.0;
    float *z = malloc(sizeof(float) * n * n);
    synth_rng r = {42};
    for (int i = 0; i < n * n; i++)
        z[i] = (float)(10.0 + sigma * synth_gauss(&r));
    st_metric_set ms = {0};
    CHECK_EQ_INT(measure(z, n, n, NULL, 0.01, ST_UNIT_UM, &ms), 0);
    CHECK_REL(get(&ms, "roughness.sq"), sigma, 0.02);
    CHECK_REL(get(&ms, "roughness.sa"), sigma * sqrt(2 / M_PI), 0.02);
    CHECK_NEAR(get(&ms, "roughness.ssk"), 0.0, 0.05);
    CHECK_NEAR(get(&ms, "roughness.sku"), 3.0, 0.1);
    st_metric_set_clear(&ms);
    free(z);
}

/* Skewed surfaces. Two levels with a share q at 1: Ssk = (1−2q)/sqrt(q(1−q)),
 * Sku = (1 − 3q(1−q))/(q(1−q)) exactly; q = 0.2 gives 1.5 and 3.25, and the
 * mirrored surface −1.5. Lognormal exp(s·g): Ssk = (e^{s²}+2)·sqrt(e^{s²}−1). */
static void test_skewed(void)
{
    const int n = 200; /* 40 periods of 5 px: the pattern has no plane */
    float *z = malloc(sizeof(float) * n * n);
    for (int sign = -1; sign <= 1; sign += 2) {
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
                z[y * n + x] = (float)(sign * (x % 5 == 2 ? 1.0 : 0.0));
        st_metric_set ms = {0};
        CHECK_EQ_INT(measure(z, n, n, NULL, 0.05, ST_UNIT_UM, &ms), 0);
        CHECK_NEAR(get(&ms, "roughness.ssk"), sign * 1.5, 1e-6);
        CHECK_NEAR(get(&ms, "roughness.sku"), 3.25, 1e-6);
        CHECK_NEAR(get(&ms, "roughness.sq"), 0.4, 1e-6);
        st_metric_set_clear(&ms);
    }
    const int m = 256;
    float *l = malloc(sizeof(float) * m * m);
    synth_rng r = {7};
    const double s = 0.25;
    for (int i = 0; i < m * m; i++)
        l[i] = (float)exp(s * synth_gauss(&r));
    st_metric_set ms = {0};
    CHECK_EQ_INT(measure(l, m, m, NULL, 0.05, ST_UNIT_UM, &ms), 0);
    double e = exp(s * s);
    CHECK_NEAR(get(&ms, "roughness.ssk"), (e + 2) * sqrt(e - 1), 0.08);
    st_metric_set_clear(&ms);
    free(l);
    free(z);
}

/* A tilted plane under the sinusoid is removed; a mask keeps junk out. */
static void test_plane_and_mask(void)
{
    const int n = 256;
    const double A = 0.05;
    float *z = malloc(sizeof(float) * n * n);
    unsigned char *mask = malloc((size_t)n * n);
    synth_sinusoid(z, n, n, A, 16, 0.0, 0.0);
    for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++) {
            z[y * n + x] += (float)(0.3 + 0.002 * x - 0.001 * y);
            /* Columns 0..63 excluded and filled with junk; 192 columns = 12 periods remain. */
            mask[y * n + x] = x >= 64;
            if (x < 64)
                z[y * n + x] = 1000.0f;
        }
    st_metric_set ms = {0};
    CHECK_EQ_INT(measure(z, n, n, mask, 0.05, ST_UNIT_REL, &ms), 0);
    CHECK_REL(get(&ms, "roughness.sq"), A / sqrt(2.0), 0.005);
    CHECK_REL(get(&ms, "roughness.sku"), 1.5, 0.005);
    CHECK(get(&ms, "roughness.sz") < 2.2 * A);
    CHECK_REL(get(&ms, "roughness.band_medium"), A / sqrt(2.0), 0.03);
    st_metric_set_clear(&ms);
    free(mask);
    free(z);
}

/* Height maps: Sdq is a true slope (µm/µm, unit ""); uncalibrated planes
 * give lengths in px and no mm bands. */
static void test_units(void)
{
    /* 4 periods of 100 px; Sdq uses interior pixels, so the two edge columns
     * (zero slope there) move it by sqrt(400/398): 0.25 %. */
    const int n = 400;
    const double A = 10.0, lam_mm = 1.0, px = 0.01;
    float *z = malloc(sizeof(float) * n * n);
    synth_sinusoid(z, n, n, A, lam_mm / px, 0.0, 0.0);
    st_metric_set ms = {0};
    CHECK_EQ_INT(measure(z, n, n, NULL, px, ST_UNIT_UM, &ms), 0);
    double dx_um = px * 1000.0, lam_um = lam_mm * 1000.0;
    CHECK_REL(get(&ms, "roughness.sdq"), A * sin(2 * M_PI * dx_um / lam_um) / dx_um / sqrt(2.0), 0.005);
    CHECK(!strcmp(unit(&ms, "roughness.sdq"), ""));
    CHECK(!strcmp(unit(&ms, "roughness.sa"), "um"));
    st_metric_set_clear(&ms);
    CHECK_EQ_INT(measure(z, n, n, NULL, 0.0, ST_UNIT_REL, &ms), 0);
    CHECK(isnan(get(&ms, "roughness.band_fine")));
    CHECK(isnan(get(&ms, "roughness.band_medium")));
    CHECK(!strcmp(unit(&ms, "roughness.sdq"), "rel/px"));
    CHECK_REL(get(&ms, "roughness.sq"), A / sqrt(2.0), 0.005);
    st_metric_set_clear(&ms);
    /* Every texture and roughness name of SPEC.md is there for a photo,
     * but fractal_dim: white noise is not self-affine (H = −1), so it is
     * withheld (test_psd). */
    synth_rng r = {3};
    for (int i = 0; i < n * n; i++)
        z[i] = (float)(0.5 + 0.1 * synth_gauss(&r));
    CHECK_EQ_INT(measure(z, n, n, NULL, 0.01, ST_UNIT_REL, &ms), 0);
    static const char *all[] = {"roughness.sa", "roughness.sq", "roughness.ssk", "roughness.sku",
        "roughness.sp", "roughness.sv", "roughness.sz", "roughness.sdq", "roughness.sdr",
        "roughness.sal", "roughness.str", "roughness.std", "roughness.band_fine",
        "roughness.band_medium", "roughness.psd_slope",
        "texture.glcm.contrast", "texture.glcm.dissimilarity", "texture.glcm.homogeneity",
        "texture.glcm.asm", "texture.glcm.entropy", "texture.glcm.correlation",
        "texture.lbp.entropy"};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        CHECK_MSG(st_metric_set_find(&ms, all[i]) != NULL, "%s missing", all[i]);
    CHECK(st_metric_set_find(&ms, "roughness.fractal_dim") == NULL);
    /* 4 mm side: too short for the 2–8 mm band, which is then absent. */
    CHECK(isnan(get(&ms, "roughness.band_coarse")));
    st_metric_set_clear(&ms);
    free(z);
}

/* Bad input is refused with a message. */
static void test_errors(void)
{
    float z[64] = {0};
    st_surface_input in = {z, 8, 8, 8, NULL, 0, 0.0, ST_UNIT_REL};
    st_surface_opts o = {0};
    o.lcut_mm = 2.0;
    st_metric_set ms = {0};
    st_err err = {0};
    CHECK_EQ_INT(st_measure_surface(&in, &o, &ms, NULL, &err), ST_EINVAL);
    CHECK(strstr(err.msg, "pixel") != NULL);
    in.width = 4;
    CHECK_EQ_INT(st_measure_surface(&in, NULL, &ms, NULL, &err), ST_EINVAL);
    /* A flat plane: heights are 0, shape parameters and spectra absent. */
    in.width = 8;
    in.pixel_mm = 0.1;
    CHECK_EQ_INT(st_measure_surface(&in, NULL, &ms, NULL, &err), 0);
    CHECK_NEAR(get(&ms, "roughness.sq"), 0.0, 0.0);
    CHECK(isnan(get(&ms, "roughness.ssk")));
    CHECK(isnan(get(&ms, "roughness.psd_slope")));
    st_metric_set_clear(&ms);
}

/* Std moves with the texture, continuously: a lay made of four wave trains
 * (8° and 16° apart, and a weaker one 40° away at the window's reach) turned
 * in 0.25° steps turns Std by 0.25° ± 0.1° at every step. The peak's integer
 * bin wavers between the close trains; a window that moved with it made
 * Std jump by 2-3° between photos of the same skin. */
static void test_direction_continuous(void)
{
    const int n = 200;
    const double px = 0.05, lam = 14.0;
    static const double off[4] = {0, 8, 16, 40}, amp[4] = {1.0, 0.95, 0.9, 0.5};
    float *z = malloc(sizeof(float) * n * n), *one = malloc(sizeof(float) * n * n);
    double prev = NAN, worst = 0;
    for (int k = 0; k <= 24; k++) {
        double deg = 30.0 + 0.25 * k;
        memset(z, 0, sizeof(float) * n * n);
        for (int t = 0; t < 4; t++) {
            synth_sinusoid(one, n, n, amp[t], lam, deg + off[t], 0.0);
            for (int i = 0; i < n * n; i++)
                z[i] += one[i];
        }
        st_metric_set ms = {0};
        CHECK_EQ_INT(measure(z, n, n, NULL, px, ST_UNIT_UM, &ms), 0);
        double std = get(&ms, "roughness.std");
        if (!isnan(prev)) {
            double step = fabs(std - prev);
            worst = fmax(worst, fabs(step - 0.25));
        }
        prev = std;
        st_metric_set_clear(&ms);
    }
    CHECK_MSG(worst <= 0.1, "Std's step over a 0.25° turn is off by up to %.3f°", worst);
    free(z);
    free(one);
}

int main(void)
{
    test_sinusoid_heights();
    test_bands();
    test_direction_continuous();
    test_gaussian();
    test_skewed();
    test_plane_and_mask();
    test_units();
    test_errors();
    return test_summary();
}
