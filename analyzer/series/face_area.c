/* A named area of a face photo from its 68 landmarks (see roi.h).
 *
 * Landmarks in the iBUG 300-W order dlib's model gives (0-based): jaw 0-16
 * (0 on the image's left), brows 17-21 and 22-26, nose bridge 27-30 and base
 * 31-35, eyes 36-41 (image left; 36 outer corner, 40/41 lower lid) and 42-47
 * (image right; 45 outer corner, 46/47 lower lid), mouth 48-59 (outer lip
 * line, 48 and 54 the corners) and 60-67 (inner). Distances are in units of
 * d, the distance between the eyes' centres, along the face's own axes (e:
 * from the image-left eye to the image-right eye; up: perpendicular to e), so
 * the areas follow a turned or tilted head. Each polygon keeps a margin from
 * the features a dermatologist would leave out of the patch (eyes, brows,
 * nostrils, lips, the jaw line), and the skin test then removes what the
 * polygon still holds of hair, glare or shadow. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "cv/dlib_wrap.h"
#include "series/roi.h"

#define FACE_MAX_SIDE 1600 /* the detector works on a copy at most this large */
#define FACE_MIN_SIDE 800  /* smaller photos are doubled (the detector's faces are >= 80 px) */
#define FACE_BOX_GROW 0.1  /* st_face_box: the landmarks' box grown by this share of its size */
#define FACE_BOX_MIN 64    /* st_face_box: a smaller face is left to whole-frame registration */

typedef struct pt {
    double x, y;
} pt;

typedef struct frame {
    const double *lm; /* 68 x, y */
    pt e, up;         /* unit vectors */
    double d;         /* eye distance, px */
} frame;

static pt L(const frame *f, int k)
{
    return (pt){f->lm[2 * k], f->lm[2 * k + 1]};
}

/* p moved by a*d along e and b*d along up. */
static pt mv(const frame *f, pt p, double a, double b)
{
    return (pt){p.x + f->d * (a * f->e.x + b * f->up.x), p.y + f->d * (a * f->e.y + b * f->up.y)};
}

static pt mix(pt p, pt q, double t)
{
    return (pt){p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)};
}

static pt centre(const frame *f, int k0, int k1)
{
    pt c = {0, 0};
    for (int k = k0; k <= k1; k++) {
        c.x += f->lm[2 * k] / (k1 - k0 + 1);
        c.y += f->lm[2 * k + 1] / (k1 - k0 + 1);
    }
    return c;
}

static const char *const AREAS[] = {"forehead", "left cheek", "right cheek", "nose", "chin", "perioral"};

int st_face_area_name(const char *area, char canon[32])
{
    char buf[32];
    size_t n = 0;
    for (const char *p = area; *p && n + 1 < sizeof buf; p++) {
        char ch = (char)tolower((unsigned char)*p);
        buf[n++] = ch == '_' || ch == '-' ? ' ' : ch;
    }
    buf[n] = 0;
    for (size_t k = 0; k < sizeof AREAS / sizeof *AREAS; k++)
        if (!strcmp(buf, AREAS[k])) {
            snprintf(canon, 32, "%s", AREAS[k]);
            return 1;
        }
    return 0;
}

/* Even-odd fill of a polygon into m (value v). */
static void fill_poly(st_mask *m, const pt *p, int n, unsigned char v)
{
    double y0 = p[0].y, y1 = p[0].y;
    for (int k = 1; k < n; k++) {
        y0 = fmin(y0, p[k].y);
        y1 = fmax(y1, p[k].y);
    }
    int ya = (int)fmax(0, floor(y0)), yb = (int)fmin(m->h - 1, ceil(y1));
    double xs[64];
    for (int y = ya; y <= yb; y++) {
        double cy = y + 0.5;
        int nx = 0;
        for (int k = 0; k < n && nx < 64; k++) {
            pt a = p[k], b = p[(k + 1) % n];
            if ((a.y <= cy) != (b.y <= cy))
                xs[nx++] = a.x + (cy - a.y) / (b.y - a.y) * (b.x - a.x);
        }
        for (int i = 1; i < nx; i++)
            for (int j = i; j > 0 && xs[j - 1] > xs[j]; j--) {
                double t = xs[j];
                xs[j] = xs[j - 1];
                xs[j - 1] = t;
            }
        for (int i = 0; i + 1 < nx; i += 2) {
            int xa = (int)fmax(0, ceil(xs[i] - 0.5)), xb = (int)fmin(m->w - 1, floor(xs[i + 1] - 0.5));
            for (int x = xa; x <= xb; x++)
                m->px[(size_t)y * m->w + x] = v;
        }
    }
}

/* The area's polygon(s) into m (cleared first when `clear`). */
static void area_polygon(const frame *f, const char *area, st_mask *m, int clear)
{
    if (clear)
        memset(m->px, 0, (size_t)m->w * m->h);
    pt p[32]; /* the whole face takes 27: 17 on the jaw, 10 above the brows */
    int n = 0;
    if (!strcmp(area, "forehead")) {
        /* from just above the brows to 0.45 d higher (the skin test then
         * stops it at a fringe), between the brows' middles */
        for (int k = 18; k <= 25; k++)
            p[n++] = mv(f, L(f, k), 0, 0.12);
        for (int k = 25; k >= 18; k--)
            p[n++] = mv(f, L(f, k), 0, 0.45);
    } else if (!strcmp(area, "left cheek") || !strcmp(area, "right cheek")) {
        /* below the lower lid, beside the nose, above the mouth corner's
         * level, inside the jaw line; patient's left = image right */
        int right = !strcmp(area, "left cheek");
        double s = right ? 1 : -1;
        pt tip = L(f, 30);
        p[n++] = mv(f, L(f, right ? 47 : 40), 0, -0.22);
        p[n++] = mv(f, L(f, right ? 46 : 41), 0, -0.22);
        p[n++] = mix(L(f, right ? 15 : 1), tip, 0.3);
        p[n++] = mix(L(f, right ? 13 : 3), tip, 0.3);
        p[n++] = mix(L(f, right ? 54 : 48), L(f, right ? 12 : 4), 0.3);
        p[n++] = mv(f, L(f, right ? 35 : 31), 0.15 * s, 0);
    } else if (!strcmp(area, "nose")) {
        p[n++] = mv(f, L(f, 28), -0.1, 0);
        p[n++] = mv(f, L(f, 28), 0.1, 0);
        p[n++] = mv(f, L(f, 35), 0, 0.12);
        p[n++] = mv(f, L(f, 33), 0, 0.1);
        p[n++] = mv(f, L(f, 31), 0, 0.12);
    } else if (!strcmp(area, "chin")) {
        pt lip = L(f, 57);
        p[n++] = mv(f, L(f, 58), 0, -0.18);
        p[n++] = mv(f, L(f, 56), 0, -0.18);
        p[n++] = mix(L(f, 10), lip, 0.2);
        p[n++] = mix(L(f, 9), lip, 0.2);
        p[n++] = mix(L(f, 8), lip, 0.2);
        p[n++] = mix(L(f, 7), lip, 0.2);
        p[n++] = mix(L(f, 6), lip, 0.2);
    } else if (!strcmp(area, "face")) {
        /* the whole face: the jaw line, closed above the brows at 0.6 d */
        for (int k = 0; k <= 16; k++)
            p[n++] = L(f, k);
        for (int k = 26; k >= 17; k--)
            p[n++] = mv(f, L(f, k), 0, 0.6);
    } else if (!strcmp(area, "perioral")) {
        /* a ring around the lips: the outer lip line grown 1.7x about the
         * mouth's centre, minus the lips grown 1.2x */
        pt c = centre(f, 48, 59), q[12];
        for (int k = 0; k < 12; k++)
            p[k] = mix(c, L(f, 48 + k), 1.7), q[k] = mix(c, L(f, 48 + k), 1.2);
        fill_poly(m, p, 12, 1);
        fill_poly(m, q, 12, 0);
        return;
    }
    if (n)
        fill_poly(m, p, n, 1);
}

/* 8-bit gray copy for the detector, scaled by s (nearest-neighbour on a box
 * mean is enough for a face detector working on 80 px faces and up). */
static unsigned char *gray8(const st_image *rgb, double s, int *gw, int *gh)
{
    *gw = (int)lround(rgb->width * s);
    *gh = (int)lround(rgb->height * s);
    unsigned char *g = malloc((size_t)*gw * *gh);
    if (!g)
        return NULL;
    for (int y = 0; y < *gh; y++) {
        int sy = (int)fmin(rgb->height - 1, (y + 0.5) / s);
        const float *r = st_image_row(rgb, 0, sy), *gg = st_image_row(rgb, 1, sy), *b = st_image_row(rgb, 2, sy);
        for (int x = 0; x < *gw; x++) {
            int sx = (int)fmin(rgb->width - 1, (x + 0.5) / s);
            double v = 0.299 * r[sx] + 0.587 * gg[sx] + 0.114 * b[sx];
            g[(size_t)y * *gw + x] = (unsigned char)lround(255 * fmin(fmax(v, 0), 1));
        }
    }
    return g;
}

/* The landmarks of the largest face in rgb, in its pixels; 0 when found,
 * else 1 with why set; <0 out of memory. */
static int find_landmarks(const st_image *rgb, const char *model, double lm[136], char *why, size_t whylen)
{
    if (!stdl_available()) {
        snprintf(why, whylen, ST_FACE_NO_LANDMARKS ": this build has no dlib");
        return 1;
    }
    int side = rgb->width > rgb->height ? rgb->width : rgb->height;
    double s = side > FACE_MAX_SIDE ? (double)FACE_MAX_SIDE / side : side < FACE_MIN_SIDE ? 2.0 : 1.0;
    int gw, gh;
    unsigned char *g = gray8(rgb, s, &gw, &gh);
    if (!g)
        return -1;
    double box[4];
    char msg[300];
    int r = stdl_face_landmarks(g, gw, gh, (size_t)gw, model, lm, box, msg, sizeof msg);
    free(g);
    if (r) {
        snprintf(why, whylen, ST_FACE_NO_LANDMARKS " (%s)", msg);
        return 1;
    }
    /* back to the photo's pixels (centres: (x + 0.5) / s - 0.5) */
    for (int k = 0; k < 136; k++)
        lm[k] = (lm[k] + 0.5) / s - 0.5;
    return 0;
}

static int make_frame(frame *f, const double *lm, char *why, size_t whylen)
{
    *f = (frame){lm, {0, 0}, {0, 0}, 0};
    pt el = centre(f, 36, 41), er = centre(f, 42, 47);
    f->d = hypot(er.x - el.x, er.y - el.y);
    if (!(f->d > 4)) {
        snprintf(why, whylen, ST_FACE_NO_LANDMARKS " (the eyes coincide)");
        return 1;
    }
    f->e = (pt){(er.x - el.x) / f->d, (er.y - el.y) / f->d};
    f->up = (pt){f->e.y, -f->e.x}; /* image y grows downwards */
    return 0;
}

/* The face's own skin (cheeks, nose, forehead) as the colour reference. */
static void reference_polygons(const frame *f, st_mask *m)
{
    static const char *const ref_areas[] = {"left cheek", "right cheek", "nose", "forehead"};
    memset(m->px, 0, (size_t)m->w * m->h);
    for (int k = 0; k < 4; k++)
        area_polygon(f, ref_areas[k], m, 0);
}

int st_face_skin_mask(const st_image *rgb, const char *model, st_mask *m, char *why, size_t whylen, st_err *err)
{
    memset(m, 0, sizeof *m);
    why[0] = 0;
    double lm[136];
    frame f;
    if (rgb->channels != 3) {
        snprintf(why, whylen, "face areas need a colour photo");
        return ST_OK;
    }
    int r = find_landmarks(rgb, model, lm, why, whylen);
    if (r < 0)
        return st_err_set(err, ST_ENOMEM, "face: out of memory");
    if (r || make_frame(&f, lm, why, whylen))
        return ST_OK;
    st_mask ref;
    int rc = st_mask_new(rgb->width, rgb->height, &ref, err);
    if (rc)
        return rc;
    reference_polygons(&f, &ref);
    rc = st_skin_pixels(rgb, &ref, m, err);
    /* the face only: hair, neck and hands share its colour, and light hair
     * its smoothness at a photo's resolution */
    if (!rc) {
        area_polygon(&f, "face", &ref, 1);
        for (size_t i = 0, n = (size_t)m->w * m->h; i < n; i++)
            m->px[i] = m->px[i] && ref.px[i];
    }
    st_mask_free(&ref);
    if (!rc)
        rc = st_mask_keep_largest(m, err);
    if (rc)
        st_mask_free(m);
    return rc;
}

int st_face_area(const st_image *rgb, const char *area, const char *model, st_mask *m, double pts[136],
                 char *why, size_t whylen, st_err *err)
{
    memset(m, 0, sizeof *m);
    why[0] = 0;
    char canon[32];
    if (!area || !st_face_area_name(area, canon)) {
        snprintf(why, whylen, "area '%s' is not a face area", area ? area : "");
        return ST_OK;
    }
    if (rgb->channels != 3) {
        snprintf(why, whylen, "face areas need a colour photo");
        return ST_OK;
    }
    double lm[136];
    frame f;
    int r = find_landmarks(rgb, model, lm, why, whylen);
    if (r < 0)
        return st_err_set(err, ST_ENOMEM, "face: out of memory");
    if (r || make_frame(&f, lm, why, whylen))
        return ST_OK;
    if (pts)
        memcpy(pts, lm, sizeof lm);
    st_mask skin = {0};
    int rc = st_mask_new(rgb->width, rgb->height, m, err);
    if (rc)
        return rc;
    reference_polygons(&f, m);
    rc = st_skin_pixels(rgb, m, &skin, err);
    if (rc) {
        st_mask_free(m);
        return rc;
    }
    area_polygon(&f, canon, m, 1);
    size_t poly = st_mask_count(m);
    for (size_t i = 0, n = (size_t)m->w * m->h; i < n; i++)
        m->px[i] = m->px[i] && skin.px[i];
    st_mask_free(&skin);
    rc = st_mask_keep_largest(m, err);
    if (rc) {
        st_mask_free(m);
        return rc;
    }
    size_t kept = st_mask_count(m);
    if (!poly || kept < poly / 5) {
        snprintf(why, whylen, "the %s found by the facial landmarks is mostly not skin (%.0f %%)", canon,
                 poly ? 100.0 * (double)kept / (double)poly : 0.0);
        st_mask_free(m);
    }
    return ST_OK;
}

int st_face_box(const st_image *rgb, const char *model, int box[4], char *why, size_t whylen, st_err *err)
{
    why[0] = 0;
    memset(box, 0, 4 * sizeof *box);
    if (rgb->channels != 3) {
        snprintf(why, whylen, "face areas need a colour photo");
        return ST_OK;
    }
    double lm[136];
    int r = find_landmarks(rgb, model, lm, why, whylen);
    if (r < 0)
        return st_err_set(err, ST_ENOMEM, "face: out of memory");
    if (r)
        return ST_OK;
    double x0 = lm[0], x1 = lm[0], y0 = lm[1], y1 = lm[1];
    for (int k = 1; k < 68; k++) {
        x0 = fmin(x0, lm[2 * k]);
        x1 = fmax(x1, lm[2 * k]);
        y0 = fmin(y0, lm[2 * k + 1]);
        y1 = fmax(y1, lm[2 * k + 1]);
    }
    /* grown by FACE_BOX_GROW of its size each side, and upwards by as much
     * again for the forehead (the landmarks stop at the brows) */
    double gx = FACE_BOX_GROW * (x1 - x0), gy = FACE_BOX_GROW * (y1 - y0);
    int bx0 = (int)fmax(0, floor(x0 - gx)), by0 = (int)fmax(0, floor(y0 - 2 * gy));
    int bx1 = (int)fmin(rgb->width, ceil(x1 + gx) + 1), by1 = (int)fmin(rgb->height, ceil(y1 + gy) + 1);
    if (bx1 - bx0 < FACE_BOX_MIN || by1 - by0 < FACE_BOX_MIN) {
        snprintf(why, whylen, "the face is smaller than %d px", FACE_BOX_MIN);
        return ST_OK;
    }
    box[0] = bx0;
    box[1] = by0;
    box[2] = bx1 - bx0;
    box[3] = by1 - by0;
    return ST_OK;
}
