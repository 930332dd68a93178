/* EXIF orientation (TIFF 6.0 tag 274, EXIF 2.32 §4.6.4 A): the value says
 * where the stored 0th row and 0th column lie in the scene; the displayed
 * image is rebuilt from it. Each output pixel (x, y) reads the stored pixel
 * origin + x*step_x + y*step_y, so the eight cases differ only in three
 * numbers. Work goes in 64x64 tiles so the transposing cases stay in cache. */
#include "io/io_internal.h"
#include "core/error.h"

#include <stddef.h>

typedef struct orient_map {
    ptrdiff_t origin, step_x, step_y; /* in floats, within one plane */
    int swap;                         /* output is height x width */
} orient_map;

static orient_map make_map(int o, ptrdiff_t w, ptrdiff_t h, ptrdiff_t s)
{
    orient_map m = {0, 1, s, 0};
    switch (o) {
    case 2: m = (orient_map){w - 1, -1, s, 0}; break;                   /* mirror left-right */
    case 3: m = (orient_map){(h - 1) * s + w - 1, -1, -s, 0}; break;    /* rotate 180 */
    case 4: m = (orient_map){(h - 1) * s, 1, -s, 0}; break;             /* mirror top-bottom */
    case 5: m = (orient_map){0, s, 1, 1}; break;                        /* transpose */
    case 6: m = (orient_map){(h - 1) * s, -s, 1, 1}; break;             /* rotate 90 cw */
    case 7: m = (orient_map){(h - 1) * s + w - 1, -s, -1, 1}; break;    /* transverse */
    case 8: m = (orient_map){w - 1, s, -1, 1}; break;                   /* rotate 90 ccw */
    default: break;
    }
    return m;
}

enum { TILE = 64 };

static void remap_plane(const float *restrict src, float *restrict dst, size_t dst_stride, int ow,
                        int oh, const orient_map *m)
{
    for (int ty = 0; ty < oh; ty += TILE) {
        int ey = ty + TILE < oh ? ty + TILE : oh;
        for (int tx = 0; tx < ow; tx += TILE) {
            int ex = tx + TILE < ow ? tx + TILE : ow;
            for (int y = ty; y < ey; y++) {
                const float *s = src + m->origin + (ptrdiff_t)y * m->step_y;
                float *d = dst + (size_t)y * dst_stride;
                for (int x = tx; x < ex; x++)
                    d[x] = s[(ptrdiff_t)x * m->step_x];
            }
        }
    }
}

int st_orient_apply(st_image **img, int orientation, st_err *err)
{
    st_image *in = *img;
    if (orientation < 2 || orientation > 8)
        return ST_OK;
    orient_map m = make_map(orientation, in->width, in->height, (ptrdiff_t)in->stride);
    int ow = m.swap ? in->height : in->width;
    int oh = m.swap ? in->width : in->height;
    st_image *out;
    int rc = st_image_new(ow, oh, in->channels, &out, err);
    if (rc)
        return rc;
    out->pixel_mm = in->pixel_mm;
    out->unit = in->unit;
    for (int c = 0; c < in->channels; c++)
        remap_plane(st_image_row(in, c, 0), st_image_row(out, c, 0), out->stride, ow, oh, &m);
    st_image_free(in);
    *img = out;
    return ST_OK;
}
