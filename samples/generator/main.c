/* skingen: writes synthetic skin series with exact ground truth.
 *
 *   skingen demo OUT      the demo batch: OUT/{photo-course,height-scars,
 *                         stereo-forehead,bad-session}
 *   skingen large OUT     12 MP and 24 MP photo series for benchmarks
 *   skingen photo OUT [--seed N] [--size WxH] [--pixel-mm MM] [--sessions N]
 *                         one photo course of up to 4 sessions
 *   skingen stereo OUT [--seed N] [--sessions N] [--light-change]
 *                         one photometric-stereo course of up to 4 sessions
 * With the chromophore skin model (skingen.h) and a ColorChecker:
 *   skingen colour OUT [--seed N] [--sessions N] [--no-chart] [--change KIND]
 *                      [--size WxH] [--pixel-mm MM] [--no-pixel-mm]
 *   skingen repeat OUT [--seed N] [--sessions N] [--same-day]
 *   skingen lamp OUT [--seed N] [--sessions N] [--azimuth-step DEG] [--elevation-step DEG]
 *   skingen relief OUT [--seed N] [--sessions N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "recipes.h"

static int write_dir(const skingen_series_spec *s, const char *dir)
{
    st_err err = {0};
    if (skingen_write_series(s, dir, &err)) {
        fprintf(stderr, "skingen: %s: %s\n", dir, err.msg);
        return 1;
    }
    return 0;
}

static int write_one(const skingen_series_spec *s, const char *root, const char *name)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    if (write_dir(s, dir))
        return 1;
    printf("%s\n", dir);
    return 0;
}

static int cmd_demo(const char *root)
{
    static skingen_series_spec s;
    int rc = 0;
    recipe_photo_course(&s, 1600, 1200, 0.05, 42);
    rc |= write_one(&s, root, "photo-course");
    recipe_height_scars(&s);
    rc |= write_one(&s, root, "height-scars");
    recipe_stereo(&s);
    rc |= write_one(&s, root, "stereo-forehead");
    recipe_bad_session(&s);
    rc |= write_one(&s, root, "bad-session");
    return rc;
}

static int cmd_large(const char *root)
{
    static skingen_series_spec s;
    int rc = 0;
    recipe_photo_course(&s, 4000, 3000, 0.02, 1201);
    s.n_sessions = 2;
    rc |= write_one(&s, root, "photo-12mp");
    recipe_photo_course(&s, 6000, 4000, 0.0133, 2401);
    s.n_sessions = 2;
    rc |= write_one(&s, root, "photo-24mp");
    return rc;
}

/* Options of the single-series commands; stereo takes --seed and --sessions. */
typedef struct series_opts {
    unsigned long long seed;
    int w, h, sessions;
    double px;
    int light_change; /* stereo: lamp power and colour change between sessions */
} series_opts;

static int parse_opts(const char *cmd, int argc, char **argv, int sized, series_opts *o)
{
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            o->seed = strtoull(argv[++i], NULL, 10);
        else if (sized && !strcmp(argv[i], "--size") && i + 1 < argc &&
                 sscanf(argv[++i], "%dx%d", &o->w, &o->h) == 2)
            ;
        else if (sized && !strcmp(argv[i], "--pixel-mm") && i + 1 < argc)
            o->px = atof(argv[++i]);
        else if (!strcmp(argv[i], "--sessions") && i + 1 < argc)
            o->sessions = atoi(argv[++i]);
        else if (!sized && !strcmp(argv[i], "--light-change"))
            o->light_change = 1;
        else {
            fprintf(stderr, "skingen: %s: unknown or incomplete option %s\n", cmd, argv[i]);
            return 2;
        }
    }
    if (o->sessions < 1 || o->sessions > 4) {
        fprintf(stderr, "skingen: %s: --sessions must be 1..4\n", cmd);
        return 2;
    }
    return 0;
}

static int cmd_photo(const char *dir, int argc, char **argv)
{
    series_opts o = {42, 1600, 1200, 4, 0.05, 0};
    if (parse_opts("photo", argc, argv, 1, &o))
        return 2;
    static skingen_series_spec s;
    recipe_photo_course(&s, o.w, o.h, o.px, o.seed);
    s.n_sessions = o.sessions;
    return write_dir(&s, dir);
}

static int cmd_stereo(const char *dir, int argc, char **argv)
{
    series_opts o = {11, 0, 0, 3, 0, 0};
    if (parse_opts("stereo", argc, argv, 0, &o))
        return 2;
    static skingen_series_spec s;
    recipe_stereo_course(&s, o.seed, o.sessions);
    if (o.light_change)
        recipe_stereo_light_change(&s);
    return write_dir(&s, dir);
}

/* Options of the chromophore-model commands (colour, repeat, lamp, relief). */
typedef struct colour_cli {
    recipe_colour_opts o;
    double az_step, el_step;
    int same_day; /* repeat: every shot on the baseline's date */
} colour_cli;

static int bad_opt(const char *cmd, const char *what)
{
    fprintf(stderr, "skingen: %s: %s\n", cmd, what);
    return 2;
}

/* `which` is 'c' (colour), 'r' (repeat), 'l' (lamp) or 'f' (relief). */
static int parse_colour(const char *cmd, int which, int argc, char **argv, colour_cli *c)
{
    static const char *const changes[4] = {"none", "pigment", "redness", "course"};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--seed") && more)
            c->o.seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--sessions") && more)
            c->o.sessions = atoi(argv[++i]);
        else if (which == 'r' && !strcmp(a, "--same-day"))
            c->same_day = 1;
        else if (which == 'c' && !strcmp(a, "--no-chart"))
            c->o.chart = 0;
        else if (which == 'c' && !strcmp(a, "--no-pixel-mm"))
            c->o.omit_pixel_mm = 1;
        else if (which == 'c' && !strcmp(a, "--size") && more &&
                 sscanf(argv[++i], "%dx%d", &c->o.width, &c->o.height) == 2)
            ;
        else if (which == 'c' && !strcmp(a, "--pixel-mm") && more)
            c->o.pixel_mm = atof(argv[++i]);
        else if (which == 'c' && !strcmp(a, "--change") && more) {
            const char *v = argv[++i];
            int k = 0;
            while (k < 4 && strcmp(v, changes[k]))
                k++;
            if (k == 4)
                return bad_opt(cmd, "--change must be none, pigment, redness or course");
            c->o.change = (recipe_change)k;
        } else if (which == 'l' && !strcmp(a, "--azimuth-step") && more)
            c->az_step = atof(argv[++i]);
        else if (which == 'l' && !strcmp(a, "--elevation-step") && more)
            c->el_step = atof(argv[++i]);
        else {
            fprintf(stderr, "skingen: %s: unknown or incomplete option %s\n", cmd, a);
            return 2;
        }
    }
    int max = which == 'c' ? 6 : SKINGEN_MAX_SESSIONS;
    if (c->o.sessions < 1 || c->o.sessions > max) {
        fprintf(stderr, "skingen: %s: --sessions must be 1..%d\n", cmd, max);
        return 2;
    }
    if (c->o.width < 64 || c->o.height < 64 || !(c->o.pixel_mm > 0))
        return bad_opt(cmd, "--size must be at least 64x64 and --pixel-mm > 0");
    if (!c->o.chart && c->o.omit_pixel_mm)
        return bad_opt(cmd, "--no-pixel-mm needs the chart (pixel_mm comes from it)");
    return 0;
}

static int cmd_colour_family(const char *cmd, const char *dir, int argc, char **argv)
{
    int which = !strcmp(cmd, "colour") ? 'c' : (!strcmp(cmd, "repeat") ? 'r' :
                (!strcmp(cmd, "lamp") ? 'l' : 'f'));
    colour_cli c = {{0}, 15.0, 0.0, 0};
    c.o.seed = which == 'c' ? 51 : (which == 'r' ? 52 : (which == 'l' ? 53 : 54));
    c.o.sessions = 4;
    c.o.chart = 1;
    c.o.width = 1200, c.o.height = 900, c.o.pixel_mm = 0.05;
    if (parse_colour(cmd, which, argc, argv, &c))
        return 2;
    static skingen_series_spec s;
    if (which == 'c')
        recipe_colour(&s, &c.o);
    else if (which == 'r')
        recipe_repeat(&s, c.o.seed, c.o.sessions, c.same_day);
    else if (which == 'l')
        recipe_lamp(&s, c.o.seed, c.o.sessions, c.az_step, c.el_step);
    else
        recipe_relief(&s, c.o.seed, c.o.sessions);
    return write_dir(&s, dir);
}

static const char usage[] =
    "usage: skingen demo OUT      the demo batch (photo course, height scars, stereo, bad session)\n"
    "       skingen large OUT     12 MP and 24 MP photo series for benchmarks\n"
    "       skingen photo OUT [--seed N] [--size WxH] [--pixel-mm MM] [--sessions N]\n"
    "       skingen stereo OUT [--seed N] [--sessions N] [--light-change]\n"
    "                             photometric stereo course (4 lights; --light-change: lamp\n"
    "                             power and colour differ between sessions)\n"
    "With the chromophore skin model and a ColorChecker (truth.json: per-session colour\n"
    "{erythema_index, melanin_index, ita_deg}, camera exposure/white balance/lamp):\n"
    "       skingen colour OUT [--seed N] [--sessions N(<=6)] [--no-chart] [--no-pixel-mm]\n"
    "                      [--change none|pigment|redness|course] [--size WxH] [--pixel-mm MM]\n"
    "                             exposure and white balance change every session\n"
    "       skingen repeat OUT [--seed N] [--sessions N] [--same-day]\n"
    "                             the same skin shot N times, a day apart (--same-day: N\n"
    "                             repeat shots of one session)\n"
    "       skingen lamp OUT [--seed N] [--sessions N] [--azimuth-step DEG] [--elevation-step DEG]\n"
    "                             the lamp turned each session (default 15 deg azimuth)\n"
    "       skingen relief OUT [--seed N] [--sessions N]   relief x0.9 per session, fixed lamp\n"
    "Each series folder gets its images, series.json and truth.json (exact ground truth).\n";

int main(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc < 3) {
        fputs(usage, stderr);
        return 2;
    }
    mkdir(argv[2], 0755);
    if (!strcmp(argv[1], "demo"))
        return cmd_demo(argv[2]);
    if (!strcmp(argv[1], "large"))
        return cmd_large(argv[2]);
    if (!strcmp(argv[1], "photo"))
        return cmd_photo(argv[2], argc - 3, argv + 3);
    if (!strcmp(argv[1], "stereo"))
        return cmd_stereo(argv[2], argc - 3, argv + 3);
    if (!strcmp(argv[1], "colour") || !strcmp(argv[1], "repeat") || !strcmp(argv[1], "lamp") ||
        !strcmp(argv[1], "relief"))
        return cmd_colour_family(argv[1], argv[2], argc - 3, argv + 3);
    fprintf(stderr, "skingen: unknown command %s\n", argv[1]);
    return 2;
}
