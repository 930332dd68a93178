/* Rotation-invariant uniform local binary patterns LBP^riu2_{8,1}
 * (Ojala, Pietikäinen & Mäenpää 2002, IEEE TPAMI 24(7) 971–987, eq. 10):
 * 8 neighbours on a circle of radius 1, the diagonal ones bilinearly
 * interpolated (§2.1); s(g_p − g_c) = 1 when g_p ≥ g_c; a pattern with at
 * most two 0/1 transitions (circularly) gets the number of its 1 bits
 * (0..8), every other pattern the label 9, so the histogram has 10 bins. */
#ifndef ST_METRICS_LBP_H
#define ST_METRICS_LBP_H

#include <stddef.h>
#include <stdint.h>

#define ST_LBP_BINS 10
#define ST_LBP_NONE 255

/* Labels of row y (1 ≤ y ≤ h − 2): codes[x] for 1 ≤ x ≤ w − 2 when the whole
 * 3x3 neighbourhood is inside the mask (mask NULL: all), ST_LBP_NONE
 * elsewhere (including x = 0 and x = w − 1). */
void st_lbp_row(const float *img, size_t stride, int w, int y, const unsigned char *mask,
                size_t mstride, unsigned char *codes);

/* Histogram of a whole image (adds to hist). */
void st_lbp_histogram(const float *img, size_t stride, int w, int h, const unsigned char *mask,
                      size_t mstride, uint64_t hist[ST_LBP_BINS]);

/* Shannon entropy of the histogram in bits, −Σ p·log2 p; NaN when empty. */
double st_lbp_entropy(const uint64_t hist[ST_LBP_BINS]);

#endif
