#!/usr/bin/env bats
# pernode-services list -w NODESET: every node's plan, from the head node,
# folded by node set.

load helpers

setup() {
	pns_setup
}

# groups LINE...: ROOT/groups, one line each.
groups() {
	printf '%s\n' "$@" >"$ROOT/groups"
}

# cluster: a state directory of 12 nodes, n[01-12] and two with dots,
# with groups that refer to each other, masks at each level, a node
# directory found by a short name, and entries that would fail, be
# skipped or are ignored.
cluster() {
	groups '# the racks' 'rack1: n[01-06]' 'rack2: n[07-12]' \
	    'gpu: n[03-04],n09' 'all: @rack1,@rack2' 'ib: @all!@gpu' \
	    'odd: n[01-12/2]&@rack2' 'dotted: d1'
	script global/10-net
	script global/20-time
	script global/30-mount
	script global/40-last
	script @gpu/10-cuda
	script @gpu/20-time
	ln -s /dev/null "$ROOT/@gpu/30-mount"
	script @ib/10-ofed
	script @odd/50-odd
	script @rack2/05-rack
	script @dotted/10-d
	script @nodefs/10-nobody
	mkdir -p "$ROOT/n05" "$ROOT/d1"
	ln -s /dev/null "$ROOT/n05/20-time"
	ln -s ../scripts/gone "$ROOT/n05/30-broken"
	script n05/90-mine
	script d1/90-short
	script n09/90-gpu
	script scripts/shared
	ln -s ../scripts/shared "$ROOT/n09/80-shared"
	script global/50-off
	chmod 644 "$ROOT/global/50-off"
	script global/60-x.rpmsave
}

# per_node W: from list -w W, each node's lines, "NODE LINE" a line, in
# the output's order, by expanding each line's node set with the
# node-set library.
per_node() {
	local line set name
	while IFS= read -r line; do
		set=${line##* }
		line=${line%  *}
		line=${line%"${line##*[! ]}"}
		line=${line% *}
		line=${line%"${line##*[! ]}"}
		PERNODE_W=$set awk -v mode=expand -f "$TOP/scripts/lib/nodeset.awk" \
		    -f "$TOP/scripts/lib/report.awk" </dev/null |
		    while IFS= read -r name; do
			printf '%s %s\n' "$name" "$line"
		done
	done
}

# agrees W NODE...: list -w W says of each NODE what list -n NODE says:
# the scripts it runs, in order, and those that would fail.
agrees() {
	local w=$1 node want got
	shift
	run -1 --separate-stderr pns list -w "$w"
	printf '%s\n' "$output" | per_node >"$BATS_TEST_TMPDIR/per-node"
	for node do
		want=$("${SH[@]}" "$PNS" -n "$node" list 2>"$BATS_TEST_TMPDIR/err") || true
		while IFS= read -r line; do
			case $line in
			*'would fail: '*)
				line=${line#*would fail: }
				want=$want${want:+$'\n'}${line%%: *}": would fail: ${line#*: }"
				;;
			esac
		done <"$BATS_TEST_TMPDIR/err"
		want=$(printf '%s\n' "$want" | sort)
		got=$(grep "^$node " "$BATS_TEST_TMPDIR/per-node" | cut -d' ' -f2- | sort)
		if [ "$got" != "$want" ]; then
			printf 'node %s: list -w says\n%s\nlist -n says\n%s\n' \
			    "$node" "$got" "$want" >&2
			return 1
		fi
		# The order: the plan's, for the scripts that run.
		got=$(grep "^$node " "$BATS_TEST_TMPDIR/per-node" | cut -d' ' -f2- |
		    grep -v ': ')
		want=$("${SH[@]}" "$PNS" -n "$node" list 2>/dev/null) || true
		[ "$got" = "$want" ] ||
		    { printf 'node %s: order %s, not %s\n' "$node" "$got" "$want" >&2; return 1; }
	done
}

@test "list -w prints each script of the nodes' plans once, with how many nodes run it and their set, in plan order" {
	groups 'gpu: n[01-04]' 'login: n[05-06]'
	script global/20-b
	script global/10-a
	script @login/10-l
	script @gpu/10-g
	script n03/10-mine
	run -0 --separate-stderr pns list -w 'n[01-08]'
	[ "$output" = "global/10-a      8  n[01-08]
global/20-b      8  n[01-08]
@gpu/10-g        4  n[01-04]
@login/10-l      2  n[05-06]
n03/10-mine      1  n03" ]
	[ -z "$stderr" ]
	[ -z "$(trace)" ]
	[ ! -e "$RUN" ]
	[ ! -e "$LOG" ]
}

@test "each node's lines of list -w are what list -n NODE shows of it" {
	cluster
	agrees 'n[01-12],d1.cluster,n13.cluster' n01 n02 n03 n04 n05 n06 n07 n08 \
	    n09 n10 n11 n12 d1.cluster n13.cluster
}

@test "each node's lines of list -w are what list -n NODE shows, under each awk" {
	cluster
	checks() {
		agrees 'n[01-12],d1.cluster' n01 n03 n05 n07 n09 n12 d1.cluster
	}
	under_each_awk checks
}

@test "the node set may name the groups of ROOT/groups, with operators" {
	cluster
	run -0 --separate-stderr pns list -w '@gpu'
	[ "$output" = "global/10-net       3  n[03-04,09]
global/20-time      3  n[03-04,09]
global/40-last      3  n[03-04,09]
@gpu/10-cuda        3  n[03-04,09]
@gpu/20-time        3  n[03-04,09]
@odd/50-odd         1  n09
@rack2/05-rack      1  n09
n09/80-shared       1  n09
n09/90-gpu          1  n09" ]
	run -0 pns list -w '@rack2&@odd!n09'
	[[ $output == *$'
@odd/50-odd          2  n[07,11]
'* ]]
}

@test "a mask applies to the nodes of its directory only" {
	cluster
	run -1 --separate-stderr pns list -w 'n[01-06]'
	# n05 masks global/20-time with a link to /dev/null; @gpu/30-mount
	# masks global/30-mount on n[03-04].  A script of the same name
	# in a group's directory runs besides global's (list -n agrees).
	[[ $output == *$'\nglobal/20-time        '*$' 5  n[01-04,06]\n'* ]]
	[[ $output == *$'\nglobal/30-mount       '*$' 4  n[01-02,05-06]\n'* ]]
	[[ $output == *$'\n@gpu/20-time          '*$' 2  n[03-04]\n'* ]]
}

@test "a script that would fail is a line saying why, on the nodes that have it, and list exits 1" {
	cluster
	run -1 --separate-stderr pns list -w 'n[04-06]'
	[[ $output == *$'\nn05/30-broken: would fail: broken symbolic link      1  n05\n'* ]]
	[ -z "$stderr" ]
	run -0 pns list -w 'n[01-04]'
}

@test "an error in ROOT/groups is a line that would fail on every node, as on each node" {
	groups 'a: n[01-02]' 'a: n03' 'b: n[' 'c: @d' 'd: @c'
	script global/10-a
	run -1 --separate-stderr pns list -w 'n[01-03]'
	[ "$output" = 'groups:2: would fail: group a is defined again (first on line 1)      3  n[01-03]
groups:3: would fail: missing ] in "n["                               3  n[01-03]
groups:5: would fail: group d refers to itself, through @c            3  n[01-03]
global/10-a                                                           3  n[01-03]' ]
	run -1 --separate-stderr pns -n n01 list
	[[ $stderr == *'groups:2: group a is defined again (first on line 1)'* ]]
	[[ $stderr == *'groups:5: group d refers to itself, through @c'* ]]
}

@test "a groups file that cannot be trusted is one line that would fail, and no group is used" {
	groups 'g: n01'
	script @g/10-g
	script global/10-a
	chmod 666 "$ROOT/groups"
	run -1 --separate-stderr pns list -w n01
	[[ $output == 'groups: would fail: refused: writable by group or others (-rw-rw-rw-); no groups used      1  n01'$'\n''global/10-a '* ]]
	[[ $output != *@g/* ]]
}

@test "with -v, the masked and skipped entries are lines too, and the nodes that run nothing are named" {
	cluster
	rm "$ROOT/global/"[1-4]0-*
	run -0 --separate-stderr pns -v list -w 'n[03-04],x[1-2]'
	[ "$output" = 'global/50-off: skipped: not executable                           4  n[03-04],x[1-2]
global/60-x.rpmsave: skipped: ignored name                       4  n[03-04],x[1-2]
@gpu/10-cuda                                                     2  n[03-04]
@gpu/20-time                                                     2  n[03-04]
@gpu/30-mount: masks this name in less specific directories      2  n[03-04]' ]
	[ "$stderr" = 'pernode-services list: nothing to run on 2 nodes: x[1-2]' ]
	run -0 --separate-stderr pns list -w 'n[03-04],x[1-2]'
	[ -z "$stderr" ]
}

@test "a bad node set is refused in one line that names it, exit 2" {
	cluster
	run -2 --separate-stderr pns list -w 'n[1-'
	[ "$stderr" = 'pernode-services list: bad node set "n[1-": missing ] in "n[1-"' ]
	run -2 --separate-stderr pns list -w '@nosuch'
	[ "$stderr" = 'pernode-services list: bad node set "@nosuch": no group @nosuch in ROOT/groups' ]
	run -2 --separate-stderr pns list -w 'n01,global'
	[ "$stderr" = 'pernode-services list: node name "global" cannot be a host name' ]
	run -2 --separate-stderr pns list -w 'n01!n01'
	[ "$stderr" = 'pernode-services list: node set "n01!n01" has no node' ]
	run -2 --separate-stderr pns list -w ''
	[[ $stderr == 'pernode-services: empty NODESET'$'\n''usage: '* ]]
	[ -z "$output" ]
}

@test "-w is for list alone, with no SCRIPT, no -n and no --changed" {
	run -2 --separate-stderr pns start -w n01
	[[ $stderr == 'pernode-services: -w is for list only'$'\n'* ]]
	run -2 --separate-stderr pns list -w n01 global/10-a
	[[ $stderr == 'pernode-services: -w takes no SCRIPT'$'\n'* ]]
	run -2 --separate-stderr pns list --changed -w n01
	[[ $stderr == 'pernode-services: -w and --changed do not go together'$'\n'* ]]
	run -2 --separate-stderr pns -n n01 list -w n01
	[[ $stderr == 'pernode-services: -w and -n do not go together'$'\n'* ]]
	run -2 --separate-stderr pns list -w
	[[ $stderr == 'pernode-services: option -w needs an argument'$'\n'* ]]
	[ -z "$(trace)" ]
}

@test "list -w refuses a state directory that is missing or cannot be trusted (exit 6); a directory in it that cannot be trusted would fail" {
	run -6 --separate-stderr pns -r "$BATS_TEST_TMPDIR/nowhere" list -w n01
	[ "$stderr" = "pernode-services: state directory $BATS_TEST_TMPDIR/nowhere is missing" ]
	chmod 777 "$ROOT"
	run -6 --separate-stderr pns list -w n01
	[ "$stderr" = "pernode-services: refused: $ROOT is writable by group or others (drwxrwxrwx)" ]
	[ -z "$output" ]
	chmod 755 "$ROOT"
	script global/10-a
	chmod 777 "$ROOT/global"
	run -1 --separate-stderr pns list -w n01
	[[ $output == 'global/10-a: would fail: refused: its directory is '*'  1  n01' ]]
}

@test "a directory of ROOT that is a link out of it is one line that would fail, on the nodes of its plan" {
	mkdir -p "$BATS_TEST_TMPDIR/elsewhere"
	ln -s "$BATS_TEST_TMPDIR/elsewhere" "$ROOT/n02"
	script global/10-a
	run -1 --separate-stderr pns list -w 'n[01-02]'
	[[ $output == *$'\nn02/: would fail: refused: directory out of ROOT, at '*'  1  n02' ]]
}

@test "list -w folds sets as ClusterShell's nodeset does" {
	need nodeset clustershell
	groups 'a: n[1-3,10-12],m[01-03]' 'b: rack[1-2]n[1-2]'
	script @a/10-a
	script @b/10-b
	script global/10-g
	run -0 --separate-stderr pns list -w '@a,@b,x1,x01'
	local line set
	while IFS= read -r line; do
		set=${line##* }
		[ "$(nodeset -f "$set")" = "$set" ]
	done <<<"$output"
	[[ $output == *"global/10-g     15  $(nodeset -f 'n[1-3,10-12],m[01-03],rack[1-2]n[1-2],x1,x01')"* ]]
}

@test "-w ^FILE takes the node sets of FILE, one a line, as pdsh does, relative to the caller's directory" {
	cluster
	printf 'n01\n\n  n[02-03] \n' >"$BATS_TEST_TMPDIR/hosts"
	run -0 --separate-stderr pns list -w 'n[01-03]'
	local want=$output
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr pns list -w ^hosts
	[ "$output" = "$want" ]
	run -2 --separate-stderr pns list -w ^nowhere
	[ "$stderr" = "pernode-services list: cannot read FILE \"$BATS_TEST_TMPDIR/nowhere\"" ]
	: >"$BATS_TEST_TMPDIR/empty"
	run -2 --separate-stderr pns list -w ^empty
	[ "$stderr" = "pernode-services list: FILE \"$BATS_TEST_TMPDIR/empty\" names no node" ]
	run -2 --separate-stderr pns list -w ^
	[[ $stderr == 'pernode-services: empty NODESET'$'\n'* ]]
}

@test "with --machine, each plan is its scripts in order with their digests now, and each node names its plan" {
	cluster
	run -1 --separate-stderr pns --machine list -w 'n[04-05]'
	local d
	d=$(cd "$ROOT" && cksum global/10-net | awk '{ print $1 "-" $2 }')
	[ "$output" = "plan	1	global/10-net	$d
plan	1	global/20-time	$d
plan	1	global/40-last	$d
plan	1	@gpu/10-cuda	$d
plan	1	@gpu/20-time	$d
plan	2	global/10-net	$d
plan	2	global/30-mount	$d
plan	2	global/40-last	$d
plan	2	@ib/10-ofed	$d
plan	2	n05/30-broken	-
plan	2	n05/90-mine	$d
node	1	n04
node	2	n05" ]
	# A link's digest is its target's.
	printf 'echo other\n' >>"$ROOT/scripts/shared"
	run -0 --separate-stderr pns --machine list -w n09
	d=$(cd "$ROOT" && cksum scripts/shared | awk '{ print $1 "-" $2 }')
	[[ $output == *$'\tn09/80-shared\t'"$d"$'\n'* ]]
	run -2 --separate-stderr pns --machine list
	[[ $stderr == 'pernode-services: --machine is for status and list -w only'$'\n'* ]]
}
