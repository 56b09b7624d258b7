#!/usr/bin/env bash
# make bench, part 4: what node groups cost a node at each boot and each
# list: list on one node with a groups file of 500 definitions over
# 10,000 node names, against list with no groups file, in one run.  Writes
# the "groups" section of docs/BENCHMARKS.md.
#
#   BENCH_REPEAT   timed runs of each way, median taken (default 21)
set -euo pipefail

cd "$(dirname "$0")/../.."
. tests/bench/lib.bash

REPEAT=${BENCH_REPEAT:-21}
PNS=$PWD/scripts/pernode-services
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
report=$tmp/report.md

# Two state directories alike but for ROOT/groups: 20 global scripts, and
# 20 group directories of one script each.
for tree in with without; do
	mkdir -p "$tmp/$tree/global"
	for i in $(seq -w 1 20); do
		printf '#!/bin/sh\n' >"$tmp/$tree/global/$i-s"
		chmod 755 "$tmp/$tree/global/$i-s"
	done
	for g in $(seq 1 25 500); do
		mkdir -p "$tmp/$tree/@g$g"
		cp -p "$tmp/$tree/global/01-s" "$tmp/$tree/@g$g/10-s"
	done
done
# 500 definitions: 400 ranges and references over n00001..n10000, and 100
# explicit lists of 100 names each, the 10,000 names once each.
groups_500 >"$tmp/with/groups"

: >"$tmp/config"
export PERNODE_HOSTNAME=n05017 PERNODE_RUNDIR=$tmp/run PERNODE_LOG=$tmp/log \
    PERNODE_CONFIG=$tmp/config

# ms TREE: milliseconds of REPEAT runs of list, one a line, interleaved
# with the other tree's by the caller.
declare -A times
for tree in with without; do times[$tree]=''; done
for ((r = 0; r <= REPEAT; r++)); do
	for tree in with without; do
		t0=$EPOCHREALTIME
		PERNODE_ROOT=$tmp/$tree sh "$PNS" list >/dev/null
		t=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", (b - a) * 1000 }')
		# The first round warms the caches.
		[ "$r" -eq 0 ] || times[$tree]+="$t"$'\n'
	done
done
read -r with _ < <(printf '%s' "${times[with]}" | stats)
read -r without _ < <(printf '%s' "${times[without]}" | stats)
groups_of=$(PERNODE_ROOT=$tmp/with sh "$PNS" -v list 2>&1 >/dev/null | grep -c '^group .*is a member' || true)
diff=$(awk -v a="$with" -v b="$without" 'BEGIN { printf "%.1f", a - b }')
met=$(awk -v d="$diff" 'BEGIN { print (d <= 50 ? "**met**" : "**not met**") }')

cat >"$report" <<MD
## groups

Measured by \`tests/bench/groups.sh\` (\`make bench\`) on $(machine).

\`pernode-services list\` on node n05017, under \`/bin/sh\`
($(readlink -f /bin/sh)), with a \`ROOT/groups\` of 500 definitions over
10,000 node names (400 ranges, a fifth of them less another group; 100
lists of 100 names) and 20 \`@NAME/\` directories, against the same tree
without the groups file; median of $REPEAT interleaved runs each. The
node is in $groups_of of the groups.

| way | median |
|---|---|
| list, with the groups file | $with ms |
| list, without | $without ms |
| difference | $diff ms |

Goal: within 50 ms of list without groups: $met. The cost is one awk
reading the file and testing the one name; no set is expanded.
MD
cat "$report"
publish groups "$report"
