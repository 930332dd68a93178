/* EXIF through libexif: only Orientation (tag 0x0112, IFD0) and
 * DateTimeOriginal (tag 0x9003, EXIF IFD) are read; nothing is kept or
 * written. The parser runs on untrusted bytes, so it is fuzzed
 * (tests/fuzz/fuzz_exif.c). */
#include "io/io_internal.h"

#include <libexif/exif-data.h>
#include <stdlib.h>
#include <string.h>

/* "YYYY:MM:DD HH:MM:SS" (EXIF 2.32 §4.6.5, DateTimeOriginal), digits checked. */
static int valid_datetime(const char *s)
{
    static const char pat[] = "dddd:dd:dd dd:dd:dd";
    for (int i = 0; i < 19; i++) {
        if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
            return 0;
    }
    return 1;
}

static void read_fields(ExifData *ed, int *orientation, char dt[20])
{
    ExifByteOrder order = exif_data_get_byte_order(ed);
    ExifEntry *e = exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
    if (e && e->format == EXIF_FORMAT_SHORT && e->components >= 1 && e->data && e->size >= 2) {
        int v = exif_get_short(e->data, order);
        if (v >= 1 && v <= 8)
            *orientation = v;
    }
    e = exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], EXIF_TAG_DATE_TIME_ORIGINAL);
    if (e && e->format == EXIF_FORMAT_ASCII && e->data && e->size >= 19) {
        char tmp[20];
        memcpy(tmp, e->data, 19);
        tmp[19] = '\0';
        if (valid_datetime(tmp))
            memcpy(dt, tmp, 20);
    }
}

void st_exif_read(const unsigned char *data, size_t size, int has_header, int *orientation,
                  char datetime_original[20])
{
    *orientation = 1;
    datetime_original[0] = '\0';
    /* libexif wants the APP1 form; a PNG eXIf chunk is the bare TIFF part. */
    unsigned char *owned = NULL;
    if (!has_header) {
        if (size > 0xffff - 8)
            return;
        owned = malloc(size + 6);
        if (!owned)
            return;
        memcpy(owned, "Exif\0\0", 6);
        memcpy(owned + 6, data, size);
        data = owned;
        size += 6;
    }
    if (size > 0xffffu || size < 6 + 8) {
        free(owned);
        return;
    }
    ExifData *ed = exif_data_new();
    if (ed) {
        /* Read what is there: "fixing" would add default tags. */
        exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
        exif_data_load_data(ed, data, (unsigned int)size);
        read_fields(ed, orientation, datetime_original);
        exif_data_unref(ed);
    }
    free(owned);
}
