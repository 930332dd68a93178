#define _POSIX_C_SOURCE 200809L
#include "io/sha256.h"
#include "core/error.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { CHUNK = 1 << 16 };

/* Feeds the open file to the digest; returns 0 or an errno (or -1 for a
 * libcrypto failure). */
static int hash_fd(int fd, EVP_MD_CTX *ctx, unsigned char *buf, uint64_t *total)
{
    for (;;) {
        ssize_t r = read(fd, buf, CHUNK);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return errno;
        if (r == 0)
            return 0;
        if (EVP_DigestUpdate(ctx, buf, (size_t)r) != 1)
            return -1;
        *total += (uint64_t)r;
    }
}

int st_sha256_file(const char *path, char hex[65], uint64_t *size, st_err *err)
{
    hex[0] = '\0';
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO must not block */
    if (fd < 0)
        return st_err_set(err, ST_EIO, "%s: cannot open (%s)", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return st_err_set(err, ST_EIO, "%s: not a regular file", path);
    }
    unsigned char *buf = malloc(CHUNK);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    uint64_t total = 0;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    int rc = ST_OK;
    if (!buf || !ctx) {
        rc = st_err_set(err, ST_ENOMEM, "%s: cannot allocate the hash state", path);
    } else if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        rc = st_err_set(err, ST_EINTERNAL, "%s: SHA-256 is not available", path);
    } else {
        int e = hash_fd(fd, ctx, buf, &total);
        if (e > 0)
            rc = st_err_set(err, ST_EIO, "%s: read failed (%s)", path, strerror(e));
        else if (e < 0 || EVP_DigestFinal_ex(ctx, md, &md_len) != 1 || md_len != 32)
            rc = st_err_set(err, ST_EINTERNAL, "%s: SHA-256 failed", path);
    }
    EVP_MD_CTX_free(ctx);
    free(buf);
    close(fd);
    if (rc)
        return rc;
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
    if (size)
        *size = total;
    return ST_OK;
}
