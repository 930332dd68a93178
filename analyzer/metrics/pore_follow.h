/* Following pores through a series: each found pore's funnel (depth and
 * volume) where it was found, and the baseline's pores at their size in a
 * later session, measured at the same places (pores.c, README "How pores
 * are measured"). */
#ifndef ST_METRICS_PORE_FOLLOW_H
#define ST_METRICS_PORE_FOLLOW_H

#include <stddef.h>

#include "metrics/metric_set.h"

/* Sets depth and volume of the n pores p (x, y in pixels of the w x h
 * surface `fit`, d_mm still in pixels) from a funnel fitted around each
 * one's measured opening; 0 where none fits. Bands over `threads`. */
void st_pores_fit(const float *fit, int w, int h, st_pore *p, size_t n, int threads);

/* The n_track pores `track` (d_mm in mm when pmm > 0, else px; volume from
 * st_pores_fit or the height-map fit) at their size on the surface `fit`:
 * a new list of those that had a volume, their count in *n; NULL when out
 * of memory. `height`: the surface is a height map (pits keep their shape)
 * rather than a photo's luminance (pores keep their darkness). */
st_pore *st_pores_follow(const float *fit, int w, int h, const st_pore *track, size_t n_track,
                         double pmm, int height, int threads, size_t *n);

#endif
