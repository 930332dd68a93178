/* HEIC/HEIF (ISO/IEC 23008-12) through libheif 1.15: the primary image,
 * HEVC-coded, 8 to 12 bits. libheif parses the boxes first (no pixels), so
 * the displayed size is checked against the limits before anything is
 * decoded; then libheif decodes and converts to interleaved RGB.
 *
 * Orientation: a HEIF file says how to display its image with the irot,
 * imir and clap properties, and libheif applies them while decoding. In
 * HEIF (and MIAF) those properties govern display and the EXIF Orientation
 * tag is informative only (libheif and libvips read it so too): iPhones
 * write it as well as irot, and a reader that applied both would turn the
 * photo twice. So the
 * image returned here is already as displayed, the EXIF value is only
 * reported (info->exif_orientation), and the loader must not apply it. With
 * ignore_orientation the transforms are skipped: the image as stored. */
#include "io/io_internal.h"
#include "core/error.h"

#include <libheif/heif.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ST_HEIF_PIXELS_PER_BYTE 8192u

/* The first bytes libheif needs to see the brands ('ftyp' is the first
 * box, and small). */
static int brand_bytes(size_t n) { return n > 4096 ? 4096 : (int)n; }

/* Brands of HEVC-coded HEIF still images (ISO/IEC 23008-12) and the
 * generic image brand. AVIF files list mif1 too, so AVIF is asked first. */
static int is_avif(const unsigned char *d, size_t n)
{
    return heif_has_compatible_brand(d, brand_bytes(n), "avif") == 1 ||
           heif_has_compatible_brand(d, brand_bytes(n), "avis") == 1;
}

static int is_heic(const unsigned char *d, size_t n)
{
    static const char *const brands[] = {"heic", "heix", "heim", "heis", "mif1"};
    for (size_t i = 0; i < sizeof brands / sizeof brands[0]; i++)
        if (heif_has_compatible_brand(d, brand_bytes(n), brands[i]) == 1)
            return 1;
    return 0;
}

/* MP4/QuickTime video and AVIF share the 'ftyp' box: refused by name. */
static int refuse_brand(const st_decode_req *req, st_err *err)
{
    if (is_avif(req->data, req->size))
        return st_err_set(err, ST_EFORMAT, "%s: AVIF images are not supported (JPEG, PNG or HEIC only)",
                          req->name);
    char brand[5] = {0};
    memcpy(brand, req->data + 8, 4); /* the loader saw 12 bytes at least */
    for (int i = 0; i < 4; i++)
        if (brand[i] < 0x20 || brand[i] > 0x7e)
            brand[i] = '?';
    return st_err_set(err, ST_EFORMAT, "%s: an ISO media file of brand '%s' (a video?), not a HEIF image",
                      req->name, brand);
}

static int heif_fail(const st_decode_req *req, const char *step, struct heif_error e, st_err *err)
{
    char why[160]; /* libheif's message, without its trailing newline */
    snprintf(why, sizeof why, "%s", e.message && e.message[0] ? e.message : "unknown error");
    for (size_t n = strlen(why); n > 0 && (why[n - 1] == '\n' || why[n - 1] == ' '); n--)
        why[n - 1] = '\0';
    if (e.code == heif_error_Invalid_input && e.subcode == heif_suberror_End_of_data)
        return st_err_set(err, ST_EFORMAT, "%s: truncated HEIF data (%s)", req->name, why);
    if (e.code == heif_error_Memory_allocation_error &&
        e.subcode == heif_suberror_Security_limit_exceeded)
        return st_err_set(err, ST_ETOOBIG, "%s: HEIF %s over libheif's limits (%s)", req->name, step,
                          why);
    if (e.code == heif_error_Memory_allocation_error)
        return st_err_set(err, ST_ENOMEM, "%s: out of memory decoding HEIF (%s)", req->name, why);
    if (e.code == heif_error_Unsupported_feature || e.code == heif_error_Unsupported_filetype)
        return st_err_set(err, ST_EFORMAT, "%s: unsupported HEIF content (%s: %s)", req->name, step,
                          why);
    return st_err_set(err, ST_EFORMAT, "%s: corrupt HEIF data (%s: %s)", req->name, step, why);
}

/* The Exif item (ISO/IEC 23008-12, Annex A): a 32-bit big-endian offset,
 * then that many bytes (usually "Exif\0\0"), then the TIFF header. Damaged
 * EXIF is not an error, as for JPEG and PNG. */
static void read_exif(const struct heif_image_handle *h, st_image_info *info)
{
    heif_item_id id;
    if (heif_image_handle_get_list_of_metadata_block_IDs(h, "Exif", &id, 1) < 1)
        return;
    const size_t n = heif_image_handle_get_metadata_size(h, id);
    if (n < 4 + 8 || n > (1u << 20)) /* libexif reads at most 64 KiB anyway */
        return;
    unsigned char *buf = malloc(n);
    if (!buf)
        return;
    struct heif_error e = heif_image_handle_get_metadata(h, id, buf);
    if (e.code == heif_error_Ok) {
        const uint32_t off = (uint32_t)buf[0] << 24 | (uint32_t)buf[1] << 16 |
                             (uint32_t)buf[2] << 8 | buf[3];
        if (off <= n - 4) {
            const unsigned char *tiff = buf + 4 + off;
            const size_t left = n - 4 - off;
            /* Some writers put "Exif\0\0" after a zero offset. */
            const int app1 = left >= 6 && !memcmp(tiff, "Exif\0\0", 6);
            st_exif_read(tiff, left, app1, &info->exif_orientation, info->datetime_original);
        }
    }
    free(buf);
}

/* The decoded interleaved RGB (8-bit, or 16-bit little-endian holding as
 * many bits as the decoded image says) into a new image. */
static int copy_pixels(const st_decode_req *req, const struct heif_image *hi, st_image **out,
                       st_err *err)
{
    const int w = heif_image_get_width(hi, heif_channel_interleaved);
    const int h = heif_image_get_height(hi, heif_channel_interleaved);
    const int bits = heif_image_get_bits_per_pixel_range(hi, heif_channel_interleaved);
    int stride = 0;
    const uint8_t *px = heif_image_get_plane_readonly(hi, heif_channel_interleaved, &stride);
    if (!px || w < 1 || h < 1 || stride < 0 || bits < 8 || bits > 16 ||
        (size_t)stride < (size_t)w * 3u * (bits > 8 ? 2u : 1u))
        return st_err_set(err, ST_EFORMAT, "%s: HEIF decoder returned no usable pixels", req->name);
    int rc = st_image_new(w, h, 3, out, err);
    if (rc)
        return rc;
    float lut[256];
    st_u8_lut(lut, req->raw_counts);
    for (int y = 0; y < h; y++) {
        const uint8_t *row = px + (size_t)y * (size_t)stride;
        if (bits > 8)
            st_unpack_row_u16(row, 0, (1u << bits) - 1u, req->raw_counts, *out, y);
        else
            st_unpack_row_u8(row, lut, *out, y);
    }
    return ST_OK;
}

/* Everything decided from the header, before any pixel exists: the
 * displayed (handle) and stored (ispe) sizes against the limits, a floor of
 * bytes per pixel, the bit depth, and the side libheif may allocate.
 *
 * The floor: libheif 1.15 believes a grid's output size and its tiles' ispe
 * without checking that the coded tiles cover them (a 785-byte file forged
 * to claim 14000x14000 decoded "fine" to 2.9 GB of mostly unwritten
 * canvas). HEVC has no hard floor of bits per pixel (CABAC), so the bound
 * is practical: x265 codes a flat 4032x3024 frame in 7.8 kB (1560 pixels a
 * byte); more than ST_HEIF_PIXELS_PER_BYTE, five times that, is a forged or
 * cut file.
 *
 * The side: a grid's own output size is in its item data, which libheif
 * reads only when decoding, unchecked against ispe (a fuzzed 936-byte file
 * whose grid said 27762x25455 under a 16x16 ispe took 4 GB and 77 s).
 * libheif checks it then against its size limit, a square side, as it
 * does every coded (HEVC) picture: that is set to the largest checked side
 * rounded up to x265's 64-pixel coding tree block (coded pictures are
 * padded to whole blocks), so the square (at libheif's 6 bytes a pixel:
 * planes plus RGB) must fit the budgets too. */
static int check_header(const st_decode_req *req, int w, int ht, const st_image_info *info,
                        int *side, st_err *err)
{
    const int fw = info->file_width, fh = info->file_height, bits = info->bit_depth;
    int rc = st_io_check_size(req, "HEIF", (uint64_t)(w > 0 ? w : 0), (uint64_t)(ht > 0 ? ht : 0),
                              err);
    if (rc == ST_OK && (fw != w || fh != ht))
        rc = st_io_check_size(req, "HEIF", (uint64_t)(fw > 0 ? fw : 0), (uint64_t)(fh > 0 ? fh : 0),
                              err);
    if (rc)
        return rc;
    if ((uint64_t)w * (uint64_t)ht > (uint64_t)req->size * ST_HEIF_PIXELS_PER_BYTE)
        return st_err_set(err, ST_EFORMAT, "%s: truncated HEIF data (%zu bytes cannot hold %dx%d pixels)",
                          req->name, req->size, w, ht);
    if (bits > 12)
        return st_err_set(err, ST_EFORMAT, "%s: %d-bit HEIF is not supported (8, 10 or 12 bits only)",
                          req->name, bits);
    int s = w > ht ? w : ht;
    s = s > fw ? s : fw;
    s = (s > fh ? s : fh) + 63;
    s -= s % 64;
    const uint64_t square = (uint64_t)s * (uint64_t)s;
    if (square > req->max_memory / 6u || square > (uint64_t)req->size * ST_HEIF_PIXELS_PER_BYTE)
        return st_err_set(err, ST_ETOOBIG, "%s: a %dx%d HEIF could code up to %dx%d, over the memory budget or what %zu bytes can hold",
                          req->name, w, ht, s, s, req->size);
    *side = s;
    return ST_OK;
}

/* The primary image: EXIF, the size checks from the header, then decode.
 * Both the displayed size (after irot and clap: what libheif allocates)
 * and the stored one (ispe: what ignore_orientation gets) are checked.
 * libheif's error messages live in the handle: they are copied before it
 * is released. */
static int decode_primary(const st_decode_req *req, struct heif_context *ctx, st_image **out,
                          st_image_info *info, st_err *err)
{
    struct heif_image_handle *h = NULL;
    struct heif_error e = heif_context_get_primary_image_handle(ctx, &h);
    if (e.code != heif_error_Ok)
        return heif_fail(req, "primary image", e, err);
    read_exif(h, info);
    const int bits = heif_image_handle_get_luma_bits_per_pixel(h); /* -1: unknown */
    const int w = heif_image_handle_get_width(h), ht = heif_image_handle_get_height(h);
    info->file_width = heif_image_handle_get_ispe_width(h);
    info->file_height = heif_image_handle_get_ispe_height(h);
    info->bit_depth = bits < 8 ? 8 : bits; /* unknown: libheif is asked for 8 bits */
    info->source_channels = heif_image_handle_has_alpha_channel(h) ? 4 : 3;
    int side = 0;
    int rc = check_header(req, w, ht, info, &side, err);
    struct heif_decoding_options *opt = rc ? NULL : heif_decoding_options_alloc();
    if (rc == ST_OK && !opt)
        rc = st_err_set(err, ST_ENOMEM, "%s: cannot allocate HEIF decoding options", req->name);
    struct heif_image *hi = NULL;
    if (rc == ST_OK) {
        heif_context_set_maximum_image_size_limit(ctx, side + 1);
        opt->ignore_transformations = req->ignore_orientation != 0;
        opt->strict_decoding = 1; /* a damaged file is not measured */
        opt->convert_hdr_to_8bit = bits < 8;
        e = heif_decode_image(h, &hi, heif_colorspace_RGB,
                              bits > 8 ? heif_chroma_interleaved_RRGGBB_LE : heif_chroma_interleaved_RGB,
                              opt);
        if (e.code != heif_error_Ok)
            rc = heif_fail(req, "decode", e, err);
    }
    heif_decoding_options_free(opt);
    heif_image_handle_release(h);
    if (rc)
        return rc;
    /* What came out must be what was checked: the displayed size, or with
     * the transforms skipped, the stored one (either way round: libheif
     * 1.15 writes the ispe of a turned grid turned). */
    const int dw = heif_image_get_width(hi, heif_channel_interleaved);
    const int dh = heif_image_get_height(hi, heif_channel_interleaved);
    const int fw = info->file_width, fh = info->file_height;
    const int as_checked = req->ignore_orientation
                               ? (dw == fw && dh == fh) || (dw == fh && dh == fw) ||
                                     (dw == w && dh == ht) || (dw == ht && dh == w)
                               : dw == w && dh == ht;
    if (!as_checked)
        rc = st_err_set(err, ST_EFORMAT, "%s: corrupt HEIF data (the header says %dx%d, the coded image is %dx%d)",
                        req->name, w, ht, dw, dh);
    else
        rc = copy_pixels(req, hi, out, err);
    heif_image_release(hi);
    return rc;
}

/* The top-level boxes (ISO/IEC 14496-12 §4.2: 32-bit size, 1 = a 64-bit
 * size follows, 0 = to the end). A box that runs past the end is a cut
 * file: named here, where libheif would only miss the box ("No 'meta'
 * box") or the data. */
static int check_boxes(const st_decode_req *req, st_err *err)
{
    const unsigned char *d = req->data;
    for (size_t pos = 0; pos < req->size;) {
        const size_t left = req->size - pos;
        if (left < 8)
            return st_err_set(err, ST_EFORMAT, "%s: truncated HEIF data (%zu bytes after the last box)",
                              req->name, left);
        uint64_t len = (uint64_t)d[pos] << 24 | (uint64_t)d[pos + 1] << 16 |
                       (uint64_t)d[pos + 2] << 8 | d[pos + 3];
        if (len == 1) {
            if (left < 16)
                return st_err_set(err, ST_EFORMAT, "%s: truncated HEIF data (a box header)", req->name);
            len = 0;
            for (int i = 8; i < 16; i++)
                len = len << 8 | d[pos + (size_t)i];
        } else if (len == 0) {
            len = left;
        }
        if (len < 8)
            return st_err_set(err, ST_EFORMAT, "%s: corrupt HEIF data (a box of %llu bytes)", req->name,
                              (unsigned long long)len);
        if (len > left) {
            char type[5] = {0};
            memcpy(type, d + pos + 4, 4);
            for (int i = 0; i < 4; i++)
                if (type[i] < 0x20 || type[i] > 0x7e)
                    type[i] = '?';
            return st_err_set(err, ST_EFORMAT, "%s: truncated HEIF data (the '%s' box needs %llu bytes, %zu are left)",
                              req->name, type, (unsigned long long)len, left);
        }
        pos += (size_t)len;
    }
    return ST_OK;
}

/* A context holding the file's boxes (parsed, nothing decoded). */
static int open_context(const st_decode_req *req, struct heif_context **out, st_err *err)
{
    *out = NULL;
    if (is_avif(req->data, req->size) || !is_heic(req->data, req->size))
        return refuse_brand(req, err);
    int rc = check_boxes(req, err);
    if (rc)
        return rc;
    struct heif_context *ctx = heif_context_alloc();
    if (!ctx)
        return st_err_set(err, ST_ENOMEM, "%s: cannot start the HEIF decoder", req->name);
    /* Tiles in the calling thread: the caller decides the parallelism (-j). */
    heif_context_set_max_decoding_threads(ctx, 0);
    /* libheif refuses a side of this or more while parsing; ours is the
     * stricter check (pixel count, memory budget) and comes next. */
    heif_context_set_maximum_image_size_limit(ctx, ST_MAX_DIMENSION + 1);
    struct heif_error e = heif_context_read_from_memory_without_copy(ctx, req->data, req->size, NULL);
    if (e.code != heif_error_Ok) {
        rc = heif_fail(req, "header", e, err); /* the message lives in ctx */
        heif_context_free(ctx);
        return rc;
    }
    *out = ctx;
    return ST_OK;
}

int st_heif_decode(const st_decode_req *req, st_image **out, st_image_info *info, st_err *err)
{
    *out = NULL;
    memcpy(info->format, "heif", 5);
    struct heif_context *ctx;
    int rc = open_context(req, &ctx, err);
    if (rc)
        return rc;
    rc = decode_primary(req, ctx, out, info, err);
    heif_context_free(ctx);
    return rc;
}

void st_heif_exif(const unsigned char *data, size_t size, int *orientation,
                  char datetime_original[20])
{
    st_decode_req req = {.data = data, .size = size, .name = ""};
    st_image_info info = {.exif_orientation = 1};
    struct heif_context *ctx;
    struct heif_image_handle *h = NULL;
    if (open_context(&req, &ctx, NULL) == ST_OK) {
        if (heif_context_get_primary_image_handle(ctx, &h).code == heif_error_Ok) {
            read_exif(h, &info);
            heif_image_handle_release(h);
        }
        heif_context_free(ctx);
    }
    *orientation = info.exif_orientation;
    memcpy(datetime_original, info.datetime_original, 20);
}
