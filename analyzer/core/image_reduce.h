/* Block-mean reduction of an image by an integer factor: the one way the
 * library shrinks a photo (chart search, the report's images). */
#ifndef ST_CORE_IMAGE_REDUCE_H
#define ST_CORE_IMAGE_REDUCE_H

#include "skintrack/skintrack.h"

/* out: ceil(w / f) x ceil(h / f), 3 channels (a gray source is repeated in
 * each), every pixel the mean of its f x f block (the last block of a row or
 * column takes what is left). The block's source rows are added in order
 * into one accumulator per output pixel, so the bytes are fixed. */
int st_image_reduce_rgb(const st_image *src, int f, st_image **out, st_err *err);

#endif
