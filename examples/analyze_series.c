/* Analyses a series folder with libskintrack and prints its metrics: uses
 * only the installed header <skintrack/skintrack.h>.
 *
 *   analyze_series SERIES_DIR [METRIC]
 *
 * With METRIC (e.g. roughness.sq): one line per session, its value and its
 * change versus the baseline. Without: every metric of every session, as
 *   value SESSION METRIC VALUE
 *   change SESSION METRIC PERCENT
 * (full precision; metrics.json rounds to 6 significant digits). Nothing is
 * written to disk. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <skintrack/skintrack.h>

static void print_num(double v)
{
    if (isfinite(v))
        printf("%.17g", v);
    else
        printf("null"); /* as metrics.json */
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s SERIES_DIR [METRIC]\n", argv[0]);
        return 2;
    }
    st_analyze_opts opts;
    st_analyze_opts_init(&opts);
    st_analysis *a;
    st_err err;
    int rc = st_analyze_series(argv[1], NULL /* write nothing */, &opts, &a, &err);
    if (rc != ST_OK) {
        fprintf(stderr, "%s: %s (%s)\n", argv[0], err.msg, st_status_name(rc));
        return 1;
    }
    for (int k = 0; st_analysis_failure(a, k); k++)
        fprintf(stderr, "failed: %s\n", st_analysis_failure(a, k));

    int n = st_analysis_sessions(a);
    for (int s = 0; s < n; s++) {
        if (argc == 3) {
            double v, pct;
            printf("session %d: %s = ", s, argv[2]);
            if (st_analysis_value(a, s, argv[2], &v) == ST_OK)
                print_num(v);
            else
                printf("-");
            if (st_analysis_change(a, s, argv[2], &pct) == ST_OK)
                printf(" (%+.1f %%)", pct);
            else if (st_analysis_withheld(a, s, argv[2]))
                printf(" (change withheld: %s)", st_analysis_withheld(a, s, argv[2]));
            printf("\n");
            continue;
        }
        const char *name;
        for (int k = 0; (name = st_analysis_metric_name(a, s, k)) != NULL; k++) {
            double v;
            if (st_analysis_value(a, s, name, &v) == ST_OK) {
                printf("value %d %s ", s, name);
                print_num(v);
                printf("\n");
            }
            if (st_analysis_change(a, s, name, &v) == ST_OK) {
                printf("change %d %s ", s, name);
                print_num(v);
                printf("\n");
            }
        }
    }
    st_analysis_free(a);
    return 0;
}
