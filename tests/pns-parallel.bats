#!/usr/bin/env bats
# pernode-services: PERNODE_PARALLEL, the scripts of a level side by side.
# Concurrency is shown by scripts that wait for one another (a run one
# after the other could never end them in time), never by timing.

load helpers

setup() {
	pns_setup
	export PERNODE_PARALLEL=4
	M=$BATS_TEST_TMPDIR/marks
	mkdir -p "$M"
}

# meet NAME OTHER...: the body of a script that marks its start, then
# waits (10 s at most) until each OTHER has started too: it ends with 0
# only when they ran side by side.
meet() {
	local name=$1 other
	shift
	printf 'touch %s/started.%s\n' "$M" "$name"
	for other do
		printf 'i=0; while [ ! -e %s/started.%s ]; do i=$((i + 1)); [ $i -lt 200 ] || exit 9; sleep 0.05; done\n' \
		    "$M" "$other"
	done
}

@test "the scripts of one level start together, and the run waits for them all" {
	script global/10-a "$(meet a b c)"
	script global/10-b "$(meet b a c)"
	script global/10-c "$(meet c a b)"
	run -0 pns start
	[[ $output == *"start on n059: 3 run, 0 failed"* ]]
}

@test "a level starts once every script of the level before has ended" {
	script global/10-a "sleep 0.3; touch $M/ended.a"
	script global/10-b "touch $M/ended.b"
	script global/20-c "[ -e $M/ended.a ] && [ -e $M/ended.b ]"
	run -0 pns start
}

@test "never more than PERNODE_PARALLEL scripts of a level run at once" {
	local s
	for s in 1 2 3 4 5 6; do
		script "global/10-$s" "mkdir $M/run.$s; ls $M | grep -c '^run' >>$M/seen; sleep 0.3; rmdir $M/run.$s"
	done
	PERNODE_PARALLEL=2 run -0 pns start
	[ "$(sort -n "$M/seen" | tail -n 1)" -eq 2 ]
}

@test "a level never spans directories, and a name without leading digits is a level of its own" {
	script global/10-a "$(meet a b)"
	script n059/10-b "touch $M/started.b"
	script global/setup "$(meet setup x)"
	script global/x "touch $M/started.x"
	run -1 pns start
	[[ $output == *"failed    global/10-a: exit status 9"* ]]
	[[ $output == *"failed    global/setup: exit status 9"* ]]
}

@test "the console, the record and the log keep the plan's order, each script's output whole" {
	script global/10-a "echo a1; sleep 0.4; echo a2"
	script global/10-b "echo b1; echo b2"
	script global/10-c "echo c1; exit 3"
	run -1 pns start
	[ "${lines[0]}" = "ok        global/10-a ($(sed -n 's/^ok\t0\t\([0-9.]*\)\tglobal\/10-a\t[0-9]*-[0-9]*\t$/\1/p' "$RUN/status") s)" ]
	[[ ${lines[1]} == "ok        global/10-b ("* ]]
	[[ ${lines[2]} == "failed    global/10-c: exit status 3 ("* ]]
	run -0 awk -F '\t' '$1 !~ /^#/ { print $4 }' "$RUN/status"
	[ "$output" = "global/10-a
global/10-b
global/10-c" ]
	run -0 grep -v '^$' "$LOG"
	[[ ${lines[1]} == "--- global/10-a start, "* ]] && [ "${lines[2]}" = a1 ] && [ "${lines[3]}" = a2 ]
	[[ ${lines[4]} == "--- global/10-b start, "* ]] && [ "${lines[5]}" = b1 ] && [ "${lines[6]}" = b2 ]
	[[ ${lines[7]} == "--- global/10-c start, "* ]] && [ "${lines[8]}" = c1 ]
}

@test "a failure in a level fails the run, shows its output, and the next level still runs" {
	script global/10-a "echo why it failed; exit 4"
	script global/10-b
	script global/20-c
	run -1 pns start
	[[ $output == *"failed    global/10-a: exit status 4"*"why it failed"* ]]
	[[ $output == *"start on n059: 3 run, 1 failed"* ]]
	run -1 pns status
	[ "$(trace | sort)" = "global/10-a start
global/10-b start
global/20-c start" ]
}

@test "entries that do not run keep their place among those that do" {
	script global/10-a "sleep 0.3"
	mkdir -p "$ROOT/global"
	printf '#!/bin/sh\n' >"$ROOT/global/10-b"
	script global/10-c
	run -0 pns -v start
	[[ ${lines[0]} == "ok        global/10-a "* ]]
	[ "${lines[1]}" = "skipped   global/10-b: not executable" ]
	[[ ${lines[2]} == "ok        global/10-c "* ]]
}

gone() {
	! kill -0 "$1" 2>/dev/null
}

@test "a script over the limit in a level is stopped with its children; the others end as they would" {
	script global/10-slow "sleep 300 & echo \$! >$M/child; wait"
	script global/10-quick "sleep 0.2"
	PERNODE_TIMEOUT=1 PERNODE_KILL_AFTER=1 run -1 pns start
	[[ $output == *"timed out global/10-slow: still running after 1s, stopped"* ]]
	[[ $output == *"ok        global/10-quick"* ]]
	child=$(cat "$M/child")
	until_true 10 gone "$child"
}

@test "stop walks the levels in reverse" {
	script global/10-a
	script global/10-b
	script global/20-c
	script n059/10-d
	run -0 pns stop
	[ "$(trace | head -n 2)" = "n059/10-d stop
global/20-c stop" ]
	[ "$(trace | tail -n 2 | sort)" = "global/10-a stop
global/10-b stop" ]
}

@test "start of chosen scripts honours their levels" {
	script global/10-a "$(meet a b)"
	script global/10-b "$(meet b a)"
	script global/20-c "[ -e $M/started.a ] && [ -e $M/started.b ]"
	script global/10-other "exit 1"
	run -0 pns start global/10-a global/20-c 10-b
	[[ $output == *"start on n059: 3 run, 0 failed"* ]]
}

@test "SIGTERM lets the scripts running end, and starts no other" {
	script global/10-a "touch $M/started.a; while [ ! -e $M/go ] && [ -d $M ]; do sleep 0.05; done"
	script global/10-b "touch $M/started.b; while [ ! -e $M/go ] && [ -d $M ]; do sleep 0.05; done"
	script global/20-c
	"${SH[@]}" "$PNS" start >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	pid=$!
	until_true 10 test -e "$M/started.a" -a -e "$M/started.b"
	kill -TERM "$pid"
	sleep 0.3
	touch "$M/go"
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 143 ]
	grep -q 'ok        global/10-a' "$BATS_TEST_TMPDIR/out"
	grep -q 'ok        global/10-b' "$BATS_TEST_TMPDIR/out"
	grep -q 'interrupted by SIGTERM' "$BATS_TEST_TMPDIR/out"
	run ! grep -q 'global/20-c' "$TRACE"
}

# running_now PATTERN: status, during a start, says the scripts running
# and they match PATTERN (a regular expression).
running_now() {
	local out
	out=$("${SH[@]}" "$PNS" status 2>&1 | tail -n 1)
	[[ $out =~ $1 ]]
}

@test "during a start, status names every script running side by side, and none that has ended" {
	script global/10-a "while [ ! -e $M/go ] && [ -d $M ]; do sleep 0.05; done"
	script global/10-b "while [ ! -e $M/go ] && [ -d $M ]; do sleep 0.05; done"
	script global/10-c
	"${SH[@]}" "$PNS" start >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	pid=$!
	until_true 10 running_now '^pernode-services: start in progress, running global/10-a for [0-9]+ s, global/10-b for [0-9]+ s$'
	touch "$M/go"
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 0 ]
	grep -q 'ok        global/10-c' "$BATS_TEST_TMPDIR/out"
}

# reads_running: running.awk's reading of a running file in which 1 and
# 3 ended, 2 and 4 did not (4 with a tab-free name of spaces), and a torn
# last line.
reads_running() {
	printf '1\t100\tglobal/10-a\n2\t150\tglobal/10-b\n3\t160\tglobal/10-c\n' >running
	printf '3\t-\n1\t-\n4\t200\tn059/10 d e\n5\t' >>running
	[ "$(awk -v now=1000 -f "$TOP/scripts/lib/running.awk" running)" = \
	    'global/10-b for 8 s, n059/10 d e for 8 s' ]
	[ -z "$(awk -v now=1000 -f "$TOP/scripts/lib/running.awk" /dev/null)" ]
}

@test "the scripts running are read alike by mawk, gawk and busybox awk" {
	cd "$BATS_TEST_TMPDIR"
	under_each_awk reads_running
}

@test "PERNODE_PARALLEL that is not a whole number of at least 1 is refused, naming it" {
	script global/10-a
	for value in 0 00 -1 x 1.5 ' 2'; do
		PERNODE_PARALLEL=$value run -6 --separate-stderr pns start
		[ "$stderr" = "pernode-services: PERNODE_PARALLEL '$value' is not a positive whole number" ]
	done
	PERNODE_PARALLEL=9999999999 run -6 --separate-stderr pns start
	[ "$stderr" = "pernode-services: PERNODE_PARALLEL '9999999999' is more than 999999999" ]
	printf 'PERNODE_PARALLEL=many\n' >"$PERNODE_CONFIG"
	unset PERNODE_PARALLEL
	run -6 --separate-stderr pns start
	[ "$stderr" = "pernode-services: PERNODE_PARALLEL 'many' is not a positive whole number" ]
	[ -z "$(trace)" ]
}

@test "list -v says where each level begins, on stderr, its output the names alone" {
	script global/10-a
	script global/10-b
	script global/setup
	script n059/10-c
	run -0 --separate-stderr pns -v list
	[ "$output" = "global/10-a
global/10-b
global/setup
n059/10-c" ]
	[ "$stderr" = "level     global/10
level     global/setup
level     n059/10" ]
}

@test "restart stops, then starts, each level side by side" {
	script global/10-a "[ \"\$1\" = start ] || exit 0
$(meet a b)"
	script global/10-b "[ \"\$1\" = start ] || exit 0
$(meet b a)"
	run -0 pns restart
	[[ $output == *"stop on n059: 2 run, 0 failed"*"start on n059: 2 run, 0 failed"* ]]
}
