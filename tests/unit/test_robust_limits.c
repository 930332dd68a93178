/* Issue 24, round two: arithmetic-coded JPEGs (made here with libjpeg's
 * arith_code) are bounded by the memory budget before decoding and refused
 * when cut, like Huffman ones; the CSV cell encoder guards formulas; a
 * FIFO named series.json is refused at once; implausible physical numbers
 * in series.json are refused naming the key. */
#define _POSIX_C_SOURCE 200809L
#include "test_util.h"

#include <jpeglib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "report/csv_cell.h"
#include "series/manifest.h"

/* A noisy w x h RGB photo, arithmetic-coded (SOF9), in memory. */
static unsigned char *arith_jpeg(int w, int h, unsigned long *size)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    unsigned char *out = NULL;
    jpeg_mem_dest(&c, &out, size);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    c.arith_code = TRUE;
    jpeg_set_quality(&c, 90, TRUE);
    jpeg_start_compress(&c, TRUE);
    unsigned char *row = malloc((size_t)w * 3);
    unsigned seed = 7;
    while (c.next_scanline < c.image_height) {
        for (int i = 0; i < w * 3; i++) {
            seed = seed * 1103515245u + 12345u;
            row[i] = (unsigned char)(((unsigned)i * 3 + c.next_scanline * 5) + (seed >> 27));
        }
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    return out;
}

static size_t find_sof9(const unsigned char *d, size_t n)
{
    for (size_t i = 2; i + 1 < n; i++)
        if (d[i] == 0xff && d[i + 1] == 0xc9)
            return i;
    return 0;
}

static void test_arith(void)
{
    unsigned long n = 0;
    unsigned char *j = arith_jpeg(256, 192, &n);
    size_t sof = find_sof9(j, n);
    CHECK(sof > 0);
    st_image *img = NULL;
    st_err err;
    int rc = st_image_load_mem(j, n, "good.jpg", NULL, &img, NULL, &err);
    CHECK_MSG(rc == ST_OK && img && img->width == 256 && img->height == 192, "%s", err.msg);
    st_image_free(img);

    /* Cut in half, EOI appended: libjpeg's arithmetic decoder would fill
     * the lower half with zeros and report success. */
    unsigned char *cut = malloc(n);
    size_t half = n / 2;
    memcpy(cut, j, half);
    cut[half] = 0xff;
    cut[half + 1] = 0xd9;
    rc = st_image_load_mem(cut, half + 2, "cut.jpg", NULL, &img, NULL, &err);
    CHECK_MSG(rc == ST_EFORMAT && !img && strstr(err.msg, "cut.jpg: truncated JPEG data"), "%d %s", rc,
              err.msg);

    /* The header claims 14000x14000: refused by the memory budget before
     * any pixel buffer (under ASan an allocation of gigabytes would show). */
    memcpy(cut, j, n);
    cut[sof + 5] = 14000 >> 8, cut[sof + 6] = 14000 & 255; /* height */
    cut[sof + 7] = 14000 >> 8, cut[sof + 8] = 14000 & 255; /* width */
    st_load_opts lo = {.max_memory = 4ull << 30, .bytes_per_pixel = 64};
    rc = st_image_load_mem(cut, n, "forged.jpg", &lo, &img, NULL, &err);
    CHECK_MSG(rc == ST_ETOOBIG && strstr(err.msg, "forged.jpg: 14000x14000 pixels would need about 11.7 GiB") &&
              strstr(err.msg, "over the memory budget of 4.0 GiB"), "%d %s", rc, err.msg);
    /* Within the budget but with data for a sliver of it: cut. */
    cut[sof + 5] = 0x04, cut[sof + 6] = 0x00, cut[sof + 7] = 0x04, cut[sof + 8] = 0x00;
    rc = st_image_load_mem(cut, n, "forged1k.jpg", &lo, &img, NULL, &err);
    CHECK_MSG(rc == ST_EFORMAT && strstr(err.msg, "forged1k.jpg: truncated JPEG data"), "%d %s", rc, err.msg);
    /* The default budget is a quarter of memory, at most 4 GiB. */
    CHECK(st_default_max_memory() > 0 && st_default_max_memory() <= (4ull << 30));
    free(cut);
    free(j);
}

static void cell(const char *in, const char *want)
{
    st_sbuf b = {0};
    st_csv_cell(&b, in);
    st_sbuf_putn(&b, "", 1);
    CHECK_MSG(!b.oom && !strcmp(b.data, want), "'%s' -> '%s', want '%s'", in, b.data, want);
    st_sbuf_free(&b);
}

static void test_csv_cells(void)
{
    cell("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    cell("-1+2", "'-1+2");
    cell("+1", "+1");
    cell("-12.5", "-12.5");
    cell("-1.5e-07", "-1.5e-07");
    cell("@SUM(A1)", "'@SUM(A1)");
    cell("\tx", "'\tx");
    cell("\rx", "\"'\rx\"");
    cell("-x", "'-x");
    cell("+", "'+");
    cell("P-0042", "P-0042");
    cell("", "");
}

static void test_fifo_manifest(void)
{
    char dir[] = "/tmp/st_robust_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/series.json", dir);
    CHECK(mkfifo(path, 0600) == 0);
    st_manifest m;
    st_err err;
    alarm(10); /* a blocking open would hang here */
    int rc = st_manifest_load(dir, &m, &err);
    alarm(0);
    CHECK_MSG(rc == ST_EIO && strstr(err.msg, "series.json: not a regular file"), "%d %s", rc, err.msg);
    unlink(path);
    rmdir(dir);
}

static void bad_number(const char *json, const char *want)
{
    st_manifest m;
    st_err err;
    int rc = st_manifest_parse(json, strlen(json), "s/series.json", NULL, &m, &err);
    CHECK_MSG(rc == ST_EINVAL && strstr(err.msg, want), "%s -> %s", json, err.msg);
}

static void test_plausible(void)
{
    bad_number("{\"pixel_mm\": 1e30}", "s/series.json: key 'pixel_mm': 1e+30 is not plausible (0.0001 to 10)");
    bad_number("{\"height_um_per_unit\": 1e300}", "key 'height_um_per_unit': 1e+300 is not plausible");
    bad_number("{\"sessions\": [{\"files\": [\"a.jpg\"], \"treatment\": {\"needle_mm\": 1e308}}]}",
               "key 'sessions[0].treatment.needle_mm': 1e+308 is not plausible (0 to 10)");
}

int main(void)
{
    test_arith();
    test_csv_cells();
    test_fifo_manifest();
    test_plausible();
    return test_summary();
}
