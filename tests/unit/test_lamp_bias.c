/* Issue #18: st_lamp_turn reads a lamp's turn short. This test measures by
 * how much, and which part of the generated photo causes it, by drawing the
 * same skin (samples/generator) with one family at a time: the relief alone,
 * the relief with the tone unevenness/spots/redness (SKINGEN_F_COLOUR), and
 * everything (pores and wrinkles too). Each photo has its own sensor noise
 * (as two sessions do), the lamp at 50° elevation turned 5–30° from 225°.
 *
 * It asserts what holds today (measured on seeds 1–3, 600x450 px at
 * 0.05 mm): the relief alone reads 0.93–0.97 of the turn (the shading's
 * second-order terms, common to both photos); adding the colour, 0.81–0.88;
 * everything, 0.67–0.82 (worst at small turns). The turn never reads long.
 * So the bias is albedo common to both registered photos, which the fit's
 * identity (mixed derivatives commute) does not model and which pulls the
 * fit towards "no turn"; the smoothing scale (0.7–4 px), a high-pass before
 * the fit and more robust reweighting rounds were measured and do not remove
 * it. A lagged instrumental-variable fit (the albedo-free S − B as the
 * instrument, 8 px away) read 10–30° turns within 1° on these photos but
 * found no root on the demo, so it is not in lamp.c. When the estimator is fixed, the ratios below must be tightened to
 * the fix's figures (issue #18 asks ±2° over 0–30°). */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "metrics/lamp.h"
#include "lamp_photo.h"

#define PMM 0.05
#define W 600
#define H 450
#define AZ0 225.0 /* towards the lamp, as skingen's lamp series */
#define EL 50.0

/* The skin drawn with `features`, the lamp from azimuth az at elevation
 * EL; the sensor noise seeded by `shot`. */
static st_image *shoot(const skingen_skin *skin, unsigned features, uint64_t shot, double az)
{
    return lamp_photo(skin, features, shot, az, 90.0 - EL, 0, 0, W, H, PMM);
}

static void test_bias_by_family(void)
{
    static const double turns[] = {5, 15, 30};
    static const struct {
        const char *name;
        unsigned features;
        double lo, hi; /* read / true turn, measured 0.93-0.97, 0.81-0.88, 0.67-0.82 */
    } fam[] = {
        {"relief", SKINGEN_F_RELIEF, 0.90, 0.99},
        {"relief+colour", SKINGEN_F_RELIEF | SKINGEN_F_COLOUR, 0.78, 0.90},
        {"all", SKINGEN_F_RELIEF | SKINGEN_F_PORES | SKINGEN_F_WRINKLES | SKINGEN_F_COLOUR, 0.62, 0.85},
    };
    fprintf(stderr, "turn read / true, lamp at %.0f° elevation from %.0f°:\n", EL, AZ0);
    for (uint64_t seed = 1; seed <= 2; seed++) {
        skingen_skin *skin = lamp_skin(seed, W, H, PMM);
        st_err err = {0};
        if (!skin)
            return;
        double ratio[3][3];
        for (int f = 0; f < 3; f++) {
            st_image *b = shoot(skin, fam[f].features, 100 * seed, AZ0);
            fprintf(stderr, "  seed %llu %-14s", (unsigned long long)seed, fam[f].name);
            for (int i = 0; i < 3; i++) {
                st_image *s = shoot(skin, fam[f].features, 100 * seed + 1 + (uint64_t)i, AZ0 + turns[i]);
                double t = NAN;
                CHECK_EQ_INT(st_lamp_turn(b, s, NULL, 0, &t, NULL, &err), ST_OK);
                ratio[f][i] = t / turns[i];
                fprintf(stderr, " %2.0f°: %5.2f° (%.3f)", turns[i], t, ratio[f][i]);
                CHECK_MSG(ratio[f][i] >= fam[f].lo && ratio[f][i] <= fam[f].hi,
                          "seed %llu %s: turn %.2f° for %.0f° (ratio %.3f outside [%.2f, %.2f])",
                          (unsigned long long)seed, fam[f].name, t, turns[i], ratio[f][i], fam[f].lo, fam[f].hi);
                st_image_free(s);
            }
            fprintf(stderr, "\n");
            st_image_free(b);
        }
        /* the albedo, not the relief, costs most of the turn */
        for (int i = 0; i < 3; i++)
            CHECK_MSG(ratio[2][i] < ratio[1][i] && ratio[1][i] < ratio[0][i] - 0.05,
                      "seed %llu, %.0f°: ratios %.3f %.3f %.3f not ordered", (unsigned long long)seed, turns[i],
                      ratio[0][i], ratio[1][i], ratio[2][i]);
        skingen_skin_free(skin);
    }
}

int main(void)
{
    test_bias_by_family();
    return test_summary();
}
