#!/usr/bin/env bats
# The fold of report, without nodeset(1), against ClusterShell's own on
# random sets; and how report uses nodeset when it is installed.  Each
# random set is the nodes on which one script failed, so one report
# folds them all, one line a set.  FOLD_SEED=N repeats a run.  Last, the
# verdicts of whole nodes from fixed answers: why a node gave no answer,
# a run that failed as a whole, a script killed by a signal, and -v.

load helpers

setup() {
	common_setup
	# No state directory: report compares with no plan (pns-behind.bats).
	export PERNODE_ROOT=$BATS_TEST_TMPDIR/no-state
	: "${FOLD_SEED:=$RANDOM}"
	printf '# FOLD_SEED=%s\n' "$FOLD_SEED" >&3
}

need_clustershell() {
	need nodeset clustershell
	/usr/bin/python3 -c 'import ClusterShell.NodeSet' 2>/dev/null ||
	    skip "ClusterShell's Python module not found (apt-get install clustershell)"
}

# random_sets DIMS: "SET NAME" lines, 300 sets of random names with DIMS
# numbers each: prefixes and suffixes, padded, unpadded and mixed widths,
# and now and then a name with no number.
random_sets() {
	awk -v seed="$FOLD_SEED" -v dims="$1" 'BEGIN {
		srand(seed)
		npre = split("n gpu node- c login x", pre, " ")
		nsuf = split("|.ib|-eth0", suf, "|")
		for (s = 1; s <= 300; s++) {
			count = 1 + int(rand() * 40)
			for (k = 0; k < count; k++) {
				name = pre[1 + int(rand() * (s % 3 + 1))]
				for (d = 1; d <= dims; d++) {
					w = int(rand() * 4)
					v = int(rand() * (rand() < 0.5 ? 12 : 130))
					name = name (w ? sprintf("%0" w "d", v) : v)
					if (d < dims)
						name = name (rand() < 0.5 ? "r" : "-")
				}
				if (rand() < 0.03)
					name = pre[1 + int(rand() * npre)] "head"
				name = name suf[1 + int(rand() * nsuf)]
				printf "set%03d %s\n", s, name
			}
		}
	}' | sort -u
}

# answers_from: from "SET NAME" lines, each node's answer with a failed script
# named SET for each set it is in.
answers_from() {
	awk '{ sets[$2] = sets[$2] " " $1 }
	END {
		for (node in sets) {
			n = split(sets[node], s, " ")
			printf "%s: run\tstart\tb\t1\t2\tyes\t%d\t%d\tdone\n", node, n, n
			for (i = 1; i <= n; i++)
				printf "%s: script\t%s\tfailed\t1\t0.01\n", node, s[i]
			printf "%s: end\t%d\n", node, n
		}
	}'
}

# clustershell_folds: from "SET NAME" lines, "SET FOLDED" as ClusterShell
# writes them (the library behind nodeset -f, one process for all sets).
clustershell_folds() {
	/usr/bin/python3 -c '
import sys
from ClusterShell.NodeSet import NodeSet
sets = {}
for line in sys.stdin:
    s, name = line.split()
    sets.setdefault(s, []).append(name)
for s in sorted(sets):
    print(s, str(NodeSet.fromlist(sets[s])))
'
}

# report_folds: what report prints for each set, "SET FOLDED".
report_folds() {
	sed -n 's/^\(set[0-9]*\): failed, exit 1 *[0-9]*  /\1 /p' "$1"
}

# The checks that under_each_awk runs under each awk, one a test below.
folds_as_expected() {
	PERNODE_NODESET=no run -1 "$PNS" report answers
	printf '%s\n' "$output" >report
	report_folds report >got
	[ "$(wc -l <got)" -eq 300 ]
	diff expected got
}

folds_by_reason() {
	PERNODE_NODESET=no run -1 --separate-stderr "$PNS" report -w 'n[1-4,12]' answers
	printf '%s\n' "$output"
	[ "${#lines[@]}" -eq 4 ]
	[[ ${lines[0]} =~ ^ok\ +1\ \ n1$ ]]
	[[ ${lines[1]} =~ ^no\ answer\ +1\ \ n4$ ]]
	[[ ${lines[2]} =~ ^no\ answer:\ sh:\ 1:\ /etc/init\.d/pernode-services:\ not\ found\ +1\ \ n3$ ]]
	[[ ${lines[3]} =~ ^no\ answer:\ ssh:\ Could\ not\ resolve\ hostname\ %h:\ Name\ or\ service\ not\ known\ +2\ \ n\[2,12\]$ ]]
}

prints_raw_lines() {
	PERNODE_NODESET=no run -1 --separate-stderr "$PNS" report -v answers
	printf '%s\n' "$output" "$stderr"
	[ "${#lines[@]}" -eq 3 ]
	[[ ${lines[0]} =~ ^ok\ +1\ \ n1$ ]]
	[ "${stderr_lines[0]}" = "pernode-services report: not compared with the scripts now: pernode-services: state directory $PERNODE_ROOT is missing" ]
	[ "${stderr_lines[1]}" = "pernode-services report: line 4: n1: Warning: Permanently added n1" ]
	[ "${stderr_lines[2]}" = "pernode-services report: line 5: garbage without a colon" ]
	[ "${stderr_lines[3]}" = "pernode-services report: line 6: pdsh@head: n2: ssh exited with exit code 255" ]
	[ "${stderr_lines[4]}" = "pernode-services report: line 7: n3: ssh: Could not resolve ?]0;title? hostname n3?" ]
	[ "${stderr_lines[5]}" = 'pernode-services report: 1 line not of the form NODE: FIELDS, first line 5: "garbage without a colon"' ]
	[ "${#stderr_lines[@]}" -eq 8 ]
}

@test "random sets of one-number names fold exactly as nodeset -f writes them, under each of mawk, gawk and busybox awk installed" {
	need_clustershell
	random_sets 1 >sets
	answers_from <sets >answers
	clustershell_folds <sets >expected
	# Debian head nodes run mawk, RHEL ones gawk, small ones busybox
	# awk (which reads "010" as octal): the fold is checked under each
	# that is installed, through an awk first on PATH.
	under_each_awk folds_as_expected
}

@test "a number after a padded one, at a step other than 1, is taken at its width, as nodeset -f does" {
	# ClusterShell 1.9 folds "02,99,100" with 99 as a two-digit number
	# that 100 cannot follow, yet "1,99,100" as "1,99-100".
	for set in 'n02 n99 n100' 'n1 n99 n100' 'n05 n39 n99 n100' \
	    'n0 n02 n05 n39 n99 n100 n123' 'n1 n2 n5 n6' 'n007 n8 n9 n10'; do
		for name in $set; do
			printf 'set001 %s\n' "$name"
		done | answers_from >answers
		PERNODE_NODESET=no run -1 "$PNS" report answers
		report_folds <(printf '%s\n' "$output")
	done >got
	[ "$(cat got)" = "set001 n[02,99,100]
set001 n[1,99-100]
set001 n[05,39,99,100]
set001 n[0,02,05,39,99,100,123]
set001 n[1-2,5-6]
set001 n[8-10,007]" ]
}

@test "random sets of names with two numbers fold to the same sets as nodeset's" {
	need_clustershell
	random_sets 2 >sets
	answers_from <sets >answers
	PERNODE_NODESET=no run -1 "$PNS" report answers
	printf '%s\n' "$output" >report
	report_folds report >got
	[ "$(wc -l <got)" -eq 300 ]
	# Each folded text, expanded by ClusterShell, gives back its set.
	/usr/bin/python3 -c '
import sys
from ClusterShell.NodeSet import NodeSet
sets = {}
for line in open("sets"):
    s, name = line.split()
    sets.setdefault(s, set()).add(name)
bad = 0
for line in open("got"):
    s, text = line.split()
    if set(NodeSet(text)) != sets[s]:
        print("differs:", s, text)
        bad += 1
sys.exit(bad > 0)
'
}

@test "whole racks of two-number names fold as nodeset -f writes them" {
	need_clustershell
	for r in 1 2 3 4; do
		for n in $(seq -w 1 16); do
			printf 'set001 r%sn%s\n' "$r" "$n"
		done
	done >sets
	printf 'set002 r1n01\nset002 r1n02\nset002 r2n01\nset002 r2n02\nset002 r3n05\n' >>sets
	answers_from <sets >answers
	PERNODE_NODESET=no run -1 "$PNS" report answers
	printf '%s\n' "$output" >report
	report_folds report >got
	[ "$(cat got)" = "set001 r[1-4]n[01-16]
set002 r[1-2]n[01-02],r3n05" ]
	clustershell_folds <sets | diff - got
}

@test "with nodeset installed, one nodeset -f writes every line, exactly as ClusterShell folds each set" {
	need_clustershell
	mkdir bin
	cat >bin/nodeset <<-EOF
	#!/bin/sh
	printf '%s\n' "\$*" >>'$BATS_TEST_TMPDIR/calls'
	exec /usr/bin/nodeset "\$@"
	EOF
	chmod 755 bin/nodeset
	# Two numbers a name: where the fold of our own may cut a set into
	# other vectors than nodeset does.
	random_sets 2 >sets
	answers_from <sets >answers
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run -1 "$PNS" report answers
	printf '%s\n' "$output" >report
	[ "$(cat calls)" = "-f" ]
	clustershell_folds <sets | diff - <(report_folds report)
}

@test "a nodeset that fails leaves the fold of our own" {
	mkdir bin
	printf '#!/bin/sh\necho "nodeset: broken" >&2\nexit 1\n' >bin/nodeset
	chmod 755 bin/nodeset
	printf 'set001 n1\nset001 n2\nset001 n3\n' | answers_from >answers
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run -1 --separate-stderr "$PNS" report answers
	[ "$output" = "set001: failed, exit 1      3  n[1-3]" ]
	[ "$stderr" = "nodeset: broken" ]
}

# --- The verdicts of whole nodes, from fixed answers ------------------------

# run_line NODE RUN FAILED STATE [DETAIL]: NODE's run line, as pdsh
# prints it; of 9 fields, as before DETAIL, without DETAIL.
run_line() {
	printf '%s: run\tstart\tb\t1\t2\tyes\t%s\t%s\t%s%s\n' "$1" "$2" "$3" "$4" \
	    "${5+	$5}"
}

# ok_answer NODE [DETAIL]: NODE's whole answer, one script ok.
ok_answer() {
	run_line "$1" 1 0 'done' ${2+"$2"}
	printf '%s: script\tglobal/10-a\tok\t0\t0.01\n%s: end\t1\n' "$1" "$1"
}

# failed_run NODE DETAIL: NODE's answer for a run that failed as a whole.
failed_run() {
	run_line "$1" 0 1 failed "$2"
	printf '%s: end\t0\n' "$1"
}

@test "nodes that gave no answer are folded by the last line each said, its own name written %h, under each of mawk, gawk and busybox awk installed" {
	{
		ok_answer n1
		printf "n2: Warning: Permanently added 'n2' (ED25519) to the list of known hosts.\n"
		printf 'n2: ssh: Could not resolve hostname n2: Name or service not known\n'
		printf 'pdsh@head: n2: ssh exited with exit code 255\n'
		printf 'n12: ssh: Could not resolve hostname n12: Name or service not known\r\n'
		printf 'n3: sh: 1: /etc/init.d/pernode-services: not found\n'
	} >answers
	under_each_awk folds_by_reason
}

@test "a node that said nothing itself is folded by the first line pdsh or clush said of it" {
	{
		printf 'pdsh@head: n4: command timeout\n'
		printf 'sending signal 15 to n4 [ssh] pid 4242\n'
		printf 'pdsh@head: n4: ssh killed by signal 15\n'
		printf 'clush: n[5-6]: exited with exit code 255\n'
		printf 'clush: n5: exited with exit code 1\n'
	} >answers
	PERNODE_NODESET=no run -1 --separate-stderr "$PNS" report answers
	printf '%s\n' "$output" "$stderr"
	[ "$output" = "no answer: command timeout                1  n4
no answer: exited with exit code 255      2  n[5-6]" ]
}

@test "a node's name in a reason is %h only as a word of its own, and a reason is cut at 80 bytes, its control bytes as ?" {
	{
		printf 'n1: no route from n10 to n1.ib or n1x, says n1\n'
		printf 'n2: \033[31m%s\n' "$(printf 'x%.0s' $(seq 100))"
	} >answers
	PERNODE_NODESET=no run -1 --separate-stderr "$PNS" report answers
	printf '%s\n' "$output" "$stderr"
	[ "${lines[0]}" = "no answer: ?[31m$(printf 'x%.0s' $(seq 72))...      1  n2" ]
	[ "${lines[1]}" = "no answer: no route from n10 to %h.ib or n1x, says %h                                            1  n1" ]
	[[ $output != *$'\033'* ]]
}

@test "-v prints every line read that is not an answer on stderr, with its number, besides the report, under each of mawk, gawk and busybox awk installed" {
	{
		ok_answer n1
		printf 'n1: Warning: Permanently added n1\n'
		printf 'garbage without a colon\n'
		printf 'pdsh@head: n2: ssh exited with exit code 255\n'
		printf 'n3: ssh: Could not resolve \033]0;title\a hostname n3\r\n'
	} >answers
	under_each_awk prints_raw_lines
	# Without -v, the same report, and the counts alone.
	PERNODE_NODESET=no run -1 --separate-stderr "$PNS" report answers
	[ "${#lines[@]}" -eq 3 ]
	[ "${#stderr_lines[@]}" -eq 3 ]
}

@test "a script killed by a signal is killed by signal N, as the runner says, and other exit statuses stay as they are" {
	{
		run_line n1 4 4 'done'
		printf 'n1: script\tglobal/10-a\tfailed\t137\t0.01\n'
		printf 'n1: script\tglobal/20-b\tfailed\t143\t0.01\n'
		printf 'n1: script\tglobal/30-c\tfailed\t128\t0.01\n'
		printf 'n1: script\tglobal/40-d\tfailed\t193\t0.01\n'
		printf 'n1: end\t4\n'
		run_line n2 1 1 'done'
		printf 'n2: script\tglobal/10-a\tfailed\t137\t0.01\n'
		printf 'n2: end\t1\n'
	} >answers
	PERNODE_NODESET=no run -1 --separate-stderr "$PNS" report answers
	printf '%s\n' "$output" "$stderr"
	[ "$output" = "global/10-a: killed by signal 9       2  n[1-2]
global/20-b: killed by signal 15      1  n1
global/30-c: failed, exit 128         1  n1
global/40-d: failed, exit 193         1  n1" ]
}

@test "a run that failed as a whole is not run, folded by its DETAIL right after the script failures, and not ok" {
	{
		ok_answer n1 -
		failed_run n2 'state directory /opt/perceus/state/lib/perceus/init.d is missing'
		failed_run n3 'state directory /opt/perceus/state/lib/perceus/init.d is missing'
		run_line n4 1 1 interrupted -
		printf 'n4: script\tglobal/10-a\tfailed\t1\t0.01\nn4: end\t1\n'
		failed_run n5 'state directory /opt/perceus/state/lib/perceus/init.d is missing'
	} >answers
	PERNODE_NODESET=no run -1 --separate-stderr "$PNS" report answers
	printf '%s\n' "$output" "$stderr"
	[ "$output" = "ok                                                                             1  n1
global/10-a: failed, exit 1                                                    1  n4
not run: state directory /opt/perceus/state/lib/perceus/init.d is missing      3  n[2-3,5]
interrupted                                                                    1  n4" ]
	[ -z "$stderr" ]
	# Alone, they are not ok.
	grep -v '^n[14]:' answers >failed
	PERNODE_NODESET=no run -1 --separate-stderr "$PNS" report failed
}

@test "a node whose start ran chosen scripts only is never ok, and its failures are listed" {
	{
		ok_answer n1 -
		run_line n2 1 0 partial -
		printf 'n2: script\tglobal/10-a\tok\t0\t0.01\nn2: end\t1\n'
		run_line n3 1 1 partial -
		printf 'n3: script\tglobal/10-a\tfailed\t3\t0.01\nn3: end\t1\n'
	} >answers
	PERNODE_NODESET=no run -1 --separate-stderr "$PNS" report answers
	[ "$output" = "ok                               1  n1
global/10-a: failed, exit 3      1  n3
chosen scripts only              2  n[2-3]" ]
}

@test "failed runs with two different DETAILs are two lines" {
	{
		failed_run n1 'state directory /srv/state is not mounted (no global/)'
		failed_run n2 'refused: /srv/state/functions is writable by group or others (-rw-rw-rw-)'
		failed_run n3 'state directory /srv/state is not mounted (no global/)'
	} >answers
	PERNODE_NODESET=no run -1 --separate-stderr "$PNS" report answers
	printf '%s\n' "$output" "$stderr"
	[ "$output" = "not run: refused: /srv/state/functions is writable by group or others (-rw-rw-rw-)      1  n2
not run: state directory /srv/state is not mounted (no global/)                         2  n[1,3]" ]
	[ -z "$stderr" ]
}

@test "a failed run whose counts are not RUN 0 and FAILED 1, or whose DETAIL holds a control byte, is no usable answer" {
	{
		run_line n1 0 0 failed 'state directory /srv/state is missing'
		printf 'n1: end\t0\n'
		run_line n2 1 1 failed 'state directory /srv/state is missing'
		printf 'n2: end\t0\n'
		failed_run n3 $'state directory \033[2J is missing'
		failed_run n4 'state directory /srv/state is missing'
	} >answers
	PERNODE_NODESET=no run -1 --separate-stderr "$PNS" report answers
	printf '%s\n' "$output" "$stderr"
	[ "$output" = "not run: state directory /srv/state is missing      1  n4
no usable answer                                    3  n[1-3]" ]
	[ "$stderr" = "pernode-services report: malformed answers from: n3
pernode-services report: answers cut short from: n[1-2]" ]
}

@test "a run line of 9 fields, from a version before DETAIL, is read as before, beside one of 10" {
	{ ok_answer n1; ok_answer n2 -; ok_answer n3; } >answers
	[ "$(grep -c $'\tdone$' answers)" -eq 2 ]
	PERNODE_NODESET=no run -0 --separate-stderr "$PNS" report answers
	[ "$output" = "ok      3  n[1-3]" ]
	[ -z "$stderr" ]
}
