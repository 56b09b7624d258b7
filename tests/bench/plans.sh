#!/usr/bin/env bash
# make bench, part 6: every node's plan from the head node.  "list -w"
# over 10,000 nodes with a groups file of 500 definitions, against
# ClusterShell's "nodeset -f" folding the same 10,000 names, in one run,
# median of interleaved runs; and the processes list -w starts for 100
# nodes and for 10,000 (strace), which must be the same.  Writes the
# "plans" section of docs/BENCHMARKS.md.
#
#   BENCH_REPEAT   timed runs of each way, median taken (default 11)
set -euo pipefail

cd "$(dirname "$0")/../.."
. tests/bench/lib.bash

REPEAT=${BENCH_REPEAT:-11}
PNS=$PWD/scripts/pernode-services
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
report=$tmp/report.md

command -v nodeset >/dev/null || {
	printf 'bench/plans.sh: nodeset not installed (apt-get install clustershell): skipped\n' >&2
	exit 0
}

# The state directory: 20 global scripts, 25 group directories of one
# script each, 20 node directories; 500 definitions over n00001..n10000
# (400 ranges, a fifth of them less another group, and 100 lists of 100
# names: every name once), as groups.sh has them.
root=$tmp/root
mkdir -p "$root/global"
for i in $(seq -w 1 20); do
	printf '#!/bin/sh\n' >"$root/global/$i-s"
	chmod 755 "$root/global/$i-s"
done
for g in $(seq 1 20 500); do
	mkdir -p "$root/@g$g"
	cp -p "$root/global/01-s" "$root/@g$g/10-s"
done
for n in $(seq 1 500 10000); do
	node=$(printf 'n%05d' "$n")
	mkdir -p "$root/$node"
	cp -p "$root/global/01-s" "$root/$node/90-own"
done
groups_500 >"$root/groups"
# The same 10,000 names for nodeset, one a line, shuffled (as a list of
# hosts comes), as many as list -w folds.
awk 'BEGIN { srand(7); for (i = 1; i <= 10000; i++) n[i] = i
	for (i = 10000; i > 1; i--) { j = int(rand() * i) + 1; t = n[i]; n[i] = n[j]; n[j] = t }
	for (i = 1; i <= 10000; i++) printf "n%05d\n", n[i] }' >"$tmp/names"

: >"$tmp/config"
export PERNODE_ROOT=$root PERNODE_RUNDIR=$tmp/run PERNODE_LOG=$tmp/log \
    PERNODE_CONFIG=$tmp/config
W='n[00001-10000]'

way() {
	case $1 in
	list) sh "$PNS" -w "$W" list ;;
	nodeset) nodeset -f <"$tmp/names" ;;
	esac
}

declare -A times
for w in list nodeset; do times[$w]=''; done
for ((r = 0; r <= REPEAT; r++)); do
	for w in list nodeset; do
		t0=$EPOCHREALTIME
		way "$w" >"$tmp/out.$w"
		t=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", (b - a) * 1000 }')
		# The first round warms the caches.
		[ "$r" -eq 0 ] || times[$w]+="$t"$'\n'
	done
done
read -r list _ < <(printf '%s' "${times[list]}" | stats)
read -r ns _ < <(printf '%s' "${times[nodeset]}" | stats)
lines=$(wc -l <"$tmp/out.list")
# The fold of the first line, every node's, is nodeset's.
first=$(head -n 1 "$tmp/out.list")
[ "${first##* }" = "$(cat "$tmp/out.nodeset")" ] ||
	{ printf 'bench/plans.sh: list -w folds %s, nodeset %s\n' "${first##* }" "$(cat "$tmp/out.nodeset")" >&2; exit 1; }
met=$(awk -v a="$list" -v b="$ns" 'BEGIN { print (a <= b ? "**met**" : "**not met**") }')

# execs W: the programs list -w W starts.
execs() {
	strace -f -qq -e trace=execve -e signal=none -o "$tmp/strace" \
	    sh "$PNS" -w "$1" list >/dev/null
	grep -c 'execve(' "$tmp/strace"
}
small=- big=-
if command -v strace >/dev/null; then
	small=$(execs 'n[00001-00100]')
	big=$(execs "$W")
fi

cat >"$report" <<MD
## plans

Measured by \`tests/bench/plans.sh\` (\`make bench\`) on $(machine).

\`pernode-services -w 'n[00001-10000]' list\` under \`/bin/sh\`
($(readlink -f /bin/sh)): the plans of 10,000 nodes, with a
\`ROOT/groups\` of 500 definitions over them (400 ranges, a fifth of them
less another group; 100 lists of 100 names), 20 global scripts, 25
\`@NAME/\` directories and 20 node directories, folded into $lines lines;
against ClusterShell's \`nodeset -f\` folding the same 10,000 names
(shuffled, one a line on its stdin); median of $REPEAT interleaved runs.

| way | median |
|---|---|
| list -w, 10,000 nodes | $list ms |
| nodeset -f, 10,000 names | $ns ms |
| ratio | $(ratio "$list" "$ns")x |

Goal: no slower than \`nodeset -f\`: $met.

Programs started (\`strace -f -e trace=execve\`), the shell's own included:
$small for 100 nodes, $big for 10,000. The nodes cost nothing but time in
the one awk.
MD
cat "$report"
publish plans "$report"
