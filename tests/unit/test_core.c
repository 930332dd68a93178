/* core: image allocation, checked sizes, atomic files, row bands, FFT basics. */
#include "test_util.h"

#include <stdint.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/parallel.h"
#include "fft/fft.h"
#include "metrics/metric_set.h"

static void test_image_layout(void)
{
    st_image *img = NULL;
    st_err err;
    CHECK_EQ_INT(st_image_new(33, 17, 3, &img, &err), ST_OK);
    CHECK_EQ_INT(img->stride, 40);
    CHECK(((uintptr_t)img->data % 32) == 0);
    CHECK(((uintptr_t)st_image_row(img, 2, 5) % 32) == 0);
    CHECK(st_image_row(img, 1, 0) == img->data + 40 * 17);
    st_image_free(img);
    CHECK_EQ_INT(st_image_new(0, 5, 1, &img, &err), ST_EINVAL);
    CHECK(img == NULL);
    CHECK(strstr(err.msg, "0x5") != NULL);
    CHECK_EQ_INT(st_image_new(10, 10, 2, &img, &err), ST_EINVAL);
    size_t out;
    CHECK(st_mul_size((size_t)1 << 40, (size_t)1 << 40, &out) == 1);
}

static void band_sum(void *ctx, int begin, int end)
{
    int *rows = ctx;
    for (int i = begin; i < end; i++)
        rows[i] += i;
}

static void test_parallel(void)
{
    int rows[1000] = {0};
    CHECK_EQ_INT(st_parallel_for(3, 1000, 10, band_sum, rows), 0);
    int ok = 1;
    for (int i = 0; i < 1000; i++)
        ok &= rows[i] == i;
    CHECK(ok);
}

static void test_atomic_file(void)
{
    const char *dir = test_tmpdir("core");
    char path[1200];
    snprintf(path, sizeof path, "%s/a.txt", dir);
    st_err err;
    CHECK_EQ_INT(st_atomic_write(path, "one", 3, &err), ST_OK);
    st_afile af;
    CHECK_EQ_INT(st_afile_open(&af, path, &err), ST_OK);
    fputs("half", af.fp);
    st_afile_abort(&af); /* a crash mid-write: the old content stays */
    FILE *f = fopen(path, "rb");
    char buf[8] = {0};
    CHECK(f && fread(buf, 1, 7, f) == 3 && !strcmp(buf, "one"));
    if (f)
        fclose(f);
    CHECK(access(af.tmp, F_OK) != 0);
    CHECK_EQ_INT(st_atomic_write("/nonexistent-dir/x", "1", 1, &err), ST_EIO);
    CHECK(strstr(err.msg, "/nonexistent-dir/x") != NULL);
}

static void test_fft_impulse_and_roundtrip(void)
{
    st_fft *fft;
    st_err err;
    CHECK_EQ_INT(st_fft_new(1, &fft, &err), ST_OK);
    st_fft_set_wisdom(fft, "off", 0);
    const int w = 12, h = 10;
    float *in = st_fft_alloc_real((size_t)w * h);
    float *back = st_fft_alloc_real((size_t)w * h);
    st_complex *spec = st_fft_alloc_complex((size_t)(w / 2 + 1) * h);
    memset(in, 0, sizeof(float) * w * h);
    in[0] = 1.0f; /* the FFT of a delta is flat: every bin is 1 + 0i */
    CHECK_EQ_INT(st_fft_r2c(fft, w, h, in, spec, &err), ST_OK);
    double maxdev = 0;
    for (int i = 0; i < (w / 2 + 1) * h; i++)
        maxdev = fmax(maxdev, fabs(spec[i][0] - 1.0) + fabs(spec[i][1]));
    CHECK_NEAR(maxdev, 0.0, 1e-6);
    for (int i = 0; i < w * h; i++)
        in[i] = (float)((i * 7919) % 101) / 101.0f;
    float first = in[5];
    CHECK_EQ_INT(st_fft_r2c(fft, w, h, in, spec, &err), ST_OK);
    CHECK_EQ_INT(st_fft_c2r(fft, w, h, spec, back, &err), ST_OK);
    CHECK_NEAR(back[5] / (w * h), first, 1e-5);
    CHECK_EQ_INT(st_fft_good_size(97), 98);
    CHECK_EQ_INT(st_fft_good_size(121), 125);
    st_fft_free_buf(in);
    st_fft_free_buf(back);
    st_fft_free_buf(spec);
    st_fft_free(fft);
}

static void test_metric_set(void)
{
    st_metric_set set = {0};
    st_err err;
    CHECK_EQ_INT(st_metric_set_put(&set, "roughness.sq", 1.5, "rel", &err), ST_OK);
    CHECK_EQ_INT(st_metric_set_put(&set, "pores.count", 3, "", &err), ST_OK);
    CHECK_EQ_INT(st_metric_set_put(&set, "roughness.sq", 2.5, "um", &err), ST_OK);
    CHECK_EQ_INT(set.count, 2);
    CHECK_EQ_INT(st_metric_set_put(&set, "bad", NAN, "", &err), ST_EINTERNAL);
    st_metric_set_sort(&set);
    CHECK(!strcmp(set.items[0].name, "pores.count"));
    CHECK_NEAR(st_metric_set_find(&set, "roughness.sq")->value, 2.5, 0);
    st_metric_set_clear(&set);
}

int main(void)
{
    test_image_layout();
    test_parallel();
    test_atomic_file();
    test_fft_impulse_and_roundtrip();
    test_metric_set();
    return test_summary();
}
