#!/usr/bin/env bats
# A simulated cluster: 32 nodes n001..n032 (tests/e2e/cluster.sh) boot at
# once from one state directory, then administrators rerun a subset by
# hand through pdsh and clush.  The tests read one cluster's story in
# order: the boot, status, then the reruns.

load lib

NODES=$(printf 'n%03d ' $(seq 32))

setup_file() {
	if ! e2e_need_root; then
		file_skipping
		return
	fi
	CL=$BATS_FILE_TMPDIR/cluster
	export CL
	"$E2E/cluster.sh" install "$CL"
	cluster_script global/10-accounts '
		if [ "$1" = start ]; then
			pernode_wait_accounts 60 || exit 1
		fi
		grep -c "^e2e-$PERNODE_HOSTNAME:" /etc/passwd >"$trace.accounts"'
	# What an administrator would write for 8 nodes: a group, and one
	# node masking one of its scripts.
	printf 'shared: n[001-008]\n' >"$CL/state/groups"
	cluster_script @shared/50-shared
	cluster_script @shared/60-masked
	mkdir -p "$CL/state/n005"
	ln -s /dev/null "$CL/state/n005/60-masked"
	for node in n010 n020 n030; do
		cluster_script "$node/20-own"
	done
	cluster_script n013/30-fails 'rc=7'
	# shellcheck disable=SC2086 # one word per node
	"$E2E/cluster.sh" boot "$CL" $NODES
	"$E2E/cluster.sh" wait "$CL" 90
}

teardown_file() {
	"$E2E/cluster.sh" halt "$CL"
}

setup() {
	common_setup
}

# cluster_script PATH [BODY]: a script in the state directory that sources
# functions, runs BODY, records "run PATH ACTION UPTIME" in its node's
# trace, and exits with $rc (which BODY may set).
cluster_script() {
	local path=$CL/state/$1
	mkdir -p "${path%/*}"
	cat >"$path" <<-SCRIPT
	#!/bin/sh
	. "\$PERNODE_ROOT/functions"
	trace='$CL/nodes/'"\$PERNODE_HOSTNAME"/trace
	${2:-}
	read -r up _ </proc/uptime
	printf 'run %s %s %s\n' "\${0#"\$PERNODE_ROOT"/}" "\$1" "\$up" >>"\$trace"
	exit "\${rc:-0}"
	SCRIPT
	chmod 755 "$path"
}

# The scripts node $1 should run, in order.
expected() {
	printf 'global/10-accounts\n'
	case $1 in n00[1-8]) printf '@shared/50-shared\n' ;; esac
	case $1 in n00[1-46-8]) printf '@shared/60-masked\n' ;; esac
	case $1 in n010 | n020 | n030) printf '%s/20-own\n' "$1" ;; esac
	case $1 in n013) printf 'n013/30-fails\n' ;; esac
}

# over TOOL NODESET ACTION: /etc/init.d/pernode-services ACTION on every
# node of NODESET, through TOOL (pdsh or clush) with its exec worker, which
# enters each node's namespaces; exit status the largest of the nodes'.
over() {
	"$1" -S -R exec -w "$2" "$E2E/cluster.sh" enter "$CL" %h \
	    /etc/init.d/pernode-services "$3"
}

# ran NODE ACTION: the scripts that ran on NODE with ACTION, in order.
ran() {
	awk -v a="$2" '$3 == a { print $2 }' "$CL/nodes/$1/trace"
}

@test "all 32 nodes booted at once and finished, the failing node alone with status 1" {
	first=$(cat "$CL"/nodes/*/times | awk '$1 == "booted" { print $2 }' | sort -g | head -n 1)
	last=$(cat "$CL"/nodes/*/times | awk '$1 == "done" { print $2 }' | sort -g | tail -n 1)
	printf '# 32 nodes: boot to last done %.2f s\n' "$(awk -v a="$first" -v b="$last" 'BEGIN { print b - a }')" >&3
	for node in $NODES; do
		want=0
		[ "$node" != n013 ] || want=1
		[ "$(awk '$1 == "done" { print $3 }' "$CL/nodes/$node/times")" = "$want" ]
	done
}

@test "every node ran the global script, then its group's and its own, once each, in order" {
	for node in $NODES; do
		[ "$(ran "$node" start)" = "$(expected "$node")" ] || {
			printf '%s ran:\n%s\n' "$node" "$(ran "$node" start)" >&2
			return 1
		}
	done
}

@test "the head node previews every node's plan with list -n, the group and the mask included" {
	for node in $NODES; do
		[ "$(sh "$CL/image/etc/init.d/pernode-services" -n "$node" list)" = "$(expected "$node")" ] || {
			printf '%s: list says\n%s\n' "$node" "$(sh "$CL/image/etc/init.d/pernode-services" -n "$node" list)" >&2
			return 1
		}
	done
}

@test "each node went on once its accounts had settled, and waited no longer" {
	for node in $NODES; do
		# The account was there when the global script went on.
		[ "$(cat "$CL/nodes/$node/trace.accounts")" = 1 ]
		written=$(awk '$1 == "write" { print $2; exit }' "$CL/nodes/$node/prov")
		went=$(awk '$2 == "global/10-accounts" { print $4; exit }' "$CL/nodes/$node/trace")
		waited=$(awk -v a="$written" -v b="$went" 'BEGIN { print b - a }')
		# One second of quiet (-s 1), then no more than the scheduling
		# of 32 nodes on two cores adds.
		ge "$waited" 0.95 && lt "$waited" 2.5 || {
			printf '%s: went on %s s after the first write\n' "$node" "$waited" >&2
			return 1
		}
	done
}

@test "the state directory is read-only on the nodes" {
	run ! "$E2E/cluster.sh" enter "$CL" n001 touch "$CL/state/global/new"
	[[ $output == *'Read-only file system'* ]]
	[ ! -e "$CL/state/global/new" ]
}

@test "pdsh status over all nodes: only n013 reports a failure" {
	command -v pdsh >/dev/null || skip "pdsh not installed (apt-get install pdsh)"
	run -1 over pdsh 'n[001-032]' status
	printf '%s\n' "$output"
	[ "$(grep -c ': pernode-services: last start on n[0-9]*: [0-9]* run, 0 failed$' <<<"$output")" = 31 ]
	grep -qx 'n013: pernode-services: last start on n013: 2 run, 1 failed' <<<"$output"
	grep -qx 'n013: failed    n013/30-fails: exit status 7 ([0-9.]* s)' <<<"$output"
	[ "$(grep -c 'failed  ' <<<"$output")" = 1 ]
}

@test "a pdsh rerun on n011-n014 runs their scripts once more and names n013's failure only" {
	command -v pdsh >/dev/null || skip "pdsh not installed (apt-get install pdsh)"
	run -1 over pdsh 'n[011-014]' start
	printf '%s\n' "$output"
	grep -qx 'n013: failed    n013/30-fails: exit status 7 ([0-9.]* s)' <<<"$output"
	[ "$(grep -c '^n01[1-4]: pernode-services: start on n01[1-4]: ' <<<"$output")" = 4 ]
	[ "$(grep -c 'failed  ' <<<"$output")" = 1 ]
	for node in $NODES; do
		runs=1
		case $node in n01[1-4]) runs=2 ;; esac
		[ "$(ran "$node" start)" = "$(for _ in $(seq "$runs"); do expected "$node"; done)" ]
	done
}

@test "clush runs status on a node set and gathers each node's answer" {
	command -v clush >/dev/null || skip "clush not installed (apt-get install clustershell)"
	run -1 over clush 'n[012-013]' status
	printf '%s\n' "$output"
	grep -qx 'n012: pernode-services: last start on n012: 1 run, 0 failed' <<<"$output"
	grep -qx 'n013: pernode-services: last start on n013: 2 run, 1 failed' <<<"$output"
}
