#!/usr/bin/env bats
# pernode-services list: a preview that runs nothing.

load helpers

setup() {
	pns_setup
}

@test "list prints what start would run, in order, relative to ROOT" {
	script global/20-b
	script global/10-a
	script n059/10-c
	script global/.hidden
	chmod 644 "$ROOT/global/20-b"
	script global/30-d
	run -0 --separate-stderr pns list
	[ "$output" = "global/10-a
global/30-d
n059/10-c" ]
	[ -z "$(trace)" ]
}

@test "list -n previews another node" {
	script n060/10-x
	run -0 pns -n n060 list
	[ "$output" = n060/10-x ]
}

@test "list reports on stderr what start would count as failures, and exits 1" {
	mkdir -p "$ROOT/n059"
	ln -s ../scripts/gone "$ROOT/n059/10-gone"
	ln -s /bin/true "$ROOT/n059/20-out"
	script n059/30-ok
	run -1 --separate-stderr pns list
	[ "$output" = n059/30-ok ]
	[[ $stderr == *"would fail: n059/10-gone: broken symbolic link"* ]]
	[[ $stderr == *"would fail: n059/20-out: symbolic link out of ROOT"* ]]
}

@test "list runs without root and writes nothing" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to switch to another user"
	need setpriv util-linux
	open_to_others
	script global/10-a
	run -0 setpriv --reuid=65534 --regid=65534 --clear-groups "${SH[@]}" "$PNS_OTHER" list
	[ "$output" = global/10-a ]
	[ ! -e "$RUN" ]
	[ ! -e "$LOG" ]
}
