/* blur kernels for SSE2: see x86/blur_tmpl.h. */
#define ST_VEC_SSE2
#include "simd/x86/blur_tmpl.h"
