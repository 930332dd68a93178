/* The melanin and haemoglobin maps of images/ made band by band
 * (pipeline/analyze_images.c, images_reduce_chromo): the same floats as
 * rendering the whole map (report/chromo_map.c) and reducing it
 * (core/image_reduce.h), for reduction factors 1 to 4, heights that are and
 * are not a multiple of the factor, densities over and beyond the ramp's
 * range (and NaN), with and without a mask. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, in pipeline/analyze_int.h */
#include "test_util.h"

#include <string.h>

#include "core/image_reduce.h"
#include "pipeline/analyze_int.h"
#include "report/chromo_map.h"

/* A density that crosses the ramp's range, clips at both ends, and has NaNs. */
static void fill_density(st_image *d, int which)
{
    double lo, hi;
    st_chromo_map_range(which, &lo, &hi);
    for (int y = 0; y < d->height; y++)
        for (int x = 0; x < d->width; x++) {
            double t = 0.5 + 0.8 * sin(0.013 * x + 0.7 * y) * cos(0.002 * x * (y + 1));
            st_image_row(d, 0, y)[x] = (x * 7 + y * 13) % 997 == 0 ? NAN : (float)(lo + t * (hi - lo));
        }
}

static void check_size(int w, int h, int use_mask)
{
    st_err err;
    st_image *rgb = NULL;
    st_chromo chromo = {0};
    CHECK_EQ_INT(st_image_new(w, h, 3, &rgb, &err), ST_OK);
    CHECK_EQ_INT(st_image_new(w, h, 1, &chromo.melanin, &err), ST_OK);
    CHECK_EQ_INT(st_image_new(w, h, 1, &chromo.haemoglobin, &err), ST_OK);
    fill_density(chromo.melanin, ST_CHROMO_MELANIN);
    fill_density(chromo.haemoglobin, ST_CHROMO_HAEMOGLOBIN);
    unsigned char *mask = use_mask ? malloc((size_t)w * h) : NULL;
    for (size_t i = 0; mask && i < (size_t)w * h; i++)
        mask[i] = (i * 2654435761u) % 7 != 0;
    st_image *small[2] = {NULL, NULL};
    CHECK_EQ_INT(images_reduce_chromo(rgb, &chromo, mask, small, &err), ST_OK);
    int side = w > h ? w : h, f = (side + 1599) / 1600; /* images/ at most 1600 px a side */
    const st_image *dens[2] = {chromo.melanin, chromo.haemoglobin};
    for (int k = 0; k < 2; k++) {
        st_image *full = NULL, *ref = NULL;
        CHECK_EQ_INT(st_chromo_map(dens[k], k ? ST_CHROMO_HAEMOGLOBIN : ST_CHROMO_MELANIN, mask, 0, &full, &err),
                     ST_OK);
        CHECK_EQ_INT(st_image_reduce_rgb(full, f, &ref, &err), ST_OK);
        CHECK(small[k] && small[k]->width == ref->width && small[k]->height == ref->height);
        int same = 1;
        for (int c = 0; small[k] && c < 3; c++)
            for (int y = 0; y < ref->height; y++)
                same &= !memcmp(st_image_row(small[k], c, y), st_image_row(ref, c, y), (size_t)ref->width * sizeof(float));
        CHECK_MSG(same, "%dx%d (factor %d, mask %d), map %d: not the bytes of the whole map reduced", w, h, f, use_mask,
                  k);
        st_image_free(full);
        st_image_free(ref);
        st_image_free(small[k]);
    }
    free(mask);
    st_image_free(rgb);
    st_chromo_free(&chromo);
}

int main(void)
{
    /* factor 1 (the demo); 2 and 3 with a last band one row high; 4 with
     * a height that is a multiple of it */
    int sizes[][2] = {{37, 23}, {1601, 9}, {3301, 7}, {4801, 12}};
    for (int s = 0; s < 4; s++)
        for (int m = 0; m < 2; m++)
            check_size(sizes[s][0], sizes[s][1], m);
    return test_summary();
}
