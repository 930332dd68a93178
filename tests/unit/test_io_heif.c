/* HEIC input: files made here by libheif's x265 encoder (heif_fixtures.h)
 * from known samples, decoded by the loader and compared with the source
 * within the codec's error; orientation applied exactly once (irot with
 * EXIF 6, EXIF 6 alone, ignore_exif); the EXIF date (loader and folder
 * scan); 10- and 12-bit files; and bad input (cut anywhere, forged sizes;
 * the committed HEIC files of tests/data/bad are checked by test_io_bad).
 * Skips (77) when libheif has no HEVC encoder. */
#define _POSIX_C_SOURCE 200809L
#include "test_util.h"
#include "io_fixtures.h"
#include "heif_fixtures.h"

#include "core/error.h"
#include "io/exif_date.h"
#include "io/io_internal.h"

enum { W = 40, H = 24 };

/* Smooth ramps (R along x, G along y, B along the diagonal): a lossy codec
 * keeps them within a few counts, and any turn or mirror moves them. */
static double source(int c, int x, int y, int maxval)
{
    const double t = c == 0 ? x / (W - 1.0) : c == 1 ? y / (H - 1.0) : (x + y) / (W + H - 2.0);
    return (double)(int)(t * maxval + 0.5) / maxval;
}

static void make(int bits, int orientation, const unsigned char *exif, unsigned exif_len,
                 membuf *out)
{
    static uint16_t px[W * H * 3];
    const int maxval = (1 << bits) - 1;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            for (int c = 0; c < 3; c++)
                px[(y * W + x) * 3 + c] = (uint16_t)(source(c, x, y, maxval) * maxval + 0.5);
    fx_heic s = {W, H, bits, px, 90, orientation, exif, exif_len};
    CHECK(fx_make_heic(&s, out) == 0);
}

/* Largest and mean |decoded - source| over all samples, the decoded image
 * read as displayed with orientation 1 (as stored) or 6 (turned 90 degrees
 * clockwise: displayed (x', y') is stored (y', H-1-x')). */
static void compare(const st_image *img, int orientation, int bits, double *max_err,
                    double *mean_err)
{
    double mx = 0, sum = 0;
    const int maxval = (1 << bits) - 1;
    for (int c = 0; c < 3; c++)
        for (int y = 0; y < img->height; y++) {
            const float *row = st_image_row(img, c, y);
            for (int x = 0; x < img->width; x++) {
                const int sx = orientation == 6 ? y : x, sy = orientation == 6 ? H - 1 - x : y;
                const double d = fabs(row[x] - source(c, sx, sy, maxval));
                mx = d > mx ? d : mx;
                sum += d;
            }
        }
    *max_err = mx;
    *mean_err = sum / (3.0 * img->width * img->height);
}

static int load(const membuf *f, const char *name, const st_load_opts *opts, st_image **img,
                st_image_info *info, st_err *err)
{
    return st_image_load_mem(f->data, f->size, name, opts, img, info, err);
}

/* 8, 10 and 12 bits: the pixels, scaled to [0, 1], within the codec's
 * error; raw counts keep the file's scale (0..2^bits-1). */
static void test_pixels(void)
{
    static const int depths[3] = {8, 10, 12};
    for (int i = 0; i < 3; i++) {
        const int bits = depths[i];
        membuf f = {0};
        make(bits, 1, NULL, 0, &f);
        st_image *img = NULL;
        st_image_info info;
        st_err err;
        int rc = load(&f, "p.heic", NULL, &img, &info, &err);
        CHECK_MSG(rc == ST_OK, "%d bits: %s", bits, err.msg);
        if (rc == ST_OK) {
            CHECK_EQ_INT(img->width, W);
            CHECK_EQ_INT(img->height, H);
            CHECK_EQ_INT(img->channels, 3);
            CHECK_EQ_INT(info.bit_depth, bits);
            CHECK_EQ_INT(info.file_width, W);
            CHECK_EQ_INT(info.exif_orientation, 1);
            CHECK(!strcmp(info.format, "heif"));
            double mx, mean;
            compare(img, 1, bits, &mx, &mean);
            printf("%2d bits, quality 90, 4:4:4: max error %.4f, mean %.5f (of full scale)\n", bits,
                   mx, mean);
            /* x265 at quality 90 on smooth ramps: a few counts of 255. */
            CHECK_MSG(mx <= 6.0 / 255 && mean <= 1.0 / 255, "%d bits: max %.4f mean %.5f", bits,
                      mx, mean);
        }
        st_image_free(img);
        st_load_opts raw = {.raw_counts = 1};
        rc = load(&f, "p.heic", &raw, &img, &info, &err);
        CHECK(rc == ST_OK);
        if (rc == ST_OK) {
            float top = 0;
            for (int x = 0; x < W; x++)
                top = st_image_row(img, 0, 0)[x] > top ? st_image_row(img, 0, 0)[x] : top;
            const double maxval = (1 << bits) - 1;
            CHECK_NEAR(top, maxval, maxval * 6.0 / 255);
        }
        st_image_free(img);
        mb_free(&f);
    }
}

/* Orientation exactly once. An iPhone writes irot and EXIF Orientation 6
 * together: the photo is turned once, not twice. EXIF 6 without irot is
 * informative in HEIF (MIAF) and turns nothing. ignore_exif gives the image
 * as stored. The EXIF value is reported in every case. */
static void test_orientation(void)
{
    unsigned len;
    unsigned char *exif = fx_exif_block(6, "2026:03:14 10:20:30", EXIF_BYTE_ORDER_INTEL, &len);
    static const struct { int irot, ignore, want_w, want_h, want_o; const char *what; } cases[] = {
        {6, 0, H, W, 6, "irot 90 + EXIF 6"},
        {1, 0, W, H, 1, "EXIF 6 only"},
        {6, 1, W, H, 1, "irot 90 + EXIF 6, ignore_exif"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        membuf f = {0};
        make(8, cases[i].irot, exif, len, &f);
        st_load_opts opts = {.ignore_exif = cases[i].ignore};
        st_image *img = NULL;
        st_image_info info;
        st_err err;
        int rc = load(&f, "o.heic", &opts, &img, &info, &err);
        CHECK_MSG(rc == ST_OK, "%s: %s", cases[i].what, err.msg);
        if (rc == ST_OK) {
            CHECK_MSG(img->width == cases[i].want_w && img->height == cases[i].want_h,
                      "%s: %dx%d", cases[i].what, img->width, img->height);
            CHECK_EQ_INT(info.exif_orientation, 6);
            CHECK_EQ_INT(info.file_width * info.file_height, W * H);
            if (img->width == cases[i].want_w && img->height == cases[i].want_h) {
                double mx, mean;
                compare(img, cases[i].want_o, 8, &mx, &mean);
                CHECK_MSG(mx <= 6.0 / 255, "%s: max error %.4f", cases[i].what, mx);
            }
        }
        st_image_free(img);
        mb_free(&f);
    }
    free(exif);
}

/* DateTimeOriginal from the Exif item, both byte orders, through the loader
 * and through the header-only reader the folder scan uses. */
static void test_date(void)
{
    static const ExifByteOrder orders[2] = {EXIF_BYTE_ORDER_INTEL, EXIF_BYTE_ORDER_MOTOROLA};
    for (int i = 0; i < 2; i++) {
        unsigned len;
        unsigned char *exif = fx_exif_block(0, "2025:11:30 08:15:00", orders[i], &len);
        membuf f = {0};
        make(8, 1, exif, len, &f);
        st_image *img = NULL;
        st_image_info info;
        st_err err;
        CHECK_EQ_INT(load(&f, "d.heic", NULL, &img, &info, &err), ST_OK);
        CHECK(!strcmp(info.datetime_original, "2025:11:30 08:15:00"));
        st_image_free(img);
        char path[1200], dt[20];
        snprintf(path, sizeof path, "%s/d%d.heic", test_tmpdir("io_heif"), i);
        CHECK(fx_write_file(path, f.data, f.size) == 0);
        CHECK_EQ_INT(st_image_exif_datetime(path, dt), 0);
        CHECK(!strcmp(dt, "2025:11:30 08:15:00"));
        mb_free(&f);
        free(exif);
    }
    /* No Exif item: no date, orientation 1. */
    membuf f = {0};
    make(8, 1, NULL, 0, &f);
    char path[1200], dt[20];
    snprintf(path, sizeof path, "%s/nodate.heic", test_tmpdir("io_heif"));
    CHECK(fx_write_file(path, f.data, f.size) == 0);
    CHECK_EQ_INT(st_image_exif_datetime(path, dt), -1);
    mb_free(&f);
}

/* One bad file: status, no image, one line that starts with the name. */
static void expect_bad(const void *d, size_t n, int want, const char *text, const char *what)
{
    st_image *img = NULL;
    st_err err;
    err.msg[0] = 0;
    int rc = st_image_load_mem(d, n, "bad.heic", NULL, &img, NULL, &err);
    CHECK_MSG(rc == want, "%s: status %d, want %d (%s)", what, rc, want, err.msg);
    CHECK_MSG(img == NULL, "%s: an image came back", what);
    CHECK_MSG(!strncmp(err.msg, "bad.heic: ", 10) && !strchr(err.msg, '\n'), "%s: '%s'", what,
              err.msg);
    CHECK_MSG(strstr(err.msg, text) != NULL, "%s: '%s' lacks '%s'", what, err.msg, text);
    st_image_free(img);
}

/* The bytes-per-pixel floor must not refuse a real flat photo: a uniform
 * 1024x768 frame at x265's default quality is the cheapest a file gets. */
static void test_flat_frame(void)
{
    enum { FW = 1024, FH = 768 };
    uint16_t *px = malloc(sizeof *px * FW * FH * 3);
    CHECK(px != NULL);
    if (!px)
        return;
    for (int i = 0; i < FW * FH * 3; i++)
        px[i] = 128;
    fx_heic s = {FW, FH, 8, px, 50, 1, NULL, 0};
    membuf f = {0};
    CHECK(fx_make_heic(&s, &f) == 0);
    st_image *img = NULL;
    st_err err;
    int rc = st_image_load_mem(f.data, f.size, "flat.heic", NULL, &img, NULL, &err);
    printf("flat %dx%d: %zu bytes, %.0f pixels a byte\n", FW, FH, f.size, (double)FW * FH / f.size);
    CHECK_MSG(rc == ST_OK, "%s", err.msg);
    if (rc == ST_OK)
        CHECK_NEAR(st_image_row(img, 1, FH / 2)[FW / 2], 128.0 / 255, 1.0 / 255);
    st_image_free(img);
    mb_free(&f);
    free(px);
}

static void test_bad(void)
{
    membuf f = {0};
    make(8, 1, NULL, 0, &f);
    /* Cut anywhere: a clear error, never an image or a crash. */
    int cuts = 0;
    for (size_t n = 12; n < f.size; n += n < 64 ? 4 : 37) {
        st_image *img = NULL;
        st_err err;
        int rc = st_image_load_mem(f.data, n, "cut.heic", NULL, &img, NULL, &err);
        CHECK_MSG(rc == ST_EFORMAT && !img && !strncmp(err.msg, "cut.heic: ", 10),
                  "cut at %zu of %zu: %d %s", n, f.size, rc, err.msg);
        cuts++;
        st_image_free(img);
    }
    CHECK(cuts > 20);
    expect_bad(f.data, f.size / 2, ST_EFORMAT, "truncated HEIF data", "cut in half");

    /* The header's size (ispe) is checked before anything is decoded. */
    membuf g = {0};
    mb_put(&g, f.data, f.size);
    CHECK_EQ_INT(fx_heic_forge_ispe(&g, 20000, 20000), 2);
    expect_bad(g.data, g.size, ST_ETOOBIG, "20000x20000 pixels is over the limit of 200000000",
               "ispe 20000x20000");
    fx_heic_forge_ispe(&g, 100000, 100000);
    expect_bad(g.data, g.size, ST_ETOOBIG, "100000x100000", "ispe 100000x100000");
    /* Within the limits but not what the coded stream holds. */
    fx_heic_forge_ispe(&g, 400, 300);
    expect_bad(g.data, g.size, ST_EFORMAT, "the header says 400x300, the coded image is 40x24",
               "ispe 400x300 on a 40x24 stream");
    /* Far more pixels than the bytes can code (libheif alone would decode
     * the forged size into a mostly unwritten canvas). */
    fx_heic_forge_ispe(&g, 4000, 3000);
    expect_bad(g.data, g.size, ST_EFORMAT, "cannot hold 4000x3000 pixels", "ispe 4000x3000");
    mb_free(&g);

    mb_free(&f);
}

/* x265 (libheif's encoder, which makes the fixtures) keeps about 12 KB of
 * state per bit depth for the life of the process, which LeakSanitizer
 * reports at exit in the sanitizer run; our code and libheif's decoder
 * stay checked. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libx265.so\n"; }

int main(void)
{
    if (!fx_heic_can_encode()) {
        printf("test_io_heif skipped: this libheif has no HEVC encoder (x265)\n");
        return 77;
    }
    test_pixels();
    test_orientation();
    test_date();
    test_flat_frame();
    test_bad();
    return test_summary();
}
