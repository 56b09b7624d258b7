#!/usr/bin/env bats
# Faults around a run, under each shell: the runner signalled, its log or
# run directory unwritable or full, the state directory read-only.  In
# each case every script that should run does, the exit status counts only
# real script failures, status tells the truth, the problem is reported
# once, and the next run works.  (kill -9 is tests/e2e/faults-kill.bats.)

# shellcheck disable=SC2030,SC2031 # each test's exports are its own
load helpers

setup() {
	pns_setup
}

# in_ns [--ro DIR | --tmpfs DIR | --fill FILE]... -- COMMAND...: COMMAND
# in a mount namespace of its own (root only), where each --ro DIR is
# bound read-only, each --tmpfs DIR is a 64 KiB tmpfs, and each --fill FILE
# is written until its file system is full, in that order.
# The test calls need_root and need_ns first: a skip inside "run" would
# not end it.
in_ns() {
	unshare --mount --propagation private -- bash -c '
		set -e
		while [ "$1" != -- ]; do
			case $1 in
			--ro) mount --bind "$2" "$2"; mount -o remount,bind,ro "$2" ;;
			--tmpfs) mount -t tmpfs -o size=64k tmpfs "$2" ;;
			--fill) dd if=/dev/zero of="$2" bs=4k 2>/dev/null || : ;;
			esac
			shift 2
		done
		shift
		exec "$@"' sh "$@"
}

# signals_runner SIG: the body of a script that sends SIG to the runner,
# whose pid the lock holds (the script's parent is the run's watcher,
# pernode-watch).
signals_runner() {
	printf 'kill -%s "$(cat %s/lock)"' "$1" "$RUN"
}

@test "a script that sends SIGTERM to the runner ends the run after it; output, status and log say so" {
	script global/10-a
	script global/20-kills "$(signals_runner TERM)"
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
	script global/10-a "if [ \"\$1\" = stop ]; then $(signals_runner TERM); fi"
	run -143 pns restart
	[ "$(trace)" = 'global/10-a stop' ]
}

@test "SIGHUP to the runner ends the run after the script running, with status 129" {
	script global/10-hangs-up "$(signals_runner HUP)"
	script global/20-after
	run -129 pns start
	[ "$(trace)" = 'global/10-hangs-up start' ]
	[[ $output == *'interrupted by SIGHUP after global/10-hangs-up' ]]
}

@test "a log on a full file system: one warning, every script runs, the exit status is the scripts' own" {
	need_root "a mount namespace"
	need_ns mount
	mkdir "$BATS_TEST_TMPDIR/logfs"
	LOG=$BATS_TEST_TMPDIR/logfs/log
	export PERNODE_LOG=$LOG
	script global/10-talks 'printf "a line of output\n"'
	script global/20-fails 'exit 2'
	script global/30-talks 'printf "another line\n"'
	# The log itself fills the file system, to the last page.
	run -1 --separate-stderr in_ns --tmpfs "$BATS_TEST_TMPDIR/logfs" --fill "$LOG" \
	    -- "${SH[@]}" "$PNS" start
	[ "$stderr" = "pernode-services: cannot write $LOG; the scripts' output is discarded" ]
	[ "$(trace | wc -l)" = 3 ]
	grep -q '^failed  *global/20-fails: exit status 2' <<<"$output"
	grep -q '^ok  *global/10-talks' <<<"$output"
	grep -q '^ok  *global/30-talks' <<<"$output"
	run -1 pns status
	[[ $output == *'last start on n059: 3 run, 1 failed' ]]
}

@test "a log whose file system fills during the run: one warning, and later scripts do not fail writing" {
	need_root "a mount namespace"
	need_ns mount
	mkdir "$BATS_TEST_TMPDIR/logfs"
	LOG=$BATS_TEST_TMPDIR/logfs/log
	export PERNODE_LOG=$LOG
	script global/10-fills 'dd if=/dev/zero bs=4k 2>/dev/null; :'
	script global/20-talks 'printf "a line of output\n"'
	script global/30-talks 'printf "another line\n"'
	run -0 --separate-stderr in_ns --tmpfs "$BATS_TEST_TMPDIR/logfs" \
	    -- "${SH[@]}" "$PNS" start
	[ "$stderr" = "pernode-services: cannot write $LOG; the scripts' output is discarded" ]
	[ "$(trace | wc -l)" = 3 ]
}

@test "a log on a read-only file system: one warning, every script runs" {
	need_root "a mount namespace"
	need_ns mount
	mkdir "$BATS_TEST_TMPDIR/logdir"
	LOG=$BATS_TEST_TMPDIR/logdir/log
	export PERNODE_LOG=$LOG
	script global/10-talks 'printf "a line of output\n"'
	script global/20-fails 'exit 2'
	run -1 --separate-stderr in_ns --ro "$BATS_TEST_TMPDIR/logdir" -- "${SH[@]}" "$PNS" start
	[ "$stderr" = "pernode-services: cannot write $LOG; the scripts' output is discarded" ]
	[ "$(trace | wc -l)" = 2 ]
	[ ! -e "$LOG" ]
}

@test "a read-only run directory: one warning, every script runs, and status says no start is recorded" {
	need_root "a mount namespace"
	need_ns mount
	mkdir -p "$RUN"
	script global/10-a
	script global/20-fails 'exit 2'
	run -1 --separate-stderr in_ns --ro "$RUN" -- "${SH[@]}" "$PNS" start
	[ "$stderr" = "pernode-services: cannot write $RUN; running without a lock or a record" ]
	[ "$(trace | wc -l)" = 2 ]
	run -3 pns status
	[ "$output" = 'pernode-services: no start recorded since boot' ]
}

@test "a run directory that is missing and cannot be made: one warning, every script runs" {
	need_root "a mount namespace"
	need_ns mount
	mkdir "$BATS_TEST_TMPDIR/ro"
	export PERNODE_RUNDIR=$BATS_TEST_TMPDIR/ro/run
	script global/10-a
	run -0 --separate-stderr in_ns --ro "$BATS_TEST_TMPDIR/ro" -- "${SH[@]}" "$PNS" start
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
	need_root "a mount namespace"
	need_ns mount
	script global/10-a
	script scripts/shared
	mkdir -p "$ROOT/n059"
	ln -s ../scripts/shared "$ROOT/n059/20-shared"
	script n059/30-fails 'exit 5'
	run -1 --separate-stderr in_ns --ro "$ROOT" -- "${SH[@]}" "$PNS" start
	[ -z "$stderr" ]
	[ "$(trace)" = "global/10-a start
n059/20-shared start
n059/30-fails start" ]
	grep -q '^failed  *n059/30-fails: exit status 5' <<<"$output"
}

@test "a console that goes away mid-run (a pipe to head) cuts neither the run nor its record short" {
	script global/10-a
	script global/20-b
	script global/30-c
	# A pipe whose reader is gone before the run begins: every write to
	# the console fails with EPIPE (or would raise SIGPIPE).
	mkfifo "$BATS_TEST_TMPDIR/console"
	# shellcheck disable=SC2094 # both ends of one FIFO, on purpose
	exec 7<>"$BATS_TEST_TMPDIR/console" 8>"$BATS_TEST_TMPDIR/console"
	exec 7<&-
	"${SH[@]}" "$PNS" start >&8 3>&- || true
	exec 8>&-
	[ "$(trace | wc -l)" -eq 3 ]
	run -0 pns status
	[[ $output == *"last start on n059: 3 run, 0 failed"* ]]
	[ "$(tail -n 1 "$RUN/status")" = "# done: start on n059: 3 run, 0 failed" ]
}
