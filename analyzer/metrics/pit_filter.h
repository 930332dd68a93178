/* Pits of a height map apart from its grooves: the depth of each pixel
 * below the surface's closing by line segments, the least over the
 * segment's orientations (Soille & Talbot, "Directional morphological
 * filtering", IEEE PAMI 23(11), 2001). A closing by a segment fills every
 * dip the segment can bridge in its direction. A pit narrower than the
 * segment is bridged in every direction, so it keeps its depth; a furrow
 * runs along some segment's direction and is not bridged there, so the
 * least over the directions is about zero (up to a fifth of its depth
 * where a segment's pixels fall off a narrow groove's line). What is left
 * is the skin's pits (pores, the relief's dimples) on a flat background,
 * and the crossings of furrows: a crossing is deeper than either furrow,
 * by the shallower one's depth, which no segment bridges (pores.c tells a
 * crossing by the furrows running out of it). */
#ifndef ST_METRICS_PIT_FILTER_H
#define ST_METRICS_PIT_FILTER_H

/* The longest segment's radius (px) st_pit_depth takes. */
#define ST_PIT_MAX_RADIUS 64

/* out (w x h, packed) = min over n_angles orientations of
 * closing(src) - src, with segments of 2 radius_px + 1 pixels (nearest
 * pixels along the direction; borders replicated). Rows run in bands over
 * `threads` (the same values for any count). out must not alias src.
 * Returns 0, ST_ENOMEM, or ST_EINVAL (radius_px outside 1..ST_PIT_MAX_RADIUS,
 * n_angles < 1, an empty image). */
int st_pit_depth(const float *src, int w, int h, int radius_px, int n_angles, int threads,
                 float *out);

#endif
