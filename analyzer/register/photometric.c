/* Photometric matching inside the ROI. Gain/offset by moments (mean and SD)
 * is the least-squares match of two distributions under a linear change of
 * exposure and black level; histogram matching (Gonzalez & Woods, §3.3.2)
 * handles a non-linear tone curve; grey-world (Buchsbaum 1980) removes a
 * white-balance cast under the assumption that the scene averages to grey. */
#include "register/photometric.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "simd/kernels.h"

#define HBINS 1024

static int use(const unsigned char *mask, const unsigned char *valid, size_t i)
{
    return (!mask || mask[i]) && (!valid || valid[i]);
}

static int same_frame(const st_image *a, const st_image *b)
{
    return a && b && a->width == b->width && a->height == b->height && a->channels == b->channels;
}

int st_photometric_gain_offset(const st_image *fixed, const st_image *moving,
                               const unsigned char *mask, const unsigned char *valid,
                               double gain[3], double offset[3], st_err *err)
{
    if (!same_frame(fixed, moving))
        return st_err_set(err, ST_EINVAL, "photometric: images not aligned (size or channels differ)");
    int w = fixed->width, h = fixed->height;
    for (int c = 0; c < 3; c++) {
        gain[c] = 1.0;
        offset[c] = 0.0;
    }
    for (int c = 0; c < fixed->channels; c++) {
        double sf = 0, sff = 0, sm = 0, smm = 0;
        size_t n = 0;
        for (int y = 0; y < h; y++) {
            const float *pf = st_image_row(fixed, c, y), *pm = st_image_row(moving, c, y);
            for (int x = 0; x < w; x++) {
                if (!use(mask, valid, (size_t)y * w + x))
                    continue;
                sf += pf[x];
                sff += (double)pf[x] * pf[x];
                sm += pm[x];
                smm += (double)pm[x] * pm[x];
                n++;
            }
        }
        if (n < 2)
            return st_err_set(err, ST_EINVAL, "photometric: empty region");
        double mf = sf / n, mm = sm / n;
        double vf = sff / n - mf * mf, vm = smm / n - mm * mm;
        gain[c] = vm > 1e-12 ? sqrt(vf > 0 ? vf / vm : 0.0) : 1.0;
        offset[c] = mf - gain[c] * mm;
    }
    return ST_OK;
}

int st_photometric_apply(const st_image *in, const double gain[3], const double offset[3],
                         st_image **out, st_err *err)
{
    int rc = st_image_clone(in, out, err);
    if (rc)
        return rc;
    for (int c = 0; c < in->channels; c++)
        for (int y = 0; y < in->height; y++) {
            float *p = st_image_row(*out, c, y);
            for (int x = 0; x < in->width; x++)
                p[x] = (float)(gain[c] * p[x] + offset[c]);
        }
    return ST_OK;
}

static int bin_of(float v)
{
    int b = (int)(v * HBINS);
    return b < 0 ? 0 : (b >= HBINS ? HBINS - 1 : b);
}

/* Cumulative histogram of one channel inside the region, normalised to 1. */
static void cdf(const st_image *img, int c, const unsigned char *mask, const unsigned char *valid,
                double *out)
{
    memset(out, 0, HBINS * sizeof *out);
    double n = 0;
    for (int y = 0; y < img->height; y++) {
        const float *p = st_image_row(img, c, y);
        for (int x = 0; x < img->width; x++)
            if (use(mask, valid, (size_t)y * img->width + x)) {
                out[bin_of(p[x])] += 1.0;
                n += 1.0;
            }
    }
    double acc = 0;
    for (int i = 0; i < HBINS; i++) {
        acc += out[i];
        out[i] = n > 0 ? acc / n : 0.0;
    }
}

int st_histogram_match(const st_image *fixed, const st_image *moving, const unsigned char *mask,
                       const unsigned char *valid, st_image **out, st_err *err)
{
    if (!same_frame(fixed, moving))
        return st_err_set(err, ST_EINVAL, "photometric: images not aligned (size or channels differ)");
    double *cf = malloc(HBINS * sizeof *cf), *cm = malloc(HBINS * sizeof *cm);
    float *lut = malloc(HBINS * sizeof *lut);
    int rc = (cf && cm && lut) ? st_image_clone(moving, out, err)
                               : st_err_set(err, ST_ENOMEM, "photometric: out of memory");
    for (int c = 0; !rc && c < moving->channels; c++) {
        cdf(fixed, c, mask, valid, cf);
        cdf(moving, c, mask, valid, cm);
        /* lut[b] = the fixed level whose CDF first reaches the moving CDF at b. */
        for (int b = 0, j = 0; b < HBINS; b++) {
            while (j < HBINS - 1 && cf[j] < cm[b])
                j++;
            lut[b] = (float)((j + 0.5) / HBINS);
        }
        for (int y = 0; y < moving->height; y++) {
            float *p = st_image_row(*out, c, y);
            for (int x = 0; x < moving->width; x++)
                p[x] = lut[bin_of(p[x])];
        }
    }
    free(cf);
    free(cm);
    free(lut);
    return rc;
}

/* Mean linear value of each channel inside mask. */
static int linear_means(const st_image *img, const unsigned char *mask, double mean[3])
{
    float *lin = malloc((size_t)img->width * sizeof *lin);
    if (!lin)
        return ST_ENOMEM;
    size_t n = 0;
    for (int c = 0; c < img->channels; c++) {
        double s = 0.0;
        n = 0;
        for (int y = 0; y < img->height; y++) {
            st_srgb_to_linear(st_image_row(img, c, y), lin, (size_t)img->width);
            for (int x = 0; x < img->width; x++)
                if (!mask || mask[(size_t)y * img->width + x]) {
                    s += lin[x];
                    n++;
                }
        }
        mean[c] = n ? s / n : 0.0;
    }
    free(lin);
    return n ? ST_OK : ST_EINVAL;
}

int st_photometric_linear_gains(const st_image *fixed, const unsigned char *fmask,
                                const st_image *moving, const unsigned char *mmask,
                                double gain[3], st_err *err)
{
    if (!fixed || !moving || fixed->channels != moving->channels)
        return st_err_set(err, ST_EINVAL, "photometric: channel counts differ");
    double mf[3] = {1, 1, 1}, mm[3] = {1, 1, 1};
    int rc = linear_means(fixed, fmask, mf);
    if (!rc)
        rc = linear_means(moving, mmask, mm);
    if (rc)
        return st_err_set(err, rc, "photometric: %s",
                          rc == ST_ENOMEM ? "out of memory" : "empty region");
    for (int c = 0; c < 3; c++)
        gain[c] = c < fixed->channels && mm[c] > 0 ? mf[c] / mm[c] : 1.0;
    return ST_OK;
}

int st_grey_world_gains(const st_image *img, const unsigned char *mask, double gain[3],
                        st_err *err)
{
    if (!img || img->channels != 3)
        return st_err_set(err, ST_EINVAL, "grey world: needs an RGB image");
    double s[3] = {0, 0, 0};
    size_t n = 0;
    float *lin = malloc((size_t)img->width * sizeof *lin);
    if (!lin)
        return st_err_set(err, ST_ENOMEM, "grey world: out of memory");
    for (int c = 0; c < 3; c++)
        for (int y = 0; y < img->height; y++) {
            st_srgb_to_linear(st_image_row(img, c, y), lin, (size_t)img->width);
            for (int x = 0; x < img->width; x++)
                if (!mask || mask[(size_t)y * img->width + x]) {
                    s[c] += lin[x];
                    n += c == 0;
                }
        }
    free(lin);
    if (!n || s[0] <= 0 || s[1] <= 0 || s[2] <= 0)
        return st_err_set(err, ST_EINVAL, "grey world: empty or black region");
    /* Grey = the Rec. 709 luminance of the means, so Y is unchanged. */
    double grey = st_luma709(s[0], s[1], s[2]);
    for (int c = 0; c < 3; c++)
        gain[c] = grey / s[c];
    return ST_OK;
}

static float encode(double v)
{
    v = v < 0 ? 0 : (v > 1 ? 1 : v);
    return (float)(v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1 / 2.4) - 0.055);
}

int st_apply_linear_gains(const st_image *in, const double gain[3], st_image **out, st_err *err)
{
    if (!in || in->channels != 3)
        return st_err_set(err, ST_EINVAL, "colour gains: needs an RGB image");
    int rc = st_image_clone(in, out, err);
    float *lin = malloc((size_t)in->width * sizeof *lin);
    if (!rc && !lin)
        rc = st_err_set(err, ST_ENOMEM, "colour gains: out of memory");
    for (int c = 0; !rc && c < 3; c++)
        for (int y = 0; y < in->height; y++) {
            float *p = st_image_row(*out, c, y);
            st_srgb_to_linear(p, lin, (size_t)in->width);
            for (int x = 0; x < in->width; x++)
                p[x] = encode(gain[c] * lin[x]);
        }
    free(lin);
    if (rc && *out) {
        st_image_free(*out);
        *out = NULL;
    }
    return rc;
}
