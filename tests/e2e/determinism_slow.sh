#!/usr/bin/env bash
# Determinism (SPEC.md, issue 11): metrics.json and metrics.csv of
# samples/demo/photo-course are byte-identical across two reruns, across
# -j 1 and -j 2, and across the SIMD paths (SKINTRACK_SIMD=scalar|sse2|avx2;
# a path the CPU lacks falls back to the best below it, which is still a
# valid comparison), and with a measured FFTW wisdom file present. Seven
# analyses of a 4 x 2 MP series: _slow. The height course
# (samples/demo/height-scars: pit maps, funnel fits, followed pores) the same
# across the paths and -j.
set -uo pipefail
: "${ST_CLI:?}" "${ST_SRC_DIR:?}" "${ST_TEST_TMP:?}"
work=$ST_TEST_TMP/determinism
series=$ST_SRC_DIR/samples/demo/photo-course
rm -rf "$work"
mkdir -p "$work"
# No FFTW wisdom from the user's cache; one run below is given a measured
# wisdom file, which must not change a byte either (plans from wisdom round
# differently; analyze does not use wisdom).
export XDG_CACHE_HOME=$work/cache
unset SKINTRACK_FFTW_WISDOM
fail=0

# run NAME ENV... -- ARGS...: analyze into $work/NAME
run() {
  local name=$1
  shift
  local envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  env "${envs[@]}" "$ST_CLI" analyze "${series_dir:-$series}" -o "$work/$name" --no-report "$@" \
    2>"$work/$name.err" || { echo "FAIL $name: exit $?"; cat "$work/$name.err"; fail=1; }
}

run ref SKINTRACK_SIMD=avx2 -- -j 2
run rerun SKINTRACK_SIMD=avx2 -- -j 2
run j1 SKINTRACK_SIMD=avx2 -- -j 1
run sse2 SKINTRACK_SIMD=sse2 -- -j 2
run scalar SKINTRACK_SIMD=scalar -- -j 1
run default -- -j 2
names="rerun j1 sse2 scalar default"
bench=${ST_BUILD_DIR:-}/bench_register
if [[ -x $bench ]]; then
  # FFTW_MEASURE plans for a 1600x1200 registration, as the benchmark keeps them.
  "$bench" --size 1600x1200 --reps 1 -j 2 --wisdom "$work/measured.wisdom" >"$work/bench.log" 2>&1
  if [[ -s $work/measured.wisdom ]]; then
    run wisdom SKINTRACK_SIMD=avx2 SKINTRACK_FFTW_WISDOM="$work/measured.wisdom" -- -j 2
    names="$names wisdom"
  else
    echo "note: bench_register made no wisdom file; the wisdom case is skipped"
  fi
fi

series_dir=$ST_SRC_DIR/samples/demo/height-scars
run href SKINTRACK_SIMD=avx2 -- -j 2
run hsse2 SKINTRACK_SIMD=sse2 -- -j 1
run hscalar SKINTRACK_SIMD=scalar -- -j 2

# same REF NAME...: each NAME's outputs byte-identical to REF's
same() {
  local ref=$1
  shift
  for name in "$@"; do
    for f in metrics.json metrics.csv; do
      if cmp -s "$work/$ref/$f" "$work/$name/$f"; then
        echo "ok   $f: $name == $ref ($(sha256sum <"$work/$ref/$f" | cut -c1-16))"
      else
        echo "FAIL $f: $name differs from $ref"
        [[ $f == metrics.csv ]] && diff "$work/$ref/$f" "$work/$name/$f" | head -12
        fail=1
      fi
    done
  done
}
# shellcheck disable=SC2086 # names is a word list
same ref $names
same href hsse2 hscalar
exit $fail
