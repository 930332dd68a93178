/* downsample kernels for AVX2: see x86/downsample_tmpl.h. */
#define ST_VEC_AVX2
#include "simd/x86/downsample_tmpl.h"
