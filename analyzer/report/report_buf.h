/* A growable text buffer for the renderers: appends never fail loudly; an
 * allocation failure is remembered (oom) and reported once when the caller
 * finishes, so rendering code stays linear. */
#ifndef ST_REPORT_BUF_H
#define ST_REPORT_BUF_H

#include <stddef.h>

typedef struct st_sbuf {
    char *data;
    size_t len, cap;
    int oom;
} st_sbuf;

void st_sbuf_free(st_sbuf *b);
void st_sbuf_put(st_sbuf *b, const char *s);
void st_sbuf_putn(st_sbuf *b, const char *s, size_t n);
void st_sbuf_printf(st_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text for HTML element content and attribute values: & < > " ' escaped,
 * control characters dropped (they are invalid in HTML). */
void st_sbuf_html(st_sbuf *b, const char *s);
/* RFC 4648 base64 of bytes (for data: URIs). */
void st_sbuf_base64(st_sbuf *b, const unsigned char *bytes, size_t n);

#endif
