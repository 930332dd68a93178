/* The folder an analyze run writes (SPEC "Bad input": a run that fails
 * writing leaves OUT either as it was or complete, never a mix of two runs).
 *
 * The run is written into a hidden sibling of OUT, .NAME.skintrack-XXXXXX,
 * and swapped in by one rename (renameat2 RENAME_EXCHANGE) once every file
 * is whole: a full disk, a failed write or a signal leave OUT as it was and
 * the sibling removed (a SIGTERM handler removes it too: core/atomic_file.h).
 * Files of other names in OUT (and OUT/images) are carried into the new run
 * by hard link; files of skintrack's names that this run did not write are
 * dropped and named in the notes.
 *
 * OUT is written in place, file by file as before (each file still atomic),
 * when a swap would do harm or cannot work: OUT a symbolic link, a mount
 * point, not writable, the working folder or one of its parents, or holding
 * a folder of its own besides images/. */
#ifndef ST_SERIES_RUN_FOLDER_H
#define ST_SERIES_RUN_FOLDER_H

#include "core/atomic_file.h"
#include "series/result.h"
#include "series/strlist.h"

typedef struct st_run_folder {
    char out[ST_PATH_MAX];   /* OUT as given */
    char stage[ST_PATH_MAX]; /* where this run writes: the sibling, or OUT itself */
    int in_place;
    int slot; /* in the registry of live temporaries, or 0 */
} st_run_folder;

/* Chooses where the run writes, creates it (and OUT's parents) and, for a
 * sibling, registers it for removal on SIGTERM/SIGINT. */
int st_run_folder_open(st_run_folder *f, const char *out, st_err *err);

/* Makes the written run OUT. r and report_written name this run's files for
 * the in-place case (series/stale_outputs.h); notes get the files dropped. */
int st_run_folder_publish(st_run_folder *f, const st_series_result *r, int report_written, st_strlist *notes,
                          st_err *err);

/* After a failure: the sibling and what it holds are removed (OUT untouched). */
void st_run_folder_abort(st_run_folder *f);

/* Rewrites the sibling's path in err->msg to OUT's: messages name the file
 * the user asked for. */
void st_run_folder_name_out(const st_run_folder *f, st_err *err);

#endif
