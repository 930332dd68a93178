/* Grey level co-occurrence matrix texture (Haralick et al. 1973), exactly as
 * SPEC.md fixes it: 32 equal-width levels of luminance on [0, 1], level =
 * min(31, ⌊32·Y⌋); symmetric matrices; distance 1 (others selectable);
 * directions 0°, 45°, 90°, 135°; features per direction, then their mean
 * (the IBSI "2D, averaged" aggregation, IBSI reference manual §3.6).
 * Feature definitions follow the IBSI (§3.6.x): contrast Σ(i−j)²p,
 * dissimilarity Σ|i−j|p, homogeneity = inverse difference moment
 * Σp/(1+(i−j)²), angular second moment Σp², joint entropy −Σp·log2 p,
 * correlation Σ(i−μ)(j−μ)p/σ². */
#ifndef ST_METRICS_GLCM_H
#define ST_METRICS_GLCM_H

#include <stddef.h>
#include <stdint.h>

#define ST_GLCM_LEVELS 32
#define ST_GLCM_CELLS (ST_GLCM_LEVELS * ST_GLCM_LEVELS)
#define ST_GLCM_DIRS 4
#define ST_LEVEL_NONE 255 /* pixel outside the mask */

/* Unsymmetrised pair counts, [direction][first * 32 + second]. */
typedef uint32_t st_glcm_counts[ST_GLCM_DIRS][ST_GLCM_CELLS];

enum { ST_GLCM_CONTRAST, ST_GLCM_DISSIMILARITY, ST_GLCM_HOMOGENEITY, ST_GLCM_ASM,
       ST_GLCM_ENTROPY, ST_GLCM_CORRELATION, ST_GLCM_NFEAT };

/* Levels of one row (mask row may be NULL; NaN is treated as outside). */
void st_glcm_quantize_row(const float *y, const unsigned char *mask, int w, unsigned char *lev);

/* Offsets of the second pixel for distance d: 0° (d, 0), 45° (d, −d),
 * 90° (0, −d), 135° (−d, −d), with y down (IBSI and scikit-image). */
void st_glcm_offsets(int d, int dx[ST_GLCM_DIRS], int dy[ST_GLCM_DIRS]);

/* Adds the pairs of a level image (both pixels inside the image and not
 * ST_LEVEL_NONE) to c. */
void st_glcm_count(const unsigned char *lev, size_t lstride, int w, int h, int d,
                   st_glcm_counts c);

/* Smallest and largest level that occurs in one direction's counts (as
 * first or second pixel); returns 0, or -1 (lo > hi) when there are none. */
int st_glcm_level_range(const uint32_t counts[ST_GLCM_CELLS], int *lo, int *hi);

/* Features of one direction's counts. Returns -1 if there are no pairs,
 * else 1 if correlation is defined (σ > 0) and 0 if not (feat[CORRELATION]
 * is then NaN). */
int st_glcm_direction_features(const uint32_t counts[ST_GLCM_CELLS], double feat[ST_GLCM_NFEAT]);

/* The mean over the directions that have pairs (correlation: over those
 * where it is defined; NaN if none). Returns the number of directions
 * used (0: no pairs at all, every feature NaN). */
int st_glcm_features(const st_glcm_counts c, double feat[ST_GLCM_NFEAT]);

#endif
