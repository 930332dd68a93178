/* Shared by the fuzz targets: the load options they all use. Pixel limits
 * are small so that a fuzzed header cannot ask for gigabytes (libFuzzer's
 * default RSS limit is 2 GB); orientation is applied (ignore_exif = 0). */
#ifndef ST_FUZZ_COMMON_H
#define ST_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "skintrack/skintrack.h"

#define ST_FUZZ_MAX_PIXELS (1u << 22)

/* Loads and drops one image; the status does not matter, only that nothing
 * crashes, leaks or reads out of bounds, and that the result is sane. */
static inline void st_fuzz_load(const uint8_t *data, size_t size, const char *name, int raw)
{
    st_load_opts opts = {ST_FUZZ_MAX_PIXELS, raw, 0};
    st_image *img = NULL;
    st_image_info info;
    st_err err;
    int rc = st_image_load_mem(data, size, name, &opts, &img, &info, &err);
    if (rc == ST_OK) {
        /* A loaded image is a real one: touch every sample. */
        volatile float sink = 0.0f;
        for (int c = 0; c < img->channels; c++)
            for (int y = 0; y < img->height; y++)
                sink += st_image_row(img, c, y)[img->width - 1];
        if (img->width < 1 || img->height < 1 || (img->channels != 1 && img->channels != 3) ||
            (uint64_t)img->width * (uint64_t)img->height > ST_FUZZ_MAX_PIXELS ||
            info.exif_orientation < 1 || info.exif_orientation > 8)
            __builtin_trap();
        (void)sink;
    } else if (img != NULL || err.msg[0] == '\0' || strchr(err.msg, '\n')) {
        __builtin_trap(); /* an error returns no image and a one-line message */
    }
    st_image_free(img);
}

#endif
