# Shared by the report e2e tests (sourced; not a test itself: ctest runs *.sh).
# Needs: $work (scratch folder), $chromium, and a fail() function.

browse() { # browse NAME URL extra-args...: run headless Chromium, keep DOM/stdout and log
  local name=$1 url=$2; shift 2
  local prof; prof=$(mktemp -d "$work/profile.XXXXXX")
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$prof" --enable-logging=stderr --v=0 --hide-scrollbars \
    --virtual-time-budget=3000 "$@" "$url" >"$work/$name.out" 2>"$work/$name.log" || true
  rm -rf "$prof"
}

check_page() { # check_page NAME FILE: renders, no console error, every image decoded
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

check_pdf() { # check_pdf NAME FILE: 4 to 20 pages, pdftoppm renders each, none blank
  local name=$1 pdf=$2 pages n dark pg
  mkdir -p "$work/pages"
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  [[ $pages -ge 4 && $pages -le 20 ]] || fail "$name: $pdf has $pages pages (expected 4 to 20)"
  pdftoppm -r 50 -png "$pdf" "$work/pages/$name"
  n=$(ls "$work/pages/$name"-*.png | wc -l)
  [[ $n -eq $pages ]] || fail "$name: pdftoppm wrote $n pages, pdfinfo says $pages"
  pdftoppm -r 30 -gray "$pdf" "$work/pages/$name-gray"
  for pg in "$work/pages/$name-gray"-*.pgm; do
    # P5 binary PGM: count pixels darker than 240 after the 3-line header.
    dark=$(tail -c +"$(( $(head -n 3 "$pg" | wc -c) + 1 ))" "$pg" | od -An -v -tu1 -w1 |
           awk '$1 < 240 {d++} END {print d+0}')
    [[ $dark -ge 500 ]] || fail "$name: page $pg looks blank ($dark dark pixels)"
  done
}
