/* A pore's diameter by SPEC.md's definition: the diameter of the circle
 * with the area of its half-contrast region, the connected pixels darker
 * than halfway between the pore's darkest level and its surrounding ring
 * (on a height map's pit map: deeper than half the pit's depth). */
#ifndef ST_METRICS_PORE_AREA_H
#define ST_METRICS_PORE_AREA_H

/* Scratch for st_pore_half_area: marks and a stack for a square window of
 * side 2 * r_max + 3 px. */
typedef struct st_pore_area_buf {
    unsigned char *mark;
    int *stack;
    int side;
} st_pore_area_buf;

/* Allocates a buffer for pores up to r_max px; 0 on success. */
int st_pore_area_buf_init(st_pore_area_buf *b, int r_max);
void st_pore_area_buf_free(st_pore_area_buf *b);

/* The pore's darkest level: a paraboloid fitted by least squares to the
 * pixels of `value` within r_fit px of (cx, cy) (r_fit >= 1.5: the 3 x 3
 * pixels at least), taken at its vertex (within half a pixel of the
 * centre; else at the centre). A fit, rather than the darkest pixel
 * (pulled down by noise) or a smoothed surface (whose blur lifts a small,
 * peaked pore's floor: the centre of a funnel 3 px in radius by 22 % at
 * sigma 0.7 px, which widens its half-contrast region by as much). The
 * centre's own value when the window leaves the image or the fit fails. */
double st_pore_darkest(const float *value, int w, int h, int cx, int cy, double r_fit);

/* The half-contrast area (px^2) of the pore whose darkest pixel is
 * (cx, cy): level = (darkest + ring) / 2; the region is the 8-connected
 * pixels of `shape` below the level reached from (cx, cy) within r_max
 * px, and each pixel of it and of its one-pixel border counts the share
 * of its square below the level, read from `value` (the surface's own
 * pixels): 1/2 + (level - value) / |gradient of shape|, clamped to
 * [0, 1], the exact share for a level line crossing a pixel along an
 * axis. `shape` is the lightly smoothed surface (a clean outline and
 * gradient), `value` the full-resolution surface or the same plane.
 * Returns -1 when the region reaches r_max (not a closed pore) or the
 * centre is not below the level. */
double st_pore_half_area(const float *shape, const float *value, int w, int h, int cx, int cy,
                         double darkest, double ring, int r_max, st_pore_area_buf *b);

#endif
