/* Half-contrast area of a pore (see pore_area.h): a flood fill over a
 * square window around the centre, then the partial pixels. */
#include "metrics/pore_area.h"

#include <math.h>
#include <stdlib.h>

#include "core/linsolve.h"

int st_pore_area_buf_init(st_pore_area_buf *b, int r_max)
{
    b->side = 2 * (r_max > 0 ? r_max : 0) + 3;
    size_t n = (size_t)b->side * (size_t)b->side;
    b->mark = malloc(n);
    b->stack = malloc(n * sizeof *b->stack);
    if (!b->mark || !b->stack) {
        st_pore_area_buf_free(b);
        return -1;
    }
    return 0;
}

void st_pore_area_buf_free(st_pore_area_buf *b)
{
    free(b->mark);
    free(b->stack);
    b->mark = NULL;
    b->stack = NULL;
}

double st_pore_darkest(const float *value, int w, int h, int cx, int cy, double r_fit)
{
    const double centre = value[(size_t)cy * w + cx];
    r_fit = fmax(r_fit, 1.5);
    int k = (int)floor(r_fit);
    if (cx - k < 0 || cy - k < 0 || cx + k >= w || cy + k >= h)
        return centre;
    /* v ~ a + b x + c y + d x^2 + e y^2 + g x y, (x, y) from the centre */
    double m[6][6] = {{0}}, r[6] = {0};
    for (int y = -k; y <= k; y++)
        for (int x = -k; x <= k; x++) {
            if (x * x + y * y > r_fit * r_fit)
                continue;
            double f[6] = {1, x, y, x * x, y * y, x * y};
            double v = value[(size_t)(cy + y) * w + cx + x];
            for (int i = 0; i < 6; i++) {
                r[i] += f[i] * v;
                for (int j = 0; j < 6; j++)
                    m[i][j] += f[i] * f[j];
            }
        }
    if (st_linsolve(&m[0][0], 6, r, 6))
        return centre;
    double a = r[0], b = r[1], c = r[2], d = r[3], e = r[4], g = r[5];
    /* the vertex: 2d x + g y = -b, g x + 2e y = -c, a minimum when the
     * Hessian is positive definite */
    double det = 4.0 * d * e - g * g, x = 0.0, y = 0.0;
    if (d > 0 && det > 0) {
        x = (-2.0 * e * b + g * c) / det;
        y = (-2.0 * d * c + g * b) / det;
        if (fabs(x) > 0.5 || fabs(y) > 0.5)
            x = y = 0.0;
    }
    return a + b * x + c * y + d * x * x + e * y * y + g * x * y;
}

enum { OUTSIDE = 0, INSIDE = 1, BORDER = 2 };

/* |gradient| of s at (x, y) by central differences (one-sided at the
 * image's edges). */
static double grad(const float *s, int w, int h, int x, int y)
{
    const float *p = s + (size_t)y * w + x;
    int xl = x > 0, xr = x + 1 < w, yu = y > 0, yd = y + 1 < h;
    double gx = (xl + xr) ? ((xr ? p[1] : p[0]) - (xl ? p[-1] : p[0])) / (double)(xl + xr) : 0.0;
    double gy = (yu + yd) ? ((yd ? p[w] : p[0]) - (yu ? p[-w] : p[0])) / (double)(yu + yd) : 0.0;
    return hypot(gx, gy);
}

double st_pore_half_area(const float *shape, const float *value, int w, int h, int cx, int cy,
                         double darkest, double ring, int r_max, st_pore_area_buf *b)
{
    const double level = 0.5 * (darkest + ring);
    /* the window this pore needs (the region and its border), within the
     * buffer's: only it is cleared and scanned */
    const int half = r_max + 1, side = 2 * half + 1;
    if (r_max < 0 || side > b->side || cx < 0 || cy < 0 || cx >= w || cy >= h ||
        !(shape[(size_t)cy * w + cx] < level))
        return -1.0;
    for (int i = 0; i < side * side; i++)
        b->mark[i] = OUTSIDE;
    /* window coordinates: (x - cx + half, y - cy + half) */
    int top = 0, closed = 1;
    b->mark[half * side + half] = INSIDE;
    b->stack[top++] = half * side + half;
    while (top > 0) {
        int k = b->stack[--top], wx = k % side, wy = k / side;
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++) {
                int nx = wx + dx, ny = wy + dy, x = cx + nx - half, y = cy + ny - half;
                int j = ny * side + nx;
                if (b->mark[j] != OUTSIDE || x < 0 || y < 0 || x >= w || y >= h)
                    continue;
                int r2 = (nx - half) * (nx - half) + (ny - half) * (ny - half);
                if (shape[(size_t)y * w + x] < level) {
                    if (r2 > r_max * r_max) { /* runs on past the pore's reach */
                        closed = 0;
                        continue;
                    }
                    b->mark[j] = INSIDE;
                    b->stack[top++] = j;
                } else
                    b->mark[j] = BORDER;
            }
    }
    if (!closed)
        return -1.0;
    /* the floor of the gradient: a level line through a flat pixel is
     * placed by the value alone (1/256 of the contrast per pixel) */
    const double g_min = fabs(ring - darkest) / 256.0;
    double area = 0.0;
    for (int wy = 0; wy < side; wy++)
        for (int wx = 0; wx < side; wx++) {
            if (b->mark[wy * side + wx] == OUTSIDE)
                continue;
            int x = cx + wx - half, y = cy + wy - half;
            double g = fmax(grad(shape, w, h, x, y), g_min);
            double share = 0.5 + (level - value[(size_t)y * w + x]) / g;
            area += share < 0 ? 0 : (share > 1 ? 1 : share);
        }
    return area;
}
