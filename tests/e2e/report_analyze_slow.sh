#!/usr/bin/env bash
# The report on real analyze output: analyzes samples/demo/bad-session (one
# session of another subject, which fails registration) and
# samples/demo/height-scars, renders their reports with `skintrack report`,
# and checks them in headless Chromium (no console error, every image
# decoded) and as PDF pages (count, none blank); the failed session must be
# named with its reason, detections drawn over the photos, and the per-tile
# values of metrics.json mapped.
set -euo pipefail
src=${ST_SRC_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
cli=${ST_CLI:-$src/build/skintrack}
work=${ST_TEST_TMP:-/tmp}/report_analyze
chromium=${CHROMIUM:-/usr/bin/chromium}
fail() { echo "report_analyze: $*" >&2; exit 1; }
command -v "$chromium" >/dev/null || fail "chromium not found (scripts/setup.sh --test installs it)"
command -v pdftoppm >/dev/null || fail "pdftoppm not found (poppler-utils; scripts/setup.sh --test)"
source "$(dirname "$0")/report_checks.bash"
rm -rf "$work"
mkdir -p "$work"

for s in bad-session height-scars; do
  rc=0
  "$cli" analyze "$src/samples/demo/$s" -o "$work/$s" 2>"$work/$s.analyze.log" || rc=$?
  [[ $rc -le 1 ]] || { cat "$work/$s.analyze.log" >&2; fail "$s: analyze exited $rc"; }
  "$cli" report "$work/$s"
  check_page "$s" "$work/$s/report.html"
  check_pdf "$s" "$work/$s/report.pdf"
  grep -q '<svg class="ov"\|<img class="ov"' "$work/$s/report.html" || fail "$s: no detection overlay"
  grep -q "Difference map" "$work/$s/report.html" || fail "$s: no difference map section"
  # analyze exports per-tile values for the baseline: the report must map them
  grep -q "Tile maps not available" "$work/$s/report.html" && fail "$s: tile maps in metrics.json not shown"
  grep -q 'class="maps"' "$work/$s/report.html" || fail "$s: no tile map section"
done
grep -q "could not be measured and is left out: " "$work/bad-session/report.html" ||
  fail "bad-session: the failed session is not named with its reason"
grep -q '<td class="qc-failed">failed</td>' "$work/bad-session/report.html" ||
  fail "bad-session: the table does not mark the failed session"
grep -q "height maps carry no colour" "$work/height-scars/report.html" ||
  fail "height-scars: missing colour metrics are not explained"
echo "report_analyze: ok ($work)"
