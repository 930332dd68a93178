/* Gaussian elimination with partial pivoting (see linsolve.h). */
#include "core/linsolve.h"

#include <math.h>

int st_linsolve(double *a, int stride, double *b, int n)
{
    for (int c = 0; c < n; c++) {
        int p = c;
        for (int r = c + 1; r < n; r++)
            if (fabs(a[r * stride + c]) > fabs(a[p * stride + c]))
                p = r;
        if (fabs(a[p * stride + c]) < 1e-15)
            return -1;
        for (int k = 0; k < n; k++) {
            double t = a[c * stride + k];
            a[c * stride + k] = a[p * stride + k];
            a[p * stride + k] = t;
        }
        double t = b[c];
        b[c] = b[p];
        b[p] = t;
        for (int r = c + 1; r < n; r++) {
            double f = a[r * stride + c] / a[c * stride + c];
            for (int k = c; k < n; k++)
                a[r * stride + k] -= f * a[c * stride + k];
            b[r] -= f * b[c];
        }
    }
    for (int c = n - 1; c >= 0; c--) {
        for (int k = c + 1; k < n; k++)
            b[c] -= a[c * stride + k] * b[k];
        b[c] /= a[c * stride + c];
    }
    return 0;
}
