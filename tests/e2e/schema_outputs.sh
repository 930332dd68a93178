#!/usr/bin/env bash
# docs/metrics.schema.json against real files:
#  - `skintrack analyze --no-report` on every demo series (samples/demo: photo
#    course with a chart, bad session, height map, photometric stereo), on the
#    photo course without series.json (automatic skin area, no pixel size) and
#    with a repeat shot (shots, repeatability): every metrics.json must
#    validate, and carry what analyze always writes (beyond the schema's
#    required keys, which older files such as the report fixtures may lack);
#  - the report fixtures tests/data/report/*/metrics.json must validate;
#  - the schema must be strict: broken copies of a valid file (a session
#    without "index", a wrong type, an unknown key, a wrong unit, ...) must
#    each fail.
# Needs python3-jsonschema (scripts/setup.sh --test). Debian's python is
# /usr/bin/python3; a python3 earlier on PATH (pyenv) may lack the package.
set -euo pipefail
src=${ST_SRC_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
cli=${ST_CLI:-$src/build/skintrack}
work=${ST_TEST_TMP:-/tmp}/schema_outputs
fail() { echo "schema_outputs: $*" >&2; exit 1; }

py=""
for p in /usr/bin/python3 "$(command -v python3 || true)"; do
  if [[ -x $p ]] && "$p" -c 'import jsonschema' 2>/dev/null; then py=$p; break; fi
done
[[ -n $py ]] || fail "no python3 with jsonschema (apt-get install python3-jsonschema; scripts/setup.sh --test)"

rm -rf "$work"
mkdir -p "$work/in" "$work/out"
for s in photo-course bad-session height-scars stereo-forehead; do
  rc=0
  "$cli" analyze "$src/samples/demo/$s" -o "$work/out/$s" --no-report -j 2 2>"$work/$s.err" || rc=$?
  # bad-session has sessions that fail on purpose: exit 1, outputs written.
  [[ $rc == 0 || ($s == bad-session && $rc == 1) ]] || { cat "$work/$s.err" >&2; fail "analyze $s: exit $rc"; }
done
# The photo course as a bare folder (no series.json: roi_source auto, no
# pixel size), and with a second shot of session 1 (repeat shots).
mkdir -p "$work/in/bare" "$work/in/repeat"
cp "$src"/samples/demo/photo-course/*.jpg "$work/in/bare/"
cp "$src"/samples/demo/photo-course/*.jpg "$work/in/repeat/"
cp "$src/samples/demo/photo-course/2026-02-09.jpg" "$work/in/repeat/2026-02-09_b.jpg"
for s in bare repeat; do
  "$cli" analyze "$work/in/$s" -o "$work/out/$s" --no-report -j 2 2>"$work/$s.err" ||
    { cat "$work/$s.err" >&2; fail "analyze $s failed"; }
done

"$py" - "$src/docs/metrics.schema.json" "$work/out" "$src/tests/data/report" <<'EOF'
import copy, glob, json, os, sys
from jsonschema import Draft202012Validator

schema_path, out_root, fixture_root = sys.argv[1:4]
schema = json.load(open(schema_path, encoding="utf-8"))
Draft202012Validator.check_schema(schema)
v = Draft202012Validator(schema)
bad = []

def errors(doc):
    return sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))

def validate(path, doc):
    errs = errors(doc)
    for e in errs[:10]:
        bad.append(f"{path}: at {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:200]}")
    return not errs

outputs = sorted(glob.glob(os.path.join(out_root, "*", "metrics.json")))
fixtures = sorted(glob.glob(os.path.join(fixture_root, "*", "metrics.json")))
if len(outputs) != 6 or len(fixtures) < 3:
    sys.exit(f"schema_outputs: expected 6 analyze outputs and 3 fixtures, found {len(outputs)}, {len(fixtures)}")

docs = {}
for path in outputs + fixtures:
    doc = json.load(open(path, encoding="utf-8"))
    docs[path] = doc
    validate(path, doc)
    for i, s in enumerate(doc["sessions"]):
        if s.get("index") != i:
            bad.append(f"{path}: sessions[{i}].index is {s.get('index')!r}")

# What analyze always writes (older files may lack it; the schema lets them).
def need(path, obj, keys, where):
    for k in keys:
        if k not in obj:
            bad.append(f"{path}: analyze output lacks {where}.{k}")

seen = {"face_or_auto": False, "shots": False, "failed": False, "height": False, "stereo": False}
for path in outputs:
    doc = docs[path]
    se = doc["series"]
    need(path, se, ["pixel_mm", "roi", "roi_source", "dates_unknown", "notes"], "series")
    if "chromophore_keys" in doc:
        bad.append(f"{path}: chromophore_keys at the top level (analyze writes them under series)")
    if se["modality"] == "photo":
        need(path, se, ["chromophore_keys"], "series")
    seen["height"] |= se["modality"] == "height"
    seen["stereo"] |= se["modality"] == "stereo"
    seen["face_or_auto"] |= se.get("roi_source", "").startswith(("auto", "face:"))
    for s in doc["sessions"]:
        w = f"sessions[{s['index']}]"
        need(path, s, ["status", "error", "detections"], w)
        if s["index"] > 0:
            need(path, s, ["withheld"], w)
            both = set(s.get("withheld", {})) & set(s.get("change", {}))
            if both:
                bad.append(f"{path}: {w}: withheld changes also listed in change: {sorted(both)}")
        if "reason" in s:
            bad.append(f"{path}: {w}: 'reason' (older name; analyze writes 'error')")
        if s["registration"]["status"] not in ("ok", "warn", "fail"):
            bad.append(f"{path}: {w}: registration.status {s['registration']['status']!r}")
        if s["quality"]["status"] not in ("ok", "warn", "fail"):
            bad.append(f"{path}: {w}: quality.status {s['quality']['status']!r}")
        if s["date"] == "":
            bad.append(f"{path}: {w}: date \"\" (analyze writes null)")
        if se["modality"] == "photo" and s["status"] == "ok":
            need(path, s, ["colour"], w)  # light: only when the lamp could be estimated
        seen["shots"] |= "shots" in s and "repeatability" in s
        seen["failed"] |= s["status"] == "failed"
for k, ok in seen.items():
    if not ok:
        bad.append(f"analyze outputs never exercised: {k}")

# Strictness: each broken copy of a valid output must fail.
base = docs[os.path.join(out_root, "photo-course", "metrics.json")]
def broken(label, mutate):
    d = copy.deepcopy(base)
    mutate(d)
    if not errors(d):
        bad.append(f"schema accepts a broken file: {label}")
    else:
        print(f"schema_outputs: rejected as expected: {label}")

def set_(path, value):
    def f(d):
        o = d
        for k in path[:-1]:
            o = o[k]
        o[path[-1]] = value
    return f
def del_(path):
    def f(d):
        o = d
        for k in path[:-1]:
            o = o[k]
        del o[path[-1]]
    return f

broken("a session without index", del_(["sessions", 1, "index"]))
broken("index as a string", set_(["sessions", 1, "index"], "1"))
broken("no schema key", del_(["schema"]))
broken("another schema version", set_(["schema"], "skintrack/2"))
broken("sessions not an array", set_(["sessions"], {}))
broken("no sessions", set_(["sessions"], []))
broken("metric value as a string", set_(["sessions", 1, "metrics", "roughness.sq", "value"], "0.01"))
broken("metric without unit", del_(["sessions", 1, "metrics", "roughness.sq", "unit"]))
broken("roughness.sq in mm", set_(["sessions", 1, "metrics", "roughness.sq", "unit"], "mm"))
broken("unknown metric name", set_(["sessions", 1, "metrics", "roughness.sqq"], {"value": 1, "unit": "rel"}))
broken("change of an unknown metric", set_(["sessions", 1, "change", "pores.size"], 1.0))
broken("change on the baseline", set_(["sessions", 0, "change"], {}))
broken("follow-up session without change", del_(["sessions", 1, "change"]))
broken("unknown session key", set_(["sessions", 1, "colour_status"], "ok"))
broken("unknown top-level key", set_(["extra"], 1))
broken("colour status not in the list", set_(["sessions", 1, "colour", "status"], "normalised"))
broken("light direction with 2 values", set_(["sessions", 1, "light", "direction"], [0.1, 0.2]))
broken("relief_comparable as a string", set_(["sessions", 1, "light", "relief_comparable"], "true"))
broken("matrix 2x3", set_(["sessions", 1, "registration", "matrix"], [[1, 0, 0], [0, 1, 0]]))
broken("registration status unknown", set_(["sessions", 1, "registration", "status"], "good"))
broken("withheld reason not a string", set_(["sessions", 1, "withheld", "redness.erythema_index"], 1))
broken("remodeling index above 100", set_(["progress", "remodeling_index", "value"], 250))
broken("ci95 with one value", set_(["progress", "remodeling_index", "ci95"], [1.0]))
broken("roi_source unknown", set_(["series", "roi_source"], "guess"))
broken("modality unknown", set_(["series", "modality"], "video"))
broken("pixel_mm negative", set_(["series", "pixel_mm"], -0.05))
broken("date not YYYY-MM-DD", set_(["sessions", 1, "date"], "09/02/2026"))
broken("pore without d_mm", del_(["sessions", 1, "detections", "pores", 0, "d_mm"]))
broken("flags not strings", set_(["progress", "flags"], [1]))

if bad:
    print("\n".join(bad), file=sys.stderr)
    sys.exit(1)
print(f"schema_outputs: {len(outputs)} analyze outputs and {len(fixtures)} fixtures valid")
EOF
