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

: >"$tmp/config"
export PERNODE_HOSTNAME=bench PERNODE_RUNDIR=$tmp/run PERNODE_LOG=$tmp/log \
    PERNODE_CONFIG=$tmp/config

# way NAME: one run of that way, its output discarded.  "nolimit" ways set
# PERNODE_TIMEOUT=0, the same work as the loops; the others keep the
# default limit, enforced by timeout(1) around each script.
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
	pns-bash-nolimit) PERNODE_ROOT=$tmp/large PERNODE_TIMEOUT=0 bash "$PNS" start ;;
	bash-loop) bash -c 'for f in "$1"/*; do [ -x "$f" ] && "$f" start; done' sh "$large" ;;
	start-dash) PERNODE_ROOT=$tmp/large PERNODE_TIMEOUT=0 dash "$PNS" start ;;
	stop-dash) PERNODE_ROOT=$tmp/large PERNODE_TIMEOUT=0 dash "$PNS" stop ;;
	start-bash) PERNODE_ROOT=$tmp/large PERNODE_TIMEOUT=0 bash "$PNS" start ;;
	stop-bash) PERNODE_ROOT=$tmp/large PERNODE_TIMEOUT=0 bash "$PNS" stop ;;
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
		PERNODE_ROOT=$tmp/f$n PERNODE_TIMEOUT=${3:-0} strace -f -qq \
		    -e trace=fork,vfork,clone,clone3 -o "$tmp/strace.$n" \
		    "$1" "$PNS" start >/dev/null
	done
	# A call cut in two by another process shows as two lines: count returns.
	awk -v a="$(grep -cE "= [0-9]+$" "$tmp/strace.1")" \
	    -v b="$(grep -cE "= [0-9]+$" "$tmp/strace.2")" \
	    -v n="$2" 'BEGIN { printf "%.2f\n", (b - a) / n }'
	rm -rf "$tmp/f1" "$tmp/f2"
}

printf 'bench: %d and %d scripts, %d rounds\n' "$SCRIPTS" "$LARGE" "$REPEAT" >&2
timed pns-dash-nolimit run-parts dash-loop pns-dash dash-timeout-loop
timed pns-bash-nolimit bash-loop
timed start-dash stop-dash start-bash stop-bash
forks_dash=$(forks dash 200)
forks_bash=$(forks bash 200)
forks_limit=$(forks dash 200 600)

r() { ratio "${med[$1]}" "${med[$2]}"; }
within() { awk -v a="${med[$1]}" -v b="${med[$2]}" -v k="$3" 'BEGIN { exit !(a <= k * b) }'; }
verdict() { if within "$@"; then printf '**met**'; else printf '**not met**'; fi; }

{
	cat <<MD
## pernode-services

Measured by \`tests/bench/pernode-services.sh\` (\`make bench\`) on $(machine).

Trivial scripts (\`#!/bin/sh\` and \`exit 0\`) in \`global/\`, ownership check
on, output to a log file; the median wall time of $REPEAT rounds, each
round running every way of a table once in turn after one warm-up run.
The bare loops do what the runner must at the least: \`[ -x "\$f" ] &&
"\$f" start\` for each entry. "No limit" is \`PERNODE_TIMEOUT=0\`, the same
work as the loops; the default limit (600 s) puts \`timeout(1)\` around
each script, one more process each, and is compared with a loop that does
the same.

### Against run-parts, under dash ($SCRIPTS scripts)

| way | median | ratio |
|---|---|---|
| pernode-services start, no limit | ${med[pns-dash-nolimit]} s | $(r pns-dash-nolimit run-parts)x run-parts, $(r pns-dash-nolimit dash-loop)x the loop |
| \`run-parts --arg=start\` | ${med[run-parts]} s | 1.00x |
| dash loop | ${med[dash-loop]} s | $(r dash-loop run-parts)x run-parts |
| pernode-services start, default limit | ${med[pns-dash]} s | $(r pns-dash dash-timeout-loop)x the loop below |
| dash loop through \`timeout -k 5 600\` | ${med[dash-timeout-loop]} s | |

Goal: with no limit, at or below run-parts: $(verdict pns-dash-nolimit run-parts 1.0).

### Under bash ($LARGE scripts, no limit)

| way | median | ratio |
|---|---|---|
| \`bash pernode-services start\` | ${med[pns-bash-nolimit]} s | $(r pns-bash-nolimit bash-loop)x the loop |
| bash loop | ${med[bash-loop]} s | 1.00x |

Goal: within 1.15x of the bash loop: $(verdict pns-bash-nolimit bash-loop 1.15).

### stop against start ($LARGE scripts, no limit)

| shell | start | stop | stop / start |
|---|---|---|---|
| dash | ${med[start-dash]} s | ${med[stop-dash]} s | $(r stop-dash start-dash)x |
| bash | ${med[start-bash]} s | ${med[stop-bash]} s | $(r stop-bash start-bash)x |

Goal: stop within 1.15x of start: dash $(verdict stop-dash start-dash 1.15),
bash $(verdict stop-bash start-bash 1.15). Each directory is reversed in
one pass: the names joined with "/", which no name can hold, and split once.

### Processes per script

Counted with \`strace -f\` (fork, vfork, clone, clone3) over runs of 200 and
400 scripts, the difference divided by 200: dash $forks_dash, bash
$forks_bash with no limit (the script itself: nothing else starts per
script); dash $forks_limit with the default limit (the script and
\`timeout(1)\`).
MD
} >"$report"

cat "$report"
publish pernode-services "$report"
