/* Automatic skin mask (see roi.h). Works on a copy of at most
 * SKIN_MAX_SIDE pixels a side: the mask outlines regions millimetres wide,
 * and the low resolution keeps it to a few milliseconds at 12 MP. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "series/roi.h"
#include "simd/kernels.h"

#define SKIN_MAX_SIDE 512
#define SKIN_MIN_FRACTION 0.05 /* less skin than this: the detector failed */
#define SKIN_EDGE_FACTOR 4.0   /* local SD above this many times the median: hair, edges */
/* Relative to the skin's own median colour (so a tan or a colour cast moves
 * the limits with it): darker than SKIN_DARK_FRACTION of its luminance are
 * brows, eyes, nostrils, hair and deep shadow; brighter than
 * SKIN_GLARE_FACTOR times it, or with more than SKIN_CLIP_FRACTION of the
 * block clipped, specular glare (no texture can be read under it); redder
 * than the skin by SKIN_LIP_DCR in Cr and SKIN_LIP_DHUE in Cr - Cb, the lips'
 * vermilion (which is not skin for a dermatologist's patch). */
#define SKIN_DARK_FRACTION 0.55
#define SKIN_GLARE_FACTOR 1.5
#define SKIN_CLIP_LEVEL 0.98f
#define SKIN_CLIP_FRACTION 0.02f
#define SKIN_LIP_DCR 9.0
#define SKIN_LIP_DHUE 16.0
/* Holes enclosed by skin smaller than this fraction of the skin are filled:
 * pores, scars and their lit rims are what is measured, while eyes, brows,
 * nostrils and lips (each >= ~1 % of a face's skin) stay out. */
#define SKIN_HOLE_FRACTION 0.005
/* Low-res pixels the mask is eroded by: a block straddling skin and hair,
 * cloth or background has a mixed colour that can pass the tests. */
#define SKIN_ERODE 2

typedef struct lowres {
    int w, h, f; /* f: block size (full-res pixels per low-res pixel) */
    float *r, *g, *b;
    float *clip; /* fraction of the block's pixels with a channel at >= SKIN_CLIP_LEVEL */
} lowres;

static int make_lowres(const st_image *rgb, lowres *lr)
{
    int side = rgb->width > rgb->height ? rgb->width : rgb->height;
    lr->f = (side + SKIN_MAX_SIDE - 1) / SKIN_MAX_SIDE;
    lr->w = (rgb->width + lr->f - 1) / lr->f;
    lr->h = (rgb->height + lr->f - 1) / lr->f;
    size_t n = (size_t)lr->w * lr->h;
    lr->r = calloc(4 * n, sizeof(float));
    if (!lr->r)
        return -1;
    lr->g = lr->r + n;
    lr->b = lr->g + n;
    lr->clip = lr->b + n;
    /* Block by block along each row (x0 the block's first column): every
     * sum gets its pixels in raster order, without a division per pixel. */
    int f = lr->f, w = rgb->width;
    for (int y = 0; y < rgb->height; y++) {
        const float *pr = st_image_row(rgb, 0, y), *pg = st_image_row(rgb, 1, y), *pb = st_image_row(rgb, 2, y);
        float *out = lr->clip + (size_t)(y / f) * lr->w;
        for (int x0 = 0, bx = 0; x0 < w; x0 += f, bx++)
            for (int x = x0, x1 = x0 + f < w ? x0 + f : w; x < x1; x++)
                out[bx] += pr[x] >= SKIN_CLIP_LEVEL || pg[x] >= SKIN_CLIP_LEVEL || pb[x] >= SKIN_CLIP_LEVEL;
    }
    float *planes[3] = {lr->r, lr->g, lr->b};
    for (int c = 0; c < 3; c++) {
        for (int y = 0; y < rgb->height; y++) {
            const float *row = st_image_row(rgb, c, y);
            float *out = planes[c] + (size_t)(y / f) * lr->w;
            for (int x0 = 0, bx = 0; x0 < w; x0 += f, bx++)
                for (int x = x0, x1 = x0 + f < w ? x0 + f : w; x < x1; x++)
                    out[bx] += row[x];
        }
        for (int y = 0; y < lr->h; y++)
            for (int x = 0; x < lr->w; x++) {
                int bw = (x + 1) * lr->f <= rgb->width ? lr->f : rgb->width - x * lr->f;
                int bh = (y + 1) * lr->f <= rgb->height ? lr->f : rgb->height - y * lr->f;
                planes[c][(size_t)y * lr->w + x] /= (float)(bw * bh);
                if (c == 0)
                    lr->clip[(size_t)y * lr->w + x] /= (float)(bw * bh);
            }
    }
    return 0;
}

/* Skin-coloured: the Cb/Cr box of Chai & Ngan (1999, IEEE TCSVT 9(4)),
 * Cb 77–127, Cr 133–173, widened by 8 levels for colour casts. */
static void ycc(float r, float g, float b, double *y, double *cb, double *cr)
{
    *cb = 128 + 255 * (-0.168736 * r - 0.331264 * g + 0.5 * b);
    *cr = 128 + 255 * (0.5 * r - 0.418688 * g - 0.081312 * b);
    *y = 0.299 * r + 0.587 * g + 0.114 * b;
}

static int skin_colour(float r, float g, float b)
{
    double y, cb, cr;
    ycc(r, g, b, &y, &cb, &cr);
    return cb >= 69 && cb <= 135 && cr >= 125 && cr <= 181 && y > 0.08 && y < 0.98;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* Local SD of luminance over 5x5 at low resolution. */
static void local_sd(const lowres *lr, float *sd)
{
    for (int y = 0; y < lr->h; y++)
        for (int x = 0; x < lr->w; x++) {
            double s = 0, s2 = 0;
            int n = 0;
            for (int dy = -2; dy <= 2; dy++)
                for (int dx = -2; dx <= 2; dx++) {
                    int xx = x + dx, yy = y + dy;
                    if (xx < 0 || yy < 0 || xx >= lr->w || yy >= lr->h)
                        continue;
                    size_t i = (size_t)yy * lr->w + xx;
                    double v = st_luma709(lr->r[i], lr->g[i], lr->b[i]);
                    s += v;
                    s2 += v * v;
                    n++;
                }
            double m = s / n;
            sd[(size_t)y * lr->w + x] = (float)sqrt(fmax(s2 / n - m * m, 0));
        }
}

/* 5x5 majority vote: removes speckle, closes pinholes of a few pixels. */
static void majority(const unsigned char *in, unsigned char *out, int w, int h)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int on = 0, n = 0;
            for (int dy = -2; dy <= 2; dy++)
                for (int dx = -2; dx <= 2; dx++) {
                    int xx = x + dx, yy = y + dy;
                    if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
                        on += in[(size_t)yy * w + xx];
                        n++;
                    }
                }
            out[(size_t)y * w + x] = 2 * on > n;
        }
}

/* Keeps the largest 4-connected component (flood fill with an explicit stack). */
static int largest_component(unsigned char *m, int w, int h)
{
    size_t n = (size_t)w * h, best = 0, best_label = 0;
    if (n > UINT32_MAX)
        return -1;
    uint32_t *label = calloc(n, sizeof *label);
    uint32_t *stack = malloc(n * sizeof *stack);
    if (!label || !stack) {
        free(label);
        free(stack);
        return -1;
    }
    uint32_t next = 0;
    for (size_t s = 0; s < n; s++) {
        if (!m[s] || label[s])
            continue;
        size_t top = 0, size = 0;
        stack[top++] = (uint32_t)s;
        label[s] = ++next;
        while (top) {
            size_t i = stack[--top];
            size++;
            int x = (int)(i % w), y = (int)(i / w);
            size_t nb[4] = {i - 1, i + 1, i - w, i + w};
            int ok[4] = {x > 0, x < w - 1, y > 0, y < h - 1};
            for (int k = 0; k < 4; k++)
                if (ok[k] && m[nb[k]] && !label[nb[k]]) {
                    label[nb[k]] = next;
                    stack[top++] = (uint32_t)nb[k];
                }
        }
        if (size > best) {
            best = size;
            best_label = (size_t)next;
        }
    }
    for (size_t i = 0; i < n; i++)
        m[i] = m[i] && (size_t)label[i] == best_label;
    free(label);
    free(stack);
    return 0;
}

static float median_of(float *v, size_t k)
{
    qsort(v, k, sizeof *v, cmp_float);
    return v[k / 2];
}

/* Clears every pixel within r (Chebyshev distance) of an unset pixel or of
 * the border. */
static void erode(unsigned char *m, unsigned char *tmp, int w, int h, int r)
{
    for (int it = 0; it < r; it++) {
        memcpy(tmp, m, (size_t)w * h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                size_t i = (size_t)y * w + x;
                if (!tmp[i])
                    continue;
                int keep = x > 0 && y > 0 && x < w - 1 && y < h - 1;
                for (int dy = -1; keep && dy <= 1; dy++)
                    for (int dx = -1; keep && dx <= 1; dx++)
                        keep = tmp[i + (ptrdiff_t)dy * w + dx];
                m[i] = (unsigned char)keep;
            }
    }
}

/* Fills the enclosed holes (4-connected unset regions not touching the
 * border) smaller than max_px. */
static int fill_small_holes(unsigned char *m, int w, int h, size_t max_px)
{
    size_t n = (size_t)w * h;
    if (n > UINT32_MAX)
        return -1;
    uint32_t *stack = malloc(n * sizeof *stack), *members = malloc(n * sizeof *members);
    unsigned char *seen = calloc(n, 1);
    if (!stack || !members || !seen) {
        free(stack);
        free(members);
        free(seen);
        return -1;
    }
    for (size_t s = 0; s < n; s++) {
        if (m[s] || seen[s])
            continue;
        size_t top = 0, cnt = 0;
        int border = 0;
        stack[top++] = (uint32_t)s;
        seen[s] = 1;
        while (top) {
            size_t i = stack[--top];
            members[cnt++] = (uint32_t)i;
            int x = (int)(i % w), y = (int)(i / w);
            border |= x == 0 || y == 0 || x == w - 1 || y == h - 1;
            size_t nb[4] = {i - 1, i + 1, i - w, i + w};
            int ok[4] = {x > 0, x < w - 1, y > 0, y < h - 1};
            for (int k = 0; k < 4; k++)
                if (ok[k] && !m[nb[k]] && !seen[nb[k]]) {
                    seen[nb[k]] = 1;
                    stack[top++] = (uint32_t)nb[k];
                }
        }
        if (!border && cnt <= max_px)
            for (size_t k = 0; k < cnt; k++)
                m[members[k]] = 1;
    }
    free(stack);
    free(members);
    free(seen);
    return 0;
}

/* Skin at low resolution, every part of it (not yet reduced to one region).
 * ref (may be NULL): low-res pixels known to be skin (a face's cheeks and
 * nose from its landmarks); their median colour is then the reference, and
 * a colour farther than SKIN_REF_CHROMA from it in Cb/Cr is not skin (a
 * beige wall passes the skin box but not this). */
#define SKIN_REF_CHROMA 12.0
#define SKIN_REF_EDGE_FACTOR 2.5
#define SKIN_REF_DARK_FRACTION 0.7 /* blond or grey hair is darker than the lit face */
static int classify(const lowres *lr, unsigned char *skin, const unsigned char *ref)
{
    size_t n = (size_t)lr->w * lr->h, k = 0;
    float *sd = malloc(n * sizeof *sd), *vals = malloc(n * sizeof *vals);
    unsigned char *tmp = malloc(n);
    if (!sd || !vals || !tmp) {
        free(sd);
        free(vals);
        free(tmp);
        return -1;
    }
    local_sd(lr, sd);
    size_t n_ref = 0;
    for (size_t i = 0; i < n; i++) {
        skin[i] = (unsigned char)skin_colour(lr->r[i], lr->g[i], lr->b[i]);
        n_ref += ref && ref[i] && skin[i];
    }
    if (n_ref < 16)
        ref = NULL;
    /* the texture limit from the reference skin (a smooth wall that passes
     * the colour box would otherwise set it, and cut the face out) */
    for (size_t i = 0; i < n; i++)
        if (skin[i] && (!ref || ref[i]))
            vals[k++] = sd[i];
    if (k) {
        /* with a face's reference skin the limit is tighter: hair strands
         * share the skin's hue but not its smoothness */
        float limit = (float)(ref ? SKIN_REF_EDGE_FACTOR : SKIN_EDGE_FACTOR) * fmaxf(median_of(vals, k), 1e-4f);
        for (size_t i = 0; i < n; i++)
            skin[i] = skin[i] && sd[i] <= limit;
    }
    /* The skin's own median luminance and chroma, then what departs from it. */
    double med[3] = {0, 0, 0};
    for (int c = 0; c < 3; c++) {
        k = 0;
        for (size_t i = 0; i < n; i++)
            if (skin[i] && (!ref || ref[i])) {
                double y, cb, cr;
                ycc(lr->r[i], lr->g[i], lr->b[i], &y, &cb, &cr);
                vals[k++] = (float)(c == 0 ? y : c == 1 ? cb : cr);
            }
        if (k)
            med[c] = median_of(vals, k);
    }
    for (size_t i = 0; k && i < n; i++) {
        if (!skin[i])
            continue;
        double y, cb, cr;
        ycc(lr->r[i], lr->g[i], lr->b[i], &y, &cb, &cr);
        int dark = y < (ref ? SKIN_REF_DARK_FRACTION : SKIN_DARK_FRACTION) * med[0];
        int glare = y > SKIN_GLARE_FACTOR * med[0] || lr->clip[i] > SKIN_CLIP_FRACTION;
        int lips = cr - med[2] > SKIN_LIP_DCR && (cr - cb) - (med[2] - med[1]) > SKIN_LIP_DHUE;
        int other = ref && hypot(cb - med[1], cr - med[2]) > SKIN_REF_CHROMA;
        skin[i] = !dark && !glare && !lips && !other;
    }
    majority(skin, tmp, lr->w, lr->h);
    memcpy(skin, tmp, n);
    size_t on = 0;
    for (size_t i = 0; i < n; i++)
        on += skin[i];
    int rc = fill_small_holes(skin, lr->w, lr->h, (size_t)(SKIN_HOLE_FRACTION * (double)on));
    erode(skin, tmp, lr->w, lr->h, SKIN_ERODE);
    free(sd);
    free(vals);
    free(tmp);
    return rc;
}

/* The skin pixels of rgb at full resolution (every region); *on / *total:
 * low-res counts for the too-little-skin test. */
static int skin_pixels(const st_image *rgb, const st_mask *refm, st_mask *m, int largest, size_t *on,
                       size_t *total, st_err *err)
{
    if (rgb->channels != 3)
        return st_err_set(err, ST_EINVAL, "skin mask: needs a colour photo");
    int rc = st_mask_new(rgb->width, rgb->height, m, err);
    if (rc)
        return rc;
    lowres lr = {0};
    unsigned char *skin = NULL, *ref = NULL;
    int fail = make_lowres(rgb, &lr) || !(skin = malloc((size_t)lr.w * lr.h));
    if (!fail && refm) {
        /* a low-res pixel is reference skin when its block's centre is */
        fail = !(ref = malloc((size_t)lr.w * lr.h));
        for (int y = 0; !fail && y < lr.h; y++)
            for (int x = 0; x < lr.w; x++) {
                int cx = x * lr.f + lr.f / 2, cy = y * lr.f + lr.f / 2;
                cx = cx < refm->w ? cx : refm->w - 1;
                cy = cy < refm->h ? cy : refm->h - 1;
                ref[(size_t)y * lr.w + x] = refm->px[(size_t)cy * refm->w + cx];
            }
    }
    if (fail || classify(&lr, skin, ref) || (largest && largest_component(skin, lr.w, lr.h))) {
        free(lr.r);
        free(skin);
        free(ref);
        st_mask_free(m);
        return st_err_set(err, ST_ENOMEM, "skin mask: out of memory");
    }
    *total = (size_t)lr.w * lr.h;
    *on = 0;
    for (size_t i = 0; i < *total; i++)
        *on += skin[i];
    for (int y = 0; y < m->h; y++) {
        const unsigned char *src = skin + (size_t)(y / lr.f) * lr.w;
        unsigned char *dst = m->px + (size_t)y * m->w;
        for (int x0 = 0, bx = 0; x0 < m->w; x0 += lr.f, bx++)
            memset(dst + x0, src[bx], (size_t)(x0 + lr.f < m->w ? lr.f : m->w - x0));
    }
    free(lr.r);
    free(skin);
    free(ref);
    return ST_OK;
}

int st_skin_lowres(const st_image *rgb, st_mask *m, int *f, st_err *err)
{
    if (rgb->channels != 3)
        return st_err_set(err, ST_EINVAL, "skin mask: needs a colour photo");
    lowres lr = {0};
    memset(m, 0, sizeof *m);
    int rc = make_lowres(rgb, &lr) ? ST_ENOMEM : st_mask_new(lr.w, lr.h, m, err);
    if (!rc && classify(&lr, m->px, NULL)) {
        st_mask_free(m);
        rc = ST_ENOMEM;
    }
    free(lr.r);
    if (rc == ST_ENOMEM)
        return st_err_set(err, ST_ENOMEM, "skin mask: out of memory");
    *f = lr.f;
    return rc;
}

int st_skin_pixels(const st_image *rgb, const st_mask *ref, st_mask *m, st_err *err)
{
    size_t on, total;
    return skin_pixels(rgb, ref, m, 0, &on, &total, err);
}

int st_mask_keep_largest(st_mask *m, st_err *err)
{
    if (largest_component(m->px, m->w, m->h))
        return st_err_set(err, ST_ENOMEM, "skin mask: out of memory (%dx%d)", m->w, m->h);
    return ST_OK;
}

int st_skin_mask(const st_image *rgb, st_mask *m, const char **note, int threads, st_err *err)
{
    (void)threads;
    *note = NULL;
    size_t on = 0, total = 0;
    int rc = skin_pixels(rgb, NULL, m, 1, &on, &total, err);
    if (!rc && (double)on < SKIN_MIN_FRACTION * (double)total) {
        *note = "the automatic skin mask found too little skin; the whole frame is measured";
        memset(m->px, 1, (size_t)m->w * m->h);
    }
    return rc;
}
