/* Removing what an earlier run left in an output folder (see stale_outputs.c). */
#ifndef ST_SERIES_STALE_OUTPUTS_H
#define ST_SERIES_STALE_OUTPUTS_H

#include "series/result.h"
#include "series/strlist.h"

/* Removes from out every images/session_NN_WHAT.jpg that r does not name and,
 * when report_written is 0, report.html and report.pdf; each removed file is
 * named in notes. */
int st_remove_stale_outputs(const char *out, const st_series_result *r, int report_written, st_strlist *notes,
                            st_err *err);

/* 1 for session_NN_WHAT.jpg (a name of images/ that skintrack writes). */
int st_is_session_image_name(const char *name);

#endif
