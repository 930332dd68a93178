#!/usr/bin/env bash
# A batch killed mid-way (kill -9, then SIGINT, then SIGTERM) loses no finished
# series, leaves results.db intact, and the next run resumes: it analyses only
# what is missing. SIGINT/SIGTERM end it within a second (issue 24) with status
# 1, stopping the running series: no temporary or hidden run folder is left,
# and only the series finished before the signal are recorded.
set -euo pipefail
cli=${ST_CLI:?}
src=${ST_SRC_DIR:?}
tmp=${ST_TEST_TMP:-/tmp}/batch-interrupt
rm -rf "$tmp"; mkdir -p "$tmp/root"
for i in 1 2 3 4 5 6; do cp -r "$src/samples/demo/photo-course" "$tmp/root/patient-$i"; done
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
stored() { sqlite3 "$tmp/out/results.db" "SELECT count(*) FROM series" 2>/dev/null || echo 0; }
outputs() { ls "$tmp"/out/*/metrics.json 2>/dev/null | wc -l; }
hidden() { find "$tmp/out" -name '.*' | head -3; }
now_ms() { date +%s%3N; }

# 1. kill -9 once at least one series is stored.
"$cli" batch "$tmp/root" -o "$tmp/out" -j 1 2>"$tmp/run1.err" &
pid=$!
for _ in $(seq 600); do [ "$(stored)" -ge 1 ] && break; sleep 0.1; done
kill -9 $pid; wait $pid 2>/dev/null || true
n1=$(stored)
check "series stored before kill -9 ($n1)" '[ "$n1" -ge 1 ] && [ "$n1" -lt 6 ]'
check "database intact after kill -9" '[ "$(sqlite3 "$tmp/out/results.db" "PRAGMA integrity_check")" = ok ]'

# kill -9 may leave a hidden run folder or temporary (docs/data-protection.md:
# safe to delete); the signals below must leave none.
find "$tmp/out" -name '.*' -exec rm -rf {} +

# 2. SIGINT while a series runs (-j 1): it stops within a second, exit status
# 1; the series stored before stay, the running one is not recorded.
"$cli" batch "$tmp/root" -o "$tmp/out" -j 1 2>"$tmp/run2.err" &
pid=$!
for _ in $(seq 600); do [ "$(stored)" -gt "$n1" ] && break; sleep 0.1; done
sleep 1 # the next series is running
t0=$(now_ms); kill -INT $pid
st=0; wait $pid || st=$?
ms=$(( $(now_ms) - t0 ))
n2=$(stored)
check "SIGINT ended the batch within a second ($ms ms)" '[ "$ms" -lt 1000 ]'
check "SIGINT exit status 1 (got $st)" '[ "$st" -eq 1 ]'
check "SIGINT says interrupted" 'grep -q "interrupted" "$tmp/run2.err"'
check "SIGINT left no temporaries ($(hidden))" '[ -z "$(hidden)" ]'
check "SIGINT: $n2 stored, as many outputs ($(outputs)), the running series not recorded" \
  '[ "$n2" -gt "$n1" ] && [ "$n2" -lt 6 ] && [ "$(outputs)" -eq "$n2" ]'
check "database intact after SIGINT" '[ "$(sqlite3 "$tmp/out/results.db" "PRAGMA integrity_check")" = ok ]'

# 2b. SIGTERM with two series running at once (-j 2): both stop.
"$cli" batch "$tmp/root" -o "$tmp/out" -j 2 2>"$tmp/run2b.err" &
pid=$!
sleep 1
t0=$(now_ms); kill -TERM $pid
st=0; wait $pid || st=$?
ms=$(( $(now_ms) - t0 ))
check "SIGTERM ended the batch within a second ($ms ms)" '[ "$ms" -lt 1000 ]'
check "SIGTERM exit status 1 (got $st)" '[ "$st" -eq 1 ]'
check "SIGTERM left no temporaries ($(hidden))" '[ -z "$(hidden)" ]'
check "SIGTERM: nothing more stored ($(stored)), outputs match ($(outputs))" \
  '[ "$(stored)" -eq "$n2" ] && [ "$(outputs)" -eq "$n2" ]'
check "database intact after SIGTERM" '[ "$(sqlite3 "$tmp/out/results.db" "PRAGMA integrity_check")" = ok ]'

# 3. Resume: everything stored, only the missing ones analysed.
"$cli" batch "$tmp/root" -o "$tmp/out" -j 2 2>"$tmp/run3.err" || true
cat "$tmp/run3.err"
check "resume analysed only the missing $((6 - n2))" 'grep -q "$((6 - n2)) analysed, $n2 skipped" "$tmp/run3.err"'
check "all six series stored" '[ "$(stored)" -eq 6 ]'
check "every series has its metrics.json" '[ "$(ls "$tmp"/out/*/metrics.json | wc -l)" -eq 6 ]'
check "four runs recorded: one killed (no end), two interrupted" \
  '[ "$(sqlite3 "$tmp/out/results.db" "SELECT count(*), sum(ended IS NULL), sum(status=\"interrupted\") FROM runs")" = "4|1|2" ]'
exit $fail
