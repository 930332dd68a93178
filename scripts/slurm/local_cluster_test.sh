#!/usr/bin/env bash
# Not part of the default suite. Starts a private one-node Slurm cluster on
# localhost (Debian's slurm-wlm and munge), submits a 2-task skintrack array
# over samples/ with scripts/slurm/submit.sh, waits for the merge, and
# compares the result with a single-machine `skintrack batch` of the same
# root: every series' metrics.json and the metrics table of results.db must
# be identical.
#
# Everything it starts is its own, so it may run on a machine that is a node
# of a real cluster: its slurm.conf lives in its work folder and is given to
# every Slurm command through SLURM_CONF; its own munged, with its own key
# and socket (AuthInfo=socket=...); its own free ports for slurmctld and
# slurmd; its daemons are ended by the PIDs it recorded when it started them,
# never by name. No file outside the work folder is written (/etc/slurm,
# /etc/munge and /run/munge are left alone), and nothing is installed.
#
# Run as root (slurmd runs jobs as their users):
#   bash scripts/slurm/local_cluster_test.sh [ROOT]
# WORK=DIR: the work folder (default /tmp/skintrack-slurm-PID); SKINTRACK_CLI:
# a built skintrack to use. tests/e2e/slurm_private.sh runs it on stub
# daemons to check the above.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
root=$(realpath "${1:-$src/samples/demo}")
work=${WORK:-/tmp/skintrack-slurm-$$}

for tool in slurmctld slurmd sbatch squeue sinfo munged; do
  command -v "$tool" >/dev/null || {
    echo "local_cluster_test: $tool not found; install slurm-wlm and munge (apt-get install slurm-wlm munge)" >&2
    exit 2
  }
done
[[ $EUID -eq 0 ]] || { echo "local_cluster_test: run as root (slurmd must start jobs)" >&2; exit 2; }
# SKINTRACK_CLI: a skintrack already built (the build is skipped)
if [[ -n ${SKINTRACK_CLI:-} ]]; then cli=$SKINTRACK_CLI
else
  bash "$src/scripts/build.sh" >/dev/null
  cli=$src/build/skintrack
fi

# free_port: a TCP port nobody listens on (bash's /dev/tcp: a refused connect).
free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  echo "local_cluster_test: no free port found" >&2
  return 1
}

host=$(hostname -s)
# Only a folder this script made (it carries the marker) is ever removed.
if [[ -e $work && ! -e $work/.skintrack-slurm-work ]]; then
  echo "local_cluster_test: $work exists and is not a work folder of this script; choose another WORK" >&2
  exit 2
fi
rm -rf "$work"
mkdir -p "$work"/{spool,state,log,munge}
touch "$work/.skintrack-slurm-work"
chmod 0700 "$work/munge"

pids=()
# cleanup: the daemons this script started, by the PIDs it recorded (its own
# background jobs, so a PID cannot be another process's before it is waited
# for); SIGKILL only to one still running after 5 s.
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$p" 2>/dev/null; then kill -9 "$p" 2>/dev/null || true; fi
    wait "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT

# munge: a private key, socket and daemon (-F: foreground, so $! is its PID).
key=$work/munge/munge.key
sock=$work/munge/munge.socket
dd if=/dev/urandom of="$key" bs=1024 count=1 status=none
chmod 0400 "$key"
munged -F --force --key-file="$key" --socket="$sock" --pid-file="$work/munge/munged.pid" \
  --log-file="$work/log/munged.log" --seed-file="$work/munge/munged.seed" &
pids+=($!)
for _ in $(seq 50); do [[ -S $sock ]] && break; sleep 0.1; done
[[ -S $sock ]] || { echo "local_cluster_test: munged did not start (see $work/log/munged.log)" >&2; exit 1; }

ctl_port=$(free_port)
d_port=$(free_port)
while [[ $d_port == "$ctl_port" ]]; do d_port=$(free_port); done
export SLURM_CONF=$work/slurm.conf
cat >"$SLURM_CONF" <<CONF
ClusterName=skintrack-local-$$
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctl_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
SlurmdSpoolDir=$work/spool
StateSaveLocation=$work/state
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
# -D: in the foreground (as a background job), so $! is the daemon itself.
slurmctld -D -c -i -f "$SLURM_CONF" &
pids+=($!)
slurmd -D -c -f "$SLURM_CONF" &
pids+=($!)
for _ in $(seq 60); do sinfo -h -o %t 2>/dev/null | grep -qE 'idle|mix' && break; sleep 1; done
sinfo

out=$work/out
t0=$(date +%s.%N)
SKINTRACK=$cli bash "$src/scripts/slurm/submit.sh" "$root" "$out" 2
for _ in $(seq 600); do [[ -z $(squeue -h) ]] && break; sleep 1; done
t1=$(date +%s.%N)
echo "cluster run: $(echo "$t1 - $t0" | bc) s"
cat "$out"/skintrack-*.out || true

single=$work/single
"$cli" batch "$root" -o "$single" -j 2 || true
status=0
for d in "$single"/*/; do
  s=$(basename "$d")
  if cmp -s "$d/metrics.json" "$out/$s/metrics.json"; then echo "same: $s"; else echo "DIFFERENT: $s"; status=1; fi
done
dump() { sqlite3 "$1" "SELECT series, session, name, printf('%.9g', value), unit FROM metrics ORDER BY 1,2,3"; }
if diff <(dump "$single/results.db") <(dump "$out/results.db") >/dev/null; then
  echo "results.db metrics: identical ($(dump "$out/results.db" | wc -l) values)"
else
  echo "results.db metrics: DIFFERENT"; status=1
fi
echo "work folder: $work"
exit $status
