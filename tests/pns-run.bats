#!/usr/bin/env bats
# pernode-services start and stop: what runs, in which order, with what.

load helpers

setup() {
	pns_setup
}

@test "start runs global scripts, then the node's, each with the argument start" {
	script global/20-b
	script global/10-a
	script n059/05-z
	script n060/10-other
	run -0 pns start
	[ "$(trace)" = "global/10-a start
global/20-b start
n059/05-z start" ]
}

@test "names are ordered by bytes, whatever the caller's locale" {
	locale -a | grep -qix 'en_US.utf8' ||
	    skip "locale en_US.UTF-8 not generated (apt-get install locales; locale-gen)"
	for n in B a _c 10 9 Z '~x' '-y'; do script "global/$n"; done
	# en_US would say: -y 10 9 _c ~x a B Z
	want=$(printf '%s\n' -y 10 9 B Z _c a '~x' | sed 's/$/ start/; s|^|global/|')
	for locale in en_US.UTF-8 C C.UTF-8; do
		: >"$TRACE"
		LC_ALL=$locale LANG=$locale run -0 pns start
		[ "$(trace)" = "$want" ]
	done
}

@test "names with bytes above 127 sort after ASCII, in byte order" {
	case $PNS_SHELL in
	yash*) skip "yash does not see, in the C locale, file names that are not valid characters there" ;;
	esac
	for n in 'é' '~x' 'a' $'\xff' $'\x80z'; do script "global/$n"; done
	run -0 pns start
	want=$(printf '%s\n' a '~x' $'\x80z' 'é' $'\xff' | sed 's/$/ start/; s|^|global/|')
	[ "$(trace)" = "$want" ]
}

@test "names with dots run, unlike run-parts" {
	script global/10-lustre.sh
	script global/20.conf.d
	run -0 pns start
	[ "$(trace | wc -l)" -eq 2 ]
}

@test "hidden names, editor backups and package leftovers are not run" {
	for n in .hidden 10-a~ 10-a.rpmsave 10-a.rpmnew 10-a.rpmorig \
	    10-a.dpkg-old 10-a.dpkg-new 10-a.dpkg-dist 10-a.dpkg-tmp 10-a.swp; do
		script "global/$n"
	done
	script global/10-a
	run -0 pns start
	[ "$(trace)" = "global/10-a start" ]
}

@test "a non-executable file is skipped silently, and shown with -v" {
	script global/10-off
	chmod 644 "$ROOT/global/10-off"
	run -0 --separate-stderr pns start
	[ -z "$(trace)" ]
	[[ $output != *10-off* ]]
	run -0 --separate-stderr pns -v start
	[[ $output == *"skipped   global/10-off: not executable"* ]]
}

@test "directories, FIFOs and sockets are skipped and never waited on" {
	mkdir "$ROOT/global/10-dir"
	chmod 755 "$ROOT/global/10-dir"
	mkfifo -m 755 "$ROOT/global/20-fifo"
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$ROOT/global/30-sock"
	chmod 755 "$ROOT/global/30-sock"
	[ -S "$ROOT/global/30-sock" ]
	script global/40-last
	run -0 timeout 20 "${SH[@]}" "$PNS" -v start
	[ "$(trace)" = "global/40-last start" ]
	[[ $output == *"global/20-fifo: not a regular file"* ]]
	[[ $output == *"global/30-sock: not a regular file"* ]]
}

@test "names with spaces, glob characters, a leading dash and a newline run" {
	script 'global/10 two words'
	script 'global/20-*?['
	script 'global/-30-dash'
	script "global/40-new
line"
	run -0 pns start
	[ "$(trace | wc -l)" -eq 5 ]
	grep -qx 'global/10 two words start' "$TRACE"
	grep -qxF 'global/20-*?[ start' "$TRACE"
	grep -qx 'global/-30-dash start' "$TRACE"
	grep -qx 'global/40-new' "$TRACE"
	# The report shows the newline escaped.
	[[ $output == *'global/40-new\nline'* ]]
}

@test "a script shared through a symbolic link into scripts/ runs" {
	script scripts/lustre
	mkdir -p "$ROOT/n059"
	ln -s ../scripts/lustre "$ROOT/n059/10-lustre"
	run -0 pns start
	[ "$(trace)" = "n059/10-lustre start" ]
}

@test "scripts/ itself is never run" {
	script scripts/lustre
	run -0 pns start
	[ -z "$(trace)" ]
}

@test "stop runs the node's scripts then global, names descending, with stop" {
	script global/10-a
	script global/20-b
	script n059/10-c
	script n059/20-d
	run -0 pns stop
	[ "$(trace)" = "n059/20-d stop
n059/10-c stop
global/20-b stop
global/10-a stop" ]
}

@test "restart and force-reload stop, then start" {
	script global/10-a
	script n059/10-b
	for action in restart force-reload; do
		: >"$TRACE"
		run -0 pns "$action"
		[ "$(trace)" = "n059/10-b stop
global/10-a stop
global/10-a start
n059/10-b start" ]
	done
}

@test "with nothing to run, start succeeds" {
	run -0 pns start
	[[ $output == *"start on n059: 0 run, 0 failed"* ]]
}

@test "each script runs once per start" {
	script global/10-a
	script n059/10-b
	run -0 pns start
	run -0 pns start
	[ "$(grep -c 'global/10-a start' "$TRACE")" -eq 2 ]
	[ "$(grep -c 'n059/10-b start' "$TRACE")" -eq 2 ]
}
