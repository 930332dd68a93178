/* Colour kernels: known answers of the scalar reference (IEC 61966-2-1,
 * CIE L*a*b* against published values) and every SIMD path bit-identical
 * to it at awkward lengths and unaligned starts. */
#include "simd_check.h"
#include "test_util.h"

static double srgb_exact(double v)
{
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static void known_answers(void)
{
    float in[5] = {0.0f, 0.5f, 1.0f, 0.04045f, 0.2f}, out[5];
    st_srgb_to_linear(in, out, 5);
    CHECK_NEAR(out[0], 0.0, 0.0);
    CHECK_NEAR(out[1], 0.21404, 5e-6);  /* IEC 61966-2-1 */
    CHECK_NEAR(out[2], 1.0, 5e-7);
    CHECK_NEAR(out[3], 0.0031308, 1e-7);
    CHECK_NEAR(out[4], 0.0331048, 1e-6);
    /* the whole range against double precision: max error 3.9e-7 */
    enum { N = 100001 };
    static float v[N], lin[N];
    for (int i = 0; i < N; i++)
        v[i] = (float)i / (N - 1);
    st_srgb_to_linear(v, lin, N);
    double worst = 0;
    for (int i = 0; i < N; i++)
        worst = fmax(worst, fabs(lin[i] - srgb_exact(v[i])));
    CHECK_MSG(worst <= 5e-7, "sRGB decode max error %g", worst);

    /* luminance keeps gray values exactly */
    float g[3] = {0.0f, 0.37f, 1.0f}, y[3];
    st_luminance(g, g, g, y, 3);
    for (int i = 0; i < 3; i++)
        CHECK(y[i] == g[i]);
    float r1 = 1, z = 0, y1;
    st_luminance(&r1, &z, &z, &y1, 1);
    CHECK_NEAR(y1, 0.2126, 1e-7);

    /* L*a*b* (D65): white, mid gray and the primaries, published values
     * (Lindbloom's calculator, sRGB, D65): within 0.05 */
    const float rgb[5][3] = {{1, 1, 1}, {0.5f, 0.5f, 0.5f}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    const double lab[5][3] = {{100, 0, 0},
                              {53.3890, 0, 0},
                              {53.2408, 80.0925, 67.2032},
                              {87.7347, -86.1827, 83.1793},
                              {32.2970, 79.1875, -107.8602}};
    for (int i = 0; i < 5; i++) {
        float L, a, b;
        st_srgb_to_lab(&rgb[i][0], &rgb[i][1], &rgb[i][2], &L, &a, &b, 1);
        CHECK_NEAR(L, lab[i][0], 0.05);
        CHECK_NEAR(a, lab[i][1], 0.05);
        CHECK_NEAR(b, lab[i][2], 0.05);
    }
    float L, a, b, one = 1.0f;
    st_srgb_to_lab(&one, &one, &one, &L, &a, &b, 1);
    CHECK_NEAR(L, 100.0, 1e-3);
    CHECK_NEAR(a, 0.0, 1e-3);
    CHECK_NEAR(b, 0.0, 1e-3);
}

/* every path equals the scalar reference, bit for bit */
static void paths_identical(void)
{
    const size_t lens[] = {0, 1, 3, 7, 8, 9, 33, 1001};
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        size_t n = lens[li];
        uint32_t seed = 7u + (uint32_t)n;
        float *in = malloc((n + 4) * 3 * sizeof(float));
        float *ref = malloc((n + 1) * 4 * sizeof(float)), *got = malloc((n + 1) * 4 * sizeof(float));
        /* unaligned starts; values slightly beyond [0, 1] and both branches */
        for (size_t i = 0; i < (n + 4) * 3; i++)
            in[i] = test_rand01(&seed) * 1.1f - 0.05f;
        const float *r = in + 1, *g = in + n + 5, *b = in + 2 * n + 7;
        st_simd_force(ST_SIMD_SCALAR);
        st_srgb_to_linear(r, ref, n);
        st_luminance(r, g, b, ref + n, n);
        FOR_EACH_PATH(p)
        {
            st_simd_force(p);
            st_srgb_to_linear(r, got, n);
            st_luminance(r, g, b, got + n, n);
            CHECK_MSG(!memcmp(ref, got, 2 * n * sizeof(float)), "path %s n %zu", st_simd_name(p), n);
        }
        st_simd_force(ST_SIMD_SCALAR);
        for (size_t i = 0; i < (n + 4) * 3; i++)
            in[i] = test_rand01(&seed);
        st_srgb_to_lab(r, g, b, ref, ref + n, ref + 2 * n, n);
        FOR_EACH_PATH(p)
        {
            st_simd_force(p);
            st_srgb_to_lab(r, g, b, got, got + n, got + 2 * n, n);
            CHECK_MSG(!memcmp(ref, got, 3 * n * sizeof(float)), "lab path %s n %zu", st_simd_name(p), n);
        }
        free(in);
        free(ref);
        free(got);
    }
    /* in place */
    float buf[13], cp[13], ref[13];
    uint32_t seed = 3;
    for (int i = 0; i < 13; i++)
        buf[i] = cp[i] = test_rand01(&seed);
    st_simd_force(ST_SIMD_SCALAR);
    st_srgb_to_linear(cp, ref, 13);
    FOR_EACH_PATH(p)
    {
        memcpy(buf, cp, sizeof buf);
        st_simd_force(p);
        st_srgb_to_linear(buf, buf, 13);
        CHECK(!memcmp(buf, ref, sizeof buf));
    }
}

/* Long runs take the non-temporal store branch (ST_STREAM_MIN_FLOATS). */
static void long_paths_identical(void)
{
    const size_t n = ((size_t)1 << 22) + 5;
    float *in = malloc((n + 1) * sizeof(float)), *ref = malloc((n + 1) * sizeof(float));
    float *got = malloc((n + 2) * sizeof(float));
    uint32_t seed = 99;
    for (size_t i = 0; i <= n; i++)
        in[i] = test_rand01(&seed);
    st_simd_force(ST_SIMD_SCALAR);
    st_srgb_to_linear(in + 1, ref, n);
    FOR_EACH_PATH(p)
    {
        st_simd_force(p);
        st_srgb_to_linear(in + 1, got + 1, n);
        CHECK_MSG(!memcmp(ref, got + 1, n * sizeof(float)), "long srgb %s", st_simd_name(p));
    }
    st_simd_force(ST_SIMD_SCALAR);
    st_luminance(in, in + 1, in, ref, n);
    FOR_EACH_PATH(p)
    {
        st_simd_force(p);
        st_luminance(in, in + 1, in, got + 1, n);
        CHECK_MSG(!memcmp(ref, got + 1, n * sizeof(float)), "long luminance %s", st_simd_name(p));
    }
    free(in);
    free(ref);
    free(got);
}

int main(void)
{
    printf("simd paths: scalar%s%s, active %s\n",
           st_simd_available() & 2 ? " sse2" : "", st_simd_available() & 4 ? " avx2" : "",
           st_simd_name(st_simd_active()));
    CHECK(simd_env_respected());
    FOR_EACH_PATH(p)
    {
        st_simd_force(p);
        known_answers();
    }
    paths_identical();
    long_paths_identical();
    return test_summary();
}
