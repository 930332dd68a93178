/* Sobel, Scharr, Laplacian and the 2x downsample: known answers of the
 * reference on ramps and quadratics (interior and mirrored borders), and
 * every SIMD path bit-identical to it at awkward sizes, odd strides,
 * unaligned starts, with gx or gy left out. */
#include "simd_check.h"
#include "test_util.h"

static void known_answers(void)
{
    enum { W = 19, H = 11 };
    static float f[H * W], gx[H * W], gy[H * W], lap[H * W];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            f[y * W + x] = 3.0f * x + 5.0f * y;
    st_sobel(f, W, gx, gy, W, W, H);
    /* a ramp's Sobel response is 8 x slope inside; at a mirrored edge the
     * outer neighbour repeats the edge sample, so half of it remains */
    CHECK_NEAR(gx[5 * W + 7], 24.0, 0);
    CHECK_NEAR(gy[5 * W + 7], 40.0, 0);
    CHECK_NEAR(gx[5 * W + 0], 12.0, 0);
    CHECK_NEAR(gx[5 * W + W - 1], 12.0, 0);
    CHECK_NEAR(gy[0 * W + 3], 20.0, 0);
    CHECK_NEAR(gy[(H - 1) * W + 3], 20.0, 0);
    st_scharr(f, W, gx, gy, W, W, H);
    CHECK_NEAR(gx[4 * W + 9], 96.0, 0);
    CHECK_NEAR(gy[4 * W + 9], 160.0, 0);
    st_scharr(f, W, NULL, gy, W, W, H);
    CHECK_NEAR(gy[6 * W + 1], 160.0, 0);

    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            f[y * W + x] = (float)(x * x + 2 * y * y);
    st_laplacian(f, W, lap, W, W, H);
    CHECK_NEAR(lap[5 * W + 9], 6.0, 0);          /* 2 + 4 */
    CHECK_NEAR(lap[5 * W + 0], 1.0 + 4.0, 0);    /* mirrored: f(-1) = f(0) */

    /* downsample: block means; odd last column / row mirrored */
    float d[6 * 10];
    st_downsample2x(f, W, W, H, d, 10);
    CHECK_NEAR(d[2 * 10 + 3], (36 + 49 + 36 + 49 + 2.0 * (16 + 16 + 25 + 25)) / 4.0, 0);
    CHECK_NEAR(d[0 * 10 + 9], (double)(18 * 18 + 2 * 0 + 18 * 18 + 2 * 1) / 2.0, 1e-5);
    CHECK_NEAR(d[5 * 10 + 0], (0 + 1 + 0 + 1 + 4 * 200.0) / 4.0, 0);
}

static void paths_identical(void)
{
    for (int si = 0; si < N_TEST_SIZES; si++) {
        int w = test_sizes[si][0], h = test_sizes[si][1], ow = (w + 1) / 2, oh = (h + 1) / 2;
        test_plane src = test_plane_new(w, h, 3, 1, 40u + (uint32_t)si);
        test_plane rx = test_plane_new(w, h, 1, 0, 0), ry = test_plane_new(w, h, 1, 0, 0);
        test_plane gx = test_plane_new(w, h, 1, 3, 0), gy = test_plane_new(w, h, 1, 3, 0);
        test_plane rd = test_plane_new(ow, oh, 2, 0, 0), gd = test_plane_new(ow, oh, 2, 1, 0);
        for (int op = 0; op < 3; op++) {
            st_simd_force(ST_SIMD_SCALAR);
            if (op == 0)
                st_sobel(src.p, src.stride, rx.p, ry.p, rx.stride, w, h);
            else if (op == 1)
                st_scharr(src.p, src.stride, rx.p, ry.p, rx.stride, w, h);
            else
                st_laplacian(src.p, src.stride, rx.p, rx.stride, w, h);
            FOR_EACH_PATH(p)
            {
                st_simd_force(p);
                if (op == 0) {
                    st_sobel(src.p, src.stride, gx.p, NULL, gx.stride, w, h);
                    st_sobel(src.p, src.stride, NULL, gy.p, gy.stride, w, h);
                } else if (op == 1)
                    st_scharr(src.p, src.stride, gx.p, gy.p, gx.stride, w, h);
                else
                    st_laplacian(src.p, src.stride, gx.p, gx.stride, w, h);
                CHECK_MSG(test_identical(rx.p, rx.stride, gx.p, gx.stride, w, h), "op %d %s %dx%d",
                          op, st_simd_name(p), w, h);
                if (op < 2)
                    CHECK_MSG(test_identical(ry.p, ry.stride, gy.p, gy.stride, w, h), "op %d y %s %dx%d",
                              op, st_simd_name(p), w, h);
            }
        }
        st_simd_force(ST_SIMD_SCALAR);
        st_downsample2x(src.p, src.stride, w, h, rd.p, rd.stride);
        FOR_EACH_PATH(p)
        {
            st_simd_force(p);
            st_downsample2x(src.p, src.stride, w, h, gd.p, gd.stride);
            CHECK_MSG(test_identical(rd.p, rd.stride, gd.p, gd.stride, ow, oh), "down %s %dx%d",
                      st_simd_name(p), w, h);
        }
        test_plane *all[] = {&src, &rx, &ry, &gx, &gy, &rd, &gd};
        for (int i = 0; i < 7; i++)
            test_plane_free(all[i]);
    }
}

/* Large planes take the non-temporal store branch (ST_STREAM_MIN_FLOATS):
 * 2050 x 2047 with an odd stride and an unaligned start. */
static void large_paths_identical(void)
{
    const int w = 2050, h = 2047;
    test_plane src = test_plane_new(w, h, 3, 1, 5);
    test_plane rx = test_plane_new(w, h, 6, 0, 0), ry = test_plane_new(w, h, 6, 0, 0);
    test_plane gx = test_plane_new(w, h, 6, 0, 0), gy = test_plane_new(w, h, 6, 0, 0);
    st_simd_force(ST_SIMD_SCALAR);
    st_scharr(src.p, src.stride, rx.p, ry.p, rx.stride, w, h);
    FOR_EACH_PATH(p)
    {
        st_simd_force(p);
        st_scharr(src.p, src.stride, gx.p, gy.p, gx.stride, w, h);
        CHECK_MSG(test_identical(rx.p, rx.stride, gx.p, gx.stride, w, h) &&
                      test_identical(ry.p, ry.stride, gy.p, gy.stride, w, h),
                  "large scharr %s", st_simd_name(p));
    }
    st_simd_force(ST_SIMD_SCALAR);
    st_laplacian(src.p, src.stride, rx.p, rx.stride, w, h);
    FOR_EACH_PATH(p)
    {
        st_simd_force(p);
        st_laplacian(src.p, src.stride, gx.p, gx.stride, w, h);
        CHECK_MSG(test_identical(rx.p, rx.stride, gx.p, gx.stride, w, h), "large laplacian %s",
                  st_simd_name(p));
    }
    test_plane *all[] = {&src, &rx, &ry, &gx, &gy};
    for (int i = 0; i < 5; i++)
        test_plane_free(all[i]);
}

int main(void)
{
    CHECK(simd_env_respected());
    FOR_EACH_PATH(p)
    {
        st_simd_force(p);
        known_answers();
    }
    paths_identical();
    large_paths_identical();
    return test_summary();
}
