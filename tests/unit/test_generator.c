/* The generator's truth against its own rendering: scar depth and volume in
 * the height map, the stated session->baseline matrix against pore centres
 * found in both images, Sq of the rendered field, the base tone's ITA°, the
 * chart's published colours, and same seed -> same bytes. */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "skingen.h"
#include "skingen_series.h"
#include "test_util.h"

static skingen_skin *make_skin(skingen_params *p, st_err *err)
{
    skingen_skin *skin = NULL;
    int rc = skingen_skin_new(p, &skin, err);
    CHECK_MSG(rc == ST_OK, "%s", err->msg);
    return skin;
}

static void test_scar_depth(void)
{
    st_err err;
    skingen_params p;
    skingen_params_default(&p, 5, 240, 180, 0.05);
    const skingen_scar scars[3] = {{SKINGEN_BOXCAR, 60, 60, 3.0, 0.8, 30, 300},
                                   {SKINGEN_ICEPICK, 150, 50, 1.2, 1.0, 0, 450},
                                   {SKINGEN_ROLLING, 175, 120, 5.0, 0.7, 110, 140}};
    p.scars = scars, p.n_scars = 3;
    p.n_pores = p.n_wrinkles = 0;
    skingen_skin *skin = make_skin(&p, &err);
    skingen_state all, relief;
    skingen_state_baseline(&all);
    all.scar_depth = 0.8;
    relief = all;
    relief.features = SKINGEN_F_RELIEF;
    skingen_camera c;
    skingen_camera_default(&c, 240, 180, 1);
    st_image *h = NULL, *h0 = NULL;
    CHECK(skingen_render_height(skin, &all, &c, &h, &err) == ST_OK);
    CHECK(skingen_render_height(skin, &relief, &c, &h0, &err) == ST_OK);
    CHECK_EQ_INT(h->unit, ST_UNIT_UM);
    for (int i = 0; i < 3; i++) {
        skingen_scar_truth t;
        skingen_scar_geometry(&scars[i], all.scar_depth, &t);
        int x = (int)scars[i].x, y = (int)scars[i].y;
        double d = st_image_row(h0, 0, y)[x] - st_image_row(h, 0, y)[x];
        CHECK_NEAR(d, t.max_depth_um, 1e-3);
        CHECK_NEAR(t.max_depth_um, scars[i].depth_um * 0.8, 1e-9);
        /* volume: Σ depth × pixel area over the scar's box, vs the integral */
        double vol = 0, r = 0.5 * scars[i].d_mm / 0.05 + 2;
        for (int yy = (int)(y - r); yy <= (int)(y + r); yy++)
            for (int xx = (int)(x - r); xx <= (int)(x + r); xx++)
                vol += (st_image_row(h0, 0, yy)[xx] - st_image_row(h, 0, yy)[xx]) * 1e-3 * 0.05 * 0.05;
        CHECK_REL(vol, t.volume_mm3, 0.01);
        CHECK_NEAR(t.area_mm2, M_PI * 0.25 * scars[i].d_mm * scars[i].d_mm * scars[i].aspect, 1e-12);
    }
    /* rolling profile: ∫ ½(1 + cos πρ) dA = π a b ½(1 - 4/π²) */
    skingen_scar_truth t;
    skingen_scar_geometry(&scars[2], 1.0, &t);
    CHECK_REL(t.volume_mm3, M_PI * 2.5 * 1.75 * 0.14 * 0.5 * (1.0 - 4.0 / (M_PI * M_PI)), 1e-9);
    st_image_free(h);
    st_image_free(h0);
    skingen_skin_free(skin);
}

/* Depth-weighted centroid of a pore in a pores-only height map. */
static void centroid(const st_image *h, double cx, double cy, double r, double *ox, double *oy)
{
    double sw = 0, sx = 0, sy = 0;
    for (int y = (int)floor(cy - r); y <= (int)ceil(cy + r); y++)
        for (int x = (int)floor(cx - r); x <= (int)ceil(cx + r); x++) {
            double w = -st_image_row(h, 0, y)[x];
            sw += w, sx += w * x, sy += w * y;
        }
    *ox = sx / sw;
    *oy = sy / sw;
}

static void test_transform(void)
{
    st_err err;
    skingen_params p;
    skingen_params_default(&p, 9, 320, 240, 0.05);
    skingen_pore pores[4] = {{80.3, 70.6, 0.45, 60}, {240.5, 60.2, 0.4, 60},
                             {100.7, 180.1, 0.45, 60}, {230.1, 170.9, 0.45, 60}};
    p.pores = pores, p.n_pores = 4;
    p.n_scars = p.n_wrinkles = 0;
    skingen_skin *skin = make_skin(&p, &err);
    skingen_state s;
    skingen_state_baseline(&s);
    s.features = SKINGEN_F_PORES;
    skingen_camera base, sess;
    skingen_camera_default(&base, 320, 240, 1);
    skingen_camera_default(&sess, 320, 240, 2);
    skingen_matrix_camera(sess.matrix, 320, 240, 7.3, -5.1, 3.0, 1.04, 2e-5, -1e-5);
    st_image *hb = NULL, *hs = NULL;
    CHECK(skingen_render_height(skin, &s, &base, &hb, &err) == ST_OK);
    CHECK(skingen_render_height(skin, &s, &sess, &hs, &err) == ST_OK);
    double minv[9];
    CHECK(skingen_matrix_invert(sess.matrix, minv) == 0);
    double worst = 0;
    for (int i = 0; i < 4; i++) {
        double bx, by, px, py, sx, sy, mx, my;
        centroid(hb, pores[i].x, pores[i].y, 6, &bx, &by);
        skingen_map(minv, pores[i].x, pores[i].y, &px, &py); /* predicted in the session */
        centroid(hs, px, py, 7, &sx, &sy);
        skingen_map(sess.matrix, sx, sy, &mx, &my); /* back to the baseline */
        worst = fmax(worst, hypot(mx - bx, my - by));
        worst = fmax(worst, hypot(bx - pores[i].x, by - pores[i].y));
    }
    CHECK_MSG(worst < 0.05, "pore centres disagree by %.4f px", worst);
    /* the session's pixel size follows the matrix's scale */
    CHECK_REL(hs->pixel_mm, 0.05 * 1.04, 0.01);
    st_image_free(hb);
    st_image_free(hs);
    skingen_skin_free(skin);
}

/* Independent Sq: general 3x3 least-squares plane (Cramer's rule). */
static double sq_reference(const st_image *h, const int r[4])
{
    double m[3][3] = {{0}}, v[3] = {0};
    for (int y = r[1]; y < r[1] + r[3]; y++)
        for (int x = r[0]; x < r[0] + r[2]; x++) {
            double b[3] = {1, x, y}, z = st_image_row(h, 0, y)[x];
            for (int i = 0; i < 3; i++) {
                v[i] += b[i] * z;
                for (int j = 0; j < 3; j++)
                    m[i][j] += b[i] * b[j];
            }
        }
    double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                 m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                 m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    double c[3];
    for (int k = 0; k < 3; k++) {
        double t[3][3];
        memcpy(t, m, sizeof t);
        for (int i = 0; i < 3; i++)
            t[i][k] = v[i];
        c[k] = (t[0][0] * (t[1][1] * t[2][2] - t[1][2] * t[2][1]) -
                t[0][1] * (t[1][0] * t[2][2] - t[1][2] * t[2][0]) +
                t[0][2] * (t[1][0] * t[2][1] - t[1][1] * t[2][0])) / det;
    }
    double s2 = 0;
    for (int y = r[1]; y < r[1] + r[3]; y++)
        for (int x = r[0]; x < r[0] + r[2]; x++) {
            double e = st_image_row(h, 0, y)[x] - (c[0] + c[1] * x + c[2] * y);
            s2 += e * e;
        }
    return sqrt(s2 / ((double)r[2] * r[3]));
}

static void test_surface_and_colour(void)
{
    st_err err;
    skingen_params p;
    skingen_params_default(&p, 21, 256, 192, 0.05);
    skingen_skin *skin = make_skin(&p, &err);
    skingen_state s;
    skingen_state_baseline(&s);
    s.relief = 0.85;
    const int roi[4] = {30, 20, 180, 150};
    skingen_truth t;
    CHECK(skingen_truth_compute(skin, &s, roi, &t, &err) == ST_OK);
    skingen_camera c;
    skingen_camera_default(&c, 256, 192, 3);
    st_image *h = NULL;
    CHECK(skingen_render_height(skin, &s, &c, &h, &err) == ST_OK);
    CHECK_REL(t.sq_um, sq_reference(h, roi), 1e-5);
    CHECK(t.relief_sq_um > 0.5 * 0.85 * p.sq_um && t.relief_sq_um < 1.5 * 0.85 * p.sq_um);
    CHECK_NEAR(t.ita_deg, p.ita_deg, 1e-9);
    /* albedo without tone or features: exactly the base tone */
    s.features = 0;
    st_image *alb = NULL;
    CHECK(skingen_render_albedo(skin, &s, &c, &alb, &err) == ST_OK);
    double rgb[3] = {st_image_row(alb, 0, 50)[50], st_image_row(alb, 1, 50)[50],
                     st_image_row(alb, 2, 50)[50]}, lab[3];
    skingen_srgb_to_lab(rgb, lab);
    CHECK_NEAR(skingen_ita_deg(lab[0], lab[2]), p.ita_deg, 0.01);
    CHECK_NEAR(lab[1], p.base_a, 0.01);
    st_image_free(alb);
    st_image_free(h);
    skingen_skin_free(skin);
}

static void test_chart(void)
{
    st_err err;
    skingen_params p;
    skingen_params_default(&p, 4, 400, 300, 0.05);
    p.chart.enabled = 1, p.chart.x = 40, p.chart.y = 30, p.chart.patch_mm = 2.0;
    skingen_skin *skin = make_skin(&p, &err);
    skingen_state s;
    skingen_state_baseline(&s);
    skingen_camera c;
    skingen_camera_default(&c, 400, 300, 5);
    c.noise = c.shot_noise = c.vignetting = 0;
    skingen_matrix_camera(c.matrix, 400, 300, 3, -2, 1.0, 1.0, 0, 0);
    st_image *img = NULL;
    CHECK(skingen_render_photo(skin, &s, &c, &img, &err) == ST_OK);
    double minv[9];
    skingen_matrix_invert(c.matrix, minv);
    for (int i = 0; i < 24; i++) {
        double bx, by, x, y;
        skingen_chart_patch_centre(&p.chart, p.pixel_mm, i, &bx, &by);
        skingen_map(minv, bx, by, &x, &y);
        for (int k = 0; k < 3; k++)
            CHECK_NEAR(st_image_row(img, k, (int)lround(y))[(int)lround(x)] * 255.0,
                       skingen_checker_srgb[i][k], 0.05);
    }
    st_image_free(img);
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

static void test_determinism(void)
{
    st_err err;
    uint64_t hash[3];
    for (int run = 0; run < 3; run++) {
        skingen_params p;
        skingen_params_default(&p, run < 2 ? 77 : 78, 180, 140, 0.05);
        skingen_skin *skin = make_skin(&p, &err);
        skingen_state s;
        skingen_state_baseline(&s);
        skingen_camera c;
        skingen_camera_default(&c, 180, 140, 11);
        skingen_matrix_camera(c.matrix, 180, 140, 2.5, 1.5, 1.0, 1.01, 0, 0);
        st_image *img = NULL;
        CHECK(skingen_render_photo(skin, &s, &c, &img, &err) == ST_OK);
        hash[run] = fnv(img);
        st_image_free(img);
        skingen_skin_free(skin);
    }
    CHECK(hash[0] == hash[1]);
    CHECK(hash[0] != hash[2]);
}

/* The same bytes whatever the number of render threads. */
static void test_threads(void)
{
    st_err err;
    skingen_params p;
    skingen_params_default(&p, 31, 150, 200, 0.05);
    skingen_skin *skin = make_skin(&p, &err);
    skingen_state s;
    skingen_state_baseline(&s);
    uint64_t hash[3];
    for (int i = 0; i < 3; i++) {
        skingen_camera c;
        skingen_camera_default(&c, 150, 200, 4);
        skingen_matrix_camera(c.matrix, 150, 200, -3, 2, -2.0, 0.98, 1e-5, 0);
        c.threads = 1 + 2 * i;
        st_image *img = NULL;
        CHECK(skingen_render_photo(skin, &s, &c, &img, &err) == ST_OK);
        hash[i] = fnv(img);
        st_image_free(img);
    }
    CHECK(hash[0] == hash[1] && hash[1] == hash[2]);
    skingen_skin_free(skin);
}

/* Photometric stereo: I = albedo · max(0, n·l) exactly (flat skin, n = z). */
static void test_lambert(void)
{
    st_err err;
    skingen_params p;
    skingen_params_default(&p, 8, 64, 48, 0.05);
    skingen_skin *skin = make_skin(&p, &err);
    skingen_state s;
    skingen_state_baseline(&s);
    s.features = 0;
    skingen_camera c;
    skingen_camera_default(&c, 64, 48, 2);
    c.noise = c.shot_noise = c.blur_px = 0;
    c.lambert_exact = 1;
    const double l[3] = {0.5, 0.0, 0.8660254037844386};
    memcpy(c.light, l, sizeof l);
    st_image *alb = NULL, *img = NULL;
    CHECK(skingen_render_albedo(skin, &s, &c, &alb, &err) == ST_OK);
    CHECK(skingen_render_photo(skin, &s, &c, &img, &err) == ST_OK);
    for (int k = 0; k < 3; k++) {
        double a = st_image_row(alb, k, 20)[30], v = st_image_row(img, k, 20)[30];
        double lin_a = a <= 0.04045 ? a / 12.92 : pow((a + 0.055) / 1.055, 2.4);
        double lin_v = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
        CHECK_REL(lin_v, lin_a * l[2], 1e-5);
    }
    st_image_free(alb);
    st_image_free(img);
    skingen_skin_free(skin);
}

static cJSON *load_json(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return cJSON_Parse(buf);
}

/* A written height series: the PNG holds the rendered µm (scale, offset),
 * truth.json the exact matrix and the scar's change, series.json the dates. */
static void test_series_files(void)
{
    static skingen_series_spec s;
    memset(&s, 0, sizeof s);
    s.patient = "T-1";
    s.start_date = "2026-01-05";
    s.modality = SKINGEN_HEIGHT;
    s.write_series_json = 1;
    s.height_um_per_unit = 0.02;
    s.height_offset_um = 1000.0;
    skingen_params_default(&s.skin, 3, 200, 150, 0.05);
    static const skingen_scar scar = {SKINGEN_BOXCAR, 100, 75, 3.0, 0.9, 10, 250};
    s.skin.scars = &scar, s.skin.n_scars = 1, s.skin.n_wrinkles = 0;
    s.n_sessions = 2;
    for (int i = 0; i < 2; i++) {
        skingen_camera_default(&s.sessions[i].camera, 200, 150, 10 + (uint64_t)i);
        skingen_state_baseline(&s.sessions[i].state);
        s.sessions[i].day = 35 * i;
    }
    skingen_matrix_camera(s.sessions[1].camera.matrix, 200, 150, 4.5, -3.25, 2.0, 1.02, 0, 0);
    s.sessions[1].state.scar_depth = 0.7;
    char dir[1100], path[1200];
    snprintf(dir, sizeof dir, "%s/series", test_tmpdir("generator"));
    st_err err;
    int rc = skingen_write_series(&s, dir, &err);
    CHECK_MSG(rc == ST_OK, "%s", err.msg);

    st_load_opts o = {0};
    o.raw_counts = 1;
    st_image *file = NULL, *ref = NULL;
    skingen_skin *skin = make_skin(&s.skin, &err);
    snprintf(path, sizeof path, "%s/2026-02-09.png", dir);
    CHECK(st_image_load(path, &o, &file, NULL, &err) == ST_OK);
    CHECK(skingen_render_height(skin, &s.sessions[1].state, &s.sessions[1].camera, &ref, &err) == ST_OK);
    double worst = 0;
    for (int y = 0; file && ref && y < 150; y++)
        for (int x = 0; x < 200; x++)
            worst = fmax(worst, fabs(st_image_row(file, 0, y)[x] * 0.02 - 1000.0 -
                                     st_image_row(ref, 0, y)[x]));
    CHECK_MSG(worst <= 0.0101, "height file differs from the render by %.4f um", worst);

    snprintf(path, sizeof path, "%s/truth.json", dir);
    cJSON *truth = load_json(path);
    CHECK(truth != NULL);
    cJSON *s1 = cJSON_GetArrayItem(cJSON_GetObjectItem(truth, "sessions"), 1);
    cJSON *m = cJSON_GetObjectItem(s1, "matrix");
    for (int r = 0; r < 3; r++)
        for (int k = 0; k < 3; k++)
            CHECK_NEAR(cJSON_GetArrayItem(cJSON_GetArrayItem(m, r), k)->valuedouble,
                       s.sessions[1].camera.matrix[3 * r + k], 1e-12);
    cJSON *ch = cJSON_GetObjectItem(s1, "change_pct");
    CHECK_NEAR(cJSON_GetObjectItem(ch, "scars.max_depth_um")->valuedouble, -30.0, 1e-4);
    cJSON *sc = cJSON_GetArrayItem(cJSON_GetObjectItem(s1, "scars"), 0);
    CHECK_NEAR(cJSON_GetObjectItem(sc, "max_depth_um")->valuedouble, 175.0, 1e-4);
    cJSON_Delete(truth);

    snprintf(path, sizeof path, "%s/series.json", dir);
    cJSON *series = load_json(path);
    CHECK(series != NULL);
    CHECK(!strcmp(cJSON_GetObjectItem(series, "modality")->valuestring, "height"));
    CHECK_NEAR(cJSON_GetObjectItem(series, "height_um_per_unit")->valuedouble, 0.02, 1e-12);
    cJSON *d1 = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(series, "sessions"), 1), "date");
    CHECK(d1 && !strcmp(d1->valuestring, "2026-02-09"));
    cJSON_Delete(series);
    st_image_free(file);
    st_image_free(ref);
    skingen_skin_free(skin);
}

static void test_dates(void)
{
    char d[11];
    CHECK(skingen_date_add("2026-01-05", 35, d) == 0 && !strcmp(d, "2026-02-09"));
    CHECK(skingen_date_add("2024-02-28", 1, d) == 0 && !strcmp(d, "2024-02-29"));
    CHECK(skingen_date_add("2025-12-31", 1, d) == 0 && !strcmp(d, "2026-01-01"));
    CHECK(skingen_date_add("junk", 1, d) != 0);
}

int main(void)
{
    test_scar_depth();
    test_transform();
    test_surface_and_colour();
    test_chart();
    test_determinism();
    test_threads();
    test_lambert();
    test_series_files();
    test_dates();
    return test_summary();
}
