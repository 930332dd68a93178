/* How far may the lamp move before a photo's relief metrics change by more
 * than the repeatability SPEC promises (roughness.sq 2 %, scars.max_depth
 * 4 %, wrinkles.depth_index 6 %)? The same generated skin (samples/generator)
 * is photographed under the baseline's lamp and under lamps turned in
 * azimuth or raised/lowered, each photo measured on its own
 * (st_measure_one, as `skintrack metrics`), and the change from the
 * baseline's photo printed per metric: the mean and the largest |change|
 * over the skins. Also printed: the turn st_lamp_turn reads for each lamp.
 * Usage: bench_lamp_tolerance [n_skins (3)] [tmp dir (/tmp)] */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "metrics/lamp.h"
#include "series/measure_image.h"
#include "simd/kernels.h"
#include "skingen.h"

#define W 800
#define H 600
#define PMM 0.04
#define AZ0 (-135.0) /* the generator's default lamp: upper left, 40° slant */
#define SL0 40.0

static const char *names[] = {"roughness.sq", "scars.max_depth", "wrinkles.depth_index"};
static const double limit_pct[] = {2, 4, 6};
static const double d_az[] = {0, 2, 3, 5, 10, 20, 30, 60, 0, 0, 0, 0, 0, 0};
static const double d_sl[] = {0, 0, 0, 0, 0, 0, 0, 0, -10, -5, -2, 2, 5, 10};
#define NL (sizeof d_az / sizeof *d_az)
#define NM 3

/* Photo of skin under the lamp (az, sl) saved as PNG; its flattened luminance
 * (luminance over its 1 mm mean) in *flat. */
static int shoot(const skingen_skin *skin, uint64_t seed, double az, double sl, const char *path,
                 st_image **flat, st_err *err)
{
    skingen_state s;
    skingen_state_baseline(&s);
    skingen_camera c;
    skingen_camera_default(&c, W, H, seed + 99);
    c.threads = 2;
    double a = az * M_PI / 180, t = sl * M_PI / 180;
    c.light[0] = sin(t) * cos(a);
    c.light[1] = sin(t) * sin(a);
    c.light[2] = cos(t);
    st_image *rgb = NULL, *m = NULL;
    int rc = skingen_render_photo(skin, &s, &c, &rgb, err);
    if (!rc)
        rc = st_image_save_png(rgb, path, 16, err);
    if (!rc)
        rc = st_luminance_image(rgb, flat, err);
    if (!rc)
        rc = st_image_clone(*flat, &m, err);
    if (!rc)
        rc = st_gaussian_blur(m->data, m->stride, m->data, m->stride, W, H, 1.0 / PMM, 1);
    for (int y = 0; !rc && y < H; y++)
        for (int x = 0; x < W; x++)
            st_image_row(*flat, 0, y)[x] = 0.5f * st_image_row(*flat, 0, y)[x] / st_image_row(m, 0, y)[x];
    if (*flat)
        (*flat)->pixel_mm = PMM;
    st_image_free(m);
    st_image_free(rgb);
    return rc;
}

static int measure(const char *path, double v[NM], st_err *err)
{
    st_measure_one_opts o = {0};
    o.ov.has_pixel_mm = 1;
    o.ov.pixel_mm = PMM;
    o.threads = 2;
    st_session_result r = {0};
    int rc = st_measure_one(path, &o, &r, err);
    for (int k = 0; k < NM; k++) {
        const st_metric *m = rc ? NULL : st_metric_set_find(&r.metrics, names[k]);
        v[k] = m ? m->value : NAN;
    }
    st_session_result_free(&r);
    return rc;
}

int main(int argc, char **argv)
{
    int n_skins = argc > 1 ? atoi(argv[1]) : 3;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    double sum[NL][NM] = {{0}}, worst[NL][NM] = {{0}}, cnt[NL][NM] = {{0}}, turn[NL] = {0}, turn_w[NL] = {0};
    st_err err = {0};
    for (int sk = 0; sk < n_skins; sk++) {
        uint64_t seed = 1000 + 31 * (uint64_t)sk;
        skingen_params p;
        skingen_params_default(&p, seed, W, H, PMM);
        p.n_scars = 3; /* every family present on every skin */
        p.n_wrinkles = 3;
        skingen_skin *skin = NULL;
        if (skingen_skin_new(&p, &skin, &err))
            return fprintf(stderr, "%s\n", err.msg), 1;
        double base[NM] = {0};
        st_image *fb = NULL;
        for (size_t i = 0; i < NL; i++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/lamp_%d_%zu.png", dir, sk, i);
            st_image *f = NULL;
            double v[NM];
            if (shoot(skin, seed, AZ0 + d_az[i], SL0 + d_sl[i], path, &f, &err) || measure(path, v, &err))
                return fprintf(stderr, "%s\n", err.msg), 1;
            remove(path);
            if (i == 0) {
                for (int k = 0; k < NM; k++)
                    base[k] = v[k];
                fb = f;
                continue;
            }
            double t = 0;
            if (st_lamp_turn(fb, f, NULL, 0, &t, NULL, &err))
                return fprintf(stderr, "%s\n", err.msg), 1;
            turn[i] += t / n_skins;
            turn_w[i] = fmax(turn_w[i], fabs(t - d_az[i]));
            st_image_free(f);
            for (int k = 0; k < NM; k++) {
                if (!(fabs(base[k]) > 0) || !isfinite(v[k]))
                    continue; /* the family not found on this skin */
                double c = 100 * (v[k] - base[k]) / fabs(base[k]);
                cnt[i][k] += 1;
                sum[i][k] += fabs(c);
                worst[i][k] = fmax(worst[i][k], fabs(c));
            }
        }
        st_image_free(fb);
        skingen_skin_free(skin);
    }
    printf("%d skins, %dx%d px at %.2f mm, baseline lamp azimuth %.0f° slant %.0f°\n", n_skins, W, H, PMM,
           AZ0, SL0);
    printf("| lamp move | turn read (mean, worst err) |");
    for (int k = 0; k < NM; k++)
        printf(" %s mean / worst |change| %% (limit %.0f) |", names[k], limit_pct[k]);
    printf("\n|---|---|---|---|---|\n");
    for (size_t i = 1; i < NL; i++) {
        if (d_az[i] != 0)
            printf("| azimuth %+.0f° | %+.1f°, %.1f° |", d_az[i], turn[i], turn_w[i]);
        else
            printf("| slant %+.0f° | %+.1f°, %.1f° |", d_sl[i], turn[i], turn_w[i]);
        for (int k = 0; k < NM; k++)
            printf(" %.1f / %.1f%s |", cnt[i][k] > 0 ? sum[i][k] / cnt[i][k] : NAN, worst[i][k], worst[i][k] > limit_pct[k] ? " *" : "");
        printf("\n");
    }
    return 0;
}
