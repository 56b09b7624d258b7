#!/usr/bin/env bash
# make bench, part 2: pernode-services against run-parts and bare shell
# loops doing the same fork and exec per script, start against stop, and
# the processes started per script, all in one run.  Prints the figures
# and writes them into the "pernode-services" section of
# docs/BENCHMARKS.md.
#
#   BENCH_SCRIPTS  scripts for the run-parts comparison (default 1000)
#   BENCH_LARGE    scripts for the bash and stop comparisons (default 3000)
#   BENCH_REPEAT   timed runs of each way, median taken (default 7)
set -euo pipefail

cd "$(dirname "$0")/../.."
. tests/bench/lib.bash

SCRIPTS=${BENCH_SCRIPTS:-1000}
LARGE=${BENCH_LARGE:-3000}
REPEAT=${BENCH_REPEAT:-7}
PNS=$PWD/scripts/pernode-services
for tool in run-parts dash bash timeout strace; do
	command -v "$tool" >/dev/null || {
		printf 'bench: %s not found (see tests/deps)\n' "$tool" >&2
		exit 1
	}
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
report=$tmp/report.md
printf '#!/bin/sh\nexit 0\n' >"$tmp/trivial"
chmod 755 "$tmp/trivial"

# tree DIR N: a state directory with N trivial scripts in global/.
tree() {
	local i
	mkdir -p "$1/global" "$1/scripts"
	for ((i = 1; i <= $2; i++)); do
		# run-parts runs only names of letters, digits, - and _.
		cp -p "$tmp/trivial" "$1/global/$(printf 's%05d' "$i")"
	done
}
tree "$tmp/small" "$SCRIPTS"
tree "$tmp/large" "$LARGE"

# The benchmark node, n059: 11 scripts in 5 levels that wait, as a real
# node waits (for accounts, a Lustre mount, a link, a GPU), 0.2 to 2 s.
# One after the other they take the sum, 7.1 s; the slowest of each level
# added up, the critical path, is 4.0 s.
node=$tmp/node
mkdir -p "$node"
printf 'gpu: n059\n' >"$node/groups"
while read -r name wait; do
	mkdir -p "$node/${name%/*}"
	printf '#!/bin/sh\nsleep %s\n' "$wait" >"$node/$name"
	chmod 755 "$node/$name"
done <<-'NODE'
	global/10-accounts 2.0
	global/10-ib 0.9
	global/10-time 0.6
	global/20-lustre 0.8
	global/20-nfs 0.6
	@gpu/30-gpu 0.5
	@gpu/30-dcgm 0.4
	n059/40-mofed 0.4
	n059/40-opa 0.4
	n059/50-slurm 0.3
	n059/50-munge 0.2
NODE
SUM=7.1 CRITICAL=4.0

: >"$tmp/config"
export PERNODE_HOSTNAME=bench PERNODE_RUNDIR=$tmp/run PERNODE_LOG=$tmp/log \
    PERNODE_CONFIG=$tmp/config

# way NAME: one run of that way, its output discarded.  The runner's ways
# keep the default settings (the limit on, kept by pernode-watch); "nolimit"
# sets PERNODE_TIMEOUT=0; the timeout loop is what the limit cost when it
# was a timeout(1) a script.
# shellcheck disable=SC2016 # the loops are for the other shells to expand
way() {
	local small=$tmp/small/global large=$tmp/large/global
	case $1 in
	pns-dash) PERNODE_ROOT=$tmp/small dash "$PNS" start ;;
	pns-dash-nolimit) PERNODE_ROOT=$tmp/small PERNODE_TIMEOUT=0 dash "$PNS" start ;;
	run-parts) run-parts --arg=start "$small" ;;
	dash-loop) dash -c 'for f in "$1"/*; do [ -x "$f" ] && "$f" start; done' sh "$small" ;;
	dash-timeout-loop)
		dash -c 'for f in "$1"/*; do [ -x "$f" ] && timeout -k 5 600 "$f" start; done' sh "$small" ;;
	pns-bash) PERNODE_ROOT=$tmp/large bash "$PNS" start ;;
	bash-loop) bash -c 'for f in "$1"/*; do [ -x "$f" ] && "$f" start; done' sh "$large" ;;
	start-dash) PERNODE_ROOT=$tmp/large dash "$PNS" start ;;
	stop-dash) PERNODE_ROOT=$tmp/large dash "$PNS" stop ;;
	start-bash) PERNODE_ROOT=$tmp/large bash "$PNS" start ;;
	stop-bash) PERNODE_ROOT=$tmp/large bash "$PNS" stop ;;
	node-serial) PERNODE_ROOT=$node PERNODE_HOSTNAME=n059 dash "$PNS" start ;;
	node-parallel)
		PERNODE_ROOT=$node PERNODE_HOSTNAME=n059 PERNODE_PARALLEL=8 dash "$PNS" start ;;
	node-loop)
		dash -c 'for f in "$1"/global/* "$1"/@gpu/* "$1"/n059/*; do [ -x "$f" ] && "$f" start; done' \
		    sh "$node" ;;
	esac >/dev/null
}

# timed WAY...: REPEAT rounds, each running every WAY once in turn, so
# that a slow moment of the machine falls on all of them alike; then the
# median seconds of each in med[WAY].
declare -A med
timed() {
	local r w t0
	for w do way "$w"; done	# warm the caches
	for w do : >"$tmp/times.$w"; done
	for ((r = 0; r < REPEAT; r++)); do
		for w do
			t0=$EPOCHREALTIME
			way "$w"
			awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.4f\n", b - a }' \
			    >>"$tmp/times.$w"
		done
	done
	for w do read -r "med[$w]" _ < <(stats <"$tmp/times.$w"); done
}

# forks SHELL N: processes pernode-services start creates per script
# beyond a fixed cost, from two runs of N and 2N scripts under strace.
forks() {
	local n
	tree "$tmp/f1" "$2"
	tree "$tmp/f2" $(($2 * 2))
	for n in 1 2; do
		PERNODE_ROOT=$tmp/f$n strace -f -qq \
		    -e trace=fork,vfork,clone,clone3 -o "$tmp/strace.$n" \
		    "$1" "$PNS" start >/dev/null
	done
	# A call cut in two by another process shows as two lines, the first
	# with the name and "(": count those.
	awk -v a="$(grep -cE ' (clone3?|v?fork)\(' "$tmp/strace.1")" \
	    -v b="$(grep -cE ' (clone3?|v?fork)\(' "$tmp/strace.2")" \
	    -v n="$2" 'BEGIN { printf "%.2f\n", (b - a) / n }'
	rm -rf "$tmp/f1" "$tmp/f2"
}

# fixed SHELL: the processes a start of no script creates (the runner's
# fixed cost), under strace as above.
fixed() {
	mkdir -p "$tmp/f0/global"
	PERNODE_ROOT=$tmp/f0 strace -f -qq -e trace=fork,vfork,clone,clone3 \
	    -o "$tmp/strace.0" "$1" "$PNS" start >/dev/null
	grep -cE ' (clone3?|v?fork)\(' "$tmp/strace.0"
	rm -rf "$tmp/f0"
}

printf 'bench: %d and %d scripts, %d rounds\n' "$SCRIPTS" "$LARGE" "$REPEAT" >&2
timed pns-dash run-parts dash-loop pns-dash-nolimit dash-timeout-loop
timed pns-bash bash-loop
timed start-dash stop-dash start-bash stop-bash
timed node-serial node-parallel node-loop
forks_dash=$(forks dash 200)
forks_bash=$(forks bash 200)
fixed_dash=$(fixed dash)

r() { ratio "${med[$1]}" "${med[$2]}"; }
per() { awk -v t="${med[$1]}" -v n="$SCRIPTS" 'BEGIN { printf "%.2f", t * 1000 / n }'; }
within() { awk -v a="${med[$1]}" -v b="${med[$2]}" -v k="$3" 'BEGIN { exit !(a <= k * b) }'; }
verdict() { if within "$@"; then printf '**met**'; else printf '**not met**'; fi; }
# versus WAY SECONDS K: WAY's median over SECONDS, and the verdict of <= K.
versus() {
	awk -v a="${med[$1]}" -v b="$2" -v k="$3" 'BEGIN {
		printf "%.2fx, %s", a / b, (a <= k * b ? "**met**" : "**not met**") }'
}

{
	cat <<MD
## pernode-services

Measured by \`tests/bench/pernode-services.sh\` (\`make bench\`) on $(machine).

Trivial scripts (\`#!/bin/sh\` and \`exit 0\`) in \`global/\`, ownership check
on, output to a log file; the median wall time of $REPEAT rounds, each
round running every way of a table once in turn after one warm-up run.
The bare loops do what the runner must at the least: \`[ -x "\$f" ] &&
"\$f" start\` for each entry. The runner keeps its default settings: the
600 s limit on, kept for every script of the run by one pernode-watch(8).

### Against run-parts, under dash ($SCRIPTS scripts)

| way | median | ratio |
|---|---|---|
| pernode-services start | ${med[pns-dash]} s | $(r pns-dash run-parts)x run-parts, $(r pns-dash dash-loop)x the loop |
| \`run-parts --arg=start\` | ${med[run-parts]} s | 1.00x |
| dash loop | ${med[dash-loop]} s | $(r dash-loop run-parts)x run-parts |
| pernode-services start, no limit | ${med[pns-dash-nolimit]} s | $(r pns-dash-nolimit run-parts)x run-parts |
| dash loop through \`timeout -k 5 600\` (the limit a process a script, as before) | ${med[dash-timeout-loop]} s | $(r dash-timeout-loop run-parts)x run-parts |

Goal: with the default settings, at or below run-parts: $(verdict pns-dash run-parts 1.0).

Per script on this machine: run-parts $(per run-parts) ms, the dash loop
$(per dash-loop) ms, pernode-services $(per pns-dash) ms. What the runner adds to
the loop is its shell's work for each script (the log's header, the
record's lines, the request and its reply, a line each) and the hand-offs
from the runner to pernode-watch to the script and back, which wake a
process on the other core; where creating a process is slow, these are
a small part of a script's cost, and where it is fast, a large one.

### Under bash ($LARGE scripts)

| way | median | ratio |
|---|---|---|
| \`bash pernode-services start\` | ${med[pns-bash]} s | $(r pns-bash bash-loop)x the loop |
| bash loop | ${med[bash-loop]} s | 1.00x |

Goal: within 1.15x of the bash loop: $(verdict pns-bash bash-loop 1.15).

### stop against start ($LARGE scripts)

| shell | start | stop | stop / start |
|---|---|---|---|
| dash | ${med[start-dash]} s | ${med[stop-dash]} s | $(r stop-dash start-dash)x |
| bash | ${med[start-bash]} s | ${med[stop-bash]} s | $(r stop-bash start-bash)x |

Goal: stop within 1.15x of start: dash $(verdict stop-dash start-dash 1.15),
bash $(verdict stop-bash start-bash 1.15). Each directory is reversed in
one pass: the names joined with "/", which no name can hold, and split once.

### The benchmark node, serial and side by side

n059: 11 scripts in 5 levels (\`global/10-*\` three, \`global/20-*\` two,
\`@gpu/30-*\` two, \`n059/40-*\` two, \`n059/50-*\` two) that sleep 0.2 to
2 s; the sum of their times is $SUM s, the critical path (the slowest of
each level, added up) $CRITICAL s.

| way | median | against |
|---|---|---|
| one at a time (the default) | ${med[node-serial]} s | $(versus node-serial "$SUM" 1.02) (goal: at most 1.02x the sum) |
| \`PERNODE_PARALLEL=8\` | ${med[node-parallel]} s | $(versus node-parallel "$CRITICAL" 1.10) (goal: at most 1.10x the critical path) |
| the same scripts, in plan order, in a dash loop | ${med[node-loop]} s | $(awk -v a="${med[node-loop]}" -v b="$SUM" 'BEGIN { printf "%.2fx", a / b }') |

The sum above is of the sleeps alone; each script also costs this
machine a shell and a \`sleep\` to start, which the dash loop pays too.
Against the loop, the scripts' sum as run here, one at a time is
$(r node-serial node-loop)x (goal 1.02x: $(verdict node-serial node-loop 1.02)); what is left is the
runner's fixed cost, $fixed_dash process creations a run under dash (counted as
below, for a start of no script: the re-exec's \`readlink\`, the \`find\`s of
the ownership check and the walk, the config's \`sh -n\`, the lock, the
clock, the watcher and its FIFOs, syslog).

### Processes per script

Counted with \`strace -f\` (fork, vfork, clone, clone3) over starts of 200
and 400 scripts with the default limit, the difference divided by 200:
dash $forks_dash, bash $forks_bash: the script itself, nothing else (the
limit was a \`timeout(1)\` a script, 2.00, before pernode-watch).
tests/pns-timeout.bats checks the same count (N scripts, N processes and
a constant) in \`make check\` under dash, bash, busybox sh and yash.
MD
} >"$report"

cat "$report"
publish pernode-services "$report"
