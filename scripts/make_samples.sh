#!/usr/bin/env bash
# Regenerates the demo batch samples/demo/ with the skingen program. The
# output is deterministic: the same generator gives the same bytes, and
# tests/e2e/generator_samples_slow.sh checks that the committed files match.
#   scripts/make_samples.sh            rewrite samples/demo
#   scripts/make_samples.sh --large [DIR]
#                                      12 MP and 24 MP photo series for the
#                                      benchmarks, in DIR (default build/bench-data;
#                                      never inside the repository's tracked files)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
gen=$build/samples/generator/skingen
# Always bring the generator up to date: a stale binary would write stale samples.
if [[ -f $build/CMakeCache.txt ]]; then
  cmake --build "$build" --target skingen -j "$(nproc)" >/dev/null
else
  BUILD_DIR=$build bash "$root/scripts/build.sh"
fi

if [[ ${1:-} == --large ]]; then
  out=${2:-$build/bench-data}
  mkdir -p "$out"
  "$gen" large "$out"
  exit 0
fi

out=$root/samples/demo
tmp=$(mktemp -d "$root/samples/.demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$gen" demo "$tmp" >/dev/null
rm -rf "$out"
mv "$tmp" "$out"
chmod 755 "$out"
trap - EXIT
du -sh "$out"
