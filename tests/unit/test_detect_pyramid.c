/* Pyramid helpers of detect_pyramid.c: the level a Gaussian runs on
 * (st_det_pyr_level_for) against the loops it replaces, and the walk down
 * (st_det_pyr_descend) against st_det_pyr_down. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "metrics/detect_internal.h"
#include "test_util.h"

/* The loop of pore_scales.c (sizes of the levels actually made). */
static int pore_loop(double sigma, int w, int h)
{
    int level = 0;
    while (sigma / (double)(1 << level) > 1.6 && w > 16 && h > 16) {
        w = (w + 1) / 2;
        h = (h + 1) / 2;
        level++;
    }
    return level;
}

static void test_level_for(void)
{
    CHECK_EQ_INT(st_det_pyr_level_for(1.0, 2.0, 4000, 3000, 32), 0);
    CHECK_EQ_INT(st_det_pyr_level_for(2.0, 2.0, 4000, 3000, 32), 0); /* not beyond */
    CHECK_EQ_INT(st_det_pyr_level_for(4.0, 2.0, 4000, 3000, 32), 1);
    CHECK_EQ_INT(st_det_pyr_level_for(16.0, 2.0, 4000, 3000, 32), 3);
    CHECK_EQ_INT(st_det_pyr_level_for(16.1, 2.0, 4000, 3000, 32), 4);
    /* 40 -> 20: stepping down from 20 px is not allowed */
    CHECK_EQ_INT(st_det_pyr_level_for(100.0, 2.0, 40, 400, 32), 1);
    CHECK_EQ_INT(st_det_pyr_level_for(100.0, 2.0, 20, 400, 32), 0);
    int bad = 0;
    for (int w = 9; w < 300; w += 7)
        for (double s = 0.7; s < 60; s *= 1.3)
            bad += st_det_pyr_level_for(s, 1.6, w, 2 * w + 1, 17) != pore_loop(s, w, 2 * w + 1);
    CHECK_EQ_INT(bad, 0);
}

static void test_descend(void)
{
    const int w = 101, h = 67;
    float *src = malloc((size_t)w * h * sizeof *src);
    for (int i = 0; i < w * h; i++)
        src[i] = (float)((i * 7919) % 1000) / 1000.0f;
    st_det_pyr_walk p = {src, NULL, w, h, 0};
    CHECK_EQ_INT(st_det_pyr_descend(&p, 0, 2), ST_OK);
    CHECK(p.lvl == src && p.own == NULL);
    CHECK_EQ_INT(st_det_pyr_descend(&p, 3, 2), ST_OK);
    int ow, oh;
    float *ref = st_det_pyr_down(src, w, h, 3, &ow, &oh, 1);
    CHECK(p.level == 3 && p.w == ow && p.h == oh && p.lvl == p.own);
    CHECK(ref && !memcmp(ref, p.lvl, (size_t)ow * oh * sizeof *ref));
    st_aligned_free(ref);
    st_aligned_free(p.own);
    free(src);
}

int main(void)
{
    test_level_for();
    test_descend();
    return test_summary();
}
