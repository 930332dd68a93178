#!/usr/bin/env bash
# Submits a skintrack batch as an N-task Slurm job array plus a merge job that
# runs when every shard has finished (afterany: a failed shard still merges
# what the others produced; its series are then missing from results.db and
# a re-run of that shard fills them in).
#   scripts/slurm/submit.sh ROOT OUT N
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(realpath "${1:?usage: submit.sh ROOT OUT N}")
out=$(realpath -m "${2:?usage: submit.sh ROOT OUT N}")
n=${3:?usage: submit.sh ROOT OUT N}
skintrack=${SKINTRACK:-$(command -v skintrack)}
mkdir -p "$out"
array=$(sbatch --parsable --array=0-$((n - 1)) --chdir="$out" \
  --export=ALL,SKINTRACK="$skintrack" "$here/skintrack-array.sbatch" "$root" "$out")
shards=()
for k in $(seq 1 "$n"); do shards+=("$out/results.shard-$k-of-$n.db"); done
merge=$(sbatch --parsable --dependency=afterany:"$array" --chdir="$out" --job-name=skintrack-merge \
  --output="$out/skintrack-merge-%j.out" \
  --wrap="\"$skintrack\" merge \"$out/results.db\" ${shards[*]}")
echo "submitted array $array ($n shards) and merge $merge"
