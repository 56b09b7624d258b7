#!/usr/bin/env bats
# waitOnFileUpdates: what counts as updated, the kinds of FILE, exit status 3.

load helpers

setup() {
	common_setup
}

@test "it exits 0 at once when every file is already updated" {
	touch a b c
	run -0 --separate-stderr "$WFU" -t 5 60 a b c
	[ -z "$stderr" ]
}

@test "it waits until every file, not just one, is updated" {
	old a b
	waiter -v -i 0.2 -m 0.2 -t 30 @1000000000 a b
	touch -d '2001-09-09 01:46:41' a
	first_round
	until_true 10 grep -q 'a: updated' err
	running
	touch b
	reap
	[ "$status" -eq 0 ]
	grep -q 'b: updated' err
}

@test "a missing file that appears is updated" {
	waiter -v -i 0.2 -m 0.2 -t 30 10 later
	first_round
	running
	printf 'x\n' >later
	reap
	[ "$status" -eq 0 ]
}

@test "a file replaced by mv (rename-over) is updated" {
	old target
	waiter -v -i 5 -m 5 -t 30 10 target
	first_round
	printf 'new\n' >tmp
	mv tmp target
	reap 3
	[ "$status" -eq 0 ]
}

@test "a file renamed into place with an old time stays not updated" {
	old target tmp
	mv tmp target
	run -1 --separate-stderr "$WFU" -t 0 10 target
	[[ $stderr == *"target: not updated" ]]
}

@test "a directory that gains an entry is updated, and quickly" {
	mkdir d
	old d
	waiter -v -i 5 -m 5 -t 30 10 d
	first_round
	t0=$EPOCHREALTIME
	touch d/entry
	reap 3
	[ "$status" -eq 0 ]
	lt "$(elapsed "$t0")" 0.5
}

@test "a symbolic link is judged by its target" {
	old target
	ln -s target link
	# The link itself is new, its target is not.
	run -1 "$WFU" -t 0 10 link
	touch target
	run -0 "$WFU" -t 0 10 link
}

@test "a change to a link's target in another directory wakes the waiter" {
	mkdir elsewhere
	old elsewhere/target
	ln -s elsewhere/target link
	waiter -v -i 5 -m 5 -t 30 10 link
	first_round
	t0=$EPOCHREALTIME
	printf 'x\n' >>elsewhere/target
	reap 3
	[ "$status" -eq 0 ]
	lt "$(elapsed "$t0")" 0.5
}

@test "a broken symbolic link is waited on until its target appears" {
	ln -s target link
	waiter -v -i 0.2 -m 0.2 -t 30 10 link
	first_round
	running
	touch target
	reap
	[ "$status" -eq 0 ]
}

@test "a path through a regular file can never be updated: exit 3 naming it" {
	touch plain
	run -3 --separate-stderr "$WFU" 10 plain/sub
	[ "$stderr" = "waitOnFileUpdates: plain/sub: Not a directory" ] ||
	    [[ $stderr == *": plain/sub: Not a directory" ]]
}

@test "a symbolic link loop can never be updated: exit 3 naming it" {
	ln -s loop loop
	run -3 --separate-stderr "$WFU" 10 loop
	[[ $stderr == *": loop: Too many levels of symbolic links" ]]
}

@test "a name too long can never be updated: exit 3 naming the reason" {
	long=$(printf '%0300d' 0)
	run -3 --separate-stderr "$WFU" 10 "$long"
	[[ $stderr == *": $long: File name too long" ]]
}

@test "a file in a directory that may not be searched: exit 3 naming it" {
	mkdir locked
	touch locked/f
	chmod 700 locked
	if [ "$(id -u)" -eq 0 ]; then
		need setpriv util-linux
		open_to_others
		chmod 000 locked
		run -3 --separate-stderr setpriv --reuid=65534 --regid=65534 \
		    --clear-groups "$WFU_OTHER" 10 locked/f
	else
		chmod 000 locked
		run -3 --separate-stderr "$WFU" 10 locked/f
	fi
	chmod 700 locked
	[[ $stderr == *": locked/f: Permission denied" ]]
}

@test "every file that can never be updated is named, not just the first" {
	touch plain
	ln -s loop loop
	run -3 --separate-stderr "$WFU" 10 plain/x missing loop
	[ "${#stderr_lines[@]}" -eq 2 ]
	[[ ${stderr_lines[0]} == *"plain/x: Not a directory" ]]
	[[ ${stderr_lines[1]} == *"loop: Too many levels of symbolic links" ]]
}

@test "10,000 FILE arguments work" {
	mkdir many
	( cd many && seq -f 'f%05g' 1 10000 | xargs touch )
	files=(many/*)
	[ "${#files[@]}" -eq 10000 ]
	run -0 "$WFU" -t 10 60 "${files[@]}"
	old many/f04711
	run -1 --separate-stderr "$WFU" -t 0 60 "${files[@]}"
	[ "$stderr" = "waitOnFileUpdates: many/f04711: not updated" ] ||
	    [[ $stderr == *": many/f04711: not updated" ]]
	[ "${#stderr_lines[@]}" -eq 1 ]
}

@test "paths with spaces, a newline, glob characters and a leading dash work" {
	nl=$'new\nline'
	touch 'with space' "$nl" '*?[x]' -- '-dash'
	run -0 "$WFU" -t 1 -- 60 'with space' "$nl" '*?[x]' -dash
	old -- -dash
	run -1 --separate-stderr "$WFU" -t 0 -- 60 'with space' -dash
	[[ $stderr == *": -dash: not updated" ]]
}

@test "on timeout, every file still not updated is named, one per line, in order" {
	old b d
	touch a c
	run -1 --separate-stderr "$WFU" -t 0.3 -i 0.1 60 a b c d e
	[ "${#stderr_lines[@]}" -eq 3 ]
	[[ ${stderr_lines[0]} == *": b: not updated" ]]
	[[ ${stderr_lines[1]} == *": d: not updated" ]]
	# (e never existed: said to be missing, not stale.)
	[[ ${stderr_lines[2]} == *": e: no such file" ]]
	[ -z "$output" ]
}

@test "the timeout is honoured while sleeping a long interval" {
	old f
	t0=$EPOCHREALTIME
	run -1 "$WFU" -t 1 -i 30 60 f
	ge "$(elapsed "$t0")" 1
	lt "$(elapsed "$t0")" 5
}

@test "-v reports each file as it is marked" {
	touch a b
	run -0 --separate-stderr "$WFU" -v 60 a b
	[[ ${stderr_lines[0]} == *": a: updated" ]]
	[[ ${stderr_lines[1]} == *": b: updated" ]]
	[ "${#stderr_lines[@]}" -eq 2 ]
}
