#!/usr/bin/env bash
# skintrack register on generated photos: a session of the same skin comes
# out "ok" with its aligned image written; an unreadable file is exit 2 with
# a message naming it. (Unrelated pairs -> "fail" are checked through the
# library in test_register_skin: the generator's photo series all carry the
# same colour chart at the same place, which rightly registers.)
set -euo pipefail
gen="$ST_BUILD_DIR/samples/generator/skingen"
[ -x "$gen" ] || { echo "skingen not built"; exit 1; }
tmp="$ST_TEST_TMP/e2e_register"
rm -rf "$tmp"
mkdir -p "$tmp"
"$gen" photo "$tmp/a" --seed 11 --size 512x384 >/dev/null
base="$tmp/a/2026-01-05.jpg"

out=$("$ST_CLI" register "$base" "$tmp/a/2026-02-09.jpg" --json -o "$tmp/aligned.png")
echo "$out"
echo "$out" | grep -q '"status":[[:space:]]*"ok"' || { echo "same skin: not ok"; exit 1; }
echo "$out" | grep -q '"matrix":' || { echo "no matrix"; exit 1; }
[ -s "$tmp/aligned.png" ] || { echo "aligned image not written"; exit 1; }
ls "$tmp" | grep -q '\.tmp' && { echo "temporary file left behind"; exit 1; }

printf 'not an image' > "$tmp/bad.jpg"
set +e
"$ST_CLI" register "$base" "$tmp/bad.jpg" --json 2>"$tmp/err.txt"
rc=$?
set -e
[ "$rc" = 2 ] || { echo "bad input: exit $rc, expected 2"; exit 1; }
grep -q "bad.jpg" "$tmp/err.txt" || { echo "error does not name the file"; cat "$tmp/err.txt"; exit 1; }
echo "register e2e passed"
