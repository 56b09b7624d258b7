#!/usr/bin/env bats
# Scripts that misbehave: they leave children behind, close their output,
# flood the log, leave their process group, or are replaced during the
# run; and a directory of 5,000 of them.  The run goes on, every script
# runs once, and the report and status are right.

load lib

setup() {
	pns_setup
	PIDS=$BATS_TEST_TMPDIR/pids
}

teardown() {
	# Children the scripts left behind.
	if [ -s "$PIDS" ]; then
		xargs kill -9 <"$PIDS" 2>/dev/null || true
	fi
}

@test "a script that forks 200 children and exits: the run goes on at once and its caller is not held" {
	script global/10-forks "
		i=0
		while [ \$i -lt 200 ]; do
			sleep 120 &
			printf '%s\n' \$! >>'$PIDS'
			i=\$((i + 1))
		done"
	script global/20-next
	t0=$EPOCHREALTIME
	# run reads the output through a pipe: a child holding it would keep
	# this waiting for two minutes.
	run -0 timeout 60 "${SH[@]}" "$PNS" start
	lt "$(elapsed "$t0")" 30
	[ "$(wc -l <"$PIDS")" = 200 ]
	# The children are still there; the run did not wait for them.
	kill -0 "$(head -n 1 "$PIDS")"
	[ "$(trace)" = "global/10-forks start
global/20-next start" ]
	run -0 pns status
}

@test "a script that closes its stdout and stderr does not disturb the run or the next script's log" {
	script global/10-closes 'exec >&- 2>&-; printf "lost\n"; exit 0'
	script global/20-talks 'printf "heard\n"'
	run -0 pns start
	grep -qx heard "$LOG"
	run ! grep -q lost "$LOG"
	[ "$(trace | wc -l)" = 2 ]
}

@test "a script that writes 100 MB and fails: the log holds it all, the report shows its last lines" {
	script global/10-floods 'yes "0123456789abcdef" | head -n 6200000; printf "the last words\n"; exit 3'
	script global/20-next
	run -1 timeout 120 "${SH[@]}" "$PNS" start
	[ "$(stat -c %s "$LOG")" -gt 104857600 ]
	grep -q '^failed  *global/10-floods: exit status 3' <<<"$output"
	grep -qx '    | the last words' <<<"$output"
	# Ten lines of it, not a hundred megabytes.
	[ "$(wc -c <<<"$output")" -lt 4096 ]
	[ "$(trace)" = "global/10-floods start
global/20-next start" ]
}

@test "a script that leaves its process group is still stopped at PERNODE_TIMEOUT" {
	export PERNODE_TIMEOUT=1 PERNODE_KILL_AFTER=1
	# perl (Debian's perl-base is essential) calls setpgid(2) for it.
	script global/10-leaves 'exec perl -e "setpgrp(0, 0) or die; sleep 120"'
	script global/20-next
	t0=$EPOCHREALTIME
	run -1 pns start
	lt "$(elapsed "$t0")" 30
	grep -q '^timed out global/10-leaves: still running after 1s' <<<"$output"
	[ "$(trace)" = "global/10-leaves start
global/20-next start" ]
}

@test "a script that leaves its process group and exits 0 is an ordinary success" {
	script global/10-leaves 'exec perl -e "setpgrp(0, 0) or die; exit 0"'
	run -0 pns start
	grep -q '^ok  *global/10-leaves' <<<"$output"
}

@test "a script replaced with mv before its turn runs in its new version; one added runs next time" {
	script global/10-first "
		while [ ! -e '$BATS_TEST_TMPDIR/go' ]; do sleep 0.05; done"
	script global/20-second 'printf "old version\n"'
	script global/30-third
	"${SH[@]}" "$PNS" start >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	# shellcheck disable=SC2034 # read by reap
	pid=$!
	until_true 10 grep -q 'global/10-first start' "$TRACE"
	printf '#!/bin/sh\nprintf "%%s new\\n" "${0##*/}" >>"%s"\n' "$TRACE" >"$BATS_TEST_TMPDIR/new"
	chmod 755 "$BATS_TEST_TMPDIR/new"
	mv "$BATS_TEST_TMPDIR/new" "$ROOT/global/20-second"
	rm "$ROOT/global/30-third"
	script global/25-added
	touch "$BATS_TEST_TMPDIR/go"
	reap 30
	[ "$status" -eq 0 ]
	# The directory was read once, when its turn came: the removed script
	# is passed over, the added one waits for the next run.
	[ "$(trace)" = "global/10-first start
20-second new" ]
	: >"$TRACE"
	run -0 pns start
	[ "$(trace)" = "global/10-first start
20-second new
global/25-added start" ]
}

@test "5,000 scripts in one directory run once each, in order, and stop runs them in reverse" {
	printf '#!/bin/sh\nprintf "%%s %%s\\n" "${0##*/}" "$1" >>"%s"\n' "$TRACE" >"$ROOT/scripts/one"
	chmod 755 "$ROOT/scripts/one"
	for i in $(seq -w 1 5000); do
		ln "$ROOT/scripts/one" "$ROOT/global/s$i"
	done
	run -0 timeout 300 "${SH[@]}" "$PNS" start
	[ "$(tail -n 1 <<<"$output")" = 'pernode-services: start on n059: 5000 run, 0 failed' ]
	[ "$(cat "$TRACE")" = "$(seq -f 's%04g start' 1 5000)" ]
	run -0 timeout 300 "${SH[@]}" "$PNS" list
	[ "$(wc -l <<<"$output")" = 5000 ]
	: >"$TRACE"
	run -0 timeout 300 "${SH[@]}" "$PNS" stop
	[ "$(cat "$TRACE")" = "$(seq -f 's%04g stop' 5000 -1 1)" ]
}
