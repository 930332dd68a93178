#!/usr/bin/env bash
# Issue 21: batch names every failed series and every failed session with its
# photo and cause on stderr; merge refuses a missing or non-database shard
# with exit 2 and creates nothing.
set -uo pipefail
work=$ST_TEST_TMP/cli_failures
rm -rf "$work"; mkdir -p "$work/root/good" "$work/root/partial" "$work/root/broken"
fail=0
bad() { echo "FAIL $*"; fail=1; }
demo=$ST_SRC_DIR/samples/demo/photo-course
cp "$demo"/2026-0{1-05,2-09}.jpg "$work/root/good/"
cp "$demo"/2026-0{1-05,2-09}.jpg "$work/root/partial/"
head -c 5000 "$demo/2026-03-16.jpg" >"$work/root/partial/2026-03-16.jpg"   # truncated
echo '{"pixel_mm": "x"}' >"$work/root/broken/series.json"
cp "$demo/2026-01-05.jpg" "$work/root/broken/"

got=0
"$ST_CLI" batch "$work/root" -o "$work/out" -j2 >/dev/null 2>"$work/err" || got=$?
[[ $got -eq 1 ]] || bad "batch: status $got (want 1)"
grep -q "^skintrack: series partial: session 2: 2026-03-16.jpg: .*truncated" "$work/err" ||
  bad "the failed session is not named with its series and photo: $(cat "$work/err")"
grep -q "^skintrack: series broken failed: .*series.json.*pixel_mm" "$work/err" ||
  bad "the failed series is not named with its cause: $(cat "$work/err")"
! grep -q "series good" "$work/err" || bad "the good series named as failed"

# merge: a missing shard, a text file, a foreign SQLite file: exit 2, nothing created.
"$ST_CLI" batch "$work/root" -o "$work/out2" -j2 --shard 1/1 >/dev/null 2>&1
echo "not a database" >"$work/notes.txt"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table t(x)'); c.commit()" "$work/other.db"
for shard in "$work/nonexist.db" "$work/notes.txt" "$work/other.db" "$work/root"; do
  got=0
  "$ST_CLI" merge "$work/merged/results.db" "$work/out2/results.db" "$shard" >/dev/null 2>"$work/err" || got=$?
  [[ $got -eq 2 ]] || bad "merge with $shard: status $got (want 2)"
  grep -q "$shard" "$work/err" || bad "merge with $shard: the shard not named: $(cat "$work/err")"
  [[ ! -e $work/merged && ! -e $work/nonexist.db ]] || bad "merge with $shard created a file"
done
mkdir -p "$work/merged"
"$ST_CLI" merge -q "$work/merged/results.db" "$work/out2/results.db" 2>"$work/err" || bad "merge of a good shard: $(cat "$work/err")"
[[ ! -s $work/err ]] || bad "merge -q printed: $(cat "$work/err")"
[[ -s $work/merged/results.db ]] || bad "merge wrote no database"
exit $fail
