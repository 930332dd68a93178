#!/usr/bin/env bash
# Not part of the default suite. Starts a one-node Slurm cluster on localhost
# (Debian's slurm-wlm and munge), submits a 2-task skintrack array over
# samples/ with scripts/slurm/submit.sh, waits for the merge, and compares the
# result with a single-machine `skintrack batch` of the same root: every
# series' metrics.json and the metrics table of results.db must be identical.
# Run as root:  bash scripts/slurm/local_cluster_test.sh [ROOT]
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
root=$(realpath "${1:-$src/samples/demo}")
work=${WORK:-/tmp/skintrack-slurm}
export DEBIAN_FRONTEND=noninteractive
dpkg-query -W slurm-wlm munge >/dev/null 2>&1 || { apt-get update -qq; apt-get install -y -qq slurm-wlm munge; }
bash "$src/scripts/build.sh" >/dev/null
cli=$src/build/skintrack

host=$(hostname -s)
rm -rf "$work"; mkdir -p "$work"/{spool,state,log}
# munge: a key, then the daemon (root is allowed with --force).
[ -s /etc/munge/munge.key ] || mungekey --create --force 2>/dev/null || create-munge-key -f
mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null || true
pgrep -x munged >/dev/null || runuser -u munge -- munged || munged --force
cat >/etc/slurm/slurm.conf <<CONF
ClusterName=skintrack-local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
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
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
cleanup() { pkill -x slurmd || true; pkill -x slurmctld || true; }
trap cleanup EXIT
slurmctld -c -i
slurmd -c
for _ in $(seq 60); do sinfo -h -o %t 2>/dev/null | grep -qE 'idle|mix' && break; sleep 1; done
sinfo

out=$work/out
t0=$(date +%s.%N)
SKINTRACK=$cli bash "$src/scripts/slurm/submit.sh" "$root" "$out" 2
for _ in $(seq 600); do [ -z "$(squeue -h)" ] && break; sleep 1; done
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
exit $status
