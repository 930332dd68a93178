/* Image I/O: every PNG colour type and bit depth (plain and interlaced),
 * JPEG gray/RGB/subsampled/progressive, exact 16-bit precision, the writers'
 * round trips (and that they write no metadata), pixel limits, SHA-256. */
#define _GNU_SOURCE /* memmem */
#include "test_util.h"
#include "io_fixtures.h"

#include "core/error.h"
#include "io/io_internal.h"
#include "io/sha256.h"

#include <openssl/evp.h>

enum { W = 13, H = 7 }; /* odd sizes: every Adam7 pass is partial */

static uint16_t pattern(int x, int y, int c, unsigned modulus)
{
    return (uint16_t)(((unsigned)x * 37u + (unsigned)y * 101u + (unsigned)c * 59u + 3u) % modulus);
}

static png_color palette_entry(int i)
{
    png_color p = {(png_byte)(i * 7), (png_byte)(255 - i * 3), (png_byte)((i * 11) & 255)};
    return p;
}

/* Loads a PNG made with the given layout and compares every sample with the
 * value the PNG spec says it stands for. */
static void check_png_case(int ct, int depth, int interlace, int with_trns, int raw)
{
    const int ch = fx_channels(ct);
    const unsigned maxval = (1u << depth) - 1u;
    const int npal = ct == PNG_COLOR_TYPE_PALETTE ? (int)(maxval < 255 ? maxval + 1 : 200) : 0;
    uint16_t samples[W * H * 4];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            for (int c = 0; c < ch; c++)
                samples[(y * W + x) * ch + c] = pattern(x, y, c, npal ? (unsigned)npal : maxval + 1);
    png_color pal[256];
    png_byte trns[256];
    for (int i = 0; i < 256; i++) {
        pal[i] = palette_entry(i);
        trns[i] = (png_byte)(255 - i);
    }
    png_color_16 tcol = {0, 1, 2, 3, 1};
    fx_png spec = {W, H, ct, depth, interlace, samples, npal ? pal : NULL, npal,
                   NULL, 0, NULL, NULL, 0};
    if (with_trns && npal) {
        spec.trns = trns;
        spec.ntrns = npal;
    } else if (with_trns) {
        spec.trns_color = &tcol;
    }
    membuf png = {0};
    CHECK(fx_make_png(&spec, &png) == 0);
    st_load_opts opts = {.raw_counts = raw};
    st_image *img = NULL;
    st_image_info info;
    st_err err = {0};
    int rc = st_image_load_mem(png.data, png.size, "case.png", &opts, &img, &info, &err);
    CHECK_MSG(rc == ST_OK, "ct %d depth %d interlace %d: %s", ct, depth, interlace, err.msg);
    if (rc == ST_OK) {
        const int color = ct & PNG_COLOR_MASK_COLOR;
        CHECK_EQ_INT(img->channels, color ? 3 : 1);
        CHECK_EQ_INT(img->width, W);
        CHECK_EQ_INT(img->height, H);
        CHECK_EQ_INT(info.bit_depth, depth == 16 ? 16 : 8);
        CHECK_EQ_INT(info.source_channels, npal ? 3 : ch);
        CHECK_EQ_INT(info.is_palette, npal > 0);
        CHECK(strcmp(info.format, "png") == 0);
        int bad = 0;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                for (int c = 0; c < img->channels; c++) {
                    unsigned v = samples[(y * W + x) * ch + (npal ? 0 : c)];
                    double count, full;
                    if (npal) {
                        png_color p = pal[v];
                        count = c == 0 ? p.red : c == 1 ? p.green : p.blue;
                        full = 255.0;
                    } else if (depth == 16) {
                        count = v;
                        full = 65535.0;
                    } else {
                        count = v * (255u / maxval); /* low depths are replicated to 8 bits */
                        full = 255.0;
                    }
                    float want = raw ? (float)count : (float)count / (float)full;
                    bad += st_image_row(img, c, y)[x] != want;
                }
        CHECK_MSG(bad == 0, "ct %d depth %d interlace %d trns %d raw %d: %d samples differ", ct,
                  depth, interlace, with_trns, raw, bad);
    }
    st_image_free(img);
    mb_free(&png);
}

static void test_png_matrix(void)
{
    static const struct { int ct, depth; } cases[] = {
        {PNG_COLOR_TYPE_GRAY, 1}, {PNG_COLOR_TYPE_GRAY, 2}, {PNG_COLOR_TYPE_GRAY, 4},
        {PNG_COLOR_TYPE_GRAY, 8}, {PNG_COLOR_TYPE_GRAY, 16},
        {PNG_COLOR_TYPE_GRAY_ALPHA, 8}, {PNG_COLOR_TYPE_GRAY_ALPHA, 16},
        {PNG_COLOR_TYPE_RGB, 8}, {PNG_COLOR_TYPE_RGB, 16},
        {PNG_COLOR_TYPE_RGB_ALPHA, 8}, {PNG_COLOR_TYPE_RGB_ALPHA, 16},
        {PNG_COLOR_TYPE_PALETTE, 1}, {PNG_COLOR_TYPE_PALETTE, 2}, {PNG_COLOR_TYPE_PALETTE, 4},
        {PNG_COLOR_TYPE_PALETTE, 8},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int interlace = 0; interlace < 2; interlace++) {
            check_png_case(cases[i].ct, cases[i].depth, interlace, 0, 0);
            check_png_case(cases[i].ct, cases[i].depth, interlace, 0, 1);
            if (!(cases[i].ct & PNG_COLOR_MASK_ALPHA))
                check_png_case(cases[i].ct, cases[i].depth, interlace, 1, 0);
        }
}

/* Every 16-bit count 0..65535 once: raw counts are exact integers, scaled
 * values exactly v/65535, and the 16-bit writer gives the counts back. */
static void test_png16_precision(void)
{
    enum { N = 256 };
    uint16_t *s = malloc(N * N * sizeof *s);
    for (int i = 0; i < N * N; i++)
        s[i] = (uint16_t)(i * 40503u); /* odd multiplier: a permutation of 0..65535 */
    fx_png spec = {N, N, PNG_COLOR_TYPE_GRAY, 16, 0, s, NULL, 0, NULL, 0, NULL, NULL, 0};
    membuf png = {0};
    CHECK(fx_make_png(&spec, &png) == 0);
    st_load_opts raw = {.raw_counts = 1};
    st_image *a = NULL, *b = NULL, *c = NULL;
    st_err err;
    CHECK_EQ_INT(st_image_load_mem(png.data, png.size, "h.png", &raw, &a, NULL, &err), ST_OK);
    CHECK_EQ_INT(st_image_load_mem(png.data, png.size, "h.png", NULL, &b, NULL, &err), ST_OK);
    char path[1200];
    snprintf(path, sizeof path, "%s/h16.png", test_tmpdir("io"));
    CHECK_EQ_INT(st_image_save_png(b, path, 16, &err), ST_OK);
    CHECK_EQ_INT(st_image_load(path, &raw, &c, NULL, &err), ST_OK);
    int bad_raw = 0, bad_scaled = 0, bad_trip = 0;
    for (int y = 0; y < N && a && b && c; y++)
        for (int x = 0; x < N; x++) {
            uint16_t v = s[y * N + x];
            bad_raw += st_image_row(a, 0, y)[x] != (float)v;
            bad_scaled += st_image_row(b, 0, y)[x] != (float)v / 65535.0f;
            bad_trip += st_image_row(c, 0, y)[x] != (float)v;
        }
    CHECK_EQ_INT(bad_raw, 0);
    CHECK_EQ_INT(bad_scaled, 0);
    CHECK_EQ_INT(bad_trip, 0);
    CHECK(a && st_image_row(a, 0, 0)[1] == 40503.0f);
    st_image_free(a);
    st_image_free(b);
    st_image_free(c);
    mb_free(&png);
    free(s);
}

/* Lists the chunk types of a PNG file, e.g. "IHDR IDAT IEND ". */
static void chunk_list(const membuf *f, char *out, size_t cap)
{
    out[0] = '\0';
    for (size_t pos = 8; pos + 12 <= f->size;) {
        uint32_t len = (uint32_t)f->data[pos] << 24 | (uint32_t)f->data[pos + 1] << 16 |
                       (uint32_t)f->data[pos + 2] << 8 | f->data[pos + 3];
        if (strlen(out) + 6 < cap)
            strncat(out, (const char *)f->data + pos + 4, 4), strcat(out, " ");
        pos += 12 + (size_t)len;
    }
}

static void fill_ramp(st_image *img, int levels)
{
    for (int c = 0; c < img->channels; c++)
        for (int y = 0; y < img->height; y++)
            for (int x = 0; x < img->width; x++)
                st_image_row(img, c, y)[x] =
                    (float)((x * 7 + y * 13 + c * 29) % (levels + 1)) / (float)levels;
}

static void test_png_writer(void)
{
    const char *dir = test_tmpdir("io");
    for (int ch = 1; ch <= 3; ch += 2)
        for (int depth = 8; depth <= 16; depth += 8) {
            st_image *img = NULL, *back = NULL;
            st_err err;
            CHECK_EQ_INT(st_image_new(37, 11, ch, &img, &err), ST_OK);
            fill_ramp(img, depth == 8 ? 255 : 65535);
            char path[1200];
            snprintf(path, sizeof path, "%s/w_%d_%d.png", dir, ch, depth);
            CHECK_EQ_INT(st_image_save_png(img, path, depth, &err), ST_OK);
            st_image_info info;
            CHECK_EQ_INT(st_image_load(path, NULL, &back, &info, &err), ST_OK);
            CHECK_EQ_INT(info.bit_depth, depth);
            CHECK_EQ_INT(info.source_channels, ch);
            int bad = 0;
            for (int c = 0; back && c < ch; c++)
                for (int y = 0; y < 11; y++)
                    for (int x = 0; x < 37; x++)
                        bad += st_image_row(back, c, y)[x] != st_image_row(img, c, y)[x];
            CHECK_MSG(bad == 0, "%d channels %d bit: %d samples differ", ch, depth, bad);
            membuf f = {0};
            char chunks[256];
            fx_read_file(path, &f);
            chunk_list(&f, chunks, sizeof chunks);
            CHECK_MSG(strcmp(chunks, "IHDR IDAT IEND ") == 0, "chunks: %s", chunks);
            mb_free(&f);
            st_image_free(img);
            st_image_free(back);
        }
    /* Clamping and NaN: out-of-range values are written as 0 or full scale. */
    st_image *img = NULL, *back = NULL;
    st_err err;
    st_image_new(4, 1, 1, &img, &err);
    float v[4] = {-0.5f, 1.5f, NAN, 0.5f};
    memcpy(img->data, v, sizeof v);
    char path[1200];
    snprintf(path, sizeof path, "%s/clamp.png", dir);
    CHECK_EQ_INT(st_image_save_png(img, path, 8, &err), ST_OK);
    st_load_opts raw = {.raw_counts = 1};
    CHECK_EQ_INT(st_image_load(path, &raw, &back, NULL, &err), ST_OK);
    if (back) {
        CHECK_EQ_INT(back->data[0], 0);
        CHECK_EQ_INT(back->data[1], 255);
        CHECK_EQ_INT(back->data[2], 0);
        CHECK_EQ_INT(back->data[3], 128);
    }
    CHECK_EQ_INT(st_image_save_png(img, path, 12, &err), ST_EINVAL);
    snprintf(path, sizeof path, "%s/no/such/dir/x.png", dir);
    CHECK_EQ_INT(st_image_save_png(img, path, 8, &err), ST_EIO);
    CHECK(strstr(err.msg, "x.png") != NULL);
    st_image_free(img);
    st_image_free(back);
}

/* 8x8 blocks of one value each: the DCT keeps a flat block (DC only) up to
 * rounding, so decoded values are known to +-1 count. */
static void block_image(unsigned char *px, int w, int h, int ch)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < ch; c++)
                px[(y * w + x) * ch + c] = (unsigned char)(20 + ((x / 8) * 50 + (y / 8) * 90 + c * 40) % 220);
}

/* margin > 0: only pixels at least that far from a 16x8 block edge count
 * (fancy chroma upsampling blends the neighbouring blocks' colour). */
static int max_jpeg_error(const st_image *img, const unsigned char *px, int ch, int margin)
{
    int worst = 0;
    for (int c = 0; c < ch; c++)
        for (int y = 0; y < img->height; y++)
            for (int x = 0; x < img->width; x++) {
                if (margin && (x % 16 < margin || x % 16 >= 16 - margin || y % 8 < margin ||
                               y % 8 >= 8 - margin))
                    continue;
                int d = abs((int)lrintf(st_image_row(img, c, y)[x] * 255.0f) -
                            px[(y * img->width + x) * ch + c]);
                worst = d > worst ? d : worst;
            }
    return worst;
}

static void test_jpeg_decode(void)
{
    enum { JW = 32, JH = 24 };
    static unsigned char px[JW * JH * 3];
    const struct { int ch, subsamp, flags, tol; const char *what; } cases[] = {
        {1, TJSAMP_GRAY, 0, 1, "gray"},
        {3, TJSAMP_444, 0, 2, "rgb 4:4:4"},
        {3, TJSAMP_420, 0, 2, "rgb 4:2:0 (blocks 16-aligned)"},
        {3, TJSAMP_422, TJFLAG_PROGRESSIVE, 2, "rgb 4:2:2 progressive"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        block_image(px, JW, JH, cases[i].ch);
        /* chroma subsampling averages 2x2: make blocks 16 wide for it */
        if (cases[i].subsamp == TJSAMP_420 || cases[i].subsamp == TJSAMP_422)
            for (int y = 0; y < JH; y++)
                for (int x = 0; x < JW; x++)
                    for (int c = 0; c < 3; c++)
                        px[(y * JW + x) * 3 + c] = (unsigned char)(30 + ((x / 16) * 70 + (y / 8) * 50 + c * 40) % 200);
        membuf j = {0};
        CHECK(fx_make_jpeg(JW, JH, cases[i].ch, px, 100, cases[i].subsamp, cases[i].flags, &j) == 0);
        st_image *img = NULL;
        st_image_info info;
        st_err err;
        int rc = st_image_load_mem(j.data, j.size, "t.jpg", NULL, &img, &info, &err);
        CHECK_MSG(rc == ST_OK, "%s: %s", cases[i].what, err.msg);
        if (img) {
            CHECK_EQ_INT(img->channels, cases[i].ch);
            CHECK_EQ_INT(info.source_channels, cases[i].ch);
            CHECK(strcmp(info.format, "jpeg") == 0);
            CHECK_EQ_INT(info.exif_orientation, 1);
            CHECK(info.datetime_original[0] == '\0');
            int e = max_jpeg_error(img, px, cases[i].ch, cases[i].subsamp == TJSAMP_420 ||
                                                           cases[i].subsamp == TJSAMP_422 ? 2 : 0);
            CHECK_MSG(e <= cases[i].tol, "%s: max error %d counts", cases[i].what, e);
        }
        st_image_free(img);
        /* raw counts: same decode, values not divided by 255 */
        st_load_opts raw = {.raw_counts = 1};
        CHECK_EQ_INT(st_image_load_mem(j.data, j.size, "t.jpg", &raw, &img, NULL, &err), ST_OK);
        if (img)
            CHECK(img->data[0] == floorf(img->data[0]) && img->data[0] > 1.0f);
        st_image_free(img);
        mb_free(&j);
    }
}

static void test_jpeg_writer(void)
{
    const char *dir = test_tmpdir("io");
    st_image *img = NULL;
    st_err err;
    CHECK_EQ_INT(st_image_new(64, 48, 3, &img, &err), ST_OK);
    for (int c = 0; c < 3; c++) /* smooth: a JPEG at q95 keeps it within a few counts */
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 64; x++)
                st_image_row(img, c, y)[x] = 0.2f + 0.6f * (float)(x + y + 10 * c) / 140.0f;
    char p95[1200], p30[1200];
    snprintf(p95, sizeof p95, "%s/q95.jpg", dir);
    snprintf(p30, sizeof p30, "%s/q30.jpg", dir);
    CHECK_EQ_INT(st_image_save_jpeg(img, p95, 95, &err), ST_OK);
    CHECK_EQ_INT(st_image_save_jpeg(img, p30, 30, &err), ST_OK);
    st_image *back = NULL;
    CHECK_EQ_INT(st_image_load(p95, NULL, &back, NULL, &err), ST_OK);
    double worst = 0;
    for (int c = 0; back && c < 3; c++)
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 64; x++) {
                double d = fabs(st_image_row(back, c, y)[x] - st_image_row(img, c, y)[x]);
                worst = d > worst ? d : worst;
            }
    CHECK_MSG(worst <= 3.0 / 255.0, "q95 worst error %.4f", worst);
    membuf a = {0}, b = {0};
    fx_read_file(p95, &a);
    fx_read_file(p30, &b);
    CHECK(b.size < a.size && b.size > 100);
    st_jpeg_markers m;
    st_jpeg_scan_markers(a.data, a.size, &m);
    CHECK(m.have_sof && m.width == 64 && m.height == 48 && m.components == 3);
    CHECK(m.exif == NULL);
    CHECK(memmem(a.data, a.size, "Exif", 4) == NULL);
    mb_free(&a);
    mb_free(&b);
    CHECK_EQ_INT(st_image_save_jpeg(img, p30, 0, &err), ST_EINVAL);
    CHECK_EQ_INT(st_image_save_jpeg(img, p30, 101, &err), ST_EINVAL);
    st_image_free(back);
    st_image_free(img);
    /* gray */
    CHECK_EQ_INT(st_image_new(9, 9, 1, &img, &err), ST_OK);
    for (int i = 0; i < 9; i++)
        for (int x = 0; x < 9; x++)
            st_image_row(img, 0, i)[x] = 0.5f;
    CHECK_EQ_INT(st_image_save_jpeg(img, p30, 90, &err), ST_OK);
    CHECK_EQ_INT(st_image_load(p30, NULL, &back, NULL, &err), ST_OK);
    if (back) {
        CHECK_EQ_INT(back->channels, 1);
        CHECK_NEAR(back->data[4 * back->stride + 4], 128.0 / 255.0, 1.0 / 255.0);
    }
    st_image_free(back);
    st_image_free(img);
}

static void test_one_pixel(void)
{
    uint16_t g = 200, rgb[3] = {1, 2, 3};
    fx_png s1 = {1, 1, PNG_COLOR_TYPE_GRAY, 8, 0, &g, NULL, 0, NULL, 0, NULL, NULL, 0};
    fx_png s3 = {1, 1, PNG_COLOR_TYPE_RGB, 16, 1, rgb, NULL, 0, NULL, 0, NULL, NULL, 0};
    membuf a = {0}, b = {0}, c = {0};
    fx_make_png(&s1, &a);
    fx_make_png(&s3, &b);
    unsigned char px[3] = {10, 100, 250};
    fx_make_jpeg(1, 1, 3, px, 100, TJSAMP_444, 0, &c);
    st_image *img = NULL;
    st_err err;
    st_load_opts raw = {.raw_counts = 1};
    CHECK_EQ_INT(st_image_load_mem(a.data, a.size, "1.png", &raw, &img, NULL, &err), ST_OK);
    CHECK(img && img->width == 1 && img->height == 1 && img->data[0] == 200.0f);
    st_image_free(img);
    CHECK_EQ_INT(st_image_load_mem(b.data, b.size, "3.png", &raw, &img, NULL, &err), ST_OK);
    CHECK(img && st_image_row(img, 2, 0)[0] == 3.0f);
    st_image_free(img);
    CHECK_EQ_INT(st_image_load_mem(c.data, c.size, "1.jpg", &raw, &img, NULL, &err), ST_OK);
    CHECK(img && fabsf(st_image_row(img, 2, 0)[0] - 250.0f) <= 2.0f);
    st_image_free(img);
    mb_free(&a);
    mb_free(&b);
    mb_free(&c);
}

/* A real 64x64 image over a small limit: refused from the header. */
static void test_small_limit(void)
{
    static uint16_t s[64 * 64];
    static unsigned char px[64 * 64];
    fx_png spec = {64, 64, PNG_COLOR_TYPE_GRAY, 8, 0, s, NULL, 0, NULL, 0, NULL, NULL, 0};
    membuf p = {0}, j = {0};
    fx_make_png(&spec, &p);
    fx_make_jpeg(64, 64, 1, px, 90, TJSAMP_GRAY, 0, &j);
    st_load_opts lim = {.max_pixels = 4095}, ok = {.max_pixels = 4096};
    st_image *img = NULL;
    st_err err;
    CHECK_EQ_INT(st_image_load_mem(p.data, p.size, "s.png", &lim, &img, NULL, &err), ST_ETOOBIG);
    CHECK(img == NULL && strcmp(err.msg, "s.png: 64x64 pixels is over the limit of 4095") == 0);
    CHECK_EQ_INT(st_image_load_mem(j.data, j.size, "s.jpg", &lim, &img, NULL, &err), ST_ETOOBIG);
    CHECK(img == NULL && strcmp(err.msg, "s.jpg: 64x64 pixels is over the limit of 4095") == 0);
    CHECK_EQ_INT(st_image_load_mem(p.data, p.size, "s.png", &ok, &img, NULL, &err), ST_OK);
    st_image_free(img);
    CHECK_EQ_INT(st_image_load_mem(j.data, j.size, "s.jpg", &ok, &img, NULL, &err), ST_OK);
    st_image_free(img);
    mb_free(&p);
    mb_free(&j);
}

/* The "data too short for the header" refusals must never hit a real file:
 * the most compressible images there are (one flat value) still load. */
static void test_flat_images_load(void)
{
    const int n = getenv("ST_SANITIZED") ? 1024 : 2048;
    uint16_t *s = calloc((size_t)n * n, sizeof *s);
    unsigned char *px = calloc((size_t)n * n, 1);
    fx_png spec = {n, n, PNG_COLOR_TYPE_GRAY, 16, 0, s, NULL, 0, NULL, 0, NULL, NULL, 0};
    membuf p = {0}, j = {0}, q = {0};
    fx_make_png(&spec, &p);
    fx_make_jpeg(n, n, 1, px, 10, TJSAMP_GRAY, 0, &j);
    fx_make_jpeg(n, n, 1, px, 10, TJSAMP_GRAY, TJFLAG_PROGRESSIVE, &q);
    const membuf *files[3] = {&p, &j, &q};
    for (int i = 0; i < 3; i++) {
        st_image *img = NULL;
        st_err err;
        int rc = st_image_load_mem(files[i]->data, files[i]->size, "flat", NULL, &img, NULL, &err);
        CHECK_MSG(rc == ST_OK, "flat %d (%zu bytes): %s", i, files[i]->size, err.msg);
        CHECK(img && img->width == n && img->data[(size_t)(n - 1) * img->stride + n - 1] == 0.0f);
        st_image_free(img);
    }
    mb_free(&p);
    mb_free(&j);
    mb_free(&q);
    free(s);
    free(px);
}

static void test_sha256(void)
{
    const char *dir = test_tmpdir("io");
    char path[1200], hex[65];
    uint64_t size = 1;
    st_err err;
    snprintf(path, sizeof path, "%s/abc.txt", dir);
    fx_write_file(path, "abc", 3);
    CHECK_EQ_INT(st_sha256_file(path, hex, &size, &err), ST_OK);
    /* FIPS 180-4 example "abc" */
    CHECK(strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0);
    CHECK_EQ_INT(size, 3);
    snprintf(path, sizeof path, "%s/empty.txt", dir);
    fx_write_file(path, "", 0);
    CHECK_EQ_INT(st_sha256_file(path, hex, &size, &err), ST_OK);
    CHECK(strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0);
    CHECK_EQ_INT(size, 0);
    /* Larger than one read chunk: 200000 x 'a' hashed in pieces equals the whole. */
    char *big = malloc(200000);
    memset(big, 'a', 200000);
    snprintf(path, sizeof path, "%s/big.txt", dir);
    fx_write_file(path, big, 200000);
    unsigned char md[32];
    EVP_Digest(big, 200000, md, NULL, EVP_sha256(), NULL);
    char want[65];
    for (int i = 0; i < 32; i++)
        snprintf(want + 2 * i, 3, "%02x", md[i]);
    CHECK_EQ_INT(st_sha256_file(path, hex, &size, &err), ST_OK);
    CHECK(strcmp(hex, want) == 0 && size == 200000);
    free(big);
    snprintf(path, sizeof path, "%s/missing.txt", dir);
    CHECK_EQ_INT(st_sha256_file(path, hex, &size, &err), ST_EIO);
    CHECK(strstr(err.msg, "missing.txt: cannot open") != NULL);
    CHECK_EQ_INT(st_sha256_file(dir, hex, &size, &err), ST_EIO);
}

int main(void)
{
    test_png_matrix();
    test_png16_precision();
    test_png_writer();
    test_jpeg_decode();
    test_jpeg_writer();
    test_one_pixel();
    test_small_limit();
    test_flat_images_load();
    test_sha256();
    return test_summary();
}
