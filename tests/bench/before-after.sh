#!/usr/bin/env bash
# The runner and the report of this tree against those of an earlier
# commit, side by side in one run: start and stop of N no-op scripts,
# list on a node of many groups, and the report's fold of many nodes'
# answers.  For a change that must not cost speed (issue 17's library).
#
#   bash tests/bench/before-after.sh [REF]     REF: default 78fcb55
#   BENCH_SCRIPTS (1000), BENCH_GROUPS (500), BENCH_NODES (10000),
#   BENCH_REPEAT (7): the median of that many runs, the two interleaved.
set -euo pipefail

cd "$(dirname "$0")/../.."
REF=${1:-78fcb55}
SCRIPTS=${BENCH_SCRIPTS:-1000}
GROUPS_N=${BENCH_GROUPS:-500}
NODES=${BENCH_NODES:-10000}
REPEAT=${BENCH_REPEAT:-7}

tmp=$(mktemp -d)
trap 'git worktree remove --force "$tmp/before" 2>/dev/null; rm -rf "$tmp"' EXIT
git worktree add -q --detach "$tmp/before" "$REF"
before=$tmp/before/scripts/pernode-services
after=$PWD/scripts/pernode-services

# The state directory: N no-op scripts in global/, groups of 20 nodes.
root=$tmp/root
mkdir -p "$root/global" "$root/n05000"
printf '#!/bin/sh\nexit 0\n' >"$tmp/noop"
chmod 755 "$tmp/noop"
for ((i = 1; i <= SCRIPTS; i++)); do
	cp -p "$tmp/noop" "$root/global/$(printf 's%05d' "$i")"
done
for ((i = 0; i < GROUPS_N; i++)); do
	printf 'g%d: n[%05d-%05d]\n' "$i" $((i * 20)) $((i * 20 + 19))
done >"$root/groups"
# The answers of NODES nodes, one in ten with a failed script.
for ((i = 1; i <= NODES; i++)); do
	n=$(printf 'n%05d' "$i")
	if ((i % 10)); then
		printf '%s: run\tstart\tb\t1\t2\tyes\t1\t0\tdone\t-\n%s: script\tglobal/a\tok\t0\t0.01\n%s: end\t1\n' "$n" "$n" "$n"
	else
		printf '%s: run\tstart\tb\t1\t2\tyes\t1\t1\tdone\t-\n%s: script\tglobal/a\tfailed\t1\t0.01\n%s: end\t1\n' "$n" "$n" "$n"
	fi
done >"$tmp/answers"

: >"$tmp/config"
export PERNODE_ROOT=$root PERNODE_HOSTNAME=n05000 PERNODE_LOG=$tmp/log \
    PERNODE_RUNDIR=$tmp/run PERNODE_CONFIG=$tmp/config PERNODE_NODESET=no
# Both trees must do the work timed: a start that is refused is fast.
for pns in "$before" "$after"; do
	dash "$pns" start >/dev/null || { printf 'bench: %s start failed\n' "$pns" >&2; exit 1; }
	[ "$(dash "$pns" list | wc -l)" -eq "$SCRIPTS" ] || exit 1
done

# seconds COMMAND...: the wall time of one run, in seconds.
seconds() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || true
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# compare LABEL ARGS...: the runner of each tree with ARGS, interleaved.
compare() {
	local label=$1 b a
	shift
	for ((r = 0; r < REPEAT; r++)); do
		seconds dash "$before" "$@" >>"$tmp/b"
		seconds dash "$after" "$@" >>"$tmp/a"
	done
	b=$(median <"$tmp/b") a=$(median <"$tmp/a")
	rm -f "$tmp/b" "$tmp/a"
	printf '| %s | %s s | %s s | %s |\n' "$label" "$b" "$a" \
	    "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2fx", a / b }')"
}

printf 'before: %s, after: %s (%s), dash, median of %d\n\n' "$REF" \
    "$(git rev-parse --short HEAD)" "working tree" "$REPEAT"
printf '| | before | after | after/before |\n|---|---|---|---|\n'
compare "start, $SCRIPTS no-op scripts" start
compare "stop, $SCRIPTS no-op scripts" stop
compare "list -v, a node among $GROUPS_N groups" -v list
compare "report, $NODES nodes' answers (awk fold)" report "$tmp/answers"
