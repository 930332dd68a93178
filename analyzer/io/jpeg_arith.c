/* Arithmetic-coded JPEG (SOF9..SOF15) through the libjpeg API of
 * libjpeg-turbo. TurboJPEG would decode these too, but it cannot tell a cut
 * file: the Huffman decoder warns when it meets a marker inside the entropy
 * data, while the arithmetic decoder treats that as legal ("supply zero
 * data until decoding is complete", jdarith.c) and stays silent. A file cut
 * in half with an EOI appended then decodes to a flat lower half. Here the
 * decoder's progress is watched: a marker other than RSTn met (libjpeg's
 * unread_marker) while more than the last two iMCU rows of the scan are
 * still to come is a truncated file. Only a tail that is exactly flat can
 * legitimately code to nothing; such a tail is not measurable skin. */
#include "io/io_internal.h"
#include "core/error.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

typedef struct arith_job {
    struct jpeg_error_mgr pub;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    char why[JMSG_LENGTH_MAX];
    int cut; /* the entropy data ended before the image */
} arith_job;

static void job_exit(j_common_ptr cinfo)
{
    arith_job *job = (arith_job *)cinfo->err;
    cinfo->err->format_message(cinfo, job->why);
    longjmp(job->jump, 1);
}

/* Warnings (msg_level -1) are errors, as TJFLAG_STOPONWARNING makes them for
 * Huffman files; trace messages are dropped (the library never prints). */
static void job_message(j_common_ptr cinfo, int level)
{
    if (level < 0)
        job_exit(cinfo);
}

static int marker_cut(const struct jpeg_decompress_struct *d)
{
    const int m = d->unread_marker;
    if (!m || (m >= 0xd0 && m <= 0xd7)) /* none, or a restart marker */
        return 0;
    return d->input_iMCU_row + 2 < d->total_iMCU_rows;
}

/* Called per iMCU row while a multi-scan file is read in
 * jpeg_start_decompress, and per jpeg_read_scanlines call. */
static void job_progress(j_common_ptr cinfo)
{
    arith_job *job = (arith_job *)cinfo->err;
    if (!cinfo->is_decompressor)
        return;
    if (marker_cut((struct jpeg_decompress_struct *)cinfo)) {
        job->cut = 1;
        longjmp(job->jump, 1);
    }
}

/* Everything that may longjmp; d, job and the row buffer belong to the
 * caller, so nothing here changes a local after setjmp. */
static int run(struct jpeg_decompress_struct *d, arith_job *job, const st_decode_req *req,
               unsigned char *row, st_image *img)
{
    if (setjmp(job->jump))
        return -1;
    jpeg_create_decompress(d);
    d->progress = &job->progress;
    jpeg_mem_src(d, req->data, (unsigned long)req->size);
    jpeg_read_header(d, TRUE);
    d->out_color_space = img->channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    d->dct_method = JDCT_ISLOW; /* as TJFLAG_ACCURATEDCT */
    jpeg_start_decompress(d);
    float lut[256];
    st_u8_lut(lut, req->raw_counts);
    while (d->output_scanline < d->output_height) {
        JSAMPROW r = row;
        const JDIMENSION y = d->output_scanline;
        jpeg_read_scanlines(d, &r, 1);
        job_progress((j_common_ptr)d);
        st_unpack_row_u8(row, lut, img, (int)y);
    }
    jpeg_finish_decompress(d);
    return 0;
}

int st_jpeg_decode_arith(const st_decode_req *req, st_image *img, st_err *err)
{
    struct jpeg_decompress_struct d;
    arith_job job;
    memset(&d, 0, sizeof d);
    memset(&job, 0, sizeof job);
    d.err = jpeg_std_error(&job.pub);
    job.pub.error_exit = job_exit;
    job.pub.emit_message = job_message;
    job.progress.progress_monitor = job_progress;
    unsigned char *row = malloc((size_t)img->width * (size_t)img->channels);
    if (!row)
        return st_err_set(err, ST_ENOMEM, "%s: cannot allocate a JPEG row", req->name);
    int failed = run(&d, &job, req, row, img);
    jpeg_destroy_decompress(&d);
    free(row);
    if (!failed)
        return ST_OK;
    if (job.cut || strstr(job.why, "Premature end"))
        return st_err_set(err, ST_EFORMAT, "%s: truncated JPEG data (arithmetic-coded data ends before the image)",
                          req->name);
    return st_err_set(err, ST_EFORMAT, "%s: corrupt JPEG data (decode: %s)", req->name, job.why);
}
