/* morphology kernels for SSE2: see x86/morph_tmpl.h. */
#define ST_VEC_SSE2
#include "simd/x86/morph_tmpl.h"
