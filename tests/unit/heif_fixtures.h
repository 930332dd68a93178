/* HEIC test inputs made with libheif's own encoder (x265), not with the code
 * under test: an RGB image of 8, 10 or 12 bits, optionally with irot/imir
 * (heif_orientation) and an EXIF block. Header-only, like io_fixtures.h
 * (include that first: membuf). Debian's libheif1 has the x265 encoder;
 * fx_heic_can_encode() says whether this build has one, so a test can skip. */
#ifndef ST_HEIF_FIXTURES_H
#define ST_HEIF_FIXTURES_H

#include <libheif/heif.h>

static inline int fx_heic_can_encode(void)
{
    return heif_have_encoder_for_format(heif_compression_HEVC);
}

typedef struct fx_heic {
    int w, h, bits;         /* bits: 8, 10 or 12 */
    const uint16_t *rgb;    /* w*h*3 interleaved samples, 0..2^bits-1 */
    int quality;            /* x265 quality 1..100, 4:4:4 chroma */
    int orientation;        /* 1..8: written as irot/imir (libheif), 1: none */
    const unsigned char *exif; /* "Exif\0\0" + TIFF (a JPEG APP1 payload), or NULL */
    unsigned exif_len;
} fx_heic;

static inline struct heif_error fx_heic_write_cb(struct heif_context *ctx, const void *data, size_t n,
                                          void *user)
{
    (void)ctx;
    mb_put(user, data, n);
    struct heif_error ok = {heif_error_Ok, heif_suberror_Unspecified, "ok"};
    return ok;
}

/* 0 on success; the file is appended to out. */
static inline int fx_make_heic(const fx_heic *s, membuf *out)
{
    struct heif_image *img = NULL;
    const int hdr = s->bits > 8;
    if (heif_image_create(s->w, s->h, heif_colorspace_RGB,
                          hdr ? heif_chroma_interleaved_RRGGBB_LE : heif_chroma_interleaved_RGB,
                          &img).code)
        return -1;
    if (heif_image_add_plane(img, heif_channel_interleaved, s->w, s->h, s->bits).code) {
        heif_image_release(img);
        return -1;
    }
    int stride = 0;
    uint8_t *p = heif_image_get_plane(img, heif_channel_interleaved, &stride);
    for (int y = 0; y < s->h; y++)
        for (int i = 0; i < s->w * 3; i++) {
            uint16_t v = s->rgb[(size_t)y * (size_t)s->w * 3u + (size_t)i];
            if (hdr) {
                p[(size_t)y * (size_t)stride + 2u * (size_t)i] = (uint8_t)(v & 0xff);
                p[(size_t)y * (size_t)stride + 2u * (size_t)i + 1u] = (uint8_t)(v >> 8);
            } else {
                p[(size_t)y * (size_t)stride + (size_t)i] = (uint8_t)v;
            }
        }
    struct heif_context *ctx = heif_context_alloc();
    struct heif_encoder *enc = NULL;
    struct heif_encoding_options *opt = heif_encoding_options_alloc();
    struct heif_image_handle *h = NULL;
    int rc = -1;
    if (ctx && opt && !heif_context_get_encoder_for_format(ctx, heif_compression_HEVC, &enc).code) {
        heif_encoder_set_lossy_quality(enc, s->quality);
        heif_encoder_set_parameter_string(enc, "chroma", "444");
        opt->image_orientation = (enum heif_orientation)(s->orientation ? s->orientation : 1);
        struct heif_writer writer = {1, fx_heic_write_cb};
        if (!heif_context_encode_image(ctx, img, enc, opt, &h).code &&
            (!s->exif || !heif_context_add_exif_metadata(ctx, h, s->exif, (int)s->exif_len).code) &&
            !heif_context_write(ctx, &writer, out).code)
            rc = 0;
    }
    heif_image_handle_release(h);
    heif_encoder_release(enc);
    heif_encoding_options_free(opt);
    heif_context_free(ctx);
    heif_image_release(img);
    return rc;
}

/* Every ispe box (the grid's and its tile's: libheif's encoder writes a
 * grid to crop x265's padded frame, as iPhones write grids of tiles) set
 * to w x h, the way a forged header would; returns how many. */
static inline int fx_heic_forge_ispe(membuf *f, uint32_t w, uint32_t h)
{
    int n = 0;
    for (size_t i = 4; i + 16 <= f->size; i++)
        if (!memcmp(f->data + i, "ispe", 4)) {
            put_be32(f->data + i + 8, w);
            put_be32(f->data + i + 12, h);
            n++;
        }
    return n;
}

#endif
