/* Melanin / haemoglobin / shading decomposition (metrics/chromophores.c)
 * and its report maps (report/chromo_map.c): exact recovery through the
 * forward model, separation of each component, an independent skin colour
 * (ColorChecker light and dark skin), the same bytes for any thread count,
 * and sample maps of the demo course's first photo. */
#include "test_util.h"

#include <stdint.h>

#include "metrics/chromophores.h"
#include "report/chromo_map.h"

static double encode(double v)
{
    return v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1.0 / 2.4) - 0.055;
}
static double decode(double v)
{
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

/* Fields of m, h, s over the image, chosen so that no channel clips. */
static double field_m(int x, int y) { return 0.5 + 0.3 * sin(0.21 * x) * cos(0.17 * y); }
static double field_h(int x, int y) { return 0.7 + 0.3 * cos(0.13 * x + 0.07 * y); }
static double field_s(int x, int y) { return 0.3 + 0.15 * sin(0.31 * y + 0.05 * x); }

typedef double (*field)(int, int);

static st_image *render(int w, int h, field fm, field fh, field fs)
{
    st_image *img = NULL;
    st_err err;
    if (st_image_new(w, h, 3, &img, &err))
        return NULL;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double lin[3];
            st_chromo_mix(fm(x, y), fh(x, y), fs(x, y), lin);
            for (int k = 0; k < 3; k++)
                st_image_row(img, k, y)[x] = (float)encode(lin[k]);
        }
    return img;
}

static double max_err(const st_image *a, field f, double scale)
{
    double e = 0;
    for (int y = 0; y < a->height; y++)
        for (int x = 0; x < a->width; x++)
            e = fmax(e, fabs(st_image_row(a, 0, y)[x] - scale * f(x, y)));
    return e;
}

static double max_diff(const st_image *a, const st_image *b)
{
    double e = 0;
    for (int y = 0; y < a->height; y++)
        for (int x = 0; x < a->width; x++)
            e = fmax(e, fabs(st_image_row(a, 0, y)[x] - st_image_row(b, 0, y)[x]));
    return e;
}

/* m, h and -ln of the shading (gain 1) recovered from the forward model. */
static void test_recovery(void)
{
    st_image *img = render(67, 41, field_m, field_h, field_s);
    st_chromo c;
    st_err err;
    st_chromo_opts o = {.shading_gain = 1.0, .threads = 2};
    CHECK_EQ_INT(st_chromophores(img, &o, &c, &err), ST_OK);
    double em = max_err(c.melanin, field_m, 1), eh = max_err(c.haemoglobin, field_h, 1);
    double es = 0;
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width; x++) {
            double s = -log(decode(st_image_row(c.shading, 0, y)[x]));
            es = fmax(es, fabs(s - field_s(x, y)));
        }
    printf("recovery: max |dm| %.2e, |dh| %.2e, |ds| %.2e\n", em, eh, es);
    CHECK(em < 1e-4);
    CHECK(eh < 1e-4);
    CHECK(es < 1e-4);
    st_chromo_free(&c);
    st_image_free(img);
}

static double m_plus(int x, int y) { return field_m(x, y) + 0.4 * (x > 30); }
static double h_plus(int x, int y) { return field_h(x, y) + 0.4 * (y > 20); }
/* relief: a ridge pattern, the same factor on every channel */
static double s_relief(int x, int y) { return field_s(x, y) + 0.3 * fabs(sin(0.5 * x + 0.2 * y)); }

/* Changing one component leaves the other two where they were. */
static void test_separation(void)
{
    st_chromo_opts o = {.shading_gain = 1.0};
    st_err err;
    st_chromo base, cm, ch, cs;
    st_image *i0 = render(64, 40, field_m, field_h, field_s);
    st_image *im = render(64, 40, m_plus, field_h, field_s);
    st_image *ih = render(64, 40, field_m, h_plus, field_s);
    st_image *is = render(64, 40, field_m, field_h, s_relief);
    CHECK_EQ_INT(st_chromophores(i0, &o, &base, &err), ST_OK);
    CHECK_EQ_INT(st_chromophores(im, &o, &cm, &err), ST_OK);
    CHECK_EQ_INT(st_chromophores(ih, &o, &ch, &err), ST_OK);
    CHECK_EQ_INT(st_chromophores(is, &o, &cs, &err), ST_OK);
    /* melanin only: h and shading unchanged, m follows */
    CHECK(max_diff(cm.haemoglobin, base.haemoglobin) < 1e-4);
    CHECK(max_diff(cm.shading, base.shading) < 1e-4);
    CHECK(max_err(cm.melanin, m_plus, 1) < 1e-4);
    /* haemoglobin only */
    CHECK(max_diff(ch.melanin, base.melanin) < 1e-4);
    CHECK(max_diff(ch.shading, base.shading) < 1e-4);
    CHECK(max_err(ch.haemoglobin, h_plus, 1) < 1e-4);
    /* relief: every channel scaled alike, all of it in the shading */
    int same_ratio = 1;
    for (int y = 0; y < 40; y++)
        for (int x = 0; x < 64; x++) {
            double r[3];
            for (int k = 0; k < 3; k++)
                r[k] = decode(st_image_row(is, k, y)[x]) / decode(st_image_row(i0, k, y)[x]);
            same_ratio &= fabs(r[0] - r[1]) < 1e-5 && fabs(r[1] - r[2]) < 1e-5;
        }
    CHECK(same_ratio);
    CHECK(max_diff(cs.melanin, base.melanin) < 1e-4);
    CHECK(max_diff(cs.haemoglobin, base.haemoglobin) < 1e-4);
    CHECK(max_diff(cs.shading, base.shading) > 0.05);
    printf("separation: melanin step moves h by %.1e, shading by %.1e; relief moves m by %.1e, "
           "h by %.1e\n", max_diff(cm.haemoglobin, base.haemoglobin),
           max_diff(cm.shading, base.shading), max_diff(cs.melanin, base.melanin),
           max_diff(cs.haemoglobin, base.haemoglobin));
    st_chromo *all[] = {&base, &cm, &ch, &cs};
    for (int i = 0; i < 4; i++)
        st_chromo_free(all[i]);
    st_image_free(i0), st_image_free(im), st_image_free(ih), st_image_free(is);
}

/* sRGB 8-bit -> CIELAB (D65) and back, for the "redder" skin. */
static void srgb_to_lab(const double c[3], double lab[3])
{
    double r = decode(c[0]), g = decode(c[1]), b = decode(c[2]);
    double X = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    double Y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    double Z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    double f[3], v[3] = {X, Y, Z};
    for (int k = 0; k < 3; k++)
        f[k] = v[k] > 216.0 / 24389 ? cbrt(v[k]) : (24389.0 / 27 * v[k] + 16) / 116;
    lab[0] = 116 * f[1] - 16, lab[1] = 500 * (f[0] - f[1]), lab[2] = 200 * (f[1] - f[2]);
}
static void lab_to_srgb(const double lab[3], double c[3])
{
    double fy = (lab[0] + 16) / 116, f[3] = {fy + lab[1] / 500, fy, fy - lab[2] / 200}, v[3];
    for (int k = 0; k < 3; k++)
        v[k] = f[k] * f[k] * f[k] > 216.0 / 24389 ? f[k] * f[k] * f[k] : (116 * f[k] - 16) / (24389.0 / 27);
    double X = v[0] * 0.95047, Y = v[1], Z = v[2] * 1.08883;
    c[0] = encode(3.2406 * X - 1.5372 * Y - 0.4986 * Z);
    c[1] = encode(-0.9689 * X + 1.8758 * Y + 0.0415 * Z);
    c[2] = encode(0.0557 * X - 0.2040 * Y + 1.0570 * Z);
}

static void decompose_srgb(const double c[3], double mhs[3])
{
    double d[3];
    for (int k = 0; k < 3; k++)
        d[k] = -log(decode(c[k]));
    st_chromo_unmix(d, mhs);
}

/* ColorChecker "light skin" (194, 150, 130) and "dark skin" (115, 82, 68),
 * the published approximate sRGB of the patches: an independent skin
 * colour the vectors were not fitted to. */
static void test_colorchecker(void)
{
    double light[3] = {194 / 255.0, 150 / 255.0, 130 / 255.0};
    double dark[3] = {115 / 255.0, 82 / 255.0, 68 / 255.0};
    double ml[3], md[3];
    decompose_srgb(light, ml);
    decompose_srgb(dark, md);
    printf("ColorChecker light skin: m %.3f h %.3f s %.3f; dark skin: m %.3f h %.3f s %.3f\n",
           ml[0], ml[1], ml[2], md[0], md[1], md[2]);
    CHECK(md[0] > ml[0] + 0.05);
    CHECK(ml[0] > 0 && ml[1] > 0);
    double lab[3], red[3], mr[3];
    for (int da = 5; da <= 10; da += 5) {
        srgb_to_lab(light, lab);
        lab[1] += da;
        lab_to_srgb(lab, red);
        decompose_srgb(red, mr);
        printf("light skin a* + %d: m %.3f h %.3f s %.3f\n", da, mr[0], mr[1], mr[2]);
        CHECK(mr[1] > ml[1] + 0.03 * da);
    }
}

/* Same bytes for 1 and 2 threads, the matched gain, and the mask. */
static void test_threads_gain(void)
{
    st_image *img = render(53, 97, field_m, field_h, field_s);
    unsigned char *mask = calloc(53 * 97, 1);
    for (int i = 0; i < 53 * 97; i++)
        mask[i] = (i % 53) < 30;
    st_chromo a, b;
    st_err err;
    st_chromo_opts o1 = {.mask = mask, .threads = 1}, o2 = {.mask = mask, .threads = 2};
    CHECK_EQ_INT(st_chromophores(img, &o1, &a, &err), ST_OK);
    CHECK_EQ_INT(st_chromophores(img, &o2, &b, &err), ST_OK);
    size_t bytes = (size_t)97 * a.melanin->stride * sizeof(float);
    CHECK(memcmp(a.melanin->data, b.melanin->data, bytes) == 0);
    CHECK(memcmp(a.haemoglobin->data, b.haemoglobin->data, bytes) == 0);
    CHECK(memcmp(a.shading->data, b.shading->data, bytes) == 0);
    CHECK(a.shading_gain == b.shading_gain);
    double sy = 0, ss = 0;
    for (int y = 0; y < 97; y++)
        for (int x = 0; x < 30; x++) {
            const float *r = st_image_row(img, 0, y), *g = st_image_row(img, 1, y),
                        *bb = st_image_row(img, 2, y);
            sy += 0.2126 * r[x] + 0.7152 * g[x] + 0.0722 * bb[x];
            ss += st_image_row(a.shading, 0, y)[x];
        }
    printf("matched gain %.4f: mean shading %.5f, mean luminance %.5f over the mask\n",
           a.shading_gain, ss / (97 * 30), sy / (97 * 30));
    CHECK_NEAR(ss, sy, 1e-4 * sy);
    /* a gray patch of value Y gives Y at gain 1, and m = h = 0 */
    double g[3] = {0.4, 0.4, 0.4}, mhs[3];
    decompose_srgb(g, mhs);
    CHECK_NEAR(mhs[0], 0, 1e-12);
    CHECK_NEAR(mhs[1], 0, 1e-12);
    CHECK_NEAR(encode(exp(-mhs[2])), 0.4, 1e-12);
    st_image *bad = NULL;
    st_image_new(4, 4, 1, &bad, &err);
    st_chromo_free(&a);
    CHECK_EQ_INT(st_chromophores(bad, NULL, &a, &err), ST_EINVAL);
    memset(mask, 0, 53 * 97);
    st_chromo c;
    CHECK_EQ_INT(st_chromophores(img, &o1, &c, &err), ST_EINVAL);
    st_image_free(bad);
    st_chromo_free(&a), st_chromo_free(&b);
    free(mask);
    st_image_free(img);
}

static void test_map(void)
{
    st_image *d = NULL, *m = NULL, *key = NULL;
    st_err err;
    st_image_new(10, 2, 1, &d, &err);
    double lo, hi;
    st_chromo_map_range(ST_CHROMO_MELANIN, &lo, &hi);
    for (int x = 0; x < 10; x++) {
        st_image_row(d, 0, 0)[x] = (float)(lo + (hi - lo) * x / 9.0);
        st_image_row(d, 0, 1)[x] = NAN;
    }
    unsigned char mask[20] = {0};
    memset(mask, 1, 19);
    CHECK_EQ_INT(st_chromo_map(d, ST_CHROMO_MELANIN, mask, 0, &m, &err), ST_OK);
    /* pale at lo, dark at hi, 8-bit exact, outside the mask gray */
    double l0 = st_image_row(m, 0, 0)[0] + st_image_row(m, 1, 0)[0] + st_image_row(m, 2, 0)[0];
    double l9 = st_image_row(m, 0, 0)[9] + st_image_row(m, 1, 0)[9] + st_image_row(m, 2, 0)[9];
    CHECK(l0 > l9 + 1.5);
    CHECK(st_image_row(m, 0, 0)[9] > st_image_row(m, 2, 0)[9]); /* brown: R > B */
    CHECK_NEAR(st_image_row(m, 0, 1)[9], 128 / 255.0, 1e-7);
    int exact = 1;
    for (int k = 0; k < 3; k++)
        for (int x = 0; x < 10; x++) {
            double v = st_image_row(m, k, 0)[x] * 255.0;
            exact &= fabs(v - round(v)) < 1e-4;
        }
    CHECK(exact);
    unsigned hc = st_chromo_map_colour(ST_CHROMO_HAEMOGLOBIN, 0.75);
    CHECK(((hc >> 16) & 255) > 2 * ((hc >> 8) & 255)); /* red */
    CHECK_EQ_INT(st_chromo_map_key(ST_CHROMO_HAEMOGLOBIN, 64, 8, &key, &err), ST_OK);
    st_image_free(m);
    m = NULL;
    CHECK_EQ_INT(st_chromo_map(d, 7, NULL, 0, &m, &err), ST_EINVAL);
    st_image_free(m);
    st_image_free(key);
    st_image_free(d);
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Percentiles over the top two thirds of the photo (skin only: the demo's
 * colour chart sits in the bottom right corner). */
static void pctl(const st_image *a, const char *name)
{
    size_t n = (size_t)a->width * (a->height * 2 / 3), k = 0;
    float *v = malloc(n * sizeof *v);
    for (int y = 0; y < a->height * 2 / 3; y++)
        for (int x = 0; x < a->width; x++)
            v[k++] = st_image_row(a, 0, y)[x];
    qsort(v, n, sizeof *v, cmp_float);
    printf("  %s: p1 %.3f p50 %.3f p99 %.3f\n", name, v[n / 100], v[n / 2], v[n - n / 100 - 1]);
    free(v);
}

/* Sample maps of a real-looking photo, written for a person to look at. */
static void test_demo_photo(void)
{
    const char *path = "../samples/demo/photo-course/2026-01-05.jpg";
    st_image *rgb = NULL, *mm = NULL, *hm = NULL, *km = NULL, *kh = NULL;
    st_err err;
    if (st_image_load(path, NULL, &rgb, NULL, &err)) {
        printf("demo photo not found (%s), skipped\n", err.msg);
        return;
    }
    st_chromo c;
    CHECK_EQ_INT(st_chromophores(rgb, NULL, &c, &err), ST_OK);
    printf("demo photo %dx%d, shading gain %.4f\n", rgb->width, rgb->height, c.shading_gain);
    pctl(c.melanin, "melanin");
    pctl(c.haemoglobin, "haemoglobin");
    pctl(c.shading, "shading");
    CHECK_EQ_INT(st_chromo_map(c.melanin, ST_CHROMO_MELANIN, NULL, 0, &mm, &err), ST_OK);
    CHECK_EQ_INT(st_chromo_map(c.haemoglobin, ST_CHROMO_HAEMOGLOBIN, NULL, 0, &hm, &err), ST_OK);
    CHECK_EQ_INT(st_chromo_map_key(ST_CHROMO_MELANIN, 256, 16, &km, &err), ST_OK);
    CHECK_EQ_INT(st_chromo_map_key(ST_CHROMO_HAEMOGLOBIN, 256, 16, &kh, &err), ST_OK);
    const char *dir = test_tmpdir("chromophores");
    char p[1200];
    struct { const st_image *img; const char *name; } outs[] = {
        {mm, "melanin.png"}, {hm, "haemoglobin.png"}, {c.shading, "shading.png"},
        {km, "key_melanin.png"}, {kh, "key_haemoglobin.png"}};
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, outs[i].name);
        CHECK_EQ_INT(st_image_save_png(outs[i].img, p, 8, &err), ST_OK);
    }
    printf("maps written to %s\n", dir);
    st_image_free(mm), st_image_free(hm), st_image_free(km), st_image_free(kh);
    st_chromo_free(&c);
    st_image_free(rgb);
}

int main(void)
{
    test_recovery();
    test_separation();
    test_colorchecker();
    test_threads_gain();
    test_map();
    test_demo_photo();
    return test_summary();
}
