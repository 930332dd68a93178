/* skintrack — measured progress from clinical skin photo series.
 *
 * Public API. Conventions (after libspng and TurboJPEG 3):
 *  - every fallible function returns an st_status (ST_OK == 0) and fills an
 *    st_err the caller owns; the library never prints, never exits and keeps
 *    no hidden global state, so independent calls are safe on separate threads;
 *  - inputs are const, sizes are size_t or int with overflow checks inside.
 */
#ifndef SKINTRACK_H
#define SKINTRACK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SKINTRACK_BUILDING) && defined(__GNUC__)
#define ST_API __attribute__((visibility("default")))
#else
#define ST_API
#endif

#define ST_VERSION_STRING "0.1.0"
#define ST_VERSION_MAJOR 0
#define ST_VERSION_MINOR 1
#define ST_VERSION_PATCH 0

/* A short, stable list of status codes. */
typedef enum st_status {
    ST_OK = 0,
    ST_EINVAL = 1,     /* bad argument or option */
    ST_EIO = 2,        /* cannot read or write a file */
    ST_EFORMAT = 3,    /* corrupt, truncated or unsupported data */
    ST_ETOOBIG = 4,    /* over a size limit (e.g. --max-pixels) */
    ST_ENOMEM = 5,     /* allocation failed */
    ST_EREGISTER = 6,  /* registration failed */
    ST_EINTERNAL = 7   /* a bug: should not happen */
} st_status;

/* Error detail: the code and one line that names the file and the cause. */
#define ST_ERR_MSG_MAX 512
typedef struct st_err {
    int code;
    char msg[ST_ERR_MSG_MAX];
} st_err;

ST_API const char *st_version(void);
ST_API const char *st_status_name(int code);

/* Unit of the values of an image. Photos hold sRGB-encoded values in [0, 1]
 * (ST_UNIT_REL); height maps hold micrometres (ST_UNIT_UM). */
typedef enum st_unit { ST_UNIT_REL = 0, ST_UNIT_UM = 1 } st_unit;

/* One image type for the whole pipeline: planar float32.
 * Sample (x, y) of channel c lives at data[((size_t)c * height + y) * stride + x].
 * stride is in floats and a multiple of 8, and data is 32-byte aligned, so
 * every row of every plane starts on a 32-byte boundary (AVX2 loads).
 * Padding floats at the end of a row are zero after st_image_new.
 * channels is 1 (gray / height) or 3 (R, G, B). */
typedef struct st_image {
    int width, height, channels;
    size_t stride;
    float *data;
    double pixel_mm;  /* physical size of one pixel; 0 = uncalibrated */
    st_unit unit;
} st_image;

/* Largest width or height accepted anywhere (a sanity bound, not a memory limit). */
#define ST_MAX_DIMENSION 65535

ST_API int st_image_new(int width, int height, int channels, st_image **out, st_err *err);
ST_API void st_image_free(st_image *img);
ST_API int st_image_clone(const st_image *src, st_image **out, st_err *err);

static inline float *st_image_row(const st_image *img, int channel, int y)
{
    return img->data + ((size_t)channel * (size_t)img->height + (size_t)y) * img->stride;
}

/* ---- image I/O (analyzer/io) -------------------------------------------
 * JPEG (TurboJPEG) and PNG (libpng), recognised by content, never by name.
 * Gray files give 1 channel, everything else 3 (R, G, B); alpha and tRNS are
 * dropped, palettes expanded, 1/2/4-bit gray widened to 8 bits by bit
 * replication (PNG spec 13.12). Values are sRGB-encoded as stored: v/255 or
 * v/65535 (correctly rounded), or the integer counts with raw_counts. 16-bit
 * files keep all 16 bits. unit is ST_UNIT_REL and pixel_mm 0 after loading.
 *
 * Errors (one line, starting with the file name):
 *   ST_EIO      cannot open or read, a directory, not a regular file;
 *   ST_EFORMAT  empty, truncated, wrong signature, corrupt data, any PNG
 *               chunk CRC error, CMYK or 12-bit JPEG, or a file whose
 *               compressed data is too short to hold the pixels its header
 *               claims;
 *   ST_ETOOBIG  width x height > max_pixels, a side > ST_MAX_DIMENSION, or
 *               width x height x bytes_per_pixel > max_memory.
 * The memory budget is in bytes because compression says nothing about cost:
 * an arithmetic-coded JPEG or a deflated PNG of one colour takes a few
 * hundred bytes for any size. Size checks use the header only: no pixel buffer is allocated for a file
 * that fails them. A damaged EXIF block is ignored (orientation 1, no date). */

#define ST_DEFAULT_MAX_PIXELS 200000000ull
/* Bytes per pixel of the decoder alone (planar float RGB plus its rows). */
#define ST_DECODE_BYTES_PER_PIXEL 16u

/* The default memory budget of one image: a quarter of physical memory, at
 * most 4 GiB (and 1 GiB if the size of memory is unknown). */
ST_API uint64_t st_default_max_memory(void);

typedef struct st_load_opts {
    uint64_t max_pixels;  /* 0 = ST_DEFAULT_MAX_PIXELS; checked from the header */
    int raw_counts;       /* 1: keep integer sample values (0..255 or 0..65535)
                             instead of scaling to [0, 1]; used for height maps */
    int ignore_exif;      /* 1: do not apply the EXIF orientation */
    uint64_t max_memory;  /* bytes this image may cost; 0 = st_default_max_memory() */
    unsigned bytes_per_pixel; /* what one pixel costs the caller's whole
                                 pipeline; 0 = ST_DECODE_BYTES_PER_PIXEL */
} st_load_opts;

/* What the file said about itself, besides the pixels. */
typedef struct st_image_info {
    int file_width, file_height;  /* as stored, before orientation */
    int bit_depth;                /* 8 or 16 (1/2/4-bit PNGs report 8) */
    int source_channels;          /* 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA (palette: 3) */
    int is_palette;
    int exif_orientation;         /* 1..8, 1 if absent (reported even with ignore_exif) */
    char datetime_original[20];   /* EXIF DateTimeOriginal "YYYY:MM:DD HH:MM:SS" or "" */
    char format[8];               /* "jpeg" or "png" */
} st_image_info;

/* Loads a JPEG or PNG file; EXIF orientation (JPEG APP1 or PNG eXIf) is
 * applied unless disabled, so width/height are as displayed. opts and info
 * may be NULL. On error *out is NULL. */
ST_API int st_image_load(const char *path, const st_load_opts *opts, st_image **out,
                         st_image_info *info, st_err *err);
/* Same from memory; name is used in messages only (NULL: "(memory)"). */
ST_API int st_image_load_mem(const void *data, size_t size, const char *name,
                             const st_load_opts *opts, st_image **out, st_image_info *info,
                             st_err *err);

/* Writers for 1- or 3-channel images: values in [0, 1] are scaled to the
 * bit depth, rounded and clamped (NaN -> 0); an image of raw counts or
 * micrometres must be rescaled by the caller. Files are written to a
 * temporary name beside the target and renamed; no metadata (EXIF, text,
 * time chunks) is ever written, so the same pixels give the same bytes.
 * PNG: bit_depth 8 or 16. JPEG: quality 1..100, 4:4:4 chroma (no
 * subsampling: colour is measured), 8-bit. Errors: ST_EINVAL, ST_EIO. */
ST_API int st_image_save_png(const st_image *img, const char *path, int bit_depth, st_err *err);
ST_API int st_image_save_jpeg(const st_image *img, const char *path, int quality, st_err *err);

#ifdef __cplusplus
}
#endif
#endif
