#!/usr/bin/env bats
# Faults around a run: the runner killed outright or signalled, its log
# or run directory unwritable or full, the state directory read-only.  In
# each case every script that should run does, the exit status counts only
# real script failures, status tells the truth, the problem is reported
# once, and the next run works.

# shellcheck disable=SC2030,SC2031 # each test's exports are its own
load lib

setup() {
	pns_setup
}

# kscript NAME: a script of the kill test: records "RUNNER-PID NAME".
kscript() {
	cat >"$ROOT/global/$1" <<-SCRIPT
	#!/bin/sh
	printf '%s %s\n' "\$PPID" "$1" >>'$TRACE'
	sleep 0.01
	SCRIPT
	chmod 755 "$ROOT/global/$1"
}

# names_of PID: the scripts run PID ran, in order.
names_of() {
	awk -v p="$1" '$1 == p { print $2 }' "$TRACE"
}

# The pid in the record's first line.
record_pid() {
	sed -n '1s/^# start at .*, pid \([0-9]*\), boot .*/\1/p' "$RUN/status" 2>/dev/null
}

@test "kill -9 at 50 random moments of a 20-script run: no stuck lock, nothing run twice, status never claims the killed run" {
	seed=${FAULT_SEED:-$RANDOM}
	printf '# seed %s (FAULT_SEED=%s to repeat)\n' "$seed" "$seed" >&3
	RANDOM=$seed
	all=$(seq -w 1 20)
	for name in $all; do kscript "$name"; done
	t0=$EPOCHREALTIME
	pns start >/dev/null
	length=$(elapsed "$t0")
	for round in $(seq 50); do
		# A moment from 0 to 120% of a whole run.
		moment=$(awk -v l="$length" -v r="$RANDOM" 'BEGIN { printf "%.3f\n", l * 1.2 * r / 32767 }')
		"${SH[@]}" "$PNS" start >/dev/null 2>&1 3>&- &
		victim=$!
		sleep "$moment"
		killed=no
		! kill -9 "$victim" 2>/dev/null || killed=yes
		wait "$victim" || true
		ran=$(names_of "$victim")
		context="round $round, kill at ${moment}s ($killed); it ran: ${ran//$'\n'/ }"
		# Never twice in one run, and in order.
		[ "$ran" = "$(sort -u <<<"$ran" | sed '/^$/d')" ] || { printf '%s\n' "$context" >&2; return 1; }
		run pns status
		if [ "$(record_pid)" = "$victim" ]; then
			# Success only if it did all its work before the kill.
			if [ "$status" -eq 0 ]; then
				[ "$ran" = "$all" ] || { printf '%s: status 0\n' "$context" >&2; return 1; }
			else
				[ "$status" -eq 1 ] || { printf '%s: status %s\n' "$context" "$status" >&2; return 1; }
			fi
		else
			# Killed before it wrote its record: no script of it ran.
			[ -z "$ran" ] || { printf '%s: no record\n' "$context" >&2; return 1; }
		fi
		was=$status
		# The next run proceeds, runs all 20 once, and says whether the
		# one before it was cut short.
		run --separate-stderr pns start
		[ "$status" -eq 0 ] || { printf '%s: next run: %s %s\n' "$context" "$status" "$stderr" >&2; return 1; }
		next=$(record_pid)
		[ "$(names_of "$next")" = "$all" ] || { printf '%s: next ran %s\n' "$context" "$(names_of "$next")" >&2; return 1; }
		if [ "$was" -eq 1 ]; then
			[[ $stderr == *"the previous start at "*", pid $victim, ended before it finished" ]]
		else
			[ -z "$stderr" ]
		fi
		run -0 pns status
	done
}

@test "a script that sends SIGTERM to the runner ends the run after it; output, status and log say so" {
	script global/10-a
	script global/20-kills 'kill -TERM "$PPID"'
	script global/30-c
	run -143 pns start
	[ "$(trace)" = "global/10-a start
global/20-kills start" ]
	[[ $output == *'pernode-services: start on n059: 2 run, 0 failed, interrupted by SIGTERM after global/20-kills' ]]
	run -1 pns status
	[[ $output == *'pernode-services: last start on n059: 2 run, 0 failed, interrupted by SIGTERM after global/20-kills' ]]
	grep -qx '=== start on n059: 2 run, 0 failed, interrupted by SIGTERM after global/20-kills' "$LOG"
	rm "$ROOT/global/20-kills"
	: >"$TRACE"
	run -0 pns start
	[ "$(trace)" = "global/10-a start
global/30-c start" ]
}

@test "SIGINT while a script runs lets that script finish, then ends the run with status 130" {
	script global/20-after
	script global/10-slow "while [ ! -e '$BATS_TEST_TMPDIR/go' ]; do sleep 0.05; done"
	# As from a terminal: a job started with & would ignore SIGINT.
	env --default-signal=INT "${SH[@]}" "$PNS" start >"$BATS_TEST_TMPDIR/first" 2>&1 3>&- &
	pid=$!
	until_true 10 grep -q 'global/10-slow start' "$TRACE"
	kill -INT "$pid"
	touch "$BATS_TEST_TMPDIR/go"
	reap 30
	[ "$status" -eq 130 ]
	[ "$(trace)" = 'global/10-slow start' ]
	grep -q '^ok  *global/10-slow' "$BATS_TEST_TMPDIR/first"
	grep -q 'interrupted by SIGINT after global/10-slow$' "$BATS_TEST_TMPDIR/first"
	run -1 pns status
	: >"$TRACE"
	run -0 pns start
	[ "$(trace)" = 'global/10-slow start
global/20-after start' ]
}

@test "a restart whose stop is interrupted does not go on to start" {
	script global/10-a 'if [ "$1" = stop ]; then kill -TERM "$PPID"; fi'
	run -143 pns restart
	[ "$(trace)" = 'global/10-a stop' ]
}

# in_ns COMMAND...: COMMAND in a mount namespace of its own, after the
# shell lines in $MOUNTS have run there.
in_ns() {
	unshare --mount --propagation private -- bash -c 'eval "$MOUNTS" && "$@"' sh "$@"
}

@test "a log on a full file system: one warning, every script runs, the exit status is the scripts' own" {
	mkdir "$BATS_TEST_TMPDIR/logfs"
	export LOG=$BATS_TEST_TMPDIR/logfs/log PERNODE_LOG=$BATS_TEST_TMPDIR/logfs/log
	# The log itself fills the file system, to the last page.
	export MOUNTS='mount -t tmpfs -o size=64k tmpfs "$BATS_TEST_TMPDIR/logfs" &&
		{ dd if=/dev/zero of="$LOG" bs=4k 2>/dev/null || :; }'
	script global/10-talks 'printf "a line of output\n"'
	script global/20-fails 'exit 2'
	script global/30-talks 'printf "another line\n"'
	run -1 --separate-stderr in_ns "${SH[@]}" "$PNS" start
	[ "$stderr" = "pernode-services: cannot write $LOG; the scripts' output is discarded" ]
	[ "$(trace | wc -l)" = 3 ]
	grep -q '^failed  *global/20-fails: exit status 2' <<<"$output"
	grep -q '^ok  *global/10-talks' <<<"$output"
	grep -q '^ok  *global/30-talks' <<<"$output"
	run -1 pns status
	[[ $output == *'last start on n059: 3 run, 1 failed' ]]
}

@test "a log whose file system fills during the run: one warning, and later scripts do not fail writing" {
	mkdir "$BATS_TEST_TMPDIR/logfs"
	export LOG=$BATS_TEST_TMPDIR/logfs/log PERNODE_LOG=$BATS_TEST_TMPDIR/logfs/log
	export MOUNTS='mount -t tmpfs -o size=64k tmpfs "$BATS_TEST_TMPDIR/logfs"'
	script global/10-fills 'dd if=/dev/zero bs=4k 2>/dev/null; :'
	script global/20-talks 'printf "a line of output\n"'
	script global/30-talks 'printf "another line\n"'
	run -0 --separate-stderr in_ns "${SH[@]}" "$PNS" start
	[ "$stderr" = "pernode-services: cannot write $LOG; the scripts' output is discarded" ]
	[ "$(trace | wc -l)" = 3 ]
}

@test "a log on a read-only file system: one warning, every script runs" {
	mkdir "$BATS_TEST_TMPDIR/logdir"
	export LOG=$BATS_TEST_TMPDIR/logdir/log PERNODE_LOG=$BATS_TEST_TMPDIR/logdir/log
	export MOUNTS='mount --bind "$BATS_TEST_TMPDIR/logdir" "$BATS_TEST_TMPDIR/logdir" &&
		mount -o remount,bind,ro "$BATS_TEST_TMPDIR/logdir"'
	script global/10-talks 'printf "a line of output\n"'
	script global/20-fails 'exit 2'
	run -1 --separate-stderr in_ns "${SH[@]}" "$PNS" start
	[ "$stderr" = "pernode-services: cannot write $LOG; the scripts' output is discarded" ]
	[ "$(trace | wc -l)" = 2 ]
	[ ! -e "$LOG" ]
}

@test "a read-only run directory: one warning, every script runs, and status says no start is recorded" {
	mkdir -p "$RUN"
	export RUN
	export MOUNTS='mount --bind "$RUN" "$RUN" && mount -o remount,bind,ro "$RUN"'
	script global/10-a
	script global/20-fails 'exit 2'
	run -1 --separate-stderr in_ns "${SH[@]}" "$PNS" start
	[ "$stderr" = "pernode-services: cannot write $RUN; running without a lock or a record" ]
	[ "$(trace | wc -l)" = 2 ]
	run -3 pns status
	[ "$output" = 'pernode-services: no start recorded since boot' ]
}

@test "a run directory that is missing and cannot be made: one warning, every script runs" {
	mkdir "$BATS_TEST_TMPDIR/ro"
	export PERNODE_RUNDIR=$BATS_TEST_TMPDIR/ro/run
	export MOUNTS='mount --bind "$BATS_TEST_TMPDIR/ro" "$BATS_TEST_TMPDIR/ro" &&
		mount -o remount,bind,ro "$BATS_TEST_TMPDIR/ro"'
	script global/10-a
	run -0 --separate-stderr in_ns "${SH[@]}" "$PNS" start
	[ "$stderr" = "pernode-services: cannot write $PERNODE_RUNDIR; running without a lock or a record" ]
	[ "$(trace)" = 'global/10-a start' ]
}

@test "a missing run directory is made, and the run is recorded" {
	export PERNODE_RUNDIR=$BATS_TEST_TMPDIR/new/deeper/run
	script global/10-a
	run -0 --separate-stderr pns start
	[ -z "$stderr" ]
	run -0 pns status
}

@test "a read-only state directory, as NFS gives it, changes nothing" {
	script global/10-a
	script scripts/shared
	mkdir -p "$ROOT/n059"
	ln -s ../scripts/shared "$ROOT/n059/20-shared"
	script n059/30-fails 'exit 5'
	export ROOT
	export MOUNTS='mount --bind "$ROOT" "$ROOT" && mount -o remount,bind,ro "$ROOT"'
	run -1 --separate-stderr in_ns "${SH[@]}" "$PNS" start
	[ -z "$stderr" ]
	[ "$(trace)" = "global/10-a start
n059/20-shared start
n059/30-fails start" ]
	grep -q '^failed  *n059/30-fails: exit status 5' <<<"$output"
}
