/* Session images decoded for cairo (both renderers and the difference map):
 * PNG through cairo, JPEG through TurboJPEG with the original bytes attached
 * as MIME data, so a PDF embeds the JPEG as it is instead of re-encoding. */
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#include "report/report_image.h"

typedef struct mem_reader { const unsigned char *p; size_t n, at; } mem_reader;

static cairo_status_t read_mem(void *closure, unsigned char *data, unsigned int len)
{
    mem_reader *r = closure;
    if (r->n - r->at < len)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->p + r->at, len);
    r->at += len;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *load_jpeg(unsigned char *data, size_t n)
{
    tjhandle tj = tjInitDecompress();
    int w, h, sub, cs;
    cairo_surface_t *s = NULL;
    if (tj && tjDecompressHeader3(tj, data, (unsigned long)n, &w, &h, &sub, &cs) == 0 &&
        w > 0 && h > 0 && (double)w * h < 1e8) {
        s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
        cairo_surface_flush(s);
        /* RGB24 is a native-endian 0x00RRGGBB word: B, G, R, X in memory on
         * little-endian machines, which is TurboJPEG's BGRX. */
        if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
            tjDecompress2(tj, data, (unsigned long)n, cairo_image_surface_get_data(s), w,
                          cairo_image_surface_get_stride(s), h, TJPF_BGRX, 0) != 0) {
            cairo_surface_destroy(s);
            s = NULL;
        } else {
            cairo_surface_mark_dirty(s);
            /* The PDF then embeds the original JPEG bytes, not re-encoded pixels. */
            if (cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, data, n, free, data) ==
                CAIRO_STATUS_SUCCESS)
                data = NULL;
        }
    }
    if (tj)
        tjDestroy(tj);
    free(data);
    return s;
}

cairo_surface_t *st_rp_load_image(const st_rp_model *m, const char *rel)
{
    size_t n;
    unsigned char *data = st_rp_read_asset(m, rel, &n);
    if (!data)
        return NULL;
    if (n > 3 && data[0] == 0xFF && data[1] == 0xD8)
        return load_jpeg(data, n);
    mem_reader r = {data, n, 0};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_mem, &r);
    free(data);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return NULL;
    }
    return s;
}

