/* st_det_robust_sigma (1.4826 x MAD of up to ~65536 evenly spaced finite
 * samples) against a reference made by sorting, exactly: the radix
 * selection it uses for many samples must find the same order statistics
 * as a sort, with negative values, zeros of both signs, duplicates,
 * non-finite values (skipped) and sizes around the sampling step. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/detect_internal.h"
#include "test_util.h"

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* The definition, by sorting the same samples. */
static double reference(const float *v, size_t n)
{
    size_t step = n > 65536 ? n / 65536 + 1 : 1, m = 0;
    float *s = malloc((n / step + 1) * sizeof *s);
    for (size_t i = 0; i < n; i += step)
        if (isfinite(v[i]))
            s[m++] = v[i];
    if (!m) {
        free(s);
        return 0.0;
    }
    qsort(s, m, sizeof *s, cmp_float);
    float med = s[m / 2];
    for (size_t i = 0; i < m; i++)
        s[i] = fabsf(s[i] - med);
    qsort(s, m, sizeof *s, cmp_float);
    double mad = s[m / 2];
    free(s);
    return 1.4826 * mad;
}

static unsigned lcg(unsigned *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

int main(void)
{
    static const size_t sizes[] = {1, 2, 7, 1024, 1025, 4097, 65536, 65537, 200003};
    unsigned seed = 99;
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
        for (int kind = 0; kind < 4; kind++) {
            size_t n = sizes[si];
            float *v = malloc(n * sizeof *v);
            for (size_t i = 0; i < n; i++) {
                double u = (double)(lcg(&seed) % 1000000u) / 1e6;
                switch (kind) {
                case 0: /* symmetric, both signs */
                    v[i] = (float)(u - 0.5);
                    break;
                case 1: /* few distinct values: ties at the median */
                    v[i] = (float)((int)(u * 5.0) - 2);
                    break;
                case 2: /* heavy tail, zeros of both signs, a few non-finite */
                    v[i] = u < 0.1 ? -0.0f : (u < 0.2 ? 0.0f : (float)(1e-3 / (u - 0.6)));
                    if (i % 997 == 5)
                        v[i] = (i % 2) ? NAN : INFINITY;
                    break;
                default: /* one sign, wide range of exponents */
                    v[i] = (float)exp(40.0 * u - 20.0);
                    break;
                }
            }
            double got = st_det_robust_sigma(v, n), want = reference(v, n);
            CHECK_MSG(got == want, "n %zu kind %d: %.9g vs %.9g", n, kind, got, want);
            free(v);
        }
    return test_summary();
}
