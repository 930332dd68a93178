/* Every line the CLI writes to stderr goes through here: file names, labels,
 * series.json keys and library messages come from files we do not control,
 * and a terminal acts on the control sequences in them (ESC [ ... rewrites
 * the screen, OSC 52 sets the clipboard). Control characters are shown
 * escaped instead: C0 and DEL, C1 (U+0080..U+009F, which some terminals take
 * as CSI/OSC) and bytes that are not UTF-8 (a raw 0x9B is CSI on an 8-bit
 * terminal) as \xNN; a backslash itself stays as it is. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* Length of the valid UTF-8 sequence at s (2..4), or 0 (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF). */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    if (!n || c > 0xF4)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0) || (c == 0xF0 && s[1] < 0x90) ||
        (c == 0xF4 && s[1] >= 0x90))
        return 0;
    return n;
}

void cli_escape_to(FILE *out, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        size_t n = *s >= 0x80 ? utf8_len(s) : 1;
        int is_c1 = n == 2 && s[0] == 0xC2 && s[1] < 0xA0;
        if (n == 1 && *s >= 0x20 && *s != 0x7F) {
            fputc(*s, out);
        } else if (n >= 2 && !is_c1) {
            fwrite(s, 1, n, out);
        } else {
            if (!n)
                n = 1;
            for (size_t i = 0; i < n; i++)
                fprintf(out, "\\x%02x", s[i]);
        }
        s += n;
    }
}

static void cli_vline(const char *fmt, va_list ap)
{
    char small[1024];
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    char *text = small;
    if (n >= (int)sizeof small && (text = malloc((size_t)n + 1)))
        vsnprintf(text, (size_t)n + 1, fmt, ap);
    else if (n >= (int)sizeof small)
        text = small; /* out of memory: the line cut at its buffer */
    fputs("skintrack: ", stderr);
    cli_escape_to(stderr, n < 0 ? fmt : text);
    fputc('\n', stderr);
    if (text != small)
        free(text);
}

void cli_line(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_vline(fmt, ap);
    va_end(ap);
}

int cli_quiet;

void cli_note(const char *fmt, ...)
{
    if (cli_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    cli_vline(fmt, ap);
    va_end(ap);
}

int cli_fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_vline(fmt, ap);
    va_end(ap);
    return status;
}
