#!/usr/bin/env bash
# Pore diameter by SPEC.md's definition on a second pore model written
# without skingen (issue 20): soft-edged dark disks of known half-contrast
# radius (0.05-0.25 mm) on light, medium and tan skin, uneven light, noise,
# JPEG (tests/pore_model/soft_pores.py). Per tone: precision >= 0.90, the
# matched pores' diameter and pores.mean_diameter_mm within +-10 % of the
# truth; recall printed (tests/e2e/soft_pores_check.py).
set -euo pipefail
: "${ST_CLI:?}" "${ST_SRC_DIR:?}" "${ST_TEST_TMP:?}"
py=/usr/bin/python3
if ! $py -c "import numpy, PIL" 2>/dev/null; then
  echo "skipped: /usr/bin/python3 without numpy and PIL"
  exit 77
fi
work=$ST_TEST_TMP/pores_soft_model
rm -rf "$work"
mkdir -p "$work"
$py "$ST_SRC_DIR/tests/pore_model/soft_pores.py" "$work" --seed 20
status=0
for tone in light medium tan; do
  # the whole frame but its 16 px border: skin everywhere
  "$ST_CLI" metrics "$work/$tone.jpg" --json --pixel-mm 0.025 --roi 16,16,768,768 \
    >"$work/$tone.json" 2>"$work/$tone.log" || { cat "$work/$tone.log"; status=1; continue; }
  $py "$ST_SRC_DIR/tests/e2e/soft_pores_check.py" "$work/truth.json" "$tone" "$work/$tone.json" ||
    status=1
done
exit $status
