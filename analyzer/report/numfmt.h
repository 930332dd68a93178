/* Numbers in text outputs (metrics.json, metrics.csv) with a fixed precision,
 * so that values that agree to that precision print as the same bytes
 * whatever the thread count or SIMD path that computed them. */
#ifndef ST_REPORT_NUMFMT_H
#define ST_REPORT_NUMFMT_H

#define ST_NUM_BUF 40
#define ST_SIG_METRIC 6  /* significant digits of metric values and changes */
#define ST_SIG_MATRIX 9  /* registration matrices: sub-pixel at 10^4 px */

/* "%.{sig}g", with -0 printed as 0 and non-finite values as "null". */
const char *st_fmt_num(char buf[ST_NUM_BUF], double v, int sig);

#endif
