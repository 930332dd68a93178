/* Calendar dates of sessions: "YYYY-MM-DD" strings and day numbers
 * (days since 1970-01-01, proleptic Gregorian), so that intervals between
 * sessions are exact integer days. */
#ifndef ST_SERIES_DATE_H
#define ST_SERIES_DATE_H

#define ST_DATE_LEN 11 /* "YYYY-MM-DD" + NUL */

/* Days since 1970-01-01 of a valid date (year 1900..2999); returns 0 and
 * stores the day, or -1 if the date does not exist (2026-02-30). */
int st_date_to_day(int year, int month, int day, long *out);

/* Parses exactly "YYYY-MM-DD"; -1 if malformed or not a real date. */
int st_date_parse(const char *s, long *day);

/* Finds the first YYYY-MM-DD, YYYY_MM_DD, YYYYMMDD or DD.MM.YYYY in a file
 * name that is a real date and is not part of a longer run of digits
 * (IMG_20260105_1230.jpg works, DSC0123456789.jpg does not). Writes
 * "YYYY-MM-DD" to out; -1 if none. */
int st_date_from_filename(const char *name, char out[ST_DATE_LEN]);

/* strcmp, except that runs of digits compare by their value (visit9 before
 * visit10), as people number their files. */
int st_natural_cmp(const char *a, const char *b);

/* EXIF DateTimeOriginal "YYYY:MM:DD HH:MM:SS" to "YYYY-MM-DD"; -1 if not a
 * real date (cameras write "0000:00:00 00:00:00" when unset). */
int st_date_from_exif(const char *exif, char out[ST_DATE_LEN]);

#endif
