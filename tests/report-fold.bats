#!/usr/bin/env bats
# The fold of report, without nodeset(1), against ClusterShell's own on
# random sets; and how report uses nodeset when it is installed.  Each
# random set is the nodes on which one script failed, so one report
# folds them all, one line a set.  FOLD_SEED=N repeats a run.

load helpers

REPORT=$TOP/scripts/pernode-report

setup() {
	common_setup
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

@test "random sets of one-number names fold exactly as nodeset -f writes them, under each of mawk, gawk and busybox awk installed" {
	need_clustershell
	random_sets 1 >sets
	answers_from <sets >answers
	clustershell_folds <sets >expected
	# Debian head nodes run mawk, RHEL ones gawk, small ones busybox
	# awk (which reads "010" as octal): the fold is checked under each
	# that is installed, through an awk first on PATH.
	awks=
	for a in mawk gawk busybox; do
		command -v "$a" >/dev/null || continue
		awk_is "$a"
		PERNODE_NODESET=no PATH=$BATS_TEST_TMPDIR/bin:$PATH run -1 "$REPORT" answers
		printf '%s\n' "$output" >report
		report_folds report >got
		[ "$(wc -l <got)" -eq 300 ]
		diff expected got
		awks="$awks $a"
	done
	[ -n "$awks" ]
	printf '# folded under:%s\n' "$awks" >&3
}

@test "a number after a padded one, at a step other than 1, is taken at its width, as nodeset -f does" {
	# ClusterShell 1.9 folds "02,99,100" with 99 as a two-digit number
	# that 100 cannot follow, yet "1,99,100" as "1,99-100".
	for set in 'n02 n99 n100' 'n1 n99 n100' 'n05 n39 n99 n100' \
	    'n0 n02 n05 n39 n99 n100 n123' 'n1 n2 n5 n6' 'n007 n8 n9 n10'; do
		for name in $set; do
			printf 'set001 %s\n' "$name"
		done | answers_from >answers
		PERNODE_NODESET=no run -1 "$REPORT" answers
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
	PERNODE_NODESET=no run -1 "$REPORT" answers
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
	PERNODE_NODESET=no run -1 "$REPORT" answers
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
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run -1 "$REPORT" answers
	printf '%s\n' "$output" >report
	[ "$(cat calls)" = "-f" ]
	clustershell_folds <sets | diff - <(report_folds report)
}

@test "a nodeset that fails leaves the fold of our own" {
	mkdir bin
	printf '#!/bin/sh\necho "nodeset: broken" >&2\nexit 1\n' >bin/nodeset
	chmod 755 bin/nodeset
	printf 'set001 n1\nset001 n2\nset001 n3\n' | answers_from >answers
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run -1 --separate-stderr "$REPORT" answers
	[ "$output" = "set001: failed, exit 1      3  n[1-3]" ]
	[ "$stderr" = "nodeset: broken" ]
}
