/* The full acceptance counts of issue 5 (50 pairs, 10 perspective pairs, 20
 * unrelated pairs); see test_register_skin.c. */
#define N_PAIRS 50
#define N_PERSP 10
#define N_UNRELATED 20
#include "test_register_skin.c"
