#!/usr/bin/env bash
# Issue 24, scripts/slurm/local_cluster_test.sh: it overwrote
# /etc/slurm/slurm.conf and ended every slurmd/slurmctld on the machine by
# name. Run here on stub daemons (bash scripts on PATH that record how they
# were called, then sleep): its slurm.conf must be under its work folder and
# reach every Slurm command through SLURM_CONF, with two free ports of its
# own and its own munge socket; at the end its daemons are gone and a
# process named slurmd that it did not start is still running; no system
# file changed. Also bash -n and, if present, shellcheck.
set -uo pipefail
: "${ST_CLI:?}" "${ST_SRC_DIR:?}" "${ST_BUILD_DIR:?}" "${ST_TEST_TMP:?}"
script=$ST_SRC_DIR/scripts/slurm/local_cluster_test.sh
work=$ST_TEST_TMP/slurm_private
rm -rf "$work"; mkdir -p "$work/bin" "$work/decoy"
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

bash -n "$script" && ok "bash -n" || bad "bash -n"
if command -v shellcheck >/dev/null; then
  shellcheck "$script" && ok "shellcheck" || bad "shellcheck"
fi
[[ $EUID -eq 0 ]] || { echo "SKIPPED: the script runs as root only"; exit $fail; }

log=$work/calls.log
# A daemon stub: records its arguments and SLURM_CONF and its PID, then
# (exec: the same PID) sleeps until it is ended. munged makes its socket.
for d in slurmctld slurmd munged; do
  cat >"$work/bin/$d" <<EOF
#!/usr/bin/env bash
echo "$d pid=\$\$ conf=\${SLURM_CONF:-} args=\$*" >>"$log"
if [[ $d == munged ]]; then
  for a in "\$@"; do [[ \$a == --socket=* ]] && /usr/bin/python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "\${a#--socket=}"; done
fi
exec sleep 300
EOF
done
cat >"$work/bin/sinfo" <<EOF
#!/usr/bin/env bash
echo "sinfo conf=\${SLURM_CONF:-}" >>"$log"; echo idle
EOF
cat >"$work/bin/squeue" <<EOF
#!/usr/bin/env bash
echo "squeue conf=\${SLURM_CONF:-}" >>"$log"
EOF
cat >"$work/bin/sbatch" <<EOF
#!/usr/bin/env bash
echo "sbatch conf=\${SLURM_CONF:-} args=\$*" >>"$log"; echo 42
EOF
chmod +x "$work/bin"/*
# A process named slurmd that is not the script's (pkill -x slurmd would end it).
cp "$(command -v sleep)" "$work/decoy/slurmd"
"$work/decoy/slurmd" 120 & decoy=$!

sys_state() { for f in /etc/slurm/slurm.conf /etc/slurm-llnl/slurm.conf /etc/munge/munge.key; do
  [[ -e $f ]] && sha256sum "$f" || echo "absent $f"; done; }
sys_state >"$work/sys.before"
mkdir -p "$work/root"
"$ST_BUILD_DIR/samples/generator/skingen" photo "$work/root/P1" --size 300x200 --seed 2 --sessions 2 >/dev/null
cwork=$work/cluster
st=0
PATH=$work/bin:$PATH WORK=$cwork SKINTRACK_CLI=$ST_CLI timeout 120 bash "$script" "$work/root" >"$work/run.out" 2>&1 || st=$?
# (no job runs on stubs: the comparison at the end fails, status 1)
grep -q "^work folder: $cwork" "$work/run.out" && [[ $st -eq 1 ]] && ok "ran to the end (status 1: no job ran on stubs)" \
  || { bad "did not run to the end: status $st"; tail -5 "$work/run.out"; }

conf=$cwork/slurm.conf
[[ -f $conf ]] && ok "slurm.conf in the work folder" || bad "no $conf"
for d in slurmctld slurmd; do
  grep -q "^$d .*args=.*-f $conf" "$log" && ok "$d started with -f its own slurm.conf" || bad "$d: $(grep "^$d" "$log")"
done
n_cmd=$(grep -cE '^(sinfo|squeue|sbatch) ' "$log"); n_conf=$(grep -cE "^(sinfo|squeue|sbatch) conf=$conf( |$)" "$log")
[[ $n_cmd -gt 0 && $n_cmd -eq $n_conf ]] && ok "SLURM_CONF=$conf for all $n_cmd Slurm commands" || bad "SLURM_CONF given to $n_conf of $n_cmd commands"
p1=$(sed -n 's/^SlurmctldPort=//p' "$conf"); p2=$(sed -n 's/^SlurmdPort=//p' "$conf")
[[ $p1 =~ ^[0-9]+$ && $p2 =~ ^[0-9]+$ && $p1 -ne $p2 && $p1 -ne 6817 && $p2 -ne 6818 ]] \
  && ok "own ports $p1 and $p2 (not Slurm's 6817/6818)" || bad "ports: '$p1' '$p2'"
grep -q "^AuthInfo=socket=$cwork/" "$conf" && grep -q "^munged .*--socket=$cwork/.*--key-file\|^munged .*--key-file=$cwork/" "$log" \
  && ok "its own munged, key and socket" || bad "munge: $(grep AuthInfo "$conf"); $(grep '^munged' "$log")"
alive=""
for p in $(sed -n 's/^\(slurmctld\|slurmd\|munged\) pid=\([0-9]*\).*/\2/p' "$log"); do kill -0 "$p" 2>/dev/null && alive+="$p "; done
[[ -z $alive ]] && ok "its daemons ended (by their PIDs)" || bad "still running: $alive"
kill -0 "$decoy" 2>/dev/null && ok "a slurmd it did not start still runs" || bad "the other slurmd was killed"
kill "$decoy" 2>/dev/null; wait "$decoy" 2>/dev/null
cmp -s "$work/sys.before" <(sys_state) && ok "no system file changed" || bad "system files changed"
# A WORK folder it did not make is refused, not emptied.
mkdir -p "$work/precious"; echo keep >"$work/precious/file"
PATH=$work/bin:$PATH WORK=$work/precious SKINTRACK_CLI=$ST_CLI bash "$script" "$work/root" >/dev/null 2>&1
[[ -f $work/precious/file ]] && ok "an existing WORK of other content is left alone" || bad "WORK folder emptied"
exit $fail
