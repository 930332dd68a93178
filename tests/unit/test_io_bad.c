/* Bad input: every file of the committed corpus tests/data/bad/ (listed with
 * its expected status and message in tests/data/bad/EXPECTED) and the path
 * errors (missing, directory, unreadable). Each must give its status and a
 * one-line message that starts with the file name, never a crash; run under
 * ASan, a 100000x100000 header that reached an allocation would abort.
 *
 * `test_io_bad --make DIR` writes the generated part of the corpus (the
 * code below is how it was made; the HEIC cases need libheif's x265
 * encoder); fuzz-found files are added by hand. */
#define _POSIX_C_SOURCE 200809L
#include "test_util.h"
#include "io_fixtures.h"
#include "heif_fixtures.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

/* ---- corpus generator ----------------------------------------------------- */

static size_t find_chunk(const membuf *b, const char *type)
{
    for (size_t pos = 8; pos + 12 <= b->size;) {
        uint32_t len = (uint32_t)b->data[pos] << 24 | (uint32_t)b->data[pos + 1] << 16 |
                       (uint32_t)b->data[pos + 2] << 8 | b->data[pos + 3];
        if (!memcmp(b->data + pos + 4, type, 4))
            return pos;
        pos += 12 + (size_t)len;
    }
    return 0;
}

static void save(const char *dir, const char *name, const void *d, size_t n)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (fx_write_file(path, d, n) != 0)
        fprintf(stderr, "cannot write %s\n", path);
}

static void good_png(membuf *p, int with_text)
{
    static uint16_t s[16 * 16 * 3];
    for (int i = 0; i < 16 * 16 * 3; i++)
        s[i] = (uint16_t)((i * 29) & 255);
    fx_png spec = {16, 16, PNG_COLOR_TYPE_RGB, 8, 0, s, NULL, 0, NULL, 0, NULL, NULL, 0};
    fx_make_png(&spec, p);
    if (with_text) { /* a tEXt chunk before IDAT */
        membuf q = {0};
        size_t idat = find_chunk(p, "IDAT");
        mb_put(&q, p->data, idat);
        fx_chunk(&q, "tEXt", "Comment\0hello", 13);
        mb_put(&q, p->data + idat, p->size - idat);
        mb_free(p);
        *p = q;
    }
}

static void good_jpeg(membuf *j)
{
    unsigned char px[32 * 32 * 3];
    for (int i = 0; i < 32 * 32 * 3; i++)
        px[i] = (unsigned char)((i * 13) ^ (i >> 5));
    fx_make_jpeg(32, 32, 3, px, 90, TJSAMP_420, 0, j);
}

static void header_png(const char *dir, const char *name, uint32_t w, uint32_t h, int depth,
                       int ctype, int with_idat)
{
    membuf b = {0};
    fx_png_signature(&b);
    fx_ihdr(&b, w, h, depth, ctype);
    if (with_idat) {
        static const unsigned char z[] = {0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01};
        fx_chunk(&b, "IDAT", z, sizeof z); /* one zero byte: far too little data */
    }
    fx_chunk(&b, "IEND", "", 0);
    save(dir, name, b.data, b.size);
    mb_free(&b);
}

/* SOI, one SOF0 frame header, EOI: enough for a size check. */
static void header_jpeg(const char *dir, const char *name, unsigned w, unsigned h)
{
    unsigned char b[] = {0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 8,
                         (unsigned char)(h >> 8), (unsigned char)h, (unsigned char)(w >> 8),
                         (unsigned char)w, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9};
    save(dir, name, b, sizeof b);
}

static void make_png_cases(const char *dir)
{
    membuf p = {0}, t = {0};
    good_png(&p, 0);
    good_png(&t, 1);
    membuf c = {0};
    mb_put(&c, p.data, p.size);
    c.data[0] = 0x88;
    save(dir, "wrong_magic.png", c.data, c.size);
    size_t idat = find_chunk(&p, "IDAT");
    save(dir, "truncated.png", p.data, idat + 8 + 20);
    save(dir, "truncated_signature.png", p.data, 5);
    save(dir, "no_iend.png", p.data, p.size - 12);
    memcpy(c.data, p.data, p.size);
    uint32_t idat_len = (uint32_t)c.data[idat + 2] << 8 | c.data[idat + 3];
    c.data[idat + 8 + idat_len] ^= 0x55; /* first CRC byte of IDAT */
    save(dir, "crc_idat.png", c.data, c.size);
    memcpy(c.data, p.data, p.size);
    c.data[8 + 8 + 13] ^= 0x01; /* IHDR CRC */
    save(dir, "crc_ihdr.png", c.data, c.size);
    size_t text = find_chunk(&t, "tEXt");
    t.data[text + 8 + 13 + 3] ^= 0x80; /* ancillary chunk CRC */
    save(dir, "crc_ancillary_text.png", t.data, t.size);
    memcpy(c.data, p.data, p.size);
    for (size_t i = idat + 8 + 2; i < idat + 8 + idat_len; i++)
        c.data[i] = (unsigned char)(i * 151); /* deflate garbage, CRC fixed below */
    uint32_t crc = fx_crc32(0, c.data + idat + 4, 4 + idat_len);
    put_be32(c.data + idat + 8 + idat_len, crc);
    save(dir, "bad_deflate.png", c.data, c.size);
    header_png(dir, "huge_100000x100000.png", 100000, 100000, 8, 2, 0);
    header_png(dir, "wide_70000x1.png", 70000, 1, 8, 0, 0);
    header_png(dir, "zero_width.png", 0, 16, 8, 0, 0);
    header_png(dir, "bad_bit_depth.png", 16, 16, 3, 0, 0);
    header_png(dir, "short_idat.png", 16, 16, 8, 0, 1);
    header_png(dir, "no_idat.png", 16, 16, 8, 0, 0);
    header_png(dir, "forged_8000x8000.png", 8000, 8000, 8, 2, 1);
    mb_free(&p);
    mb_free(&t);
    mb_free(&c);
}

static void make_jpeg_cases(const char *dir)
{
    membuf j = {0};
    good_jpeg(&j);
    save(dir, "truncated.jpg", j.data, j.size * 6 / 10);
    save(dir, "truncated_header.jpg", j.data, 100);
    membuf c = {0};
    mb_put(&c, j.data, j.size);
    for (size_t i = c.size / 2; i < c.size / 2 + 40; i++)
        c.data[i] = (unsigned char)(i * 7 + 1) == 0xff ? 0 : (unsigned char)(i * 7 + 1);
    save(dir, "bad_entropy.jpg", c.data, c.size);
    header_jpeg(dir, "huge_65535x65535.jpg", 65535, 65535);
    header_jpeg(dir, "sof_height0_dnl.jpg", 64, 0);
    header_jpeg(dir, "forged_8000x8000.jpg", 8000, 8000);
    static const unsigned char soi_eoi[] = {0xff, 0xd8, 0xff, 0xd9};
    save(dir, "no_frame.jpg", soi_eoi, sizeof soi_eoi);
    /* CMYK: TurboJPEG writes an Adobe YCCK file from CMYK pixels. */
    unsigned char cmyk[8 * 8 * 4];
    memset(cmyk, 60, sizeof cmyk);
    tjhandle tj = tjInitCompress();
    unsigned char *out = NULL;
    unsigned long n = 0;
    if (tjCompress2(tj, cmyk, 8, 32, 8, TJPF_CMYK, &out, &n, TJSAMP_444, 90, 0) == 0)
        save(dir, "cmyk.jpg", out, n);
    tjFree(out);
    tjDestroy(tj);
    mb_free(&j);
    mb_free(&c);
}

static void make_other_cases(const char *dir)
{
    save(dir, "empty.jpg", "", 0);
    static const char text[] = "This is a note about the patient, not a photo.\n";
    save(dir, "text_named.jpg", text, sizeof text - 1);
    static const char gif[] = "GIF89a\x01\x00\x01\x00\x00\x00\x00;";
    save(dir, "gif_named.png", gif, sizeof gif - 1);
}

/* HEIC cases from a 16x16 file made by libheif's x265 encoder. */
static void make_heic_cases(const char *dir)
{
    if (!fx_heic_can_encode()) {
        fprintf(stderr, "no HEVC encoder in this libheif: HEIC cases not made\n");
        return;
    }
    static uint16_t px[16 * 16 * 3];
    for (int i = 0; i < 16 * 16 * 3; i++)
        px[i] = (uint16_t)((i * 29) & 255);
    fx_heic spec = {16, 16, 8, px, 50, 1, NULL, 0};
    membuf h = {0};
    if (fx_make_heic(&spec, &h) != 0)
        return;
    save(dir, "truncated.heic", h.data, h.size / 2);
    save(dir, "truncated_mdat.heic", h.data, h.size - 10);
    membuf g = {0};
    mb_put(&g, h.data, h.size);
    fx_heic_forge_ispe(&g, 100000, 100000);
    save(dir, "huge_100000x100000.heic", g.data, g.size);
    fx_heic_forge_ispe(&g, 20000, 20000);
    save(dir, "forged_20000x20000.heic", g.data, g.size);
    fx_heic_forge_ispe(&g, 160, 120);
    save(dir, "forged_ispe_160x120.heic", g.data, g.size);
    /* The grid's output size too (the grid item's data, ISO/IEC 23008-12:
     * version, flags, rows-1, columns-1, then 16-bit width and height;
     * libheif's encoder keeps it in 'idat'). libheif alone decodes this to
     * 2.9 GB. */
    size_t idat = 0;
    for (size_t i = 4; i + 12 <= g.size && !idat; i++)
        if (!memcmp(g.data + i, "idat", 4))
            idat = i + 4;
    fx_heic_forge_ispe(&g, 14000, 14000);
    if (idat) {
        g.data[idat + 4] = g.data[idat + 6] = 14000 >> 8;
        g.data[idat + 5] = g.data[idat + 7] = 14000 & 255;
    }
    save(dir, "forged_grid_14000x14000.heic", g.data, g.size);
    mb_free(&g);
    /* The 'ftyp' box alone, then an empty 'mdat': no 'meta' box. */
    unsigned char ftyp_len = h.data[3];
    mb_put(&g, h.data, ftyp_len);
    mb_put(&g, "\0\0\0\10mdat", 8);
    save(dir, "no_meta.heic", g.data, g.size);
    mb_free(&g);
    mb_free(&h);
    static const unsigned char mp4[24] = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0,
                                          'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
    save(dir, "mp4_named.heic", mp4, sizeof mp4);
    static const unsigned char avif[24] = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'a', 'v', 'i', 'f', 0, 0, 0, 0,
                                           'm', 'i', 'f', '1', 'a', 'v', 'i', 'f'};
    save(dir, "avif_named.heic", avif, sizeof avif);
}

/* ---- the tests ------------------------------------------------------------ */

static int code_of(const char *name)
{
    static const char *names[] = {"ST_OK", "ST_EINVAL", "ST_EIO", "ST_EFORMAT", "ST_ETOOBIG",
                                  "ST_ENOMEM", "ST_EREGISTER", "ST_EINTERNAL"};
    for (int i = 0; i < 8; i++)
        if (!strcmp(names[i], name))
            return i;
    return -1;
}

static int is_listed(const char *file, char listed[][128], int n)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(listed[i], file))
            return 1;
    return 0;
}

/* EXPECTED: "file<TAB>ST_CODE<TAB>text the message must contain". */
static void test_corpus(void)
{
    FILE *f = fopen("data/bad/EXPECTED", "r");
    CHECK(f != NULL);
    if (!f)
        return;
    static char listed[256][128];
    int n = 0;
    char line[512];
    while (fgets(line, sizeof line, f) && n < 256) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        line[strcspn(line, "\n")] = '\0';
        char *file = strtok(line, "\t"), *code = strtok(NULL, "\t"), *text = strtok(NULL, "\t");
        CHECK_MSG(file && code && text, "bad EXPECTED line");
        if (!file || !code || !text)
            continue;
        snprintf(listed[n++], sizeof listed[0], "%s", file);
        char path[600];
        snprintf(path, sizeof path, "data/bad/%s", file);
        st_image *img = NULL;
        st_image_info info;
        st_err err = {0};
        int rc = st_image_load(path, NULL, &img, &info, &err);
        CHECK_MSG(rc == code_of(code), "%s: got %s (%s), want %s", file, st_status_name(rc),
                  err.msg, code);
        CHECK_MSG(img == NULL, "%s: image returned with an error", file);
        CHECK_MSG(strncmp(err.msg, path, strlen(path)) == 0 && strstr(err.msg, text) &&
                      !strchr(err.msg, '\n'),
                  "%s: message \"%s\" should name the file and contain \"%s\"", file, err.msg, text);
        st_image_free(img);
    }
    fclose(f);
    CHECK(n >= 20);
    /* Every file of the corpus is listed (so every one is tested). */
    DIR *d = opendir("data/bad");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "EXPECTED") || !strcmp(e->d_name, "README.md"))
            continue;
        CHECK_MSG(is_listed(e->d_name, listed, n), "data/bad/%s is not in EXPECTED", e->d_name);
    }
    if (d)
        closedir(d);
}

static void test_paths(void)
{
    const char *dir = test_tmpdir("io_bad");
    st_image *img = (st_image *)&img;
    st_err err;
    char path[1200];
    snprintf(path, sizeof path, "%s/does-not-exist.jpg", dir);
    CHECK_EQ_INT(st_image_load(path, NULL, &img, NULL, &err), ST_EIO);
    CHECK(img == NULL);
    CHECK(strstr(err.msg, "does-not-exist.jpg: cannot open (No such file") != NULL);
    CHECK_EQ_INT(st_image_load(dir, NULL, &img, NULL, &err), ST_EIO);
    CHECK(strstr(err.msg, "is a directory") != NULL);
    snprintf(path, sizeof path, "%s/locked.png", dir);
    fx_write_file(path, "\x89PNG", 4);
    chmod(path, 0);
    if (geteuid() != 0) { /* root reads anything */
        CHECK_EQ_INT(st_image_load(path, NULL, &img, NULL, &err), ST_EIO);
        CHECK(strstr(err.msg, "locked.png: cannot open (Permission denied)") != NULL);
    }
    chmod(path, 0600);
    /* Unreadable whatever the user (root ignores mode bits): a path through
     * a regular file, and a name longer than NAME_MAX. */
    snprintf(path, sizeof path, "%s/locked.png/x.jpg", dir);
    CHECK_EQ_INT(st_image_load(path, NULL, &img, NULL, &err), ST_EIO);
    CHECK(strstr(err.msg, "x.jpg: cannot open (Not a directory)") != NULL);
    char longname[1200];
    int k = snprintf(longname, sizeof longname, "%s/", dir);
    memset(longname + k, 'a', 300);
    strcpy(longname + k + 300, ".jpg");
    CHECK_EQ_INT(st_image_load(longname, NULL, &img, NULL, &err), ST_EIO);
    CHECK(strstr(err.msg, "cannot open (File name too long)") != NULL);
    snprintf(path, sizeof path, "%s/fifo.jpg", dir);
    unlink(path);
    if (mkfifo(path, 0600) == 0) { /* would block a plain open() forever */
        CHECK_EQ_INT(st_image_load(path, NULL, &img, NULL, &err), ST_EIO);
        CHECK(strstr(err.msg, "fifo.jpg: not a regular file") != NULL);
        unlink(path);
    }
    CHECK_EQ_INT(st_image_load(NULL, NULL, &img, NULL, &err), ST_EINVAL);
    CHECK_EQ_INT(st_image_load_mem(NULL, 5, "x", NULL, &img, NULL, &err), ST_EINVAL);
    CHECK_EQ_INT(st_image_load_mem("", 0, NULL, NULL, &img, NULL, &err), ST_EFORMAT);
    CHECK(strcmp(err.msg, "(memory): empty file") == 0);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--make")) {
        make_png_cases(argv[2]);
        make_jpeg_cases(argv[2]);
        make_other_cases(argv[2]);
        make_heic_cases(argv[2]);
        return 0;
    }
    test_corpus();
    test_paths();
    return test_summary();
}
