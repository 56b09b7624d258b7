#!/usr/bin/env bats
# pernode-services: each script's process, environment and output.

load helpers

setup() {
	pns_setup
}

@test "a script sees only the fixed PATH, TERM, LANG and the PERNODE_ variables" {
	script global/10-env "env >'$BATS_TEST_TMPDIR/env'"
	FOO=leak http_proxy=leak LC_ALL=fr_FR.UTF-8 TERM=xterm-256color \
	    LANG=de_DE.UTF-8 PERNODE_TIMEOUT=0 run -0 pns start
	env=$(grep -vE '^(PWD|SHLVL|_)=' "$BATS_TEST_TMPDIR/env" | sort)
	[ "$env" = "LANG=C
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
PERNODE_ACTION=start
PERNODE_HOSTNAME=n059
PERNODE_ROOT=$ROOT
TERM=dumb" ]
}

@test "the environment is the same whatever the caller's" {
	script global/10-env "env | sort >>'$BATS_TEST_TMPDIR/env.\$PPID'"
	run -0 pns start
	first=$(cat "$BATS_TEST_TMPDIR"/env.*)
	rm "$BATS_TEST_TMPDIR"/env.*
	run -0 env -i PATH=/bin:/usr/bin HOME=/nowhere SSH_CONNECTION='1 2 3 4' \
	    PERNODE_ROOT="$ROOT" PERNODE_HOSTNAME=n059 PERNODE_RUNDIR="$RUN" \
	    PERNODE_LOG="$LOG" PERNODE_CONFIG="$PERNODE_CONFIG" "${SH[@]}" "$PNS" start
	[ "$first" = "$(cat "$BATS_TEST_TMPDIR"/env.*)" ]
}

@test "scripts run from / with umask 022 and stdin from /dev/null" {
	script global/10-where "pwd >'$BATS_TEST_TMPDIR/pwd'; umask >'$BATS_TEST_TMPDIR/umask'; cat >'$BATS_TEST_TMPDIR/stdin'"
	cd "$BATS_TEST_TMPDIR"
	umask 077
	run -0 pns start </dev/zero
	[ "$(cat "$BATS_TEST_TMPDIR/pwd")" = / ]
	[ "$(cat "$BATS_TEST_TMPDIR/umask")" = 0022 ]
	[ ! -s "$BATS_TEST_TMPDIR/stdin" ]
}

@test "PERNODE_ACTION is stop for stop" {
	script global/10-env "printf '%s\n' \"\$PERNODE_ACTION\" >>'$BATS_TEST_TMPDIR/action'"
	run -0 pns stop
	[ "$(cat "$BATS_TEST_TMPDIR/action")" = stop ]
}

@test "a script's output goes to the log with a header, not to stdout" {
	script global/10-talk 'echo "to stdout"; echo "to stderr" >&2'
	run -0 --separate-stderr pns start
	[[ $output != *"to stdout"* ]]
	[[ $stderr != *"to stderr"* ]]
	grep -q '^--- global/10-talk start, [0-9][0-9]:[0-9][0-9]:[0-9][0-9] UTC \[run [0-9]*\.1\]$' "$LOG"
	grep -qx 'to stdout' "$LOG"
	grep -qx 'to stderr' "$LOG"
}

@test "the log is appended to, never truncated" {
	printf 'earlier boot\n' >"$LOG"
	script global/10-a 'echo now'
	run -0 pns start
	[ "$(head -n 1 "$LOG")" = "earlier boot" ]
	grep -qx now "$LOG"
}

@test "one status line per script, with its duration" {
	script global/10-a
	script global/20-b 'sleep 0.3'
	run -0 pns start
	[[ ${lines[0]} =~ ^ok\ +global/10-a\ \([0-9]+\.[0-9][0-9]\ s\)$ ]]
	[[ ${lines[1]} =~ ^ok\ +global/20-b\ \(0\.[3-9][0-9]\ s\)$ ]]
}

@test "-v echoes each script's output after its status line" {
	script global/10-a 'echo hello from a'
	run -0 pns -v start
	[[ $output == *"ok        global/10-a"*"    | hello from a"* ]]
}

@test "a daemon left behind with the script's output does not hold up the run or its caller" {
	# The daemon's pid in a file: it alone is stopped at the end, never
	# another process of the machine that happens to match a pattern.
	script global/10-daemon "sleep 30 & echo \$! >'$BATS_TEST_TMPDIR/daemon.pid'; echo started"
	script global/20-after
	# A caller reading stdout to its end, as ssh does.
	start=$EPOCHREALTIME
	rc=0
	out=$(timeout 20 "${SH[@]}" "$PNS" start) || rc=$?
	kill "$(cat "$BATS_TEST_TMPDIR/daemon.pid")"
	[ "$rc" -eq 0 ]
	lt "$(elapsed "$start")" 10
	[[ $out == *"ok        global/20-after"* ]]
}

@test "a script that reads stdin gets end-of-file at once" {
	script global/10-read 'read -r line; echo "read: ${line:-nothing}"'
	run -0 timeout 20 "${SH[@]}" "$PNS" start
	grep -qx 'read: nothing' "$LOG"
}

@test "results go to syslog through one logger process per run" {
	need_ns mount
	for s in 10-a 20-b 30-c; do script "global/$s"; done
	logger=$(command -v logger || printf /usr/bin/logger)
	[ -e "$logger" ] || skip "no logger to stand in for"
	cat >"$BATS_TEST_TMPDIR/logger" <<-FAKE
	#!/bin/sh
	printf 'call %s\n' "\$*" >>'$BATS_TEST_TMPDIR/syslog'
	cat >>'$BATS_TEST_TMPDIR/syslog'
	FAKE
	chmod 755 "$BATS_TEST_TMPDIR/logger"
	run -0 unshare --mount sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' \
	    sh "$BATS_TEST_TMPDIR/logger" "$logger" "${SH[@]}" "$PNS" start
	[ "$(grep -c '^call' "$BATS_TEST_TMPDIR/syslog")" -eq 1 ]
	grep -q '^call -t pernode-services' "$BATS_TEST_TMPDIR/syslog"
	grep -q 'ok        global/30-c' "$BATS_TEST_TMPDIR/syslog"
}

# env_script: global/10-env, a bash script that records its environment,
# what "ls" is to it, and its shell options, in $BATS_TEST_TMPDIR/seen.
env_script() {
	mkdir -p "$ROOT/global"
	cat >"$ROOT/global/10-env" <<-SCRIPT
	#!/bin/bash
	{ env | LC_ALL=C sort; type -t ls; printf 'opts %s\n' "\$-"; } >'$BATS_TEST_TMPDIR/seen'
	SCRIPT
	chmod 755 "$ROOT/global/10-env"
}

@test "nothing the caller exported reaches a script, functions, BASH_ENV and SHELLOPTS included" {
	need bash
	env_script
	run -0 env -i PATH=/usr/bin:/bin PERNODE_ROOT="$ROOT" PERNODE_HOSTNAME=n059 \
	    PERNODE_RUNDIR="$RUN" PERNODE_LOG="$LOG" PERNODE_CONFIG="$PERNODE_CONFIG" \
	    "${SH[@]}" "$PNS" start
	mv "$BATS_TEST_TMPDIR/seen" "$BATS_TEST_TMPDIR/clean"
	printf 'printf "%%s\\n" "$0" >>%s/sourced\n' "$BATS_TEST_TMPDIR" >"$BATS_TEST_TMPDIR/bashenv"
	run -0 env 'BASH_FUNC_ls%%=() {  echo hijacked; }' \
	    BASH_ENV="$BATS_TEST_TMPDIR/bashenv" ENV="$BATS_TEST_TMPDIR/bashenv" \
	    SHELLOPTS=xtrace BASHOPTS=extglob CDPATH=/tmp GLOBIGNORE='*' \
	    LC_ALL=fr_FR.UTF-8 LANGUAGE=fr POSIXLY_CORRECT=1 FOO=stray \
	    "${SH[@]}" "$PNS" start
	cmp "$BATS_TEST_TMPDIR/clean" "$BATS_TEST_TMPDIR/seen"
	grep -qx file "$BATS_TEST_TMPDIR/seen"
	run ! grep -q 10-env "$BATS_TEST_TMPDIR/sourced"
	run ! grep -q '^+' "$LOG"
}

@test "GLOBIGNORE and IFS from the caller do not change which scripts run" {
	script global/10-a
	script 'global/20-b c'
	script n059/30-d
	env GLOBIGNORE='*' IFS=/ "${SH[@]}" "$PNS" start
	[ "$(trace)" = "global/10-a start
global/20-b c start
n059/30-d start" ]
}

@test "a rerun under another shell gives scripts the same environment" {
	command -v dash >/dev/null || skip "dash not installed"
	env_script
	run -0 "${SH[@]}" "$PNS" start
	mv "$BATS_TEST_TMPDIR/seen" "$BATS_TEST_TMPDIR/first"
	run -0 dash "$PNS" start
	cmp "$BATS_TEST_TMPDIR/first" "$BATS_TEST_TMPDIR/seen"
}

@test "where the shell cannot start itself again, exported names the runner uses are still removed" {
	script global/10-env "env >'$BATS_TEST_TMPDIR/env'"
	PERNODE_REEXEC=pernode-services line=leak name=leak exported=leak \
	    lib=leak shell=leak FOO=leak run -0 pns start
	run -1 grep -E '^(line|name|exported|lib|shell|FOO)=' "$BATS_TEST_TMPDIR/env"
}
