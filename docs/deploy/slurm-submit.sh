#!/bin/sh
# Queue a backlog on Slurm: N shard tasks, then the merge once all of
# them succeeded.
#
#   docs/deploy/slurm-submit.sh N CASES OUT POLICY [AS_OF]
#
# AS_OF defaults to today, fixed here once so that every shard uses the
# same date.  Keep N the same for every re-run of a backlog into OUT.
set -eu
if [ $# -lt 4 ] || [ $# -gt 5 ]; then
	echo "usage: $0 N CASES OUT POLICY [AS_OF]" >&2
	exit 64
fi
here=$(cd "$(dirname "$0")" && pwd)
N=$1 CASES=$2 OUT=$3 POLICY=$4 AS_OF=${5:-$(date +%F)}
export CASES OUT POLICY AS_OF

# --array on the command line overrides the script's #SBATCH --array.
jid=$(sbatch --parsable --array="1-$N" --export=ALL "$here/slurm-shards.sbatch")
jid=${jid%%;*}
echo "shards: job array $jid (1-$N), as of $AS_OF"
mid=$(sbatch --parsable --dependency="afterok:$jid" --export=ALL \
	"$here/slurm-merge.sbatch")
echo "merge: job $mid, after every task of $jid succeeds"
