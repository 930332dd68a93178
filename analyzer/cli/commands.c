#include "cli/commands.h"

#include <stddef.h>

#define SHARED_OPTIONS                                                                   \
    "  --pixel-mm MM          size of a baseline pixel in mm (overrides series.json)\n"  \
    "  --roi X,Y,W,H          region of interest in baseline pixels\n"                   \
    "  --modality M           photo | height | stereo\n"                                 \
    "  --height-scale UM      micrometres per height-map unit\n"                         \
    "  --max-pixels N         refuse larger images before decoding (default 200000000)\n" \
    "  --max-memory BYTES     refuse images that would need more (K, M, G; default:\n" \
    "                         a quarter of physical memory, at most 4G)\n" \
    "  -j N                   threads (default: all cores)\n"

const cli_command cli_commands[] = {
    {"analyze", "one series folder into a report and data",
     "usage: skintrack analyze SERIES_DIR [-o OUT] [options]\n\n"
     "Registers every session onto the baseline, measures every metric in the same patch\n"
     "of skin and writes metrics.json, metrics.csv, report.html, report.pdf and images/.\n\n"
     "options:\n  -o OUT                 output folder (default: SERIES_DIR.out)\n"
     "  --no-images            do not write images/\n"
     "  --no-report            do not write report.html and report.pdf\n" SHARED_OPTIONS,
     cmd_analyze},
    {"batch", "every series under a root folder",
     "usage: skintrack batch ROOT [-o OUT] [-j N] [--shard K/N]\n\n"
     "Analyses every direct subfolder of ROOT as a series into OUT/<series>/ and writes\n"
     "OUT/index.html, OUT/summary.csv and OUT/results.db. A second run re-analyses only\n"
     "what changed.\n\n"
     "options:\n  -o OUT                 output folder\n"
     "  --shard K/N            only the K-th of N deterministic shares of the series\n" SHARED_OPTIONS,
     cmd_batch},
    {"metrics", "measure one image (no registration), JSON on stdout",
     "usage: skintrack metrics IMAGE [--json] [--raw] [options]\n\n"
     "Measures one image and prints a session-like JSON object (metrics, quality,\n"
     "detections).\n\n"
     "options:\n  --json                 JSON output (the default)\n"
     "  --raw                  measure the image exactly as given: no flattening, no colour\n"
     "                         normalisation, the whole image as ROI\n" SHARED_OPTIONS,
     cmd_metrics},
    {"register", "register MOVING onto FIXED: transform and its quality",
     "usage: skintrack register FIXED MOVING [-o ALIGNED] [--json]\n\n"
     "Finds the matrix mapping MOVING pixels to FIXED pixels and reports its quality;\n"
     "-o writes MOVING warped into FIXED's frame (bicubic; .png or .jpg).\n\n"
     "options:\n  -o ALIGNED             aligned image (not written when registration fails)\n"
     "  --json                 print the registration object of SPEC.md\n"
     "  --max-pixels N         refuse larger images before decoding (default 200000000)\n"
     "  -j N                   threads (default: all cores)\n\n"
     "exit status: 0 ok or warn, 1 fail (the images do not match), 2 unreadable input\n",
     cmd_register},
    {"report", "rewrite report.html and report.pdf from an analysis output",
     "usage: skintrack report OUT_DIR... [--index ROOT]\n\n"
     "Reads OUT_DIR/metrics.json (and OUT_DIR/images/) as written by analyze and writes\n"
     "OUT_DIR/report.html and OUT_DIR/report.pdf. With --index, also writes ROOT/index.html\n"
     "and ROOT/summary.csv over the given folders (as batch does).\n",
     cmd_report},
    {"merge", "merge result databases of shards",
     "usage: skintrack merge OUT_DB SHARD_DB...\n\n"
     "Joins the results databases of batch shards into OUT_DB (idempotent) and\n"
     "regenerates index.html and summary.csv beside OUT_DB.\n",
     cmd_merge},
    {NULL, NULL, NULL, NULL},
};
