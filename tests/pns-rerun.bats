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
