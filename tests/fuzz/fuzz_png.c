/* libFuzzer target: the PNG loader (8 and 16 bit, every colour type, Adam7,
 * eXIf). Random mutations almost always break a chunk CRC, which stops
 * libpng at once; so for odd-sized inputs every chunk CRC is recomputed
 * first, letting the fuzzer reach inflate, the transforms and our row code,
 * while even-sized inputs keep their CRCs and test the CRC policy. */
#include "fuzz_common.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

static void fix_crcs(uint8_t *d, size_t size)
{
    for (size_t pos = 8; pos + 12 <= size;) {
        uint32_t len = (uint32_t)d[pos] << 24 | (uint32_t)d[pos + 1] << 16 |
                       (uint32_t)d[pos + 2] << 8 | d[pos + 3];
        if (len > size - pos - 12)
            return;
        uint32_t crc = crc32_png(0, d + pos + 4, 4 + (size_t)len);
        uint8_t *c = d + pos + 8 + len;
        c[0] = (uint8_t)(crc >> 24);
        c[1] = (uint8_t)(crc >> 16);
        c[2] = (uint8_t)(crc >> 8);
        c[3] = (uint8_t)crc;
        pos += 12 + (size_t)len;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (size < 8 || memcmp(data, sig, 8) != 0)
        return 0;
    if (size & 1) {
        uint8_t *copy = malloc(size);
        if (!copy)
            return 0;
        memcpy(copy, data, size);
        fix_crcs(copy, size);
        st_fuzz_load(copy, size, "fuzz.png", (size >> 1) & 1);
        free(copy);
    } else {
        st_fuzz_load(data, size, "fuzz.png", 0);
    }
    return 0;
}
