#!/usr/bin/env bats
# pernode-services apply: a change to the state directory applied from
# the head node to exactly the nodes and scripts it concerns, through
# the real pdsh and clush.  Their exec worker stands a local run of the
# runner, with a run directory of its own, in for each node ("%h").

load helpers

setup() {
	pns_setup
	script global/10-a
	script @g/20-g
	printf 'g: n[3-4]\n' >"$ROOT/groups"
	export PERNODE_NODESET=no
	# node NAME ARG...: the runner on node NAME; n6 cannot be reached.
	cat >"$BATS_TEST_TMPDIR/node" <<-EOF
	#!/bin/sh
	node=\$1
	shift
	if [ "\$node" = n6 ]; then
		printf 'ssh: Could not resolve hostname %s: Name or service not known\n' "\$node" >&2
		exit 255
	fi
	PERNODE_RUNDIR='$RUN'/\$node exec $(printf '%q ' "${SH[@]}")'$PNS' -n "\$node" "\$@"
	EOF
	chmod 755 "$BATS_TEST_TMPDIR/node"
	export PERNODE_REMOTE="$BATS_TEST_TMPDIR/node %h"
}

# boot NODE...: a start on each NODE, as its boot would run it; the
# trace starts empty after.
boot() {
	local node
	for node do
		"$BATS_TEST_TMPDIR/node" "$node" start >/dev/null 2>&1 || true
	done
	: >"$TRACE"
}

# apply TOOL ARG...: pernode-services apply through TOOL and its exec
# worker.
apply() {
	local tool=$1
	shift
	PERNODE_REPORT_TOOL=$tool timeout 120 "${SH[@]}" "$PNS" apply -R exec "$@"
}

tools() {
	local tool ran=0
	for tool in pdsh clush; do
		command -v "$tool" >/dev/null || continue
		"$1" "$tool"
		ran=1
	done
	[ "$ran" -eq 1 ] || skip "neither pdsh nor clush installed (see tests/deps)"
}

lists_without_running() {
	rm -rf "$RUN"
	boot n1 n2 n3 n4
	printf 'echo new\n' >>"$ROOT/@g/20-g"
	script global/30-new
	run -0 --separate-stderr apply "$1" -n -w 'n[1-5]'
	[ "$output" = 'global/10-a        1  n5
global/30-new      5  n[1-5]
@g/20-g            2  n[3-4]' ]
	[ -z "$(trace)" ]
	rm "$ROOT/global/30-new"
	printf '#!/bin/sh\n' >"$ROOT/@g/20-g"
	chmod 755 "$ROOT/@g/20-g"
}

group_change() {
	rm -rf "$RUN"
	boot n1 n2 n3 n4
	printf 'echo new\n' >>"$ROOT/@g/20-g"
	run -0 --separate-stderr apply "$1" -y -w 'n[1-4]'
	[ "$output" = '@g/20-g      2  n[3-4]
pernode-services apply: applied; now:
ok      4  n[1-4]' ]
	[ "$(trace | sort)" = '@g/20-g start
@g/20-g start' ]
	run -0 --separate-stderr apply "$1" -y -w 'n[1-4]'
	[ -z "$output" ]
	[ "$stderr" = 'pernode-services apply: nothing to apply' ]
	[ "$(trace | wc -l)" -eq 2 ]
}

new_global() {
	rm -rf "$RUN"
	boot n1 n2 n3 n4
	script global/30-new
	run -0 --separate-stderr apply "$1" -y -w 'n[1-4]'
	[ "$(trace | sort | uniq -c | awk '{ print $1, $2 }')" = '4 global/30-new' ]
	[[ $output == *$'\nok      4  n[1-4]' ]]
	rm "$ROOT/global/30-new"
}

unreachable() {
	rm -rf "$RUN"
	boot n1 n2
	script global/30-new
	run -1 --separate-stderr apply "$1" -y -w 'n[1-2,6]'
	[[ ${lines[0]} == 'global/30-new  '*' 2  n[1-2]' ]]
	[[ ${lines[1]} == 'no answer: ssh: Could not resolve hostname %h: Name or service not known  '*'1  n6' ]]
	[[ $output == *$'applied; now:\nok '*$' 2  n[1-2]\nno answer: ssh: Could not resolve hostname %h: Name or service not known'*' 1  n6' ]]
	[ "$(trace | wc -l)" -eq 2 ]
	rm "$ROOT/global/30-new"
}

no_terminal() {
	rm -rf "$RUN"
	boot n1 n2
	script global/30-new
	run -2 --separate-stderr apply "$1" -w 'n[1-2]' </dev/null
	[[ $output == 'global/30-new  '*' 2  n[1-2]' ]]
	[[ $stderr == *'pernode-services apply: nothing run: no terminal to ask; give -y to apply' ]]
	[ -z "$(trace)" ]
	rm "$ROOT/global/30-new"
}

from_file() {
	rm -rf "$RUN"
	boot n1 n2 n3
	local node
	for node in n1 n2 n3; do
		"$BATS_TEST_TMPDIR/node" "$node" status --machine | sed "s/^/$node: /"
	done >answers
	printf 'echo new\n' >>"$ROOT/global/10-a"
	run -0 --separate-stderr apply "$1" -y answers
	[[ $output == 'global/10-a  '*' 3  n[1-3]'$'\n'* ]]
	[[ $output == *$'\nok '*' 3  n[1-3]' ]]
	[ "$(trace | wc -l)" -eq 3 ]
}

@test "apply -n prints what start --changed would run on each node, a line a script in plan order with its nodes, and runs nothing" {
	tools lists_without_running
}

@test "a changed group script applied runs on exactly that group's nodes, and only that script; then nothing is left to apply" {
	tools group_change
}

@test "a new global script runs once on every node" {
	tools new_global
}

@test "an unreachable node is named with its reason, the others are applied, and apply exits 1" {
	tools unreachable
}

@test "with no terminal and no -y, apply prints what it would run, runs nothing, and exits 2 saying -y is needed" {
	tools no_terminal
}

@test "from a FILE of answers, apply reaches the nodes that answered, and reports on them" {
	tools from_file
}

@test "a node still behind after apply makes it exit 1, and report says why" {
	command -v pdsh >/dev/null || skip "pdsh not installed (see tests/deps)"
	boot n1 n2
	script global/30-new
	# n2's runner starts nothing.
	cat >"$BATS_TEST_TMPDIR/lazy" <<-EOF
	#!/bin/sh
	[ "\$1 \$2 \$3" != 'n2 start --changed' ] || exit 0
	exec '$BATS_TEST_TMPDIR/node' "\$@"
	EOF
	chmod 755 "$BATS_TEST_TMPDIR/lazy"
	PERNODE_REMOTE="$BATS_TEST_TMPDIR/lazy %h" run -1 --separate-stderr apply pdsh -y -w 'n[1-2]'
	[[ $output == *$'applied; now:\nok '*$' 2  n[1-2]\nglobal/30-new not run yet '*' 1  n2' ]]
}

@test "when no node answered, apply says so and exits 1, with -n too" {
	printf 'garbage\n' >answers
	run -1 --separate-stderr pns apply -n answers
	[ -z "$output" ]
	[[ $stderr == *'pernode-services apply: no node answered' ]]
	: >answers
	run -1 --separate-stderr pns apply -n answers
	[[ $stderr == *'pernode-services apply: no node answered' ]]
}

@test "-n and -y are apply's alone; apply's usage names them" {
	run -2 --separate-stderr pns report -n answers
	[[ $stderr == "pernode-services report: unknown option '-n'"$'\n'* ]]
	run -2 --separate-stderr pns report -y answers
	run -2 --separate-stderr pns apply -x answers
	[[ $stderr == *$'\nusage: pernode-services apply [-n] [-y] [-v] [-w NODESET] [-f FANOUT] [-t SECONDS] [-R RCMD] [FILE | -]' ]]
	run -0 --separate-stderr pns apply -h
	[ "$output" = 'usage: pernode-services apply [-n] [-y] [-v] [-w NODESET] [-f FANOUT] [-t SECONDS] [-R RCMD] [FILE | -]' ]
}
