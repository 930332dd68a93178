#!/usr/bin/env bash
# The demo: installs what is missing, builds, analyses the demo batch in
# samples/demo (four series: a photo course, height-map scars, photometric
# stereo, and a series with a bad session) and prints where the reports are.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
BUILD_DIR=$root/build bash scripts/build.sh >/dev/null
out=${1:-$root/out/demo}
status=0
build/skintrack batch samples/demo -o "$out" || status=$?
# Exit status 1 is expected: the demo has a series with a deliberately bad session.
if [ "$status" -gt 1 ]; then
  echo "demo: skintrack failed (exit $status)" >&2
  exit "$status"
fi
echo
echo "Batch overview:  $out/index.html"
for report in "$out"/*/report.html; do
  echo "Series report:   $report   (and ${report%.html}.pdf)"
done
