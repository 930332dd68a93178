#!/usr/bin/env bash
# The command line itself: --help, --version, COMMAND --help for every command
# of SPEC.md, and bad usage (no command, unknown command, unknown option,
# missing argument) with exit status 2 and a one-line message.
set -uo pipefail
work=$ST_TEST_TMP/cli_basics
rm -rf "$work"; mkdir -p "$work"
fail=0

# matches FILE PATTERN: PATTERN (extended regex) on some line; EMPTY: no output.
matches() { if [[ $2 == EMPTY ]]; then [[ ! -s $1 ]]; else grep -qE -- "$2" "$1"; fi; }

# run WANT_STATUS STDOUT_PATTERN STDERR_PATTERN ARGS...
run() {
  local want=$1 out_pat=$2 err_pat=$3
  shift 3
  local got=0
  "$ST_CLI" "$@" >"$work/out.txt" 2>"$work/err.txt" || got=$?
  if [[ $got -ne $want ]] || ! matches "$work/out.txt" "$out_pat" ||
     ! matches "$work/err.txt" "$err_pat"; then
    echo "FAIL skintrack $*: status $got (want $want); stdout: $(head -c 300 "$work/out.txt"); stderr: $(cat "$work/err.txt")"
    fail=1
  else
    echo "ok   skintrack $*"
  fi
}

run 0 "^skintrack 0\.1\.0$" EMPTY --version
run 0 "usage: skintrack COMMAND" EMPTY --help
for cmd in analyze batch metrics register merge report; do
  run 0 "usage: skintrack $cmd" EMPTY "$cmd" --help
  grep -q "^  $cmd " <("$ST_CLI" --help) || { echo "FAIL --help does not list $cmd"; fail=1; }
done
run 2 EMPTY "usage: skintrack COMMAND"
run 2 EMPTY "^skintrack: unknown command 'frobnicate'" frobnicate
run 2 EMPTY "^skintrack: metrics: unknown option '--frob'" metrics x.png --frob
run 2 EMPTY "^skintrack: metrics: usage" metrics
run 2 EMPTY "^skintrack: batch: usage" batch
run 2 EMPTY "^skintrack: merge: usage" merge
run 2 EMPTY "^skintrack: --shard: '3/2'" batch "$work" --shard 3/2
run 2 EMPTY "missing\.png" metrics "$work/missing.png"
# Every error is one line.
"$ST_CLI" metrics "$work/missing.png" 2>"$work/err.txt" >/dev/null
[[ $(wc -l <"$work/err.txt") -eq 1 ]] || { echo "FAIL error message is not one line"; fail=1; }
exit $fail
