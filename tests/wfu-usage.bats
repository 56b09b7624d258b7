#!/usr/bin/env bats
# waitOnFileUpdates: the command line, its errors and exit status 2.

load helpers

setup() {
	common_setup
	old present
}

synopsis='usage: waitOnFileUpdates [-v] [-p] [-t TIMEOUT] [-i INTERVAL] [-m MAXINTERVAL] [-s SETTLE] THRESHOLD FILE...'

@test "--help and -h print the synopsis on stdout and exit 0" {
	run -0 --separate-stderr "$WFU" --help
	[ "$output" = "$synopsis" ]
	[ -z "$stderr" ]
	run -0 --separate-stderr "$WFU" -h
	[ "$output" = "$synopsis" ]
}

@test "the synopsis in --help is the one in the man page" {
	command -v mandoc >/dev/null || skip "mandoc not installed (apt-get install mandoc)"
	man=$(mandoc -T ascii -O width=300 "$TOP/src/waitOnFileUpdates.1" |
	    col -b | sed -n '/^SYNOPSIS/{n;s/^ *//;p;}')
	[ "usage: $man" = "$synopsis" ]
}

@test "--version prints the version from the Makefile" {
	version=$(sed -n 's/^VERSION = //p' "$TOP/Makefile")
	run -0 "$WFU" --version
	[ "$output" = "waitOnFileUpdates $version" ]
}

@test "no THRESHOLD is a usage error naming what is missing" {
	run -2 --separate-stderr "$WFU"
	[[ ${stderr_lines[0]} == *"missing THRESHOLD" ]]
	[ "${stderr_lines[1]}" = "$synopsis" ]
}

@test "a THRESHOLD without FILE is a usage error naming what is missing" {
	run -2 --separate-stderr "$WFU" 300
	[[ ${stderr_lines[0]} == *"missing FILE" ]]
}

# The name err(3) gives the program in every other message: the last part
# of the name it was run by (waitOnFileUpdates-asan for the sanitizer
# build).
name=${WFU##*/}

@test "an unknown option is a usage error naming it, then the synopsis" {
	run -2 --separate-stderr "$WFU" -x 300 present
	[ "${stderr_lines[0]}" = "$name: -x: unknown option" ]
	[ "${stderr_lines[1]}" = "$synopsis" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
	[ -z "$output" ]
	run -2 --separate-stderr "$WFU" --frobnicate 300 present
	[ "${stderr_lines[0]}" = "$name: --frobnicate: unknown option" ]
	[ "${stderr_lines[1]}" = "$synopsis" ]
	run -2 --separate-stderr "$WFU" --frobnicate=3 300 present
	[ "${stderr_lines[0]}" = "$name: --frobnicate: unknown option" ]
	# In a group of options, before or after a good one, and after the
	# operands (getopt_long takes options from anywhere).
	for args in '-vx 300 present' '-xv 300 present' '-p -Vp 300 present' \
	    '300 present -x'; do
		read -ra a <<<"$args"
		run -2 --separate-stderr "$WFU" "${a[@]}"
		[[ ${stderr_lines[0]} == "$name: -"[xV]": unknown option" ]]
	done
	# Whatever the byte, the message is one line.
	run -2 --separate-stderr "$WFU" $'-\n' 300 present
	[ "${stderr_lines[0]}" = "$name: -\\012: unknown option" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
}

@test "a long option given an argument it does not take is a usage error" {
	run -2 --separate-stderr "$WFU" --help=yes
	[ "${stderr_lines[0]}" = "$name: --help: takes no argument" ]
	[ "${stderr_lines[1]}" = "$synopsis" ]
	[ -z "$output" ]
	run -2 --separate-stderr "$WFU" --version=1
	[ "${stderr_lines[0]}" = "$name: --version: takes no argument" ]
}

@test "an option missing its argument is a usage error naming what is missing" {
	for opt in t:TIMEOUT i:INTERVAL m:MAXINTERVAL s:SETTLE; do
		run -2 --separate-stderr "$WFU" 300 present "-${opt%:*}"
		[ "${stderr_lines[0]}" = "$name: -${opt%:*}: missing ${opt#*:}" ]
		[ "${stderr_lines[1]}" = "$synopsis" ]
		[ "${#stderr_lines[@]}" -eq 2 ]
	done
	run -2 --separate-stderr "$WFU" -t
	[ "${stderr_lines[0]}" = "$name: -t: missing TIMEOUT" ]
}

@test "every usage error starts with the program's name, as its other messages do" {
	run -1 --separate-stderr "$WFU" -t 0 0 nosuch
	[[ $stderr == "$name: "* ]]
	for args in '-x 0 present' '--frobnicate 0 present' '--help=x' \
	    '0 present -t' '-i' '-t 5x 0 present' '-i 0 0 present' '' '300' \
	    'soon present'; do
		read -ra a <<<"$args"
		run -2 --separate-stderr "$WFU" "${a[@]}"
		[[ ${stderr_lines[0]} == "$name: "* ]] ||
		    { printf '%s: %s\n' "$args" "${stderr_lines[0]}"; false; }
	done
}

@test "every number option refuses empty, signed, junk, NaN, inf and overflowing values in one line" {
	for opt in -t -i -m -s; do
		for bad in '' '-1' '+1' ' 1' '1 ' '1s' '0x10' '1e3' '1.2.3' '.' \
		    nan NaN inf infinity 99999999999999999999999 \
		    9223372036854775808; do
			run -2 --separate-stderr "$WFU" "$opt" "$bad" 300 present
			[ "${#stderr_lines[@]}" -eq 1 ]
			[[ $stderr == *"$opt '$bad': "* ]]
			[ -z "$output" ]
		done
	done
}

@test "the reason names the kind of bad number" {
	run -2 --separate-stderr "$WFU" -t '' 0 present
	[[ $stderr == *"empty number" ]]
	run -2 --separate-stderr "$WFU" -t -5 0 present
	[[ $stderr == *"negative number" ]]
	run -2 --separate-stderr "$WFU" -t 5x 0 present
	[[ $stderr == *"not a decimal number" ]]
	run -2 --separate-stderr "$WFU" -t 123456789012345678901234567890 0 present
	[[ $stderr == *"number out of range" ]]
}

@test "zero is refused for the polling intervals" {
	run -2 --separate-stderr "$WFU" -i 0 300 present
	[[ $stderr == *"-i '0': must be more than 0" ]]
	run -2 --separate-stderr "$WFU" -m 0.0 300 present
	[[ $stderr == *"-m '0.0': must be more than 0" ]]
}

@test "decimal forms such as 5, 5., .5, 007 and 0.000000001 are accepted" {
	for good in 5 5. .5 0.000000001 007; do
		run -0 "$WFU" -t "$good" -i "$good" -m "$good" -s 0 @0 present
	done
}

@test "a bad THRESHOLD is a usage error naming it" {
	for bad in '' -5 abc @ @-1 @1x 1e3 nan BOOT boot1 ' 300'; do
		run -2 --separate-stderr "$WFU" -- "$bad" present
		[ "${#stderr_lines[@]}" -eq 1 ]
		[[ $stderr == *"threshold '$bad': "* ]]
	done
}

@test "an empty FILE name is a usage error, not an endless wait" {
	run -2 --separate-stderr "$WFU" 300 present ''
	[[ $stderr == *"FILE 2: empty file name" ]]
}

@test "nothing is printed on success without -v" {
	touch fresh
	run -0 --separate-stderr "$WFU" 300 fresh
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "on timeout, a FILE that is not there is said to be missing, not updated" {
	ln -s nowhere dangling
	run -1 --separate-stderr "$WFU" -t 0 300 present nosuch dangling sub/nosuch
	[ "${stderr_lines[0]}" = "$name: present: not updated" ]
	[ "${stderr_lines[1]}" = "$name: nosuch: no such file" ]
	[ "${stderr_lines[2]}" = "$name: dangling: no such file" ]
	[ "${stderr_lines[3]}" = "$name: sub/nosuch: no such file" ]
	[ "${#stderr_lines[@]}" -eq 4 ]
	[ -z "$output" ]
	# The same after some rounds of waiting.
	run -1 --separate-stderr "$WFU" -t 0.3 -i 0.1 300 nosuch
	[ "$stderr" = "$name: nosuch: no such file" ]
}

@test "on timeout, the last look decides: a FILE removed is missing, one that appeared is not updated" {
	# Not updated at the start: the reference is an hour ahead, so only
	# the times count, and the files keep their old ones.
	future=@$(($(date +%s) + 3600))
	old gone
	waiter -v -t 3 -i 0.1 -m 0.1 "$future" gone later
	first_round
	rm gone
	touch -d '2000-01-01' later
	reap
	[ "$status" -eq 1 ]
	grep -qx "$name: gone: no such file" "$BATS_TEST_TMPDIR/err"
	grep -qx "$name: later: not updated" "$BATS_TEST_TMPDIR/err"
}
