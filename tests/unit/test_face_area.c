/* Face areas from facial landmarks (series/face_area.c) on a real face photo:
 * scikit-image's astronaut (python3-skimage; NASA, public domain) and the
 * same photo turned by 3 degrees and shifted. The face is found, each named
 * area contains the points marked by eye on that part of the face and none
 * marked off the skin (eyes, lips, hair, suit, background).
 * Skips (exit 77) when the landmark model or the photo is not installed, or
 * the build has no dlib. */
#define _DEFAULT_SOURCE
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cv/dlib_wrap.h"
#include "series/roi.h"
#include "test_util.h"

#define ASTRONAUT "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"

/* Points marked once by eye on the 512 x 512 astronaut (x, y). */
typedef struct mark {
    const char *area;
    double in[3][2];  /* must be inside the area */
} mark;

static const mark MARKS[] = {
    /* the patient's left cheek is on the image's right */
    {"left cheek", {{248, 123}, {251, 130}, {249, 136}}},
    {"right cheek", {{199, 122}, {200, 130}, {199, 136}}},
    {"nose", {{223, 115}, {223, 121}, {220, 124}}},
    {"chin", {{222, 168}, {215, 167}, {229, 167}}},
};

/* Never skin: eyes, mouth, hair, suit, background, the flag. */
static const double OFF_SKIN[][2] = {{205, 103}, {243, 103}, {224, 146}, {224, 35}, {170, 60}, {224, 60},
                                     {200, 300}, {400, 150}, {40, 200}, {300, 80}, {224, 200}};

static int at(const st_mask *m, double x, double y)
{
    int ix = (int)lround(x), iy = (int)lround(y);
    return ix >= 0 && iy >= 0 && ix < m->w && iy < m->h && m->px[(size_t)iy * m->w + ix];
}

/* A point of the original photo in the copy turned by `deg` about the
 * centre (cx, cy) and shifted by (dx, dy), as mkface does. */
static void turn(double deg, double cx, double cy, double dx, double dy, double x, double y, double *ox,
                 double *oy)
{
    double a = deg * M_PI / 180, c = cos(a), s = sin(a);
    *ox = c * (x - cx) - s * (y - cy) + cx + dx;
    *oy = s * (x - cx) + c * (y - cy) + cy + dy;
}

/* ST_FACE_DEBUG=DIR: the photo with every area tinted, landmarks and marked
 * points drawn, for looking at. */
static st_image *debug_img;
static void tint(const st_mask *m, const float rgb[3])
{
    if (!debug_img)
        return;
    for (int y = 0; y < m->h; y++)
        for (int x = 0; x < m->w; x++)
            if (m->px[(size_t)y * m->w + x])
                for (int c = 0; c < 3; c++) {
                    float *p = st_image_row(debug_img, c, y) + x;
                    *p = 0.5f * *p + 0.5f * rgb[c];
                }
}
static void spot(double x, double y, const float rgb[3])
{
    int ix = (int)lround(x), iy = (int)lround(y);
    for (int c = 0; debug_img && c < 3; c++)
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
                if (ix + dx >= 0 && iy + dy >= 0 && ix + dx < debug_img->width && iy + dy < debug_img->height)
                    st_image_row(debug_img, c, iy + dy)[ix + dx] = rgb[c];
}

static void check_photo(const st_image *img, double deg, double dx, double dy, const char *label)
{
    st_err err;
    static const float cols[5][3] = {{1, 1, 0}, {0, 1, 1}, {0, 1, 0}, {1, 0, 1}, {0, 0, 1}};
    const float red[3] = {1, 0, 0}, white[3] = {1, 1, 1};
    const char *dbg = getenv("ST_FACE_DEBUG");
    if (dbg)
        st_image_clone(img, &debug_img, &err);
    double cx = img->width / 2.0, cy = img->height / 2.0;
    for (size_t k = 0; k < sizeof MARKS / sizeof *MARKS; k++) {
        st_mask m;
        char why[400];
        double lm[136];
        int rc = st_face_area(img, MARKS[k].area, NULL, &m, lm, why, sizeof why, &err);
        CHECK_MSG(rc == ST_OK && m.px, "%s %s: %s", label, MARKS[k].area, rc ? err.msg : why);
        if (!m.px)
            continue;
        int bb[4];
        st_mask_bbox(&m, bb);
        tint(&m, cols[k]);
        for (int q = 0; q < 68 && k == 0; q++)
            spot(lm[2 * q], lm[2 * q + 1], white);
        printf("%s %-11s: %6zu px, box %d,%d %dx%d\n", label, MARKS[k].area, st_mask_count(&m), bb[0], bb[1],
               bb[2], bb[3]);
        for (int p = 0; p < 3; p++) {
            double x, y;
            turn(deg, cx, cy, dx, dy, MARKS[k].in[p][0], MARKS[k].in[p][1], &x, &y);
            CHECK_MSG(at(&m, x, y), "%s %s: marked point %.0f,%.0f outside the area", label, MARKS[k].area, x, y);
            spot(x, y, cols[k]);
        }
        for (size_t p = 0; p < sizeof OFF_SKIN / sizeof *OFF_SKIN; p++) {
            double x, y;
            turn(deg, cx, cy, dx, dy, OFF_SKIN[p][0], OFF_SKIN[p][1], &x, &y);
            CHECK_MSG(!at(&m, x, y), "%s %s: off-skin point %.0f,%.0f inside the area", label, MARKS[k].area, x, y);
        }
        st_mask_free(&m);
    }
    /* the automatic skin area of the face photo: skin only */
    st_mask m;
    char why[400];
    int rc = st_face_skin_mask(img, NULL, &m, why, sizeof why, &err);
    CHECK_MSG(rc == ST_OK && m.px, "%s skin: %s", label, rc ? err.msg : why);
    if (m.px) {
        printf("%s skin area : %6zu px\n", label, st_mask_count(&m));
        if (dbg) {
            char path[1200];
            snprintf(path, sizeof path, "%s/%s_areas.png", dbg, label);
            for (size_t p = 0; p < sizeof OFF_SKIN / sizeof *OFF_SKIN; p++) {
                double x, y;
                turn(deg, cx, cy, dx, dy, OFF_SKIN[p][0], OFF_SKIN[p][1], &x, &y);
                spot(x, y, red);
            }
            st_image_save_png(debug_img, path, 8, &err);
            const float grey[3] = {0.5f, 0.5f, 0.5f};
            st_image_free(debug_img);
            st_image_clone(img, &debug_img, &err);
            tint(&m, grey);
            snprintf(path, sizeof path, "%s/%s_skin.png", dbg, label);
            st_image_save_png(debug_img, path, 8, &err);
            st_image_free(debug_img);
            debug_img = NULL;
        }
        for (size_t p = 0; p < sizeof OFF_SKIN / sizeof *OFF_SKIN; p++) {
            double x, y;
            turn(deg, cx, cy, dx, dy, OFF_SKIN[p][0], OFF_SKIN[p][1], &x, &y);
            CHECK_MSG(!at(&m, x, y), "%s skin area: off-skin point %.0f,%.0f inside", label, x, y);
        }
        double x, y;
        turn(deg, cx, cy, dx, dy, 247, 124, &x, &y);
        CHECK_MSG(at(&m, x, y), "%s skin area: the cheek at %.0f,%.0f left out", label, x, y);
        st_mask_free(&m);
    }
}

int main(void)
{
    const char *path = getenv("ST_FACE_IMAGE") ? getenv("ST_FACE_IMAGE") : ASTRONAUT;
    const char *turned = getenv("ST_FACE_TURNED"); /* optional: the 3 deg, (4, -3) px copy */
    if (!stdl_available()) {
        printf("SKIP: this build has no dlib (configure with dlib-1 installed)\n");
        return 77;
    }
    if (access(STDL_DEFAULT_MODEL, R_OK)) {
        printf("SKIP: landmark model %s not installed (apt-get install libdlib-data)\n", STDL_DEFAULT_MODEL);
        return 77;
    }
    if (access(path, R_OK)) {
        printf("SKIP: face photo %s not installed (apt-get install python3-skimage)\n", path);
        return 77;
    }
    st_err err;
    st_image *img = NULL;
    int rc = st_image_load(path, NULL, &img, NULL, &err);
    CHECK_MSG(rc == ST_OK, "%s: %s", path, err.msg);
    if (img)
        check_photo(img, 0, 0, 0, "astronaut");
    st_image_free(img);
    if (turned && !access(turned, R_OK)) {
        img = NULL;
        rc = st_image_load(turned, NULL, &img, NULL, &err);
        CHECK_MSG(rc == ST_OK, "%s: %s", turned, err.msg);
        if (img)
            check_photo(img, 3, 4, -3, "turned");
        st_image_free(img);
    }
    return test_summary();
}
