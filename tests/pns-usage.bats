#!/usr/bin/env bats
# pernode-services: its command line, settings and exit statuses 2 and 6.

load helpers

setup() {
	pns_setup
}

# config_refused TEXT WHY: a config file of TEXT makes start exit 6 with
# one line, "config file 'PATH' WHY" (WHY a pattern), and nothing runs.
config_refused() {
	script global/10-a
	printf '%s\n' "$1" >"$PERNODE_CONFIG"
	run -6 --separate-stderr pns start
	[[ $stderr == "pernode-services: config file '$PERNODE_CONFIG' "$2 ]]
	[ -z "$(trace)" ]
}

@test "-h and --help print the usage on stdout and exit 0" {
	run -0 --separate-stderr pns --help
	[ "${lines[0]}" = "usage: pernode-services [-r ROOT] [-n NODE] [-c CONFIG] [-v] [--machine] [--changed] ACTION [SCRIPT ...]" ]
	[ -z "$stderr" ]
	run -0 pns -h
}

@test "no action, an unknown action or an operand status does not take: usage on stderr, exit 2" {
	run -2 --separate-stderr pns
	[[ $stderr == *"missing ACTION"* ]]
	run -2 --separate-stderr pns frobnicate
	[[ $stderr == *"unknown action 'frobnicate'"*"usage: pernode-services"* ]]
	run -2 --separate-stderr pns status global/10-a
	[[ $stderr == *"status takes no SCRIPT"* ]]
	[ -z "$output" ]
}

@test "an unknown option or a missing option argument is a usage error" {
	run -2 --separate-stderr pns -x start
	[[ $stderr == *"unknown option '-x'"* ]]
	run -2 --separate-stderr pns start -r
	[[ $stderr == *"option -r needs an argument"* ]]
}

@test "the synopsis in --help, and in report's usage, is the one in the man page" {
	command -v mandoc >/dev/null || skip "mandoc not installed (apt-get install mandoc)"
	man=$(mandoc -T ascii -O width=300 "$TOP/scripts/pernode-services.8" |
	    col -b | sed -n '/^SYNOPSIS/{n;s/^ *//;p;}')
	man_w=$(mandoc -T ascii -O width=300 "$TOP/scripts/pernode-services.8" |
	    col -b | sed -n '/^SYNOPSIS/{n;n;s/^ *//;p;}')
	man_report=$(mandoc -T ascii -O width=300 "$TOP/scripts/pernode-services.8" |
	    col -b | sed -n '/^SYNOPSIS/{n;n;n;s/^ *//;p;}')
	man_apply=$(mandoc -T ascii -O width=300 "$TOP/scripts/pernode-services.8" |
	    col -b | sed -n '/^SYNOPSIS/{n;n;n;n;s/^ *//;p;}')
	run -0 pns --help
	[ "usage: $man" = "${lines[0]}" ]
	[ "       $man_w" = "${lines[1]}" ]
	[ "       $man_report" = "${lines[2]}" ]
	[ "       $man_apply" = "${lines[3]}" ]
	run -0 pns report -h
	[ "usage: $man_report" = "$output" ]
	run -0 pns apply -h
	[ "usage: $man_apply" = "$output" ]
}

@test "ROOT missing or not a directory: exit 6 naming it" {
	export PERNODE_ROOT_WAIT=0
	run -6 --separate-stderr pns -r "$BATS_TEST_TMPDIR/nowhere" start
	[[ $stderr == *"state directory $BATS_TEST_TMPDIR/nowhere is missing"* ]]
	touch "$BATS_TEST_TMPDIR/file"
	for action in start stop list restart; do
		run -6 --separate-stderr pns -r "$BATS_TEST_TMPDIR/file" "$action"
		[[ $stderr == *"state directory $BATS_TEST_TMPDIR/file is not a directory"* ]]
	done
}

@test "-c FILE with no slash reads FILE in the working directory, never one on PATH" {
	script global/10-a
	mkdir -p "$BATS_TEST_TMPDIR/pathdir" "$BATS_TEST_TMPDIR/cwd"
	printf 'PERNODE_HOSTNAME=frompath\n' >"$BATS_TEST_TMPDIR/pathdir/site.conf"
	printf 'PERNODE_HOSTNAME=fromcwd\n' >"$BATS_TEST_TMPDIR/cwd/site.conf"
	script fromcwd/10-c
	script frompath/10-p
	unset PERNODE_HOSTNAME
	cd "$BATS_TEST_TMPDIR/cwd"
	PATH=$BATS_TEST_TMPDIR/pathdir:$PATH run -0 pns -c site.conf start
	[ "$(trace)" = "global/10-a start
fromcwd/10-c start" ]
	rm "$BATS_TEST_TMPDIR/cwd/site.conf"
	PATH=$BATS_TEST_TMPDIR/pathdir:$PATH run -6 --separate-stderr pns -c site.conf start
	[[ $stderr == *"config file 'site.conf' does not exist"* ]]
}

@test "the long options --root, --node, --config and --verbose work, with = or a space" {
	mkdir -p "$BATS_TEST_TMPDIR/other/global"
	printf '#!/bin/sh\necho other >>%s\n' "$TRACE" >"$BATS_TEST_TMPDIR/other/global/10"
	chmod 755 "$BATS_TEST_TMPDIR/other/global/10"
	: >"$BATS_TEST_TMPDIR/other.conf"
	run -0 pns --root "$BATS_TEST_TMPDIR/other" --config "$BATS_TEST_TMPDIR/other.conf" --node x --verbose start
	run -0 pns --root="$BATS_TEST_TMPDIR/other" --config="$BATS_TEST_TMPDIR/other.conf" --node=x start
	[ "$(trace)" = "other
other" ]
	chmod 644 "$BATS_TEST_TMPDIR/other/global/10"
	run -0 pns --root "$BATS_TEST_TMPDIR/other" --verbose start
	[[ $output == *"skipped   global/10: not executable"* ]]
}

@test "an option given empty is used as given, never replaced by a default" {
	script global/10-a
	run -6 --separate-stderr pns -r '' start
	[[ $stderr == *"no state directory: ROOT is empty"* ]]
	run -6 --separate-stderr pns --root= start
	run -6 --separate-stderr pns -c '' start
	[[ $stderr == *"config file '' does not exist"* ]]
	[ -z "$(trace)" ]
}

@test "a named config file that does not exist: exit 6 naming it" {
	run -6 --separate-stderr pns -c "$BATS_TEST_TMPDIR/none" start
	[[ $stderr == *"config file '$BATS_TEST_TMPDIR/none' does not exist"* ]]
	PERNODE_CONFIG=$BATS_TEST_TMPDIR/none run -6 pns start
}

@test "settings: an option beats the environment, which beats the config file" {
	mkdir -p "$BATS_TEST_TMPDIR/r1/global" "$BATS_TEST_TMPDIR/r2/global" "$BATS_TEST_TMPDIR/r3/global"
	for r in r1 r2 r3; do
		printf '#!/bin/sh\necho %s >>%s\n' "$r" "$TRACE" >"$BATS_TEST_TMPDIR/$r/global/10"
		chmod 755 "$BATS_TEST_TMPDIR/$r/global/10"
	done
	printf 'PERNODE_ROOT=%s\n' "$BATS_TEST_TMPDIR/r3" >"$PERNODE_CONFIG"
	PERNODE_ROOT=$BATS_TEST_TMPDIR/r2 run -0 pns -r "$BATS_TEST_TMPDIR/r1" start
	PERNODE_ROOT=$BATS_TEST_TMPDIR/r2 run -0 pns start
	unset PERNODE_ROOT
	run -0 pns start
	[ "$(trace)" = "r1
r2
r3" ]
}

@test "the config file may set every PERNODE_ setting" {
	mkdir -p "$BATS_TEST_TMPDIR/other/global"
	script n077/10-x
	cat >"$PERNODE_CONFIG" <<-CONF
	PERNODE_HOSTNAME=n077
	PERNODE_LOG=$BATS_TEST_TMPDIR/config.log
	PERNODE_RUNDIR=$BATS_TEST_TMPDIR/config.run
	CONF
	unset PERNODE_HOSTNAME PERNODE_LOG PERNODE_RUNDIR
	run -0 pns start
	[ "$(trace)" = "n077/10-x start" ]
	[ -s "$BATS_TEST_TMPDIR/config.log" ]
	[ -e "$BATS_TEST_TMPDIR/config.run/status" ]
}

@test "a missing default config file is fine; an existing one is read" {
	need_ns mount
	unset PERNODE_CONFIG PERNODE_HOSTNAME
	script global/10-a
	# Private, empty /etc/sysconfig and /etc/default for this test.
	run -0 unshare --mount sh -c 'mkdir -p /etc/sysconfig /etc/default &&
	    mount -t tmpfs none /etc/sysconfig && mount -t tmpfs none /etc/default &&
	    exec "$@"' sh "${SH[@]}" "$PNS" start
	run -0 unshare --mount sh -c 'mkdir -p /etc/sysconfig /etc/default &&
	    mount -t tmpfs none /etc/sysconfig && mount -t tmpfs none /etc/default &&
	    printf "PERNODE_HOSTNAME=fromdefault\n" >/etc/default/pernode-services &&
	    exec "$@"' sh "${SH[@]}" "$PNS" -v start
	[[ $output == *"start on fromdefault:"* ]]
}

@test "bad settings are refused with exit 6, naming them" {
	PERNODE_TIMEOUT=soon run -6 --separate-stderr pns start
	[[ $stderr == *"PERNODE_TIMEOUT 'soon' is not a whole number of seconds"* ]]
	PERNODE_CHECK_PERMS=maybe run -6 --separate-stderr pns start
	[[ $stderr == *"PERNODE_CHECK_PERMS 'maybe' is neither yes nor no"* ]]
	PERNODE_KILL_AFTER=0 run -6 pns start
	PERNODE_TIMEOUT=99999999999999999999 run -6 pns start
	PERNODE_TIMEOUT=2147483647 run -6 --separate-stderr pns start
	[ "$stderr" = "pernode-services: PERNODE_TIMEOUT '2147483647' is more than 999999999 seconds" ]
	PERNODE_PARALLEL=1000000000 run -6 --separate-stderr pns start
	[ "$stderr" = "pernode-services: PERNODE_PARALLEL '1000000000' is more than 999999999" ]
	PERNODE_TIMEOUT=999999999 run -0 pns start
	PERNODE_TIMEOUT=-5 run -6 pns start
}

@test "a config file with a syntax error: exit 6 naming it, nothing run" {
	config_refused 'if then fi' "has a syntax error: $PERNODE_CONFIG:*1*"
}

@test "a config file that exits: exit 6 naming it, nothing run" {
	config_refused 'PERNODE_TIMEOUT=5
exit 0' 'exits; it may only set variables'
	run -6 pns status
}

@test "a config file that is not a regular file: exit 6 saying so" {
	mkdir "$BATS_TEST_TMPDIR/conf.d"
	run -6 --separate-stderr pns -c "$BATS_TEST_TMPDIR/conf.d" start
	[ "$stderr" = "pernode-services: config file '$BATS_TEST_TMPDIR/conf.d' is not a regular file" ]
	run -6 --separate-stderr pns -c /dev/null status
	[ "$stderr" = "pernode-services: config file '/dev/null' is not a regular file" ]
}

@test "a config file whose last command fails: exit 6 naming it, nothing run" {
	config_refused false failed
}

@test "the LSB and chkconfig headers order it last" {
	header=$(sed -n '/^### BEGIN INIT INFO/,/^### END INIT INFO/p' "$PNS")
	grep -qx '# Required-Start: *\$all' <<<"$header"
	grep -qx '# Default-Start: *2 3 4 5' <<<"$header"
	grep -qx '# Default-Stop: *0 1 6' <<<"$header"
	grep -qx '# Provides: *pernode-services' <<<"$header"
	grep -qx '# chkconfig: 2345 99 01' "$PNS"
}

@test "a config file that pulls in init functions cannot hand the run to systemctl" {
	script global/10-a
	# What the systemd hooks of RHEL and Debian test before redirecting.
	printf '[ -n "${SYSTEMCTL_SKIP_REDIRECT-}" ] && [ -n "${_SYSTEMCTL_SKIP_REDIRECT-}" ] || exit 42\n' \
	    >"$PERNODE_CONFIG"
	run -0 pns start
	[ "$(trace)" = "global/10-a start" ]
}
