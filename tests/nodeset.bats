#!/usr/bin/env bats
# The node-set library, scripts/lib/nodeset.awk, against ClusterShell,
# the referee: the names of random sets (ranges, padding, steps, several
# brackets, digits beside a bracket, operators) as nodeset -e gives them,
# and the sets it refuses refused; a node's groups as the expansion of
# each says; the report's fold as nodeset -f writes it; and one message
# for one fault, whether the set came by report -w or the groups file.
# Each under mawk, gawk and busybox awk, those installed.  NODESET_SEED=N
# repeats a run.

load helpers

LIB=$TOP/scripts/lib

setup() {
	common_setup
	: "${NODESET_SEED:=$RANDOM}"
	printf '# NODESET_SEED=%s\n' "$NODESET_SEED" >&3
}

# need_clustershell: nodeset(1), and its Python module for the many sets
# that would take a nodeset process each (a fifth of a second).
need_clustershell() {
	need nodeset clustershell
	/usr/bin/python3 -c 'import ClusterShell.NodeSet' 2>/dev/null ||
	    skip "ClusterShell's Python module not found (apt-get install clustershell)"
}

# random_sets COUNT [one]: COUNT random node sets, one a line; with one,
# each name has a single number.  Now and then a set ClusterShell
# refuses: a range that goes down, a padding mismatch, a step of 0.
random_sets() {
	awk -v seed="$NODESET_SEED" -v count="$1" -v one="${2-}" '
	function num(    v, w) {
		v = int(rand() * (rand() < 0.5 ? 12 : 130))
		w = int(rand() * 4)
		return w ? sprintf("%0" w "d", v) : v ""
	}
	function item(    lo, hi, w, x) {
		if (rand() < 0.3)
			return num()
		lo = int(rand() * 60)
		hi = lo + int(rand() * 40)
		if (lo > 3 && rand() < 0.04)
			hi = lo - 1 - int(rand() * 3)
		w = rand() < 0.4 ? 2 + int(rand() * 2) : 0
		x = w ? sprintf("%0" w "d-%0" w "d", lo, hi) : lo "-" hi
		if (rand() < 0.04)
			x = sprintf("%02d-%d", lo, hi * 10)
		if (rand() < 0.25)
			x = x "/" (rand() < 0.04 ? 0 : 1 + int(rand() * 4))
		return x
	}
	function bracket(    n, i, b) {
		n = 1 + int(rand() * 3)
		b = ""
		for (i = 1; i <= n; i++)
			b = b (i > 1 ? "," : "") item()
		return "[" b "]"
	}
	function term(    p, r) {
		p = pre[1 + int(rand() * npre)]
		r = rand()
		if (r < 0.25)
			return p num()
		if (r < 0.7 || one)
			return p bracket() (rand() < 0.2 ? "-ib" : "")
		if (r < 0.8)
			return p bracket() "n" bracket()
		if (r < 0.9)
			return p (1 + int(rand() * 3)) bracket()
		return p bracket() int(rand() * 3)
	}
	BEGIN {
		srand(seed)
		npre = split("n gpu rack c- x login", pre, " ")
		for (s = 1; s <= count; s++) {
			nt = 1 + int(rand() * 3)
			out = ""
			for (t = 1; t <= nt; t++) {
				if (t > 1)
					out = out substr(",,,!&^", 1 + int(rand() * 6), 1)
				out = out term()
			}
			print out
		}
	}'
}

# clustershell_expands: for each set on stdin, its names in byte order
# with a space between, or ERR: what nodeset -e says of it, by the
# library behind nodeset, in one process.
clustershell_expands() {
	/usr/bin/python3 -c '
import sys
from ClusterShell.NodeSet import NodeSet
for line in sys.stdin:
    try:
        print(" ".join(sorted(NodeSet(line.rstrip("\n")))))
    except Exception:
        print("ERR")
'
}

# The checks that under_each_awk runs under each awk.

expands_as_clustershell() {
	awk -f "$LIB/nodeset.awk" -f "$TOP/tests/nodeset-each.awk" sets >got
	paste -d '\n' sets expected got | awk '
	NR % 3 == 1 { set = $0 }
	NR % 3 == 2 { want = $0 }
	NR % 3 == 0 && $0 != want {
		if (++bad <= 5)
			printf "%s\n  nodeset: %.200s\n  awk:     %.200s\n", set, want, $0
	}
	END { exit bad > 0 }'
}

# groups_as_clustershell: for each candidate node, groups.awk over the
# random sets as groups g1, g2, ...: the node is in exactly the groups
# whose expansion holds it, and every set refused is a line in error.
groups_as_clustershell() {
	local node got want
	awk -v node=x -v short= -v verbose=0 -f "$LIB/nodeset.awk" \
	    -f "$LIB/groups.awk" groups | sed -n 's/^error \([0-9]*\) .*/\1/p' >errors
	grep -nx ERR expected | cut -d: -f1 | diff - errors
	while read -r node; do
		got=$(awk -v node="$node" -v short= -v verbose=0 -f "$LIB/nodeset.awk" \
		    -f "$LIB/groups.awk" groups | sed -n 's/^member //p' | sort)
		want=$(awk -v node="$node" '{
			n = split($0, names, " ")
			for (i = 1; i <= n; i++)
				if (names[i] == node) {
					print "g" NR
					break
				}
		}' expected | sort)
		[ "$got" = "$want" ] || {
			printf '%s: in %s, not %s\n' "$node" "$got" "$want"
			return 1
		}
	done <candidates
}

# expands_as_nodeset: report -w's own expansion (PERNODE_NODESET=no, as
# without nodeset), against what the nodeset command said (cli.N).
expands_as_nodeset() {
	local i=0 set got
	while IFS= read -r set; do
		i=$((i + 1))
		if got=$(PERNODE_W=$set awk -v mode=expand -f "$LIB/nodeset.awk" \
		    -f "$LIB/report.awk" </dev/null 2>/dev/null); then
			got=$(printf '%s\n' "$got" | sort | tr '\n' ' ')
		else
			got=ERR
		fi
		[ "$got" = "$(cat "cli.$i")" ] || {
			printf '%s\n  nodeset: %s\n  awk:     %s\n' "$set" "$(cat "cli.$i")" "$got"
			return 1
		}
	done <table
}

# same_words: each bad set is refused by report -w and by the groups
# file with one message.
same_words() {
	local set report groups
	while IFS= read -r set; do
		report=$(PERNODE_W=$set awk -v mode=expand -f "$LIB/nodeset.awk" \
		    -f "$LIB/report.awk" </dev/null 2>&1 >/dev/null) && return 1
		groups=$(printf 'g: %s\n' "$set" | awk -v node=n1 -v short= -v verbose=0 \
		    -f "$LIB/nodeset.awk" -f "$LIB/groups.awk")
		[ "${report#*\": }" = "${groups#error 1 }" ] || {
			printf '%s\n  report -w: %s\n  groups:    %s\n' "$set" "$report" "$groups"
			return 1
		}
	done <bad
}

@test "random sets expand to the names nodeset -e gives, and what it refuses is refused, under each of mawk, gawk and busybox awk installed" {
	need_clustershell
	random_sets 1000 >sets
	clustershell_expands <sets >expected
	# (Some of each: refused, and many with names.)
	grep -qx ERR expected
	[ "$(grep -vcx ERR expected)" -ge 800 ]
	under_each_awk expands_as_clustershell
}

@test "a node is in a group of the groups file exactly when nodeset -e of the group lists it, under each of mawk, gawk and busybox awk installed" {
	need_clustershell
	random_sets 120 >sets
	clustershell_expands <sets >expected
	awk '{ printf "g%d: %s\n", NR, $0 }' sets >groups
	# Candidates: names of the sets, and near misses (another width,
	# the next number).
	awk -v seed="$NODESET_SEED" 'BEGIN { srand(seed) }
	$0 != "ERR" && NF {
		for (k = 0; k < 2; k++) {
			name = $(1 + int(rand() * NF))
			print name
			if (match(name, /[0-9]+$/)) {
				d = substr(name, RSTART)
				print substr(name, 1, RSTART - 1) "0" d
				print substr(name, 1, RSTART - 1) (d + 1)
			}
		}
	}' expected | sort -u | head -n 100 >candidates
	[ "$(wc -l <candidates)" -ge 50 ]
	under_each_awk groups_as_clustershell
}

@test "report -w without nodeset takes what the nodeset command takes, and refuses what it refuses, under each of mawk, gawk and busybox awk installed" {
	need nodeset clustershell
	cat >table <<-'EOF'
	n[001-016,020],n099
	n[01-32/2]
	rack[1-4]n[01-04]
	gpu-[1-3]s[1-2]-ib
	n[1-2]0
	n1[1-3]
	n1[8-12]
	n0[1-9]
	n[1-10/3],x[09-11]
	n[1-9]!n[3-5]
	n[1-9]&n[5-12]
	n[1-9]^n[5-12]
	n5,n[1-4]!n5
	n[1-5]!n3,n3
	 n1 , n2
	n[ 1-2]
	[1-3]
	n[99999999999999999998-99999999999999999999]
	n[99999999999999999990-99999999999999999999/3]
	n[0-00]
	n[5-3]
	n[01-100]
	n[1-3/0]
	n[1-3/2]0
	n0[1-10]
	n[1-2][3-4]
	n[1-3
	n1]
	n1,,n2
	n!
	n[]
	n[a]
	EOF
	i=0
	while IFS= read -r set; do
		i=$((i + 1))
		if out=$(nodeset -e -S '\n' -- "$set" 2>/dev/null); then
			printf '%s\n' "$out" | sort | tr '\n' ' ' >"cli.$i"
		else
			printf 'ERR' >"cli.$i"
		fi
	done <table
	[ "$(grep -lx ERR cli.* | wc -l)" -eq 12 ]
	under_each_awk expands_as_nodeset
}

@test "the report folds the names of random sets as nodeset -f writes them" {
	need_clustershell
	random_sets 300 one >sets
	# Each set expanded here is the nodes on which a script of its name
	# failed: one report folds them all, a line a set.
	awk -f "$LIB/nodeset.awk" -f "$TOP/tests/nodeset-each.awk" sets |
	    awk '$0 != "ERR" && NF { for (i = 1; i <= NF; i++) print $i, sprintf("set%03d", NR) }' |
	    awk '{ sets[$1] = sets[$1] " " $2 }
	    END {
		for (node in sets) {
			n = split(sets[node], s, " ")
			printf "%s: run\tstart\tb\t1\t2\tyes\t%d\t%d\tdone\n", node, n, n
			for (i = 1; i <= n; i++)
				printf "%s: script\t%s\tfailed\t1\t0.01\n", node, s[i]
			printf "%s: end\t%d\n", node, n
		}
	    }' >answers
	PERNODE_NODESET=no run -1 "$PNS" report answers
	printf '%s\n' "$output" | sed -n 's/^\(set[0-9]*\): failed, exit 1 *[0-9]*  /\1 /p' >got
	/usr/bin/python3 -c '
import sys
from ClusterShell.NodeSet import NodeSet
for i, line in enumerate(open("sets"), 1):
    try:
        ns = NodeSet(line.rstrip("\n"))
    except Exception:
        continue
    if len(ns):
        print("set%03d %s" % (i, ns))
' | sort >expected
	[ "$(wc -l <expected)" -ge 200 ]
	diff expected got
}

@test "report -w and the groups file refuse a bad set with the same words, under each of mawk, gawk and busybox awk installed" {
	cat >bad <<-'EOF'
	n[5-3]
	n[01-100]
	n[1-3/0]
	n[1-3/2]0
	n0[1-10]
	n[1-2][3-4]
	n[1-2]5[3]
	n[1-3
	n1]
	n[[1]]
	n1,,n2
	n!
	n[]
	n[a]
	n[1/2]
	@bad/name
	EOF
	under_each_awk same_words
}
