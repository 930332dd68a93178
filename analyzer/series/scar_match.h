/* Which scars of a session are the baseline's (issue #18): on photos the
 * set of scars found moves between sessions (a rolling scar shades less
 * than the skin's texture, a small icepick comes and goes), and a count or
 * an area summed over different sets is noise, not a change of the skin. */
#ifndef ST_SCAR_MATCH_H
#define ST_SCAR_MATCH_H

#include <stddef.h>

#include "metrics/metric_set.h"

typedef struct st_scar_match {
    size_t baseline;  /* scars in the baseline */
    size_t session;   /* scars in the session */
    size_t matched;   /* one-to-one pairs */
} st_scar_match;

/* Pairs the scars of b (baseline) and s (session), both in baseline pixels,
 * one to one, nearest first: two scars pair when their centroids lie
 * within max(ST_SCAR_MATCH_MM, the larger one's equivalent radius) of each
 * other. pixel_mm <= 0 (uncalibrated): areas and the floor are in pixels. */
#define ST_SCAR_MATCH_MM 0.5
int st_scar_match_sets(const st_scar *b, size_t nb, const st_scar *s, size_t ns, double pixel_mm,
                       st_scar_match *out);

/* 1 when every scar of either set has its counterpart. */
int st_scar_sets_same(const st_scar_match *m);

#endif
