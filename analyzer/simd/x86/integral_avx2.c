/* integral kernels for AVX2: see x86/integral_tmpl.h. */
#define ST_VEC_AVX2
#include "simd/x86/integral_tmpl.h"
