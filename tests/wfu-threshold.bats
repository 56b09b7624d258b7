#!/usr/bin/env bats
# waitOnFileUpdates: the three THRESHOLD forms and what "later" means.

load helpers

setup() {
	common_setup
}

@test "N seconds: a file modified within the last N seconds is updated" {
	touch -d '10 seconds ago' recent
	run -0 "$WFU" -t 0 300 recent
}

@test "N seconds: a file modified before the last N seconds is not updated" {
	touch -d '400 seconds ago' stale
	run -1 --separate-stderr "$WFU" -t 0 300 stale
	[[ $stderr == *"stale: not updated" ]]
}

@test "N seconds takes a fraction" {
	touch -d '2 seconds ago' f
	run -1 "$WFU" -t 0 0.5 f
	run -0 "$WFU" -t 0 2.5 f
}

@test "@T compares at full nanosecond precision" {
	touch -d @1700000000.500000000 f
	run -0 "$WFU" -t 0 @1700000000.499999999 f
	run -1 "$WFU" -t 0 @1700000000.5 f
	run -1 "$WFU" -t 0 @1700000000.500000001 f
	run -0 "$WFU" -t 0 @1700000000 f
}

@test "@T accepts times far in the past and in the future" {
	touch f
	run -0 "$WFU" -t 0 @0 f
	run -1 "$WFU" -t 0 @4102444800 f
}

@test "boot: a file modified since this system booted is updated" {
	touch f
	run -0 "$WFU" -t 0 boot f
}

@test "boot: a file modified before this system booted is not updated" {
	[ -r /proc/stat ] || skip "no /proc/stat on this system"
	btime=$(sed -n 's/^btime //p' /proc/stat)
	touch -d "@$((btime - 5))" before
	run -1 "$WFU" -t 0 boot before
}

@test "boot agrees with the boot time in /proc/stat to within a few seconds" {
	[ -r /proc/stat ] || skip "no /proc/stat on this system"
	btime=$(sed -n 's/^btime //p' /proc/stat)
	touch -d "@$((btime + 3))" after
	touch -d "@$((btime - 3))" before
	run -0 "$WFU" -t 0 boot after
	run -1 "$WFU" -t 0 boot before
}

@test "the reference is fixed when the program starts, not at each poll" {
	old other
	start=$EPOCHREALTIME
	waiter -v -i 0.2 -m 0.2 -t 20 2 other
	first_round
	# Three seconds into the wait, give the file a time 1 s before the
	# start: later than start - 2, though earlier than now - 2.
	at "$start" 3
	touch -d "@$((${start%.*} - 1))" other
	reap
	[ "$status" -eq 0 ]
}
