/* libFuzzer target: the whole `skintrack metrics` path on small images:
 * decode, quality control, flattening, every surface metric and every
 * detection family (st_measure_one), photo and height modality. */
#include "fuzz_common.h"

#include "series/measure_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Keep it small: the metrics run on every pixel many times. */
    const char *dir = st_fuzz_write_file("image", data, size);
    if (!dir || size < 8)
        return 0;
    char path[600];
    snprintf(path, sizeof path, "%s/image", dir);
    st_measure_one_opts o;
    memset(&o, 0, sizeof o);
    o.max_pixels = 1u << 16;
    o.threads = 1;
    o.raw = data[size - 1] & 1;
    if (data[size - 1] & 2) {
        o.ov.has_modality = 1;
        o.ov.modality = ST_MODALITY_HEIGHT;
    }
    if (data[size - 1] & 4) {
        o.ov.has_pixel_mm = 1;
        o.ov.pixel_mm = 0.05;
    }
    st_session_result r;
    st_err err;
    int rc = st_measure_one(path, &o, &r, &err);
    if (rc == ST_OK)
        st_session_result_free(&r);
    else if (err.msg[0] == '\0' || strchr(err.msg, '\n'))
        __builtin_trap();
    unlink(path);
    return 0;
}
