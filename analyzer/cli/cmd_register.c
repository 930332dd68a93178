/* skintrack register FIXED MOVING [-o ALIGNED] [--json]: the transform that
 * maps MOVING pixels onto FIXED pixels and its quality (SPEC.md). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/shared_opts.h"
#include "skintrack/skintrack.h"

static double round_to(double v, double q) { return q * (double)(long long)(v / q + (v < 0 ? -0.5 : 0.5)); }

/* The SPEC.md "registration" object. */
static char *registration_json(const st_registration *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", st_reg_status_name(r->status));
    cJSON_AddStringToObject(o, "model", st_reg_model_name(r->model));
    cJSON *m = cJSON_AddArrayToObject(o, "matrix");
    for (int i = 0; i < 3; i++) {
        cJSON *row = cJSON_CreateArray();
        for (int j = 0; j < 3; j++)
            cJSON_AddItemToArray(row, cJSON_CreateNumber(round_to(r->matrix[i * 3 + j], 1e-9)));
        cJSON_AddItemToArray(m, row);
    }
    cJSON_AddNumberToObject(o, "ncc", round_to(r->ncc, 1e-4));
    cJSON_AddNumberToObject(o, "overlap", round_to(r->overlap, 1e-4));
    cJSON_AddStringToObject(o, "message", r->message);
    char *s = cJSON_Print(o);
    cJSON_Delete(o);
    return s;
}

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcasecmp(s + a - b, suf);
}

typedef struct reg_args {
    const char *fixed, *moving, *out;
    int json, threads;
    unsigned long long max_pixels;
} reg_args;

static int on_option(void *ctx, const cli_option *opt, const char *v)
{
    reg_args *a = ctx;
    st_analyze_opts shared = {0};
    int r = cli_shared_apply(opt, v, &shared); /* -j and --max-pixels, checked alike */
    if (r < 0)
        return -1;
    if (r) {
        a->threads = shared.threads ? shared.threads : a->threads;
        a->max_pixels = shared.max_pixels ? shared.max_pixels : a->max_pixels;
    } else if (!strcmp(opt->name, "json"))
        a->json = 1;
    else if (!strcmp(opt->name, "output"))
        a->out = v;
    return 0;
}

static int parse(int argc, char **argv, reg_args *a)
{
    memset(a, 0, sizeof *a);
    int first, n = cli_parse(cli_command_named("register"), argc, argv, on_option, a, &first);
    if (n < 0)
        return EXIT_BAD_USAGE;
    if (n > 2)
        return cli_fail(EXIT_BAD_USAGE, "register: unexpected argument '%s'", argv[first + 2]);
    if (n < 2)
        return cli_fail(EXIT_BAD_USAGE,
                        "register: usage: skintrack register FIXED MOVING [-o ALIGNED] [--json]");
    a->fixed = argv[first];
    a->moving = argv[first + 1];
    return 0;
}

static int write_aligned(const reg_args *a, const st_image *fixed, const st_image *moving,
                         const st_registration *r)
{
    st_image *out = NULL;
    st_err err;
    int rc = st_warp_to_baseline(moving, r->matrix, fixed->width, fixed->height, 0.0f, &out, NULL,
                                 a->threads, &err);
    if (!rc) {
        out->pixel_mm = fixed->pixel_mm;
        rc = has_suffix(a->out, ".jpg") || has_suffix(a->out, ".jpeg")
                 ? st_image_save_jpeg(out, a->out, 92, &err)
                 : st_image_save_png(out, a->out, 8, &err);
    }
    st_image_free(out);
    return rc ? cli_fail(cli_exit_for(err.code), "%s", err.msg) : 0;
}

int cmd_register(int argc, char **argv)
{
    reg_args a;
    int st = parse(argc, argv, &a);
    if (st)
        return st;
    st_load_opts lo = {0};
    lo.max_pixels = a.max_pixels;
    lo.bytes_per_pixel = ST_PIPELINE_BYTES_PER_PIXEL;
    st_image *fixed = NULL, *moving = NULL;
    st_err err;
    if (st_image_load(a.fixed, &lo, &fixed, NULL, &err) ||
        st_image_load(a.moving, &lo, &moving, NULL, &err)) {
        st_image_free(fixed);
        return cli_fail(cli_exit_for(err.code), "%s", err.msg);
    }
    st_register_opts o;
    st_register_opts_default(&o);
    o.threads = a.threads;
    st_registration r;
    if (st_register_pair(fixed, moving, &o, &r, &err)) {
        st = cli_fail(cli_exit_for(err.code), "register: %s: %s", a.moving, err.msg);
        goto done;
    }
    if (a.json) {
        char *s = registration_json(&r);
        if (s)
            puts(s);
        free(s);
    } else {
        printf("%s: %s (%s), NCC %.3f, overlap %.0f %%%s%s\n", a.moving, st_reg_status_name(r.status),
               st_reg_model_name(r.model), r.ncc, 100.0 * r.overlap, r.message[0] ? ": " : "",
               r.message);
        for (int i = 0; i < 3; i++)
            printf("  [%12.6f %12.6f %12.6f]\n", r.matrix[i * 3], r.matrix[i * 3 + 1],
                   r.matrix[i * 3 + 2]);
    }
    if (r.status == ST_REG_FAIL) {
        st = cli_fail(EXIT_SOME_FAILED, "register: %s: %s%s", a.moving, r.message,
                      a.out ? " (no aligned image written)" : "");
        goto done;
    }
    if (a.out)
        st = write_aligned(&a, fixed, moving, &r);
done:
    st_image_free(fixed);
    st_image_free(moving);
    return st;
}
