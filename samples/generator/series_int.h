/* Internals of the series writer. */
#ifndef SKINGEN_SERIES_INT_H
#define SKINGEN_SERIES_INT_H

#include <cjson/cJSON.h>

#include "skingen_series.h"

#define SG_NAME_MAX 64

/* The file names of one session, its date and label. */
typedef struct sg_session_files {
    char date[11];
    char label[32];
    int n_files;
    char files[SKINGEN_MAX_LIGHTS][SG_NAME_MAX];
} sg_session_files;

/* A number rounded to `digits` significant digits (short, stable JSON). */
double sg_round(double v, int digits);
cJSON *sg_json_numbers(const double *v, int n, int digits);
/* Writes the JSON (formatted, trailing newline) through an atomic file. */
int sg_json_write(const cJSON *root, const char *path, st_err *err);

cJSON *sg_series_json(const skingen_series_spec *spec, const sg_session_files *sf);
int sg_truth_json(const skingen_series_spec *spec, const skingen_skin *skin,
                  const sg_session_files *sf, cJSON **out, st_err *err);
const char *sg_modality_name(skingen_modality m);

#endif
