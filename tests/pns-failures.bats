#!/usr/bin/env bats
# pernode-services: failures never stop the run, and are reported.

load helpers

setup() {
	pns_setup
}

@test "a failing script does not stop the others, and start exits 1" {
	script global/10-a
	script global/20-fails 'echo "disk not found" >&2; exit 3'
	script n059/10-b
	run -1 --separate-stderr pns start
	[ "$(trace | wc -l)" -eq 3 ]
	[[ $output == *"failed    global/20-fails: exit status 3 ("* ]]
	[[ $output == *"start on n059: 3 run, 1 failed"* ]]
}

@test "the last lines of a failed script's output follow its status line" {
	script global/10-fails 'for i in $(seq 1 30); do echo "line $i"; done; exit 1'
	run -1 pns start
	[[ $output == *"    | line 21"* ]]
	[[ $output == *"    | line 30"* ]]
	[[ $output != *"line 20"* ]]
}

@test "a failed script's output reaches the console with its control bytes shown as ?" {
	script global/10-esc "printf '\\033[2Jclear\\007bell\\r\\tend\\n'; exit 1"
	run -1 pns start
	[[ $output == *"    | ?[2Jclear?bell?    end"* ]]
	[[ $output != *$'\e'* ]]
	[[ $output != *$'\a'* ]]
}

@test "an exit status above 192 is an exit status, not a signal" {
	script global/10-exits 'exit 200'
	run -1 pns start
	[[ $output == *"failed    global/10-exits: exit status 200"* ]]
}

@test "death by a signal is a failure, named by its signal" {
	script global/10-killed 'kill -KILL $$'
	run -1 pns start
	[[ $output == *"failed    global/10-killed: killed by signal 9"* ]]
}

@test "a broken symbolic link is a failure" {
	mkdir -p "$ROOT/n059"
	ln -s ../scripts/gone "$ROOT/n059/10-gone"
	script n059/20-after
	run -1 pns start
	[[ $output == *"failed    n059/10-gone: broken symbolic link"* ]]
	[ "$(trace)" = "n059/20-after start" ]
}

@test "a symbolic link out of ROOT is refused, never run" {
	printf '#!/bin/sh\ntouch %s/ran\n' "$BATS_TEST_TMPDIR" >"$BATS_TEST_TMPDIR/outside"
	chmod 755 "$BATS_TEST_TMPDIR/outside"
	mkdir -p "$ROOT/n059"
	ln -s "$BATS_TEST_TMPDIR/outside" "$ROOT/n059/10-out"
	ln -s ../../outside "$ROOT/n059/20-out-relative"
	run -1 pns start
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	[[ $output == *"n059/10-out: symbolic link out of ROOT"* ]]
	[[ $output == *"n059/20-out-relative: symbolic link out of ROOT"* ]]
}

@test "a node directory that is a link out of ROOT is refused" {
	mkdir "$BATS_TEST_TMPDIR/elsewhere"
	ln -s "$BATS_TEST_TMPDIR/elsewhere" "$ROOT/n059"
	printf '#!/bin/sh\ntouch %s/ran\n' "$BATS_TEST_TMPDIR" >"$BATS_TEST_TMPDIR/elsewhere/10-x"
	chmod 755 "$BATS_TEST_TMPDIR/elsewhere/10-x"
	run -1 pns start
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	[[ $output == *"refused   n059/: directory out of ROOT"* ]]
}

@test "a node directory linked to another node's inside ROOT is used" {
	script n060/10-shared
	ln -s n060 "$ROOT/n059"
	run -0 pns start
	[ "$(trace)" = "n059/10-shared start" ]
}

@test "a script that cannot be executed is a failure" {
	printf '#!/nonexistent/interpreter\n' >"$ROOT/global/10-badshebang"
	chmod 755 "$ROOT/global/10-badshebang"
	script global/20-after
	run -1 pns start
	# 126 or 127 in most shells; posh says 1.
	[[ $output == *"failed    global/10-badshebang: exit status "[0-9]* ]]
	[ "$(trace)" = "global/20-after start" ]
}

@test "stop reports failures the same way and exits 1" {
	script global/10-a 'exit 2'
	run -1 pns stop
	[[ $output == *"failed    global/10-a: exit status 2"* ]]
}

@test "a failure in stop does not keep restart from starting" {
	script global/10-a '[ "$1" = start ]'
	run -1 pns restart
	[ "$(trace)" = "global/10-a stop
global/10-a start" ]
}

@test "every log record starts on a line of its own, after output with no newline" {
	script global/10-rhel 'printf "[FAILED]\r"; exit 1'
	script global/20-next 'printf "no newline"'
	run -1 pns start
	grep -q '^--- global/20-next start, ' "$LOG"
	grep -qx '=== start on n059: 2 run, 1 failed' "$LOG"
}
