#!/usr/bin/env bash
# The demo: installs what is missing, builds, and runs skintrack on samples/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
BUILD_DIR=$root/build bash scripts/build.sh
echo "skintrack $(build/skintrack --version)"
