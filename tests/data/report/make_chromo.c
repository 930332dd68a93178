/* Makes the melanin and haemoglobin maps of the demo fixture from its aligned
 * photos (not part of the build; run once, outputs are committed):
 *   cc -O2 -o /tmp/mkchromo make_chromo.c $(pkg-config --cflags --libs cairo libturbojpeg) -lm
 *   /tmp/mkchromo demo/images/s0_aligned.png demo/images/session_00
 * writes <prefix>_melanin.jpg and <prefix>_haemoglobin.jpg. Optical density
 * OD = -log10(linear channel); melanin taken as 2 x OD(red) and haemoglobin
 * as 1.5 x (OD(green) - OD(red)), a rough stand-in for the log-RGB
 * decomposition of Tsumura et al. (2003), drawn on the linear ramps of the
 * fixture's chromophore_keys (make_fixture.py). */
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <turbojpeg.h>

static double lin(int v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double od(int v) { return -log10(fmax(lin(v), 1e-4)); }

static void ramp(unsigned char *px, double v, double lo, double hi, unsigned c0, unsigned c1)
{
    double t = (v - lo) / (hi - lo);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    for (int k = 0; k < 3; k++) {
        double a = (c0 >> (16 - 8 * k)) & 255, b = (c1 >> (16 - 8 * k)) & 255;
        px[k] = (unsigned char)lround(a + (b - a) * t);
    }
}

static int write_jpeg(const char *path, const unsigned char *rgb, int w, int h)
{
    tjhandle tj = tjInitCompress();
    unsigned char *out = NULL;
    unsigned long n = 0;
    int rc = tjCompress2(tj, rgb, w, 0, h, TJPF_RGB, &out, &n, TJSAMP_444, 85, 0);
    FILE *f = fopen(path, "wb");
    if (!rc && f)
        fwrite(out, 1, n, f);
    if (f)
        fclose(f);
    tjFree(out);
    tjDestroy(tj);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    cairo_surface_t *s = cairo_image_surface_create_from_png(argv[1]);
    if (cairo_surface_status(s))
        return 1;
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *d = cairo_image_surface_get_data(s);
    unsigned char *mel = malloc((size_t)w * h * 3), *hae = malloc((size_t)w * h * 3);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            unsigned p = *(const unsigned *)(d + (size_t)y * stride + 4 * (size_t)x);
            int r = (p >> 16) & 255, g = (p >> 8) & 255;
            double m = 2.0 * od(r), hb = 1.5 * (od(g) - od(r));
            ramp(mel + 3 * ((size_t)y * w + x), m, 0.0, 1.5, 0xF6EEE4, 0x3D2410);
            ramp(hae + 3 * ((size_t)y * w + x), hb, 0.0, 0.6, 0xF8EEEE, 0x8E1020);
        }
    char path[1024];
    snprintf(path, sizeof path, "%s_melanin.jpg", argv[2]);
    int rc = write_jpeg(path, mel, w, h);
    snprintf(path, sizeof path, "%s_haemoglobin.jpg", argv[2]);
    rc |= write_jpeg(path, hae, w, h);
    free(mel);
    free(hae);
    cairo_surface_destroy(s);
    return rc ? 1 : 0;
}
