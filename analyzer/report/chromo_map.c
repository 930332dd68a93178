/* Fixed-scale colour maps of melanin and haemoglobin densities. */
#include "report/chromo_map.h"

#include <math.h>
#include <string.h>

#include "core/error.h"
#include "report/chart_model.h"

/* Ranges: densities along the unit vectors of metrics/chromophores.h from
 * the least to the most pigmented skin we expect in calibrated photos: the
 * ColorChecker's light and dark skin patches read m = 0.67 and 0.80,
 * h = 0.75 and 0.94; the skin of the demo course's first photo spans
 * m 0.49..1.25 (brown spots at the top), h 0.47..1.15 (red patches at the
 * top), 1st to 99th percentile; melanin reaches further for darker skin
 * types. Fixed, never fitted to the image, so a darker map means more
 * pigment in every session and every patient. */
static const double range_lo[2] = {0.2, 0.3};
static const double range_hi[2] = {1.8, 1.5};

/* Stops from pale skin to dark: melanin through tan and brown to dark
 * umber, haemoglobin through pink and red to dark crimson. */
static const unsigned ramp[2][5] = {
    {0xF7EEE4, 0xE3C29B, 0xB9875A, 0x7A4E2A, 0x3A2210},
    {0xF9ECEC, 0xF0B0AE, 0xDD5F5A, 0xAE1F23, 0x5E0610},
};

void st_chromo_map_range(int which, double *lo, double *hi)
{
    which = which == ST_CHROMO_HAEMOGLOBIN;
    if (lo)
        *lo = range_lo[which];
    if (hi)
        *hi = range_hi[which];
}

const char *st_chromo_map_label(int which)
{
    return which == ST_CHROMO_HAEMOGLOBIN ? "Haemoglobin" : "Melanin";
}

unsigned st_chromo_map_colour(int which, double t)
{
    return st_ramp5(ramp[which == ST_CHROMO_HAEMOGLOBIN], t);
}

/* 256 entries of the ramp over [lo, hi]: the map is a lookup, and a colour
 * is the same wherever the same density occurs. */
static void build_lut(int which, float lut[256][3])
{
    for (int i = 0; i < 256; i++) {
        unsigned c = st_chromo_map_colour(which, i / 255.0);
        for (int k = 0; k < 3; k++)
            lut[i][k] = (float)((c >> (16 - 8 * k)) & 255) / 255.0f;
    }
}

static inline int lut_index(float v, double lo, double hi)
{
    if (!isfinite(v))
        return 0;
    double t = (v - lo) / (hi - lo);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return (int)lround(t * 255.0);
}

int st_chromo_map(const st_image *density, int which, const unsigned char *mask, size_t mstride,
                  st_image **out, st_err *err)
{
    *out = NULL;
    if (which != ST_CHROMO_MELANIN && which != ST_CHROMO_HAEMOGLOBIN)
        return st_err_set(err, ST_EINVAL, "chromophore map: unknown chromophore %d", which);
    if (!density || density->channels != 1)
        return st_err_set(err, ST_EINVAL, "chromophore map: needs a 1-channel density image");
    int rc = st_image_new(density->width, density->height, 3, out, err);
    if (rc)
        return rc;
    (*out)->pixel_mm = density->pixel_mm;
    (*out)->unit = ST_UNIT_REL;
    float lut[256][3];
    build_lut(which, lut);
    double lo, hi;
    st_chromo_map_range(which, &lo, &hi);
    size_t ms = mstride ? mstride : (size_t)density->width;
    const float gray = 128.0f / 255.0f;
    for (int y = 0; y < density->height; y++) {
        const float *d = st_image_row(density, 0, y);
        const unsigned char *mrow = mask ? mask + (size_t)y * ms : NULL;
        float *o[3] = {st_image_row(*out, 0, y), st_image_row(*out, 1, y),
                       st_image_row(*out, 2, y)};
        for (int x = 0; x < density->width; x++) {
            if (mrow && !mrow[x]) {
                o[0][x] = o[1][x] = o[2][x] = gray;
                continue;
            }
            const float *c = lut[lut_index(d[x], lo, hi)];
            o[0][x] = c[0];
            o[1][x] = c[1];
            o[2][x] = c[2];
        }
    }
    return ST_OK;
}

int st_chromo_map_key(int which, int w, int h, st_image **out, st_err *err)
{
    *out = NULL;
    if (which != ST_CHROMO_MELANIN && which != ST_CHROMO_HAEMOGLOBIN)
        return st_err_set(err, ST_EINVAL, "chromophore key: unknown chromophore %d", which);
    if (w < 2 || h < 1)
        return st_err_set(err, ST_EINVAL, "chromophore key: size %dx%d too small", w, h);
    int rc = st_image_new(w, h, 3, out, err);
    if (rc)
        return rc;
    for (int x = 0; x < w; x++) {
        unsigned c = st_chromo_map_colour(which, (double)x / (w - 1));
        for (int k = 0; k < 3; k++) {
            float v = (float)((c >> (16 - 8 * k)) & 255) / 255.0f;
            for (int y = 0; y < h; y++)
                st_image_row(*out, k, y)[x] = v;
        }
    }
    return ST_OK;
}
