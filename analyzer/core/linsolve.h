/* Small dense linear systems (least-squares normal equations of a few
 * unknowns): Gaussian elimination with partial pivoting. */
#ifndef ST_CORE_LINSOLVE_H
#define ST_CORE_LINSOLVE_H

/* Solves the n x n system a x = b in place: a row-major with `stride`
 * doubles between rows (both overwritten), x left in b. Returns 0, or -1
 * when a pivot is below 1e-15 in magnitude (singular: b then undefined). */
int st_linsolve(double *a, int stride, double *b, int n);

#endif
