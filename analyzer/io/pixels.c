/* Interleaved integer samples <-> planar float rows. Division (not a
 * multiplication by 1/max) makes v/255, v/1023 and v/65535 correctly rounded, so a
 * count survives a load/save round trip exactly. */
#include "io/io_internal.h"

void st_u8_lut(float lut[256], int raw_counts)
{
    for (int v = 0; v < 256; v++)
        lut[v] = raw_counts ? (float)v : (float)v / 255.0f;
}

void st_unpack_row_u8(const unsigned char *src, const float lut[256], st_image *img, int y)
{
    const int w = img->width, ch = img->channels;
    for (int c = 0; c < ch; c++) {
        float *restrict dst = st_image_row(img, c, y);
        const unsigned char *restrict s = src + c;
        for (int x = 0; x < w; x++)
            dst[x] = lut[s[(size_t)x * (size_t)ch]];
    }
}

void st_unpack_row_u16(const unsigned char *src, int big_endian, unsigned maxval, int raw_counts,
                       st_image *img, int y)
{
    const int w = img->width, ch = img->channels;
    const float div = raw_counts ? 1.0f : (float)maxval;
    const int hi = big_endian ? 0 : 1;
    for (int c = 0; c < ch; c++) {
        float *restrict dst = st_image_row(img, c, y);
        const unsigned char *restrict s = src + 2 * c;
        for (int x = 0; x < w; x++) {
            const unsigned char *p = s + (size_t)x * 2u * (size_t)ch;
            dst[x] = (float)((unsigned)p[hi] << 8 | p[1 - hi]) / div;
        }
    }
}

/* [0, 1] -> 0..maxval, round half up; NaN and negatives give 0. */
static inline unsigned quantize(float v, float maxval)
{
    if (!(v > 0.0f))
        return 0;
    if (v >= 1.0f)
        return (unsigned)maxval;
    return (unsigned)(v * maxval + 0.5f);
}

void st_pack_row_u8(const st_image *img, int y, unsigned char *dst)
{
    const int w = img->width, ch = img->channels;
    for (int c = 0; c < ch; c++) {
        const float *restrict src = st_image_row(img, c, y);
        for (int x = 0; x < w; x++)
            dst[(size_t)x * (size_t)ch + (size_t)c] = (unsigned char)quantize(src[x], 255.0f);
    }
}

void st_pack_row_u16be(const st_image *img, int y, unsigned char *dst)
{
    const int w = img->width, ch = img->channels;
    for (int c = 0; c < ch; c++) {
        const float *restrict src = st_image_row(img, c, y);
        for (int x = 0; x < w; x++) {
            unsigned v = quantize(src[x], 65535.0f);
            unsigned char *p = dst + ((size_t)x * (size_t)ch + (size_t)c) * 2u;
            p[0] = (unsigned char)(v >> 8);
            p[1] = (unsigned char)(v & 0xffu);
        }
    }
}
