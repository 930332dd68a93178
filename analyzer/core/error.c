#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int st_err_set(st_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        /* One line: a message never carries a newline from a library below us. */
        for (char *p = err->msg; *p; p++)
            if (*p == '\n' || *p == '\r')
                *p = ' ';
        err->code = code;
    }
    return code;
}

const char *st_version(void) { return ST_VERSION_STRING; }

const char *st_status_name(int code)
{
    switch (code) {
    case ST_OK: return "ok";
    case ST_EINVAL: return "invalid argument";
    case ST_EIO: return "input/output error";
    case ST_EFORMAT: return "bad format";
    case ST_ETOOBIG: return "too big";
    case ST_ENOMEM: return "out of memory";
    case ST_EREGISTER: return "registration failed";
    case ST_EINTERNAL: return "internal error";
    case ST_ENOTFOUND: return "not found";
    default: return "unknown error";
    }
}
