#include "core/image_reduce.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

int st_image_reduce_rgb(const st_image *src, int f, st_image **out, st_err *err)
{
    int w = (src->width + f - 1) / f, h = (src->height + f - 1) / f;
    int rc = st_image_new(w, h, 3, out, err);
    double *acc = rc ? NULL : malloc((size_t)w * sizeof *acc);
    if (!rc && !acc) {
        st_image_free(*out);
        *out = NULL;
        return st_err_set(err, ST_ENOMEM, "reducing an image: out of memory");
    }
    /* Block means, the block's source rows added in their order into one
     * accumulator per output pixel (a row at a time: the source is read
     * once, in order). */
    for (int c = 0; !rc && c < 3; c++) {
        int sc = src->channels == 3 ? c : 0;
        if (f == 1) {
            /* a block of one pixel: its sum 0 + v over 1, written so that
             * it vectorises (the same value, -0 becoming +0 as below) */
            for (int y = 0; y < h; y++) {
                const float *row = st_image_row(src, sc, y);
                float *o = st_image_row(*out, c, y);
                for (int x = 0; x < w; x++)
                    o[x] = (float)(0.0 + (double)row[x]);
            }
            continue;
        }
        for (int y = 0; y < h; y++) {
            int y1 = (y + 1) * f < src->height ? (y + 1) * f : src->height;
            memset(acc, 0, (size_t)w * sizeof *acc);
            for (int yy = y * f; yy < y1; yy++) {
                const float *row = st_image_row(src, sc, yy);
                for (int x = 0, xx = 0; x < w; x++) {
                    int x1 = xx + f < src->width ? xx + f : src->width;
                    double s = acc[x];
                    for (; xx < x1; xx++)
                        s += row[xx];
                    acc[x] = s;
                }
            }
            float *o = st_image_row(*out, c, y);
            double rows = y1 - y * f;
            for (int x = 0; x < w; x++) {
                int cols = ((x + 1) * f < src->width ? (x + 1) * f : src->width) - x * f;
                o[x] = (float)(acc[x] / (rows * cols));
            }
        }
    }
    free(acc);
    return rc;
}
