/* Thinning to one-pixel-wide, 8-connected skeletons: Zhang & Suen, "A fast
 * parallel algorithm for thinning digital patterns", CACM 27(3), 1984. */
#include "metrics/detect_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* One sub-iteration; returns the number of pixels removed. */
static size_t thin_pass(unsigned char *bin, unsigned char *del, int w, int h, int odd)
{
    size_t removed = 0;
    memset(del, 0, (size_t)w * (size_t)h);
    for (int y = 1; y + 1 < h; y++) {
        for (int x = 1; x + 1 < w; x++) {
            const unsigned char *c = bin + (size_t)y * w + x;
            if (!*c)
                continue;
            /* P2..P9 clockwise from north. */
            int p[8] = {c[-w] != 0, c[-w + 1] != 0, c[1] != 0, c[w + 1] != 0,
                        c[w] != 0,  c[w - 1] != 0,  c[-1] != 0, c[-w - 1] != 0};
            int b = 0, a = 0;
            for (int k = 0; k < 8; k++) {
                b += p[k];
                a += !p[k] && p[(k + 1) & 7];
            }
            if (b < 2 || b > 6 || a != 1)
                continue;
            int ok = odd ? (!(p[0] && p[2] && p[4]) && !(p[2] && p[4] && p[6]))
                         : (!(p[0] && p[2] && p[6]) && !(p[0] && p[4] && p[6]));
            if (ok) {
                del[(size_t)y * w + x] = 1;
                removed++;
            }
        }
    }
    for (size_t i = 0, n = (size_t)w * (size_t)h; i < n; i++)
        if (del[i])
            bin[i] = 0;
    return removed;
}

int st_det_thin(unsigned char *bin, int w, int h, st_err *err)
{
    unsigned char *del = malloc((size_t)w * (size_t)h);
    if (!del)
        return st_err_set(err, ST_ENOMEM, "thinning: out of memory");
    /* The border row/column is never an interior point: clear it so the
     * 3x3 neighbourhoods above need no bounds checks. */
    for (int x = 0; x < w; x++)
        bin[x] = bin[(size_t)(h - 1) * w + x] = 0;
    for (int y = 0; y < h; y++)
        bin[(size_t)y * w] = bin[(size_t)y * w + w - 1] = 0;
    for (;;) {
        size_t r = thin_pass(bin, del, w, h, 1);
        r += thin_pass(bin, del, w, h, 0);
        if (!r)
            break;
    }
    free(del);
    return ST_OK;
}
