/* Session images into the baseline frame: inverse mapping (every baseline
 * pixel fetches its session sample), bicubic through
 * st_warp_perspective_planes (the channels share positions and weights). */
#include "register/register.h"

#include "core/error.h"
#include "simd/kernels.h"

int st_warp_to_baseline(const st_image *moving, const double m[9], int dw, int dh, float outside,
                        st_image **out, unsigned char *valid, int threads, st_err *err)
{
    if (!moving || !m || !out)
        return st_err_set(err, ST_EINVAL, "warp: bad arguments");
    *out = NULL;
    double inv[9];
    if (!st_mat3_inverse(m, inv))
        return st_err_set(err, ST_EINVAL, "warp: singular matrix");
    int rc = st_image_new(dw, dh, moving->channels, out, err);
    if (rc)
        return rc;
    const float *src[ST_WARP_MAX_PLANES];
    float *dst[ST_WARP_MAX_PLANES];
    int nch = moving->channels < ST_WARP_MAX_PLANES ? moving->channels : ST_WARP_MAX_PLANES;
    for (int c0 = 0; c0 < moving->channels && !rc; c0 += nch) {
        int n = moving->channels - c0 < nch ? moving->channels - c0 : nch;
        for (int c = 0; c < n; c++) {
            src[c] = st_image_row(moving, c0 + c, 0);
            dst[c] = st_image_row(*out, c0 + c, 0);
        }
        rc = st_warp_perspective_planes(src, n, moving->stride, moving->width, moving->height, dst,
                                        (*out)->stride, dw, dh, inv, outside,
                                        c0 == 0 ? valid : NULL, threads);
    }
    if (rc) {
        st_image_free(*out);
        *out = NULL;
        return st_err_set(err, rc, "warp: %dx%d -> %dx%d failed", moving->width, moving->height,
                          dw, dh);
    }
    (*out)->pixel_mm = moving->pixel_mm;
    (*out)->unit = moving->unit;
    return ST_OK;
}
