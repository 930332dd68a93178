#define _DEFAULT_SOURCE
/* The series' quality verdict (series/stages.c, stg_quality): the numbers of
 * metrics/quality.c (tested in test_quality.c) plus the judgement of a
 * session's focus against its baseline's. */
#include <math.h>

#include "series/stages.h"
#include "simd/kernels.h"
#include "test_util.h"

/* Skin-like texture: a sum of a few incommensurate waves, mid-grey. */
static st_image *textured(int w, int h)
{
    st_image *img = NULL;
    st_err err;
    CHECK_EQ_INT(st_image_new(w, h, 3, &img, &err), ST_OK);
    for (int c = 0; c < 3; c++)
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                st_image_row(img, c, y)[x] =
                    (float)(0.5 + 0.08 * sin(0.9 * x + 0.3 * y) + 0.06 * sin(1.7 * y - 0.4 * x) +
                            0.04 * sin(2.3 * x + 1.1 * y));
    return img;
}

static void blur(st_image *img, double sigma)
{
    for (int c = 0; c < 3; c++)
        st_gaussian_blur(st_image_row(img, c, 0), img->stride, st_image_row(img, c, 0), img->stride,
                         img->width, img->height, sigma, 1);
}

static void verdict(const st_image *img, double base_sharpness, st_quality_info *q, st_metric_set *m)
{
    st_err err;
    memset(q, 0, sizeof *q);
    memset(m, 0, sizeof *m);
    CHECK_EQ_INT(stg_quality(img, ST_MODALITY_PHOTO, base_sharpness, 2, q, m, &err), ST_OK);
}

static int has_message(const st_quality_info *q, const char *text)
{
    for (size_t i = 0; i < q->messages.count; i++)
        if (strstr(q->messages.items[i], text))
            return 1;
    return 0;
}

int main(void)
{
    st_quality_info q;
    st_metric_set m;
    st_image *sharp = textured(320, 240);
    verdict(sharp, 0.0, &q, &m);
    double base = q.sharpness;
    CHECK(!strcmp(q.status, "ok"));
    CHECK(base > 0);
    CHECK(st_metric_set_find(&m, "quality.sharpness") && st_metric_set_find(&m, "quality.exposure") &&
          st_metric_set_find(&m, "quality.clipped_pct"));
    CHECK_NEAR(st_metric_set_find(&m, "quality.sharpness")->value, base, 0);
    st_metric_set_clear(&m);
    st_strlist_free(&q.messages);

    /* The same photo again: as sharp as its baseline. */
    verdict(sharp, base, &q, &m);
    CHECK(!strcmp(q.status, "ok"));
    CHECK(!has_message(&q, "blurred"));
    st_metric_set_clear(&m);
    st_strlist_free(&q.messages);

    /* A strongly defocused re-shot: fails against the baseline, with the reason. */
    st_image *soft = textured(320, 240);
    blur(soft, 2.0);
    verdict(soft, base, &q, &m);
    CHECK(q.sharpness < 0.16 * base); /* below the fail ratio (0.4 of the RMS) */
    CHECK(!strcmp(q.status, "fail"));
    CHECK(has_message(&q, "blurred"));
    st_metric_set_clear(&m);
    st_strlist_free(&q.messages);

    /* Height maps get no photo checks: quality metrics are absent. */
    memset(&m, 0, sizeof m);
    st_err err;
    CHECK_EQ_INT(stg_quality(sharp, ST_MODALITY_HEIGHT, 0.0, 1, &q, &m, &err), ST_OK);
    CHECK_EQ_INT(m.count, 0);
    CHECK(isnan(q.sharpness));
    st_image_free(sharp);
    st_image_free(soft);
    return test_summary();
}
