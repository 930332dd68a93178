/* Gaussian blur, box filter, integral image: known answers of the reference
 * (impulse response = sampled normalised Gaussian, constants kept, box =
 * brute-force window mean, OpenCV's GaussianBlur within 1e-4), every SIMD
 * path against the scalar one at awkward sizes, odd strides and unaligned
 * starts, and identical bytes for every thread count and in place.
 * Tolerances: none; blur, box and integral image are bit-identical on every
 * path (the blur feeds every printed metric, which must not depend on it). */
#include "cv/cv_wrap.h"
#include "simd_check.h"
#include "test_util.h"

static void blur_impulse_and_constant(void)
{
    enum { W = 41, H = 37 };
    static float img[H * W], out[H * W];
    const double sigma = 2.0;
    memset(img, 0, sizeof img);
    img[18 * W + 20] = 1.0f;
    CHECK_EQ_INT(st_gaussian_blur(img, W, out, W, W, H, sigma, 1), 0);
    double sum = 0;
    for (int j = 0; j <= 6; j++)
        sum += (j ? 2 : 1) * exp(-0.5 * j * j / (sigma * sigma));
    double worst = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int dx = abs(x - 20), dy = abs(y - 18);
            double g = (dx <= 6 && dy <= 6)
                           ? exp(-0.5 * (dx * dx + dy * dy) / (sigma * sigma)) / (sum * sum)
                           : 0.0;
            worst = fmax(worst, fabs(out[y * W + x] - g));
        }
    CHECK_MSG(worst < 2e-8, "impulse response off by %g", worst);

    for (int i = 0; i < W * H; i++)
        img[i] = 0.625f;
    /* 30 and 3000: kernels far wider than the image (mirrored many times) */
    const double sigmas[] = {0.4, 2.0, 7.5, 30.0, 3000.0};
    for (int s = 0; s < 5; s++) {
        CHECK_EQ_INT(st_gaussian_blur(img, W, out, W, W, H, sigmas[s], 2), 0);
        double m = 0;
        for (int i = 0; i < W * H; i++)
            m = fmax(m, fabs(out[i] - 0.625));
        /* float sums over 2r+1 = 18001 taps drift a little more */
        CHECK_MSG(m < (sigmas[s] > 100 ? 2e-5 : 2e-6), "constant moved by %g at sigma %g", m, sigmas[s]);
    }
    CHECK_EQ_INT(st_gaussian_blur(img, W, out, W, W, H, 0.0, 1), 1);
    CHECK_EQ_INT(st_gaussian_blur(img, W, out, W, W, H, NAN, 1), 1);
}

static void blur_vs_opencv(void)
{
    test_plane a = test_plane_new(97, 61, 3, 0, 11);
    float *ours = calloc(a.stride * 61, sizeof(float)), *cv = calloc(a.stride * 61, sizeof(float));
    const double sigmas[] = {0.8, 2.0, 5.0, 12.0};
    for (int s = 0; s < 4; s++) {
        char err[256];
        CHECK_EQ_INT(stcv_gaussian_blur(a.p, cv, 97, 61, a.stride, sigmas[s], err, sizeof err), 0);
        FOR_EACH_PATH(p)
        {
            st_simd_force(p);
            st_gaussian_blur(a.p, a.stride, ours, a.stride, 97, 61, sigmas[s], 0);
            double d = test_maxdiff(ours, a.stride, cv, a.stride, 97, 61);
            CHECK_MSG(d <= 1e-4, "%s sigma %g: |ours - OpenCV| = %g", st_simd_name(p), sigmas[s], d);
        }
    }
    free(ours);
    free(cv);
    test_plane_free(&a);
}

static void blur_paths_threads(void)
{
    const double sigmas[] = {0.5, 1.3, 3.0};
    for (int si = 0; si < N_TEST_SIZES; si++)
        for (int k = 0; k < 3; k++) {
            int w = test_sizes[si][0], h = test_sizes[si][1];
            test_plane src = test_plane_new(w, h, 3, 1, 5u + (uint32_t)si);
            test_plane ref = test_plane_new(w, h, 0, 0, 0), got = test_plane_new(w, h, 5, 3, 0);
            st_simd_force(ST_SIMD_SCALAR);
            st_gaussian_blur(src.p, src.stride, ref.p, ref.stride, w, h, sigmas[k], 1);
            FOR_EACH_PATH(p)
            {
                st_simd_force(p);
                st_gaussian_blur(src.p, src.stride, got.p, got.stride, w, h, sigmas[k], 1);
                double d = test_maxdiff(ref.p, ref.stride, got.p, got.stride, w, h);
                CHECK_MSG(d == 0.0, "%s %dx%d sigma %g: %g", st_simd_name(p), w, h, sigmas[k], d);
            }
            test_plane_free(&src);
            test_plane_free(&ref);
            test_plane_free(&got);
        }
    /* thread counts and in place: same bytes */
    FOR_EACH_PATH(p)
    {
        st_simd_force(p);
        const int w = 203, h = 301;
        test_plane src = test_plane_new(w, h, 1, 0, 9);
        test_plane one = test_plane_new(w, h, 0, 0, 0), many = test_plane_new(w, h, 0, 0, 0);
        st_gaussian_blur(src.p, src.stride, one.p, one.stride, w, h, 2.5, 1);
        for (int t = 2; t <= 5; t++) {
            st_gaussian_blur(src.p, src.stride, many.p, many.stride, w, h, 2.5, t);
            CHECK_MSG(test_identical(one.p, one.stride, many.p, many.stride, w, h), "%d threads", t);
        }
        st_gaussian_blur(src.p, src.stride, src.p, src.stride, w, h, 2.5, 3);
        CHECK(test_identical(one.p, one.stride, src.p, src.stride, w, h));
        test_plane_free(&src);
        test_plane_free(&one);
        test_plane_free(&many);
    }
}

/* brute-force mean over the mirrored (2r+1)^2 window, in double */
static double box_at(const test_plane *s, int x, int y, int r)
{
    double sum = 0;
    for (int j = -r; j <= r; j++)
        for (int i = -r; i <= r; i++) {
            int yy = y + j, xx = x + i;
            while (yy < 0 || yy >= s->h)
                yy = yy < 0 ? -yy - 1 : 2 * s->h - yy - 1;
            while (xx < 0 || xx >= s->w)
                xx = xx < 0 ? -xx - 1 : 2 * s->w - xx - 1;
            sum += s->p[(size_t)yy * s->stride + xx];
        }
    return sum / ((2.0 * r + 1) * (2.0 * r + 1));
}

static void box_and_integral(void)
{
    const int radii[] = {0, 1, 3, 20};
    for (int si = 0; si < N_TEST_SIZES; si++)
        for (int k = 0; k < 4; k++) {
            int w = test_sizes[si][0], h = test_sizes[si][1], r = radii[k];
            test_plane src = test_plane_new(w, h, 3, 1, 21u + (uint32_t)si);
            test_plane ref = test_plane_new(w, h, 0, 0, 0), got = test_plane_new(w, h, 2, 5, 0);
            st_simd_force(ST_SIMD_SCALAR);
            CHECK_EQ_INT(st_box_filter(src.p, src.stride, ref.p, ref.stride, w, h, r, 1), 0);
            if (r < 20 || w * h < 600) {
                double worst = 0;
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        worst = fmax(worst, fabs(ref.p[(size_t)y * ref.stride + x] - box_at(&src, x, y, r)));
                CHECK_MSG(worst < 1e-6, "box %dx%d r %d: %g", w, h, r, worst);
            }
            FOR_EACH_PATH(p)
            {
                st_simd_force(p);
                st_box_filter(src.p, src.stride, got.p, got.stride, w, h, r, 3);
                CHECK_MSG(test_identical(ref.p, ref.stride, got.p, got.stride, w, h), "box %s %dx%d r %d",
                          st_simd_name(p), w, h, r);
            }
            if (k == 0) {
                /* integral image: every path bit-identical to the scalar one on
                 * random data, and equal to brute-force sums of small integers */
                size_t isz = (size_t)(w + 1) * (h + 1);
                double *ii = malloc(isz * sizeof *ii), *iref = malloc(isz * sizeof *ii);
                st_simd_force(ST_SIMD_SCALAR);
                CHECK_EQ_INT(st_integral_image(src.p, src.stride, iref, w, h), 0);
                FOR_EACH_PATH(p)
                {
                    st_simd_force(p);
                    st_integral_image(src.p, src.stride, ii, w, h);
                    CHECK_MSG(!memcmp(ii, iref, isz * sizeof *ii), "integral %s %dx%d", st_simd_name(p), w, h);
                }
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        src.p[(size_t)y * src.stride + x] = (float)((x * 7 + y * 3) % 11);
                FOR_EACH_PATH(p)
                {
                    st_simd_force(p);
                    CHECK_EQ_INT(st_integral_image(src.p, src.stride, ii, w, h), 0);
                    int ok = 1;
                    for (int y = 0; y <= h; y++)
                        for (int x = 0; x <= w; x++) {
                            double t = 0;
                            for (int j = 0; j < y; j++)
                                for (int i = 0; i < x; i++)
                                    t += src.p[(size_t)j * src.stride + i];
                            ok &= ii[(size_t)y * (w + 1) + x] == t;
                        }
                    CHECK_MSG(ok, "integral %s %dx%d vs brute force", st_simd_name(p), w, h);
                }
                free(iref);
                free(ii);
            }
            test_plane_free(&src);
            test_plane_free(&ref);
            test_plane_free(&got);
        }
    /* in place and thread counts (blocks of 32 rows) */
    test_plane src = test_plane_new(90, 200, 0, 0, 4), one = test_plane_new(90, 200, 0, 0, 0);
    st_box_filter(src.p, src.stride, one.p, one.stride, 90, 200, 4, 1);
    st_box_filter(src.p, src.stride, src.p, src.stride, 90, 200, 4, 4);
    CHECK(test_identical(one.p, one.stride, src.p, src.stride, 90, 200));
    test_plane_free(&src);
    test_plane_free(&one);
}

int main(void)
{
    CHECK(simd_env_respected());
    stcv_set_threads(1);
    FOR_EACH_PATH(p)
    {
        st_simd_force(p);
        blur_impulse_and_constant();
    }
    blur_vs_opencv();
    blur_paths_threads();
    box_and_integral();
    return test_summary();
}
