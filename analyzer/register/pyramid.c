/* Flattened luminance pyramid (Burt & Adelson 1983 style, 2x2 block means). */
#include "register/pyramid.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "simd/kernels.h"

int st_pyramid_level_for(int w, int h, int max_dim)
{
    int l = 0;
    while ((w > max_dim || h > max_dim) && l < ST_PYR_MAX - 1) {
        w = (w + 1) / 2;
        h = (h + 1) / 2;
        l++;
    }
    return l;
}

static float *luminance(const st_image *img)
{
    int w = img->width, h = img->height;
    float *y = st_alloc_floats((size_t)w * h);
    if (!y)
        return NULL;
    for (int r = 0; r < h; r++) {
        if (img->channels == 3)
            st_luminance(st_image_row(img, 0, r), st_image_row(img, 1, r), st_image_row(img, 2, r),
                         y + (size_t)r * w, (size_t)w);
        else
            memcpy(y + (size_t)r * w, st_image_row(img, 0, r), (size_t)w * sizeof *y);
    }
    return y;
}

double st_pyramid_sigma(int w, int h)
{
    int mx = w > h ? w : h;
    double sigma = mx / 64.0;
    return sigma < 3.0 ? 3.0 : sigma;
}

/* In place: y / G_sigma(y), sigma = 1/64 of the larger side (at least 3
 * px). A local ratio, unlike a whole-image light field, so it commutes with a
 * shift of the camera except within 3 sigma of the border: two views of the
 * same skin become the same pattern whatever the light's slow variation. */
static int local_contrast(float *y, int w, int h, int threads)
{
    double sigma = st_pyramid_sigma(w, h);
    float *lp = st_alloc_floats((size_t)w * h);
    if (!lp)
        return ST_ENOMEM;
    int rc = st_gaussian_blur(y, (size_t)w, lp, (size_t)w, w, h, sigma, threads);
    if (!rc) {
        float floor_v = 1e-4f;
        for (size_t i = 0; i < (size_t)w * h; i++)
            y[i] = y[i] / (lp[i] > floor_v ? lp[i] : floor_v);
    }
    st_aligned_free(lp);
    return rc;
}

int st_pyramid_build(const st_image *img, int first, int last, int threads, st_pyramid *p,
                     st_err *err)
{
    memset(p, 0, sizeof *p);
    if (first < 0 || last < first || last >= ST_PYR_MAX)
        return st_err_set(err, ST_EINVAL, "pyramid: bad levels %d..%d", first, last);
    p->first = first;
    p->last = last;
    float *cur = luminance(img);
    int w = img->width, h = img->height;
    if (!cur)
        return st_err_set(err, ST_ENOMEM, "pyramid: out of memory (%dx%d)", w, h);
    for (int l = 0; l <= last; l++) {
        p->w[l] = w;
        p->h[l] = h;
        float *next = NULL;
        int nw = (w + 1) / 2, nh = (h + 1) / 2;
        if (l < last) {
            next = st_alloc_floats((size_t)nw * nh);
            if (!next) {
                st_aligned_free(cur);
                st_pyramid_free(p);
                return st_err_set(err, ST_ENOMEM, "pyramid: out of memory");
            }
            st_downsample2x(cur, (size_t)w, w, h, next, (size_t)nw);
        }
        if (l >= first) {
            int rc = local_contrast(cur, w, h, threads);
            if (rc) {
                st_aligned_free(cur);
                st_aligned_free(next);
                st_pyramid_free(p);
                return st_err_set(err, rc, "pyramid: out of memory (%dx%d)", w, h);
            }
            p->lv[l] = cur;
        } else {
            st_aligned_free(cur);
        }
        cur = next;
        w = nw;
        h = nh;
    }
    return ST_OK;
}

void st_pyramid_free(st_pyramid *p)
{
    for (int l = 0; l < ST_PYR_MAX; l++) {
        st_aligned_free(p->lv[l]);
        p->lv[l] = NULL;
    }
}

st_plane st_pyramid_plane(const st_pyramid *p, int level)
{
    st_plane pl = {p->lv[level], (size_t)p->w[level], p->w[level], p->h[level]};
    return pl;
}
