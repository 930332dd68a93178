/* Tiles: layout, per-tile values against known per-tile surfaces, the
 * GLCM/LBP decomposition (ROI value = whole-plane value), masks, and the
 * same bytes for every thread count. */
#include "metrics/glcm.h"
#include "metrics/lbp.h"
#include "metrics/surface.h"
#include "surface_synth.h"
#include "test_util.h"

enum { W = 300, H = 200 };

static double tile_value(const st_tile_grid *g, const char *name, int tx, int ty)
{
    for (size_t m = 0; m < g->n_metrics; m++)
        if (!strcmp(g->names[m].name, name))
            return g->values[m * (size_t)g->nx * g->ny + (size_t)ty * g->nx + tx];
    return NAN;
}

static size_t metric_index(const st_tile_grid *g, const char *name)
{
    for (size_t m = 0; m < g->n_metrics; m++)
        if (!strcmp(g->names[m].name, name))
            return m;
    return (size_t)-1;
}

/* Each 40 px tile holds 8 periods (5 px) of A_t·cos, even about the tile
 * centre (so its own plane is flat): tile Sq = A_t/√2 and Sku = 1.5 exactly
 * (5 samples per period). */
static double amp(int tx, int ty) { return 0.01 * (1 + tx + 7 * ty); }

static void make_tiled(float *z)
{
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int tx = (x - 10) / 40, ty = y / 40;
            double a = (x < 10 || x >= 290) ? 0.05 : amp(tx, ty);
            double xl = (x - 10) % 40 - 19.5;
            z[y * W + x] = (float)(0.5 + a * cos(2 * M_PI * xl / 5.0));
        }
}

static void test_layout_and_values(void)
{
    float *z = malloc(sizeof(float) * W * H);
    make_tiled(z);
    st_surface_input in = {z, W, W, H, NULL, 0, 0.05, ST_UNIT_REL};
    st_metric_set ms = {0};
    st_surface_extras x;
    st_err err;
    CHECK_EQ_INT(st_measure_surface(&in, NULL, &ms, &x, &err), 0);
    const st_tile_grid *g = &x.tiles;
    CHECK_EQ_INT(g->tile_px, 40);
    CHECK_EQ_INT(g->nx, 7);
    CHECK_EQ_INT(g->ny, 5);
    CHECK_EQ_INT(g->x0, 10);
    CHECK_EQ_INT(g->y0, 0);
    CHECK_NEAR(g->tile_mm, 2.0, 1e-12);
    double s = 0, s2 = 0;
    for (int ty = 0; ty < 5; ty++)
        for (int tx = 0; tx < 7; tx++) {
            double a = amp(tx, ty);
            CHECK_REL(tile_value(g, "roughness.sq", tx, ty), a / sqrt(2.0), 1e-4);
            CHECK_NEAR(tile_value(g, "roughness.sku", tx, ty), 1.5, 1e-3);
            s += a / sqrt(2.0);
            s2 += a * a / 2;
        }
    size_t m = metric_index(g, "roughness.sq");
    CHECK(m != (size_t)-1);
    if (m != (size_t)-1) {
        double mean = s / 35, sd = sqrt((s2 - 35 * mean * mean) / 34);
        CHECK_EQ_INT(g->n_valid[m], 35);
        CHECK_REL(g->mean[m], mean, 1e-4);
        CHECK_REL(g->sd[m], sd, 1e-3);
        CHECK(!strcmp(g->names[m].unit, "rel"));
    }
    /* 40 px tiles of a 2 mm side hold the fine and medium bands, not coarse. */
    CHECK(isfinite(tile_value(g, "roughness.band_fine", 3, 2)));
    CHECK(isnan(tile_value(g, "roughness.band_coarse", 3, 2)));
    /* λ = 5 px = 0.25 mm lies in the fine band (bin 8 of a 40 px tile, the
     * band being bins 4–20): tile band RMS = A/√2 (±3 %). */
    CHECK_REL(tile_value(g, "roughness.band_fine", 3, 2), amp(3, 2) / sqrt(2.0), 0.03);
    st_surface_extras_free(&x);
    st_metric_set_clear(&ms);
    free(z);
}

/* ROI GLCM/LBP = those of the whole plane; tile GLCM = that of the tile crop. */
static void test_texture_decomposition(void)
{
    float *y = malloc(sizeof(float) * W * H);
    synth_rng r = {77};
    for (int i = 0; i < W * H; i++)
        y[i] = (float)(0.5 + 0.15 * synth_gauss(&r) + 0.1 * sin(i % W * 0.2));
    st_surface_input in = {y, W, W, H, NULL, 0, 0.05, ST_UNIT_REL};
    st_metric_set ms = {0};
    st_surface_extras x;
    st_err err;
    CHECK_EQ_INT(st_measure_surface(&in, NULL, &ms, &x, &err), 0);
    unsigned char *lev = malloc((size_t)W * H);
    for (int row = 0; row < H; row++)
        st_glcm_quantize_row(y + row * W, NULL, W, lev + row * W);
    static st_glcm_counts c;
    memset(c, 0, sizeof c);
    st_glcm_count(lev, W, W, H, 1, c);
    double f[ST_GLCM_NFEAT];
    st_glcm_features(c, f);
    CHECK_NEAR(st_metric_set_find(&ms, "texture.glcm.contrast")->value, f[ST_GLCM_CONTRAST], 1e-12);
    CHECK_NEAR(st_metric_set_find(&ms, "texture.glcm.entropy")->value, f[ST_GLCM_ENTROPY], 1e-12);
    CHECK_NEAR(st_metric_set_find(&ms, "texture.glcm.correlation")->value, f[ST_GLCM_CORRELATION], 1e-12);
    /* tile (4, 3): pixels x 170..209, y 120..159 */
    memset(c, 0, sizeof c);
    st_glcm_count(lev + 120 * W + 170, W, 40, 40, 1, c);
    st_glcm_features(c, f);
    CHECK_NEAR(tile_value(&x.tiles, "texture.glcm.contrast", 4, 3), f[ST_GLCM_CONTRAST], 1e-12);
    CHECK_NEAR(tile_value(&x.tiles, "texture.glcm.homogeneity", 4, 3), f[ST_GLCM_HOMOGENEITY], 1e-12);
    uint64_t h[ST_LBP_BINS] = {0};
    st_lbp_histogram(y, W, W, H, NULL, 0, h);
    CHECK_NEAR(st_metric_set_find(&ms, "texture.lbp.entropy")->value, st_lbp_entropy(h), 1e-12);
    st_surface_extras_free(&x);
    st_metric_set_clear(&ms);
    free(lev);
    free(y);
}

/* Same input, 1, 2 and 3 threads: identical bytes; tiles left out by a mask. */
static void test_threads_and_mask(void)
{
    /* 320 x 256: large enough for FFTW's threaded plans (>= 65536 points). */
    const int w = 320, h = 256;
    float *z = malloc(sizeof(float) * w * h);
    unsigned char *mask = malloc((size_t)w * h);
    synth_rng r = {9};
    for (int i = 0; i < w * h; i++) {
        z[i] = (float)(0.4 + 0.1 * synth_gauss(&r));
        mask[i] = !((i % w) < 60 && (i / w) < 100);
    }
    st_metric_set ref = {0};
    st_surface_extras rx;
    for (int t = 1; t <= 3; t++) {
        st_fft *fft;
        st_err err;
        CHECK_EQ_INT(st_fft_new(t, &fft, &err), 0);
        st_surface_input in = {z, (size_t)w, w, h, mask, (size_t)w, 0.05, ST_UNIT_REL};
        st_surface_opts o = {0};
        o.threads = t;
        o.fft = fft;
        st_metric_set ms = {0};
        st_surface_extras x;
        CHECK_EQ_INT(st_measure_surface(&in, &o, &ms, &x, &err), 0);
        if (t == 1) {
            ref = ms;
            rx = x;
            /* Tile (0, 0) (x 0..39, y 8..47) lies in the masked corner. */
            CHECK(isnan(tile_value(&x.tiles, "roughness.sq", 0, 0)));
            CHECK(isnan(tile_value(&x.tiles, "texture.glcm.contrast", 0, 0)));
            CHECK(isfinite(tile_value(&x.tiles, "roughness.sq", 5, 5)));
        } else {
            CHECK_EQ_INT(ms.count, ref.count);
            CHECK(ms.count == ref.count && !memcmp(ms.items, ref.items, ms.count * sizeof *ms.items));
            size_t nv = (size_t)x.tiles.nx * x.tiles.ny * x.tiles.n_metrics;
            CHECK(!memcmp(x.tiles.values, rx.tiles.values, nv * sizeof(double)));
            CHECK(x.psd.n == rx.psd.n && !memcmp(x.psd.psd, rx.psd.psd, x.psd.n * sizeof(double)));
            st_metric_set_clear(&ms);
            st_surface_extras_free(&x);
        }
        st_fft_free(fft);
    }
    st_metric_set_clear(&ref);
    st_surface_extras_free(&rx);
    free(mask);
    free(z);
}

/* Uncalibrated: 64 px tiles, lengths in px. Height maps: texture runs on the
 * robustly scaled height, so a photo Y and a height map of the same shape
 * (Y = 0.2 + 0.6·t) give the same LBP entropy (LBP ignores monotone maps). */
static void test_uncalibrated_and_height(void)
{
    float *z = malloc(sizeof(float) * W * H), *hz = malloc(sizeof(float) * W * H);
    synth_rng r = {13};
    for (int i = 0; i < W * H; i++) {
        z[i] = (float)(0.5 + 0.1 * synth_gauss(&r));
        hz[i] = (float)(50.0 * (z[i] - 0.5));
    }
    st_surface_input in = {z, W, W, H, NULL, 0, 0.0, ST_UNIT_REL};
    st_metric_set ms = {0};
    st_surface_extras x;
    st_err err;
    CHECK_EQ_INT(st_measure_surface(&in, NULL, &ms, &x, &err), 0);
    CHECK_EQ_INT(x.tiles.tile_px, 64);
    CHECK_EQ_INT(x.tiles.nx, 4);
    CHECK_EQ_INT(x.tiles.ny, 3);
    CHECK(!strcmp(st_metric_set_find(&ms, "roughness.sal")->unit, "px"));
    CHECK(!strcmp(x.psd.freq_unit, "1/px"));
    double lbp_photo = st_metric_set_find(&ms, "texture.lbp.entropy")->value;
    st_surface_extras_free(&x);
    st_metric_set_clear(&ms);
    st_surface_input hin = {hz, W, W, H, NULL, 0, 0.05, ST_UNIT_UM};
    CHECK_EQ_INT(st_measure_surface(&hin, NULL, &ms, NULL, &err), 0);
    const st_metric *l = st_metric_set_find(&ms, "texture.lbp.entropy");
    /* Equal up to the clamping of the outer 1 % and float rounding ties. */
    CHECK(l && fabs(l->value - lbp_photo) < 0.01);
    CHECK(!strcmp(st_metric_set_find(&ms, "roughness.sq")->unit, "um"));
    st_metric_set_clear(&ms);
    free(z);
    free(hz);
}

int main(void)
{
    test_layout_and_values();
    test_texture_decomposition();
    test_threads_and_mask();
    test_uncalibrated_and_height();
    return test_summary();
}
