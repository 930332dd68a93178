/* Loading one image the way a modality measures it: photos as 3-channel
 * sRGB in [0, 1] (gray photos get three equal channels, so the colour
 * families see gray); height maps as 1-channel micrometres
 * (counts × height_um_per_unit, SPEC.md "Modalities"). */
#ifndef ST_SERIES_LOAD_IMAGE_H
#define ST_SERIES_LOAD_IMAGE_H

#include <stdint.h>

#include "series/manifest.h"

/* ST_PIPELINE_BYTES_PER_PIXEL: skintrack/skintrack.h */

/* max_memory: bytes one image may cost the pipeline, 0 = the default. */
int st_load_modality_image(const char *path, st_modality mod, double height_um_per_unit,
                           uint64_t max_pixels, uint64_t max_memory, st_image **out,
                           st_err *err);

#endif
