#!/usr/bin/env bash
# The library as a user gets it: `cmake --install` into a temporary prefix,
# the tree moved elsewhere (skintrack.pc and the CMake package must follow),
# examples/analyze_series.c built there with CMake (find_package(skintrack):
# skintrack::skintrack and skintrack::static) and with pkg-config, run on samples/demo/photo-course; every value and
# change it prints must be the one the CLI's metrics.json holds (which rounds
# to 6 significant digits), and the same metrics, sessions and withheld
# changes.
set -euo pipefail
# A sanitizer build installs an instrumented library that a plain consumer
# cannot link (the runtime is the executable's to bring); the Release run of
# scripts/test.sh checks the install.
if [[ ${ST_SANITIZED:-} == 1 ]]; then
  echo "SKIPPED: sanitizer build (the Release run checks the installed library)"
  exit 0
fi
tmp="$ST_TEST_TMP/e2e_install_example"
rm -rf "$tmp"
mkdir -p "$tmp"
series="$ST_SRC_DIR/samples/demo/photo-course"

cmake --install "$ST_BUILD_DIR" --prefix "$tmp/first" >"$tmp/install.log"
mv "$tmp/first" "$tmp/prefix" # relocated: nothing may point at the first prefix
prefix="$tmp/prefix"
pc=$(find "$prefix" -name skintrack.pc)
[ -n "$pc" ] || { echo "skintrack.pc not installed"; exit 1; }
[ -f "$prefix/include/skintrack/skintrack.h" ] || { echo "header not installed"; exit 1; }
if grep -rq "$tmp/first\|/usr/local" "$pc" $(find "$prefix" -name '*.cmake'); then
  echo "an installed file names a fixed prefix:"; grep -rn "$tmp/first\|/usr/local" "$pc" $(find "$prefix" -name '*.cmake'); exit 1
fi

# 1. CMake package
cmake -S "$ST_SRC_DIR/examples" -B "$tmp/ex-cmake" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=Release >"$tmp/ex-cmake.log" 2>&1 || { cat "$tmp/ex-cmake.log"; exit 1; }
cmake --build "$tmp/ex-cmake" >>"$tmp/ex-cmake.log" 2>&1 || { cat "$tmp/ex-cmake.log"; exit 1; }
# it must link the installed library, not the build tree's
# (ldd's output captured first: with pipefail, `ldd | grep -q` fails when grep
# leaves early and ldd, still writing, gets SIGPIPE)
grep -q "$prefix/.*libskintrack" <<<"$(ldd "$tmp/ex-cmake/analyze_series")" ||
  { echo "CMake example does not use the installed library"; ldd "$tmp/ex-cmake/analyze_series"; exit 1; }

# ... and with the static library (its dependencies come from the package)
cmake -S "$ST_SRC_DIR/examples" -B "$tmp/ex-static" -DCMAKE_PREFIX_PATH="$prefix" -DEXAMPLES_STATIC=ON \
  -DCMAKE_BUILD_TYPE=Release >"$tmp/ex-static.log" 2>&1 || { cat "$tmp/ex-static.log"; exit 1; }
cmake --build "$tmp/ex-static" >>"$tmp/ex-static.log" 2>&1 || { cat "$tmp/ex-static.log"; exit 1; }
if grep -q libskintrack <<<"$(ldd "$tmp/ex-static/analyze_series")"; then
  echo "static example links libskintrack.so"; exit 1
fi

# 2. pkg-config
export PKG_CONFIG_PATH="$(dirname "$pc")"
cflags=$(pkg-config --cflags skintrack)
libs=$(pkg-config --libs skintrack)
libdir=$(pkg-config --variable=libdir skintrack)
case "$cflags $libs" in *"$prefix"*) ;; *) echo "pkg-config does not point into $prefix: $cflags $libs"; exit 1;; esac
cc -std=c17 -Wall -Wextra -Werror $cflags "$ST_SRC_DIR/examples/analyze_series.c" -o "$tmp/analyze_series_pc" \
  $libs -lm -Wl,-rpath,"$libdir"

# 3. the values
"$ST_CLI" analyze "$series" -o "$tmp/cli" -j 2 --quiet || [ $? = 1 ]
"$tmp/ex-cmake/analyze_series" "$series" >"$tmp/cmake.txt"
"$tmp/analyze_series_pc" "$series" >"$tmp/pc.txt"
"$tmp/ex-static/analyze_series" "$series" >"$tmp/static.txt"
cmp "$tmp/cmake.txt" "$tmp/pc.txt" || { echo "the CMake and pkg-config builds of the example disagree"; exit 1; }
cmp "$tmp/cmake.txt" "$tmp/static.txt" || { echo "the shared and static builds of the example disagree"; exit 1; }
"$tmp/ex-cmake/analyze_series" "$series" roughness.sq

python3 - "$tmp/cli/metrics.json" "$tmp/cmake.txt" <<'PY'
import json, math, sys
doc = json.load(open(sys.argv[1]))
want_v, want_c = {}, {}
for i, s in enumerate(doc["sessions"]):
    for k, m in s.get("metrics", {}).items():
        want_v[(i, k)] = m["value"]
    for k, v in s.get("change", {}).items():
        want_c[(i, k)] = v
got_v, got_c = {}, {}
for line in open(sys.argv[2]):
    kind, s, name, v = line.split()
    (got_v if kind == "value" else got_c)[(int(s), name)] = None if v == "null" else float(v)

def sig6(v):  # report/numfmt.c: "%.6g", -0 as 0, non-finite as null
    if v is None or not math.isfinite(v):
        return None
    r = float("%.6g" % v)
    return 0.0 if r == 0 else r

bad = 0
for what, want, got in (("value", want_v, got_v), ("change", want_c, got_c)):
    if set(want) != set(got):
        print(what, "keys differ: only in metrics.json", sorted(set(want) - set(got))[:5],
              "only in the example", sorted(set(got) - set(want))[:5])
        bad += 1
    for key in sorted(set(want) & set(got)):
        if sig6(got[key]) != want[key]:
            print(what, key, "metrics.json", want[key], "library", got[key])
            bad += 1
print("compared %d values and %d changes" % (len(want_v), len(want_c)))
sys.exit(1 if bad else 0)
PY
echo "install example passed"
