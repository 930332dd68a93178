/* A minimal test harness: checks count, failures print where and why, and the
 * program ends with "N passed, N failed" and a non-zero status on failure. */
#ifndef ST_TEST_UTIL_H
#define ST_TEST_UTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int st_test_passed, st_test_failed;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (cond)                                                                      \
            st_test_passed++;                                                          \
        else {                                                                         \
            st_test_failed++;                                                          \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
        }                                                                              \
    } while (0)

#define CHECK_MSG(cond, ...)                                                           \
    do {                                                                               \
        if (cond)                                                                      \
            st_test_passed++;                                                          \
        else {                                                                         \
            st_test_failed++;                                                          \
            fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond);   \
            fprintf(stderr, __VA_ARGS__);                                              \
            fputc('\n', stderr);                                                       \
        }                                                                              \
    } while (0)

/* |a - b| <= tol */
#define CHECK_NEAR(a, b, tol)                                                          \
    do {                                                                               \
        double st_a_ = (double)(a), st_b_ = (double)(b), st_t_ = (double)(tol);       \
        if (fabs(st_a_ - st_b_) <= st_t_)                                              \
            st_test_passed++;                                                          \
        else {                                                                         \
            st_test_failed++;                                                          \
            fprintf(stderr, "%s:%d: CHECK_NEAR failed: %s = %.10g, %s = %.10g, tol %.3g\n", \
                    __FILE__, __LINE__, #a, st_a_, #b, st_b_, st_t_);                  \
        }                                                                              \
    } while (0)

/* relative: |a - b| <= rel * |b| */
#define CHECK_REL(a, b, rel) CHECK_NEAR(a, b, fabs((double)(b)) * (rel))

#define CHECK_EQ_INT(a, b)                                                             \
    do {                                                                               \
        long long st_a_ = (long long)(a), st_b_ = (long long)(b);                      \
        if (st_a_ == st_b_)                                                            \
            st_test_passed++;                                                          \
        else {                                                                         \
            st_test_failed++;                                                          \
            fprintf(stderr, "%s:%d: CHECK_EQ failed: %s = %lld, %s = %lld\n", __FILE__, \
                    __LINE__, #a, st_a_, #b, st_b_);                                   \
        }                                                                              \
    } while (0)

static inline int test_summary(void)
{
    printf("%d passed, %d failed\n", st_test_passed, st_test_failed);
    return st_test_failed ? 1 : 0;
}

/* A whole file, NUL-terminated, *n its size; NULL when unreadable. */
static inline char *test_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = len >= 0 ? malloc((size_t)len + 1) : NULL;
    *n = buf ? fread(buf, 1, (size_t)len, f) : 0;
    if (buf)
        buf[*n] = 0;
    fclose(f);
    return buf;
}

/* A scratch folder for this test program under the build tree. */
static inline const char *test_tmpdir(const char *name)
{
    static char dir[1024];
    const char *base = getenv("ST_TEST_TMP");
    if (!base)
        base = "/tmp";
    mkdir(base, 0755);
    snprintf(dir, sizeof dir, "%s/%s", base, name);
    mkdir(dir, 0755);
    return dir;
}

#endif
