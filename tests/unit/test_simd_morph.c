/* Grey-level morphology rows (st_rows_max, st_rows_min): known answers of
 * the reference, and every SIMD path bit-identical to it at awkward
 * lengths and unaligned starts, signed zeros and ties included. */
#include "simd_check.h"
#include "test_util.h"

static void known_answers(void)
{
    float acc[5] = {1, -2, 3, 0.0f, -0.0f}, s[5] = {0, -1, 3, -0.0f, 0.0f};
    st_simd_force(ST_SIMD_SCALAR);
    st_rows_max(acc, s, 5);
    CHECK(acc[0] == 1 && acc[1] == -1 && acc[2] == 3);
    /* ties give the second operand, as the max instruction does */
    CHECK(signbit(acc[3]) && !signbit(acc[4]));
    float a2[3] = {1, -2, 5}, s2[3] = {0, -1, 7};
    st_rows_min(a2, s2, 3);
    CHECK(a2[0] == 0 && a2[1] == -2 && a2[2] == 5);
}

static void paths_identical(void)
{
    static const int lengths[] = {1, 3, 7, 8, 9, 31, 64, 129};
    uint32_t seed = 7;
    for (size_t li = 0; li < sizeof lengths / sizeof *lengths; li++)
        for (int shift = 0; shift < 3; shift++) {
            int n = lengths[li];
            float *s = malloc((size_t)(n + 8) * sizeof *s),
                  *ref = malloc((size_t)(n + 8) * sizeof *ref),
                  *got = malloc((size_t)(n + 8) * sizeof *got);
            for (int i = 0; i < n + 8; i++) {
                /* coarse values: many ties, and zeros of both signs */
                s[i] = (float)((int)(test_rand01(&seed) * 5) - 2) *
                       (test_rand01(&seed) < 0.5f ? 1.0f : -1.0f);
                ref[i] = (float)((int)(test_rand01(&seed) * 5) - 2) *
                         (test_rand01(&seed) < 0.5f ? 1.0f : -1.0f);
            }
            for (int op = 0; op < 2; op++) {
                float want[200];
                memcpy(want, ref + shift, (size_t)n * sizeof *want);
                st_simd_force(ST_SIMD_SCALAR);
                (op ? st_rows_min : st_rows_max)(want, s + shift, (size_t)n);
                for (int p = ST_SIMD_SSE2; p <= ST_SIMD_AVX2; p++) {
                    if (st_simd_force((st_simd_path)p) < 0)
                        continue;
                    memcpy(got + shift, ref + shift, (size_t)n * sizeof *got);
                    (op ? st_rows_min : st_rows_max)(got + shift, s + shift, (size_t)n);
                    CHECK_MSG(memcmp(got + shift, want, (size_t)n * sizeof *want) == 0,
                              "%s, %s, n %d, shift %d", op ? "min" : "max",
                              st_simd_name((st_simd_path)p), n, shift);
                }
            }
            free(s);
            free(ref);
            free(got);
        }
    st_simd_force(ST_SIMD_SCALAR);
}

int main(void)
{
    known_answers();
    paths_identical();
    return test_summary();
}
