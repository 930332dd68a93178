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
    ST_EINTERNAL = 7,  /* a bug: should not happen */
    ST_ENOTFOUND = 8   /* no such value: metric not measured, change withheld,
                          session failed or out of range */
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

/* Peak bytes per pixel of `metrics` and `analyze` (st_load_opts.bytes_per_pixel
 * for an image headed there), for the memory budget checked from the header
 * (SPEC "Bad input"). Measured as peak RSS over pixels with /usr/bin/time:
 * metrics on a 3000x3000 RGB PNG ~54, analyze on a 2000x1500 series ~73 (both
 * with ~25 MB of libraries); 64 is the figure the budget uses. */
#define ST_PIPELINE_BYTES_PER_PIXEL 64u

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
    int bit_depth;                /* 8 or 16 (1/2/4-bit PNGs report 8); HEIF 8, 10 or 12 */
    int source_channels;          /* 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA (palette: 3) */
    int is_palette;
    int exif_orientation;         /* 1..8, 1 if absent (reported even with ignore_exif) */
    char datetime_original[20];   /* EXIF DateTimeOriginal "YYYY:MM:DD HH:MM:SS" or "" */
    char format[8];               /* "jpeg", "png" or "heif" */
} st_image_info;

/* Loads a JPEG, PNG or HEIC/HEIF file; EXIF orientation (JPEG APP1 or PNG
 * eXIf) is applied unless disabled, so width/height are as displayed. A
 * HEIF file is turned by its own irot/imir/clap (skipped with ignore_exif);
 * its EXIF orientation is reported but informative (MIAF), never applied. opts and info
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

/* ---- series analysis (analyzer/api/analysis.c) ---------------------------
 * What `skintrack analyze` does, as a library call. */

/* How a series was imaged (series.json "modality"). */
typedef enum st_modality {
    ST_MODALITY_PHOTO = 0,  /* colour photos */
    ST_MODALITY_HEIGHT = 1, /* 16-bit gray height maps */
    ST_MODALITY_STEREO = 2  /* sets of photos under known lights */
} st_modality;

/* "photo", "height", "stereo". */
ST_API const char *st_modality_name(st_modality m);
/* 0 and *out set for "photo" | "height" | "stereo", else -1. */
ST_API int st_modality_parse(const char *name, st_modality *out);

/* Plausible ranges of pixel_mm (0.1 um .. 10 mm) and height_um_per_unit
 * (1 pm .. 1 cm per count); a value outside is refused. */
#define ST_PIXEL_MM_MIN 1e-4
#define ST_PIXEL_MM_MAX 10.0
#define ST_HEIGHT_SCALE_MIN 1e-6
#define ST_HEIGHT_SCALE_MAX 1e4

/* Options of an analysis. Start from st_analyze_opts_init (the CLI's
 * defaults); a has_* flag set to 1 makes its value override series.json. */
typedef struct st_analyze_opts {
    int has_pixel_mm, has_roi, has_modality, has_height_scale;
    double pixel_mm;          /* size of one pixel in mm (--pixel-mm) */
    int roi[4];               /* x, y, w, h in baseline pixels (--roi) */
    st_modality modality;     /* --modality */
    double height_um_per_unit;/* micrometres per height-map count (--height-scale) */
    uint64_t max_pixels;      /* 0: ST_DEFAULT_MAX_PIXELS */
    uint64_t max_memory;      /* bytes one image may cost; 0: st_default_max_memory() */
    int threads;              /* <= 0: all cores */
    int no_images;            /* 1: do not write images/ */
    int no_report;            /* 1: do not write report.html and report.pdf */
    const char *face_model;   /* dlib's 68-point landmark model; NULL: the default path */
    const char *run_date;     /* date of analysis printed in the reports; NULL: "not
                                 recorded" (never in metrics.json) */
    /* Called on the calling thread as the work advances, `done` of `total`
     * steps: each photo is two steps, registered onto the baseline and then
     * measured (the first half of the steps is registration), `file` the
     * photo just done; a photo that fails still counts. May be NULL. */
    void (*progress)(void *ctx, size_t done, size_t total, const char *file);
    void *progress_ctx;
} st_analyze_opts;

/* The measured series (opaque). */
typedef struct st_analysis st_analysis;

ST_API void st_analyze_opts_init(st_analyze_opts *opts);

/* Analyses the series folder series_dir. out_dir: where metrics.json,
 * metrics.csv, images/ and the reports go (created if missing; not inside
 * the series folder); NULL: nothing is written. opts NULL: the defaults.
 * Returns ST_OK with *result set even when sessions failed (see
 * st_analysis_failure); an error code and err->msg when the series cannot be
 * read or the outputs cannot be written (then *result is NULL). */
ST_API int st_analyze_series(const char *series_dir, const char *out_dir,
                             const st_analyze_opts *opts, st_analysis **result, st_err *err);

/* Number of sessions, the baseline being session 0. */
ST_API int st_analysis_sessions(const st_analysis *a);
/* 1 if the session failed (left out of the trend), 0 if not, -1 out of range. */
ST_API int st_analysis_session_failed(const st_analysis *a, int session);
/* The value of a metric ("roughness.sq", as in metrics.json) in a session:
 * ST_OK, or ST_ENOTFOUND (not measured, session failed or out of range),
 * ST_EINVAL (NULL argument). The value is not rounded (metrics.json prints
 * 6 significant digits) and may be NaN where metrics.json says null. */
ST_API int st_analysis_value(const st_analysis *a, int session, const char *metric, double *value);
/* Percent change of a metric versus the baseline: ST_ENOTFOUND for the
 * baseline itself, a failed session, an unmeasured metric, or a change
 * withheld (metrics.json "withheld"; st_analysis_withheld says why). */
ST_API int st_analysis_change(const st_analysis *a, int session, const char *metric, double *pct);
/* Why the change of a metric is withheld in a session, or NULL. */
ST_API const char *st_analysis_withheld(const st_analysis *a, int session, const char *metric);
/* Metric names of a session, k = 0, 1, ... (NULL past the end). */
ST_API const char *st_analysis_metric_name(const st_analysis *a, int session, int k);
/* Notes (ignored files, manifest warnings...) and failures ("session 2:
 * IMG_0412.jpg: registration: ..."), k = 0, 1, ... (NULL past the end). */
ST_API const char *st_analysis_note(const st_analysis *a, int k);
ST_API const char *st_analysis_failure(const st_analysis *a, int k);
ST_API void st_analysis_free(st_analysis *a);

/* ---- one image (analyzer/api/measure.c) ------------------------------------
 * What `skintrack metrics IMAGE` does: one photo or height map measured on its
 * own, without registration. */
typedef struct st_measure_opts {
    int has_pixel_mm, has_roi, has_modality, has_height_scale;
    double pixel_mm;
    int roi[4];               /* measured part of the image (x, y, w, h) */
    st_modality modality;     /* photo (default) or height; stereo is refused */
    double height_um_per_unit;
    uint64_t max_pixels;      /* 0: default */
    uint64_t max_memory;      /* 0: default */
    int threads;              /* <= 0: all cores */
    int raw;                  /* 1: no flattening, the whole image (--raw) */
} st_measure_opts;

typedef struct st_measurement st_measurement;

ST_API void st_measure_opts_init(st_measure_opts *opts);
ST_API int st_measure_image(const char *path, const st_measure_opts *opts, st_measurement **result,
                            st_err *err);
/* ST_OK or ST_ENOTFOUND, as st_analysis_value. */
ST_API int st_measurement_value(const st_measurement *m, const char *metric, double *value);
ST_API const char *st_measurement_metric_name(const st_measurement *m, int k);
/* The measurement as `skintrack metrics` prints it (a JSON object, no
 * newline); free with st_free. */
ST_API int st_measurement_json(const st_measurement *m, char **json, st_err *err);
ST_API void st_measurement_free(st_measurement *m);

/* Frees a buffer the library returned. */
ST_API void st_free(void *p);

#include "skintrack/register.h"

#ifdef __cplusplus
}
#endif
#endif
