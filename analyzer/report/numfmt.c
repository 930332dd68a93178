#include "report/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

const char *st_fmt_num(char buf[ST_NUM_BUF], double v, int sig)
{
    if (!isfinite(v)) {
        snprintf(buf, ST_NUM_BUF, "null");
        return buf;
    }
    snprintf(buf, ST_NUM_BUF, "%.*g", sig, v);
    /* A value that rounds to zero prints "0", never "-0". */
    if (buf[0] == '-' && strtod(buf, NULL) == 0.0)
        snprintf(buf, ST_NUM_BUF, "0");
    return buf;
}
