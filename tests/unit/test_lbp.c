/* Rotation-invariant uniform LBP(8,1) on hand-computed neighbourhoods. */
#include "metrics/lbp.h"
#include "test_util.h"

static int code3(const float img[9])
{
    unsigned char codes[3];
    st_lbp_row(img, 3, 3, 1, NULL, 0, codes);
    CHECK_EQ_INT(codes[0], ST_LBP_NONE);
    CHECK_EQ_INT(codes[2], ST_LBP_NONE);
    return codes[1];
}

static void test_codes(void)
{
    /* Centre above all neighbours: no bit set, label 0. */
    const float peak[9] = {0, 0, 0, 0, 1, 0, 0, 0, 0};
    CHECK_EQ_INT(code3(peak), 0);
    /* Centre below: the diagonals interpolate to 2a − a² = 0.914 > 0: label 8. */
    const float pit[9] = {1, 1, 1, 1, 0, 1, 1, 1, 1};
    CHECK_EQ_INT(code3(pit), 8);
    /* A flat patch: every g_p − g_c is exactly 0 (≥ 0): label 8. */
    const float flat[9] = {0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f};
    CHECK_EQ_INT(code3(flat), 8);
    /* Vertical edge, centre on the bright side: E, NE, N, S, SE set (NW, W, SW
     * interpolate below the centre): 11100011 circularly, 2 transitions,
     * label 5. The same edge turned by 90° gives the same label. */
    const float edge[9] = {0, 1, 1, 0, 1, 1, 0, 1, 1};
    const float edge90[9] = {0, 0, 0, 1, 1, 1, 1, 1, 1};
    CHECK_EQ_INT(code3(edge), 5);
    CHECK_EQ_INT(code3(edge90), 5);
    /* Alternating axis neighbours (E, W above; N, S below), diagonals equal to
     * the centre (interpolate to exactly the centre: set): 11011101, four
     * transitions, not uniform: label 9. */
    const float cross[9] = {0.5f, 0, 0.5f, 1, 0.5f, 1, 0.5f, 0, 0.5f};
    CHECK_EQ_INT(code3(cross), 9);
}

static void test_histogram(void)
{
    uint64_t h[ST_LBP_BINS] = {0};
    /* 4x3 image, a single bright pixel at (1, 1). Centres (1, 1) and (2, 1):
     * the first is a peak (label 0); the second has that pixel as its W
     * neighbour and zeros elsewhere, so every g_p − g_c >= 0 (label 8). */
    const float img[12] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    st_lbp_histogram(img, 4, 4, 3, NULL, 0, h);
    CHECK_EQ_INT(h[0], 1);
    CHECK_EQ_INT(h[8], 1);
    CHECK_NEAR(st_lbp_entropy(h), 1.0, 1e-12);
    uint64_t u[ST_LBP_BINS];
    for (int k = 0; k < ST_LBP_BINS; k++)
        u[k] = 7;
    CHECK_NEAR(st_lbp_entropy(u), log2(10.0), 1e-12);
    uint64_t z[ST_LBP_BINS] = {0};
    CHECK(isnan(st_lbp_entropy(z)));
    /* A mask that removes one pixel of the peak's neighbourhood drops it. */
    const unsigned char mask[12] = {1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1};
    uint64_t hm[ST_LBP_BINS] = {0};
    st_lbp_histogram(img, 4, 4, 3, mask, 4, hm);
    CHECK_EQ_INT(hm[0], 0);
    CHECK_EQ_INT(hm[8], 1);
}

int main(void)
{
    test_codes();
    test_histogram();
    return test_summary();
}
