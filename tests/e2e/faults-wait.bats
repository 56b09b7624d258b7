#!/usr/bin/env bats
# waitOnFileUpdates when stat() fails (an LD_PRELOAD shim, tests only),
# when the clock is stepped during a wait (libfaketime), and on 10,000
# files updated one by one.

load lib

setup_file() {
	if ! need cc gcc; then
		file_skipping
		return
	fi
	SHIM=$BATS_FILE_TMPDIR/statfail.so
	"${CC:-cc}" -shared -fPIC -o "$SHIM" "$E2E/statfail.c" -ldl
	export SHIM
}

setup() {
	common_setup
	old f
}

# failing ERRNO COUNT WFU-ARGS...: the waiter with stat() of $PWD/f failing
# COUNT times (-1: always) with ERRNO, in the background.
failing() {
	STATFAIL_PATH=$BATS_TEST_TMPDIR/f STATFAIL_ERRNO=$1 STATFAIL_COUNT=$2 \
	    LD_PRELOAD=$SHIM waiter "${@:3}"
}

@test "stat() failing with EIO for a while: it keeps waiting, says so once, and ends when the file is updated" {
	failing 5 4 -v -p -i 0.1 -m 0.2 -t 30 0 "$BATS_TEST_TMPDIR/f"
	until_true 10 grep -q 'still waiting' err
	touch f
	reap 30
	[ "$status" -eq 0 ]
	[ "$(grep -c 'still waiting' err)" = 1 ]
	grep -qx "waitOnFileUpdates: $BATS_TEST_TMPDIR/f: still waiting: Input/output error" err
}

@test "stat() failing with ESTALE, as from an NFS server that restarted, is waited through" {
	failing 116 3 -v -p -i 0.1 -m 0.2 -t 30 0 "$BATS_TEST_TMPDIR/f"
	until_true 10 grep -q 'still waiting' err
	touch f
	reap 30
	[ "$status" -eq 0 ]
	grep -qx "waitOnFileUpdates: $BATS_TEST_TMPDIR/f: still waiting: Stale file handle" err
}

@test "stat() failing with EIO until the timeout: exit 1, naming the file" {
	failing 5 -1 -p -i 0.1 -m 0.2 -t 1 0 "$BATS_TEST_TMPDIR/f"
	touch f
	reap 30
	[ "$status" -eq 1 ]
	grep -q "$BATS_TEST_TMPDIR/f" err
}

@test "stat() failing with EACCES: exit 3 at once, naming the file and the reason" {
	failing 13 -1 -p -i 0.1 -t 30 0 "$BATS_TEST_TMPDIR/f"
	reap 10
	[ "$status" -eq 3 ]
	grep -qx "waitOnFileUpdates: $BATS_TEST_TMPDIR/f: Permission denied" err
}

# stepped STEP: a waiter whose wall clock is stepped by STEP seconds once
# it has begun waiting (libfaketime, the monotonic clock left alone).
stepped() {
	local lib
	for lib in /usr/lib/*/faketime/libfaketime.so.1; do
		[ -e "$lib" ] && break
	done
	[ -e "$lib" ] || skip "libfaketime not installed (apt-get install faketime)"
	printf '+0\n' >clock
	# Is the step seen?  date under the same library must show it.
	# NO_FAKE_STAT: a real step leaves the times of files as they are
	# (libfaketime would shift them all); a write after it is stamped by
	# the stepped clock, which stamped() does by hand.
	FAKE=(env LD_PRELOAD="$lib" FAKETIME_TIMESTAMP_FILE="$BATS_TEST_TMPDIR/clock"
	    FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1 NO_FAKE_STAT=1)
	"${FAKE[@]}" "$WFU" -v "${@:2}" >out 2>err 3>&- &
	pid=$!
	first_round
	printf '%s\n' "$1" >clock
	local shown
	shown=$("${FAKE[@]}" date +%s)
	[ $((shown - $(date +%s) - ${1#+})) -ge -2 ] && [ $((shown - $(date +%s) - ${1#+})) -le 2 ]
}

# stamped STEP FILE: write FILE as the kernel would after a step of STEP
# seconds: with the stepped clock's time.
stamped() {
	printf 'written\n' >>"$2"
	touch -d "@$(( $(date +%s) + $1 ))" "$2"
}

@test "a clock stepped an hour back during a wait: the timeout still ends it on time" {
	t0=$EPOCHREALTIME
	stepped -3600 -i 0.2 -m 0.5 -t 2 0 f
	reap 30
	[ "$status" -eq 1 ]
	ge "$(elapsed "$t0")" 1.9
	lt "$(elapsed "$t0")" 10
}

@test "a clock stepped an hour forward during a wait: the timeout does not end it early" {
	t0=$EPOCHREALTIME
	stepped +3600 -i 0.2 -m 0.5 -t 2 0 f
	reap 30
	[ "$status" -eq 1 ]
	ge "$(elapsed "$t0")" 1.9
}

@test "a clock stepped back during a wait: a file written after the step is updated, and -v says why" {
	stepped -3600 -i 0.2 -m 0.5 -t 30 0 f
	stamped -3600 f
	reap 30
	[ "$status" -eq 0 ]
	[ "$(grep -c 'the clock was stepped by -3600\.[0-9]*s; the threshold moves with it' err)" = 1 ]
}

@test "a clock stepped back during a wait on boot: a file written after the step is updated" {
	stepped -3600 -i 0.2 -m 0.5 -t 30 boot f
	stamped -3600 f
	reap 30
	[ "$status" -eq 0 ]
}

@test "an @T threshold does not move with a step, yet a write after the start counts, stamped before T" {
	stepped -3600 -i 0.2 -m 0.5 -t 30 "@$(date +%s)" f
	stamped -3600 f
	reap 30
	[ "$status" -eq 0 ]
	run ! grep -q 'threshold moves' err
}

@test "10,000 files updated one by one in random order: it ends after the last, not before" {
	mkdir many
	for i in $(seq 10000); do printf '' >"many/$i"; done
	old many/*
	(cd many && exec "$WFU" -v -t 120 0 $(seq 10000) >../out 2>../err 3>&-) &
	# shellcheck disable=SC2034 # read by running and reap
	pid=$!
	# All but one, in random order, in a few batches; then the last, once
	# it has said it waits for that one.
	seq 10000 | shuf >order
	first_round
	head -n 9999 order | (cd many && xargs touch)
	until_true 60 grep -q '1 of 10000 not updated' err
	running
	(cd many && touch "$(tail -n 1 ../order)")
	reap 60
	[ "$status" -eq 0 ]
}
