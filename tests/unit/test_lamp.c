/* The lamp's direction from the shading (metrics/lamp.c): the azimuth of one
 * photo and the turn from the baseline's lamp, on generated photos
 * (samples/generator: relief, pores, wrinkles, colour) of several skins,
 * and on a surface rendered here (Lambert over a field of random elongated
 * pits), so the estimate is not fitted to the generator. Errors are printed
 * for every case. */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/lamp.h"
#include "skingen.h"
#include "lamp_photo.h"
#include "test_util.h"

#define PMM 0.02
#define W 512
#define H 384

static double wrapd(double a)
{
    while (a > 180)
        a -= 360;
    while (a <= -180)
        a += 360;
    return a;
}

/* Flattened luminance of a generated photo of skin `skin`, lamp from
 * azimuth az at slant sl (degrees), the camera moved by (dx, dy) px. */
static st_image *gen_photo(const skingen_skin *skin, uint64_t seed, double az, double sl,
                           double dx, double dy)
{
    return lamp_photo(skin, SKINGEN_F_RELIEF | SKINGEN_F_PORES | SKINGEN_F_WRINKLES | SKINGEN_F_COLOUR, seed + 7,
                      az, sl, dx, dy, W, H, PMM);
}

static double turn_of(const st_image *b, const st_image *s, double *res)
{
    double t = NAN;
    st_err err = {0};
    CHECK_EQ_INT(st_lamp_turn(b, s, NULL, 0, &t, res, &err), ST_OK);
    return t;
}

/* Generated skins: the baseline lit from az0 at 40°, sessions turned. */
static void test_generated(void)
{
    static const double turns[] = {0, 3, 10, 30, 60, -10};
    static const double az0s[] = {-135, 30, 100};
    double worst_abs = 0, worst_turn = 0, worst_el = 0;
    fprintf(stderr, "generated skin, slant 40°: seed az0 | azimuth error | turn: error (residual)\n");
    for (int k = 0; k < 3; k++) {
        uint64_t seed = 11 + 17 * (uint64_t)k;
        double az0 = az0s[k];
        skingen_skin *skin = lamp_skin(seed, W, H, PMM);
        st_err err = {0};
        if (!skin)
            return;
        st_image *b = gen_photo(skin, seed, az0, 40, 0, 0);
        st_lamp lb;
        CHECK_EQ_INT(st_lamp_estimate(b, NULL, 0, &lb, &err), ST_OK);
        double e_abs = wrapd(lb.azimuth_deg - az0);
        fprintf(stderr, "  %3llu %5.0f | %6.2f° (aniso %.2f, skew %.2f) |", (unsigned long long)seed,
                az0, e_abs, lb.anisotropy, lb.side_skew);
        CHECK_MSG(fabs(e_abs) < 15, "seed %llu: azimuth %.1f° for %.0f°", (unsigned long long)seed,
                  lb.azimuth_deg, az0);
        CHECK(lb.directional);
        worst_abs = fmax(worst_abs, fabs(e_abs));
        for (size_t i = 0; i < sizeof turns / sizeof *turns; i++) {
            st_image *s = gen_photo(skin, seed, az0 + turns[i], 40, 0, 0);
            double res = 1, t = turn_of(b, s, &res);
            fprintf(stderr, " %+.0f: %+.2f (%.2f)", turns[i], wrapd(t - turns[i]), res);
            /* measured: the turn reads up to 16 % short (albedo common to
             * both photos pulls towards no turn), never long, never 0 */
            CHECK_MSG(fabs(wrapd(t - turns[i])) <= 0.2 * fabs(turns[i]) + 0.3, "seed %llu: turn %.2f° for %.0f°",
                      (unsigned long long)seed, t, turns[i]);
            worst_turn = fmax(worst_turn, fabs(wrapd(t - turns[i])));
            st_image_free(s);
        }
        /* the slant alone changed (30° and 55°): no turn */
        for (int j = 0; j < 2; j++) {
            st_image *s = gen_photo(skin, seed, az0, j ? 55 : 30, 0, 0);
            double t = turn_of(b, s, NULL);
            fprintf(stderr, " slant %s: %+.2f", j ? "55" : "30", t);
            CHECK_MSG(fabs(t) < 2.0, "seed %llu: turn %.2f° for a slant change", (unsigned long long)seed, t);
            worst_el = fmax(worst_el, fabs(t));
            st_image_free(s);
        }
        /* residual misregistration, lamp turned 10°: a tenth of a pixel is
         * checked; a third is printed (known weakness: the shift's own
         * difference reads as shading, see the report) */
        st_image *s3 = gen_photo(skin, seed, az0 + 10, 40, 0.33, -0.25);
        double t3 = turn_of(b, s3, NULL);
        st_image_free(s3);
        st_image *s = gen_photo(skin, seed, az0 + 10, 40, 0.1, -0.08);
        double t = turn_of(b, s, NULL);
        fprintf(stderr, " shifted 0.1 px +10: %+.2f, 0.33 px: %+.2f\n", wrapd(t - 10), wrapd(t3 - 10));
        CHECK_MSG(fabs(wrapd(t - 10)) < 3, "seed %llu: turn %.2f° for 10° with 0.1 px misregistration",
                  (unsigned long long)seed, t);
        /* the session's own estimate follows the turn */
        st_lamp ls;
        double ang = -1;
        CHECK_EQ_INT(st_lamp_session(b, &lb, s, NULL, 0, &ls, &ang, &err), ST_OK);
        CHECK_NEAR(wrapd(ls.azimuth_deg - lb.azimuth_deg), t, 1e-9);
        /* the session's shading is smoothed once for both: the very values
         * of its own estimate */
        st_lamp le;
        CHECK_EQ_INT(st_lamp_estimate(s, NULL, 0, &le, &err), ST_OK);
        CHECK(ls.anisotropy == le.anisotropy && ls.side_skew == le.side_skew);
        CHECK_NEAR(ang, 2 * asin(sin(ST_LAMP_SLANT_DEG * M_PI / 180) * sin(fabs(t) * M_PI / 360)) * 180 / M_PI, 1e-6);
        st_image_free(s);
        st_image_free(b);
        skingen_skin_free(skin);
    }
    fprintf(stderr, "  worst: azimuth %.2f°, turn %.2f°, slant-only %.2f°\n", worst_abs, worst_turn, worst_el);
}

/* A surface of our own: 600 pits (Gaussian depressions, 0.04-0.3 mm,
 * elongated 3:1 along `pit_deg`) over a gentle sinusoid, rendered as
 * I = 0.2 + 0.8 max(0, n·l) / l_z with a little noise, then flattened.
 * Height in mm, slopes up to ~0.5. */
static st_image *pits_photo(uint64_t seed, double elong, double pit_deg, double az, double sl)
{
    static float hgt[W * H];
    uint64_t r = seed * 0x9E3779B97F4A7C15ull + 1;
#define RND() ((r ^= r << 13, r ^= r >> 7, r ^= r << 17), (double)(r >> 11) / 9007199254740992.0)
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            hgt[y * W + x] = (float)(0.004 * sin(2 * M_PI * x * PMM / 1.7) * sin(2 * M_PI * y * PMM / 2.3));
    double ca = cos(pit_deg * M_PI / 180), sa = sin(pit_deg * M_PI / 180);
    for (int n = 0; n < 600; n++) {
        double cx = RND() * W, cy = RND() * H, rad = (0.02 + 0.13 * RND()) / PMM, dep = rad * PMM * 0.35;
        int rr = (int)(3 * elong * rad) + 1;
        for (int y = (int)cy - rr; y <= (int)cy + rr; y++)
            for (int x = (int)cx - rr; x <= (int)cx + rr; x++) {
                if (x < 0 || y < 0 || x >= W || y >= H)
                    continue;
                double u = (x - cx) * ca + (y - cy) * sa, v = -(x - cx) * sa + (y - cy) * ca;
                double q = (u * u / (elong * elong) + v * v) / (rad * rad);
                if (q < 12)
                    hgt[y * W + x] -= (float)(dep * exp(-q));
            }
    }
    st_image *img = NULL;
    st_err err = {0};
    if (st_image_new(W, H, 1, &img, &err))
        return NULL;
    img->pixel_mm = PMM;
    double a = az * M_PI / 180, t = sl * M_PI / 180;
    double l[3] = {sin(t) * cos(a), sin(t) * sin(a), cos(t)};
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int xl = x ? x - 1 : x, xr = x + 1 < W ? x + 1 : x, yu = y ? y - 1 : y, yd = y + 1 < H ? y + 1 : y;
            double sx = (hgt[y * W + xr] - hgt[y * W + xl]) / ((xr - xl) * PMM);
            double sy = (hgt[yd * W + x] - hgt[yu * W + x]) / ((yd - yu) * PMM);
            double nl = (-sx * l[0] - sy * l[1] + l[2]) / sqrt(1 + sx * sx + sy * sy);
            double v = 0.2 + 0.8 * (nl > 0 ? nl : 0) / l[2] + 0.01 * (RND() - 0.5);
            st_image_row(img, 0, y)[x] = (float)(0.4 * v);
        }
#undef RND
    return img;
}

static void test_own_surface(void)
{
    static const double turns[] = {0, 3, 10, 30, 60};
    static const double elong[] = {1, 3, 3}, pit_deg[] = {0, 60, 120}, az0s[] = {-60, 10, 80};
    fprintf(stderr, "pit field, slant 45°: elongation pit° az0 | azimuth error | turn errors\n");
    double worst_turn = 0;
    for (int k = 0; k < 3; k++) {
        uint64_t seed = 5 + (uint64_t)k;
        st_image *b = pits_photo(seed, elong[k], pit_deg[k], az0s[k], 45);
        st_lamp lb;
        st_err err = {0};
        CHECK_EQ_INT(st_lamp_estimate(b, NULL, 0, &lb, &err), ST_OK);
        double e = wrapd(lb.azimuth_deg - az0s[k]);
        fprintf(stderr, "  %.0f %4.0f %5.0f | %6.2f° (aniso %.2f, skew %.2f) |", elong[k], pit_deg[k],
                az0s[k], e, lb.anisotropy, lb.side_skew);
        /* round pits: the axis within a few degrees; elongated ones pull it
         * towards their short axis, but not across to the other side */
        CHECK_MSG(fabs(e) < (elong[k] > 1 ? 60 : 5), "pits %d: azimuth %.1f° for %.0f°", k,
                  lb.azimuth_deg, az0s[k]);
        for (size_t i = 0; i < sizeof turns / sizeof *turns; i++) {
            st_image *s = pits_photo(seed, elong[k], pit_deg[k], az0s[k] + turns[i], 45);
            double t = turn_of(b, s, NULL);
            fprintf(stderr, " %+.0f: %+.2f", turns[i], wrapd(t - turns[i]));
            CHECK_MSG(fabs(wrapd(t - turns[i])) <= (elong[k] > 1 ? 0.35 : 0.1) * fabs(turns[i]) + 0.3, "pits %d: turn %.2f° for %.0f°", k, t, turns[i]);
            worst_turn = fmax(worst_turn, fabs(wrapd(t - turns[i])));
            st_image_free(s);
        }
        fputc('\n', stderr);
        /* a photo of a bare folder has no pixel size: the same lamp within
         * a degree (it is smoothed by 0.7 px instead of 0.02 mm = 1 px) */
        st_lamp lu;
        b->pixel_mm = 0.0;
        CHECK_EQ_INT(st_lamp_estimate(b, NULL, 0, &lu, &err), ST_OK);
        CHECK_NEAR(lu.azimuth_deg, lb.azimuth_deg, 1.0);
        st_image_free(b);
    }
    fprintf(stderr, "  worst: turn %.2f°\n", worst_turn);
}

static void test_errors(void)
{
    st_image *rgb = NULL, *g = NULL;
    st_err err = {0};
    st_lamp l;
    double t;
    CHECK_EQ_INT(st_image_new(64, 64, 3, &rgb, &err), ST_OK);
    CHECK_EQ_INT(st_image_new(64, 64, 1, &g, &err), ST_OK);
    rgb->pixel_mm = 0.02;
    CHECK_EQ_INT(st_lamp_estimate(rgb, NULL, 0, &l, &err), ST_EINVAL);
    CHECK(strstr(err.msg, "one channel") != NULL);
    g->pixel_mm = 0.02;
    unsigned char mask[64 * 64] = {0};
    for (int i = 0; i < 5 * 64; i++)
        mask[i] = 1;
    CHECK_EQ_INT(st_lamp_estimate(g, mask, 0, &l, &err), ST_EINVAL); /* 3 rows x 62 inside */
    CHECK(strstr(err.msg, "inside the mask") != NULL);
    CHECK_EQ_INT(st_lamp_turn(g, g, NULL, 0, &t, NULL, &err), ST_EINVAL); /* flat */
    CHECK_EQ_INT(st_lamp_turn(g, rgb, NULL, 0, &t, NULL, &err), ST_EINVAL);
    double a[3] = {0, 0, 1}, b[3] = {1, 0, 0};
    CHECK_NEAR(st_lamp_angle_deg(a, b), 90, 1e-12);
    CHECK_NEAR(st_lamp_angle_deg(a, a), 0, 1e-12);
    st_image_free(rgb);
    st_image_free(g);
}

int main(void)
{
    test_errors();
    test_own_surface();
    test_generated();
    return test_summary();
}
