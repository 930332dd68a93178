/* The table of commands and of each command's options: the single source of
 * parsing, --help, the man page and the bash completion (cli/help.c). Each
 * command's code lives in cmd_<name>.c. */
#include "cli/commands.h"

#include <stddef.h>
#include <string.h>

#include "cli/options.h"

static const cli_option analyze_options[] = {
    {"output", 'o', "OUT", "output folder (default: ./skintrack-out/<series>)", "@dir"},
    {"no-images", 0, NULL, "do not write images/", NULL},
    {"no-report", 0, NULL, "do not write report.html and report.pdf", NULL},
    {"quiet", 'q', NULL, "print errors only: no notes, summary or progress", NULL},
    CLI_SHARED_OPTIONS,
    {0},
};

static const cli_option batch_options[] = {
    {"output", 'o', "OUT", "output folder (default: ROOT.out beside ROOT; never inside ROOT)", "@dir"},
    {"shard", 0, "K/N", "only the K-th of N deterministic shares of the series", NULL},
    {"quiet", 'q', NULL, "print errors only: no notes, summary or progress", NULL},
    CLI_SHARED_OPTIONS,
    {0},
};

static const cli_option metrics_options[] = {
    {"json", 0, NULL, "JSON output (the default)", NULL},
    {"raw", 0, NULL, "measure the image exactly as given: no flattening, no colour normalisation, the whole image as ROI", NULL},
    CLI_SHARED_OPTIONS,
    {0},
};

static const cli_option register_options[] = {
    {"output", 'o', "ALIGNED", "aligned image, .png or .jpg (not written when registration fails)", "@file"},
    {"json", 0, NULL, "print the registration object of SPEC.md", NULL},
    {"max-pixels", 0, "N", "refuse larger images before decoding (default 200000000)", NULL},
    {"jobs", 'j', "N", "threads (default: all cores)", NULL},
    {0},
};

static const cli_option report_options[] = {
    {"index", 0, "ROOT", "also write ROOT/index.html and ROOT/summary.csv over the given folders", "@dir"},
    {0},
};

static const cli_option init_options[] = {
    {"force", 'f', NULL, "replace an existing series.json", NULL},
    {"quiet", 'q', NULL, "print errors only, no summary", NULL},
    {0},
};

static const cli_option merge_options[] = {
    {"quiet", 'q', NULL, "print errors only, no summary", NULL},
    {0},
};

const cli_command cli_commands[] = {
    {"analyze", "SERIES_DIR [-o OUT] [options]", "one series folder into a report and data",
     "Registers every session onto the baseline, measures every metric in the same patch\n"
     "of skin and writes metrics.json, metrics.csv, report.html, report.pdf and images/.\n"
     "Photos: JPEG, PNG or HEIC/HEIF (.jpg .jpeg .png .heic .heif; iPhones save HEIC).\n"
     "Files an earlier run left in OUT under skintrack's own names (images/session_*,\n"
     "a report that --no-report would leave stale) are removed, each named on stderr.",
     analyze_options, "@dir", NULL,
     {"skintrack analyze clinic/P-0042-cheek -o reports/P-0042  # one patient's course",
      "skintrack analyze scans/P7 --modality=height --height-scale=0.5 -j4  # 16-bit height maps"},
     cmd_analyze},
    {"batch", "ROOT [-o OUT] [-j N] [--shard K/N]", "every series under a root folder",
     "Analyses every direct subfolder of ROOT as a series into OUT/<series>/ and writes\n"
     "OUT/index.html, OUT/summary.csv and OUT/results.db. A second run re-analyses only\n"
     "what changed.",
     batch_options, "@dir", NULL,
     {"skintrack batch study/ -o study-out -j8  # every patient folder under study/",
      "skintrack batch study/ -o shard2 --shard=2/4  # the second of four machines' shares"},
     cmd_batch},
    {"init", "DIR [--force]", "write a series.json skeleton from the photos in a folder",
     "Writes DIR/series.json from the photos found: sessions in date order (dates from\n"
     "the file names or EXIF; same-date photos are one session), their files, and\n"
     "placeholders for the clinic to complete: patient, area, pixel_mm and roi (null:\n"
     "not given, the automatic skin area). The file loads with analyze as written.\n"
     "An existing series.json is left as it is unless --force.",
     init_options, "@dir", "not used: init writes series.json (0) or nothing (2)",
     {"skintrack init clinic/P-0042-cheek  # then fill in patient, area and roi",
      "skintrack init scans/P7 --force  # rewrite it from the photos"},
     cmd_init},
    {"metrics", "IMAGE [--json] [--raw] [options]", "measure one image (no registration), JSON on stdout",
     "Measures one image and prints a session-like JSON object (metrics, quality,\n"
     "detections).",
     metrics_options, "@file", NULL,
     {"skintrack metrics cheek.jpg --pixel-mm=0.05  # every metric of one photo",
      "skintrack metrics scan.png --modality height --raw  # a height map exactly as given"},
     cmd_metrics},
    {"register", "FIXED MOVING [-o ALIGNED] [--json]", "register MOVING onto FIXED: transform and its quality",
     "Finds the matrix mapping MOVING pixels to FIXED pixels and reports its quality;\n"
     "-o writes MOVING warped into FIXED's frame (bicubic; .png or .jpg).",
     register_options, "@file", "fail: the images do not match (ok and warn are 0)",
     {"skintrack register baseline.jpg week6.jpg --json  # the transform as JSON",
      "skintrack register baseline.jpg week6.jpg -o week6-aligned.png  # the aligned photo"},
     cmd_register},
    {"report", "OUT_DIR... [--index ROOT]", "rewrite report.html and report.pdf from an analysis output",
     "Reads OUT_DIR/metrics.json (and OUT_DIR/images/) as written by analyze and writes\n"
     "OUT_DIR/report.html and OUT_DIR/report.pdf. With --index, also writes ROOT/index.html\n"
     "and ROOT/summary.csv over the given folders (as batch does).",
     report_options, "@dir", "some report could not be written (each named on stderr)",
     {"skintrack report reports/P-0042  # rewrite one patient's report",
      "skintrack report out/P1 out/P2 --index out  # two reports and their overview"},
     cmd_report},
    {"merge", "OUT_DB SHARD_DB...", "merge result databases of shards",
     "Joins the results databases of batch shards into OUT_DB (idempotent) and\n"
     "regenerates index.html and summary.csv beside OUT_DB. Every SHARD_DB must be an\n"
     "existing results database; otherwise nothing is created or changed.",
     merge_options, "@file", "some shard could not be merged (each named on stderr)",
     {"skintrack merge all/results.db shard1/results.db shard2/results.db  # join two shards",
      "skintrack merge -q all/results.db shard*/results.db  # quietly, every shard"},
     cmd_merge},
    {0},
};

const cli_command *cli_command_named(const char *name)
{
    for (const cli_command *c = cli_commands; c->name; c++)
        if (!strcmp(c->name, name))
            return c;
    return NULL;
}
