#!/usr/bin/env bats
# pernode-services: node groups (ROOT/groups, ROOT/@NAME/) and masking.

load helpers

setup() {
	pns_setup
}

# groups LINE...: ROOT/groups, one line each.
groups() {
	printf '%s\n' "$@" >"$ROOT/groups"
}

# member NODESET NODE: whether NODE is in a group defined as NODESET, by
# what list shows of NODE's plan.
member() {
	groups "g: $1"
	mkdir -p "$ROOT/@g"
	[ -x "$ROOT/@g/x" ] || script @g/x
	[ "$("${SH[@]}" "$PNS" -n "$2" list 2>/dev/null)" = @g/x ]
}

@test "a group's scripts run after global's and before the node's, on its members only" {
	groups 'gpu: n[050-060]' 'login: n[001-004]'
	script global/10-a
	script @gpu/10-g
	script @login/10-l
	script n059/10-n
	run -0 pns start
	[ "$(trace)" = "global/10-a start
@gpu/10-g start
n059/10-n start" ]
	[[ $output == *"ok        @gpu/10-g ("* ]]
	run -0 pns -n n061 list
	[ "$output" = global/10-a ]
	run -0 pns -n n003 list
	[ "$output" = "global/10-a
@login/10-l" ]
}

@test "groups run in byte order of their names, and stop runs the whole plan in reverse" {
	groups 'b: n059' 'a: n059' 'B: n059'
	script @a/10-x
	script @b/10-x
	script @B/10-x
	script global/10-x
	script n059/10-x
	run -0 pns start
	[ "$(trace)" = "global/10-x start
@B/10-x start
@a/10-x start
@b/10-x start
n059/10-x start" ]
	: >"$TRACE"
	run -0 pns stop
	[ "$(trace)" = "n059/10-x stop
@b/10-x stop
@a/10-x stop
@B/10-x stop
global/10-x stop" ]
}

@test "membership follows ClusterShell: ranges, padding, lists, steps, several brackets" {
	while read -r set node want; do
		if member "$set" "$node"; then got=yes; else got=no; fi
		[ "$got" = "$want" ] || { printf '%s %s: %s, not %s\n' "$set" "$node" "$got" "$want" >&2; return 1; }
	done <<-'CASES'
	n059 n059 yes
	n059 n05 no
	n[001-016,020] n016 yes
	n[001-016,020] n020 yes
	n[001-016,020] n017 no
	n[001-016,020] n16 no
	n[1-16] n16 yes
	n[1-16] n016 no
	n[0-10] n0 yes
	n[0-10] n00 no
	n[08-10] n09 yes
	n[08-10] n9 no
	rack[1-4]n[01-32] rack3n07 yes
	rack[1-4]n[01-32] rack5n07 no
	rack[1-4]n[01-32] rack3n7 no
	gpu-[1-8]s[1-2] gpu-8s2 yes
	gpu-[1-8]s[1-2] gpu-8s3 no
	n[01-32/2] n31 yes
	n[01-32/2] n32 no
	n[1-2]0 n20 yes
	n[1-2]0 n2 no
	[1-3] 2 yes
	n[1-3],n7 n7 yes
	n[1-5]!n3 n3 no
	n[1-5]!n3 n4 yes
	n[1-5]&n[4-9] n4 yes
	n[1-5]&n[4-9] n3 no
	n[1-5]^n[4-9] n6 yes
	n[1-5]^n[4-9] n4 no
	n5,n[1-4]!n5 n5 no
	CASES
}

@test "words of a definition are joined with commas, and operators apply left to right" {
	member 'n5 n[1-4]!n5' n5 && false
	member 'n5 n[1-4]!n5' n4
	member 'n1,n2 n3!n1' n3
	member 'n1,n2 n3!n1' n1 && false
	true
}

@test "a group may refer to others; one never defined is an empty set" {
	groups 'compute: n[001-100]' 'gpu: n[001-010]' 'cpu: @compute!@gpu' 'other: @nowhere,n200'
	script @cpu/10-c
	script @other/10-o
	run -0 pns -n n050 list
	[ "$output" = @cpu/10-c ]
	run -0 pns -n n005 list
	[ -z "$output" ]
	run -0 --separate-stderr pns -v -n n200 list
	[ "$output" = @other/10-o ]
	[[ $stderr == *"@nowhere: referred to, never defined"* ]]
}

@test "a cycle of references is an error naming the line, not a hang; other groups work" {
	groups 'a: @b' 'b: n1,@a' 'ok: n059'
	script @a/10-a
	script @ok/10-ok
	run -1 --separate-stderr timeout 10 "${SH[@]}" "$PNS" start
	[[ $output == *"failed    groups:"*": group "*" refers to itself, through @"* ]]
	[ "$(trace)" = "@ok/10-ok start" ]
}

@test "a malformed line is reported once with its line number, ignored, and counted as a failure" {
	groups '# comment' '' 'good: n059' 'bad: n[1-3' 'worse n059' 'good: n1'
	script @good/10-g
	script @bad/10-b
	run -1 pns start
	[ "$(trace)" = "@good/10-g start" ]
	[ "$(grep -c '^failed    groups:4: missing ] in "n\[1-3"' <<<"$output")" -eq 1 ]
	[[ $output == *'failed    groups:5: not a definition "NAME: NODESET"'* ]]
	[[ $output == *"failed    groups:6: group good is defined again (first on line 3)"* ]]
	[[ $output == *"pernode-services: start on n059: 1 run, 3 failed" ]]
	run -1 pns status
	[[ $output == *"groups:4"* ]]
	run -1 --separate-stderr pns list
	[[ $stderr == *"would fail: groups:4: missing ]"* ]]
}

@test "a malformed line is said on stderr and in the log as well" {
	groups 'bad: n[1-3' 'good: n059'
	script global/10-a
	run -1 --separate-stderr pns start
	[ "$(grep -c 'groups:1: missing ] in "n\[1-3"' <<<"$stderr")" -eq 1 ]
	[[ $stderr == 'pernode-services: groups:1: missing ] in "n[1-3"' ]]
	grep -qF '=== groups:1: missing ] in "n[1-3"' "$LOG"
	[[ $output == *'failed    groups:1: missing ] in "n[1-3"'* ]]
}

@test "start NAME of a masked script says what masks it" {
	script global/20-ntp
	script global/30-b
	mkdir -p "$ROOT/n059"
	ln -s /dev/null "$ROOT/n059/20-ntp"
	run -2 --separate-stderr pns start global/20-ntp
	[[ $stderr == *"SCRIPT 'global/20-ntp' does not run on n059: masked by n059/20-ntp"* ]]
	run -2 --separate-stderr pns start 20-ntp
	[[ $stderr == *"SCRIPT '20-ntp' does not run on n059: "* ]]
	[ -z "$(trace)" ]
	run -0 pns start 30-b
}

@test "ClusterShell's parse errors are ours: padding, order, steps, empty parts, brackets" {
	for bad in 'n[01-100]' 'n[5-3]' 'n[1-3/0]' 'n[]' 'n1,,n2' 'n1,' ',n1' 'n!' \
	    'n[1-2][3-4]' 'n1]' 'n[a]' 'n[1-2,]' 'n[1/2]'; do
		groups "g: $bad" 'h: n059'
		run -1 pns list
		[[ $output == *"would fail: groups:1: "* ]] || { printf 'accepted: %s\n' "$bad" >&2; return 1; }
	done
}

@test "a directory without a definition, or a definition without a directory, is no failure; list -v says so" {
	groups 'lonely: n059'
	script @nodef/10-x
	script global/10-a
	run -0 --separate-stderr pns -v list
	[ "$output" = global/10-a ]
	[[ $stderr == *"@nodef/: no definition in ROOT/groups"* ]]
	[[ $stderr == *"lonely: defined, with no directory @lonely/"* ]]
	run -0 pns start
}

@test "without a groups file, @NAME/ directories run nowhere" {
	script @gpu/10-g
	script global/10-a
	run -0 pns start
	[ "$(trace)" = "global/10-a start" ]
}

@test "a node's link to /dev/null masks global's and groups' entries of that name, on that node only" {
	groups 'gpu: n[059-060]'
	script global/10-ntp
	script @gpu/10-ntp
	script global/20-b
	ln -s /dev/null "$(mkdir -p "$ROOT/n059" && printf '%s' "$ROOT/n059/10-ntp")"
	run -0 pns start
	[ "$(trace)" = "global/20-b start" ]
	[[ $output == *"start on n059: 1 run, 0 failed" ]]
	run -0 pns -n n060 list
	[ "$output" = "global/10-ntp
global/20-b
@gpu/10-ntp" ]
	run -0 --separate-stderr pns -v list
	[[ $stderr == *"masked    global/10-ntp: masked by n059/10-ntp"* ]]
	[[ $stderr == *"masked    @gpu/10-ntp: masked by n059/10-ntp"* ]]
}

@test "a group's link to /dev/null masks global's entry on the group's nodes, not another group's" {
	groups 'login: n[001-004]' 'other: n[001-004]'
	script global/20-lustre
	script @other/20-lustre
	mkdir -p "$ROOT/@login"
	ln -s /dev/null "$ROOT/@login/20-lustre"
	run -0 pns -n n002 list
	[ "$output" = @other/20-lustre ]
	run -0 pns -n n005 list
	[ "$output" = global/20-lustre ]
}

@test "a rerun names group scripts as @NAME/entry, and the record and log do too" {
	groups 'gpu: n059'
	script @gpu/10-g
	script global/10-a
	run -0 pns start
	: >"$TRACE"
	run -0 pns start @gpu/10-g
	[ "$(trace)" = "@gpu/10-g start" ]
	run -0 pns status
	[[ $output == *"ok        @gpu/10-g ("* ]]
	grep -q '^--- @gpu/10-g start, ' "$LOG"
}

@test "a name with dots is matched by its first part too" {
	groups 'gpu: n059'
	script @gpu/10-g
	run -0 pns -n n059.cluster.example.org list
	[ "$output" = @gpu/10-g ]
}

@test "a groups file that is a link out of ROOT is refused: one failure, no groups" {
	printf 'gpu: n059\n' >"$BATS_TEST_TMPDIR/outside"
	ln -s "$BATS_TEST_TMPDIR/outside" "$ROOT/groups"
	script @gpu/10-g
	run -1 pns start
	[ -z "$(trace)" ]
	[[ $output == *"failed    groups: a symbolic link out of ROOT"* ]]
}

@test "as root, a groups file writable by others is refused" {
	[ "$(id -u)" -eq 0 ] || skip "the ownership check is tested as root"
	groups 'gpu: n059'
	chmod 666 "$ROOT/groups"
	script @gpu/10-g
	run -1 pns start
	[ -z "$(trace)" ]
	[[ $output == *"refused   groups: writable by group or others"* ]]
}
