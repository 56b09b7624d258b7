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

@test "an unknown option is a usage error naming it" {
	run -2 --separate-stderr "$WFU" -x 300 present
	[[ ${stderr_lines[0]} == *"'x'"* ]]
	run -2 --separate-stderr "$WFU" --frobnicate 300 present
	[[ ${stderr_lines[0]} == *"--frobnicate"* ]]
}

@test "an option missing its argument is a usage error" {
	run -2 --separate-stderr "$WFU" 300 present -t
	[[ ${stderr_lines[0]} == *"requires an argument"*"'t'"* ]]
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
