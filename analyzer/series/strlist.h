/* A growable list of owned strings: warnings, notes and file names that the
 * library returns to the caller instead of printing them. */
#ifndef ST_SERIES_STRLIST_H
#define ST_SERIES_STRLIST_H

#include <stddef.h>

#include "skintrack/skintrack.h"

typedef struct st_strlist {
    char **items;
    size_t count, cap;
} st_strlist;

/* Appends a copy of the formatted string; ST_ENOMEM on failure. */
int st_strlist_addf(st_strlist *l, st_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int st_strlist_add(st_strlist *l, const char *s, st_err *err);
/* Appends copies of every item of src. */
int st_strlist_extend(st_strlist *l, const st_strlist *src, st_err *err);
void st_strlist_free(st_strlist *l);

#endif
