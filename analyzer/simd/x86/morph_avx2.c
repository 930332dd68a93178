/* morphology kernels for AVX2: see x86/morph_tmpl.h. */
#define ST_VEC_AVX2
#include "simd/x86/morph_tmpl.h"
