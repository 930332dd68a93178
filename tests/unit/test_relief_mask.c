/* st_relief_mask: the measured patch without the discs of its pores (radius
 * ST_RELIEF_PORE_REACH x the pore's diameter), counted pixel by pixel
 * against the disc's lattice count; the patch's own holes stay holes; pores
 * off the plane change nothing. */
#include <stdlib.h>
#include <string.h>

#include "metrics/relief_mask.h"
#include "test_util.h"

/* Lattice points within radius r of (cx, cy) inside a w x h plane. */
static size_t disc_count(double cx, double cy, double r, int w, int h)
{
    size_t n = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            n += (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
    return n;
}

static size_t zeros(const unsigned char *m, size_t n)
{
    size_t z = 0;
    for (size_t i = 0; i < n; i++)
        z += !m[i];
    return z;
}

int main(void)
{
    const int w = 64, h = 48;
    const double pmm = 0.05;
    st_err err = {0};
    /* pores 0.3 mm (6 px: a disc of radius 6 px) at (20.5, 20), one over the
     * right edge, one far off the plane */
    st_pore p[3] = {{20.5, 20.0, 0.3, 0, 0}, {63.0, 10.0, 0.2, 0, 0}, {500.0, -90.0, 0.3, 0, 0}};
    unsigned char *m = NULL;
    CHECK_EQ_INT(st_relief_mask(NULL, w, h, pmm, p, 3, &m, &err), ST_OK);
    double r0 = ST_RELIEF_PORE_REACH * 0.3 / pmm, r1 = ST_RELIEF_PORE_REACH * 0.2 / pmm;
    size_t want = disc_count(20.5, 20.0, r0, w, h) + disc_count(63.0, 10.0, r1, w, h);
    CHECK(m && zeros(m, (size_t)w * h) == want);
    CHECK(m && !m[20 * w + 20] && !m[20 * w + 26] && m[20 * w + 27] && !m[10 * w + 63] && m[0]);
    free(m);
    /* the patch's own holes: a band of rows 0-4 left out before */
    unsigned char *roi = malloc((size_t)w * h);
    memset(roi, 1, (size_t)w * h);
    memset(roi, 0, (size_t)5 * w);
    CHECK_EQ_INT(st_relief_mask(roi, w, h, pmm, p, 1, &m, &err), ST_OK);
    CHECK(m && zeros(m, (size_t)w * h) == (size_t)5 * w + disc_count(20.5, 20.0, r0, w, h));
    CHECK(roi[6 * w] == 1 && roi[20 * w + 20] == 1); /* the input is not touched */
    free(m);
    /* uncalibrated: d_mm is in pixels */
    st_pore q = {10.0, 10.0, 4.0, 0, 0};
    CHECK_EQ_INT(st_relief_mask(roi, w, h, 0.0, &q, 1, &m, &err), ST_OK);
    CHECK(m && zeros(m, (size_t)w * h) == (size_t)5 * w + disc_count(10.0, 10.0, ST_RELIEF_PORE_REACH * 4.0, w, h));
    free(m);
    free(roi);
    CHECK_EQ_INT(st_relief_mask(NULL, 0, h, pmm, p, 1, &m, &err), ST_EINVAL);
    CHECK(m == NULL);
    return test_summary();
}
