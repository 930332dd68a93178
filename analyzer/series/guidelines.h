/* Guideline checks from the treatment records (SPEC.md, "Progress", flags):
 * professional courses space sessions 4–6 weeks apart (flag < 28 days),
 * home rollers have needles <= 0.5 mm and are used at most weekly, and every
 * session needs a date for a trend. Thresholds as SPEC.md states them. */
#ifndef ST_SERIES_GUIDELINES_H
#define ST_SERIES_GUIDELINES_H

#include "series/scan.h"

#define ST_PRO_MIN_DAYS 28
#define ST_HOME_MAX_NEEDLE_MM 0.5
#define ST_HOME_MIN_DAYS 7

/* Appends one plain-language flag per finding to `flags`. */
int st_guideline_flags(const st_series *s, st_strlist *flags, st_err *err);

#endif
