#!/usr/bin/env bats
# pernode-watch: the scripts it runs, their deadlines, its requests and
# replies, driven as the runner drives it (fields ended by NUL bytes on
# its stdin, replies read from its stdout).

load helpers

# make check sets WATCH to the sanitizer build for its second pass.
: "${WATCH:=src/pernode-watch}"
case $WATCH in /*) ;; *) WATCH=$TOP/$WATCH ;; esac
# The name err(3) gives the program: the last part of the name it was run
# by (pernode-watch-asan for the sanitizer build).
name=${WATCH##*/}

setup() {
	common_setup
	[ -x "$WATCH" ] || { printf '%s not built: make %s\n' "$WATCH" "${WATCH#"$TOP"/}"; false; }
	T=$BATS_TEST_TMPDIR
	pid=
}

# A watcher left in the background by a failed test is ended, and the
# fifo's writer (fd 4) closed.
teardown() {
	exec 4>&-
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -9 "$pid" 2>/dev/null
	fi
	if [ -s "$T/daemon.pid" ]; then
		kill -9 "$(cat "$T/daemon.pid")" 2>/dev/null || true
	fi
}

# script NAME [BODY]: an executable shell script $T/NAME running BODY.
script() {
	printf '#!/bin/sh\n%s\n' "${2:-}" >"$T/$1"
	chmod 755 "$T/$1"
}

# digest FILE: what cksum(1) says of FILE, as "CRC-SIZE".
digest() {
	local crc size
	read -r crc size _ < <(cksum <"$1")
	printf '%s-%s\n' "$crc" "$size"
}

# requests FIELD...: the fields, each ended by NUL, in $T/req.
requests() {
	printf '%s\0' "$@" >"$T/req"
}

# watch ARG...: the watcher with $T/req on stdin, under bats' run, with
# stdout and stderr apart; bounded, so that a hang fails the test (by
# KILL: the watcher ignores TERM).
watch() {
	run --separate-stderr timeout -s KILL 60 "$WATCH" "$@" <"$T/req" 3>&-
}

# start_watch ARG...: the watcher in the background, its requests from
# the fifo $T/in, held open on fd 4 (send writes there), its replies in
# $T/out and its stderr in $T/err.  Sets $pid.
start_watch() {
	mkfifo "$T/in"
	"$WATCH" "$@" <"$T/in" >"$T/out" 2>"$T/err" 3>&- 4>&- &
	pid=$!
	exec 4>"$T/in"
}

send() {
	printf '%s\0' "$@" >&4
}

# replied REGEX [N]: wait (bounded) until N replies (1) are whole lines
# matching REGEX.
replied() {
	until_true 20 replies "$1" "${2:-1}" ||
	    { printf 'no reply /%s/ in:\n%s\n' "$1" "$(cat "$T/out")"; false; }
}

replies() {
	[ "$(grep -cxE "$1" "$T/out")" -ge "$2" ]
}

# stop_watch: the end of input; waits (bounded) for the watcher to exit.
stop_watch() {
	exec 4>&-
	reap 30
}

gone() {
	! kill -0 "$1" 2>/dev/null
}

# The centiseconds of the reply of SEQ in $output.
centiseconds() {
	printf '%s\n' "$output" | awk -v seq="$1" '$1 == "end" && $2 == seq { print $4 }'
}

# bad_request MESSAGE REQUEST: REQUEST (a printf format: \0 ends a field),
# sent after the run of a script that lasts 0.5 s, is a bad request named
# by MESSAGE, after which no request is read: the script running still
# gets its reply, and the run of SEQ 9 that follows does not happen.
bad_request() {
	local message=$1
	shift
	script long 'sleep 0.5'
	script nine 'echo nine ran'
	{
		printf '%s\0' run 1 "$T/long" x
		# shellcheck disable=SC2059 # the request is the format: \0, \n
		printf "$1"
		printf '%s\0' run 9 "$T/nine" x
	} >"$T/req"
	watch -b "$T"
	[ "$status" -eq 2 ] || { printf 'status %s: %s\n' "$status" "$stderr"; false; }
	[ "$stderr" = "$name: $message" ] || { printf 'stderr: %s\n' "$stderr"; false; }
	[[ $output =~ ^end\ 1\ 0\ [0-9]+\ -\ [0-9]+-[0-9]+$ ]]
}

@test "a script's exit status is in its reply, with its time and no limit" {
	script a 'echo "a got $1"; sleep 0.3; exit 3'
	requests run 1 "$T/a" start
	watch -t 30
	[ "$status" -eq 0 ]
	[[ $output =~ ^end\ 1\ 3\ [0-9]+\ -\ [0-9]+-[0-9]+$ ]]
	cs=$(centiseconds 1)
	[ "$cs" -ge 30 ]
	[ "$cs" -lt 3000 ]
	[ "$stderr" = "a got start" ]
}

@test "a script killed by signal N ends with 128+N" {
	script a 'kill -USR1 $$; sleep 5'
	script b 'kill -9 $$'
	requests run 1 "$T/a" x run 2 "$T/b" x
	watch
	[ "$status" -eq 0 ]
	[[ $output == *"end 1 138 "*" -"* ]]
	[[ $output == *"end 2 137 "*" -"* ]]
}

@test "no limit without -t or with -t 0: a script runs to its end" {
	script a 'sleep 1.2; exit 5'
	requests run 1 "$T/a" x
	watch -t 0 -k 1
	[ "$status" -eq 0 ]
	[[ $output =~ ^end\ 1\ 5\ [0-9]+\ -\ [0-9]+-[0-9]+$ ]]
	[ "$(centiseconds 1)" -ge 120 ]
	watch
	[[ $output =~ ^end\ 1\ 5\ [0-9]+\ -\ [0-9]+-[0-9]+$ ]]
}

@test "a script reads /dev/null, and its output and errors go to the watcher's stderr" {
	script a '[ "$(readlink /proc/$$/fd/0)" = /dev/null ] || exit 9
		if read -r line; then echo "read $line"; exit 8; fi
		echo "$1 to stdout"; echo "$1 to stderr" >&2'
	# What follows the run in the input is a request, not the script's.
	requests run 1 "$T/a" x run 2 "$T/a" y
	watch
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ $output == *"end 1 0 "* && $output == *"end 2 0 "* ]]
	# (The two run at once: their lines may come in any order.)
	[ "$(sort <<<"$stderr")" = "$(printf 'x to stderr\nx to stdout\ny to stderr\ny to stdout')" ]
}

@test "each script runs in a process group of its own" {
	# The fields of /proc/PID/stat after the command's name: state, ppid,
	# pgrp.
	script a 'pgrp=$(sed "s/.*) //" /proc/$$/stat | cut -d " " -f 3)
		echo "pid $$ pgrp $pgrp"
		[ "$pgrp" = $$ ]'
	requests run 1 "$T/a" x run 2 "$T/a" x
	watch
	[[ $output == *"end 1 0 "* && $output == *"end 2 0 "* ]]
	[ "${#stderr_lines[@]}" -eq 2 ]
	[ "${stderr_lines[0]}" != "${stderr_lines[1]}" ]
}

@test "a script gets every signal at its default, though the watcher and its runner ignore some" {
	script mask 'grep "^SigIgn:" /proc/$$/status'
	script term 'kill -TERM $$; sleep 5; exit 0'
	script hup 'kill -HUP $$; sleep 5; exit 0'
	script usr1 'kill -USR1 $$; sleep 5; exit 0'
	requests run 1 "$T/mask" x run 2 "$T/term" x run 3 "$T/hup" x run 4 "$T/usr1" x
	# The runner ignores USR1 and QUIT; the watcher itself ignores HUP,
	# INT, TERM and PIPE.
	run --separate-stderr timeout -s KILL 60 bash -c 'trap "" USR1 QUIT; exec "$1" <"$2"' \
	    sh "$WATCH" "$T/req" 3>&-
	[ "$status" -eq 0 ]
	[ "$stderr" = "$(printf 'SigIgn:\t0000000000000000')" ]
	[[ $output == *"end 1 0 "* ]]
	[[ $output == *"end 2 143 "* ]]
	[[ $output == *"end 3 129 "* ]]
	[[ $output == *"end 4 138 "* ]]
}

# leaked SCRIPT LISTING: the descriptors above 2 that the listings of
# `ls -l /proc/PID/fd` in LISTING show, but the shell's own on its script
# file SCRIPT, as "N TARGET".
leaked() {
	sed -n 's/^.* \([0-9][0-9]*\) -> \(.*\)$/\1 \2/p' <<<"$2" |
	    awk -v script="$1" '$1 > 2 && $2 != script'
}

@test "no descriptor above 2 is open in a script: neither the watcher's own nor those it inherited" {
	# The watcher inherits 3 (bats'), 5, 9 and 20; with -b it holds a
	# buffer file a script.
	script fds 'ls -l /proc/$$/fd'
	requests run 1 "$T/fds" x run 2 "$T/fds" x run 3 "$T/fds" x
	: >"$T/five" && : >"$T/nine" && : >"$T/twenty"
	run --separate-stderr "$WATCH" -t 30 <"$T/req" 5<"$T/five" 9>>"$T/nine" 20<"$T/twenty"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "$(grep -c ' 0 -> /dev/null$' <<<"$stderr")" -eq 3 ]
	[ -z "$(leaked "$T/fds" "$stderr")" ] || { leaked "$T/fds" "$stderr"; false; }
	mkdir "$T/buffers"
	run --separate-stderr "$WATCH" -b "$T/buffers" <"$T/req" 5<"$T/five" 9>>"$T/nine" 20<"$T/twenty"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "$(grep -c ' 0 -> /dev/null$' <<<"$stderr")" -eq 3 ]
	[ -z "$(leaked "$T/fds" "$stderr")" ] || { leaked "$T/fds" "$stderr"; false; }
	# The check sees a descriptor left open.
	run "$T/fds" 7<"$T/five"
	leaked "$T/fds" "$output" | grep -qx "7 $T/five"
}

@test "a file without #! is run by /bin/sh, with its argument" {
	printf 'echo "ran with $1"\nexit 4\n' >"$T/plain"
	chmod 755 "$T/plain"
	requests run 1 "$T/plain" start
	watch
	[ "$status" -eq 0 ]
	[[ $output =~ ^end\ 1\ 4\ [0-9]+\ -\ [0-9]+-[0-9]+$ ]]
	[ "$stderr" = "ran with start" ]
}

@test "each end gives the digest cksum gives of the content started, a link's target's, whatever its size" {
	script empty
	: >"$T/empty"
	script big 'exit 0'
	head -c 100000 /dev/urandom | base64 | sed 's/^/# /' >>"$T/big"
	printf '#!/bin/sh\nexit 0\n# \001\377\000 bytes\n' >"$T/bytes"
	chmod 755 "$T/bytes"
	ln -s big "$T/link"
	requests run 1 "$T/empty" x run 2 "$T/big" x run 3 "$T/bytes" x run 4 "$T/link" x
	watch
	[ "$status" -eq 0 ]
	[[ $output == *"end 1 0 "*" - 4294967295-0"* ]]
	[[ $output == *"end 2 0 "*" - $(digest "$T/big")"* ]]
	[[ $output == *"end 3 0 "*" - $(digest "$T/bytes")"* ]]
	[[ $output == *"end 4 0 "*" - $(digest "$T/big")"* ]]
	[ "$(digest "$T/big")" != "$(digest "$T/bytes")" ]
}

@test "a FIFO in a script's place ends with 126 and no digest, and never holds the watcher" {
	mkfifo -m 755 "$T/fifo"
	requests run 1 "$T/fifo" x
	watch
	[ "$status" -eq 0 ]
	[ "$output" = 'end 1 126 0 - -' ]
}

@test "a missing path ends with 127 and a message naming it; a file that cannot be run with 126" {
	printf '#!/bin/sh\necho ran\n' >"$T/not-x"
	chmod 644 "$T/not-x"
	mkdir "$T/dir"
	requests run 1 "$T/missing" x run 2 "$T/not-x" x run 3 "$T/dir" x
	watch
	[ "$status" -eq 0 ]
	[[ $output == *"end 1 127 0 - -"* ]]
	[[ $output == *"end 2 126 0 - $(digest "$T/not-x")"* ]]
	[[ $output == *"end 3 126 0 - -"* ]]
	[[ $stderr == *"$name: $T/missing: No such file or directory"* ]]
	[[ $stderr == *"$name: $T/not-x: Permission denied"* ]]
	[[ $stderr == *"$name: $T/dir: Permission denied"* ]]
	[[ $stderr != *ran* ]]
}

@test "a script whose #! interpreter is missing ends with 127, and the message says it is the interpreter" {
	printf '#!/nonexistent/interpreter\necho ran\n' >"$T/badint"
	chmod 755 "$T/badint"
	requests run 1 "$T/badint" x
	watch
	[ "$status" -eq 0 ]
	[[ $output == *"end 1 127 0 - $(digest "$T/badint")"* ]]
	[[ $stderr == *"$name: $T/badint: the interpreter of its #! line is missing"* ]]
}

@test "a script that cannot start is an ended one: its SEQ free again, its message flushed with -b" {
	script a 'echo "a ran with $1"'
	# Without -b: SEQ 1 at once free again, and the end of input not kept
	# waiting for a script that never ran.
	requests run 1 "$T/missing" x run 1 "$T/a" again
	watch
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'end 1 127 0 - -\nend 1 0 %s - %s' "$(centiseconds 1 | tail -n 1)" "$(digest "$T/a")")" ]
	[ "$stderr" = "$(printf '%s: %s: No such file or directory\na ran with again' "$name" "$T/missing")" ]
	# With -b: the message is in its buffer, until flushed.
	mkdir "$T/buffers"
	start_watch -b "$T/buffers"
	send run 1 "$T/missing" x
	replied 'end 1 127 0 - -'
	send run 2 "$T/a" two
	replied 'end 2 0 [0-9]+ - [0-9]+-[0-9]+'
	[ ! -s "$T/err" ]
	send flush 1
	replied 'flushed 1'
	[ "$(cat "$T/err")" = "$name: $T/missing: No such file or directory" ]
	send run 1 "$T/a" one
	replied 'end 1 0 [0-9]+ - [0-9]+-[0-9]+'
	stop_watch
	[ "$status" -eq 0 ]
	# 2 and the second 1, never flushed, at the end in SEQ order.
	[ "$(cat "$T/err")" = "$(printf '%s\n' "$name: $T/missing: No such file or directory" "a ran with one" "a ran with two")" ]
}

@test "at its deadline a script and what it started in its group get TERM: 124, term" {
	script a 'sleep 60 & echo $! >"'"$T"'/child.pid"; wait'
	requests run 1 "$T/a" x
	watch -t 1
	[ "$status" -eq 0 ]
	[[ $output =~ ^end\ 1\ 124\ [0-9]+\ term\ [0-9]+-[0-9]+$ ]]
	cs=$(centiseconds 1)
	[ "$cs" -ge 100 ]
	[ "$cs" -lt 3000 ]
	until_true 10 gone "$(cat "$T/child.pid")"
}

@test "a stopped script still gets its TERM at the deadline" {
	script a 'kill -STOP $$; exit 0'
	requests run 1 "$T/a" x
	watch -t 1
	[ "$status" -eq 0 ]
	[[ $output =~ ^end\ 1\ 124\ [0-9]+\ term\ [0-9]+-[0-9]+$ ]]
}

@test "a script that ignores TERM gets KILL -k seconds later: 137, kill" {
	# Its group's sleeps die of the TERM; the loop starts more.
	script a 'trap "" TERM; while :; do sleep 0.1; done'
	requests run 1 "$T/a" x
	watch -t 1 -k 1
	[ "$status" -eq 0 ]
	[[ $output =~ ^end\ 1\ 137\ [0-9]+\ kill\ [0-9]+-[0-9]+$ ]]
	cs=$(centiseconds 1)
	[ "$cs" -ge 200 ]
	[ "$cs" -lt 3000 ]
}

@test "a script that ends after its TERM is still 124, term, without a KILL" {
	script a 'trap "exit 0" TERM; sleep 60 & wait'
	requests run 1 "$T/a" x
	watch -t 1 -k 30
	[ "$status" -eq 0 ]
	[[ $output =~ ^end\ 1\ 124\ [0-9]+\ term\ [0-9]+-[0-9]+$ ]]
	[ "$(centiseconds 1)" -lt 3000 ]
}

@test "a daemon the script detached with setsid survives its deadline" {
	command -v setsid >/dev/null || skip "setsid not installed (package util-linux)"
	script a 'setsid sh -c "echo \$\$ >'"$T"'/daemon.pid; exec sleep 60" </dev/null >/dev/null 2>&1 &
		sleep 60'
	requests run 1 "$T/a" x
	watch -t 1
	[ "$status" -eq 0 ]
	[[ $output =~ ^end\ 1\ 124\ [0-9]+\ term\ [0-9]+-[0-9]+$ ]]
	until_true 10 test -s "$T/daemon.pid"
	kill -0 "$(cat "$T/daemon.pid")"
}

@test "members left in a script's group after it ended are left alone" {
	script a 'sleep 60 >/dev/null 2>&1 & echo $! >"'"$T"'/daemon.pid"; exit 0'
	start_watch -t 1 -k 1
	send run 1 "$T/a" x
	replied 'end 1 0 [0-9]+ - [0-9]+-[0-9]+'
	# The watcher still running, well past the deadline and its KILL.
	sleep 2.5
	kill -0 "$pid"
	kill -0 "$(cat "$T/daemon.pid")"
	stop_watch
	[ "$status" -eq 0 ]
}

@test "several scripts run at once, and the replies come in the order they end" {
	# Each says it started, then waits for its go file.
	script gate 'echo "started $1"; while [ ! -e "'"$T"'/go.$1" ]; do sleep 0.05; done; exit $1'
	start_watch -t 60
	send run 1 "$T/gate" 1 run 2 "$T/gate" 2 run 3 "$T/gate" 3
	until_true 20 eval '[ "$(grep -c started "$T/err")" -eq 3 ]'
	[ ! -s "$T/out" ]
	for n in 2 3 1; do
		: >"$T/go.$n"
		replied "end $n $n [0-9]+ - [0-9]+-[0-9]+"
	done
	stop_watch
	[ "$status" -eq 0 ]
	[ "$(cut -d ' ' -f 2 "$T/out" | tr '\n' ' ')" = "2 3 1 " ]
}

@test "with -b a script's output is held until flush, then appended whole, in the order flushed" {
	mkdir "$T/buffers"
	script a 'echo "$1: one"; echo "$1: two" >&2; echo "$1: three"'
	start_watch -b "$T/buffers"
	send run 1 "$T/a" first run 2 "$T/a" second
	replied 'end 1 0 [0-9]+ - [0-9]+-[0-9]+'
	replied 'end 2 0 [0-9]+ - [0-9]+-[0-9]+'
	[ ! -s "$T/err" ]
	# The buffers are unlinked: nothing shows in DIR.
	[ -z "$(ls -A "$T/buffers")" ]
	send flush 2
	replied 'flushed 2'
	[ "$(cat "$T/err")" = "$(printf 'second: one\nsecond: two\nsecond: three')" ]
	send flush 1
	replied 'flushed 1'
	[ "$(cat "$T/err")" = "$(printf 'second: one\nsecond: two\nsecond: three\nfirst: one\nfirst: two\nfirst: three')" ]
	# A flushed SEQ is free again.
	send run 2 "$T/a" again
	replied 'end 2 0 [0-9]+ - [0-9]+-[0-9]+' 2
	send flush 2
	replied 'flushed 2'
	stop_watch
	[ "$status" -eq 0 ]
	[ "$(tail -n 1 "$T/err")" = "again: three" ]
	[ "$(wc -l <"$T/out")" -eq 6 ]
}

@test "buffers never flushed are appended at the end of input, in SEQ order" {
	mkdir "$T/buffers"
	script a 'echo "$1 out"; echo "$1 err" >&2'
	requests run 3 "$T/a" three run 1 "$T/a" one run 12 "$T/a" twelve run 2 "$T/a" two
	watch -b "$T/buffers"
	[ "$status" -eq 0 ]
	[ "$stderr" = "$(printf '%s\n' "one out" "one err" "two out" "two err" \
	    "three out" "three err" "twelve out" "twelve err")" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "quiet sends later scripts' output and the watcher's own messages to /dev/null" {
	script a 'echo "$1 says"'
	requests run 1 "$T/a" before quiet run 2 "$T/a" after run 3 "$T/missing" x frob
	watch
	[ "$status" -eq 2 ]
	[ "$stderr" = "before says" ]
	[[ $output == *"end 1 0 "* && $output == *"end 2 0 "* && $output == *"end 3 127 "* ]]
	# With -b, the buffers not flushed are let go; flush still answers.
	mkdir "$T/buffers"
	start_watch -b "$T/buffers"
	send run 1 "$T/a" held
	replied 'end 1 0 [0-9]+ - [0-9]+-[0-9]+'
	send quiet run 2 "$T/a" later
	replied 'end 2 0 [0-9]+ - [0-9]+-[0-9]+'
	send flush 1
	replied 'flushed 1'
	stop_watch
	[ "$status" -eq 0 ]
	[ ! -s "$T/err" ]
}

@test "each bad request is named in one line, stops the requests, and exits 2 once the running scripts end" {
	bad_request "unknown request 'frob'" 'frob\0'
	bad_request "unknown request 'fr\\012ob\\134'" 'fr\nob\\\0'
	bad_request "unknown request ''" '\0'
	bad_request "run: SEQ 'x': not a whole number" 'run\0x\0/bin/true\0y\0'
	bad_request "run: SEQ '': empty number" 'run\0\0/bin/true\0y\0'
	bad_request "run: SEQ '-2': not a whole number" 'run\0-2\0/bin/true\0y\0'
	bad_request "run: SEQ '+2': not a whole number" 'run\0+2\0/bin/true\0y\0'
	bad_request "run: SEQ '2x': not a whole number" 'run\0002x\0/bin/true\0y\0'
	bad_request "run: SEQ '0': must be at least 1" 'run\0000\0/bin/true\0y\0'
	bad_request "run: SEQ '99999999999999999999': number out of range" \
	    'run\00099999999999999999999\0/bin/true\0y\0'
	bad_request "run: SEQ 1 is in use" 'run\0001\0/bin/true\0y\0'
	bad_request "flush: SEQ 1 is still running" 'flush\0001\0'
	bad_request "flush: SEQ 7 is unknown" 'flush\0007\0'
	bad_request "flush: SEQ 'z': not a whole number" 'flush\0z\0'
	long=$(printf '%05000d' 0)
	bad_request "run: PATH longer than 4096 bytes" "run\\0002\\0$long\\0y\\0"
	bad_request "request: WORD longer than 4096 bytes" "$long\\0"
}

@test "a flush without -b is a bad request" {
	script a 'exit 0'
	requests run 1 "$T/a" x flush 1 run 2 "$T/a" x
	watch
	[ "$status" -eq 2 ]
	[ "$stderr" = "$name: flush: nothing is buffered without -b" ]
	[[ $output =~ ^end\ 1\ 0\ [0-9]+\ -\ [0-9]+-[0-9]+$ ]]
}

@test "input that ends in the middle of a request is a bad request" {
	script a 'exit 0'
	for tail in 'run' 'run\0' 'run\0002\0' 'run\0002\0/bin/true\0' 'flush\0' 'fl'; do
		# shellcheck disable=SC2059 # the request is the format: \0
		{ printf '%s\0' run 1 "$T/a" x; printf "$tail"; } >"$T/req"
		watch
		[ "$status" -eq 2 ]
		[ "$stderr" = "$name: input ends in the middle of a request" ]
		[[ $output =~ ^end\ 1\ 0\ [0-9]+\ -\ [0-9]+-[0-9]+$ ]]
	done
}

@test "each bad option or value is named in one line, with exit 2" {
	: >"$T/req"
	: >"$T/file"
	check() {
		local message=$1
		shift
		watch "$@"
		[ "$status" -eq 2 ] || { printf '%s: status %s\n' "$*" "$status"; false; }
		[ "$stderr" = "$name: $message" ] || { printf '%s: %s\n' "$*" "$stderr"; false; }
		[ -z "$output" ]
	}
	check "-x: unknown option" -x
	check "-\\012: unknown option" $'-\n'
	check "-t: missing SECONDS" -t
	check "-k: missing SECONDS" -k
	check "-b: missing DIR" -b
	check "-t 'abc': not a whole number" -t abc
	check "-t '1.5': not a whole number" -t 1.5
	check "-t '-1': not a whole number" -t -1
	check "-t ' 1': not a whole number" -t ' 1'
	check "-t '': empty number" -t ''
	check "-k '2147483648': number out of range" -k 2147483648
	check "-t '99999999999999999999': number out of range" -t 99999999999999999999
	check "-b '$T/none': No such file or directory" -b "$T/none"
	check "-b '$T/file': Not a directory" -b "$T/file"
	check "'extra': unexpected operand" -t 1 extra
	# Good values are taken.
	watch -t 2147483647 -k 0 -b "$T"
	[ "$status" -eq 0 ]
}

@test "at the end of input the watcher waits for running scripts, keeps their deadline, and exits 0" {
	script quick 'sleep 0.5; echo quick done'
	script slow 'sleep 60'
	requests run 1 "$T/quick" x run 2 "$T/slow" x
	start=$EPOCHREALTIME
	watch -t 2 -k 1
	[ "$status" -eq 0 ]
	[[ ${lines[0]} =~ ^end\ 1\ 0\ [0-9]+\ -\ [0-9]+-[0-9]+$ ]]
	[[ ${lines[1]} =~ ^end\ 2\ 124\ [0-9]+\ term\ [0-9]+-[0-9]+$ ]]
	[ "$stderr" = "quick done" ]
	ge "$(elapsed "$start")" 2
}

@test "TERM, HUP and INT to the watcher leave it and its scripts running" {
	script gate 'echo started; while [ ! -e "'"$T"'/go" ]; do sleep 0.05; done; echo finished'
	start_watch
	send run 1 "$T/gate" x
	until_true 10 grep -q started "$T/err"
	kill -TERM "$pid"
	kill -HUP "$pid"
	kill -INT "$pid"
	sleep 0.5
	kill -0 "$pid"
	: >"$T/go"
	replied 'end 1 0 [0-9]+ - [0-9]+-[0-9]+'
	stop_watch
	[ "$status" -eq 0 ]
	[ "$(cat "$T/err")" = "$(printf 'started\nfinished')" ]
}

@test "a runner killed mid-script kills neither the watcher nor its scripts" {
	script gate 'echo started; while [ ! -e "'"$T"'/go" ]; do sleep 0.05; done; echo finished; exit 5'
	mkfifo "$T/in" "$T/out"
	"$WATCH" -t 60 <"$T/in" >"$T/out" 2>"$T/err" 3>&- &
	pid=$!
	# The runner: writes a request, holds the reply pipe, never reads it.
	bash -c 'exec 4>"$1" 5<"$2"; printf "%s\0" run 1 "$3" x >&4; exec sleep 60' \
	    sh "$T/in" "$T/out" "$T/gate" 3>&- &
	runner=$!
	until_true 10 grep -q started "$T/err"
	kill -9 "$runner"
	wait "$runner" || true
	sleep 0.3
	kill -0 "$pid"
	: >"$T/go"
	# The reply meets a closed pipe (EPIPE, not SIGPIPE); the watcher exits 0.
	reap 30
	[ "$status" -eq 0 ]
	[ "$(cat "$T/err")" = "$(printf 'started\nfinished')" ]
}

@test "N scripts cost exactly N process creations, and one without #! two (strace)" {
	command -v strace >/dev/null || skip "strace not installed (package strace)"
	strace -f -qq -o /dev/null true 2>/dev/null ||
	    skip "strace cannot trace here (ptrace refused)"
	script noop 'exit 0'
	printf '%s\n' 'exit 0' >"$T/plain"
	chmod 755 "$T/plain"
	: >"$T/req"
	for n in $(seq 1 20); do printf '%s\0' run "$n" "$T/noop" x >>"$T/req"; done
	for n in $(seq 21 25); do printf '%s\0' run "$n" "$T/plain" x >>"$T/req"; done
	# LeakSanitizer cannot run under ptrace, and would clone a thread.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    run --separate-stderr strace -f -qq -e trace=process -o "$T/trace" \
	    "$WATCH" -t 30 <"$T/req"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 25 ]
	[ "$(grep -c '^end [0-9]* 0 ' <<<"$output")" -eq 25 ]
	grep -E ' (clone3?|v?fork)\(' "$T/trace" >"$T/creations" || true
	# glibc's posix_spawn fails a file without #! (ENOEXEC) in a process
	# of its own, which it reaps; the watcher's /bin/sh is a second one.
	[ "$(wc -l <"$T/creations")" -eq 30 ] || { cat "$T/trace"; false; }
	[ "$(grep -c 'ENOEXEC' "$T/trace")" -eq 5 ] || { cat "$T/trace"; false; }
}

@test "a spawn that fails is said in the script's output and replied as 126" {
	command -v setpriv >/dev/null || skip "setpriv not installed (package util-linux)"
	[ "$(id -u)" -eq 0 ] || skip "needs root (to run as a user held to one process)"
	[ -z "$(ps -o pid= -u 65534)" ] || skip "user 65534 has processes running"
	# A copy user 65534 can reach, run by it and held to one process: its
	# own.
	d=$T
	while [ "$d" != / ] && [ "${#d}" -ge "${#BATS_RUN_TMPDIR}" ]; do
		chmod o+x "$d"
		d=${d%/*}
	done
	cp "$WATCH" "$T/watch"
	chmod 755 "$T/watch"
	script a 'echo ran'
	requests run 1 "$T/a" x run 2 "$T/a" x
	# LeakSanitizer would fork at exit, which fails too.
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
	    bash -c 'ulimit -u 1 && exec "$1" <"$2"' sh "$T/watch" "$T/req"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'end 1 126 0 - %s\nend 2 126 0 - %s' "$(digest "$T/a")" "$(digest "$T/a")")" ]
	[ "$stderr" = "$(printf 'watch: %s: Resource temporarily unavailable\n' "$T/a" "$T/a")" ]
	# With -b, the message is in the script's buffer.
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
	    bash -c 'ulimit -u 1 && exec "$1" -b /tmp <"$2"' sh "$T/watch" "$T/req"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'end 1 126 0 - %s\nend 2 126 0 - %s' "$(digest "$T/a")" "$(digest "$T/a")")" ]
	[ "$stderr" = "$(printf 'watch: %s: Resource temporarily unavailable\n' "$T/a" "$T/a")" ]
}
