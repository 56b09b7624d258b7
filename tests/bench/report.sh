#!/usr/bin/env bash
# make bench, part 5: the head node's fold at the scale of a real
# cluster.  The answers of 10,000 nodes with 20 scripts each, every 50th
# node with one failed script, interleaved as pdsh prints them, are
# folded by "pernode-services report -" (with nodeset, and with the fold
# of its own) and by "dshbak -c", in one run, median of interleaved runs.
# Then the fan-out itself: pdsh reaching 10,000 names with its exec
# module (a local cat a node, no network) at two fan-out widths.
# Writes the "report" section of docs/BENCHMARKS.md.
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

for tool in dshbak pdsh; do
	command -v "$tool" >/dev/null || {
		printf 'bench/report.sh: %s not installed (apt-get install pdsh): skipped\n' "$tool" >&2
		exit 0
	}
done

# The state directory the nodes ran: 20 global scripts.  Each answer
# gives their digest, but every 100th node ran another global/06-svc.
mkdir -p "$tmp/state/global"
for j in $(seq -w 1 20); do
	printf '#!/bin/sh\n' >"$tmp/state/global/$j-svc"
	chmod 755 "$tmp/state/global/$j-svc"
done
digest=$(cksum <"$tmp/state/global/01-svc" | awk '{ print $1 "-" $2 }')

# The answers, as one node would print them, then as pdsh interleaves
# them: 32 nodes at a time (its default fan-out), line by line.
mkdir "$tmp/answers"
awk -v dir="$tmp/answers" -v digest="$digest" 'BEGIN {
	for (i = 1; i <= 10000; i++) {
		node = sprintf("n%05d", i)
		bad = (i % 50 == 0)
		f = dir "/" node
		printf "run\tstart\t8d1c2b3a-5e6f-4a7b-9c8d-0e1f2a3b4c5d\t1764660000\t1764660042\tyes\t20\t%d\tdone\n", bad >f
		for (j = 1; j <= 20; j++) {
			if (bad && j == 1 + int(i / 50) % 20)
				printf "script\tglobal/%02d-svc\tfailed\t1\t0.31\t%s\n", j, digest >f
			else
				printf "script\tglobal/%02d-svc\tok\t0\t0.02\t%s\n", j,
				    i % 100 == 0 && j == 6 ? "1-1" : digest >f
		}
		printf "end\t20\n" >f
		close(f)
	}
}'
awk -v dir="$tmp/answers" 'BEGIN {
	for (base = 1; base <= 10000; base += 32) {
		for (line = 1; line <= 22; line++)
			for (i = base; i < base + 32 && i <= 10000; i++) {
				f = sprintf("%s/n%05d", dir, i)
				getline l < f
				printf "n%05d: %s\n", i, l
			}
		for (i = base; i < base + 32 && i <= 10000; i++)
			close(sprintf("%s/n%05d", dir, i))
	}
}' >"$tmp/captured"
lines=$(wc -l <"$tmp/captured")

# One way's output, for the record, and its time in ms.
declare -A times
ways='dshbak nodeset own compared'
run_way() {
	case $1 in
	dshbak) dshbak -c <"$tmp/captured" ;;
	nodeset) PERNODE_ROOT=$tmp/none "$PNS" report - <"$tmp/captured" ;;
	own) PERNODE_ROOT=$tmp/none PERNODE_NODESET=no "$PNS" report - <"$tmp/captured" ;;
	compared) PERNODE_ROOT=$tmp/state PERNODE_NODESET=no "$PNS" report - <"$tmp/captured" ;;
	esac
}
for way in $ways; do times[$way]=''; done
for ((r = 0; r <= REPEAT; r++)); do
	for way in $ways; do
		t0=$EPOCHREALTIME
		run_way "$way" >"$tmp/out.$way" 2>&1 || true
		t=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", (b - a) * 1000 }')
		[ "$r" -eq 0 ] || times[$way]+="$t"$'\n'
	done
done
for way in $ways; do
	read -r "med_$way" _ < <(printf '%s' "${times[$way]}" | stats)
done
# shellcheck disable=SC2154 # med_* are set by read above
{
	r_nodeset=$(ratio "$med_nodeset" "$med_dshbak")
	r_own=$(ratio "$med_own" "$med_dshbak")
	r_compared=$(ratio "$med_compared" "$med_dshbak")
}
# Judged on the medians, not on the ratios rounded to 0.01: 1.002 is slower.
met=$(awk -v n="$med_nodeset" -v o="$med_own" -v d="$med_dshbak" \
    'BEGIN { print (n <= d && o <= d ? "**met**" : "**not met**") }')
# The two folds must agree, or the figures mean nothing.
cmp -s "$tmp/out.nodeset" "$tmp/out.own" || {
	printf 'bench/report.sh: the fold with nodeset and without differ:\n' >&2
	diff "$tmp/out.nodeset" "$tmp/out.own" >&2 || true
	exit 1
}
outlines=$(grep -vc '^pernode-services report: ' "$tmp/out.own" || true)
# And they must be the right report: 9,800 ok, 20 scripts failed on 10
# nodes each, nothing on stderr.
if [ "$outlines" -ne 21 ] || [ "$(wc -l <"$tmp/out.own")" -ne 21 ] ||
    ! grep -Eq '^ok +9800  n\[00001-00049,' "$tmp/out.own" ||
    [ "$(grep -Ec '^global/[0-9]+-svc: failed, exit 1 +10  ' "$tmp/out.own")" -ne 20 ]; then
	printf 'bench/report.sh: not the report expected:\n' >&2
	cut -c 1-100 "$tmp/out.own" >&2
	exit 1
fi
# Compared with the state directory, the same report and one line more.
if [ "$(grep -v '^global/06-svc changed since run ' "$tmp/out.compared" | tr -s ' ')" != "$(tr -s ' ' <"$tmp/out.own")" ] ||
    ! grep -Eq '^global/06-svc changed since run +100  n\[00100,00200,' "$tmp/out.compared"; then
	printf 'bench/report.sh: not the report expected with the state directory:\n' >&2
	cut -c 1-100 "$tmp/out.compared" >&2
	exit 1
fi
nodesets=$(command -v nodeset >/dev/null && printf 'installed (%s)' "$(nodeset --version)" || printf 'not installed: both rows are the fold of its own')

# The fan-out: pdsh's exec module runs "cat ANSWER" for each of 10,000
# names; what pdsh itself costs, with no ssh and no node behind it.
fanout() {
	local t0
	t0=$EPOCHREALTIME
	pdsh -R exec -f "$1" -w "n[00001-10000]" cat "$tmp/answers/%h" >"$tmp/fan.$1" 2>&1 || true
	awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}
fan32=$(fanout 32)
fan256=$(fanout 256)
fanlines=$(wc -l <"$tmp/fan.256")

cat >"$report" <<MD
## report

Measured by \`tests/bench/report.sh\` (\`make bench\`) on $(machine).

The answers of 10,000 nodes to \`status --machine\`, 20 scripts each and
every 50th node with one failed script ($lines lines), interleaved 32
nodes at a time as pdsh prints them; median of $REPEAT interleaved runs
of each way, in one run. nodeset: $nodesets.

| way | median | against dshbak -c |
|---|---|---|
| \`dshbak -c\` | $med_dshbak ms | 1.00x |
| \`pernode-services report -\`, nodeset writing the sets | $med_nodeset ms | ${r_nodeset}x |
| \`pernode-services report -\`, its own fold (\`PERNODE_NODESET=no\`) | $med_own ms | ${r_own}x |
| the same, compared with the state directory (20 scripts) | $med_compared ms | ${r_compared}x |

Goal: no slower than \`dshbak -c\`: $met. The fold is one awk pass over
the lines and one sort(1) of the node names; with nodeset installed, one
\`nodeset -f\` writes the sets of all $outlines lines, handed them
already folded. Both ways printed the same report. Compared with the
state directory, the report has one line more, \`global/06-svc changed
since run\` on the 100 nodes that ran another one: the cost of one
\`list -w --machine\` of the 10,000 nodes (one awk, one cksum) and of
reading every script line's name and digest.

The fan-out, not the fold: \`pdsh -R exec -w 'n[00001-10000]' cat FILE\`
($fanlines lines gathered), which costs what pdsh itself costs per node
with no ssh behind it: **$fan32 s** at \`-f 32\` (pdsh's default width)
and **$fan256 s** at \`-f 256\`, against a fold of well under a second.
Here every "node" is a local process on $(nproc) cores, so a wider
fan-out only adds contention; over ssh a node mostly waits on the
network (its connection and the remote \`status --machine\`, tens of
ms), and the width divides that wait. Run a 10,000-node report as
\`pernode-services report -w 'n[00001-10000]' -f 256 -t 30\`, or capture
once with \`pdsh -f 256 -u 30 -w ... /etc/init.d/pernode-services status
--machine >answers 2>&1\` and fold with \`pernode-services report -w ...
answers\`.
MD
cat "$report"
publish report "$report"
