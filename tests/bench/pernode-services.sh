#!/usr/bin/env bash
# make bench, part 2: pernode-services start against run-parts and a bare
# shell loop, on the same 1,000 trivial scripts, in one run.  Prints the
# figures and writes them into the "pernode-services" section of
# docs/BENCHMARKS.md.
#
#   BENCH_SCRIPTS  scripts in global/ (default 1000)
#   BENCH_REPEAT   timed runs of each way, median taken (default 7)
set -euo pipefail

cd "$(dirname "$0")/../.."
. tests/bench/lib.bash

SCRIPTS=${BENCH_SCRIPTS:-1000}
REPEAT=${BENCH_REPEAT:-7}
PNS=$PWD/scripts/pernode-services
command -v run-parts >/dev/null || {
	printf 'bench: run-parts not found (apt-get install debianutils)\n' >&2
	exit 1
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
report=$tmp/report.md
root=$tmp/root
mkdir -p "$root/global" "$root/scripts"
printf '#!/bin/sh\nexit 0\n' >"$tmp/trivial"
for ((i = 1; i <= SCRIPTS; i++)); do
	# run-parts runs only names of letters, digits, - and _.
	name=$(printf 's%04d' "$i")
	cp "$tmp/trivial" "$root/global/$name"
	chmod 755 "$root/global/$name"
done

: >"$tmp/config"
export PERNODE_ROOT=$root PERNODE_HOSTNAME=bench PERNODE_RUNDIR=$tmp/run \
    PERNODE_LOG=$tmp/log PERNODE_CONFIG=$tmp/config

# way NAME: one run of that way, its output discarded.
# shellcheck disable=SC2016 # the loop is for dash to expand
way() {
	case $1 in
	pernode-services) sh "$PNS" start ;;
	pernode-services-bash) bash "$PNS" start ;;
	run-parts) run-parts --arg=start "$root/global" ;;
	dash-loop) dash -c 'for f in "$1"/*; do "$f" start; done' sh "$root/global" ;;
	esac >/dev/null
}

# timed NAME: seconds for REPEAT runs, one a line.
timed() {
	local r t0
	way "$1"	# warm the caches
	for ((r = 0; r < REPEAT; r++)); do
		t0=$EPOCHREALTIME
		way "$1"
		awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.4f\n", b - a }'
	done
}

printf 'bench: %d scripts, %d runs of each way\n' "$SCRIPTS" "$REPEAT" >&2
declare -A med
ways=(pernode-services run-parts dash-loop pernode-services-bash)
for w in "${ways[@]}"; do
	read -r "med[$w]" _ < <(timed "$w" | stats)
done

verdict() { if "$@"; then printf '**met**'; else printf '**not met**'; fi; }
goal_ok() {
	awk -v p="${med[pernode-services]}" -v r="${med[run-parts]}" -v l="${med[dash-loop]}" \
	    'BEGIN { exit !(p <= r && p <= 1.3 * l) }'
}

{
	cat <<MD
## pernode-services

Measured by \`tests/bench/pernode-services.sh\` (\`make bench\`) on $(machine).

\`start\` over $SCRIPTS trivial scripts (\`#!/bin/sh\` and \`exit 0\`) in
\`global/\`, with the default settings (ownership check on, no time limit,
output to a log file); median wall time of $REPEAT runs each, after one
warm-up run. \`/bin/sh\` is $(readlink -f /bin/sh).

| way | median | vs run-parts | vs dash loop |
|---|---|---|---|
MD
	for w in "${ways[@]}"; do
		case $w in
		pernode-services) label='pernode-services start (sh)' ;;
		pernode-services-bash) label='pernode-services start (bash)' ;;
		run-parts) label='run-parts --arg=start' ;;
		dash-loop) label="for f in dir/*; do \"\$f\" start; done (dash)" ;;
		esac
		printf '| %s | %s s | %sx | %sx |\n' "$label" "${med[$w]}" \
		    "$(ratio "${med[$w]}" "${med[run-parts]}")" "$(ratio "${med[$w]}" "${med[dash-loop]}")"
	done
	cat <<MD

Goal: at or below run-parts (1.0x) and within 1.3x of the bare loop, under
the default \`/bin/sh\`: $(verdict goal_ok). No process starts per script
beside the script itself: times come from \`/proc/uptime\` and the log
header is written by the shell.
MD
} >"$report"

cat "$report"
publish pernode-services "$report"
