#!/usr/bin/env bats
# report -w through the real pdsh and clush, with their exec worker and a
# stand-in for each node (no ssh needed): the per-node limit cuts off a
# node that hangs, which then counts as giving no answer.

load helpers

REPORT=$TOP/scripts/pernode-report

setup() {
	common_setup
	export PERNODE_NODESET=no
	# node NAME: a whole answer, but n2 hangs for a minute first.
	cat >node <<-'EOF'
	#!/bin/sh
	[ "$1" != n2 ] || { echo $$ >"${0%/*}/hung"; exec sleep 60; }
	printf 'run\tstart\tb\t1\t2\tyes\t1\t0\tdone\nscript\tglobal/10-a\tok\t0\t0.01\nend\t1\n'
	EOF
	chmod 755 node
	export PERNODE_REPORT_COMMAND="$BATS_TEST_TMPDIR/node %h"
}

# Whatever the tool left of the hung node ends with the test.
teardown() {
	[ ! -e hung ] || kill "$(cat hung)" 2>/dev/null || true
}

# hung TOOL: report -w 'n[1-3]' -t 2 through TOOL, which must end well
# before the minute n2 hangs for.
hung() {
	command -v "$1" >/dev/null || skip "$1 not installed (see tests/deps)"
	SECONDS=0
	PERNODE_REPORT_TOOL=$1 run -1 --separate-stderr timeout 50 "$REPORT" -w 'n[1-3]' -t 2 -R exec
	printf '%s\n%s\n' "$output" "$stderr"
	[ "$SECONDS" -lt 40 ]
	[[ ${lines[0]} =~ ^ok\ +2\ \ n\[1,3\]$ ]]
	[[ ${lines[1]} =~ ^no\ answer\ +1\ \ n2$ ]]
	[ "${#lines[@]}" -eq 2 ]
	[[ $stderr == *"from pdsh or clush, not from the nodes, about: n2"* ]]
}

@test "through pdsh, -t cuts off a node that hangs, and it counts as no answer" {
	hung pdsh
}

@test "through clush, -t cuts off a node that hangs, and it counts as no answer" {
	hung clush
}
