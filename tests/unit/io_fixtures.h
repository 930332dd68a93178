/* Test inputs for the image I/O tests, made directly with libpng, TurboJPEG
 * and libexif (not with the code under test), plus raw chunk/marker surgery
 * for broken files. Header-only; everything static inline. */
#ifndef ST_IO_FIXTURES_H
#define ST_IO_FIXTURES_H

#include <libexif/exif-data.h>
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

typedef struct membuf {
    unsigned char *data;
    size_t size, cap;
} membuf;

static inline void mb_put(membuf *b, const void *p, size_t n)
{
    if (b->size + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->size + n)
            cap *= 2;
        unsigned char *d = realloc(b->data, cap);
        if (!d)
            abort();
        b->data = d;
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->size, p, n);
    b->size += n;
}

static inline void mb_free(membuf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

static inline void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* CRC-32 of ISO 3309 / PNG spec annex D, bitwise. */
static inline uint32_t fx_crc32(uint32_t crc, const unsigned char *p, size_t n)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

/* One PNG chunk with a correct CRC. */
static inline void fx_chunk(membuf *b, const char *type, const void *data, uint32_t len)
{
    unsigned char hdr[8];
    put_be32(hdr, len);
    memcpy(hdr + 4, type, 4);
    mb_put(b, hdr, 8);
    mb_put(b, data, len);
    uint32_t crc = fx_crc32(0, (const unsigned char *)type, 4);
    crc = fx_crc32(crc, data, len);
    unsigned char c[4];
    put_be32(c, crc);
    mb_put(b, c, 4);
}

static inline void fx_png_signature(membuf *b)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    mb_put(b, sig, 8);
}

static inline void fx_ihdr(membuf *b, uint32_t w, uint32_t h, int depth, int ctype)
{
    unsigned char d[13] = {0};
    put_be32(d, w);
    put_be32(d + 4, h);
    d[8] = (unsigned char)depth;
    d[9] = (unsigned char)ctype;
    fx_chunk(b, "IHDR", d, 13);
}

/* A PNG made by libpng. samples: interleaved, png_get_channels-many per
 * pixel of the colour type, one value per sample (palette: indices). */
typedef struct fx_png {
    int w, h, color_type, bit_depth, interlace;
    const uint16_t *samples;
    const png_color *palette;
    int npalette;
    const png_byte *trns; /* palette alpha */
    int ntrns;
    const png_color_16 *trns_color; /* gray/RGB transparent colour */
    const unsigned char *exif;
    png_uint_32 exif_len;
} fx_png;

static inline void fx_png_write_cb(png_structp png, png_bytep p, size_t n)
{
    mb_put(png_get_io_ptr(png), p, n);
}

static inline void fx_png_flush_cb(png_structp png) { (void)png; }

static inline int fx_channels(int ct)
{
    return ct == PNG_COLOR_TYPE_GRAY || ct == PNG_COLOR_TYPE_PALETTE ? 1
         : ct == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : ct == PNG_COLOR_TYPE_RGB ? 3 : 4;
}

static inline int fx_make_png(const fx_png *s, membuf *out)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    const int ch = fx_channels(s->color_type);
    const size_t n = (size_t)s->w * (size_t)ch;
    unsigned char *rows = calloc((size_t)s->h, n * 2);
    png_bytep *rp = calloc((size_t)s->h, sizeof *rp);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(rows);
        free(rp);
        return -1;
    }
    png_set_write_fn(png, out, fx_png_write_cb, fx_png_flush_cb);
    png_set_IHDR(png, info, (png_uint_32)s->w, (png_uint_32)s->h, s->bit_depth, s->color_type,
                 s->interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (s->palette)
        png_set_PLTE(png, info, s->palette, s->npalette);
    if (s->trns || s->trns_color)
        png_set_tRNS(png, info, s->trns, s->ntrns, s->trns_color);
    if (s->exif)
        png_set_eXIf_1(png, info, s->exif_len, (png_bytep)s->exif);
    png_write_info(png, info);
    if (s->bit_depth < 8)
        png_set_packing(png);
    for (int y = 0; y < s->h; y++) {
        unsigned char *r = rows + (size_t)y * n * 2;
        for (size_t i = 0; i < n; i++) {
            uint16_t v = s->samples[(size_t)y * n + i];
            if (s->bit_depth == 16) {
                r[2 * i] = (unsigned char)(v >> 8);
                r[2 * i + 1] = (unsigned char)v;
            } else {
                r[i] = (unsigned char)v;
            }
        }
        rp[y] = r;
    }
    png_write_image(png, rp);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(rows);
    free(rp);
    return 0;
}

/* A JPEG made by TurboJPEG from interleaved 8-bit samples (ch 1 or 3). */
static inline int fx_make_jpeg(int w, int h, int ch, const unsigned char *px, int quality,
                               int subsamp, int flags, membuf *out)
{
    tjhandle tj = tjInitCompress();
    unsigned char *jpeg = NULL;
    unsigned long size = 0;
    int rc = tjCompress2(tj, px, w, w * ch, h, ch == 1 ? TJPF_GRAY : TJPF_RGB, &jpeg, &size,
                         ch == 1 ? TJSAMP_GRAY : subsamp, quality, flags);
    if (rc == 0)
        mb_put(out, jpeg, size);
    tjFree(jpeg);
    tjDestroy(tj);
    return rc;
}

/* An EXIF APP1 payload ("Exif\0\0" + TIFF) made by libexif; free() it.
 * orientation 0 / datetime NULL leave the tag out. */
static inline unsigned char *fx_exif_block(int orientation, const char *datetime,
                                           ExifByteOrder order, unsigned int *len)
{
    ExifData *ed = exif_data_new();
    exif_data_set_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
    exif_data_set_byte_order(ed, order);
    if (orientation) {
        ExifEntry *e = exif_entry_new();
        exif_content_add_entry(ed->ifd[EXIF_IFD_0], e);
        exif_entry_initialize(e, EXIF_TAG_ORIENTATION);
        exif_set_short(e->data, order, (ExifShort)orientation);
        exif_entry_unref(e);
    }
    if (datetime) {
        ExifEntry *e = exif_entry_new();
        exif_content_add_entry(ed->ifd[EXIF_IFD_EXIF], e);
        exif_entry_initialize(e, EXIF_TAG_DATE_TIME_ORIGINAL);
        if (e->data && e->size >= 20)
            memcpy(e->data, datetime, 20);
        exif_entry_unref(e);
    }
    unsigned char *buf = NULL;
    exif_data_save_data(ed, &buf, len);
    exif_data_unref(ed);
    return buf;
}

/* jpeg with an APP1 segment inserted right after SOI. */
static inline void fx_splice_app1(const membuf *jpeg, const unsigned char *app1, unsigned len,
                                  membuf *out)
{
    unsigned char m[4] = {0xff, 0xe1, (unsigned char)((len + 2) >> 8), (unsigned char)(len + 2)};
    mb_put(out, jpeg->data, 2);
    mb_put(out, m, 4);
    mb_put(out, app1, len);
    mb_put(out, jpeg->data + 2, jpeg->size - 2);
}

static inline int fx_write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = size ? fwrite(data, 1, size, f) : 0;
    return (fclose(f) == 0 && w == size) ? 0 : -1;
}

static inline int fx_read_file(const char *path, membuf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    unsigned char buf[4096];
    size_t r;
    while ((r = fread(buf, 1, sizeof buf, f)) > 0)
        mb_put(out, buf, r);
    fclose(f);
    return 0;
}

#endif
