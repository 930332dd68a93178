#!/usr/bin/env bash
# Valgrind memcheck of the end-to-end demo: `skintrack analyze` on
# samples/demo/photo-course (or SERIES_DIR) with every output written.
# Fails on any memcheck error or a definite leak; prints the summary.
#   scripts/memcheck.sh [SERIES_DIR] [OUT_DIR]
# Uses build/skintrack (BUILD_DIR overrides; a Release build is fine: memcheck
# needs no instrumentation, and -g is not required for the verdict).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
cli=${ST_CLI:-$build/skintrack}
series=${1:-$root/samples/demo/photo-course}
out=${2:-$(mktemp -d "${TMPDIR:-/tmp}/skintrack-memcheck.XXXXXX")}
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 2; }
[[ -x $cli ]] || { echo "no CLI at $cli (build first)"; exit 2; }
log=$out.valgrind.log
# One thread: the same code paths, and far less time under valgrind.
# --errors-for-leak-kinds=definite: "possibly lost" blocks of thread pools
# and library caches (OpenCV, FFTW, fontconfig) are not ours to fix;
# scripts/valgrind.supp: fontconfig's per-process font patterns (see there).
status=0
valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
  --suppressions="$root/scripts/valgrind.supp" \
  --errors-for-leak-kinds=definite --show-leak-kinds=definite \
  --track-origins=no --num-callers=30 --log-file="$log" \
  "$cli" analyze "$series" -o "$out" -j 1 || status=$?
grep -E "ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|suppressed:" "$log" || true
if [[ $status -eq 99 ]]; then
  echo "memcheck found errors or definite leaks: see $log"
  exit 1
fi
if [[ $status -ne 0 && $status -ne 1 ]]; then
  echo "skintrack analyze exited with $status under valgrind: see $log"
  exit 1
fi
grep -q "ERROR SUMMARY: 0 errors" "$log" || { echo "memcheck reported errors: see $log"; exit 1; }
echo "memcheck clean (analyze exit status $status); log: $log"
