/* The st_image type: allocation with checked sizes and 32-byte aligned rows. */
#include "core/error.h"
#include "core/alloc.h"

#include <stdlib.h>
#include <string.h>

int st_image_new(int width, int height, int channels, st_image **out, st_err *err)
{
    *out = NULL;
    if (width < 1 || height < 1 || width > ST_MAX_DIMENSION || height > ST_MAX_DIMENSION)
        return st_err_set(err, ST_EINVAL, "image: bad size %dx%d", width, height);
    if (channels != 1 && channels != 3)
        return st_err_set(err, ST_EINVAL, "image: %d channels (1 or 3 supported)", channels);
    size_t stride = ((size_t)width + 7u) & ~(size_t)7u;
    size_t count;
    if (st_mul_size(stride, (size_t)height, &count) || st_mul_size(count, (size_t)channels, &count) ||
        st_mul_size(count, sizeof(float), &count))
        return st_err_set(err, ST_ETOOBIG, "image: %dx%dx%d overflows", width, height, channels);
    st_image *img = calloc(1, sizeof *img);
    float *data = st_aligned_alloc(count);
    if (!img || !data) {
        free(img);
        st_aligned_free(data);
        return st_err_set(err, ST_ENOMEM, "image: cannot allocate %dx%dx%d", width, height, channels);
    }
    memset(data, 0, count);
    img->width = width;
    img->height = height;
    img->channels = channels;
    img->stride = stride;
    img->data = data;
    img->pixel_mm = 0.0;
    img->unit = ST_UNIT_REL;
    *out = img;
    return ST_OK;
}

void st_image_free(st_image *img)
{
    if (!img)
        return;
    st_aligned_free(img->data);
    free(img);
}

int st_image_clone(const st_image *src, st_image **out, st_err *err)
{
    int rc = st_image_new(src->width, src->height, src->channels, out, err);
    if (rc)
        return rc;
    memcpy((*out)->data, src->data,
           src->stride * (size_t)src->height * (size_t)src->channels * sizeof(float));
    (*out)->pixel_mm = src->pixel_mm;
    (*out)->unit = src->unit;
    return ST_OK;
}
