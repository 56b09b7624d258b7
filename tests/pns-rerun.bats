#!/usr/bin/env bats
# pernode-services: rerunning chosen scripts by hand.

load helpers

setup() {
	pns_setup
	script global/10-a
	script global/20-b
	script n059/30-c
	script n060/40-other
}

# merges_in_order: merge.awk, run by the awk first on PATH, places new
# scripts by plan order: directories global, @groups in byte order ("@a"
# before "@a-b", though "-" sorts before "/"), the node's; names in bytes.
merges_in_order() {
	local t=$BATS_TEST_TMPDIR
	printf '%s\n' '# start at D, pid 1, boot B, on n1, epoch 5' \
	    $'ok\t0\t0.01\tglobal/15\t1-1\t' $'ok\t0\t0.01\t@a/05\t1-1\t' \
	    $'ok\t0\t0.01\tn1/10\t1-1\t' $'ok\t0\t0.01\tn1/99\t1-1\t' \
	    '# end 6 0.04' '# partial: 4 run, 0 failed' >"$t/rerun"
	printf '%s\n' '# start at D, pid 0, boot B, on n1, epoch 1' \
	    $'ok\t0\t0.01\tglobal/10\t1-1\t' $'failed\t1\t0.01\tglobal/2\t1-1\texit status 1' \
	    $'ok\t0\t0.01\t@a-b/50\t1-1\t' $'failed\t1\t0.01\tn1/10\t1-1\texit status 1' \
	    '# end 2 0.04' '# done: 4 run, 2 failed' >"$t/before"
	run -0 awk -F '\t' -v OFS='\t' -f "$BATS_TEST_DIRNAME/../scripts/lib/merge.awk" \
	    "$t/rerun" "$t/before"
	[ "$(cut -f 1,4 <<<"$output")" = "# start at D, pid 1, boot B, on n1, epoch 5
ok	global/10
ok	global/15
failed	global/2
ok	@a/05
ok	@a-b/50
ok	n1/10
ok	n1/99
# end 6 0.04
# partial: 7 run, 1 failed, 4 rerun" ]
}

@test "start with SCRIPT operands runs only those, in plan order, not operand order" {
	run -0 pns start n059/30-c global/10-a
	[ "$(trace)" = "global/10-a start
n059/30-c start" ]
	[[ $output == *"ok        global/10-a ("* ]]
	[[ $output == *"pernode-services: start on n059: 2 run, 0 failed" ]]
}

@test "a bare name selects every script of that name in this node's plan" {
	script n059/20-b
	run -0 pns start 20-b
	[ "$(trace)" = "global/20-b start
n059/20-b start" ]
}

@test "an operand that names nothing in the plan is exit 2, naming it, and nothing runs" {
	chmod -x "$ROOT/global/20-b"
	for bad in global/10-typo n060/40-other 40-other global n059/; do
		run -2 --separate-stderr pns start global/10-a "$bad"
		[[ $stderr == *"SCRIPT '$bad' is not in the plan of n059"* ]]
		[ -z "$(trace)" ]
	done
	for bad in global/20-b 20-b; do
		run -2 --separate-stderr pns start global/10-a "$bad"
		[[ $stderr == *"SCRIPT '$bad' does not run on n059: not executable"* ]]
		[ -z "$(trace)" ]
	done
	[ ! -e "$LOG" ]
	[ ! -e "$RUN/status" ]
}

@test "an operand holding a newline is refused, shown escaped" {
	run -2 --separate-stderr pns start "global/10-a
global/20-b"
	[[ $stderr == *"SCRIPT 'global/10-a\\nglobal/20-b' names no script"* ]]
	[ -z "$(trace)" ]
}

@test "fixing the one failed script and rerunning it alone turns status green" {
	script global/20-b 'exit 3'
	run -1 pns start
	run -1 pns status
	[[ $output == *"failed    global/20-b: exit status 3"* ]]
	script global/20-b
	: >"$TRACE"
	run -0 pns start global/20-b
	[ "$(trace)" = "global/20-b start" ]
	run -0 pns status
	[ "${lines[1]%% (*}" = "ok        global/10-a" ]
	[ "${lines[2]%% (*}" = "ok        global/20-b" ]
	[ "${lines[3]%% (*}" = "ok        n059/30-c" ]
	[ "${lines[4]}" = "pernode-services: last start on n059: 3 run, 0 failed, 1 rerun" ]
}

@test "a rerun of scripts new to the plan puts each in its place in plan order" {
	printf 'a-b: n059\na: n059\n' >"$ROOT/groups"
	script @a-b/50-g
	run -0 pns start
	script global/15-new
	script @a/05-new
	script n059/99-new
	run -0 pns start 15-new 05-new 99-new
	run -0 pns status
	[ "${lines[1]%% (*}" = "ok        global/10-a" ]
	[ "${lines[2]%% (*}" = "ok        global/15-new" ]
	[ "${lines[3]%% (*}" = "ok        global/20-b" ]
	[ "${lines[4]%% (*}" = "ok        @a/05-new" ]
	[ "${lines[5]%% (*}" = "ok        @a-b/50-g" ]
	[ "${lines[6]%% (*}" = "ok        n059/30-c" ]
	[ "${lines[7]%% (*}" = "ok        n059/99-new" ]
	[ "${lines[8]}" = "pernode-services: last start on n059: 7 run, 0 failed, 3 rerun" ]
	# The same order as a whole start's.
	run -0 pns status
	before=$output
	run -0 pns start
	run -0 pns status
	[ "$(sed 1d <<<"$output" | sed 's/ (.*//')" = "$(sed 1d <<<"$before" | sed 's/ (.*//' | sed '$d')
pernode-services: last start on n059: 7 run, 0 failed" ]
}

@test "merge.awk places scripts new to the plan in plan order under mawk, gawk and busybox awk" {
	under_each_awk merges_in_order
}

@test "a rerun that fails turns a green status red, keeping the other results" {
	run -0 pns start
	script n059/30-c 'exit 4'
	run -1 pns start 30-c
	run -1 pns status
	[ "${lines[1]%% (*}" = "ok        global/10-a" ]
	[[ ${lines[3]} == "failed    n059/30-c: exit status 4 ("* ]]
	[ "${lines[4]}" = "pernode-services: last start on n059: 3 run, 1 failed, 1 rerun" ]
}

@test "a rerun with no start of this boot recorded holds only the chosen scripts, and status is not green" {
	run -0 pns start global/10-a
	run -1 pns status
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[2]}" = "pernode-services: last start on n059: 1 run, 0 failed; chosen scripts only: no whole start has ended since boot" ]
	run -1 pns status --machine
	[ "$(cut -f 9 <<<"${lines[0]}")" = partial ]
	# A second rerun adds to it, and it stays partial.
	run -0 pns start n059/30-c
	run -1 pns status
	[ "${lines[-1]}" = "pernode-services: last start on n059: 2 run, 0 failed, 1 rerun; chosen scripts only: no whole start has ended since boot" ]
	# A whole start makes it whole.
	run -0 pns start
	run -0 pns status
}

@test "start NAME of a refused script runs nothing, says it is refused and why, and fails" {
	[ "$(id -u)" -eq 0 ] || skip "needs root (chown)"
	chown 65534 "$ROOT/global/20-b"
	run -1 pns start 20-b
	[[ $output == *"refused   global/20-b: owned by uid 65534"* ]]
	[ -z "$(trace)" ]
}

@test "start NAME that cannot begin records a whole failed run, never merged into the start before" {
	run -0 pns start
	printf '# functions\n' >"$ROOT/functions"
	chmod 666 "$ROOT/functions"
	run -6 pns start global/10-a
	run -1 pns status --machine
	[ "$(cut -f 7-9 <<<"${lines[0]}")" = "0	1	failed" ]
	[ "${lines[1]}" = "end	0" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "a rerun never turns a start that failed, was killed or was stopped since into a green one" {
	export PERNODE_ROOT_WAIT=0
	mv "$ROOT" "$ROOT.away"
	run -6 pns start
	mv "$ROOT.away" "$ROOT"
	run -0 pns start global/10-a
	run -1 pns status
	[[ ${lines[-1]} == *"chosen scripts only: no whole start has ended since boot" ]]

	run -0 pns start
	run -0 pns stop
	run -0 pns start global/10-a
	run -1 pns status
	[[ ${lines[-1]} == *"chosen scripts only"* ]]

	run -0 pns start
	sed -i '$d' "$RUN/status"	# as if killed before its end
	run -1 pns status
	run -0 pns start global/10-a
	run -1 pns status
	[[ ${lines[-1]} == *"chosen scripts only"* ]]
}

@test "stop with operands stops only those, in reverse, and leaves the start's record" {
	run -0 pns start
	: >"$TRACE"
	run -0 pns stop global/10-a n059/30-c
	[ "$(trace)" = "n059/30-c stop
global/10-a stop" ]
	run -0 pns status
	[ "${lines[4]}" = "pernode-services: last start on n059: 3 run, 0 failed" ]
}

@test "restart with an operand stops then starts that script alone" {
	run -0 pns start
	: >"$TRACE"
	run -0 pns restart 20-b
	[ "$(trace)" = "global/20-b stop
global/20-b start" ]
	run -0 pns status
}

@test "list with operands prints only those, and refuses one not in the plan" {
	run -0 pns list 30-c global/10-a
	[ "$output" = "global/10-a
n059/30-c" ]
	run -2 --separate-stderr pns list n060/40-other
	[[ $stderr == *"SCRIPT 'n060/40-other' is not in the plan of n059"* ]]
	run -0 pns -n n060 list n060/40-other
	[ "$output" = n060/40-other ]
}

@test "a rerun is logged like a full run, and takes the lock" {
	run -0 pns start global/20-b
	grep -q "^=== pernode-services start (chosen scripts) at " "$LOG"
	grep -q '^--- global/20-b start, ' "$LOG"
	slow_run
	run -1 --separate-stderr timeout 10 "${SH[@]}" "$PNS" start global/20-b
	[[ $stderr == *"already running (pid $pid)"* ]]
	touch "$BATS_TEST_TMPDIR/go"
	reap 30
}

@test "a restart of chosen scripts after a killed start says so once" {
	script global/10-a
	run -0 pns start
	# The record of a start killed outright: no end lines.
	head -n -2 "$RUN/status" >"$RUN/status.cut"
	mv "$RUN/status.cut" "$RUN/status"
	run -0 --separate-stderr pns restart global/10-a
	[ "$(grep -c 'ended before it finished' <<<"$stderr")" -eq 1 ]
}
