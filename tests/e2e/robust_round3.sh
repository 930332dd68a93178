#!/usr/bin/env bash
# Issue 24 (reliability, round two), the rest: series.json with a repeated
# key is an error; control characters from files never reach the terminal
# raw; a tiny or featureless photo fails quality control and is not taken as
# the baseline; batch never writes inside its input tree, sets a damaged
# results.db aside and leaves a foreign one alone; an interrupted or failed
# analyze leaves OUT as it was or complete.
set -uo pipefail
: "${ST_CLI:?}" "${ST_SRC_DIR:?}" "${ST_BUILD_DIR:?}" "${ST_TEST_TMP:?}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
work=$ST_TEST_TMP/robust_round3
util=$ST_SRC_DIR/tests/e2e/robust_util.py
gen=$ST_BUILD_DIR/samples/generator/skingen
rm -rf "$work"; mkdir -p "$work"
"$gen" photo "$work/base" --size 400x300 --seed 3 >/dev/null || { echo "skingen failed"; exit 1; }
rm -f "$work/base/truth.json"
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
# edit DIR PYTHON: run PYTHON on DIR/series.json loaded as d, written back
edit() {
  python3 - "$1/series.json" "$2" <<'PY'
import json, sys
p = sys.argv[1]; d = json.load(open(p))
exec(sys.argv[2])
if isinstance(d, dict): json.dump(d, open(p, "w"), indent=1)
PY
}
fresh() { rm -rf "$work/$1" "$work/$1.out"; cp -r "$work/base" "$work/$1"; }

# --- item 8: a repeated key, and control characters in messages ---------------
fresh dup
python3 - "$work/dup/series.json" <<'PY'
import sys
p = sys.argv[1]; t = open(p).read().rstrip()
assert t.endswith("}")
open(p, "w").write(t[:-1] + ', "sessions": [{"date": "2026-01-05", "files": ["2026-01-05.jpg"]}]}')
PY
st=0; "$ST_CLI" analyze "$work/dup" -o "$work/dup.out" 2>"$work/dup.err" || st=$?
if [[ $st -eq 2 ]] && grep -qF "dup/series.json: key 'sessions' is given more than once" "$work/dup.err" \
   && [[ $(wc -l <"$work/dup.err") -eq 1 ]]; then ok "duplicate 'sessions': $(cat "$work/dup.err")"
else bad "duplicate 'sessions': status $st"; sed 's/^/     | /' "$work/dup.err"; fi
[[ ! -e $work/dup.out ]] && ok "duplicate 'sessions': nothing written" || bad "duplicate 'sessions': OUT written"

fresh esc
edit "$work/esc" 'd["\u001b]0;owned\u0007\u001b[2J"] = 1; d["sessions"][1]["note\u009b31m"] = "x"'
st=0; "$ST_CLI" analyze "$work/esc" -o "$work/esc.out" --no-report --no-images 2>"$work/esc.err" || st=$?
if LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$work/esc.err" || LC_ALL=C grep -q $'\xc2[\x80-\x9f]' "$work/esc.err"; then
  bad "unknown keys: a control character reached stderr"; cat -v "$work/esc.err"
else ok "unknown keys: no control character on stderr (exit $st)"; fi
grep -qF "unknown key '\\x1b]0;owned\\x07\\x1b[2J' ignored" "$work/esc.err" \
  && grep -qF "unknown key 'sessions[1].note\\xc2\\x9b31m' ignored" "$work/esc.err" \
  && ok "unknown keys: shown escaped: $(grep -F '\x07' "$work/esc.err")" \
  || { bad "unknown keys: not shown escaped"; cat -v "$work/esc.err"; }

# --- item 9: a 16x16 noise PNG before the real baseline photo ------------------
fresh tiny
python3 - "$work/tiny/2026-01-05_a.png" <<'PY'
import random, struct, sys, zlib
def chunk(k, d): return struct.pack(">I", len(d)) + k + d + struct.pack(">I", zlib.crc32(k + d) & 0xffffffff)
random.seed(5); w = h = 16
raw = b"".join(b"\0" + bytes(random.randrange(40, 220) for _ in range(3 * w)) for _ in range(h))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PY
edit "$work/tiny" 'd["sessions"][0]["files"] = ["2026-01-05_a.png"] + d["sessions"][0]["files"]'
st=0; "$ST_CLI" analyze "$work/tiny" -o "$work/tiny.out" --no-report --no-images 2>"$work/tiny.err" || st=$?
python3 - "$work/tiny.out/metrics.json" <<'PY'

import json, sys
d = json.load(open(sys.argv[1]))
regs = [s["registration"]["status"] for s in d["sessions"]]
flags = d["progress"]["flags"]
print("     registration:", regs, "flags:", flags)
assert all(r in ("ok", "warn") for r in regs), regs
want = "photo 2026-01-05_a.png left out: quality: too small to measure: 16x16 px, at least 64 px a side"
assert any(want in f for f in flags), flags
PY
[[ $? -eq 0 && $st -eq 0 ]] && ok "tiny baseline shot: left out with its reason; the real photo is the reference" \
  || { bad "tiny baseline shot: exit $st"; cat "$work/tiny.err"; }

# --- item 5: batch never writes inside its input tree; results.db -----------------
root=$work/root; rm -rf "$root"; mkdir -p "$root"; cp -r "$work/base" "$root/s1"
python3 "$util" tree_state "$root" >"$work/root.state"
refuse() { # refuse NAME OUT PATTERN
  local st=0; "$ST_CLI" batch "$root" -o "$2" 2>"$work/$1.err" || st=$?
  if [[ $st -eq 2 ]] && grep -qF -- "$3" "$work/$1.err" && [[ $(wc -l <"$work/$1.err") -eq 1 ]]; then ok "$1: $(cat "$work/$1.err")"
  else bad "$1: status $st (want 2, one line with '$3')"; sed 's/^/     | /' "$work/$1.err"; fi
}
refuse out-is-root "$root" "the output folder may not be the batch root"
refuse out-in-root "$root/out" "the output folder may not be the batch root"
refuse out-in-series "$root/s1/out" "the output folder may not be the batch root"
python3 "$util" tree_state "$root" | cmp -s - "$work/root.state" && ok "input tree unchanged (nothing created in it)" \
  || { bad "input tree changed"; python3 "$util" tree_state "$root" | diff "$work/root.state" - | head; }
mkdir -p "$work/outer"; mv "$root" "$work/outer/root"; root=$work/outer/root
refuse root-in-out "$work/outer" "the output folder may not contain the batch root"
mv "$root" "$work/root"; root=$work/root; rmdir "$work/outer"

bout=$work/bout
"$ST_CLI" batch "$root" -o "$bout" 2>"$work/b1.err" || { bad "batch: first run"; cat "$work/b1.err"; }
# damaged: text where the database was; then a database cut in half
for kind in text truncated; do
  rm -f "$bout"/results.db.damaged-*
  if [[ $kind == text ]]; then echo "this is not a database" >"$bout/results.db"
  else "$ST_CLI" batch "$root" -o "$bout" 2>/dev/null; sz=$(stat -c %s "$bout/results.db"); truncate -s $((sz / 2)) "$bout/results.db"; fi
  cp "$bout/results.db" "$work/damaged.db"
  st=0; "$ST_CLI" batch "$root" -o "$bout" 2>"$work/dmg.err" || st=$?
  if [[ $st -eq 0 ]] && grep -qF "set aside as $bout/results.db.damaged-1 and rebuilt" "$work/dmg.err" \
     && cmp -s "$work/damaged.db" "$bout/results.db.damaged-1"; then ok "damaged ($kind): $(grep -F 'set aside' "$work/dmg.err")"
  else bad "damaged ($kind): status $st"; sed 's/^/     | /' "$work/dmg.err"; fi
  python3 - "$bout/results.db" <<'PY' && ok "damaged ($kind): rebuilt, the series stored again" || bad "damaged ($kind): not rebuilt"
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); assert [r[0] for r in c.execute("SELECT name FROM series")] == ["s1"]
PY
done
# not ours: an unrelated SQLite file named results.db is refused, not modified
fout=$work/fout; rm -rf "$fout"; mkdir -p "$fout"
python3 - "$fout/results.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("CREATE TABLE patients(id INTEGER PRIMARY KEY, name TEXT)")
c.execute("INSERT INTO patients(name) VALUES ('x')"); c.commit(); c.close()
PY
sum_before=$(sha256sum "$fout/results.db")
st=0; "$ST_CLI" batch "$root" -o "$fout" 2>"$work/foreign.err" || st=$?
[[ $st -eq 2 ]] && grep -qF "$fout/results.db: not a skintrack results database" "$work/foreign.err" \
  && ok "foreign results.db: $(cat "$work/foreign.err")" || { bad "foreign results.db: status $st"; cat "$work/foreign.err"; }
[[ $(sha256sum "$fout/results.db") == "$sum_before" ]] && [[ ! -e $fout/results.db-wal ]] \
  && ok "foreign results.db: unchanged" || bad "foreign results.db: modified"

# --- item 6: SIGTERM during analyze leaves no hidden temporary ---------------------
# The run is ended at 15 points of its course; each time it must die of the
# signal (status 143) with no .name.XXXXXX left in OUT (images/ included).
left=0; notsig=0
for d in $(seq 0.1 0.1 1.5); do
  rm -rf "$work/sig.out"
  "$ST_CLI" analyze "$work/base" -o "$work/sig.out" -j 1 2>/dev/null & pid=$!
  sleep "$d"; kill -TERM "$pid" 2>/dev/null; wait "$pid"; st=$?
  [[ $st -eq 0 || $st -eq 143 ]] || notsig=$((notsig + 1))
  t=$(find "$work/sig.out" -name '.*' 2>/dev/null | head -3 | tr '\n' ' ')
  [[ -n $t ]] && { left=$((left + 1)); echo "     after ${d}s: $t"; }
done
[[ $left -eq 0 && $notsig -eq 0 ]] && ok "SIGTERM at 15 points of analyze: no temporary left, ended by the signal" \
  || bad "SIGTERM: $left run(s) left temporaries, $notsig ended otherwise than by the signal"

exit $fail
