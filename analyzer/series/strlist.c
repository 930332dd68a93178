#define _DEFAULT_SOURCE
#include "series/strlist.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

int st_strlist_add(st_strlist *l, const char *s, st_err *err)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        char **grown = realloc(l->items, cap * sizeof *grown);
        if (!grown)
            return st_err_set(err, ST_ENOMEM, "out of memory (string list)");
        l->items = grown;
        l->cap = cap;
    }
    char *copy = strdup(s);
    if (!copy)
        return st_err_set(err, ST_ENOMEM, "out of memory (string list)");
    l->items[l->count++] = copy;
    return ST_OK;
}

int st_strlist_addf(st_strlist *l, st_err *err, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return st_strlist_add(l, buf, err);
}

int st_strlist_extend(st_strlist *l, const st_strlist *src, st_err *err)
{
    for (size_t i = 0; i < src->count; i++) {
        int rc = st_strlist_add(l, src->items[i], err);
        if (rc)
            return rc;
    }
    return ST_OK;
}

void st_strlist_free(st_strlist *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}
