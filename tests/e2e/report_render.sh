#!/usr/bin/env bash
# Renders the report fixtures (tests/data/report: demo with a failed session,
# uncalibrated with unknown dates and hostile names, height map) with
# `skintrack report`, then:
#  - opens every report.html and the batch index.html in headless Chromium:
#    fails on a console error, a failed load or an image that did not decode
#    (the page's own script names broken images in document.title), and
#    saves screenshots (wide and narrow window);
#  - renders every report.pdf to PNG pages with pdftoppm: checks the page
#    count and that no page is blank (non-white pixels on every page);
#  - checks that nothing refers to an external URL and that a second run
#    gives byte-identical report.html and report.pdf.
# Screenshots and pages stay in $ST_TEST_TMP/report_render/ for a look.
set -euo pipefail
export SOURCE_DATE_EPOCH=1775554200  # fixed date of analysis for the byte comparison
src=${ST_SRC_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
cli=${ST_CLI:-$src/build/skintrack}
work=${ST_TEST_TMP:-/tmp}/report_render
chromium=${CHROMIUM:-/usr/bin/chromium}
fail() { echo "report_render: $*" >&2; exit 1; }

command -v "$chromium" >/dev/null || fail "chromium not found (scripts/setup.sh --test installs it)"
command -v pdftoppm >/dev/null || fail "pdftoppm not found (poppler-utils; scripts/setup.sh --test)"
rm -rf "$work"
mkdir -p "$work/shots" "$work/pages"
cp -r "$src/tests/data/report/demo" "$src/tests/data/report/uncal" "$src/tests/data/report/height" "$work/"
"$cli" report "$work/demo" "$work/uncal" "$work/height" --index "$work"

for s in demo uncal height; do
  for f in report.html report.pdf; do
    [[ -s $work/$s/$f ]] || fail "$s/$f missing or empty"
  done
done
[[ -s $work/index.html && -s $work/summary.csv ]] || fail "batch index.html/summary.csv missing"

# Nothing may be fetched from outside the file.
for h in "$work"/*/report.html "$work/index.html"; do
  if grep -Eio '(src|href)="(https?:)?//[^"]*|url\((https?:)?//[^)]*|@import' "$h"; then
    fail "$h refers to an external resource"
  fi
done

source "$(dirname "$0")/report_checks.bash"

for s in demo uncal height; do
  check_page "$s" "$work/$s/report.html"
  # What is missing must be said, not left blank.
  grep -q "not available" "$work/$s.out" || fail "$s: the report does not say what is missing"
done
# The demo's photo conditions as rendered by Chromium: colour, lamp, withheld.
for w in "Colour not calibrated: no colour chart found in the photo" "Lamp moved 32°" \
         ">withheld<sup>1</sup>" 'id="chromophores"'; do
  grep -qF "$w" "$work/demo.out" || fail "demo: the rendered page lacks: $w"
done
grep -qF "Not compared — colour not calibrated" "$work/uncal.out" || fail "uncal: no 'not compared' headline"
check_page index "$work/index.html"
grep -q 'href="demo/report.html"' "$work/index.html" || fail "index.html does not link the demo report"

# Screenshots: a desktop window and a phone-sized one.
browse shot_wide "file://$work/demo/report.html" --screenshot="$work/shots/demo_wide.png" --window-size=1200,4000
browse shot_narrow "file://$work/demo/report.html" --screenshot="$work/shots/demo_narrow.png" --window-size=390,3000
browse shot_uncal "file://$work/uncal/report.html" --screenshot="$work/shots/uncal_wide.png" --window-size=1200,2400
browse shot_index "file://$work/index.html" --screenshot="$work/shots/index.png" --window-size=1200,600
for p in demo_wide demo_narrow uncal_wide index; do
  [[ -s $work/shots/$p.png ]] || fail "screenshot $p.png not written"
done

# PDF: page count, and every page carries ink.
for s in demo uncal height; do
  check_pdf "$s" "$work/$s/report.pdf"
done

# Same input, same bytes.
mkdir -p "$work/again"
cp -r "$src/tests/data/report/demo" "$work/again/"
"$cli" report "$work/again/demo"
cmp "$work/demo/report.html" "$work/again/demo/report.html" || fail "report.html differs between runs"
cmp "$work/demo/report.pdf" "$work/again/demo/report.pdf" || fail "report.pdf differs between runs"
echo "report_render: ok ($work)"
