/* A walk over JPEG marker segments (ITU-T T.81 Annex B) up to the first
 * scan: the frame size from SOFn, so the pixel limit is checked before
 * libjpeg sees the file, and the EXIF APP1 segment (EXIF 2.32 §4.5.4). A
 * broken structure just ends the walk; the decoder then reports it. */
#include "io/io_internal.h"

#include <string.h>

static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }

/* Blocks of the component with the fewest (T.81 A.2.1: a component spans
 * ceil(X * Hi / Hmax) x ceil(Y * Vi / Vmax) samples); 0 if the sampling
 * factors are invalid (libjpeg then refuses the file). */
static uint64_t fewest_blocks(const unsigned char *seg, size_t seg_len, uint64_t w, uint64_t h)
{
    unsigned nc = seg[5], hmax = 0, vmax = 0;
    if (nc == 0 || seg_len < 6 + 3u * nc)
        return 0;
    for (unsigned i = 0; i < nc; i++) {
        unsigned hi = seg[6 + 3 * i + 1] >> 4, vi = seg[6 + 3 * i + 1] & 15u;
        if (hi < 1 || hi > 4 || vi < 1 || vi > 4)
            return 0;
        hmax = hi > hmax ? hi : hmax;
        vmax = vi > vmax ? vi : vmax;
    }
    uint64_t fewest = UINT64_MAX;
    for (unsigned i = 0; i < nc; i++) {
        unsigned hi = seg[6 + 3 * i + 1] >> 4, vi = seg[6 + 3 * i + 1] & 15u;
        uint64_t cw = (w * hi + hmax - 1) / hmax, ch = (h * vi + vmax - 1) / vmax;
        uint64_t blocks = ((cw + 7) / 8) * ((ch + 7) / 8);
        fewest = blocks < fewest ? blocks : fewest;
    }
    return fewest;
}

/* SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
static int is_sof(unsigned m) { return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc; }

void st_jpeg_scan_markers(const unsigned char *data, size_t size, st_jpeg_markers *m)
{
    memset(m, 0, sizeof *m);
    size_t pos = 2; /* after SOI */
    m->truncated = 1; /* until SOS or EOI is reached */
    while (pos + 2 <= size) {
        if (data[pos] != 0xff) {
            m->truncated = 0; /* broken, not short: libjpeg names it */
            return;
        }
        while (pos + 2 < size && data[pos + 1] == 0xff) /* fill bytes, B.1.1.2 */
            pos++;
        if (pos + 2 > size)
            return;
        unsigned marker = data[pos + 1];
        pos += 2;
        if (marker == 0x01 || marker == 0xd8 || (marker >= 0xd0 && marker <= 0xd7))
            continue; /* stand-alone markers */
        if (marker == 0xd9 || marker == 0xda) {
            m->truncated = 0;
            return; /* EOI or SOS: the header part is over */
        }
        if (pos + 2 > size)
            return;
        unsigned len = be16(data + pos);
        if (len < 2) {
            m->truncated = 0;
            return;
        }
        if (len > size - pos)
            return;
        const unsigned char *seg = data + pos + 2;
        size_t seg_len = len - 2u;
        if (marker == 0xe1 && !m->exif && seg_len >= 6 && !memcmp(seg, "Exif\0\0", 6)) {
            m->exif = seg;
            m->exif_size = seg_len;
        } else if (is_sof(marker) && !m->have_sof && seg_len >= 6) {
            m->have_sof = 1;
            m->precision = seg[0];
            m->height = be16(seg + 1);
            m->width = be16(seg + 3);
            m->components = seg[5];
            m->arithmetic = marker >= 0xc9;
            m->min_blocks = fewest_blocks(seg, seg_len, m->width, m->height);
        }
        pos += len;
    }
}
