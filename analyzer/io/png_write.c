/* PNG encoding with libpng 1.6: 8- or 16-bit gray or RGB, IHDR + IDAT + IEND
 * only (no text, time or EXIF chunks, so no patient metadata and the same
 * pixels always give the same bytes). Written through core/atomic_file. As in
 * png_read.c, everything libpng can longjmp out of runs in one function
 * whose state lives in the caller's job. */
#include "io/io_internal.h"
#include "core/atomic_file.h"
#include "core/error.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct png_wjob {
    const st_image *img;
    int bit_depth;
    st_afile af;
    png_structp png;
    png_infop info;
    unsigned char *row;
    char why[160];
} png_wjob;

static void wjob_error(png_structp png, png_const_charp msg)
{
    png_wjob *job = png_get_error_ptr(png);
    snprintf(job->why, sizeof job->why, "%s", msg ? msg : "unknown error");
    png_longjmp(png, 1);
}

static void wjob_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static int wrun(png_wjob *job, st_err *err)
{
    if (setjmp(png_jmpbuf(job->png)))
        return st_err_set(err, ST_EIO, "%s: cannot write PNG (%s)", job->af.path, job->why);
    const st_image *img = job->img;
    png_structp png = job->png;
    png_init_io(png, job->af.fp);
    png_set_IHDR(png, job->info, (png_uint_32)img->width, (png_uint_32)img->height,
                 job->bit_depth, img->channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, job->info);
    for (int y = 0; y < img->height; y++) {
        if (job->bit_depth == 16)
            st_pack_row_u16be(img, y, job->row);
        else
            st_pack_row_u8(img, y, job->row);
        png_write_row(png, job->row);
    }
    png_write_end(png, NULL);
    return ST_OK;
}

int st_image_save_png(const st_image *img, const char *path, int bit_depth, st_err *err)
{
    if (!img || !path || !img->data || (img->channels != 1 && img->channels != 3))
        return st_err_set(err, ST_EINVAL, "%s: PNG needs a 1- or 3-channel image",
                          path ? path : "(null)");
    if (bit_depth != 8 && bit_depth != 16)
        return st_err_set(err, ST_EINVAL, "%s: PNG bit depth %d (8 or 16)", path, bit_depth);
    png_wjob job;
    memset(&job, 0, sizeof job);
    job.img = img;
    job.bit_depth = bit_depth;
    /* width <= ST_MAX_DIMENSION, so a row is at most 65535 * 3 * 2 bytes. */
    job.row = malloc((size_t)img->width * (size_t)img->channels * (size_t)(bit_depth / 8));
    if (!job.row)
        return st_err_set(err, ST_ENOMEM, "%s: cannot allocate a PNG row", path);
    int rc = st_afile_open(&job.af, path, err);
    if (rc) {
        free(job.row);
        return rc;
    }
    job.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &job, wjob_error, wjob_warning);
    if (job.png)
        job.info = png_create_info_struct(job.png);
    if (!job.png || !job.info)
        rc = st_err_set(err, ST_ENOMEM, "%s: cannot start the PNG encoder", path);
    else
        rc = wrun(&job, err);
    png_destroy_write_struct(job.png ? &job.png : NULL, job.info ? &job.info : NULL);
    free(job.row);
    if (rc) {
        st_afile_abort(&job.af);
        return rc;
    }
    return st_afile_commit(&job.af, err);
}
