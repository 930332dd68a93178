/* Sampling and st_warp_perspective(_planes): known answers of the reference (samples
 * at integer positions, Catmull-Rom reproduces quadratics, an integer shift
 * gives the shifted image, outside points get `outside`), every SIMD path
 * bit-identical to it on a perspective warp at awkward sizes, identical
 * bytes for every thread count, and the multi-plane warp equal to the
 * single-plane one plane by plane. */
#include "simd_check.h"
#include "test_util.h"

static float quad(double x, double y) { return (float)(0.01 * x * x + 0.5 * x - 0.02 * y * y + y); }

static void sampling(void)
{
    enum { W = 23, H = 17 };
    static float f[H * W];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            f[y * W + x] = quad(x, y);
    CHECK(st_sample_bicubic(f, W, W, H, 4.0, 7.0, -1) == f[7 * W + 4]);
    CHECK(st_sample_bilinear(f, W, W, H, 22.0, 16.0, -1) == f[16 * W + 22]);
    CHECK_NEAR(st_sample_bicubic(f, W, W, H, 8.3, 5.65, -1), quad(8.3, 5.65), 2e-5);
    CHECK_NEAR(st_sample_bilinear(f, W, W, H, 8.5, 5.0, -1), 0.5 * (quad(8, 5) + quad(9, 5)), 1e-5);
    CHECK(st_sample_bicubic(f, W, W, H, -0.01, 3.0, -7.0f) == -7.0f);
    CHECK(st_sample_bilinear(f, W, W, H, 3.0, 16.001, -7.0f) == -7.0f);
    CHECK(st_sample_bicubic(f, W, W, H, NAN, 3.0, -7.0f) == -7.0f);
}

static void integer_shift(void)
{
    enum { W = 40, H = 30 };
    test_plane src = test_plane_new(W, H, 3, 1, 77), dst = test_plane_new(W, H, 0, 0, 0);
    unsigned char valid[W * H];
    /* dst(x, y) = src(x + 3, y - 2) */
    const double m[9] = {1, 0, 3, 0, 1, -2, 0, 0, 1};
    CHECK_EQ_INT(st_warp_perspective(src.p, src.stride, W, H, dst.p, dst.stride, W, H, m, -1.0f,
                                     valid, 2), 0);
    int ok = 1;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int sx = x + 3, sy = y - 2, in = sx < W && sy >= 0;
            float want = in ? src.p[(size_t)sy * src.stride + sx] : -1.0f;
            ok &= dst.p[(size_t)y * dst.stride + x] == want && valid[y * W + x] == in;
        }
    CHECK(ok);
    test_plane_free(&src);
    test_plane_free(&dst);
}

static void paths_and_threads(void)
{
    const double m[9] = {0.93, 0.11, 1.7, -0.08, 1.04, -0.6, 0.0009, -0.0012, 1.0};
    for (int si = 0; si < N_TEST_SIZES; si++) {
        int w = test_sizes[si][0], h = test_sizes[si][1];
        test_plane src = test_plane_new(w, h, 3, 1, 90u + (uint32_t)si);
        test_plane ref = test_plane_new(w + 2, h + 1, 1, 0, 0), got = test_plane_new(w + 2, h + 1, 2, 3, 0);
        unsigned char *vr = malloc((size_t)(w + 2) * (h + 1)), *vg = malloc((size_t)(w + 2) * (h + 1));
        st_simd_force(ST_SIMD_SCALAR);
        st_warp_perspective(src.p, src.stride, w, h, ref.p, ref.stride, w + 2, h + 1, m, 0.5f, vr, 1);
        /* the warp is the point sampler applied at M [x y 1] */
        int ok = 1;
        for (int y = 0; y < h + 1; y++)
            for (int x = 0; x < w + 2; x++) {
                double inv = 1.0 / (m[6] * x + m[7] * y + m[8]);
                double xs = (m[0] * x + m[1] * y + m[2]) * inv, ys = (m[3] * x + m[4] * y + m[5]) * inv;
                ok &= ref.p[(size_t)y * ref.stride + x] == st_sample_bicubic(src.p, src.stride, w, h, xs, ys, 0.5f);
            }
        CHECK_MSG(ok, "warp vs sampler %dx%d", w, h);
        FOR_EACH_PATH(p)
        {
            st_simd_force(p);
            st_warp_perspective(src.p, src.stride, w, h, got.p, got.stride, w + 2, h + 1, m, 0.5f, vg, 3);
            CHECK_MSG(test_identical(ref.p, ref.stride, got.p, got.stride, w + 2, h + 1), "warp %s %dx%d",
                      st_simd_name(p), w, h);
            CHECK(!memcmp(vr, vg, (size_t)(w + 2) * (h + 1)));
        }
        free(vr);
        free(vg);
        test_plane_free(&src);
        test_plane_free(&ref);
        test_plane_free(&got);
    }
    /* a larger warp with most pixels in the vector interior, 1..4 threads */
    FOR_EACH_PATH(p)
    {
        st_simd_force(p);
        const int w = 150, h = 120;
        test_plane src = test_plane_new(w, h, 2, 0, 3), one = test_plane_new(w, h, 0, 0, 0),
                   many = test_plane_new(w, h, 0, 0, 0), sc = test_plane_new(w, h, 0, 0, 0);
        st_warp_perspective(src.p, src.stride, w, h, one.p, one.stride, w, h, m, 0.0f, NULL, 1);
        for (int t = 2; t <= 4; t++) {
            st_warp_perspective(src.p, src.stride, w, h, many.p, many.stride, w, h, m, 0.0f, NULL, t);
            CHECK(test_identical(one.p, one.stride, many.p, many.stride, w, h));
        }
        st_simd_force(ST_SIMD_SCALAR);
        st_warp_perspective(src.p, src.stride, w, h, sc.p, sc.stride, w, h, m, 0.0f, NULL, 1);
        CHECK_MSG(test_identical(one.p, one.stride, sc.p, sc.stride, w, h), "warp 150x120 %s", st_simd_name(p));
        test_plane *all[] = {&src, &one, &many, &sc};
        for (int i = 0; i < 4; i++)
            test_plane_free(all[i]);
    }
}

/* st_warp_perspective_planes: each of three planes equals its own
 * single-plane warp (scalar), on every path, with edge and interior pixels;
 * the valid mask too. */
static void planes_as_singles(void)
{
    const double m[9] = {0.97, -0.06, 3.2, 0.05, 1.02, -2.4, 0.0004, -0.0006, 1.0};
    const int w = 61, h = 37, dw = 64, dh = 35;
    test_plane src[3], one[3], got[3];
    for (int c = 0; c < 3; c++) {
        src[c] = test_plane_new(w, h, 3, c, 200u + (uint32_t)c);
        one[c] = test_plane_new(dw, dh, 1, 0, 0);
        got[c] = test_plane_new(dw, dh, 1, 2 * c + 1, 0);
    }
    unsigned char v1[64 * 35], vg[64 * 35];
    st_simd_force(ST_SIMD_SCALAR);
    for (int c = 0; c < 3; c++)
        st_warp_perspective(src[c].p, src[c].stride, w, h, one[c].p, one[c].stride, dw, dh, m,
                            -2.0f, c == 0 ? v1 : NULL, 1);
    const float *sp[3] = {src[0].p, src[1].p, src[2].p};
    float *gp[3] = {got[0].p, got[1].p, got[2].p};
    FOR_EACH_PATH(p)
    {
        st_simd_force(p);
        memset(vg, 7, sizeof vg);
        CHECK_EQ_INT(st_warp_perspective_planes(sp, 3, src[0].stride, w, h, gp, got[0].stride, dw,
                                                dh, m, -2.0f, vg, 2),
                     0);
        for (int c = 0; c < 3; c++)
            CHECK_MSG(test_identical(one[c].p, one[c].stride, got[c].p, got[c].stride, dw, dh),
                      "planes %s, plane %d", st_simd_name(p), c);
        CHECK(!memcmp(v1, vg, sizeof vg));
    }
    CHECK_EQ_INT(st_warp_perspective_planes(sp, 0, src[0].stride, w, h, gp, got[0].stride, dw, dh,
                                            m, 0.0f, NULL, 1),
                 ST_EINVAL);
    for (int c = 0; c < 3; c++) {
        test_plane_free(&src[c]);
        test_plane_free(&one[c]);
        test_plane_free(&got[c]);
    }
}

int main(void)
{
    CHECK(simd_env_respected());
    FOR_EACH_PATH(p)
    {
        st_simd_force(p);
        sampling();
        integer_shift();
    }
    paths_and_threads();
    planes_as_singles();
    return test_summary();
}
