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

browse() { # browse NAME URL extra-args...: dump DOM and console log
  local name=$1 url=$2; shift 2
  local prof; prof=$(mktemp -d "$work/profile.XXXXXX")
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$prof" --enable-logging=stderr --v=0 --hide-scrollbars \
    --virtual-time-budget=3000 "$@" "$url" >"$work/$name.out" 2>"$work/$name.log" || true
  rm -rf "$prof"
}

check_page() { # check_page NAME FILE
  local name=$1 file=$2
  browse "$name" "file://$file" --dump-dom
  grep -q "</html>" "$work/$name.out" || fail "$name: Chromium did not render the page"
  if grep -q "<title>BROKEN IMAGES" "$work/$name.out"; then
    grep -o "<title>[^<]*" "$work/$name.out" >&2; fail "$name: an image did not decode"
  fi
  if grep -E "Uncaught|Failed to load|ERR_FILE_NOT_FOUND|net::ERR|SyntaxError|TypeError" "$work/$name.log"; then
    fail "$name: console error (log: $work/$name.log)"
  fi
}

for s in demo uncal height; do
  check_page "$s" "$work/$s/report.html"
  # What is missing must be said, not left blank.
  grep -q "not available" "$work/$s.out" || fail "$s: the report does not say what is missing"
done
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
  pages=$(pdfinfo "$work/$s/report.pdf" | awk '/^Pages:/ {print $2}')
  [[ $pages -ge 4 && $pages -le 20 ]] || fail "$s/report.pdf has $pages pages (expected 4 to 20)"
  pdftoppm -r 50 -png "$work/$s/report.pdf" "$work/pages/$s"
  n=$(ls "$work/pages/$s"-*.png | wc -l)
  [[ $n -eq $pages ]] || fail "$s: pdftoppm wrote $n pages, pdfinfo says $pages"
  pdftoppm -r 30 -gray "$work/$s/report.pdf" "$work/pages/$s-gray"
  for pg in "$work/pages/$s-gray"-*.pgm; do
    # P5 binary PGM: count pixels darker than 240 after the 3-line header.
    dark=$(tail -c +"$(( $(head -n 3 "$pg" | wc -c) + 1 ))" "$pg" | od -An -v -tu1 -w1 |
           awk '$1 < 240 {d++} END {print d+0}')
    [[ $dark -ge 500 ]] || fail "$s: page $pg looks blank ($dark dark pixels)"
  done
done

# Same input, same bytes.
mkdir -p "$work/again"
cp -r "$src/tests/data/report/demo" "$work/again/"
"$cli" report "$work/again/demo"
cmp "$work/demo/report.html" "$work/again/demo/report.html" || fail "report.html differs between runs"
cmp "$work/demo/report.pdf" "$work/again/demo/report.pdf" || fail "report.pdf differs between runs"
echo "report_render: ok ($work)"
