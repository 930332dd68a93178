/* JPEG through the TurboJPEG 2.1 API. Decoding stops on libjpeg warnings
 * (TJFLAG_STOPONWARNING), so a truncated or damaged stream is an error, not a
 * grey lower half; TJFLAG_LIMITSCANS refuses progressive files with absurd
 * scan counts (a known decoder CPU sink). Arithmetic-coded files are
 * decoded by jpeg_arith.c, which notices cut data. Encoding writes JFIF only: no EXIF. */
#include "io/io_internal.h"
#include "core/alloc.h"
#include "core/atomic_file.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

static int decode_error(tjhandle tj, const char *name, const char *step, st_err *err)
{
    const char *why = tjGetErrorStr2(tj);
    if (!why)
        why = "unknown error";
    if (strstr(why, "Premature end"))
        return st_err_set(err, ST_EFORMAT, "%s: truncated JPEG data", name);
    return st_err_set(err, ST_EFORMAT, "%s: corrupt JPEG data (%s: %s)", name, step, why);
}

/* Header checks that do not need libjpeg: our marker walk gives the frame
 * size, so an oversized SOF is refused even when the rest is garbage. */
static int precheck(const st_decode_req *req, st_image_info *info, int *arithmetic, st_err *err)
{
    st_jpeg_markers m;
    st_jpeg_scan_markers(req->data, req->size, &m);
    *arithmetic = m.have_sof && m.arithmetic;
    if (m.exif)
        st_exif_read(m.exif, m.exif_size, 1, &info->exif_orientation, info->datetime_original);
    if (m.have_sof && m.height == 0)
        return st_err_set(err, ST_EFORMAT, "%s: JPEG without a height in SOF (DNL) is not supported",
                          req->name);
    if (m.have_sof && m.precision != 8)
        return st_err_set(err, ST_EFORMAT, "%s: %u-bit JPEG is not supported (8-bit only)",
                          req->name, m.precision);
    if (m.have_sof) {
        int rc = st_io_check_size(req, "JPEG", m.width, m.height, err);
        if (rc)
            return rc;
        /* Huffman coding spends at least one bit per block on the DC of
         * every block of a component in its first scan (T.81 F.1.2.1, G.1.2.1),
         * and a file must have such a scan: fewer bits than blocks cannot
         * be a whole image, so no pixel buffer is made for it. */
        if (!m.arithmetic && m.min_blocks > (uint64_t)req->size * 8u)
            return st_err_set(err, ST_EFORMAT, "%s: truncated JPEG data (%zu bytes cannot hold %ux%u pixels)",
                              req->name, req->size, m.width, m.height);
    }
    /* libjpeg would read a fake EOI here and report an empty image. */
    if (m.truncated)
        return st_err_set(err, ST_EFORMAT, "%s: truncated JPEG data", req->name);
    return ST_OK; /* anything else: libjpeg says what is wrong */
}

static int decode_pixels(tjhandle tj, const st_decode_req *req, int w, int h, int pf,
                         st_image *img, st_err *err)
{
    const int ch = tjPixelSize[pf];
    size_t pitch, bytes;
    if (st_mul_size((size_t)w, (size_t)ch, &pitch) || st_mul_size(pitch, (size_t)h, &bytes))
        return st_err_set(err, ST_ETOOBIG, "%s: %dx%d overflows", req->name, w, h);
    unsigned char *buf = malloc(bytes);
    if (!buf)
        return st_err_set(err, ST_ENOMEM, "%s: cannot allocate %zu bytes to decode", req->name,
                          bytes);
    /* TurboJPEG 2.1 takes the source size as unsigned long. */
    int rc = ST_OK;
    if (tjDecompress2(tj, req->data, (unsigned long)req->size, buf, w, (int)pitch, h, pf,
                      TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS | TJFLAG_ACCURATEDCT) != 0) {
        rc = decode_error(tj, req->name, "decode", err);
    } else {
        float lut[256];
        st_u8_lut(lut, req->raw_counts);
        for (int y = 0; y < h; y++)
            st_unpack_row_u8(buf + (size_t)y * pitch, lut, img, y);
    }
    free(buf);
    return rc;
}

int st_jpeg_decode(const st_decode_req *req, st_image **out, st_image_info *info, st_err *err)
{
    *out = NULL;
    memcpy(info->format, "jpeg", 5);
    info->bit_depth = 8;
    int arithmetic = 0;
    int rc = precheck(req, info, &arithmetic, err);
    if (rc)
        return rc;
    tjhandle tj = tjInitDecompress();
    if (!tj)
        return st_err_set(err, ST_ENOMEM, "%s: cannot start the JPEG decoder", req->name);
    /* TurboJPEG 2.1 returns success without touching these for a tables-only
     * stream (SOI, EOI), so they start at "nothing". */
    int w = 0, h = 0, subsamp = -1, cs = -1;
    if (tjDecompressHeader3(tj, req->data, (unsigned long)req->size, &w, &h, &subsamp, &cs) != 0) {
        rc = decode_error(tj, req->name, "header", err);
        goto done;
    }
    if (w < 1 || h < 1) { /* e.g. SOI, EOI: tables only */
        rc = st_err_set(err, ST_EFORMAT, "%s: no image frame in the JPEG data", req->name);
        goto done;
    }
    rc = st_io_check_size(req, "JPEG", (uint64_t)w, (uint64_t)h, err);
    if (rc)
        goto done;
    if (cs == TJCS_CMYK || cs == TJCS_YCCK) {
        rc = st_err_set(err, ST_EFORMAT, "%s: CMYK JPEG is not supported (RGB or gray only)",
                        req->name);
        goto done;
    }
    const int gray = cs == TJCS_GRAY;
    info->file_width = w;
    info->file_height = h;
    info->source_channels = gray ? 1 : 3;
    rc = st_image_new(w, h, gray ? 1 : 3, out, err);
    if (rc)
        goto done;
    rc = arithmetic ? st_jpeg_decode_arith(req, *out, err)
                    : decode_pixels(tj, req, w, h, gray ? TJPF_GRAY : TJPF_RGB, *out, err);
    if (rc) {
        st_image_free(*out);
        *out = NULL;
    }
done:
    tjDestroy(tj);
    return rc;
}

int st_image_save_jpeg(const st_image *img, const char *path, int quality, st_err *err)
{
    if (!img || !path || !img->data || (img->channels != 1 && img->channels != 3))
        return st_err_set(err, ST_EINVAL, "%s: JPEG needs a 1- or 3-channel image",
                          path ? path : "(null)");
    if (quality < 1 || quality > 100)
        return st_err_set(err, ST_EINVAL, "%s: JPEG quality %d is not in 1..100", path, quality);
    const int ch = img->channels, w = img->width, h = img->height;
    size_t pitch = (size_t)w * (size_t)ch, bytes;
    if (st_mul_size(pitch, (size_t)h, &bytes))
        return st_err_set(err, ST_ETOOBIG, "%s: %dx%d overflows", path, w, h);
    unsigned char *buf = malloc(bytes);
    if (!buf)
        return st_err_set(err, ST_ENOMEM, "%s: cannot allocate %zu bytes to encode", path, bytes);
    for (int y = 0; y < h; y++)
        st_pack_row_u8(img, y, buf + (size_t)y * pitch);
    tjhandle tj = tjInitCompress();
    unsigned char *jpeg = NULL;
    unsigned long jpeg_size = 0;
    int rc;
    if (!tj) {
        rc = st_err_set(err, ST_ENOMEM, "%s: cannot start the JPEG encoder", path);
    } else if (/* Full chroma (4:4:4): redness and pigment are measured on colour. */
               tjCompress2(tj, buf, w, (int)pitch, h, ch == 1 ? TJPF_GRAY : TJPF_RGB, &jpeg,
                           &jpeg_size, ch == 1 ? TJSAMP_GRAY : TJSAMP_444, quality,
                           TJFLAG_ACCURATEDCT) != 0) {
        rc = st_err_set(err, ST_EINTERNAL, "%s: JPEG encoding failed (%s)", path,
                        tjGetErrorStr2(tj));
    } else {
        rc = st_atomic_write(path, jpeg, (size_t)jpeg_size, err);
    }
    tjFree(jpeg);
    if (tj)
        tjDestroy(tj);
    free(buf);
    return rc;
}
