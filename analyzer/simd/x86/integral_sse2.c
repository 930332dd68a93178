/* integral kernels for SSE2: see x86/integral_tmpl.h. */
#define ST_VEC_SSE2
#include "simd/x86/integral_tmpl.h"
