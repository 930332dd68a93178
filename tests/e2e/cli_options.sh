#!/usr/bin/env bash
# Issue 21, option parsing: getopt_long conventions (--opt=value, -j4, "--",
# options after operands), `help COMMAND`, --quiet, and every --help with the
# exit codes, environment variables and two examples. The man page and the
# bash completion are generated from the same option tables: each lists every
# option of every COMMAND --help, and `cmake --install` installs both.
set -uo pipefail
work=$ST_TEST_TMP/cli_options
rm -rf "$work"; mkdir -p "$work"
fail=0
bad() { echo "FAIL $*"; fail=1; }

# --opt=value, -j4, --max-pixels=N: accepted, and as strict as the spaced forms.
img=$ST_SRC_DIR/samples/demo/photo-course/2026-01-05.jpg
cp "$img" "$work/-dash.jpg"
"$ST_CLI" metrics --pixel-mm=0.05 -j2 --max-pixels=300000000 "$img" >"$work/a.json" 2>"$work/err" ||
  bad "metrics --pixel-mm=0.05 -j2: $(cat "$work/err")"
"$ST_CLI" metrics --pixel-mm 0.05 -j 2 "$img" >"$work/b.json" 2>/dev/null
cmp -s "$work/a.json" "$work/b.json" || bad "--pixel-mm=0.05 -j2 differs from --pixel-mm 0.05 -j 2"
(cd "$work" && "$ST_CLI" metrics -j1 -- -dash.jpg >/dev/null 2>"$work/err") ||
  bad "metrics -- -dash.jpg (an operand after --): $(cat "$work/err")"
expect_usage() { # PATTERN ARGS...: exit 2 and one stderr line matching PATTERN
  local pat=$1; shift
  local got=0
  "$ST_CLI" "$@" >/dev/null 2>"$work/err" || got=$?
  if [[ $got -ne 2 ]] || ! grep -qE -- "$pat" "$work/err" || [[ $(wc -l <"$work/err") -ne 1 ]]; then
    bad "skintrack $*: status $got, stderr: $(cat "$work/err")"
  else echo "ok   skintrack $*: $(cat "$work/err")"; fi
}
expect_usage "--pixel-mm: 'x'" metrics "$img" --pixel-mm=x
expect_usage "-j: '0'" metrics "$img" -j0
expect_usage "^skintrack: -j needs a value" metrics "$img" -j
expect_usage "unknown option '--frob'" analyze "$work" --frob=3
expect_usage "unknown option '-z'" batch "$work" -z
expect_usage "unknown option '--json'" analyze "$work" --json
expect_usage "help: unknown command 'frob'" help frob

# help COMMAND is COMMAND --help; every --help has exit codes, environment, 2 examples.
for cmd in analyze batch metrics register report merge; do
  "$ST_CLI" help "$cmd" >"$work/h1" || bad "help $cmd: status $?"
  "$ST_CLI" "$cmd" --help >"$work/h2"
  cmp -s "$work/h1" "$work/h2" || bad "help $cmd differs from $cmd --help"
  grep -q "^usage: skintrack $cmd" "$work/h1" || bad "help $cmd: no usage line"
  for section in "exit status:" "environment:" "examples:"; do
    grep -q "^$section" "$work/h1" || bad "$cmd --help has no '$section'"
  done
  for code in 0 1 2 3; do grep -qE "^  $code  " "$work/h1" || bad "$cmd --help: no exit status $code"; done
  grep -q "SOURCE_DATE_EPOCH" "$work/h1" || bad "$cmd --help: no environment variables"
  [[ $(grep -c "^  skintrack $cmd " "$work/h1") -eq 2 ]] || bad "$cmd --help: not two examples"
  # Every option --help names is in the man page and in the completion for that command.
  "$ST_CLI" --bash-completion >"$work/completion.bash"
  "$ST_CLI" --man-page >"$work/skintrack.1"
  for opt in $(grep -oE -- '(^|[ ,])--[a-z][a-z0-9-]*' "$work/h1" | tr -d ' ,' | sort -u); do
    roff_opt=$(sed 's/-/\\-/g' <<<"$opt") # groff_man(7): every hyphen escaped
    grep -qF -- "\\fB$roff_opt\\fR" "$work/skintrack.1" || bad "man page lacks $cmd $opt"
    out=$(bash -c 'source "$1"; COMP_WORDS=(skintrack "$2" "$3"); COMP_CWORD=2; _skintrack; printf "%s\n" "${COMPREPLY[@]}"' \
      _ "$work/completion.bash" "$cmd" "$opt")
    grep -qxF -- "$opt" <<<"$out" || bad "completion of 'skintrack $cmd $opt' does not offer it"
  done
done
out=$(bash -c 'source "$1"; COMP_WORDS=(skintrack analyze --modality h); COMP_CWORD=3; _skintrack; echo "${COMPREPLY[*]}"' _ "$work/completion.bash")
[[ $out == height ]] || bad "completion of --modality h gave '$out'"
out=$(bash -c 'source "$1"; COMP_WORDS=(skintrack ba); COMP_CWORD=1; _skintrack; echo "${COMPREPLY[*]}"' _ "$work/completion.bash")
[[ $out == batch ]] || bad "completion of the command 'ba' gave '$out'"

# --quiet: a good run prints nothing; without it, a summary.
mkdir -p "$work/s"
cp "$ST_SRC_DIR"/samples/demo/photo-course/2026-0{1-05,2-09}.jpg "$work/s/"
"$ST_CLI" analyze "$work/s" -o "$work/out" --no-report --no-images -q -j2 2>"$work/err" ||
  bad "analyze -q: status $?"
[[ ! -s $work/err ]] || bad "analyze -q printed: $(cat "$work/err")"
"$ST_CLI" analyze "$work/s" --output="$work/out" --no-report --no-images -j2 2>"$work/err" ||
  bad "analyze --output=: status $?"
grep -q "2 sessions" "$work/err" || bad "analyze without -q printed no summary: $(cat "$work/err")"

# Installed: the man page (readable by man/groff when present) and the completion.
if cmake --install "$ST_BUILD_DIR" --prefix "$work/inst" >"$work/install.log" 2>&1; then
  [[ -s $work/inst/share/man/man1/skintrack.1 ]] || bad "cmake --install: no share/man/man1/skintrack.1"
  [[ -s $work/inst/share/bash-completion/completions/skintrack ]] || bad "cmake --install: no bash completion"
  cmp -s "$work/inst/share/bash-completion/completions/skintrack" "$work/completion.bash" ||
    bad "the installed completion is not the current one"
  if command -v groff >/dev/null; then
    groff -man -Tutf8 -ww -z "$work/inst/share/man/man1/skintrack.1" 2>"$work/groff.err"
    [[ ! -s $work/groff.err ]] || bad "groff warns on skintrack.1: $(head -3 "$work/groff.err")"
  fi
else
  bad "cmake --install: $(tail -3 "$work/install.log")"
fi
exit $fail
