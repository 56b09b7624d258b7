#!/usr/bin/env bats
# pernode-services status: what the last start did.

load helpers

setup() {
	pns_setup
}

@test "status exits 3 when no start has been recorded" {
	run -3 pns status
	[[ $output == *"no start recorded since boot"* ]]
}

@test "status exits 0 after a start that succeeded, listing each script" {
	script global/10-a
	script n059/10-b
	run -0 pns start
	run -0 pns status
	[[ ${lines[1]} == "ok        global/10-a ("* ]]
	[[ ${lines[2]} == "ok        n059/10-b ("* ]]
	[[ ${lines[3]} == *"last start on n059: 2 run, 0 failed" ]]
}

@test "status says when the last start began, and how long it took" {
	script global/10-a 'sleep 0.3'
	run -0 pns start
	run -0 pns status
	[[ ${lines[0]} =~ ^'pernode-services: last start began '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]' UTC, took '[0-9]+\.[0-9][0-9]' s'$ ]]
	took=${lines[0]##*took }
	took=${took% s}
	ge "$took" 0.3
}

@test "a start of another day is shown with its date" {
	script global/10-a
	run -0 pns start
	sed -i '1s/ at [0-9-]* / at 2001-02-03 /' "$RUN/status"
	run -0 pns status
	[[ ${lines[0]} == "pernode-services: last start began 2001-02-03 "[0-9][0-9]:* ]]
}

@test "during a start, status names the script running and for how long" {
	slow_run
	run -4 pns status
	[[ ${lines[-1]} =~ ^'pernode-services: start in progress, running global/10-slow for '[0-9]+' s'$ ]]
	[[ ${lines[0]} == 'pernode-services: last start began '* ]]
	touch "$BATS_TEST_TMPDIR/go"
	reap
	run -0 pns status
}

@test "status exits 1 after a start with a failure, and names it" {
	script global/10-a 'exit 4'
	script global/20-b
	run -1 pns start
	run -1 pns status
	[[ $output == *"failed    global/10-a: exit status 4"* ]]
	[[ $output == *"ok        global/20-b"* ]]
}

@test "status exits 3 after a stop" {
	script global/10-a
	run -0 pns start
	run -0 pns stop
	run -3 pns status
	[[ $output == *stopped* ]]
}

@test "status exits 0 again after restart" {
	script global/10-a
	run -0 pns restart
	run -0 pns status
}

@test "a start recorded in an earlier boot does not count" {
	[ -r /proc/sys/kernel/random/boot_id ] || skip "no boot id on this system"
	script global/10-a
	run -0 pns start
	sed -i 's/, boot [^,]*,/, boot 00000000-0000-0000-0000-000000000000,/' "$RUN/status"
	run -3 pns status
	[[ $output == *"no start recorded since boot"* ]]
}

@test "a start killed before it finished is not a success" {
	script global/05-a
	slow_run
	kill -KILL "$pid"
	reap || true
	touch "$BATS_TEST_TMPDIR/go"
	run -1 pns status
	[[ $output == *"interrupted"* ]]
	[[ $output == *"ok        global/05-a"* ]]
}

@test "status needs no lock and writes nothing" {
	script global/10-a
	run -0 pns start
	before=$(ls -l --time-style=full-iso "$RUN")
	run -0 pns status
	[ "$before" = "$(ls -l --time-style=full-iso "$RUN")" ]
}
