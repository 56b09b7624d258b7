#!/usr/bin/env bats
# pernode-services: the ownership check on what runs as root.

load helpers

setup() {
	pns_setup
	[ "$(id -u)" -eq 0 ] || skip "the ownership check is tested as root"
	need setpriv util-linux
	open_to_others
	mkdir -p "$RUN"
	chmod 1777 "$RUN"
	touch "$LOG"
	chmod 666 "$LOG"
}

# as_nobody ARGS...: the init script run as user nobody.
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "${SH[@]}" "$PNS_OTHER" "$@"
}

@test "as root, a script owned by another user is refused and counts as a failure" {
	script global/10-theirs
	chown 65534 "$ROOT/global/10-theirs"
	script global/20-ours
	run -1 pns start
	[[ $output == *"refused   global/10-theirs: owned by uid 65534"* ]]
	[ "$(trace)" = "global/20-ours start" ]
}

@test "as root, a script writable by group or others is refused" {
	script global/10-g
	script global/20-o
	chmod 775 "$ROOT/global/10-g"
	chmod 757 "$ROOT/global/20-o"
	run -1 pns start
	[[ $output == *"refused   global/10-g: writable by group or others"* ]]
	[[ $output == *"refused   global/20-o: writable by group or others"* ]]
	[ -z "$(trace)" ]
}

@test "as root, every script in a directory writable by others is refused" {
	script n059/10-a
	script n059/20-b
	chmod 777 "$ROOT/n059"
	run -1 pns start
	[[ $output == *"refused   n059/10-a: its directory is writable by group or others"* ]]
	[[ $output == *"refused   n059/20-b: its directory is writable by group or others"* ]]
	[ -z "$(trace)" ]
}

@test "as root, a link's target is checked, not the link" {
	script scripts/shared
	chown 65534 "$ROOT/scripts/shared"
	mkdir -p "$ROOT/n059"
	ln -s ../scripts/shared "$ROOT/n059/10-shared"
	run -1 pns start
	[[ $output == *"refused   n059/10-shared: owned by uid 65534"* ]]
}

@test "as root, a link into a directory writable by others is refused" {
	script scripts/shared
	chmod 777 "$ROOT/scripts"
	mkdir -p "$ROOT/n059"
	ln -s ../scripts/shared "$ROOT/n059/10-shared"
	run -1 pns start
	[[ $output == *"refused   n059/10-shared: the directory of its target is writable by group or others"* ]]
}

@test "PERNODE_CHECK_PERMS=no turns the check off" {
	script global/10-theirs
	chown 65534 "$ROOT/global/10-theirs"
	chmod 777 "$ROOT/global"
	PERNODE_CHECK_PERMS=no run -0 pns start
	[ "$(trace)" = "global/10-theirs start" ]
}

@test "as another user, scripts owned by root or by that user run" {
	script global/10-root
	script global/20-mine
	chown 65534 "$ROOT/global/20-mine"
	touch "$TRACE"
	chmod 666 "$TRACE"
	run -0 as_nobody start
	[ "$(trace)" = "global/10-root start
global/20-mine start" ]
}

@test "as another user, a script owned by a third user is refused" {
	script global/10-third
	chown 12345 "$ROOT/global/10-third"
	run -1 as_nobody start
	[[ $output == *"refused   global/10-third: owned by uid 12345"* ]]
}

@test "a config file writable by others is not read, and start exits 6" {
	printf 'PERNODE_TIMEOUT=1\n' >"$PERNODE_CONFIG"
	chmod 666 "$PERNODE_CONFIG"
	run -6 --separate-stderr pns start
	[[ $stderr == *"config file '$PERNODE_CONFIG' is writable by group or others"* ]]
}
