#!/usr/bin/env bats
# report -w through the real pdsh and clush, with their exec worker and a
# stand-in for each node (no ssh needed): the per-node limit cuts off a
# node that hangs, which then counts as giving no answer; a node that
# cannot be reached or has no runner is named with what it said.

load helpers

setup() {
	common_setup
	export PERNODE_NODESET=no
	# node NAME: a whole answer, but n2 hangs for a minute first; n4
	# and n6 say what ssh says of a name it cannot resolve, n5 what sh
	# says of a runner not installed, and n7 fails saying nothing.
	cat >node <<-'EOF'
	#!/bin/sh
	case $1 in
	n2) echo $$ >"${0%/*}/hung"; exec sleep 60 ;;
	n[46])
		printf "Warning: Permanently added '%s' to the list of known hosts.\n" "$1" >&2
		printf 'ssh: Could not resolve hostname %s: Name or service not known\n' "$1" >&2
		exit 255
		;;
	n5) printf 'sh: 1: /etc/init.d/pernode-services: not found\n' >&2; exit 127 ;;
	n7) exit 3 ;;
	esac
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
	PERNODE_REPORT_TOOL=$1 run -1 --separate-stderr timeout 50 "$PNS" report -w 'n[1-3]' -t 2 -R exec
	printf '%s\n%s\n' "$output" "$stderr"
	[ "$SECONDS" -lt 40 ]
	[[ ${lines[0]} =~ ^ok\ +2\ \ n\[1,3\]$ ]]
	[[ ${lines[1]} =~ ^no\ answer:\ command\ timeout\ +1\ \ n2$ ]]
	[ "${#lines[@]}" -eq 2 ]
	[[ $stderr == *"from pdsh or clush, not from the nodes, about: n2"* ]]
}

# unreachable TOOL: report -w 'n[1,4-7]' through TOOL: n4 and n6 cannot be
# resolved, n5 has no runner, n7 fails saying nothing (TOOL says how).
unreachable() {
	command -v "$1" >/dev/null || skip "$1 not installed (see tests/deps)"
	PERNODE_REPORT_TOOL=$1 run -1 --separate-stderr timeout 50 "$PNS" report -w 'n[1,4-7]' -R exec
	printf '%s\n%s\n' "$output" "$stderr"
	[ "${#lines[@]}" -eq 4 ]
	[[ ${lines[0]} =~ ^ok\ +1\ \ n1$ ]]
	[[ ${lines[1]} =~ ^no\ answer:\ (node\ )?exited\ with\ exit\ code\ 3\ +1\ \ n7$ ]]
	[[ ${lines[2]} =~ ^no\ answer:\ sh:\ 1:\ /etc/init\.d/pernode-services:\ not\ found\ +1\ \ n5$ ]]
	[[ ${lines[3]} =~ ^no\ answer:\ ssh:\ Could\ not\ resolve\ hostname\ %h:\ Name\ or\ service\ not\ known\ +2\ \ n\[4,6\]$ ]]
}

# short_labels: pdsh's labels of names with a domain, under the awk first
# on PATH.
short_labels() {
	PERNODE_REPORT_TOOL=pdsh run --separate-stderr timeout 50 "$PNS" report \
	    -w 'n[1,3].example.com' -R exec
	printf '%s\n%s\n' "$output" "$stderr"
	[ "$status" -eq 0 ]
	[[ $output =~ ^ok\ +2\ \ n\[1,3\]\.example\.com$ ]]
	# (pdsh cuts only a domain they all share: one short name for two
	# expected names is never seen, and never guessed.)
	PERNODE_REPORT_TOOL=pdsh run -0 --separate-stderr timeout 50 "$PNS" report \
	    -w 'n1.a.example,n1.b.example' -R exec
	[[ $output =~ ^ok\ +2\ \ n1\.a\.example,n1\.b\.example$ ]]
}

@test "through pdsh, -t cuts off a node that hangs, and it counts as no answer, for the command timeout" {
	hung pdsh
}

@test "through clush, -t cuts off a node that hangs, and it counts as no answer, for the command timeout" {
	hung clush
}

@test "through pdsh, a node that cannot be resolved, has no runner or fails silently is named with its reason" {
	unreachable pdsh
}

@test "through clush, a node that cannot be resolved, has no runner or fails silently is named with its reason" {
	unreachable clush
}

@test "pdsh's short labels of fully qualified names are read as those names, each node once, under each awk" {
	command -v pdsh >/dev/null || skip "pdsh not installed (see tests/deps)"
	under_each_awk short_labels
}
