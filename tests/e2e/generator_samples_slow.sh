#!/usr/bin/env bash
# The committed demo batch (samples/demo) regenerates byte for byte.
set -euo pipefail
gen=$ST_BUILD_DIR/samples/generator/skingen
[[ -x $gen ]] || { echo "skingen not built"; exit 1; }
work=$ST_TEST_TMP/generator_samples
rm -rf "$work"
mkdir -p "$work"
"$gen" demo "$work/a" >/dev/null
(cd "$ST_SRC_DIR/samples/demo" && find . -type f | sort | xargs sha256sum) >"$work/committed.sha"
(cd "$work/a" && find . -type f | sort | xargs sha256sum) >"$work/regenerated.sha"
if ! diff -u "$work/committed.sha" "$work/regenerated.sha"; then
  echo "samples/demo does not match the generator's output (run scripts/make_samples.sh)"
  exit 1
fi
n=$(wc -l <"$work/committed.sha")
[[ $n -ge 20 ]] || { echo "only $n files in samples/demo"; exit 1; }
echo "samples/demo: $n files regenerate identically"
