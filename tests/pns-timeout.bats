#!/usr/bin/env bats
# pernode-services: PERNODE_TIMEOUT, the per-script time limit.

load helpers

setup() {
	pns_setup
	export PERNODE_KILL_AFTER=1
}

@test "a script over the limit gets SIGTERM, counts as failed, and the run goes on" {
	script global/10-slow "trap 'echo got TERM; exit 1' TERM; sleep 30 & wait"
	script global/20-after
	start=$EPOCHREALTIME
	PERNODE_TIMEOUT=1 run -1 pns start
	lt "$(elapsed "$start")" 10
	[[ $output == *"timed out global/10-slow: still running after 1s, stopped"* ]]
	grep -qx 'got TERM' "$LOG"
	[ "$(trace | tail -n 1)" = "global/20-after start" ]
}

@test "a script that ignores SIGTERM gets SIGKILL a little later" {
	script global/10-stubborn "trap '' TERM; while :; do sleep 0.1; done"
	start=$EPOCHREALTIME
	PERNODE_TIMEOUT=1 run -1 pns start
	ge "$(elapsed "$start")" 2
	lt "$(elapsed "$start")" 10
	[[ $output == *"timed out global/10-stubborn"* ]]
}

gone() {
	! kill -0 "$1" 2>/dev/null
}

@test "the whole process group of a script over the limit is signalled" {
	script global/10-family "sleep 300 & echo \$! >'$BATS_TEST_TMPDIR/child'; wait"
	PERNODE_TIMEOUT=1 run -1 pns start
	child=$(cat "$BATS_TEST_TMPDIR/child")
	until_true 10 gone "$child"
}

@test "a script within the limit is not disturbed" {
	script global/10-quick 'sleep 0.2'
	PERNODE_TIMEOUT=5 run -0 pns start
	[[ $output == *"ok        global/10-quick"* ]]
}

@test "PERNODE_TIMEOUT=0 means no limit" {
	script global/10-a 'sleep 1.2'
	PERNODE_TIMEOUT=0 run -0 pns start
}

# The parent of global/10-parent, as its command line.
parent_cmdline() {
	tr '\0' ' ' <"$BATS_TEST_TMPDIR/parent"
}

@test "with no PERNODE_TIMEOUT, a script gets the default limit of 600 s from the run's watcher" {
	[ -r /proc/self/cmdline ] || skip "no /proc here"
	unset PERNODE_KILL_AFTER
	script global/10-parent "cat /proc/\$PPID/cmdline >'$BATS_TEST_TMPDIR/parent'"
	run -0 pns start
	[ "$(parent_cmdline)" = "$TOP/src/pernode-watch -t 600 -k 5 " ]
}

@test "PERNODE_TIMEOUT=0 runs a script with no limit, nothing between it and the watcher" {
	[ -r /proc/self/cmdline ] || skip "no /proc here"
	script global/10-parent "cat /proc/\$PPID/cmdline >'$BATS_TEST_TMPDIR/parent'"
	PERNODE_TIMEOUT=0 run -0 pns start
	[ "$(parent_cmdline)" = "$TOP/src/pernode-watch -t 0 -k 1 " ]
}

@test "every script of a run has the one watcher for parent, in a process group of its own" {
	[ -r /proc/self/stat ] || skip "no /proc here"
	for s in 10-a 20-b 30-c; do
		script "global/$s" "read -r _ _ _ ppid pgid _ </proc/\$\$/stat; printf '%s %s %s\\n' \$\$ \$ppid \$pgid >>'$BATS_TEST_TMPDIR/ids'"
	done
	run -0 pns start
	run -0 awk '{ print $2 }' "$BATS_TEST_TMPDIR/ids"
	[ "${#lines[@]}" -eq 3 ] && [ "$(printf '%s\n' "${lines[@]}" | sort -u | wc -l)" -eq 1 ]
	run -0 awk '$1 != $3' "$BATS_TEST_TMPDIR/ids"
	[ -z "$output" ]
}

# forks N: the processes a start of N no-op scripts creates, all told.
forks() {
	local i
	rm -rf "$ROOT/global" "$RUN"
	mkdir -p "$ROOT/global"
	for ((i = 1; i <= $1; i++)); do
		printf '#!/bin/sh\n' >"$ROOT/global/s$i"
		chmod 755 "$ROOT/global/s$i"
	done
	strace -f -qq -e trace=fork,vfork,clone,clone3 -e signal=none \
	    -o "$BATS_TEST_TMPDIR/strace" "${SH[@]}" "$PNS" start >/dev/null 3>&-
	# One line a creation, whole or "<unfinished ...>" (its result then
	# comes on a "resumed" line of its own).
	grep -cE ' (clone3?|v?fork)\(' "$BATS_TEST_TMPDIR/strace"
}

@test "a start of N scripts under a limit creates N processes and a constant" {
	command -v strace >/dev/null || skip "strace not installed"
	case ${SH[0]} in
	mksh | posh) skip "${SH[0]}'s printf is no builtin: it costs a process a line" ;;
	esac
	a=$(forks 5)
	b=$(forks 25)
	[ "$((b - a))" -eq 20 ] || { printf '5 scripts: %s, 25 scripts: %s\n' "$a" "$b"; false; }
}
