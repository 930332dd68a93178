/* Makes the small synthetic images of the report fixtures (not part of the
 * build; run once, outputs are committed):
 *   cc -O2 -o /tmp/mk make_images.c $(pkg-config --cflags --libs cairo libturbojpeg) -lm
 *   /tmp/mk .            (writes <series>/images/... and prints the detections as JSON)
 * Skin is a smooth value-noise texture on a skin tone; pores are dark dots,
 * scars shaded depressions, lines thin dark strokes. Later sessions shrink
 * them by a factor, as a successful course would. */
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#define W 320
#define H 240

typedef struct { double x, y, d; } pore;
typedef struct { double x, y, r, depth; } scar;
typedef struct { double x0, y0, x1, y1, w; } line;

static const pore pores[] = {{40, 30, 5}, {72, 52, 4}, {110, 26, 6}, {150, 60, 4}, {196, 34, 5},
    {236, 58, 4}, {280, 30, 5}, {300, 90, 4}, {30, 110, 5}, {62, 150, 4}, {130, 120, 4},
    {190, 100, 5}, {250, 130, 4}, {294, 160, 5}, {48, 200, 4}, {96, 214, 5}, {170, 200, 4},
    {222, 216, 5}, {270, 206, 4}, {140, 170, 3}};
static const scar scars[] = {{92, 96, 18, 1.0}, {214, 160, 24, 0.7}, {268, 80, 13, 0.45}};
static const line lines[] = {{20, 180, 140, 160, 2.0}, {170, 230, 300, 196, 1.6}};

static double hash(int x, int y)
{
    unsigned h = (unsigned)x * 374761393u + (unsigned)y * 668265263u;
    h = (h ^ (h >> 13)) * 1274126177u;
    return ((h ^ (h >> 16)) & 0xFFFF) / 65535.0;
}

static double vnoise(double x, double y)
{
    int xi = (int)floor(x), yi = (int)floor(y);
    double fx = x - xi, fy = y - yi;
    fx = fx * fx * (3 - 2 * fx), fy = fy * fy * (3 - 2 * fy);
    double a = hash(xi, yi), b = hash(xi + 1, yi), c = hash(xi, yi + 1), d = hash(xi + 1, yi + 1);
    return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
}

/* Relative brightness of the skin at (x, y) for severity k (1 = baseline). */
static double shade(double x, double y, double k, int seed)
{
    double n = 0.5 * vnoise(x / 18.0, y / 18.0) + 0.3 * vnoise(x / 6.0 + 50, y / 6.0) +
               0.2 * vnoise(x / 2.5 + seed * 7, y / 2.5);
    double v = 1.0 + 0.10 * k * (n - 0.5);
    for (size_t i = 0; i < sizeof pores / sizeof pores[0]; i++) {
        double r = pores[i].d * (0.55 + 0.45 * k) / 2, dx = x - pores[i].x, dy = y - pores[i].y;
        v -= 0.28 * k * exp(-(dx * dx + dy * dy) / (r * r));
    }
    for (size_t i = 0; i < sizeof scars / sizeof scars[0]; i++) {
        double dx = x - scars[i].x, dy = y - scars[i].y, r = scars[i].r;
        double g = exp(-(dx * dx + dy * dy) / (r * r)) * scars[i].depth * k;
        v -= 0.12 * g + 0.10 * g * (-dy / r); /* light from below: upper rim darker */
    }
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        double ax = lines[i].x1 - lines[i].x0, ay = lines[i].y1 - lines[i].y0;
        double t = ((x - lines[i].x0) * ax + (y - lines[i].y0) * ay) / (ax * ax + ay * ay);
        if (t < 0 || t > 1)
            continue;
        double px = lines[i].x0 + t * ax - x, py = lines[i].y0 + t * ay - y;
        v -= 0.18 * k * exp(-(px * px + py * py) / (lines[i].w * lines[i].w));
    }
    return v;
}

static void render(unsigned char *rgb, double k, int seed, int gray)
{
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double v = shade(x, y, k, seed), red = 1.0 + 0.25 * k * exp(-((x - 200.0) * (x - 200.0) + (y - 70.0) * (y - 70.0)) / 4000.0);
            double c[3] = {226 * v * (gray ? 1 : red), 176 * v, 152 * v};
            for (int ch = 0; ch < 3; ch++) {
                double val = gray ? 255 * (v - 0.55) / 0.55 : c[ch];
                rgb[(y * W + x) * 3 + ch] = (unsigned char)(val < 0 ? 0 : val > 255 ? 255 : val);
            }
        }
}

static void save_png(const unsigned char *rgb, const char *path)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    unsigned char *d = cairo_image_surface_get_data(s);
    int st = cairo_image_surface_get_stride(s);
    cairo_surface_flush(s);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            const unsigned char *p = rgb + (y * W + x) * 3;
            *(unsigned *)(d + y * st + x * 4) = (unsigned)p[0] << 16 | (unsigned)p[1] << 8 | p[2];
        }
    cairo_surface_mark_dirty(s);
    if (cairo_surface_write_to_png(s, path) != CAIRO_STATUS_SUCCESS)
        fprintf(stderr, "cannot write %s\n", path);
    cairo_surface_destroy(s);
}

static void save_jpeg(const unsigned char *rgb, const char *path)
{
    tjhandle tj = tjInitCompress();
    unsigned char *out = NULL;
    unsigned long n = 0;
    tjCompress2(tj, rgb, W, 0, H, TJPF_RGB, &out, &n, TJSAMP_420, 85, 0);
    FILE *f = fopen(path, "wb");
    fwrite(out, 1, n, f);
    fclose(f);
    tjFree(out);
    tjDestroy(tj);
}

/* Diverging blue (darker now) – white – red (brighter now) map of the change. */
static void save_diff(const unsigned char *a, const unsigned char *b, const char *path)
{
    unsigned char *d = malloc(W * H * 3);
    for (int i = 0; i < W * H; i++) {
        double la = a[i * 3] + a[i * 3 + 1] + a[i * 3 + 2], lb = b[i * 3] + b[i * 3 + 1] + b[i * 3 + 2];
        double t = (lb - la) / 90.0;
        t = t < -1 ? -1 : t > 1 ? 1 : t;
        double r = t > 0 ? 1 : 1 + t, g = 1 - fabs(t) * 0.8, bl = t < 0 ? 1 : 1 - t;
        d[i * 3] = (unsigned char)(r * 255), d[i * 3 + 1] = (unsigned char)(g * 255),
        d[i * 3 + 2] = (unsigned char)(bl * 255);
    }
    save_png(d, path);
    free(d);
}

static void detections(double k, const char *indent)
{
    printf("%s\"pores\": [", indent);
    for (size_t i = 0; i < sizeof pores / sizeof pores[0]; i++) {
        if (k < 0.8 && i % 4 == 3)
            continue; /* some pores no longer detected */
        printf("%s{\"x\": %.1f, \"y\": %.1f, \"d_mm\": %.3f}", i ? ", " : "", pores[i].x,
               pores[i].y, pores[i].d * (0.55 + 0.45 * k) * 0.05);
    }
    printf("],\n%s\"scars\": [", indent);
    for (size_t i = 0; i < sizeof scars / sizeof scars[0]; i++)
        printf("%s{\"x\": %.1f, \"y\": %.1f, \"area_mm2\": %.2f, \"max_depth\": %.4f}", i ? ", " : "",
               scars[i].x, scars[i].y, 3.14159 * pow(scars[i].r * 0.05 * 0.8, 2) * (0.7 + 0.3 * k),
               0.12 * scars[i].depth * k);
    printf("],\n%s\"wrinkles\": [", indent);
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        printf("%s{\"x0\": %.1f, \"y0\": %.1f, \"x1\": %.1f, \"y1\": %.1f, \"length_mm\": %.2f, "
               "\"width_mm\": %.3f, \"depth\": %.4f}", i ? ", " : "", lines[i].x0, lines[i].y0,
               lines[i].x1, lines[i].y1,
               hypot(lines[i].x1 - lines[i].x0, lines[i].y1 - lines[i].y0) * 0.05,
               lines[i].w * 2 * 0.05 * (0.6 + 0.4 * k), 0.18 * k);
    printf("]\n");
}

int main(int argc, char **argv)
{
    const char *root = argc > 1 ? argv[1] : ".";
    char p[512];
    static unsigned char s0[W * H * 3], s1[W * H * 3], s3[W * H * 3], h0[W * H * 3], h2[W * H * 3];
    render(s0, 1.0, 1, 0);
    render(s1, 0.85, 2, 0);
    render(s3, 0.62, 3, 0);
    snprintf(p, sizeof p, "%s/demo/images/s0_aligned.png", root), save_png(s0, p);
    snprintf(p, sizeof p, "%s/demo/images/s1_aligned.jpg", root), save_jpeg(s1, p);
    snprintf(p, sizeof p, "%s/demo/images/s3_aligned.png", root), save_png(s3, p);
    snprintf(p, sizeof p, "%s/demo/images/s3_diff.png", root), save_diff(s0, s3, p);
    render(h0, 1.0, 1, 1);
    render(h2, 0.7, 2, 1);
    snprintf(p, sizeof p, "%s/height/images/s0_aligned.png", root), save_png(h0, p);
    snprintf(p, sizeof p, "%s/height/images/s2_aligned.png", root), save_png(h2, p);
    printf("== k=1.0\n"), detections(1.0, "      ");
    printf("== k=0.85\n"), detections(0.85, "      ");
    printf("== k=0.7\n"), detections(0.7, "      ");
    printf("== k=0.62\n"), detections(0.62, "      ");
    return 0;
}
