#include "series/guidelines.h"

#include <strings.h>

static int is_setting(const st_scan_session *s, const char *setting)
{
    return s->treatment.present && !strcasecmp(s->treatment.setting, setting);
}

static int interval_flags(const st_series *s, size_t i, st_strlist *flags, st_err *err)
{
    const st_scan_session *a = &s->sessions[i - 1], *b = &s->sessions[i];
    if (!a->date[0] || !b->date[0])
        return ST_OK;
    long gap = b->day - a->day;
    if (is_setting(b, "professional") && gap < ST_PRO_MIN_DAYS)
        return st_strlist_addf(flags, err,
                               "sessions %zu and %zu are %ld days apart; professional courses space them 4–6 weeks",
                               i - 1, i, gap);
    if (is_setting(b, "home") && gap < ST_HOME_MIN_DAYS)
        return st_strlist_addf(flags, err,
                               "sessions %zu and %zu are %ld days apart; home microneedling should not be more often than weekly",
                               i - 1, i, gap);
    return ST_OK;
}

int st_guideline_flags(const st_series *s, st_strlist *flags, st_err *err)
{
    int rc = ST_OK;
    if (s->dates_unknown)
        rc = st_strlist_add(flags, "dates unknown: sessions are in file-name order and no trend per 30 days is given",
                            err);
    for (size_t i = 0; i < s->n_sessions && !rc; i++) {
        const st_scan_session *ss = &s->sessions[i];
        if (!s->dates_unknown && !ss->date[0])
            rc = st_strlist_addf(flags, err, "session %zu (%s) has no date; it is left out of the trend", i,
                                 ss->files.items[0]);
        if (!rc && is_setting(ss, "home") && ss->treatment.has_needle_mm &&
            ss->treatment.needle_mm > ST_HOME_MAX_NEEDLE_MM)
            rc = st_strlist_addf(flags, err,
                                 "session %zu: home device with %.2g mm needles; home use is limited to 0.5 mm or less",
                                 i, ss->treatment.needle_mm);
        if (!rc && i > 0)
            rc = interval_flags(s, i, flags, err);
    }
    return rc;
}
