/* Camera geometry: the session→baseline matrix (SPEC.md convention:
 * [xb, yb, 1]ᵀ ∝ M·[xs, ys, 1]ᵀ, pixel centres at integers) and defaults. */
#include "skingen_int.h"

#include <math.h>
#include <string.h>

void skingen_camera_default(skingen_camera *c, int width, int height, uint64_t noise_seed)
{
    memset(c, 0, sizeof *c);
    c->width = width;
    c->height = height;
    c->matrix[0] = c->matrix[4] = c->matrix[8] = 1.0;
    /* from the upper left, 40° off the axis: shows the relief like a clinic lamp */
    double el = 40.0 * M_PI / 180.0;
    c->light[0] = -sin(el) * 0.7071;
    c->light[1] = -sin(el) * 0.7071;
    c->light[2] = cos(el);
    c->ambient = 0.25;
    c->exposure = 1.0;
    c->wb[0] = c->wb[1] = c->wb[2] = 1.0;
    c->vignetting = 0.12;
    c->noise = 0.004;
    c->shot_noise = 0.012;
    c->blur_px = 0.5;
    c->noise_seed = noise_seed;
}

static void mat_mul(const double a[9], const double b[9], double out[9])
{
    double t[9];
    for (int r = 0; r < 3; r++)
        for (int k = 0; k < 3; k++)
            t[r * 3 + k] = a[r * 3] * b[k] + a[r * 3 + 1] * b[3 + k] + a[r * 3 + 2] * b[6 + k];
    memcpy(out, t, sizeof t);
}

void skingen_matrix_camera(double m[9], int width, int height, double dx_px, double dy_px,
                           double rot_deg, double scale, double persp_x, double persp_y)
{
    double cx = 0.5 * (width - 1), cy = 0.5 * (height - 1);
    double a = rot_deg * M_PI / 180.0, c = cos(a) * scale, s = sin(a) * scale;
    const double to_centre[9] = {1, 0, -cx, 0, 1, -cy, 0, 0, 1};
    const double persp[9] = {1, 0, 0, 0, 1, 0, persp_x, persp_y, 1};
    const double sim[9] = {c, -s, cx + dx_px, s, c, cy + dy_px, 0, 0, 1};
    double t[9];
    mat_mul(persp, to_centre, t);
    mat_mul(sim, t, m);
    for (int i = 0; i < 9; i++)
        m[i] /= m[8];
}

void skingen_map(const double m[9], double x, double y, double *ox, double *oy)
{
    double w = m[6] * x + m[7] * y + m[8];
    *ox = (m[0] * x + m[1] * y + m[2]) / w;
    *oy = (m[3] * x + m[4] * y + m[5]) / w;
}

int skingen_matrix_invert(const double m[9], double inv[9])
{
    double c00 = m[4] * m[8] - m[5] * m[7], c01 = m[5] * m[6] - m[3] * m[8],
           c02 = m[3] * m[7] - m[4] * m[6];
    double det = m[0] * c00 + m[1] * c01 + m[2] * c02;
    if (fabs(det) < 1e-300)
        return -1;
    double t[9] = {c00, m[2] * m[7] - m[1] * m[8], m[1] * m[5] - m[2] * m[4],
                   c01, m[0] * m[8] - m[2] * m[6], m[2] * m[3] - m[0] * m[5],
                   c02, m[1] * m[6] - m[0] * m[7], m[0] * m[4] - m[1] * m[3]};
    double n = t[8] / det;
    if (fabs(n) < 1e-300)
        return -1;
    for (int i = 0; i < 9; i++)
        inv[i] = t[i] / det / n;
    return 0;
}
