#!/usr/bin/env bats
# waitOnFileUpdates under valgrind: no errors, no leaks, one allocation for
# the file table however many rounds it polls.

load helpers

setup() {
	common_setup
	command -v valgrind >/dev/null ||
	    skip "valgrind not installed (apt-get install valgrind)"
	old a b c
}

# vg STATUS ARGS...: run under memcheck; errors and definite leaks exit 99.
vg() {
	local want=$1
	shift
	run "-$want" --separate-stderr valgrind -q --error-exitcode=99 \
	    --leak-check=full --errors-for-leak-kinds=definite \
	    --log-file="$BATS_TEST_TMPDIR/vg.log" "$WFU" "$@"
	[ ! -s "$BATS_TEST_TMPDIR/vg.log" ] || { cat "$BATS_TEST_TMPDIR/vg.log" >&2; false; }
}

# allocs ARGS...: how many heap allocations one run makes.
allocs() {
	valgrind --log-file="$BATS_TEST_TMPDIR/heap.log" "$WFU" "$@" \
	    >/dev/null 2>&1 3>&- || true
	sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' \
	    "$BATS_TEST_TMPDIR/heap.log" | tr -d ,
}

@test "valgrind finds no error when all files are updated" {
	touch a
	vg 0 -v 60 a
}

@test "valgrind finds no error on a timeout with inotify" {
	vg 1 -v -t 0.5 -i 0.05 60 a b c missing
}

@test "valgrind finds no error on a timeout while polling only" {
	vg 1 -p -t 0.5 -i 0.05 60 a b c
}

@test "valgrind finds no error while settling" {
	touch a
	vg 0 -s 0.3 -i 0.05 60 a
}

@test "valgrind finds no error on exit status 2 and 3" {
	vg 2 -t x 60 a
	touch plain
	vg 3 60 plain/sub
}

@test "the number of allocations does not grow with the number of polls" {
	one=$(allocs -p -t 0 60 a b c)
	many=$(allocs -p -t 1 -i 0.01 -m 0.01 60 a b c)
	[ -n "$one" ]
	[ "$one" = "$many" ]
	watched=$(allocs -t 1 -i 0.01 -m 0.01 60 a b c)
	[ "$one" = "$watched" ]
}

@test "the file table is the only allocation besides stdio's buffer" {
	n=$(allocs -t 0 60 a b c)
	[ "$n" -le 2 ]
}
