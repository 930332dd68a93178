/* st_det_label8 (run-based 8-connected labelling) against a breadth-first
 * flood fill that numbers components in raster order of their first pixel:
 * random masks of several densities at awkward sizes, and shapes whose
 * runs join only diagonally or only through a later row (a U, a spiral);
 * hysteresis (components holding a pixel >= 2) and the area of components
 * of at least min_px pixels likewise. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/detect_internal.h"
#include "test_util.h"

/* Reference: flood fill from each unlabelled set pixel in raster order. */
static int flood_label(const unsigned char *bin, int w, int h, int32_t *lab)
{
    size_t n = (size_t)w * h;
    size_t *queue = malloc((n ? n : 1) * sizeof *queue);
    memset(lab, 0, n * sizeof *lab);
    int next = 0;
    for (size_t s = 0; s < n; s++) {
        if (!bin[s] || lab[s])
            continue;
        size_t head = 0, tail = 0;
        lab[s] = ++next;
        queue[tail++] = s;
        while (head < tail) {
            size_t i = queue[head++];
            int x = (int)(i % (size_t)w), y = (int)(i / (size_t)w);
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    int xx = x + dx, yy = y + dy;
                    if (xx < 0 || yy < 0 || xx >= w || yy >= h)
                        continue;
                    size_t j = (size_t)yy * w + xx;
                    if (bin[j] && !lab[j]) {
                        lab[j] = next;
                        queue[tail++] = j;
                    }
                }
        }
    }
    free(queue);
    return next;
}

static int same_labels(const unsigned char *bin, int w, int h)
{
    size_t n = (size_t)w * h;
    int32_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    st_err err = {0};
    int na = 0, nb = flood_label(bin, w, h, b);
    int ok = st_det_label8(bin, w, h, a, &na, &err) == ST_OK && na == nb &&
             memcmp(a, b, n * sizeof *a) == 0;
    free(a);
    free(b);
    return ok;
}

/* st_det_hysteresis8 and st_det_large_area8 against the flood labels. */
static int same_components(const unsigned char *bin, int w, int h, double min_px)
{
    size_t n = (size_t)w * h, want_area = 0, area = 0;
    int32_t *lab = malloc(n * sizeof *lab);
    int nl = flood_label(bin, w, h, lab);
    unsigned char *strong = calloc((size_t)nl + 1, 1), *mask = malloc(n ? n : 1);
    size_t *size = calloc((size_t)nl + 1, sizeof *size);
    for (size_t i = 0; i < n; i++) {
        strong[lab[i]] |= bin[i] >= 2;
        size[lab[i]]++;
    }
    for (int k = 1; k <= nl; k++)
        want_area += (double)size[k] >= min_px ? size[k] : 0;
    memcpy(mask, bin, n);
    st_err err = {0};
    int ok = st_det_hysteresis8(mask, w, h, &err) == ST_OK &&
             st_det_large_area8(bin, w, h, min_px, &area, &err) == ST_OK && area == want_area;
    for (size_t i = 0; i < n && ok; i++)
        ok = mask[i] == (lab[i] && strong[lab[i]]);
    free(lab);
    free(strong);
    free(mask);
    free(size);
    return ok;
}

static unsigned lcg(unsigned *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

int main(void)
{
    static const int sizes[][2] = {{1, 1}, {7, 3}, {3, 7}, {33, 17}, {64, 64}, {257, 95}};
    static const unsigned dens[] = {2, 10, 35, 50, 65, 90}; /* percent set */
    unsigned seed = 12345;
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (size_t d = 0; d < sizeof dens / sizeof *dens; d++) {
            int w = sizes[s][0], h = sizes[s][1];
            unsigned char *bin = malloc((size_t)w * h);
            for (size_t i = 0; i < (size_t)w * h; i++)
                bin[i] = (lcg(&seed) % 100u) < dens[d] ? (unsigned char)(1 + lcg(&seed) % 3u) : 0;
            CHECK_MSG(same_labels(bin, w, h), "%dx%d at %u %%", w, h, dens[d]);
            CHECK_MSG(same_components(bin, w, h, 4.0), "%dx%d at %u %%", w, h, dens[d]);
            free(bin);
        }
    /* A U (two arms met only at the bottom), diagonal chains, a spiral. */
    enum { W = 40, H = 30 };
    unsigned char u[W * H];
    memset(u, 0, sizeof u);
    for (int y = 2; y < 20; y++)
        u[y * W + 3] = u[y * W + 30] = 1;
    for (int x = 3; x <= 30; x++)
        u[20 * W + x] = 1;
    for (int k = 0; k < 8; k++) /* diagonal chain touching only by corners */
        u[(22 + k) * W + 5 + k] = u[(29 - k) * W + 20 + k] = 1;
    CHECK(same_labels(u, W, H));
    memset(u, 0, sizeof u);
    for (int r = 0; r < 7; r++) /* nested rectangles joined on one side */
        for (int x = 2 * r; x < W - 2 * r; x++)
            u[(2 * r) * W + x] = u[(H - 1 - 2 * r) * W + x] = 1;
    for (int y = 0; y < H; y++)
        u[y * W + W - 1] = 1;
    CHECK(same_labels(u, W, H));
    unsigned char all[W * H];
    memset(all, 1, sizeof all);
    int32_t lab[W * H];
    int nl = 0;
    st_err err = {0};
    CHECK(st_det_label8(all, W, H, lab, &nl, &err) == ST_OK && nl == 1 && lab[0] == 1 &&
          lab[W * H - 1] == 1);
    memset(all, 0, sizeof all);
    CHECK(st_det_label8(all, W, H, lab, &nl, &err) == ST_OK && nl == 0 && lab[W * H - 1] == 0);
    return test_summary();
}
