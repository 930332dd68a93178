#!/usr/bin/env bash
# A batch killed mid-way (kill -9, then SIGINT) loses no finished series, leaves
# results.db intact, and the next run resumes: it analyses only what is missing.
set -euo pipefail
cli=${ST_CLI:?}
src=${ST_SRC_DIR:?}
tmp=${ST_TEST_TMP:-/tmp}/batch-interrupt
rm -rf "$tmp"; mkdir -p "$tmp/root"
for i in 1 2 3 4 5 6; do cp -r "$src/samples/demo/photo-course" "$tmp/root/patient-$i"; done
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
stored() { sqlite3 "$tmp/out/results.db" "SELECT count(*) FROM series" 2>/dev/null || echo 0; }

# 1. kill -9 once at least one series is stored.
"$cli" batch "$tmp/root" -o "$tmp/out" -j 1 2>"$tmp/run1.err" &
pid=$!
for _ in $(seq 600); do [ "$(stored)" -ge 1 ] && break; sleep 0.1; done
kill -9 $pid; wait $pid 2>/dev/null || true
n1=$(stored)
check "series stored before kill -9 ($n1)" '[ "$n1" -ge 1 ] && [ "$n1" -lt 6 ]'
check "database intact after kill -9" '[ "$(sqlite3 "$tmp/out/results.db" "PRAGMA integrity_check")" = ok ]'

# 2. SIGINT: running series finish, no new one starts, exit status 1.
"$cli" batch "$tmp/root" -o "$tmp/out" -j 1 2>"$tmp/run2.err" &
pid=$!
for _ in $(seq 600); do [ "$(stored)" -gt "$n1" ] && break; sleep 0.1; done
kill -INT $pid
st=0; wait $pid || st=$?
n2=$(stored)
check "SIGINT exit status 1 (got $st)" '[ "$st" -eq 1 ]'
check "SIGINT says interrupted" 'grep -q "interrupted" "$tmp/run2.err"'
check "SIGINT run skipped the $n1 stored series" 'grep -q "$n1 skipped" "$tmp/run2.err"'
check "database intact after SIGINT" '[ "$(sqlite3 "$tmp/out/results.db" "PRAGMA integrity_check")" = ok ]'

# 3. Resume: everything stored, only the missing ones analysed.
"$cli" batch "$tmp/root" -o "$tmp/out" -j 2 2>"$tmp/run3.err" || true
cat "$tmp/run3.err"
check "resume analysed only the missing $((6 - n2))" 'grep -q "$((6 - n2)) analysed, $n2 skipped" "$tmp/run3.err"'
check "all six series stored" '[ "$(stored)" -eq 6 ]'
check "every series has its metrics.json" '[ "$(ls "$tmp"/out/*/metrics.json | wc -l)" -eq 6 ]'
check "three runs recorded: one killed (no end), one interrupted" \
  '[ "$(sqlite3 "$tmp/out/results.db" "SELECT count(*), sum(ended IS NULL), sum(status=\"interrupted\") FROM runs")" = "3|1|1" ]'
exit $fail
