#!/usr/bin/env bats
# waitOnFileUpdates: SIGINT and SIGTERM end a wait at once with 128+signal.

load helpers

setup() {
	common_setup
	old f
}

@test "SIGTERM during a long sleep ends it at once with status 143" {
	waiter -v -i 60 60 f
	first_round
	t0=$EPOCHREALTIME
	kill -TERM "$pid"
	reap 5
	[ "$status" -eq 143 ]
	lt "$(elapsed "$t0")" 1
}

@test "SIGINT during a long sleep ends it at once with status 130" {
	waiter -v -i 60 60 f
	first_round
	kill -INT "$pid"
	reap 5
	[ "$status" -eq 130 ]
}

@test "SIGTERM during -p polling ends it with status 143" {
	waiter -v -p -i 60 60 f
	first_round
	kill -TERM "$pid"
	reap 5
	[ "$status" -eq 143 ]
}

@test "SIGTERM while settling ends it with status 143" {
	touch f
	waiter -v -s 60 -i 30 60 f
	until_true 10 grep -q 'f: updated' err
	kill -TERM "$pid"
	reap 5
	[ "$status" -eq 143 ]
}

# Has the waiter's process become waitOnFileUpdates?  Before the exec, a
# signal meets the forked shell, whose handling is bash's business.
execd() {
	[ "$(readlink "/proc/$pid/exe")" = "$(readlink -f "$WFU")" ]
}

@test "a storm of signals right at start still ends it with 128+signal" {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		waiter -i 60 60 f
		# As soon as it has: no sleep between the checks.
		for ((i = 0; i < 5000; i++)); do execd && break; done
		kill -TERM "$pid" 2>/dev/null || true
		reap 5
		[ "$status" -eq 143 ]
	done
}
