#!/usr/bin/env bats
# A simulated cluster: 32 nodes n001..n032 (tests/e2e/cluster.sh) boot at
# once from one state directory, then administrators rerun a subset by
# hand through pdsh and clush.  The tests read one cluster's story in
# order: the boot, status, then the reruns.

# shellcheck disable=SC2030,SC2031 # run sets lines in each test, and expected_report reads them there
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

# How soon a node goes on is the scheduler's as much as ours (a waiter
# starved past its quiet second meets the daemon's next write, 2 to 4 s
# on, and must wait a second after that one): it is measured in make
# bench (tests/bench/cluster.sh), not here.  What holds under any load:
# the accounts were there (the script records them only once
# pernode_wait_accounts returned 0, not at its limit), written at least a
# second before.
@test "each node went on once its accounts had settled: a quiet second after the last write" {
	for node in $NODES; do
		# The account was there when the global script went on.
		[ "$(cat "$CL/nodes/$node/trace.accounts")" = 1 ]
		went=$(awk '$2 == "global/10-accounts" { print $4; exit }' "$CL/nodes/$node/trace")
		# The last write surely before it went on (ended before), and
		# how long before it began: never more than the quiet it saw.
		quiet=$(awk -v went="$went" '$1 == "write" && $3 <= went { last = $2 }
		    END { print (last == "" ? -1 : went - last) }' "$CL/nodes/$node/prov")
		ge "$quiet" 0.95 || {
			printf '%s: went on %s s after the last write\n' "$node" "$quiet" >&2
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

# --- The report, last: it takes the cluster as the earlier tests left it,
# and then spoils three nodes for good.

# spoiled: once, n030's record made one of an earlier boot, n031's gone
# (as if the runner never ran there), n032 down (it cannot answer).
spoiled() {
	[ -e "$CL/spoiled" ] && return
	"$E2E/cluster.sh" enter "$CL" n030 sed -i \
	    '1s/, boot [^,]*,/, boot 00000000-0000-0000-0000-000000000000,/' \
	    /run/pernode-services/status
	"$E2E/cluster.sh" enter "$CL" n031 rm /run/pernode-services/status
	"$E2E/cluster.sh" down "$CL" n032
	: >"$CL/spoiled"
}

# report_over TOOL ARGS...: report -w on the cluster through TOOL's exec
# worker, which enters each node (%h) to run status --machine there.
report_over() {
	PERNODE_REPORT_TOOL=$1 \
	PERNODE_REPORT_COMMAND="$E2E/cluster.sh enter $CL %h /etc/init.d/pernode-services status --machine" \
	    "$TOP/scripts/pernode-services" report -R exec "${@:2}"
}

# The report every way of asking must give.
expected_report() {
	[[ ${lines[0]} =~ ^ok\ +28\ \ n\[001-012,014-029\]$ ]]
	[[ ${lines[1]} =~ ^n013/30-fails:\ failed,\ exit\ 7\ +1\ \ n013$ ]]
	[[ ${lines[2]} =~ ^not\ run\ since\ boot\ +1\ \ n030$ ]]
	[[ ${lines[3]} =~ ^no\ run\ recorded\ +1\ \ n031$ ]]
	# (The down node's own line says why, its name folded to %h.)
	[[ ${lines[4]} =~ ^no\ answer:\ .*no\ node\ %h.*\ +1\ \ n032$ ]]
	[ "${#lines[@]}" -eq 5 ]
}

@test "report -w through real pdsh: 28 ok, n013's failure, a node not run since boot, one never run, one down" {
	command -v pdsh >/dev/null || skip "pdsh not installed (apt-get install pdsh)"
	spoiled
	run -1 --separate-stderr report_over pdsh -w 'n[001-032]' -t 20
	printf '%s\n%s\n' "$output" "$stderr"
	expected_report
	[[ $stderr == *"4 lines from pdsh or clush, not from the nodes, about: n[013,030-032]"* ]]
	# Kept for the README's example.
	printf '%s\n' "$output" >"$BATS_FILE_TMPDIR/report"
}

@test "report - on pdsh output captured by hand gives the same report" {
	command -v pdsh >/dev/null || skip "pdsh not installed (apt-get install pdsh)"
	spoiled
	pdsh -R exec -w 'n[001-032]' "$E2E/cluster.sh" enter "$CL" %h \
	    /etc/init.d/pernode-services status --machine >captured 2>&1 || true
	run -1 --separate-stderr "$TOP/scripts/pernode-services" report -w 'n[001-032]' - <captured
	expected_report
	# Without -w, the node that is down is known only from pdsh's line.
	run -1 --separate-stderr "$TOP/scripts/pernode-services" report captured
	expected_report
}

@test "report -w through clush gives the same report" {
	command -v clush >/dev/null || skip "clush not installed (apt-get install clustershell)"
	spoiled
	run -1 --separate-stderr report_over clush -w 'n[001-032]' -t 20 -f 8
	printf '%s\n%s\n' "$output" "$stderr"
	expected_report
}

# The apply story, after the report's: the administrator changes the
# state directory on the head node and applies the change.

# apply_over TOOL ARGS...: apply on the cluster through TOOL's exec
# worker, which enters each node (%h) to run the runner there; the head
# node reads the plans from the cluster's state directory.
apply_over() {
	PERNODE_REPORT_TOOL=$1 PERNODE_ROOT=$CL/state \
	PERNODE_REMOTE="$E2E/cluster.sh enter $CL %h /etc/init.d/pernode-services" \
	    "$TOP/scripts/pernode-services" apply -R exec "${@:2}"
}

# before: each node's trace as it is now, to compare with after.
before() {
	local node
	for node in $NODES; do
		cp "$CL/nodes/$node/trace" "$CL/nodes/$node/trace.before"
	done
}

# since NODE: "PATH ACTION" of each script NODE ran since before.
since() {
	tail -n +"$(($(wc -l <"$CL/nodes/$1/trace.before") + 1))" "$CL/nodes/$1/trace" |
	    awk '{ print $2, $3 }'
}

@test "apply through real pdsh: a changed group script runs on that group's nodes alone, and only it; n013's failure runs again" {
	command -v pdsh >/dev/null || skip "pdsh not installed (apt-get install pdsh)"
	spoiled
	printf '# changed\n' >>"$CL/state/@shared/50-shared"
	run -0 --separate-stderr apply_over pdsh -n -w 'n[001-029]' -t 20
	[[ ${lines[0]} =~ ^@shared/50-shared\ +8\ \ n\[001-008\]$ ]]
	[[ ${lines[1]} =~ ^n013/30-fails\ +1\ \ n013$ ]]
	[ "${#lines[@]}" -eq 2 ]
	before
	run -1 --separate-stderr apply_over pdsh -y -w 'n[001-029]' -t 20
	printf '%s\n%s\n' "$output" "$stderr"
	[ "${lines[2]}" = 'pernode-services apply: applied; now:' ]
	[[ ${lines[3]} =~ ^ok\ +28\ \ n\[001-012,014-029\]$ ]]
	[[ ${lines[4]} =~ ^n013/30-fails:\ failed,\ exit\ 7\ +1\ \ n013$ ]]
	[ "${#lines[@]}" -eq 5 ]
	for node in $NODES; do
		case $node in
		n00[1-8]) want='@shared/50-shared start' ;;
		n013) want='n013/30-fails start' ;;
		*) want='' ;;
		esac
		[ "$(since "$node")" = "$want" ] ||
		    { printf '%s ran: %s\n' "$node" "$(since "$node")" >&2; return 1; }
	done
}

@test "apply through clush: a new global script runs once on every node it reaches, the nodes behind run their plan, the one down is named, and apply exits 1" {
	command -v clush >/dev/null || skip "clush not installed (apt-get install clustershell)"
	spoiled
	cluster_script global/70-new
	before
	run -1 --separate-stderr apply_over clush -y -w 'n[001-032]' -t 20 -f 8
	printf '%s\n%s\n' "$output" "$stderr"
	[[ ${lines[0]} =~ ^global/10-accounts\ +2\ \ n\[030-031\]$ ]]
	[[ ${lines[1]} =~ ^global/70-new\ +31\ \ n\[001-031\]$ ]]
	[[ ${lines[2]} =~ ^n013/30-fails\ +1\ \ n013$ ]]
	[[ ${lines[3]} =~ ^n030/20-own\ +1\ \ n030$ ]]
	[[ ${lines[4]} =~ ^no\ answer:\ .*no\ node\ %h.*\ +1\ \ n032$ ]]
	[ "${lines[5]}" = 'pernode-services apply: applied; now:' ]
	[[ ${lines[6]} =~ ^ok\ +30\ \ n\[001-012,014-031\]$ ]]
	[[ ${lines[7]} =~ ^n013/30-fails:\ failed,\ exit\ 7\ +1\ \ n013$ ]]
	[[ ${lines[8]} =~ ^no\ answer:\ .*no\ node\ %h.*\ +1\ \ n032$ ]]
	[ "${#lines[@]}" -eq 9 ]
	for node in $NODES; do
		[ "$node" != n032 ] || continue
		[ "$(since "$node" | grep -c '^global/70-new start$')" -eq 1 ] ||
		    { printf '%s ran: %s\n' "$node" "$(since "$node")" >&2; return 1; }
	done
	[ -z "$(since n032)" ]
}
