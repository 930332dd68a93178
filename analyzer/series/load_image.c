#include "series/load_image.h"

#include <string.h>

#include "core/error.h"

static int gray_to_rgb(st_image **img, st_err *err)
{
    st_image *gray = *img, *rgb;
    int rc = st_image_new(gray->width, gray->height, 3, &rgb, err);
    if (rc)
        return rc;
    for (int ch = 0; ch < 3; ch++)
        for (int y = 0; y < gray->height; y++)
            memcpy(st_image_row(rgb, ch, y), st_image_row(gray, 0, y),
                   (size_t)gray->width * sizeof(float));
    rgb->pixel_mm = gray->pixel_mm;
    rgb->unit = gray->unit;
    st_image_free(gray);
    *img = rgb;
    return ST_OK;
}

int st_load_modality_image(const char *path, st_modality mod, double height_um_per_unit,
                           uint64_t max_pixels, uint64_t max_memory, st_image **out,
                           st_err *err)
{
    st_load_opts lo = {.max_pixels = max_pixels, .raw_counts = mod == ST_MODALITY_HEIGHT,
                       .max_memory = max_memory, .bytes_per_pixel = ST_PIPELINE_BYTES_PER_PIXEL};
    int rc = st_image_load(path, &lo, out, NULL, err);
    if (rc)
        return rc;
    st_image *im = *out;
    if (mod != ST_MODALITY_HEIGHT)
        rc = im->channels == 1 ? gray_to_rgb(out, err) : ST_OK;
    else if (im->channels != 1)
        rc = st_err_set(err, ST_EFORMAT, "%s: a height map must be a gray PNG", path);
    else {
        for (int y = 0; y < im->height; y++) {
            float *row = st_image_row(im, 0, y);
            for (int x = 0; x < im->width; x++)
                row[x] = (float)(row[x] * height_um_per_unit);
        }
        im->unit = ST_UNIT_UM;
    }
    if (rc) {
        st_image_free(*out);
        *out = NULL;
    }
    return rc;
}
