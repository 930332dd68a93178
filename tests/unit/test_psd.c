/* Power spectrum: Parseval, fractal dimension of fBm surfaces, the radial
 * PSD output, and the ISO 16610-61 Gaussian S/L filters. */
#include "metrics/gfilter.h"
#include "metrics/height_params.h"
#include "metrics/psd.h"
#include "metrics/roughness.h"
#include "metrics/surface.h"
#include "surface_synth.h"
#include "test_util.h"

static st_fft *fft;

/* Sum of the spectrum = mean square of the heights (Parseval), exactly with
 * a rectangular window, on a non-periodic random surface of odd size. */
static void test_parseval(void)
{
    const int w = 211, h = 143;
    float *z = malloc(sizeof(float) * w * h);
    synth_rng r = {11};
    for (int i = 0; i < w * h; i++)
        z[i] = (float)(synth_gauss(&r) + (i % 7 == 0 ? 1.5 : 0.0));
    st_height_stats hs;
    CHECK_EQ_INT(st_height_params(z, (size_t)w, w, h, NULL, 0, 1, &hs), 0);
    st_spectrum s;
    st_err err;
    CHECK_EQ_INT(st_spectrum_compute(fft, z, (size_t)w, w, h, NULL, 0, 0.05, ST_WINDOW_NONE, NULL, 2,
                                     &s, &err), 0);
    st_spectrum_sums sums;
    CHECK_EQ_INT(st_spectrum_reduce(&s, NULL, 0, 3, NULL, 2, &sums), 0);
    CHECK_REL(sqrt(sums.total_ms), hs.sq, 0.005);
    CHECK_REL(sqrt(sums.total_ms), hs.sq, 1e-5); /* float FFT: far tighter than required */
    st_spectrum_sums_free(&sums);
    st_spectrum_free(&s);
    /* With the Hann window the sum estimates Sq² (stationary surface). */
    CHECK_EQ_INT(st_spectrum_compute(fft, z, (size_t)w, w, h, NULL, 0, 0.05, ST_WINDOW_HANN, NULL, 2,
                                     &s, &err), 0);
    CHECK_EQ_INT(st_spectrum_reduce(&s, NULL, 0, 3, NULL, 2, &sums), 0);
    CHECK_REL(sqrt(sums.total_ms), hs.sq, 0.03);
    /* A precomputed geometry gives the very same sums. */
    const double bands[2][2] = {{0.1, 0.5}, {0.5, 2.0}};
    st_spectrum_sums a, b;
    st_spectrum_geom *g = st_spectrum_geom_new(w, h, 0.05, bands, 2, 3);
    CHECK(g != NULL);
    CHECK_EQ_INT(st_spectrum_reduce(&s, bands, 2, 3, NULL, 2, &a), 0);
    CHECK_EQ_INT(st_spectrum_reduce(&s, bands, 2, 3, g, 1, &b), 0);
    CHECK(a.nr == b.nr && !memcmp(a.rsum, b.rsum, a.nr * sizeof *a.rsum));
    CHECK(!memcmp(a.band_ms, b.band_ms, sizeof a.band_ms) && !memcmp(a.aps_c, b.aps_c, sizeof a.aps_c));
    CHECK(a.band_ms[0] > 0 && a.band_ms[1] > 0);
    st_spectrum_sums_free(&a);
    st_spectrum_sums_free(&b);
    st_spectrum_geom_free(g);
    st_spectrum_sums_free(&sums);
    st_spectrum_free(&s);
    free(z);
}

/* n x n cut from the middle of a periodic 2n x 2n synthesis: a surface
 * whose edges do not meet, as a measured one. */
static void crop_synth(float *z, int n, synth_psd_fn psd, const double *par, uint64_t seed)
{
    float *big = malloc(sizeof(float) * 4 * n * n);
    CHECK_EQ_INT(synth_spectral(fft, big, 2 * n, 2 * n, psd, par, 1.0, seed), 0);
    for (int y = 0; y < n; y++)
        memcpy(z + (size_t)y * n, big + (size_t)(y + n / 2) * 2 * n + n / 2, sizeof(float) * n);
    free(big);
}

static void measure_fd(const float *z, int n, double px, st_metric_set *ms, st_surface_extras *x)
{
    st_surface_input in = {z, (size_t)n, n, n, NULL, 0, px, ST_UNIT_UM};
    st_surface_opts o = {0};
    o.no_tiles = 1;
    o.fft = fft;
    st_err err;
    CHECK_EQ_INT(st_measure_surface(&in, &o, ms, x, &err), 0);
}

/* fBm of Hurst exponent H, PSD ∝ f^−(2H+2): the fractal dimension is
 * D = 3 − H ± 0.1, on periodic and on non-periodic (cropped) surfaces. */
static void test_fractal(void)
{
    const int n = 512;
    const double H[3] = {0.2, 0.5, 0.8};
    float *z = malloc(sizeof(float) * n * n);
    for (int k = 0; k < 3; k++)
        for (int crop = 0; crop < 2; crop++) {
            double beta = 2.0 * H[k] + 2.0;
            if (crop)
                crop_synth(z, n, synth_psd_power, &beta, 200 + k);
            else
                CHECK_EQ_INT(synth_spectral(fft, z, n, n, synth_psd_power, &beta, 1.0, 100 + k), 0);
            st_metric_set ms = {0};
            st_surface_extras x;
            measure_fd(z, n, 0.05, &ms, &x);
            const st_metric *fd = st_metric_set_find(&ms, "roughness.fractal_dim");
            const st_metric *sl = st_metric_set_find(&ms, "roughness.psd_slope");
            CHECK_MSG(fd && sl, "H %g crop %d: fractal_dim absent", H[k], crop);
            if (fd && sl) {
                CHECK_MSG(fabs(fd->value - (3.0 - H[k])) <= 0.1, "H %g crop %d: D %g", H[k], crop,
                          fd->value);
                CHECK_NEAR(sl->value, -beta, 0.2);
            }
            /* The radial PSD output: 1/mm up to Nyquist (10/mm), stated fit band. */
            CHECK(x.psd.n > 100);
            CHECK(!strcmp(x.psd.freq_unit, "1/mm"));
            CHECK(!strcmp(x.psd.psd_unit, "um2.mm2"));
            CHECK_NEAR(x.psd.freq[x.psd.n - 1], 10.0, 1e-9);
            CHECK_NEAR(x.psd.fit_lo, 0.5, 1e-9); /* 2 mm */
            CHECK_NEAR(x.psd.fit_hi, 5.0, 1e-9); /* 4 px = 0.2 mm */
            st_surface_extras_free(&x);
            st_metric_set_clear(&ms);
        }
    free(z);
}

/* Not a self-affine surface, no fractal dimension: white noise (flat
 * spectrum, H = −1) and a single oblique wave; the slope is still given. */
static void test_fractal_withheld(void)
{
    const int n = 256;
    float *z = malloc(sizeof(float) * n * n);
    synth_rng r = {9};
    for (int i = 0; i < n * n; i++)
        z[i] = (float)synth_gauss(&r);
    st_metric_set ms = {0};
    measure_fd(z, n, 0.03, &ms, NULL);
    CHECK(st_metric_set_find(&ms, "roughness.fractal_dim") == NULL);
    CHECK(st_metric_set_find(&ms, "roughness.psd_slope") != NULL);
    st_metric_set_clear(&ms);
    synth_sinusoid(z, n, n, 1.0, 0.7 / 0.03, 41.0, 0.0);
    measure_fd(z, n, 0.03, &ms, NULL);
    CHECK(st_metric_set_find(&ms, "roughness.fractal_dim") == NULL);
    st_metric_set_clear(&ms);
    free(z);
}

/* Band RMS (SPEC.md): an oblique sinusoid of amplitude A, not a whole
 * number of periods in the field, gives A/√2 ± 3 % in its band and less
 * than 3 % of A/√2 in each other band; the reassigned spectrum's total is
 * the windowed spectrum's (Parseval). The 1.66 mm wave in a 12 mm field
 * is 1.2 frequency bins from the 2 mm edge, inside the window's main lobe:
 * the plain windowed spectrum put 16 % of A/√2 into band_coarse. */
static void test_band_leakage(void)
{
    static const struct {
        double lam_mm, deg, px;
        int n, band;
    } cases[] = {
        {0.13, 23.0, 0.02, 400, 0}, {0.27, 67.0, 0.03, 400, 0}, {0.45, 10.0, 0.02, 400, 0},
        {0.55, 80.0, 0.05, 300, 1}, {1.07, 35.0, 0.04, 300, 1}, {1.66, 56.0, 0.03, 400, 1},
        {1.66, 56.0, 0.02, 512, 1}, {1.9, 121.0, 0.05, 320, 1}, {2.3, 15.0, 0.05, 330, 2},
        {3.7, 56.0, 0.04, 420, 2},  {6.1, 143.0, 0.05, 400, 2},
    };
    const char *names[3] = {"roughness.band_fine", "roughness.band_medium", "roughness.band_coarse"};
    const double A = 1.5, rms = A / sqrt(2.0);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        int n = cases[c].n;
        float *z = malloc(sizeof(float) * n * n);
        synth_sinusoid(z, n, n, A, cases[c].lam_mm / cases[c].px, cases[c].deg, 0.0);
        st_metric_set ms = {0};
        measure_fd(z, n, cases[c].px, &ms, NULL);
        for (int b = 0; b < 3; b++) {
            const st_metric *m = st_metric_set_find(&ms, names[b]);
            CHECK_MSG(m != NULL, "case %zu: %s absent", c, names[b]);
            if (!m)
                continue;
            if (b == cases[c].band)
                CHECK_MSG(fabs(m->value / rms - 1) <= 0.03, "case %zu (%g mm, %g°): in band %g of A/√2",
                          c, cases[c].lam_mm, cases[c].deg, m->value / rms);
            else
                CHECK_MSG(m->value < 0.03 * rms, "case %zu (%g mm, %g°): %s %g of A/√2", c,
                          cases[c].lam_mm, cases[c].deg, names[b], m->value / rms);
        }
        st_metric_set_clear(&ms);
        /* Parseval: the band spectrum's total is the windowed spectrum's. */
        double ms3[3], total;
        st_err err;
        CHECK_EQ_INT(st_band_ms(fft, z, (size_t)n, n, n, NULL, 0, cases[c].px, ST_WINDOW_HANN,
                                st_rough_bands_mm, 3, ms3, &total, &err), 0);
        st_spectrum s;
        st_spectrum_sums sums;
        CHECK_EQ_INT(st_spectrum_compute(fft, z, (size_t)n, n, n, NULL, 0, cases[c].px,
                                         ST_WINDOW_HANN, NULL, 1, &s, &err), 0);
        CHECK_EQ_INT(st_spectrum_reduce(&s, NULL, 0, 3, NULL, 1, &sums), 0);
        CHECK_REL(total, sums.total_ms, 1e-4);
        CHECK_REL(sqrt(total), rms, 0.03);
        st_spectrum_sums_free(&sums);
        st_spectrum_free(&s);
        free(z);
    }
}

/* Radial PSD level: white noise of variance σ² on px² cells has the flat
 * density σ²·px² (PSD integrates to the variance over the Nyquist square). */
static void test_radial_level(void)
{
    const int n = 256;
    const double px = 0.02, sigma = 2.0;
    float *z = malloc(sizeof(float) * n * n);
    synth_rng r = {5};
    for (int i = 0; i < n * n; i++)
        z[i] = (float)(sigma * synth_gauss(&r));
    st_surface_input in = {z, (size_t)n, n, n, NULL, 0, px, ST_UNIT_UM};
    st_surface_opts o = {0};
    o.no_tiles = 1;
    o.fft = fft;
    st_metric_set ms = {0};
    st_surface_extras x;
    st_err err;
    CHECK_EQ_INT(st_measure_surface(&in, &o, &ms, &x, &err), 0);
    double mean = 0;
    size_t cnt = 0;
    for (size_t k = 10; k < x.psd.n; k++, cnt++)
        mean += x.psd.psd[k];
    mean /= (double)cnt;
    CHECK_REL(mean, sigma * sigma * px * px, 0.03);
    const st_metric *sl = st_metric_set_find(&ms, "roughness.psd_slope");
    CHECK(sl && fabs(sl->value) < 0.15); /* flat */
    st_surface_extras_free(&x);
    st_metric_set_clear(&ms);
    free(z);
}

static double rms(const float *z, int w, int h, int border)
{
    double s = 0;
    int n = 0;
    for (int y = border; y < h - border; y++)
        for (int x = border; x < w - border; x++, n++)
            s += (double)z[y * w + x] * z[y * w + x];
    return sqrt(s / n);
}

/* ISO 16610-61: the Gaussian passes 50 % of the amplitude at its cut-off;
 * S-filter keeps long waves, L-filter keeps short ones. */
static void test_filters(void)
{
    const int n = 256;
    const double A = 1.0;
    float *z = malloc(sizeof(float) * n * n);
    st_err err;
    static const struct {
        double lam, ls, lc, gain;
    } cases[] = {
        {8.0, 8.0, 0.0, 0.5},      /* S-filter at its cut-off */
        {64.0, 4.0, 0.0, 0.9973},  /* long wave through S: exp(−ln2·(4/64)²) */
        {64.0, 0.0, 64.0, 0.5},    /* L-filter at its cut-off: 1 − 0.5 */
        {8.0, 0.0, 128.0, 1.0},    /* short wave through L: 1 − exp(−ln2·16²) */
    };
    const double a2 = log(2.0) / M_PI;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        synth_sinusoid(z, n, n, A, cases[c].lam, 30.0, 0.0);
        CHECK_EQ_INT(st_gaussian_sl_filter(fft, z, (size_t)n, n, n, cases[c].ls, cases[c].lc, &err), 0);
        double r = cases[c].ls / cases[c].lam, q = cases[c].lc / cases[c].lam;
        double expect = (cases[c].ls > 0 ? exp(-M_PI * a2 * r * r) : 1.0) *
                        (cases[c].lc > 0 ? 1.0 - exp(-M_PI * a2 * q * q) : 1.0);
        CHECK_NEAR(expect, cases[c].gain, 1e-3); /* the table above is right */
        /* Away from the borders (reflection is exact only for symmetric waves). */
        CHECK_REL(rms(z, n, n, 40), A * expect / sqrt(2.0), 0.01);
    }
    CHECK_EQ_INT(st_gaussian_sl_filter(fft, z, (size_t)n, n, n, 10.0, 5.0, &err), ST_EINVAL);
    free(z);
}

/* --lcut/--scut through st_measure_surface (mm to px): a 1 mm L-filter
 * leaves 4.24 % of a 4 mm wave and keeps a 0.25 mm wave (fine band A/√2 ±
 * 3 %); a 0.5 mm S-filter then leaves 1/16 of the 0.25 mm wave. */
static void test_cutoffs_option(void)
{
    const int n = 400;
    const double px = 0.05, A = 1.0;
    float *z = malloc(sizeof(float) * n * n), *f = malloc(sizeof(float) * n * n);
    synth_sinusoid(z, n, n, A, 4.0 / px, 20.0, 0.0);
    synth_sinusoid(f, n, n, A, 0.25 / px, 70.0, 0.0);
    for (int i = 0; i < n * n; i++)
        z[i] += f[i];
    st_surface_input in = {z, (size_t)n, n, n, NULL, 0, px, ST_UNIT_UM};
    st_surface_opts o = {0};
    o.no_tiles = 1;
    o.fft = fft;
    st_metric_set ms = {0};
    st_err err;
    CHECK_EQ_INT(st_measure_surface(&in, &o, &ms, NULL, &err), 0);
    CHECK_REL(st_metric_set_find(&ms, "roughness.band_coarse")->value, A / sqrt(2.0), 0.03);
    st_metric_set_clear(&ms);
    o.lcut_mm = 1.0;
    CHECK_EQ_INT(st_measure_surface(&in, &o, &ms, NULL, &err), 0);
    /* The Gaussian L-filter passes 1 − 2^−(λc/λ)² of a long wave: 4.24 % at 4 mm. */
    CHECK_REL(st_metric_set_find(&ms, "roughness.band_coarse")->value,
              A * (1 - pow(2.0, -1.0 / 16.0)) / sqrt(2.0), 0.05);
    CHECK_REL(st_metric_set_find(&ms, "roughness.band_fine")->value, A / sqrt(2.0), 0.03);
    st_metric_set_clear(&ms);
    o.scut_mm = 0.5;
    CHECK_EQ_INT(st_measure_surface(&in, &o, &ms, NULL, &err), 0);
    /* 0.25 mm at a 0.5 mm S cut-off: exp(−ln2·4) = 1/16 of the amplitude. */
    CHECK_REL(st_metric_set_find(&ms, "roughness.band_fine")->value, A / 16 / sqrt(2.0), 0.05);
    st_metric_set_clear(&ms);
    free(f);
    free(z);
}

int main(void)
{
    st_err err;
    if (st_fft_new(2, &fft, &err))
        return 1;
    test_parseval();
    test_fractal();
    test_fractal_withheld();
    test_band_leakage();
    test_radial_level();
    test_filters();
    test_cutoffs_option();
    st_fft_free(fft);
    return test_summary();
}
