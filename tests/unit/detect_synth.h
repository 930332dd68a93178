/* Analytic test surfaces for the detection tests: a deterministic normal
 * generator, anti-aliased disks, caps and grooves with known geometry. */
#ifndef ST_TEST_DETECT_SYNTH_H
#define ST_TEST_DETECT_SYNTH_H

#include <math.h>
#include <stdint.h>

#include "skintrack/skintrack.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

typedef struct synth_rng {
    uint64_t s;
} synth_rng;

static inline double synth_uniform(synth_rng *r)
{
    r->s = r->s * 6364136223846793005ull + 1442695040888963407ull;
    return ((r->s >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static inline double synth_normal(synth_rng *r)
{
    double u = synth_uniform(r), v = synth_uniform(r);
    return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/* Fraction of pixel (x, y) covered by the disk (cx, cy, rad), 4x4 samples. */
static inline double synth_disk_cover(int x, int y, double cx, double cy, double rad)
{
    int in = 0;
    for (int j = 0; j < 4; j++)
        for (int i = 0; i < 4; i++) {
            double dx = x - 0.375 + 0.25 * i - cx, dy = y - 0.375 + 0.25 * j - cy;
            in += dx * dx + dy * dy <= rad * rad;
        }
    return in / 16.0;
}

static inline void synth_add_noise(st_image *img, double sd, uint64_t seed)
{
    synth_rng r = {seed};
    for (int c = 0; c < img->channels; c++)
        for (int y = 0; y < img->height; y++) {
            float *row = st_image_row(img, c, y);
            for (int x = 0; x < img->width; x++)
                row[x] += (float)(sd * synth_normal(&r));
        }
}

#endif
