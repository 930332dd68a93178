#!/usr/bin/env bash
# Checks that a build gives byte-identical outputs on the demo series to a
# reference recorded earlier (e.g. before a refactoring).
#
#   scripts/check_outputs_identical.sh [REF_DIR]      (default /tmp/libapi-ref)
#
# Environment: SKINTRACK   binary under test (default build/skintrack)
#              REF_BIN     if set and REF_DIR does not exist yet, the reference is
#                          first recorded with this binary
#
# Compared per demo series: metrics.json, metrics.csv (the contract), and, since the
# CLI honours SOURCE_DATE_EPOCH (fixed here), report.html, report.pdf, images/,
# the exit status and stderr (with the output directory replaced by OUT).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ref=${1:-/tmp/libapi-ref}
bin=${SKINTRACK:-$root/build/skintrack}
series="photo-course height-scars stereo-forehead bad-session"
export SOURCE_DATE_EPOCH=1700000000

run_all() { # binary, output root
  local b=$1 o=$2 n
  mkdir -p "$o"
  for n in $series; do
    rm -rf "$o/$n"
    (cd "$root" && "$b" analyze "samples/demo/$n" -o "$o/$n" -j 2 >"$o/$n.stdout" 2>"$o/$n.stderr")
    echo $? >"$o/$n.rc"
    sed -i "s#$o/$n#OUT#g" "$o/$n.stdout" "$o/$n.stderr"
  done
}

if [ ! -d "$ref" ]; then
  [ -n "${REF_BIN:-}" ] || { echo "no reference in $ref (set REF_BIN to record one)"; exit 2; }
  echo "recording the reference with $REF_BIN into $ref"
  run_all "$REF_BIN" "$ref"
fi
[ -x "$bin" ] || { echo "no binary $bin"; exit 2; }

tmp=$(mktemp -d /tmp/st-identical.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
run_all "$bin" "$tmp"

fail=0
for n in $series; do
  for f in metrics.json metrics.csv; do
    if cmp -s "$ref/$n/$f" "$tmp/$n/$f"; then echo "same      $n/$f"
    else echo "DIFFERENT $n/$f"; fail=1; fi
  done
  for f in report.html report.pdf; do
    if [ ! -e "$ref/$n/$f" ]; then echo "skipped   $n/$f (not in the reference)"
    elif cmp -s "$ref/$n/$f" "$tmp/$n/$f"; then echo "same      $n/$f"
    else echo "DIFFERENT $n/$f"; fail=1; fi
  done
  if diff -rq "$ref/$n/images" "$tmp/$n/images" >/dev/null 2>&1; then echo "same      $n/images/"
  else echo "DIFFERENT $n/images/"; fail=1; fi
  for f in rc stderr stdout; do
    if [ ! -e "$ref/$n.$f" ]; then echo "skipped   $n ($f not in the reference)"
    elif cmp -s "$ref/$n.$f" "$tmp/$n.$f"; then echo "same      $n ($f)"
    else echo "DIFFERENT $n ($f)"; diff "$ref/$n.$f" "$tmp/$n.$f" | head -5; fail=1; fi
  done
done
[ $fail = 0 ] && echo "check_outputs_identical: all identical" || echo "check_outputs_identical: FAILED"
exit $fail
