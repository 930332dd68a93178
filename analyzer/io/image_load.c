/* st_image_load / st_image_load_mem: read the file, recognise the format by
 * its signature (never by the name), decode, then apply the EXIF
 * orientation (JPEG, PNG; HEIF comes oriented from its decoder). Size limits
 * are enforced by the codecs from the header. */
#define _POSIX_C_SOURCE 200809L
#include "io/io_internal.h"
#include "core/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

uint64_t st_default_max_memory(void)
{
    const uint64_t cap = 4ull << 30;
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page <= 0)
        return 1ull << 30;
    uint64_t quarter = (uint64_t)pages / 4u * (uint64_t)page;
    return quarter < cap ? quarter : cap;
}

static void gib(char *buf, size_t n, uint64_t bytes)
{
    snprintf(buf, n, "%.1f GiB", (double)bytes / (double)(1ull << 30));
}

int st_io_check_size(const st_decode_req *req, const char *what, uint64_t width,
                     uint64_t height, st_err *err)
{
    const char *name = req->name;
    const uint64_t max_pixels = req->max_pixels;
    if (width == 0 || height == 0)
        return st_err_set(err, ST_EFORMAT, "%s: %s header gives an empty image (%llux%llu)", name,
                          what, (unsigned long long)width, (unsigned long long)height);
    /* Both sides are below 2^32 here, so the product cannot overflow. */
    if (width * height > max_pixels)
        return st_err_set(err, ST_ETOOBIG, "%s: %llux%llu pixels is over the limit of %llu", name,
                          (unsigned long long)width, (unsigned long long)height,
                          (unsigned long long)max_pixels);
    if (width > ST_MAX_DIMENSION || height > ST_MAX_DIMENSION)
        return st_err_set(err, ST_ETOOBIG, "%s: %llux%llu pixels: a side is over %d", name,
                          (unsigned long long)width, (unsigned long long)height, ST_MAX_DIMENSION);
    /* Both sides are <= ST_MAX_DIMENSION here; the budget check divides, so
     * a huge bytes_per_pixel cannot overflow it. */
    const uint64_t pixels = width * height;
    if (pixels > req->max_memory / req->bytes_per_pixel) {
        char need[32], have[32];
        gib(need, sizeof need, pixels > UINT64_MAX / req->bytes_per_pixel
                                   ? UINT64_MAX : pixels * req->bytes_per_pixel);
        gib(have, sizeof have, req->max_memory);
        return st_err_set(err, ST_ETOOBIG, "%s: %llux%llu pixels would need about %s (%u bytes per pixel), over the memory budget of %s",
                          name, (unsigned long long)width, (unsigned long long)height, need,
                          req->bytes_per_pixel, have);
    }
    return ST_OK;
}

/* Names a few formats people do drop into photo folders, so the message
 * says more than "not an image". */
static const char *other_format(const unsigned char *d, size_t n)
{
    if (n >= 6 && (!memcmp(d, "GIF87a", 6) || !memcmp(d, "GIF89a", 6)))
        return "GIF";
    if (n >= 4 && (!memcmp(d, "II*\0", 4) || !memcmp(d, "MM\0*", 4)))
        return "TIFF";
    if (n >= 12 && !memcmp(d, "RIFF", 4) && !memcmp(d + 8, "WEBP", 4))
        return "WebP";
    if (n >= 2 && d[0] == 'B' && d[1] == 'M')
        return "BMP";
    return NULL;
}

int st_image_load_mem(const void *data, size_t size, const char *name, const st_load_opts *opts,
                      st_image **out, st_image_info *info, st_err *err)
{
    static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    st_image_info local;
    if (!out)
        return st_err_set(err, ST_EINVAL, "image load: no output pointer");
    *out = NULL;
    if (!info)
        info = &local;
    memset(info, 0, sizeof *info);
    info->exif_orientation = 1;
    if (!name)
        name = "(memory)";
    if (!data && size)
        return st_err_set(err, ST_EINVAL, "%s: no data", name);
    if (size == 0)
        return st_err_set(err, ST_EFORMAT, "%s: empty file", name);

    st_decode_req req = {data, size, name, ST_DEFAULT_MAX_PIXELS, 0, 0, ST_DECODE_BYTES_PER_PIXEL, 0};
    if (opts && opts->max_pixels)
        req.max_pixels = opts->max_pixels;
    req.max_memory = opts && opts->max_memory ? opts->max_memory : st_default_max_memory();
    if (opts && opts->bytes_per_pixel)
        req.bytes_per_pixel = opts->bytes_per_pixel;
    if (opts) {
        req.raw_counts = opts->raw_counts != 0;
        req.ignore_orientation = opts->ignore_exif != 0;
    }

    const unsigned char *d = data;
    int rc, oriented = 0;
    if (size >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff) {
        rc = st_jpeg_decode(&req, out, info, err);
    } else if (size >= 8 && !memcmp(d, png_sig, 8)) {
        rc = st_png_decode(&req, out, info, err);
    } else if (size >= 12 && !memcmp(d + 4, "ftyp", 4)) { /* ISO base media file */
        rc = st_heif_decode(&req, out, info, err);
        oriented = 1;
    } else if (size < 8 && ((d[0] == 0xff && (size < 2 || d[1] == 0xd8)) ||
                            !memcmp(d, png_sig, size))) {
        return st_err_set(err, ST_EFORMAT, "%s: truncated file (%zu bytes)", name, size);
    } else {
        const char *other = other_format(d, size);
        if (other)
            return st_err_set(err, ST_EFORMAT, "%s: %s images are not supported (JPEG, PNG or HEIC only)",
                              name, other);
        return st_err_set(err, ST_EFORMAT, "%s: not a JPEG, PNG or HEIC file", name);
    }
    if (rc)
        return rc;
    if (!oriented && !(opts && opts->ignore_exif) && info->exif_orientation != 1) {
        rc = st_orient_apply(out, info->exif_orientation, err);
        if (rc) {
            st_image_free(*out);
            *out = NULL;
            return rc;
        }
    }
    return ST_OK;
}

/* Whole file into memory: compressed photos are small next to their pixels. */
int st_io_read_file(const char *path, unsigned char **buf, size_t *size, st_err *err)
{
    *buf = NULL;
    *size = 0;
    /* O_NONBLOCK: a FIFO named like a photo must not hang the batch in
     * open(); it is refused below. Reads from regular files ignore it. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return st_err_set(err, ST_EIO, "%s: cannot open (%s)", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return st_err_set(err, ST_EIO, "%s: cannot stat (%s)", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return st_err_set(err, ST_EIO, "%s: %s", path,
                          S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
    }
    if ((uint64_t)st.st_size > (uint64_t)SIZE_MAX - 1) {
        close(fd);
        return st_err_set(err, ST_ETOOBIG, "%s: file too large", path);
    }
    size_t n = (size_t)st.st_size, got = 0;
    unsigned char *b = malloc(n ? n : 1);
    if (!b) {
        close(fd);
        return st_err_set(err, ST_ENOMEM, "%s: cannot allocate %zu bytes to read it", path, n);
    }
    while (got < n) {
        ssize_t r = read(fd, b + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            int e = r < 0 ? errno : 0;
            free(b);
            close(fd);
            return st_err_set(err, ST_EIO, "%s: read failed (%s)", path,
                              e ? strerror(e) : "file shrank while reading");
        }
        got += (size_t)r;
    }
    close(fd);
    *buf = b;
    *size = n;
    return ST_OK;
}

int st_image_load(const char *path, const st_load_opts *opts, st_image **out,
                  st_image_info *info, st_err *err)
{
    if (out)
        *out = NULL;
    if (!path || !out)
        return st_err_set(err, ST_EINVAL, "image load: no path or output pointer");
    unsigned char *buf;
    size_t size;
    int rc = st_io_read_file(path, &buf, &size, err);
    if (rc) {
        if (info) {
            memset(info, 0, sizeof *info);
            info->exif_orientation = 1;
        }
        return rc;
    }
    rc = st_image_load_mem(buf, size, path, opts, out, info, err);
    free(buf);
    return rc;
}
