/* Internal interface of the image I/O stage: the loader (image_load.c) sniffs
 * the format and hands the bytes to one codec; codecs share the size check,
 * the sample converters (pixels.c), EXIF parsing (exif.c) and orientation
 * (orient.c). Nothing here is exported from the library. */
#ifndef ST_IO_INTERNAL_H
#define ST_IO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "skintrack/skintrack.h"

/* One decode job: the whole file in memory. */
typedef struct st_decode_req {
    const unsigned char *data;
    size_t size;
    const char *name;    /* for messages */
    uint64_t max_pixels; /* > 0 */
    int raw_counts;
    uint64_t max_memory;      /* > 0, bytes */
    unsigned bytes_per_pixel; /* > 0 */
    int ignore_orientation;   /* HEIF: skip the file's irot/imir/clap */
} st_decode_req;

/* A regular file's whole content (image_load.c); free() it. A FIFO or
 * device is refused without waiting (ST_EIO). */
int st_io_read_file(const char *path, unsigned char **buf, size_t *size, st_err *err);

/* Refuses a header size before any pixel buffer exists: the pixel count
 * against max_pixels first, then each side against ST_MAX_DIMENSION, then
 * the estimated bytes against max_memory, all ST_ETOOBIG; a zero side is
 * ST_EFORMAT. */
int st_io_check_size(const st_decode_req *req, const char *what, uint64_t width,
                     uint64_t height, st_err *err);

/* Codecs. Decoders fill info (already zeroed, orientation 1). JPEG and PNG
 * return the image as stored in the file and the loader applies the EXIF
 * orientation; HEIF returns it as displayed (libheif applies the file's
 * irot/imir, and a HEIF file's EXIF orientation is informative only). */
int st_jpeg_decode(const st_decode_req *req, st_image **out, st_image_info *info, st_err *err);
/* The pixels of an arithmetic-coded JPEG into img (made by the caller with
 * the header's size and 1 or 3 channels); cut data is ST_EFORMAT. */
int st_jpeg_decode_arith(const st_decode_req *req, st_image *img, st_err *err);
int st_png_decode(const st_decode_req *req, st_image **out, st_image_info *info, st_err *err);
int st_heif_decode(const st_decode_req *req, st_image **out, st_image_info *info, st_err *err);
/* The EXIF fields of a HEIF file's primary image, without decoding it. */
void st_heif_exif(const unsigned char *data, size_t size, int *orientation,
                  char datetime_original[20]);

/* JPEG marker walk (jpeg_markers.c): the first SOFn's size and the first
 * APP1 "Exif\0\0" segment, without decoding. Returns 1 if an SOF was seen. */
typedef struct st_jpeg_markers {
    int have_sof;
    int truncated; /* the data ended before SOS or EOI */
    unsigned width, height, components, precision;
    int arithmetic;      /* SOF9..SOF15: arithmetic coding */
    uint64_t min_blocks; /* fewest 8x8 blocks of any component (0: unknown) */
    const unsigned char *exif; /* APP1 payload starting with "Exif\0\0", or NULL */
    size_t exif_size;
} st_jpeg_markers;
void st_jpeg_scan_markers(const unsigned char *data, size_t size, st_jpeg_markers *m);

/* EXIF (exif.c): Orientation (1..8, else 1) and DateTimeOriginal
 * ("YYYY:MM:DD HH:MM:SS" or "") from an APP1 payload ("Exif\0\0" + TIFF) or,
 * with has_header = 0, a bare TIFF block (PNG eXIf). Damaged EXIF is not an
 * error: the picture is still good, so the fields keep their defaults. */
void st_exif_read(const unsigned char *data, size_t size, int has_header, int *orientation,
                  char datetime_original[20]);

/* Orientation (orient.c): replaces *img by its EXIF-oriented copy (TIFF 6.0
 * / EXIF 2.32 tag 0x0112, values 1..8); 1 or an unknown value is a no-op. */
int st_orient_apply(st_image **img, int orientation, st_err *err);

/* Sample conversion (pixels.c). Rows of interleaved 8-bit or 16-bit samples
 * (PNG: big-endian, 0..65535; HEIF: little-endian, 0..2^bits-1 = maxval)
 * with `channels` (1 or 3) samples per pixel go to row y of the planar float
 * image, scaled to [0, 1] or kept as counts. */
void st_u8_lut(float lut[256], int raw_counts);
void st_unpack_row_u8(const unsigned char *src, const float lut[256], st_image *img, int y);
void st_unpack_row_u16(const unsigned char *src, int big_endian, unsigned maxval, int raw_counts,
                       st_image *img, int y);
/* And back: [0, 1] clamped (NaN -> 0), rounded to the nearest count. */
void st_pack_row_u8(const st_image *img, int y, unsigned char *dst);
void st_pack_row_u16be(const st_image *img, int y, unsigned char *dst);

#endif
