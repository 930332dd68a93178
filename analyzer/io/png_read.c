/* PNG decoding with libpng 1.6. libpng reports errors by longjmp, so all
 * state lives in a png_job that the caller owns: the function that calls
 * setjmp changes none of its own locals afterwards (C17 7.13.2.1), and the
 * cleanup reads only the job. Policy: every CRC error is fatal, critical or
 * ancillary (a damaged file is not measured); missing image data is fatal. */
#include "io/io_internal.h"
#include "core/alloc.h"
#include "core/error.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct png_job {
    const st_decode_req *req;
    size_t pos;
    int truncated;  /* the reader ran out of bytes */
    int lost_data;  /* libpng warned that image data is missing */
    char why[160];  /* libpng's error message */
    png_structp png;
    png_infop info;
    unsigned char *raw;   /* all rows (interlaced files) or one row */
    png_bytep *rows;
    st_image *img;
} png_job;

static void job_read(png_structp png, png_bytep out, size_t n)
{
    png_job *job = png_get_io_ptr(png);
    if (n > job->req->size - job->pos) {
        job->truncated = 1;
        png_error(png, "truncated");
    }
    memcpy(out, job->req->data + job->pos, n);
    job->pos += n;
}

static void job_error(png_structp png, png_const_charp msg)
{
    png_job *job = png_get_error_ptr(png);
    snprintf(job->why, sizeof job->why, "%s", msg ? msg : "unknown error");
    png_longjmp(png, 1);
}

/* Warnings are not printed (the library never prints); the ones that mean
 * pixels are missing make the load fail. */
static void job_warning(png_structp png, png_const_charp msg)
{
    png_job *job = png_get_error_ptr(png);
    if (msg && (strstr(msg, "Not enough image data") || strstr(msg, "Truncated") ||
                strstr(msg, "CRC"))) {
        job->lost_data = 1;
        snprintf(job->why, sizeof job->why, "%s", msg);
    }
}

static int job_fail(const png_job *job, st_err *err)
{
    const char *name = job->req->name;
    if (job->truncated)
        return st_err_set(err, ST_EFORMAT, "%s: truncated PNG data", name);
    if (strstr(job->why, "IEND: out of place"))
        return st_err_set(err, ST_EFORMAT, "%s: PNG without image data (no IDAT)", name);
    const char *crc = strstr(job->why, ": CRC error");
    if (crc)
        return st_err_set(err, ST_EFORMAT, "%s: PNG chunk CRC error (%.*s)", name,
                          (int)(crc - job->why), job->why);
    return st_err_set(err, ST_EFORMAT, "%s: corrupt PNG data (%s)", name, job->why);
}

static void set_info(png_job *job, st_image_info *info)
{
    png_structp png = job->png;
    png_infop pi = job->info;
    int ct = png_get_color_type(png, pi);
    info->file_width = (int)png_get_image_width(png, pi);
    info->file_height = (int)png_get_image_height(png, pi);
    info->bit_depth = png_get_bit_depth(png, pi) == 16 ? 16 : 8;
    info->is_palette = ct == PNG_COLOR_TYPE_PALETTE;
    info->source_channels = ct == PNG_COLOR_TYPE_GRAY ? 1 : ct == PNG_COLOR_TYPE_GRAY_ALPHA ? 2
                          : ct == PNG_COLOR_TYPE_RGB_ALPHA ? 4 : 3;
}

/* Transforms to 8- or 16-bit gray or RGB: palette expanded, low bit depths
 * widened to 8, alpha and tRNS dropped (skin is never transparent). */
static void set_transforms(png_structp png, png_infop pi)
{
    int ct = png_get_color_type(png, pi);
    if (ct == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if (ct == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, pi) < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    png_set_strip_alpha(png);
}

static int read_pixels(png_job *job, st_err *err)
{
    png_structp png = job->png;
    const int passes = png_set_interlace_handling(png);
    png_read_update_info(png, job->info);
    const size_t rowbytes = png_get_rowbytes(png, job->info);
    const int depth = png_get_bit_depth(png, job->info);
    const int ch = png_get_channels(png, job->info);
    const int h = job->img->height;
    if ((ch != 1 && ch != 3) || (depth != 8 && depth != 16) ||
        rowbytes != (size_t)job->img->width * (size_t)ch * (size_t)(depth / 8))
        return st_err_set(err, ST_EINTERNAL, "%s: unexpected PNG row layout", job->req->name);
    /* Interlaced images need every row until the last pass; others one row. */
    size_t nrows = passes > 1 ? (size_t)h : 1, bytes;
    if (st_mul_size(rowbytes, nrows, &bytes))
        return st_err_set(err, ST_ETOOBIG, "%s: PNG rows overflow", job->req->name);
    job->raw = malloc(bytes);
    if (!job->raw)
        return st_err_set(err, ST_ENOMEM, "%s: cannot allocate %zu bytes of PNG rows",
                          job->req->name, bytes);
    float lut[256];
    st_u8_lut(lut, job->req->raw_counts);
    if (passes > 1) {
        job->rows = malloc((size_t)h * sizeof *job->rows);
        if (!job->rows)
            return st_err_set(err, ST_ENOMEM, "%s: cannot allocate row pointers", job->req->name);
        for (int y = 0; y < h; y++)
            job->rows[y] = job->raw + (size_t)y * rowbytes;
        png_read_image(png, job->rows);
    }
    for (int y = 0; y < h; y++) {
        unsigned char *row = passes > 1 ? job->rows[y] : job->raw;
        if (passes == 1)
            png_read_row(png, row, NULL);
        if (depth == 16)
            st_unpack_row_u16(row, 1, 65535u, job->req->raw_counts, job->img, y);
        else
            st_unpack_row_u8(row, lut, job->img, y);
    }
    return ST_OK;
}

/* Everything that may longjmp. Only job (a pointer set before setjmp) is
 * used after the jump. */
static int run(png_job *job, st_image_info *info, st_err *err)
{
    if (setjmp(png_jmpbuf(job->png)))
        return job_fail(job, err);
    png_structp png = job->png;
    png_set_read_fn(png, job, job_read);
    png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
    /* Our own limits (st_io_check_size) decide, with our message. */
    png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    png_read_info(png, job->info);
    set_info(job, info);
    int rc = st_io_check_size(job->req, "PNG", png_get_image_width(png, job->info),
                              png_get_image_height(png, job->info), err);
    if (rc)
        return rc;
    set_transforms(png, job->info);
    int ch = png_get_color_type(png, job->info) & PNG_COLOR_MASK_COLOR ? 3 : 1;
    rc = st_image_new(info->file_width, info->file_height, ch, &job->img, err);
    if (rc)
        return rc;
    rc = read_pixels(job, err);
    if (rc)
        return rc;
    png_read_end(png, job->info); /* checks the CRCs of the chunks after IDAT */
    if (job->lost_data)
        return job_fail(job, err);
    png_uint_32 exif_len = 0;
    png_bytep exif = NULL;
    if (png_get_eXIf_1(png, job->info, &exif_len, &exif) && exif && exif_len)
        st_exif_read(exif, exif_len, 0, &info->exif_orientation, info->datetime_original);
    return ST_OK;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Bytes of IDAT payload in the file, or -1 if a chunk before IEND claims
 * more bytes than the file has left. The whole file is in memory, so such
 * a chunk is a cut (or forged) file; refusing it here also stops libpng
 * 1.6 from allocating the claimed length (up to 2 GB for eXIf) first. */
static int64_t idat_bytes(const unsigned char *d, size_t size)
{
    int64_t total = 0;
    for (size_t pos = 8; pos + 8 <= size;) {
        uint64_t len = be32(d + pos), left = size - pos - 8;
        if (len + 4 > left)
            return -1;
        if (!memcmp(d + pos + 4, "IDAT", 4))
            total += (int64_t)len;
        if (!memcmp(d + pos + 4, "IEND", 4))
            break;
        pos += 8 + (size_t)len + 4;
    }
    return total;
}

/* The header, checked before libpng runs (libpng hands IHDR over only when
 * it reaches IDAT, and a file made to claim 100000x100000 need not have
 * one): the size limits, then whether the compressed data could hold that
 * many pixels at all. Deflate expands at most 1032:1 (RFC 1951: a 258-byte
 * match in two 1-bit codes), so fewer IDAT bytes than pixel bytes / 1032 is
 * a cut or forged file, refused without a pixel buffer. */
static int precheck_ihdr(const st_decode_req *req, st_err *err)
{
    const unsigned char *d = req->data;
    if (req->size < 8 + 8 + 13 || memcmp(d + 8, "\0\0\0\15IHDR", 8) != 0)
        return ST_OK; /* libpng will say what is wrong */
    uint32_t w = be32(d + 16), h = be32(d + 20);
    int rc = st_io_check_size(req, "PNG", w, h, err);
    if (rc)
        return rc;
    static const unsigned samples[7] = {1, 0, 3, 1, 2, 0, 4}; /* per colour type */
    unsigned depth = d[24], ctype = d[25];
    if (ctype > 6 || !samples[ctype] || depth < 1 || depth > 16)
        return ST_OK; /* invalid IHDR: libpng names it */
    uint64_t pixel_bytes = ((uint64_t)w * h * samples[ctype] * depth) / 8u;
    int64_t have = idat_bytes(d, req->size);
    if (have < 0)
        return st_err_set(err, ST_EFORMAT, "%s: truncated PNG data (a chunk runs past the end)",
                          req->name);
    uint64_t idat = (uint64_t)have;
    if (pixel_bytes / 1032u > idat + 1u)
        return st_err_set(err, ST_EFORMAT, "%s: truncated PNG data (%llu bytes of image data cannot hold %ux%u pixels)",
                          req->name, (unsigned long long)idat, (unsigned)w, (unsigned)h);
    return ST_OK;
}

int st_png_decode(const st_decode_req *req, st_image **out, st_image_info *info, st_err *err)
{
    *out = NULL;
    memcpy(info->format, "png", 4);
    int rc = precheck_ihdr(req, err);
    if (rc)
        return rc;
    png_job job;
    memset(&job, 0, sizeof job);
    job.req = req;
    job.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &job, job_error, job_warning);
    if (job.png)
        job.info = png_create_info_struct(job.png);
    if (!job.png || !job.info) {
        png_destroy_read_struct(job.png ? &job.png : NULL, NULL, NULL);
        return st_err_set(err, ST_ENOMEM, "%s: cannot start the PNG decoder", req->name);
    }
    rc = run(&job, info, err);
    png_destroy_read_struct(&job.png, &job.info, NULL);
    free(job.rows);
    free(job.raw);
    if (rc)
        st_image_free(job.img);
    else
        *out = job.img;
    return rc;
}
