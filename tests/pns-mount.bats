#!/usr/bin/env bats
# pernode-services: a missing or unmounted state directory is a failed,
# recorded run, never "no run recorded" nor a green run of nothing.

load helpers

setup() {
	pns_setup
	export PERNODE_ROOT_WAIT=0
	script global/10-a
}

field() {
	cut -f "$2" <<<"$1"
}

# failed_run WHY: start exited 6 naming WHY, ran nothing, and the record,
# status, status --machine and the log all say so.
failed_run() {
	run -6 --separate-stderr pns start
	[ -z "$(trace)" ]
	[ "$stderr" = "pernode-services: $1" ]
	run -1 pns status
	[ "${lines[-1]}" = "pernode-services: last start failed: $1" ]
	run -1 pns status --machine
	[ "$(field "${lines[0]}" 1-2)" = "run	start" ]
	[ "$(field "${lines[0]}" 6-10)" = "yes	0	1	failed	$1" ]
	[ "${lines[1]}" = "end	0" ]
	grep -qF "=== start failed: $1" "$LOG"
}

@test "a missing state directory is a failed run that status and status --machine name" {
	rm -r "$ROOT"
	failed_run "state directory $ROOT is missing"
}

@test "a state directory without global/ is taken as not mounted, never as nothing to run" {
	rm -r "$ROOT/global"
	failed_run "state directory $ROOT is not mounted (no global/ in it)"
}

@test "a state directory that is a file is a failed run" {
	rm -r "$ROOT"
	touch "$ROOT"
	failed_run "state directory $ROOT is not a directory"
}

@test "the failure goes to syslog" {
	need_ns mount
	rm -r "$ROOT"
	logger=$(command -v logger || printf /usr/bin/logger)
	[ -e "$logger" ] || skip "no logger to stand in for"
	cat >"$BATS_TEST_TMPDIR/logger" <<-FAKE
	#!/bin/sh
	cat >>'$BATS_TEST_TMPDIR/syslog'
	FAKE
	chmod 755 "$BATS_TEST_TMPDIR/logger"
	run -6 unshare --mount sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' \
	    sh "$BATS_TEST_TMPDIR/logger" "$logger" "${SH[@]}" "$PNS" start
	grep -qx "failed: state directory $ROOT is missing" "$BATS_TEST_TMPDIR/syslog"
}

@test "with no start recorded this boot, status names a missing state directory and exits 1" {
	# As under systemd, when the mount RequiresMountsFor= names failed
	# and the unit never started.
	rm -r "$ROOT/global"
	run -1 pns status
	[ "$output" = "pernode-services: no start recorded since boot: state directory $ROOT is not mounted (no global/ in it)" ]
	run -1 pns status --machine
	[ "$(field "${lines[0]}" 9)" = failed ]
	[[ $(field "${lines[0]}" 10) == *"state directory $ROOT is not mounted"* ]]
}

@test "PERNODE_ROOT_WAIT waits for global/ to appear, then runs" {
	rm -r "$ROOT/global"
	PERNODE_ROOT_WAIT=60 "${SH[@]}" "$PNS" start >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	# shellcheck disable=SC2034 # read by running and reap
	pid=$!
	until_true 20 grep -q 'waiting up to 60s' "$BATS_TEST_TMPDIR/out"
	running
	script global/10-a
	reap 60
	[ "$status" -eq 0 ]
	[ "$(trace)" = "global/10-a start" ]
	grep -q 'ok        global/10-a' "$BATS_TEST_TMPDIR/out"
}

@test "after the wait, a node with a dotted name finds its short-named directory in the late state directory" {
	rm -r "${ROOT:?}/global"
	PERNODE_ROOT_WAIT=60 "${SH[@]}" "$PNS" -n n059.cluster start >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	# shellcheck disable=SC2034 # read by running and reap
	pid=$!
	until_true 20 grep -q 'waiting up to 60s' "$BATS_TEST_TMPDIR/out"
	script n059/10-own
	script global/10-a
	reap 60
	[ "$status" -eq 0 ]
	[ "$(trace)" = "global/10-a start
n059/10-own start" ]
}

@test "PERNODE_ROOT_WAIT runs out into a failed run, exit 6" {
	rm -r "$ROOT/global"
	PERNODE_ROOT_WAIT=1 run -6 --separate-stderr pns start
	[[ $stderr == *"waiting up to 1s for $ROOT/global"* ]]
	[[ $stderr == *"state directory $ROOT is not mounted (no global/ in it)" ]]
	run -1 pns status
	# The wait is part of the run: it took at least the second waited.
	[[ $output =~ took\ ([0-9]+)\.[0-9][0-9]\ s ]]
	[ "${BASH_REMATCH[1]}" -ge 1 ]
}

@test "stop and list never wait for the state directory" {
	rm -r "$ROOT/global"
	PERNODE_ROOT_WAIT=600 run -6 --separate-stderr pns stop
	[[ $stderr != *waiting* ]]
	PERNODE_ROOT_WAIT=600 run -6 --separate-stderr pns list
	[[ $stderr != *waiting* ]]
	[ "$stderr" = "pernode-services: state directory $ROOT is not mounted (no global/ in it)" ]
}

@test "PERNODE_ROOT_WAIT that is not a whole number is refused, exit 6" {
	for bad in -1 1.5 x; do
		PERNODE_ROOT_WAIT=$bad run -6 --separate-stderr pns start
		[[ $stderr == *"PERNODE_ROOT_WAIT '$bad' is not a whole number of seconds"* ]]
	done
	PERNODE_ROOT_WAIT=1234567890 run -6 --separate-stderr pns start
	[ "$stderr" = "pernode-services: PERNODE_ROOT_WAIT '1234567890' is more than 999999999 seconds" ]
	[ -z "$(trace)" ]
}
