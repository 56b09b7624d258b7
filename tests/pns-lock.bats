#!/usr/bin/env bats
# pernode-services: one run at a time, and no lock outlives its run.

load helpers

setup() {
	pns_setup
	command -v flock >/dev/null || skip "flock not installed (util-linux)"
}

@test "a second start while one runs exits 1 at once, naming the running pid" {
	slow_run
	for action in start stop restart; do
		run -1 --separate-stderr timeout 10 "${SH[@]}" "$PNS" "$action"
		[[ $stderr == *"already running (pid $pid)"* ]]
	done
	touch "$BATS_TEST_TMPDIR/go"
	reap
	[ "$status" -eq 0 ]
	[ "$(grep -c 'global/10-slow' "$TRACE")" -eq 1 ]
}

@test "status and list run while a start holds the lock" {
	slow_run
	run -4 pns status
	[[ $output == *"start in progress"* ]]
	run -0 pns list
	touch "$BATS_TEST_TMPDIR/go"
	reap
}

@test "a run killed with SIGKILL leaves no lock behind" {
	slow_run
	kill -KILL "$pid"
	reap || true
	touch "$BATS_TEST_TMPDIR/go"
	run -0 pns start
	[ "$(grep -c 'global/10-slow start' "$TRACE")" -eq 2 ]
}

@test "a daemon a script leaves behind does not hold the lock" {
	script global/10-daemon "sleep 60 >/dev/null 2>&1 & echo \$! >'$BATS_TEST_TMPDIR/daemon'"
	run -0 pns start
	run -0 pns start
	kill "$(cat "$BATS_TEST_TMPDIR/daemon")" 2>/dev/null || true
}

@test "a lock file left from an earlier boot does not block" {
	mkdir -p "$RUN"
	printf '99999\n' >"$RUN/lock"
	script global/10-a
	run -0 pns start
}
