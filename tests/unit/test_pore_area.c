/* SPEC.md's pore diameter on analytic pores (pore_area.h): the
 * half-contrast area of soft-edged dark disks whose contrast halves at a
 * known radius R, each pixel the exact mean of the profile over its area
 * (supersampled), reads pi R^2; the darkest level of a paraboloid is its
 * vertex; and small systems solve exactly (core/linsolve.h). */
#define _DEFAULT_SOURCE /* M_PI */
#include <stdlib.h>

#include "core/linsolve.h"
#include "metrics/pore_area.h"
#include "test_util.h"

#define N 64
#define SS 8 /* samples per axis and pixel */

/* Darkening at distance r of a pore of half-contrast radius R: shape 0,
 * the disk 1 / (1 + (r/R)^k); shape 1, the Gaussian 2^-(r/R)^2. f(R) = 1/2. */
static double profile(int shape, double k, double r, double R)
{
    double q = r / R;
    return shape ? exp2(-q * q) : 1.0 / (1.0 + pow(q, k));
}

/* An N x N plane of skin at level bg with a pore of contrast c at (cx, cy),
 * each pixel the mean over its area. */
static void render(float *s, int shape, double k, double R, double cx, double cy, double bg,
                   double c)
{
    for (int y = 0; y < N; y++)
        for (int x = 0; x < N; x++) {
            double sum = 0;
            for (int j = 0; j < SS; j++)
                for (int i = 0; i < SS; i++) {
                    double u = x - 0.5 + (i + 0.5) / SS, v = y - 0.5 + (j + 0.5) / SS;
                    sum += profile(shape, k, hypot(u - cx, v - cy), R);
                }
            s[y * N + x] = (float)(bg - c * sum / (SS * SS));
        }
}

static void test_soft_disks(void)
{
    float *s = malloc(N * N * sizeof *s);
    st_pore_area_buf b = {0};
    CHECK(st_pore_area_buf_init(&b, 30) == 0);
    const double radii[] = {2.0, 3.5, 6.0, 10.0};
    for (int shape = 0; shape < 2; shape++)
        for (int ri = 0; ri < 4; ri++) {
            double R = radii[ri], k = 6.0, cx = 31.3, cy = 32.6;
            render(s, shape, k, R, cx, cy, 0.6, 0.2);
            /* the true levels: the ring far out (f < 1 % at 30 px for the
             * Gaussian; the disk's tail is 1 / (1 + (r/R)^6)) and the
             * pore's darkest, the profile's own centre */
            double ring = 0.6 - 0.2 * profile(shape, k, 28.0, R), darkest = 0.6 - 0.2;
            double a = st_pore_half_area(s, s, N, N, 31, 33, darkest, ring, 30, &b);
            double d = 2.0 * sqrt(a / M_PI);
            printf("%s R %.1f px: diameter %.3f px, %+.2f %%\n", shape ? "gaussian" : "disk k=6", R,
                   d, 100.0 * (d / (2 * R) - 1));
            /* a pixel's mean shifts the level line of a small pore by its
             * curvature (+0.7 % at 2 px): within 1.5 % at 2 px, 0.5 % from
             * 3.5 px */
            CHECK_MSG(fabs(d / (2 * R) - 1) <= (R < 3 ? 0.015 : 0.005), "R %.1f: d %.3f", R, d);
        }
    /* a region that runs past r_max is not a pore */
    render(s, 0, 6.0, 10.0, 31.3, 32.6, 0.6, 0.2);
    CHECK(st_pore_half_area(s, s, N, N, 31, 33, 0.4, 0.6, 6, &b) < 0);
    /* nor is a centre that is not below the level */
    CHECK(st_pore_half_area(s, s, N, N, 2, 2, 0.4, 0.6, 6, &b) < 0);
    st_pore_area_buf_free(&b);
    free(s);
}

static void test_darkest(void)
{
    float *s = malloc(N * N * sizeof *s);
    /* a paraboloid with its vertex 0.3 px off the pixel: read at the vertex */
    for (int y = 0; y < N; y++)
        for (int x = 0; x < N; x++) {
            double u = x - 20.3, v = y - 19.8;
            s[y * N + x] = (float)(0.25 + 0.01 * u * u + 0.02 * v * v + 0.005 * u * v);
        }
    CHECK_NEAR(st_pore_darkest(s, N, N, 20, 20, 3.0), 0.25, 1e-5);
    /* a funnel 3 px in radius: the fit over 1.5 px reads its floor within
     * 3 % of its depth, where a 0.7 px Gaussian smoothing lifts it 22 % */
    for (int y = 0; y < N; y++)
        for (int x = 0; x < N; x++) {
            double q = (pow(x - 20.0, 2) + pow(y - 20.0, 2)) / 9.0;
            s[y * N + x] = (float)(0.5 - (q < 1 ? 0.2 * (1 - q) * (1 - q) : 0));
        }
    double dk = st_pore_darkest(s, N, N, 20, 20, 1.5);
    CHECK_MSG(fabs(dk - 0.3) <= 0.03 * 0.2, "funnel floor %.4f, true 0.3", dk);
    /* too near the border for the window: the centre's own value */
    CHECK_NEAR(st_pore_darkest(s, N, N, 0, 20, 1.5), s[20 * N], 0);
    free(s);
}

static void test_linsolve(void)
{
    /* rows in an order that needs pivoting; x = (1, -2, 3) */
    double a[3][4] = {{0, 2, 1, 9}, {1, 1, 1, 9}, {2, 0, -1, 9}}, b[3] = {-1, 2, -1};
    CHECK(st_linsolve(&a[0][0], 4, b, 3) == 0);
    CHECK_NEAR(b[0], 1, 1e-12);
    CHECK_NEAR(b[1], -2, 1e-12);
    CHECK_NEAR(b[2], 3, 1e-12);
    double z[2][2] = {{1, 2}, {2, 4}}, c[2] = {1, 2};
    CHECK(st_linsolve(&z[0][0], 2, c, 2) == -1);
}

int main(void)
{
    test_soft_disks();
    test_darkest();
    test_linsolve();
    return test_summary();
}
