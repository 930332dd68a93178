/* SHA-256 of a file (libcrypto), for the results database. */
#ifndef ST_IO_SHA256_H
#define ST_IO_SHA256_H

#include <stdint.h>
#include "skintrack/skintrack.h"

int st_sha256_file(const char *path, char hex[65], uint64_t *size, st_err *err);

#endif
