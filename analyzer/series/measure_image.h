/* `skintrack metrics IMAGE`: one image measured on its own, without
 * registration: quality, every surface metric and every detection family. */
#ifndef ST_SERIES_MEASURE_IMAGE_H
#define ST_SERIES_MEASURE_IMAGE_H

#include <stdint.h>

#include "series/result.h"

typedef struct st_measure_one_opts {
    st_series_overrides ov; /* pixel size, ROI, modality, height scale */
    uint64_t max_pixels;    /* 0: default */
    uint64_t max_memory;    /* bytes; 0: default */
    int threads;            /* <= 0: all cores */
    int raw;                /* SPEC's --raw: no flattening or colour normalisation,
                               the whole image as ROI */
} st_measure_one_opts;

/* Fills out->quality, out->metrics, out->det (image pixels) and out->psd.
 * Free with st_session_result_free. */
int st_measure_one(const char *path, const st_measure_one_opts *o, st_session_result *out,
                     st_err *err);

#endif
