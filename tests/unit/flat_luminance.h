/* The flattened photo the register stage hands to the metrics, as a
 * stand-in for the detection tests on generated photos: luminance divided by
 * its 1 mm local mean (times 0.5, mid-grey). */
#ifndef ST_TEST_FLAT_LUMINANCE_H
#define ST_TEST_FLAT_LUMINANCE_H

#include "simd/kernels.h"
#include "skintrack/skintrack.h"

static inline st_image *flat_luminance(const st_image *rgb, double pmm)
{
    st_image *y = NULL, *m = NULL;
    st_err err = {0};
    if (st_image_new(rgb->width, rgb->height, 1, &y, &err))
        return NULL;
    y->pixel_mm = pmm;
    for (int r = 0; r < rgb->height; r++)
        st_luminance(st_image_row(rgb, 0, r), st_image_row(rgb, 1, r), st_image_row(rgb, 2, r),
                     st_image_row(y, 0, r), (size_t)rgb->width);
    if (st_image_clone(y, &m, &err)) {
        st_image_free(y);
        return NULL;
    }
    st_gaussian_blur(m->data, m->stride, m->data, m->stride, m->width, m->height, 1.0 / pmm, 1);
    for (int r = 0; r < y->height; r++)
        for (int x = 0; x < y->width; x++)
            st_image_row(y, 0, r)[x] = 0.5f * st_image_row(y, 0, r)[x] / st_image_row(m, 0, r)[x];
    st_image_free(m);
    return y;
}

#endif
