#!/usr/bin/env bats
# waitOnFileUpdates -s: files must stay unchanged for SETTLE seconds.

load helpers

setup() {
	common_setup
}

@test "-s: with no further change it exits SETTLE seconds after the last mark" {
	touch f
	t0=$EPOCHREALTIME
	run -0 "$WFU" -s 1 -i 0.1 60 f
	ge "$(elapsed "$t0")" 1
	lt "$(elapsed "$t0")" 5
}

@test "-s: a change during the settle period starts it again" {
	touch f
	t0=$EPOCHREALTIME
	waiter -v -s 1.5 -i 0.1 -t 30 60 f
	until_true 10 grep -q 'f: updated' err
	at "$t0" 1
	printf 'more\n' >>f
	t1=$EPOCHREALTIME
	reap
	[ "$status" -eq 0 ]
	grep -q 'f: changed, settling again' err
	ge "$(elapsed "$t1")" 1.4
}

@test "-s: a rename-over during the settle period starts it again" {
	touch f
	t0=$EPOCHREALTIME
	waiter -v -s 1.5 -i 0.1 -t 30 60 f
	until_true 10 grep -q 'f: updated' err
	at "$t0" 0.5
	touch -r f tmp
	mv tmp f
	t1=$EPOCHREALTIME
	reap
	[ "$status" -eq 0 ]
	grep -q 'f: changed, settling again' err
	ge "$(elapsed "$t1")" 1.4
}

@test "-s with -t: a file that keeps changing times out as not settled" {
	touch a b
	(for _ in $(seq 30); do printf x >>b; sleep 0.1; done) 3>&- &
	writer=$!
	run -1 --separate-stderr "$WFU" -s 1 -i 0.1 -t 2 60 a b
	kill "$writer" 2>/dev/null || true
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ ${stderr_lines[0]} == *": b: not settled" ]]
}

@test "-s 0 is the default: it exits as soon as the last file is marked" {
	touch f
	t0=$EPOCHREALTIME
	run -0 "$WFU" -s 0 60 f
	lt "$(elapsed "$t0")" 0.5
}
