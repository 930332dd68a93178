/* The baseline ROI carried into a session's own frame, so a session can be
 * measured on its own pixels: resampling with any interpolator (bicubic
 * included) low-passes the finest texture -- half a pixel of shift lowers a
 * photo's Sq by about 3 % and its GLCM contrast by about 15 % -- which would
 * read as "smoother skin". */
#include "register/register.h"

#include <math.h>

size_t st_roi_mask_in_session(const double m[9], const int roi[4], int sw, int sh,
                              unsigned char *mask, size_t mask_stride)
{
    size_t n = 0;
    double x0 = roi[0] - 0.5, y0 = roi[1] - 0.5, x1 = roi[0] + roi[2] - 0.5,
           y1 = roi[1] + roi[3] - 0.5;
    for (int y = 0; y < sh; y++)
        for (int x = 0; x < sw; x++) {
            double u, v;
            st_mat3_apply(m, x, y, &u, &v);
            int in = u >= x0 && u < x1 && v >= y0 && v < y1;
            mask[(size_t)y * mask_stride + x] = (unsigned char)in;
            n += (size_t)in;
        }
    return n;
}

double st_session_pixel_mm(const double m[9], const int roi[4], double baseline_pixel_mm)
{
    /* Local area scale of m at the ROI centre (in the session frame). */
    double inv[9], cx, cy;
    if (!st_mat3_inverse(m, inv))
        return baseline_pixel_mm;
    st_mat3_apply(inv, roi[0] + (roi[2] - 1) / 2.0, roi[1] + (roi[3] - 1) / 2.0, &cx, &cy);
    double ax, ay, bx, by, ox, oy;
    st_mat3_apply(m, cx, cy, &ox, &oy);
    st_mat3_apply(m, cx + 1.0, cy, &ax, &ay);
    st_mat3_apply(m, cx, cy + 1.0, &bx, &by);
    double det = fabs((ax - ox) * (by - oy) - (ay - oy) * (bx - ox));
    return baseline_pixel_mm * sqrt(det);
}
