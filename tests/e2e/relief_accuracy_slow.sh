#!/usr/bin/env bash
# Relief from ordinary photos (issue 18), against the generator's truth:
# 1. fixed lamp, relief (texture, scars, wrinkles) 10 % shallower per
#    session: roughness.sq follows the truth within 5 points,
#    scars.max_depth and wrinkles.depth_index within 6 (seeds 7 and 11),
#    or scar depth withheld where a true scar's wall is past the lamp's
#    elevation, and each scar whose depth shows within 6 on its own;
# 2. repeat shots of one skin (camera moved and turned, exposure and white
#    balance +-8 %, lamp azimuth +-3 deg): SPEC's repeatability limits, and
#    the baseline's wrinkles found (seeds 3 and 5);
# 3. both: scars.count and scars.area_* changes reported only where the
#    session's scars matched the baseline's (count 0 %, area within 6 %),
#    else withheld with the numbers of scars found and matched.
# relief_check.py prints every figure; README.md "Repeatability" quotes them.
# Limits met today are asserted (the test fails when one is missed); those
# not yet met print "KNOWN GAP" with their figure (relief_check.py
# KNOWN_GAPS, the same list as the README's), so the test runs in CI.
set -euo pipefail
: "${ST_CLI:?}" "${ST_SRC_DIR:?}" "${ST_BUILD_DIR:?}" "${ST_TEST_TMP:?}"
work=$ST_TEST_TMP/relief_accuracy
gen=$ST_BUILD_DIR/samples/generator/skingen
check=$ST_SRC_DIR/tests/e2e/relief_check.py
rm -rf "$work"
mkdir -p "$work"
status=0
run() { # NAME MODE RECIPE SKINGEN-ARGS...
  local name=$1 mode=$2 recipe=$3
  shift 3
  "$gen" "$recipe" "$work/$name" "$@" >/dev/null
  "$ST_CLI" analyze "$work/$name" -o "$work/$name.out" -j 2 --no-report --no-images 2>"$work/$name.log" ||
    { cat "$work/$name.log"; status=1; return; }
  echo "-- $name ($recipe $*)"
  python3 "$check" "$work/$name.out" "$work/$name" "$mode" "$name" || status=1
}
run relief7 relief relief --seed 7
run relief11 relief relief --seed 11
run repeat3 repeat repeat --seed 3 --sessions 4
run repeat5 repeat repeat --seed 5 --sessions 4
exit $status
