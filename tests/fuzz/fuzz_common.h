/* Shared by the fuzz targets (include it first): the load options they all
 * use, and a scratch file for targets whose API takes a path. Pixel limits
 * are small so that a fuzzed header cannot ask for gigabytes (libFuzzer's
 * default RSS limit is 2 GB); orientation is applied (ignore_exif = 0). */
#ifndef ST_FUZZ_COMMON_H
#define ST_FUZZ_COMMON_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "skintrack/skintrack.h"

#define ST_FUZZ_MAX_PIXELS (1u << 22)

/* Loads and drops one image; the status does not matter, only that nothing
 * crashes, leaks or reads out of bounds, and that the result is sane. */
static inline void st_fuzz_load(const uint8_t *data, size_t size, const char *name, int raw)
{
    st_load_opts opts = {.max_pixels = ST_FUZZ_MAX_PIXELS, .raw_counts = raw};
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

/* For targets whose API takes a path (a series folder with its
 * series.json, the metrics command on an image file): writes the input to
 * NAME inside a private folder made once per process (mkdtemp under $TMPDIR
 * or /tmp) and returns that folder, or NULL. The file is replaced on each
 * call; the folder is removed at exit if the target put nothing else there. */
static char st_fuzz_dir_[512];

static inline void st_fuzz_cleanup_(void)
{
    if (st_fuzz_dir_[0])
        rmdir(st_fuzz_dir_);
}

static inline const char *st_fuzz_write_file(const char *name, const uint8_t *data, size_t size)
{
    if (!st_fuzz_dir_[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(st_fuzz_dir_, sizeof st_fuzz_dir_, "%s/st_fuzz.XXXXXX", tmp ? tmp : "/tmp");
        if (!mkdtemp(st_fuzz_dir_)) {
            st_fuzz_dir_[0] = '\0';
            return NULL;
        }
        atexit(st_fuzz_cleanup_);
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", st_fuzz_dir_, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    size_t w = size ? fwrite(data, 1, size, f) : 0;
    if (fclose(f) != 0 || w != size)
        return NULL;
    return st_fuzz_dir_;
}

#endif
