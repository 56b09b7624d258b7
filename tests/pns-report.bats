#!/usr/bin/env bats
# pernode-services report: the answers of many nodes to "status
# --machine", as pdsh and clush print them, folded into one report.  The
# answers here come from real runs of the runner, one run directory a
# node, prefixed "NODE: " as pdsh does.

load helpers

setup() {
	pns_setup
	script global/10-a
	# The fold of our own, unless a test asks for nodeset.
	export PERNODE_NODESET=no
}

# A slow script a test left waiting (see slow) ends with the test.
teardown() {
	touch "$BATS_TEST_TMPDIR/go-n1"
}

# report ARGS...: the report under the shell of this pass.
report() {
	"${SH[@]}" "$PNS" report "$@"
}

# sealed_bin: $BATS_TEST_TMPDIR/bin holding only what the report needs
# (and the shell of this pass, by its full path in SH), for PATH=bin:
# no clush, pdsh or nodeset unless a test puts its own there.
sealed_bin() {
	local tool
	mkdir -p bin
	SH[0]=$(command -v "${SH[0]}")
	# (printf: mksh has no built-in one.)
	for tool in awk sort mktemp rm sed printf; do
		ln -s "$(type -P "$tool")" bin/
	done
}

@test "ok nodes, each failed script with its exit status, and nodes with no run, folded by node set" {
	script n05/20-fails 'exit 3'
	script n07/20-fails 'exit 3'
	boot n01 n02 n03 n04 n05 n07 n08
	answers_of n01 n02 n03 n04 n05 n06 n07 n08 >answers
	run -1 --separate-stderr report answers
	[[ ${lines[0]} =~ ^ok\ +5\ \ n\[01-04,08\]$ ]]
	[[ ${lines[1]} =~ ^n05/20-fails:\ failed,\ exit\ 3\ +1\ \ n05$ ]]
	[[ ${lines[2]} =~ ^n07/20-fails:\ failed,\ exit\ 3\ +1\ \ n07$ ]]
	[[ ${lines[3]} =~ ^no\ run\ recorded\ +1\ \ n06$ ]]
	[ "${#lines[@]}" -eq 4 ]
	[ -z "$stderr" ]
}

@test "when every node is ok the report is one line and exits 0" {
	boot n1 n2 n3 n10
	answers_of n1 n2 n10 n3 >answers
	run -0 --separate-stderr report answers
	[ "$output" = "ok      4  n[1-3,10]" ]
	[ -z "$stderr" ]
}

@test "a script that failed on several nodes is one line for all of them" {
	script global/20-fails 'exit 4'
	boot n1 n2 n3
	answers_of n1 n2 n3 | report - >out || status=$?
	[ "${status:-0}" -eq 1 ]
	grep -Eqx 'global/20-fails: failed, exit 4 +3  n\[1-3\]' out
	[ "$(grep -c '^ok' out)" -eq 0 ]
}

@test "a run from an earlier boot, a stop since and a timed-out script each have their line" {
	script n3/20-slow 'sleep 5'
	boot n1 n2
	PERNODE_TIMEOUT=1 PERNODE_KILL_AFTER=1 boot n3
	sed -i '1s/, boot [^,]*,/, boot 00000000-0000-0000-0000-000000000000,/' "$RUN/n1/status"
	PERNODE_RUNDIR=$RUN/n2 pns -n n2 stop >/dev/null
	answers_of n1 n2 n3 >answers
	run -1 report answers
	grep -Eqx 'n3/20-slow: timed out +1  n3' <<<"$output"
	grep -Eqx 'not run since boot +1  n1' <<<"$output"
	grep -Eqx 'stopped since +1  n2' <<<"$output"
	[ "$(grep -c '^ok' <<<"$output")" -eq 0 ]
}

@test "with -w, nodes of NODESET that gave no answer are named, and so are those pdsh or clush gave up on, with what they said" {
	boot n01 n02 n03
	{
		answers_of n01 n03
		printf 'pdsh@head: n02: ssh exited with exit code 255\n'
		printf 'clush: n[04-05]: command timeout\n'
	} >answers
	run -1 --separate-stderr report -w 'n[01-06]' answers
	[ "${#lines[@]}" -eq 4 ]
	grep -Eqx 'ok +2  n\[01,03\]' <<<"$output"
	grep -Eqx 'no answer +1  n06' <<<"$output"
	grep -Eqx 'no answer: command timeout +2  n\[04-05\]' <<<"$output"
	grep -Eqx 'no answer: ssh exited with exit code 255 +1  n02' <<<"$output"
	[ "$stderr" = "pernode-services report: 2 lines from pdsh or clush, not from the nodes, about: n[02,04-05]" ]
}

@test "an answer cut short, at a line or inside one, or with a line lost, is no usable answer, never ok" {
	script global/20-b
	boot n1 n2 n3 n4
	{
		answers_of n1
		answers_of n2 | sed '$d'
		answers_of n4 | sed '2d'
		answers_of n3 | head -c -3
	} >answers
	run -1 --separate-stderr report answers
	grep -Eqx 'ok +1  n1' <<<"$output"
	grep -Eqx 'no usable answer +3  n\[2-4\]' <<<"$output"
	[ "$stderr" = "pernode-services report: answers cut short from: n[2-4]" ]
}

@test "bad lines are counted and named once on stderr, and change no other node's verdict" {
	script n4/20-fails 'exit 9'
	boot n1 n2 n3 n4
	{
		printf 'garbage without a colon\n'
		answers_of n1
		printf 'n1 has no colon either\n'
		answers_of n2 | sed '1s/$/\tfield-of-a-newer-version/'
		printf 'n2: kind-from-a-newer-version\tx\n'
		answers_of n3 | sed '2s/\tok\t/\tok?\t/'
		answers_of n4
		printf 'bad name!: run\n'
	} >answers
	run -1 --separate-stderr report answers
	grep -Eqx 'ok +2  n\[1-2\]' <<<"$output"
	grep -Eqx 'n4/20-fails: failed, exit 9 +1  n4' <<<"$output"
	grep -Eqx 'no usable answer +1  n3' <<<"$output"
	[ "${#stderr_lines[@]}" -eq 3 ]
	[ "${stderr_lines[0]}" = 'pernode-services report: 3 lines not of the form NODE: FIELDS, first line 1: "garbage without a colon"' ]
	[ "${stderr_lines[1]}" = 'pernode-services report: malformed answers from: n3' ]
	[ "${stderr_lines[2]}" = 'pernode-services report: 2 lines this version does not read in full (a newer pernode-services?) from: n2' ]
}

@test "answers with a digest on each script line and answers of the version before, without, read alike; a bad digest is malformed" {
	script n3/20-fails 'exit 9'
	boot n1 n2 n3 n4
	{
		answers_of n1
		answers_of n2 | sed 's/\t[0-9]*-[0-9]*$//'
		answers_of n3 | sed 's/\t\([0-9]*-[0-9]*\)$//'
		answers_of n4 | sed '2s/\t[0-9]*-[0-9]*$/\t12ab-3/'
	} >answers
	grep -q '^n1: script	global/10-a	ok	0	[0-9.]*	[0-9]*-[0-9]*$' answers
	run ! grep -q '^n2: script	.*-[0-9]*$' answers
	run -1 --separate-stderr report answers
	grep -Eqx 'ok +2  n\[1-2\]' <<<"$output"
	grep -Eqx 'n3/20-fails: failed, exit 9 +1  n3' <<<"$output"
	grep -Eqx 'no usable answer +1  n4' <<<"$output"
	[ "$stderr" = 'pernode-services report: malformed answers from: n4' ]
}

@test "a node that answers twice has no usable answer" {
	boot n1 n2
	{ answers_of n1 n2; answers_of n2; } >answers
	run -1 --separate-stderr report answers
	grep -Eqx 'ok +1  n1' <<<"$output"
	grep -Eqx 'no usable answer +1  n2' <<<"$output"
	[ "$stderr" = 'pernode-services report: more than one answer from: n2' ]
}

@test "no answer at all exits 1, saying so" {
	run -1 --separate-stderr report - </dev/null
	[ -z "$output" ]
	[ "$stderr" = 'pernode-services report: no node answered' ]
}

@test "usage errors exit 2 and name the bad thing" {
	run -2 --separate-stderr report
	[[ ${stderr_lines[0]} == *"give -w NODESET, or the FILE (or -) to read" ]]
	[[ ${stderr_lines[1]} == "usage: pernode-services report [-v] [-w NODESET] [-f FANOUT] [-t SECONDS] [-R RCMD] [FILE | -]" ]]
	run -2 --separate-stderr report -x -
	[[ ${stderr_lines[0]} == *"unknown option '-x'" ]]
	run -2 --separate-stderr report a b
	[[ ${stderr_lines[0]} == *"more than one FILE" ]]
	run -2 --separate-stderr report -t 1x -
	[[ ${stderr_lines[0]} == *"SECONDS '1x' is not a positive whole number" ]]
	run -2 --separate-stderr report -f -1 -
	[[ ${stderr_lines[0]} == *"FANOUT '-1' is not a positive whole number" ]]
	run -2 --separate-stderr report "$BATS_TEST_TMPDIR/missing"
	[ "$stderr" = "pernode-services report: cannot read FILE '$BATS_TEST_TMPDIR/missing'" ]
	run -2 --separate-stderr report -w
	[[ ${stderr_lines[0]} == *"option -w needs a value" ]]
	run -2 --separate-stderr report -w 'n[1-' -
	[[ $stderr == *'bad node set "n[1-": missing ] in "n[1-"'* ]]
}

@test "the runner hands report its arguments and the caller's environment" {
	boot n1
	answers_of n1 >answers
	run -0 pns report answers
	[[ $output =~ ^ok\ +1\ \ n1$ ]]
	# Run by a bare name, it finds its library beside itself.
	cd "$TOP/scripts"
	run -0 "${SH[@]}" pernode-services report "$BATS_TEST_TMPDIR/answers"
	[[ $output =~ ^ok\ +1\ \ n1$ ]]
	cd "$BATS_TEST_TMPDIR"
	mkdir bin
	printf '#!/bin/sh\nprintf "%%s\\n" "$MY_AGENT" "$@" >"%s/args"\n' "$BATS_TEST_TMPDIR" >bin/pdsh
	chmod 755 bin/pdsh
	PERNODE_REPORT_TOOL=pdsh PATH=$BATS_TEST_TMPDIR/bin:/usr/bin:/bin MY_AGENT=kept \
	    run -1 pns report -w n1 -t 7
	[ "$(cat args)" = "kept
-w
n1
-u
7
/etc/init.d/pernode-services
status
--machine" ]
}

@test "-w runs clush if installed, else pdsh, with the fan-out, timeout and rcmd given" {
	sealed_bin
	for tool in clush pdsh; do
		cat >"bin/$tool" <<-EOF
		#!/bin/sh
		printf '%s\n' "$tool" "\$@" >'$BATS_TEST_TMPDIR/args'
		printf 'clush: n2: exited with exit code 255\n' >&2
		printf 'n1: run\tstart\tb\t1\t2\tyes\t0\t0\tdone\nn1: end\t0\n'
		EOF
		chmod 755 "bin/$tool"
	done
	PATH=$BATS_TEST_TMPDIR/bin PERNODE_REPORT_COMMAND='x %h' \
	    run -1 --separate-stderr report -w 'n[1-2]' -f 64 -R exec
	[ "$(cat args)" = "clush
-n
-w
n[1-2]
-u
30
-f
64
-R
exec
x
%h" ]
	grep -Eqx 'ok +1  n1' <<<"$output"
	grep -Eqx 'no answer: exited with exit code 255 +1  n2' <<<"$output"
	rm bin/clush
	PATH=$BATS_TEST_TMPDIR/bin run -1 report -w 'n[1-2]' -t 5
	[ "$(cat args)" = "pdsh
-w
n[1-2]
-u
5
/etc/init.d/pernode-services
status
--machine" ]
}

@test "-w without clush or pdsh exits 6 naming both, as does a PERNODE_REPORT_TOOL not there" {
	sealed_bin
	PATH=$BATS_TEST_TMPDIR/bin run -6 --separate-stderr report -w n1
	[ "$stderr" = "pernode-services report: -w needs clush or pdsh, and neither is installed" ]
	PATH=$BATS_TEST_TMPDIR/bin PERNODE_REPORT_TOOL=pdsh run -6 --separate-stderr report -w n1
	[ "$stderr" = "pernode-services report: PERNODE_REPORT_TOOL 'pdsh' is not installed" ]
	PERNODE_REPORT_TOOL=ssh run -6 --separate-stderr report -w n1
	[ "$stderr" = "pernode-services report: PERNODE_REPORT_TOOL 'ssh' is neither clush nor pdsh" ]
}

@test "without nodeset, -w expands lists, ranges, steps and operators itself, and refuses groups, saying so as the groups file would" {
	sealed_bin
	printf '#!/bin/sh\nexit 0\n' >bin/pdsh
	chmod 755 bin/pdsh
	PATH=$BATS_TEST_TMPDIR/bin run -1 report -w 'n[08-10],gpu[1-2]x[1-2],login'
	[[ ${lines[0]} =~ ^no\ answer\ +8\ \ gpu\[1-2\]x\[1-2\],login,n\[08-10\]$ ]]
	PATH=$BATS_TEST_TMPDIR/bin run -1 report -w 'n[01-12/2]!n[05-07],n20&n[01-20]'
	[ "$output" = 'no answer      5  n[01,03,09,11,20]' ]
	run -2 --separate-stderr report -w '@gpu' -
	[ "$stderr" = 'pernode-services report: bad node set "@gpu": groups need nodeset(1) (ClusterShell)' ]
	run -2 --separate-stderr report -w 'n[5-1]' -
	[ "$stderr" = 'pernode-services report: bad node set "n[5-1]": range "5-1" goes down' ]
	run -2 --separate-stderr report -w 'n[1-3/0]' -
	[ "$stderr" = 'pernode-services report: bad node set "n[1-3/0]": step of 0 in "1-3/0"' ]
	run -2 --separate-stderr report -w 'n1,' -
	[ "$stderr" = 'pernode-services report: bad node set "n1,": missing node set operand after ","' ]
}

@test "without nodeset, a set with steps or operators reaches pdsh as the names expanded, which pdsh cannot read itself" {
	sealed_bin
	printf '#!/bin/sh\nprintf "%%s\\n" "$@" >"%s/args"\n' "$BATS_TEST_TMPDIR" >bin/pdsh
	chmod 755 bin/pdsh
	PATH=$BATS_TEST_TMPDIR/bin run -1 report -w 'n[1-5/2]!n3'
	[ "$output" = 'no answer      2  n[1,5]' ]
	[[ $(sed -n 2p args) == ^*/expected ]]
	PATH=$BATS_TEST_TMPDIR/bin run -1 report -w 'n[1-2]'
	[ "$(sed -n 2p args)" = 'n[1-2]' ]
}

@test "without nodeset, -w reads padded ranges as decimal under busybox awk too" {
	command -v busybox >/dev/null || skip "busybox not installed (package busybox; see tests/deps)"
	sealed_bin
	printf '#!/bin/sh\nexit 0\n' >bin/pdsh
	chmod 755 bin/pdsh
	ln -s "$(command -v busybox)" bin/
	awk_is busybox
	PATH=$BATS_TEST_TMPDIR/bin run -1 report -w 'n[008-011],x[09-10]'
	[[ ${lines[0]} =~ ^no\ answer\ +6\ \ n\[008-011\],x\[09-10\]$ ]]
}

@test "a script killed by a signal is reported killed by signal N, as status says it" {
	script n2/20-killed 'kill -KILL $$'
	boot n1 n2
	PERNODE_RUNDIR=$RUN/n2 run -1 pns -n n2 status
	[[ $output == *"n2/20-killed: killed by signal 9 ("* ]]
	answers_of n1 n2 >answers
	run -1 --separate-stderr report answers
	[ "${#lines[@]}" -eq 2 ]
	grep -Eqx 'ok +1  n1' <<<"$output"
	grep -Eqx 'n2/20-killed: killed by signal 9 +1  n2' <<<"$output"
	[ -z "$stderr" ]
}

@test "a script name holding control bytes is a malformed answer, and never reaches the terminal" {
	printf 'n1: run\tstart\tb\t1\t2\tyes\t1\t1\tdone\nn1: script\tx\033[31mred\tfailed\t1\t0.1\nn1: end\t1\n' >answers
	run -1 --separate-stderr report answers
	[[ $output =~ ^no\ usable\ answer\ +1\ \ n1$ ]]
	[ "$stderr" = 'pernode-services report: malformed answers from: n1' ]
	[[ $output$stderr != *$'\033'* ]]
}

# slow NODE: a start on NODE in the background whose script NODE/10-slow
# waits for $BATS_TEST_TMPDIR/go-NODE; returns once it runs.  Sets $pid.
slow() {
	script "$1/10-slow" "while [ ! -e '$BATS_TEST_TMPDIR/go-$1' ] && [ -d '$BATS_TEST_TMPDIR' ]; do sleep 0.05; done"
	PERNODE_RUNDIR=$RUN/$1 "${SH[@]}" "$PNS" -n "$1" start >/dev/null 2>&1 3>&- &
	pid=$!
	until_true 10 grep -q "^$1/10-slow start" "$TRACE"
}

@test "a run in progress, one interrupted and one killed each have their line; a failure with no exit status says none" {
	slow n1
	answers_of n1 >answers
	slow n2
	# (The runner acts on the signal once its script has ended.)
	kill -TERM "$pid"
	touch go-n2
	wait "$pid" || true
	slow n3
	kill -KILL "$pid"
	wait "$pid" || true
	touch go-n3
	mkdir -p "$ROOT/n4"
	ln -s "$BATS_TEST_TMPDIR/elsewhere" "$ROOT/n4/20-outside"
	printf '#!/bin/sh\n' >elsewhere
	chmod 755 elsewhere
	boot n4
	answers_of n2 n3 n4 >>answers
	run -1 --separate-stderr report answers
	printf '%s\n' "$output"
	grep -Eqx 'n4/20-outside: failed +1  n4' <<<"$output"
	grep -Eqx 'interrupted +1  n2' <<<"$output"
	grep -Eqx 'killed mid-run +1  n3' <<<"$output"
	grep -Eqx 'running +1  n1' <<<"$output"
	[ "$(grep -c '^ok' <<<"$output")" -eq 0 ]
}

@test "nodes whose state directory was missing or unsafe at boot are not run, folded by why, as the runner said it" {
	boot n1
	PERNODE_ROOT_WAIT=0 PERNODE_ROOT=$BATS_TEST_TMPDIR/gone boot n2 n3
	mkdir -p "$ROOT/bin"
	chmod 777 "$ROOT/bin"
	boot n4
	answers_of n1 n2 n3 n4 >answers
	run -1 --separate-stderr report answers
	printf '%s\n' "$output"
	[[ ${lines[0]} =~ ^ok\ +1\ \ n1$ ]]
	[[ ${lines[1]} =~ ^not\ run:\ refused:\ $ROOT/bin\ is\ writable\ by\ group\ or\ others\ \(drwxrwxrwx\)\ +1\ \ n4$ ]]
	[[ ${lines[2]} =~ ^not\ run:\ state\ directory\ $BATS_TEST_TMPDIR/gone\ is\ missing\ +2\ \ n\[2-3\]$ ]]
	[ "${#lines[@]}" -eq 3 ]
}
