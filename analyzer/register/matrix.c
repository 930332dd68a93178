/* 3x3 homogeneous matrices (row-major) and pyramid-level changes of frame. */
#include <math.h>
#include <string.h>

#include "register/register.h"

void st_mat3_mul(const double a[9], const double b[9], double out[9])
{
    double o[9];
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++)
            o[r * 3 + c] = a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
    memcpy(out, o, sizeof o);
}

int st_mat3_inverse(const double m[9], double out[9])
{
    double c00 = m[4] * m[8] - m[5] * m[7], c01 = m[5] * m[6] - m[3] * m[8],
           c02 = m[3] * m[7] - m[4] * m[6];
    double det = m[0] * c00 + m[1] * c01 + m[2] * c02;
    double scale = fabs(m[0]) + fabs(m[1]) + fabs(m[3]) + fabs(m[4]) + fabs(m[8]);
    if (!isfinite(det) || fabs(det) <= 1e-14 * scale * scale * scale)
        return 0;
    double o[9] = {c00 / det, (m[2] * m[7] - m[1] * m[8]) / det, (m[1] * m[5] - m[2] * m[4]) / det,
                   c01 / det, (m[0] * m[8] - m[2] * m[6]) / det, (m[2] * m[3] - m[0] * m[5]) / det,
                   c02 / det, (m[1] * m[6] - m[0] * m[7]) / det, (m[0] * m[4] - m[1] * m[3]) / det};
    memcpy(out, o, sizeof o);
    return 1;
}

void st_mat3_apply(const double m[9], double x, double y, double *ox, double *oy)
{
    double w = m[6] * x + m[7] * y + m[8];
    *ox = (m[0] * x + m[1] * y + m[2]) / w;
    *oy = (m[3] * x + m[4] * y + m[5]) / w;
}

double st_mat3_corner_distance(const double a[9], const double b[9], int w, int h)
{
    const double cx[4] = {0, w - 1.0, 0, w - 1.0}, cy[4] = {0, 0, h - 1.0, h - 1.0};
    double worst = 0.0;
    for (int i = 0; i < 4; i++) {
        double ax, ay, bx, by;
        st_mat3_apply(a, cx[i], cy[i], &ax, &ay);
        st_mat3_apply(b, cx[i], cy[i], &bx, &by);
        double d = hypot(ax - bx, ay - by);
        worst = d > worst || !isfinite(d) ? d : worst;
        if (!isfinite(worst))
            break;
    }
    return worst;
}

/* Level l pixel x_l sits at x_0 = s x_l + (s - 1) / 2, s = 2^l. */
static void level_frame(int level, double s_out[9])
{
    double s = (double)(1 << level), o = (s - 1.0) / 2.0;
    double m[9] = {s, 0, o, 0, s, o, 0, 0, 1};
    memcpy(s_out, m, sizeof m);
}

void st_mat3_level_to_full(const double ml[9], int level_fixed, int level_moving, double out[9])
{
    double sf[9], sm[9], smi[9], t[9];
    level_frame(level_fixed, sf);
    level_frame(level_moving, sm);
    st_mat3_inverse(sm, smi);
    st_mat3_mul(sf, ml, t);
    st_mat3_mul(t, smi, out);
    for (int i = 0; i < 8; i++)
        out[i] /= out[8];
    out[8] = 1.0;
}

void st_mat3_full_to_level(const double m0[9], int level_fixed, int level_moving, double out[9])
{
    double sf[9], sfi[9], sm[9], t[9];
    level_frame(level_fixed, sf);
    level_frame(level_moving, sm);
    st_mat3_inverse(sf, sfi);
    st_mat3_mul(sfi, m0, t);
    st_mat3_mul(t, sm, out);
    for (int i = 0; i < 8; i++)
        out[i] /= out[8];
    out[8] = 1.0;
}
