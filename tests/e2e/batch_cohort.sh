#!/usr/bin/env bash
# Issue 21, cohort data: batch writes OUT/metrics.csv, one long table of every
# series, that pandas loads in one call and whose values equal each series'
# metrics.json (failed sessions and a failed series as rows with their cause;
# formula-like text guarded); results.db holds patient, area, modality and
# every failure message. The table stays the same through an incremental
# re-run, an older (schema 1) results.db migrated in place, and sharded runs
# joined by merge.
set -uo pipefail
work=$ST_TEST_TMP/batch_cohort
rm -rf "$work"; mkdir -p "$work/root"
fail=0
bad() { echo "FAIL $*"; fail=1; }
gen=$ST_BUILD_DIR/samples/generator/skingen
[[ -x $gen ]] || { echo "no generator $gen"; exit 77; }
py=/usr/bin/python3
$py -c "import pandas" 2>/dev/null || { echo "no pandas for $py"; exit 77; }

# a: a photo course; b: the same with its last photo truncated (a failed
# session) and an area a spreadsheet would run as a formula; c: a bad
# series.json (a failed series); d: the demo's height maps; e: no photo but
# a good series.json (a failed series whose rows still name its patient,
# area - formula-like - and modality).
"$gen" photo "$work/root/a" --seed 3 --size 640x480 --sessions 3 >/dev/null
"$gen" photo "$work/root/b" --seed 5 --size 640x480 --sessions 3 >/dev/null
cp -r "$ST_SRC_DIR/samples/demo/height-scars" "$work/root/d"
head -c 3000 "$work/root/b/2026-03-16.jpg" >"$work/cut" && mv "$work/cut" "$work/root/b/2026-03-16.jpg"
$py - "$work/root" <<'PY'
import json, sys
root = sys.argv[1]
for name, patient, area in (("a", "P-1", "left cheek"), ("b", "P-2", "=SUM(1,2)")):
    p = f"{root}/{name}/series.json"
    m = json.load(open(p))
    m["patient"], m["area"] = patient, area
    json.dump(m, open(p, "w"))
PY
mkdir -p "$work/root/c"
cp "$work/root/a/2026-01-05.jpg" "$work/root/c/"
echo '{"pixel_mm": "x"}' >"$work/root/c/series.json"
mkdir -p "$work/root/e"
echo "photos to come" >"$work/root/e/notes.txt"
echo '{"patient": "P-5", "area": "=1+2 forehead", "modality": "photo"}' >"$work/root/e/series.json"

got=0
"$ST_CLI" batch "$work/root" -o "$work/out" -j2 >/dev/null 2>"$work/err" || got=$?
[[ $got -eq 1 ]] || bad "batch: status $got (want 1): $(cat "$work/err")"
[[ -s $work/out/metrics.csv ]] || { echo "FAIL no OUT/metrics.csv: $(cat "$work/err")"; exit 1; }

check_table() { # OUT
  $py - "$1" <<'PY'
import json, math, sys
import pandas as pd
out = sys.argv[1]
df = pd.read_csv(f"{out}/metrics.csv")   # the one call a researcher makes
cols = ["patient", "area", "modality", "series", "session", "date", "days", "label", "quality",
        "metric", "value", "unit", "change_pct", "withheld", "message"]
assert list(df.columns) == cols, list(df.columns)
assert df["value"].dtype.kind == "f" and df["change_pct"].dtype.kind == "f", df.dtypes
def guard(s):  # SPEC: formula-like cells get a leading '
    return "'" + s if s[:1] in ("=", "@", "+", "-") else s
def text(v):
    return "" if isinstance(v, float) and math.isnan(v) else v
values = 0
for name in ("a", "b", "d"):
    m = json.load(open(f"{out}/{name}/metrics.json"))
    rows = df[df.series == name]
    for col in ("patient", "area", "modality"):
        want = guard(m["series"][col])
        assert set(rows[col]) == {want}, (name, col, set(rows[col]), want)
    assert sorted(set(rows.session)) == [s["index"] for s in m["sessions"]], name
    for s in m["sessions"]:
        r = rows[rows.session == s["index"]]
        assert set(r.date) == {s["date"]} and set(r.days) == {s["days"]}, (name, s["index"])
        if s["status"] == "failed":
            assert len(r) == 1 and r.quality.iloc[0] == "failed", (name, s["index"], r)
            assert r.message.iloc[0] == s["error"] and s["error"], (r.message.iloc[0], s["error"])
            assert math.isnan(r.value.iloc[0]) and text(r.metric.iloc[0]) == ""
            continue
        assert set(r.quality) == {s["quality"]["status"]}, (name, s["index"], set(r.quality))
        assert list(r.metric) == list(s["metrics"]), (name, s["index"])
        for row in r.itertuples():
            js = s["metrics"][row.metric]
            assert row.value == js["value"], (name, s["index"], row.metric, row.value, js["value"])
            assert text(row.unit) == js["unit"], (row.metric, row.unit, js["unit"])
            ch = s.get("change", {}).get(row.metric)
            assert (math.isnan(row.change_pct) if ch is None else row.change_pct == ch), (row.metric, ch)
            wh = s.get("withheld", {}).get(row.metric, "")
            assert text(row.withheld) == wh, (row.metric, row.withheld, wh)
            values += 1
c = df[df.series == "c"]
assert len(c) == 1 and c.quality.iloc[0] == "failed" and "pixel_mm" in c.message.iloc[0], c
assert c[["patient", "area", "modality"]].isna().all(axis=None), c  # series.json does not parse
e = df[df.series == "e"]
assert len(e) == 1 and e.quality.iloc[0] == "failed" and "no images" in e.message.iloc[0], e
assert list(e[["patient", "area", "modality"]].iloc[0]) == ["P-5", "'=1+2 forehead", "photo"], e
assert df[df.series == "b"].quality.eq("failed").sum() == 1
print(f"ok   metrics.csv: {len(df)} rows, {values} values equal to metrics.json, failed session and series with causes")
PY
}
check_table "$work/out" || bad "metrics.csv does not match the series' metrics.json"

# results.db: patient, area, modality; every failure's message.
db=$work/out/results.db
[[ $(sqlite3 "$db" "SELECT name, patient, area, modality FROM series ORDER BY name") == \
   $'a|P-1|left cheek|photo\nb|P-2|=SUM(1,2)|photo\nc|||\nd|P-0107|right cheek, acne scars|height\ne|P-5|=1+2 forehead|photo' ]] ||
  bad "series table: $(sqlite3 "$db" "SELECT name, patient, area, modality FROM series ORDER BY name")"
msg=$(sqlite3 "$db" "SELECT message FROM sessions WHERE series='b' AND status='failed'")
[[ $msg == 2026-03-16.jpg:* ]] || bad "the failed session's message: '$msg'"
[[ $(sqlite3 "$db" "SELECT count(*) FROM sessions WHERE status='failed' AND message=''") == 0 ]] ||
  bad "a failed session without a message"
[[ $(sqlite3 "$db" "SELECT message FROM series WHERE name='c'") == *pixel_mm* ]] || bad "the failed series' message"
grep -q "^c,,,failed: .*c/series.json: key 'pixel_mm' must be a number,0," "$work/out/summary.csv" ||
  bad "summary.csv does not give the failed series' cause: $(grep '^c,' "$work/out/summary.csv")"
grep -q "failed: .*c/series.json: key &#39;pixel_mm&#39; must be a number" "$work/out/index.html" ||
  bad "index.html does not give the failed series' cause"
[[ $(sqlite3 "$db" "PRAGMA user_version") == 2 ]] || bad "schema version $(sqlite3 "$db" "PRAGMA user_version")"
cp "$work/out/metrics.csv" "$work/first.csv"

# Incremental: nothing analysed again, the same table.
"$ST_CLI" batch "$work/root" -o "$work/out" -j2 >/dev/null 2>"$work/err"
grep -q "0 analysed, 3 skipped" "$work/err" || bad "second run: $(cat "$work/err")"
cmp -s "$work/first.csv" "$work/out/metrics.csv" || bad "metrics.csv changed on an unchanged re-run"

# A results.db of schema 1 (as skintrack 0.1.0 wrote it): migrated, its rows
# completed from metrics.json without analysing again.
to_schema1() {
  sqlite3 "$1" "ALTER TABLE series DROP COLUMN patient; ALTER TABLE series DROP COLUMN area;
    ALTER TABLE series DROP COLUMN modality; ALTER TABLE metrics DROP COLUMN withheld;
    UPDATE sessions SET message = ''; PRAGMA user_version = 1;"
}
to_schema1 "$db"
"$ST_CLI" batch "$work/root" -o "$work/out" -j2 >/dev/null 2>"$work/err"
grep -q "0 analysed, 3 skipped" "$work/err" || bad "run over a schema-1 database: $(cat "$work/err")"
[[ $(sqlite3 "$db" "PRAGMA user_version") == 2 ]] || bad "schema-1 database not migrated"
[[ $(sqlite3 "$db" "SELECT patient || '/' || modality FROM series WHERE name='d'") == P-0107/height ]] ||
  bad "migrated rows not completed: $(sqlite3 "$db" "SELECT * FROM series WHERE name='d'")"
[[ $(sqlite3 "$db" "SELECT message FROM sessions WHERE series='b' AND status='failed'") == "$msg" ]] ||
  bad "migrated: the failed session's message not restored"
[[ $(sqlite3 "$db" "SELECT count(*) FROM metrics WHERE withheld IS NULL") == 0 ]] || bad "migrated: withheld left NULL"
[[ $(sqlite3 "$db" "SELECT patient || '/' || area || '/' || modality || '/' || status FROM series WHERE name='e'") == \
   "P-5/=1+2 forehead/photo/failed" ]] ||
  bad "migrated failed series not completed from its series.json: $(sqlite3 "$db" "SELECT * FROM series WHERE name='e'")"
[[ $(sqlite3 "$db" "SELECT message FROM series WHERE name='e'") == *"no images"* ]] || bad "migrated: the failed series' cause lost"
cmp -s "$work/first.csv" "$work/out/metrics.csv" || bad "metrics.csv changed after the migration"

# Two shards over one OUT, joined by merge: the same table.
for k in 1 2; do
  "$ST_CLI" batch "$work/root" -o "$work/sharded" -j2 --shard "$k/2" >/dev/null 2>&1
done
"$ST_CLI" merge -q "$work/sharded/results.db" "$work/sharded"/results.shard-*.db || bad "merge failed"
cmp -s "$work/first.csv" "$work/sharded/metrics.csv" ||
  bad "merged metrics.csv differs: $(diff "$work/first.csv" "$work/sharded/metrics.csv" | head -5)"
[[ $(sqlite3 "$work/sharded/results.db" "SELECT count(*) FROM series WHERE patient <> ''") == 4 ]] ||
  bad "merged series lack their patient"
# A shard of schema 1 merges too (migrated as it is opened).
cp -r "$work/sharded" "$work/sharded1" && rm -f "$work/sharded1"/results.db*
to_schema1 "$work/sharded1/results.shard-1-of-2.db"
"$ST_CLI" merge -q "$work/sharded1/results.db" "$work/sharded1"/results.shard-*.db 2>"$work/err" ||
  bad "merge with a schema-1 shard: $(cat "$work/err")"
cmp -s "$work/first.csv" "$work/sharded1/metrics.csv" || bad "metrics.csv after merging a schema-1 shard differs"
[[ $(sqlite3 "$work/sharded1/results.db" "SELECT count(*) FROM series") == 5 ]] || bad "schema-1 shard: series lost"
exit $fail
