/* st_image_exif_datetime: find the EXIF block the way each codec does
 * (JPEG marker walk, PNG chunk walk, libheif's box parser) and hand it to
 * exif.c, the one place that runs libexif. */
#include "io/exif_date.h"
#include "io/io_internal.h"

#include <stdlib.h>
#include <string.h>

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The first eXIf chunk before IEND (PNG 1.2 Extensions §3.7); a chunk that
 * runs past the end stops the walk. */
static void png_exif(const unsigned char *d, size_t size, int *orientation, char dt[20])
{
    for (size_t pos = 8; pos + 12 <= size;) {
        const uint64_t len = be32(d + pos);
        if (len + 12 > size - pos || !memcmp(d + pos + 4, "IEND", 4))
            return;
        if (!memcmp(d + pos + 4, "eXIf", 4)) {
            st_exif_read(d + pos + 8, (size_t)len, 0, orientation, dt);
            return;
        }
        pos += 12 + (size_t)len;
    }
}

int st_image_exif_datetime(const char *path, char out[20])
{
    static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char *d;
    size_t n;
    out[0] = '\0';
    if (st_io_read_file(path, &d, &n, NULL) != ST_OK)
        return -1;
    int orientation = 1;
    if (n >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff) {
        st_jpeg_markers m;
        st_jpeg_scan_markers(d, n, &m);
        if (m.exif)
            st_exif_read(m.exif, m.exif_size, 1, &orientation, out);
    } else if (n >= 8 && !memcmp(d, png_sig, 8)) {
        png_exif(d, n, &orientation, out);
    } else if (n >= 12 && !memcmp(d + 4, "ftyp", 4)) {
        st_heif_exif(d, n, &orientation, out);
    }
    free(d);
    return out[0] ? 0 : -1;
}
