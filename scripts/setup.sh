#!/usr/bin/env bash
# Installs what skintrack needs to build (and, with --test, to run its test
# suite) from Debian's packages. Idempotent: only missing packages are
# installed, and nothing is touched when all are present.
set -euo pipefail

build_pkgs=(build-essential cmake pkg-config
  libturbojpeg0-dev libpng-dev libfftw3-dev libopencv-dev libopencv-contrib-dev
  libcjson-dev libsqlite3-dev libcairo2-dev libexif-dev libheif-dev libssl-dev
  libdlib-dev libdlib-data)
# Tests: sanitizer and fuzzing runtimes, PDF to PNG pages, headless browser,
# memcheck, the sqlite3 shell for database checks, Gwyddion (the test oracle of
# the ISO 25178 parameters) and a real face photo (scikit-image's astronaut)
# for the face-area test; python3-jsonschema validates metrics.json against
# docs/metrics.schema.json (tests/e2e/schema_outputs.sh); heif-enc
# (libheif-examples) makes the HEIC series of tests/e2e/heic_series.sh.
test_pkgs=(clang libclang-rt-14-dev poppler-utils chromium valgrind sqlite3 python3 libgwyddion20-dev
  python3-skimage python3-jsonschema libheif-examples)

want=("${build_pkgs[@]}")
[[ "${1:-}" == "--test" ]] && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "setup: all ${#want[@]} packages present"
  exit 0
fi
echo "setup: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
