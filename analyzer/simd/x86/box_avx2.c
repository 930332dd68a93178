/* box kernels for AVX2: see x86/box_tmpl.h. */
#define ST_VEC_AVX2
#include "simd/x86/box_tmpl.h"
