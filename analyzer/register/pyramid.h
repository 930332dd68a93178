/* Luminance pyramids for registration: 2x2 block means (st_downsample2x),
 * each kept level divided by its local mean (local contrast). */
#ifndef ST_REGISTER_PYRAMID_H
#define ST_REGISTER_PYRAMID_H

#include "register/refine.h"

#define ST_PYR_MAX 16

typedef struct st_pyramid {
    int first, last;           /* kept levels: first (finest) .. last (coarsest) */
    int w[ST_PYR_MAX], h[ST_PYR_MAX];
    float *lv[ST_PYR_MAX];     /* dense (stride = w), local contrast; NULL outside first..last */
} st_pyramid;

/* Number of halvings until the larger side is <= max_dim. */
int st_pyramid_level_for(int w, int h, int max_dim);

/* Luminance of img (1 or 3 channels), halved down to level `last`, levels
 * first..last kept as local contrast y / G(y) (st_pyramid_sigma), so ECC
 * and NCC see texture, not the lamp. */
int st_pyramid_build(const st_image *img, int first, int last, int threads, st_pyramid *p,
                     st_err *err);
/* Width of the local-contrast filter on a w x h level. */
double st_pyramid_sigma(int w, int h);
void st_pyramid_free(st_pyramid *p);
st_plane st_pyramid_plane(const st_pyramid *p, int level);

#endif
