#!/usr/bin/env bash
# The layer direction is enforced by the build (CMakeLists.txt "layers"):
# each layer compiles with an include tree of links to itself and the layers
# below it only. Here, with the same trees: an upward include (series ->
# report) and a peer include (register -> metrics) fail to compile, a
# downward one (series -> metrics) compiles.
set -euo pipefail
layers="$ST_BUILD_DIR/layers"
[ -d "$layers/series" ] || { echo "no $layers/series: not configured with layers"; exit 1; }
try() { # layer, header
  printf '#include "%s"\n' "$2" | cc -std=c17 -fsyntax-only -I"$ST_SRC_DIR/include" -I"$layers/$1" -x c - 2>&1
}
if out=$(try series report/report.h); then echo "series could include report/report.h"; exit 1; fi
echo "series -> report: $(echo "$out" | grep -m1 error)"
if out=$(try register metrics/metric_set.h); then echo "register could include metrics/metric_set.h"; exit 1; fi
echo "register -> metrics: $(echo "$out" | grep -m1 error)"
try series metrics/metric_set.h >/dev/null || { echo "series cannot include metrics/metric_set.h"; exit 1; }
try pipeline report/report.h >/dev/null || { echo "pipeline cannot include report/report.h"; exit 1; }
echo "layers passed"
