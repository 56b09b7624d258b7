#!/usr/bin/env bats
# pernode-services report: the nodes behind the state directory.  Each
# node's answer (status --machine, with the digest of each script it ran)
# against its plan now, read from the state directory here as list -w
# reads it: scripts changed since the node ran them, not run yet, or no
# longer in its plan, each a line folded by node set.

load helpers

setup() {
	pns_setup
	script global/10-a
	script @g/20-g
	groups 'g: n[3-4]'
	export PERNODE_NODESET=no
}

groups() {
	printf '%s\n' "$@" >"$ROOT/groups"
}

report() {
	"${SH[@]}" "$PNS" report "$@"
}

@test "a node that ran every script of its plan as it is now is ok, and nothing more is said" {
	boot n1 n2 n3 n4
	answers_of n1 n2 n3 n4 >answers
	run -0 --separate-stderr report answers
	[ "$output" = 'ok      4  n[1-4]' ]
	[ -z "$stderr" ]
}

@test "a script changed since the nodes ran it is one line on exactly the nodes whose plan has it, and the status stays the runs'" {
	boot n1 n2 n3 n4
	printf 'echo new\n' >>"$ROOT/@g/20-g"
	answers_of n1 n2 n3 n4 >answers
	run -0 --separate-stderr report answers
	[ "$output" = 'ok                             4  n[1-4]
@g/20-g changed since run      2  n[3-4]' ]
	[ -z "$stderr" ]
}

@test "a link's target changed is the link's script changed, on the nodes that link it" {
	script scripts/shared
	ln -s ../scripts/shared "$ROOT/global/30-shared"
	mkdir -p "$ROOT/n2"
	ln -s ../scripts/shared "$ROOT/n2/40-shared"
	boot n1 n2 n3
	printf 'echo new\n' >>"$ROOT/scripts/shared"
	answers_of n1 n2 n3 >answers
	run -0 report answers
	[[ $output == *$'\nglobal/30-shared changed since run '*' 3  n[1-3]'* ]]
	[[ $output == *$'\nn2/40-shared changed since run '*' 1  n2'* ]]
}

@test "a script new to a node's plan is not run yet there, and a script gone from it is no longer in plan" {
	boot n1 n2 n3 n4
	script global/30-new
	script n2/40-mine
	rm "$ROOT/@g/20-g"
	ln -s /dev/null "$ROOT/n1"/10-a 2>/dev/null || { mkdir -p "$ROOT/n1"; ln -s /dev/null "$ROOT/n1/10-a"; }
	answers_of n1 n2 n3 n4 >answers
	run -0 --separate-stderr report answers
	[ "$output" = 'ok                                 4  n[1-4]
@g/20-g no longer in plan          2  n[3-4]
global/10-a no longer in plan      1  n1
global/30-new not run yet          4  n[1-4]
n2/40-mine not run yet             1  n2' ]
}

@test "a node whose last run is not a whole start of this boot is not compared" {
	boot n1 n2 n3
	PERNODE_RUNDIR=$RUN/n2 pns -n n2 stop >/dev/null
	PERNODE_RUNDIR=$RUN/n3 pns -n n3 start global/10-a >/dev/null
	rm -rf "$RUN/n3"
	PERNODE_RUNDIR=$RUN/n3 pns -n n3 start global/10-a >/dev/null
	script global/30-new
	answers_of n1 n2 n3 >answers
	run -1 --separate-stderr report answers
	[ "$output" = 'ok                             1  n1
chosen scripts only            1  n3
stopped since                  1  n2
global/30-new not run yet      1  n1' ]
}

@test "answers without digests (an older version) are never said changed; new and gone scripts still are" {
	boot n1 n2
	printf 'echo new\n' >>"$ROOT/global/10-a"
	script global/30-new
	answers_of n1 n2 | sed 's/^\(n[0-9]*: script\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\)\t.*/\1/' >answers
	run -1 grep -q '	[0-9][0-9]*-[0-9][0-9]*$' answers
	run -0 --separate-stderr report answers
	[ "$output" = 'ok                             2  n[1-2]
global/30-new not run yet      2  n[1-2]' ]
}

@test "without a state directory here nothing is compared, and -v says why" {
	boot n1 n2
	script global/30-new
	answers_of n1 n2 >answers
	PERNODE_ROOT=$BATS_TEST_TMPDIR/elsewhere run -0 --separate-stderr report answers
	[ "$output" = 'ok      2  n[1-2]' ]
	[ -z "$stderr" ]
	PERNODE_ROOT=$BATS_TEST_TMPDIR/elsewhere run -0 --separate-stderr report -v answers
	[ "$output" = 'ok      2  n[1-2]' ]
	[ "$stderr" = "pernode-services report: not compared with the scripts now: pernode-services: state directory $BATS_TEST_TMPDIR/elsewhere is missing" ]
}

# programs N: the programs report starts for the answers of N nodes
# (copies of n1's), which must say global/10-a changed on all N.
programs() {
	local i
	for i in $(seq 1 "$1"); do
		sed "s/^n1: /n$i: /" one
	done >answers
	strace -f -qq -e trace=execve -e signal=none -o "$BATS_TEST_TMPDIR/st" \
	    "${SH[@]}" "$PNS" report answers >out
	grep -Eqx "global/10-a changed since run +$1  n\\[1-$1\\]" out
	grep -c 'execve(' "$BATS_TEST_TMPDIR/st"
}

@test "the comparison costs the same programs for 3 nodes as for 300: one cksum" {
	need strace
	boot n1
	answers_of n1 >one
	printf 'echo new\n' >>"$ROOT/global/10-a"
	local three
	three=$(programs 3)
	[ "$(programs 300)" -eq "$three" ]
	[ "$(grep -c 'execve("[^"]*/cksum"' "$BATS_TEST_TMPDIR/st")" -eq 1 ]
	# (Two runs of the runner's plans: report_compare's, on no node,
	# and the one for all the nodes.)
	[ "$(grep -c 'execve("[^"]*/awk", \["awk", "-v", "verbose=0", "-v", "machine=1"' "$BATS_TEST_TMPDIR/st")" -eq 2 ]
}
