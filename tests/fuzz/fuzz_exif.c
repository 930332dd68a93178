/* libFuzzer target: EXIF parsing through the public loader. The first input
 * byte picks the container (even: APP1 "Exif\0\0" segment of a JPEG; odd:
 * eXIf chunk of a PNG), the rest is the TIFF part of an EXIF block. It goes
 * into a small valid image and st_image_load_mem runs, which also applies
 * whatever orientation the fuzzer made. Seeds: tests/fuzz/corpus/exif/. */
#include "fuzz_common.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A 3x2 gray baseline JPEG (TurboJPEG, quality 90), SOI first. */
static const uint8_t BASE_JPEG[] = {
#include "base_jpeg.inc"
};
/* A 3x2 8-bit gray PNG: signature, IHDR, then IDAT+IEND from here on. */
static const uint8_t BASE_PNG[] = {
#include "base_png.inc"
};
enum { PNG_HEAD = 8 + 25 }; /* signature + IHDR chunk */

static uint32_t crc32_png(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void as_jpeg(const uint8_t *data, size_t size)
{
    if (size > 65533 - 6)
        size = 65533 - 6;
    size_t n = sizeof BASE_JPEG + 4 + 6 + size;
    uint8_t *b = malloc(n);
    if (!b)
        return;
    size_t seg = 2 + 6 + size;
    memcpy(b, BASE_JPEG, 2);
    b[2] = 0xff;
    b[3] = 0xe1;
    b[4] = (uint8_t)(seg >> 8);
    b[5] = (uint8_t)seg;
    memcpy(b + 6, "Exif\0\0", 6);
    memcpy(b + 12, data, size);
    memcpy(b + 12 + size, BASE_JPEG + 2, sizeof BASE_JPEG - 2);
    st_fuzz_load(b, n, "exif.jpg", 0);
    free(b);
}

static void as_png(const uint8_t *data, size_t size)
{
    size_t n = sizeof BASE_PNG + 12 + size;
    uint8_t *b = malloc(n);
    if (!b)
        return;
    memcpy(b, BASE_PNG, PNG_HEAD);
    uint8_t *c = b + PNG_HEAD;
    put32(c, (uint32_t)size);
    memcpy(c + 4, "eXIf", 4);
    memcpy(c + 8, data, size);
    put32(c + 8 + size, crc32_png(0, c + 4, 4 + size));
    memcpy(c + 12 + size, BASE_PNG + PNG_HEAD, sizeof BASE_PNG - PNG_HEAD);
    st_fuzz_load(b, n, "exif.png", 0);
    free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] & 1)
        as_png(data + 1, size - 1);
    else
        as_jpeg(data + 1, size - 1);
    return 0;
}
