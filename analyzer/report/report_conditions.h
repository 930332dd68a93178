/* The conditions each photo was taken under, in words a clinician reads:
 * how its colour was calibrated (SPEC.md "Colour"), where the lamp was
 * (SPEC.md "Light (photos)"), and which changes are therefore withheld.
 * Shared by HTML and PDF so both say the same thing. */
#ifndef ST_REPORT_CONDITIONS_H
#define ST_REPORT_CONDITIONS_H

#include <stddef.h>
#include "report/report_model.h"

/* "Colour calibrated on the chart (ΔE00 7.3 → 0.9)", "Colour as measured:
 * fixed camera", "Colour not calibrated: no colour chart found in the photo —
 * colour changes are not compared"; "" when the session has no colour record.
 * Returns 1 when the text is a warning (not calibrated). */
int st_rp_colour_text(const st_rp_session *s, char *out, size_t n);
/* The same for a table cell: "calibrated", "fixed camera", "not calibrated". */
void st_rp_colour_short(const st_rp_session *s, char *out, size_t n);
/* "Lamp 4° from the baseline's", "Lamp moved 34° from the baseline's: relief,
 * texture, scar and line changes not compared", "Lamp: the reference for later
 * sessions" (baseline); "" without a light record. 1 when a warning. */
int st_rp_light_text(const st_rp_model *m, size_t si, char *out, size_t n);
/* "4°", "moved 34°", "reference"; "" without a light record. */
void st_rp_light_short(const st_rp_model *m, size_t si, char *out, size_t n);
/* 1 when any session has a colour or light record. */
int st_rp_has_conditions(const st_rp_model *m);

/* Footnotes of withheld changes: the distinct reasons, in session order,
 * numbered from 1. The number of a reason (0 if none), and the note text
 * "Not compared: colour not calibrated in this session (Session 1, Session 3)". */
int st_rp_withheld_note(const st_rp_model *m, const char *reason);
size_t st_rp_withheld_notes(const st_rp_model *m, void (*emit)(void *ctx, int k, const char *note),
                            void *ctx);

#endif
