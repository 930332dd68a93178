/* The measured patch without its pores (relief_mask.h says why). */
#include "metrics/relief_mask.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int st_relief_mask(const unsigned char *mask, int w, int h, double pixel_mm, const st_pore *pores,
                   size_t n_pores, unsigned char **out, st_err *err)
{
    *out = NULL;
    if (w <= 0 || h <= 0)
        return st_err_set(err, ST_EINVAL, "relief mask: empty plane (%dx%d)", w, h);
    size_t n = (size_t)w * (size_t)h;
    unsigned char *m = malloc(n);
    if (!m)
        return st_err_set(err, ST_ENOMEM, "relief mask: out of memory for %dx%d", w, h);
    if (mask)
        memcpy(m, mask, n);
    else
        memset(m, 1, n);
    for (size_t k = 0; k < n_pores; k++) {
        const st_pore *p = &pores[k];
        double d_px = pixel_mm > 0 ? p->d_mm / pixel_mm : p->d_mm;
        double r = ST_RELIEF_PORE_REACH * d_px;
        if (!(r > 0) || !isfinite(p->x) || !isfinite(p->y))
            continue;
        int x0 = (int)floor(p->x - r), x1 = (int)ceil(p->x + r);
        int y0 = (int)floor(p->y - r), y1 = (int)ceil(p->y + r);
        if (x1 < 0 || y1 < 0 || x0 >= w || y0 >= h)
            continue;
        x0 = x0 < 0 ? 0 : x0;
        y0 = y0 < 0 ? 0 : y0;
        x1 = x1 >= w ? w - 1 : x1;
        y1 = y1 >= h ? h - 1 : y1;
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
                if ((x - p->x) * (x - p->x) + (y - p->y) * (y - p->y) <= r * r)
                    m[(size_t)y * w + x] = 0;
    }
    *out = m;
    return ST_OK;
}
