/* EXIF: the eight orientations applied to a small asymmetric JPEG (APP1 made
 * by libexif and spliced in), both byte orders, DateTimeOriginal, PNG eXIf,
 * ignore_exif, and damaged EXIF that must not stop the load. */
#include "test_util.h"
#include "io_fixtures.h"

#include "core/error.h"
#include "io/exif_date.h"
#include "io/io_internal.h"

/* 3x2 blocks of 8x8 pixels, a..f, each one flat gray level:
 *   a b c
 *   d e f     stored orientation (24 x 16 pixels) */
static const unsigned char LEVEL[6] = {20, 60, 100, 140, 180, 220};
enum { A, B, C, D, E, F };

/* What a viewer shows for each EXIF value, written out by hand from EXIF
 * 2.32 Table 4 (row-major, blocks): 1 as stored, 2 mirrored left-right, 3
 * turned 180, 4 mirrored top-bottom, 5 transposed, 6 turned 90 clockwise,
 * 7 transversed, 8 turned 90 counter-clockwise. */
static const struct { int cols, rows; int blocks[6]; } WANT[9] = {
    {0, 0, {0}},
    {3, 2, {A, B, C, D, E, F}},
    {3, 2, {C, B, A, F, E, D}},
    {3, 2, {F, E, D, C, B, A}},
    {3, 2, {D, E, F, A, B, C}},
    {2, 3, {A, D, B, E, C, F}},
    {2, 3, {D, A, E, B, F, C}},
    {2, 3, {F, C, E, B, D, A}},
    {2, 3, {C, F, B, E, A, D}},
};

static void make_base(membuf *jpeg)
{
    unsigned char px[24 * 16];
    for (int y = 0; y < 16; y++)
        for (int x = 0; x < 24; x++)
            px[y * 24 + x] = LEVEL[(y / 8) * 3 + x / 8];
    CHECK(fx_make_jpeg(24, 16, 1, px, 100, TJSAMP_GRAY, 0, jpeg) == 0);
}

/* Every pixel of the loaded image against the expected block layout. */
static int layout_errors(const st_image *img, int o)
{
    if (img->width != WANT[o].cols * 8 || img->height != WANT[o].rows * 8)
        return -1;
    int bad = 0;
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width; x++) {
            int want = LEVEL[WANT[o].blocks[(y / 8) * WANT[o].cols + x / 8]];
            bad += fabsf(st_image_row(img, 0, y)[x] * 255.0f - (float)want) > 1.0f;
        }
    return bad;
}

static void test_orientations(void)
{
    membuf base = {0};
    make_base(&base);
    for (int order = 0; order < 2; order++)
        for (int o = 1; o <= 8; o++) {
            unsigned len;
            unsigned char *app1 = fx_exif_block(o, "2026:01:05 09:30:00",
                                                order ? EXIF_BYTE_ORDER_INTEL : EXIF_BYTE_ORDER_MOTOROLA,
                                                &len);
            membuf j = {0};
            fx_splice_app1(&base, app1, len, &j);
            st_image *img = NULL;
            st_image_info info;
            st_err err;
            int rc = st_image_load_mem(j.data, j.size, "o.jpg", NULL, &img, &info, &err);
            CHECK_MSG(rc == ST_OK, "orientation %d: %s", o, err.msg);
            CHECK_EQ_INT(info.exif_orientation, o);
            CHECK_EQ_INT(info.file_width, 24);
            CHECK_EQ_INT(info.file_height, 16);
            CHECK(strcmp(info.datetime_original, "2026:01:05 09:30:00") == 0);
            if (img)
                CHECK_MSG(layout_errors(img, o) == 0, "orientation %d order %d: %d wrong pixels", o,
                          order, layout_errors(img, o));
            st_image_free(img);
            /* ignore_exif: the stored layout, orientation still reported */
            st_load_opts keep = {.ignore_exif = 1};
            CHECK_EQ_INT(st_image_load_mem(j.data, j.size, "o.jpg", &keep, &img, &info, &err), ST_OK);
            if (img)
                CHECK(layout_errors(img, 1) == 0);
            CHECK_EQ_INT(info.exif_orientation, o);
            st_image_free(img);
            free(app1);
            mb_free(&j);
        }
    mb_free(&base);
}

/* The same mapping on a 3-channel image with odd sizes and several tiles:
 * every pixel of every plane holds its own stored coordinates. */
static void test_orient_large(void)
{
    const int w = 131, h = 70;
    for (int o = 1; o <= 8; o++) {
        st_image *img = NULL;
        st_err err;
        st_image_new(w, h, 3, &img, &err);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    st_image_row(img, c, y)[x] = (float)(c * 100000 + y * 1000 + x);
        CHECK_EQ_INT(st_orient_apply(&img, o, &err), ST_OK);
        int swap = o >= 5, bad = 0;
        CHECK_EQ_INT(img->width, swap ? h : w);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < img->height; y++)
                for (int x = 0; x < img->width; x++) {
                    int sx, sy; /* EXIF 2.32 Table 4, as coordinates */
                    switch (o) {
                    case 1: sx = x; sy = y; break;
                    case 2: sx = w - 1 - x; sy = y; break;
                    case 3: sx = w - 1 - x; sy = h - 1 - y; break;
                    case 4: sx = x; sy = h - 1 - y; break;
                    case 5: sx = y; sy = x; break;
                    case 6: sx = y; sy = h - 1 - x; break;
                    case 7: sx = w - 1 - y; sy = h - 1 - x; break;
                    default: sx = w - 1 - y; sy = x; break;
                    }
                    bad += st_image_row(img, c, y)[x] != (float)(c * 100000 + sy * 1000 + sx);
                }
        CHECK_MSG(bad == 0, "orientation %d: %d wrong", o, bad);
        st_image_free(img);
    }
}

static void test_png_exif(void)
{
    unsigned len;
    unsigned char *app1 = fx_exif_block(6, "2025:12:31 23:59:58", EXIF_BYTE_ORDER_INTEL, &len);
    uint16_t s[6] = {1, 2, 3, 4, 5, 6}; /* 3x2 gray */
    /* eXIf holds the TIFF part only (PNG 1.5 / PNG 3rd edition) */
    fx_png spec = {3, 2, PNG_COLOR_TYPE_GRAY, 8, 0, s, NULL, 0, NULL, 0, NULL, app1 + 6, len - 6};
    membuf p = {0};
    CHECK(fx_make_png(&spec, &p) == 0);
    st_image *img = NULL;
    st_image_info info;
    st_err err;
    st_load_opts raw = {.raw_counts = 1};
    CHECK_EQ_INT(st_image_load_mem(p.data, p.size, "e.png", &raw, &img, &info, &err), ST_OK);
    CHECK_EQ_INT(info.exif_orientation, 6);
    CHECK(strcmp(info.datetime_original, "2025:12:31 23:59:58") == 0);
    if (img) { /* rotated 90 cw: [4 1 / 5 2 / 6 3] */
        CHECK_EQ_INT(img->width, 2);
        CHECK_EQ_INT(img->height, 3);
        static const float want[6] = {4, 1, 5, 2, 6, 3};
        for (int i = 0; i < 6; i++)
            CHECK_EQ_INT(st_image_row(img, 0, i / 2)[i % 2], want[i]);
    }
    st_image_free(img);
    /* The header-only reader a folder scan dates files with finds the same
     * date in the file (and none when the chunk is gone). */
    char path[1200], dt[20];
    snprintf(path, sizeof path, "%s/e.png", test_tmpdir("io_exif"));
    CHECK(fx_write_file(path, p.data, p.size) == 0);
    CHECK_EQ_INT(st_image_exif_datetime(path, dt), 0);
    CHECK(strcmp(dt, "2025:12:31 23:59:58") == 0);
    spec.exif = NULL;
    mb_free(&p);
    CHECK(fx_make_png(&spec, &p) == 0);
    CHECK(fx_write_file(path, p.data, p.size) == 0);
    CHECK_EQ_INT(st_image_exif_datetime(path, dt), -1);
    free(app1);
    mb_free(&p);
}

/* EXIF that is damaged, absent or odd leaves orientation 1 and no date, and
 * the picture still loads. */
static void test_bad_exif(void)
{
    membuf base = {0};
    make_base(&base);
    unsigned len;
    unsigned char *app1 = fx_exif_block(9, "2026-01-05 09:30:00", EXIF_BYTE_ORDER_INTEL, &len);
    unsigned char junk[64];
    memcpy(junk, "Exif\0\0II*\0", 10);
    for (int i = 10; i < 64; i++)
        junk[i] = (unsigned char)(i * 77);
    struct { const unsigned char *d; unsigned n; const char *what; } cases[] = {
        {app1, len, "orientation 9 and a date with dashes"},
        {junk, 64, "garbage IFD offsets"},
        {app1, 12, "cut after the TIFF header"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        membuf j = {0};
        fx_splice_app1(&base, cases[i].d, cases[i].n, &j);
        st_image *img = NULL;
        st_image_info info;
        st_err err;
        CHECK_MSG(st_image_load_mem(j.data, j.size, "x.jpg", NULL, &img, &info, &err) == ST_OK,
                  "%s: %s", cases[i].what, err.msg);
        CHECK_EQ_INT(info.exif_orientation, 1);
        CHECK(info.datetime_original[0] == '\0');
        if (img)
            CHECK(layout_errors(img, 1) == 0);
        st_image_free(img);
        mb_free(&j);
    }
    free(app1);
    /* Only a date, no orientation. */
    app1 = fx_exif_block(0, "2024:02:29 12:00:00", EXIF_BYTE_ORDER_MOTOROLA, &len);
    membuf j = {0};
    fx_splice_app1(&base, app1, len, &j);
    st_image_info info;
    st_image *img = NULL;
    st_err err;
    CHECK_EQ_INT(st_image_load_mem(j.data, j.size, "d.jpg", NULL, &img, &info, &err), ST_OK);
    CHECK_EQ_INT(info.exif_orientation, 1);
    CHECK(strcmp(info.datetime_original, "2024:02:29 12:00:00") == 0);
    st_image_free(img);
    free(app1);
    mb_free(&j);
    mb_free(&base);
}

int main(void)
{
    test_orientations();
    test_orient_large();
    test_png_exif();
    test_bad_exif();
    return test_summary();
}
