/* The one CSV cell encoder of every CSV we write (metrics.csv,
 * summary.csv): RFC 4180 quoting (a field with a comma, quote, CR or LF, or
 * leading or trailing blanks, is quoted and its quotes doubled), and a cell
 * a spreadsheet would run as a formula (SPEC "Bad input": leading =, @, tab,
 * CR, or + or - not starting a plain number such as -12.5) gets a leading '
 * (OWASP "CSV injection"). */
#ifndef ST_REPORT_CSV_CELL_H
#define ST_REPORT_CSV_CELL_H

#include <stdio.h>

#include "report/report_buf.h"

/* 1 if s would be run as a formula. */
int st_csv_formula_like(const char *s);
/* v as the shortest of %.15g..%.17g that reads back as the same double
 * (so a table holds exactly the values of metrics.json); "" when not finite.
 * Returns buf. */
#define ST_CSV_NUM_BUF 40
const char *st_csv_number(char buf[ST_CSV_NUM_BUF], double v);
/* Appends s as one cell. */
void st_csv_cell(st_sbuf *b, const char *s);
/* Appends s as one cell to fp; returns 0 or EOF. */
int st_csv_field(FILE *fp, const char *s);

#endif
