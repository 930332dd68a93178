/* Gwyddion 2.62 (libgwyddion20-dev, Debian) as an independent oracle for
 * the ISO 25178-2 parameters of st_measure_surface, on surfaces generated
 * here and on a real photo used as a height map:
 *
 * - Sa, Sq, Ssk, Sku: gwy_data_field_get_stats after gwy_data_field_fit_plane
 *   and gwy_data_field_plane_level (Gwyddion's kurtosis is the excess
 *   kurtosis, Sku − 3), within 0.1 %;
 * - Sal, Str: gwy_data_field_2dacf of the plane-levelled field, thresholded
 *   at s = 0.2 of its zero-lag value, the grain holding the origin
 *   (gwy_data_field_threshold, gwy_data_field_grains_extract_grain), and its
 *   boundary's nearest and furthest pixel corners from the origin: the rule
 *   of Gwyddion's "2D Autocorrelation" tool (modules/process/acf2d.c,
 *   find_decays), which is not a library function, written out below;
 *   within 5 %.
 *
 * Built only when Gwyddion's headers and libraries are found
 * (tests/CMakeLists.txt); otherwise ctest runs a stub that reports the skip. */
#include <libgwyddion/gwyddion.h>
#include <libprocess/datafield.h>
#include <libprocess/filters.h>
#include <libprocess/grains.h>
#include <libprocess/gwyprocess.h>
#include <libprocess/level.h>
#include <libprocess/stats.h>

#include "metrics/surface.h"
#include "skingen.h"
#include "skintrack/skintrack.h"
#include "surface_synth.h"
#include "test_util.h"

static st_fft *fft;

typedef struct params {
    double sa, sq, ssk, sku, sal_px, str;
} params;

/* Nearest and furthest pixel corners on the boundary of the grain (mask >
 * 0), from the centre of the field's centre pixel, in pixels; a corner is
 * on the boundary when it touches grain and non-grain pixels (outside the
 * field counts as non-grain). */
static int grain_decays(GwyDataField *mask, double *rmin, double *rmax)
{
    const gdouble *d = gwy_data_field_get_data_const(mask);
    int xres = gwy_data_field_get_xres(mask), yres = gwy_data_field_get_yres(mask);
    double xc = 0.5 * xres, yc = 0.5 * yres, lo = INFINITY, hi = 0;
    for (int i = 0; i <= yres; i++)
        for (int j = 0; j <= xres; j++) {
            int in = 0, out = 0;
            for (int q = 0; q < 4; q++) {
                int r = i - 1 + q / 2, c = j - 1 + q % 2;
                int g = r >= 0 && r < yres && c >= 0 && c < xres && d[r * xres + c] > 0;
                in |= g;
                out |= !g;
            }
            if (!(in && out))
                continue;
            double r2 = (j - xc) * (j - xc) + (i - yc) * (i - yc);
            lo = r2 < lo ? r2 : lo;
            hi = r2 > hi ? r2 : hi;
        }
    if (!isfinite(lo))
        return -1;
    *rmin = sqrt(lo);
    *rmax = sqrt(hi);
    return 0;
}

static int gwy_params(const float *z, int w, int h, double px, params *p)
{
    GwyDataField *f = gwy_data_field_new(w, h, w * px, h * px, FALSE);
    gdouble *d = gwy_data_field_get_data(f);
    for (int i = 0; i < w * h; i++)
        d[i] = z[i];
    gdouble a, bx, by, avg, skew, kurt;
    gwy_data_field_fit_plane(f, &a, &bx, &by);
    gwy_data_field_plane_level(f, a, bx, by);
    gwy_data_field_get_stats(f, &avg, &p->sa, &p->sq, &skew, &kurt);
    p->ssk = skew;
    p->sku = kurt + 3.0;
    GwyDataField *acf = gwy_data_field_new(1, 1, 1.0, 1.0, FALSE);
    gwy_data_field_2dacf(f, acf);
    int ax = gwy_data_field_get_xres(acf), ay = gwy_data_field_get_yres(acf);
    double s2 = gwy_data_field_get_val(acf, ax / 2, ay / 2);
    gwy_data_field_threshold(acf, 0.2 * s2, 0.0, 1.0);
    gwy_data_field_grains_extract_grain(acf, ax / 2, ay / 2);
    double rmin, rmax;
    int rc = grain_decays(acf, &rmin, &rmax);
    p->sal_px = rmin;
    p->str = rc ? NAN : rmin / rmax;
    g_object_unref(acf);
    g_object_unref(f);
    return rc;
}

static double get(const st_metric_set *ms, const char *name)
{
    const st_metric *m = st_metric_set_find(ms, name);
    return m ? m->value : NAN;
}

static void our_params(const float *z, int w, int h, double px, params *p)
{
    st_surface_input in = {z, (size_t)w, w, h, NULL, 0, px, ST_UNIT_UM};
    st_surface_opts o = {0};
    o.no_tiles = 1;
    o.fft = fft;
    st_metric_set ms = {0};
    st_err err = {0};
    CHECK_EQ_INT(st_measure_surface(&in, &o, &ms, NULL, &err), 0);
    *p = (params){get(&ms, "roughness.sa"), get(&ms, "roughness.sq"), get(&ms, "roughness.ssk"),
                  get(&ms, "roughness.sku"), get(&ms, "roughness.sal") / px,
                  get(&ms, "roughness.str")};
    st_metric_set_clear(&ms);
}

static double rel(double a, double b) { return fabs(a - b) / fabs(b); }

static void compare(const char *name, const float *z, int w, int h, double px)
{
    params g, o;
    CHECK_MSG(gwy_params(z, w, h, px, &g) == 0, "%s: Gwyddion's ACF does not decay", name);
    our_params(z, w, h, px, &o);
    printf("%-22s Sal px  ours %8.3f  gwy %8.3f  (%+.2f %%)   Str ours %.4f gwy %.4f (%+.2f %%)\n",
           name, o.sal_px, g.sal_px, 100 * (o.sal_px / g.sal_px - 1), o.str, g.str,
           100 * (o.str / g.str - 1));
    printf("%-22s Sa %+.4f %%  Sq %+.4f %%  Ssk %+.4f %%  Sku %+.4f %%\n", "",
           100 * (o.sa / g.sa - 1), 100 * (o.sq / g.sq - 1), 100 * (o.ssk / g.ssk - 1),
           100 * (o.sku / g.sku - 1));
    CHECK_MSG(rel(o.sal_px, g.sal_px) <= 0.05, "%s: Sal %g px, Gwyddion %g", name, o.sal_px, g.sal_px);
    CHECK_MSG(rel(o.str, g.str) <= 0.05, "%s: Str %g, Gwyddion %g", name, o.str, g.str);
    CHECK_MSG(rel(o.sa, g.sa) <= 1e-3, "%s: Sa %g, Gwyddion %g", name, o.sa, g.sa);
    CHECK_MSG(rel(o.sq, g.sq) <= 1e-3, "%s: Sq %g, Gwyddion %g", name, o.sq, g.sq);
    /* Ssk relative to its size, or absolutely for a nearly symmetric surface. */
    CHECK_MSG(fabs(o.ssk - g.ssk) <= 1e-3 * fmax(fabs(g.ssk), 0.1), "%s: Ssk %g, Gwyddion %g", name,
              o.ssk, g.ssk);
    CHECK_MSG(rel(o.sku, g.sku) <= 1e-3, "%s: Sku %g, Gwyddion %g", name, o.sku, g.sku);
}

/* Anisotropic power law: PSD ∝ (fu² + (a·fv)²)^(−β/2), u at `deg`. par = {β, a, deg}. */
static double psd_aniso(double fx, double fy, const double *par)
{
    double th = par[2] * M_PI / 180.0;
    double fu = fx * cos(th) - fy * sin(th), fv = (fx * sin(th) + fy * cos(th)) * par[1];
    double f2 = fu * fu + fv * fv;
    return f2 > 0 ? pow(f2, -0.5 * par[0]) : 0.0;
}

/* n x n cut from the middle of a periodic 2n x 2n synthesis: not periodic. */
static void fbm(float *z, int n, synth_psd_fn psd, const double *par, uint64_t seed)
{
    float *big = malloc(sizeof(float) * 4 * n * n);
    CHECK_EQ_INT(synth_spectral(fft, big, 2 * n, 2 * n, psd, par, 1.0, seed), 0);
    for (int y = 0; y < n; y++)
        memcpy(z + (size_t)y * n, big + (size_t)(y + n / 2) * 2 * n + n / 2, sizeof(float) * n);
    free(big);
}

static void test_fbm(void)
{
    const int n = 256;
    float *z = malloc(sizeof(float) * n * n);
    const double iso_lo[1] = {2.0 * 0.3 + 2.0}, iso_hi[1] = {2.0 * 0.8 + 2.0};
    fbm(z, n, synth_psd_power, iso_lo, 5);
    compare("fBm H=0.3 isotropic", z, n, n, 0.02);
    fbm(z, n, synth_psd_power, iso_hi, 6);
    compare("fBm H=0.8 isotropic", z, n, n, 0.02);
    const double an[3] = {2.0 * 0.5 + 2.0, 3.0, 30.0};
    fbm(z, n, psd_aniso, an, 7);
    compare("fBm H=0.5 aniso 3:1", z, n, n, 0.02);
    free(z);
}

/* The first session of the demo course, its luminance as heights. */
static void test_photo(void)
{
    st_image *img = NULL;
    st_err err = {0};
    if (st_image_load("../samples/demo/photo-course/2026-01-05.jpg", NULL, &img, NULL, &err)) {
        CHECK_MSG(0, "demo photo: %s", err.msg);
        return;
    }
    const int n = 384;
    int x0 = (img->width - n) / 2, y0 = (img->height - n) / 2;
    CHECK(x0 >= 0 && y0 >= 0);
    float *z = malloc(sizeof(float) * n * n);
    for (int y = 0; y < n && x0 >= 0 && y0 >= 0; y++)
        for (int x = 0; x < n; x++) {
            size_t i = (size_t)(y + y0) * img->stride + x + x0;
            const float *r = st_image_row(img, 0, 0), *g = st_image_row(img, 1, 0),
                        *b = st_image_row(img, 2, 0);
            z[y * n + x] = 0.2126f * r[i] + 0.7152f * g[i] + 0.0722f * b[i];
        }
    compare("demo photo luminance", z, n, n, 0.03);
    free(z);
    st_image_free(img);
}

/* Skin relief (fBm and furrows) with pores and wrinkles, from the generator. */
static void test_skin(void)
{
    const int n = 320;
    skingen_params p;
    skingen_params_default(&p, 11, n, n, 0.02);
    skingen_skin *skin = NULL;
    st_err err = {0};
    CHECK_EQ_INT(skingen_skin_new(&p, &skin, &err), 0);
    skingen_state s;
    skingen_state_baseline(&s);
    s.features = SKINGEN_F_RELIEF | SKINGEN_F_PORES | SKINGEN_F_WRINKLES;
    skingen_camera c;
    skingen_camera_default(&c, n, n, 3);
    st_image *img = NULL;
    CHECK_EQ_INT(skingen_render_height(skin, &s, &c, &img, &err), 0);
    if (img) {
        float *z = malloc(sizeof(float) * n * n);
        for (int y = 0; y < n; y++)
            memcpy(z + (size_t)y * n, st_image_row(img, 0, y), sizeof(float) * n);
        compare("generator skin relief", z, n, n, img->pixel_mm);
        free(z);
    }
    st_image_free(img);
    skingen_skin_free(skin);
}

int main(void)
{
    st_err err;
    if (st_fft_new(2, &fft, &err))
        return 1;
    test_fbm();
    test_photo();
    test_skin();
    st_fft_free(fft);
    return test_summary();
}
