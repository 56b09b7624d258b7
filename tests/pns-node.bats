#!/usr/bin/env bats
# pernode-services: which node directory is used.

load helpers

setup() {
	pns_setup
	script global/10-g
}

@test "-n, --node and --node= choose the node" {
	script n060/10-x
	for form in '-n n060' '--node n060' '--node=n060' '-nn060'; do
		: >"$TRACE"
		# shellcheck disable=SC2086 # the form is two words or one
		run -0 pns $form start
		[ "$(trace)" = "global/10-g start
n060/10-x start" ]
	done
}

@test "without -n or PERNODE_HOSTNAME, the node is uname -n" {
	need_ns uts
	script n123/10-x
	unset PERNODE_HOSTNAME
	run -0 unshare --uts sh -c 'hostname n123 && exec "$@"' sh "${SH[@]}" "$PNS" start
	[ "$(trace)" = "global/10-g start
n123/10-x start" ]
}

@test "a fully qualified hostname falls back to the part before the first dot" {
	need_ns uts
	script n059/10-x
	unset PERNODE_HOSTNAME
	run -0 unshare --uts sh -c 'hostname n059.cluster.example.org && exec "$@"' \
	    sh "${SH[@]}" "$PNS" start
	[ "$(trace)" = "global/10-g start
n059/10-x start" ]
}

@test "a directory named with the full name wins over the short one" {
	script n059.cluster/10-full
	script n059/10-short
	run -0 pns -n n059.cluster start
	[ "$(trace)" = "global/10-g start
n059.cluster/10-full start" ]
}

@test "PERNODE_HOSTNAME is the node directory actually used" {
	script n059/10-x "printf '%s\n' \"\$PERNODE_HOSTNAME\" >'$BATS_TEST_TMPDIR/host'"
	run -0 pns -n n059.cluster.example.org start
	[ "$(cat "$BATS_TEST_TMPDIR/host")" = n059 ]
}

@test "a node without a directory runs the global scripts only" {
	run -0 pns -n n999 start
	[ "$(trace)" = "global/10-g start" ]
}

@test "-n with a name that cannot be a host name is a usage error, and nothing runs" {
	script scripts/10-shared
	script bin/10-tool
	printf '#!/bin/sh\ntouch %s/ran\n' "$BATS_TEST_TMPDIR" >"$BATS_TEST_TMPDIR/10-x"
	chmod 755 "$BATS_TEST_TMPDIR/10-x"
	for bad in '' . .. ../.. global scripts bin functions groups 'a/b' '../root' \
	    .hidden @gpu -n059 'n 059' n059. 'n..59' "a
b"; do
		run -2 --separate-stderr pns -n "$bad" start
		[ -z "$(trace)" ]
		shown=${bad/$'\n'/\\n}
		[[ $stderr == *"node name '$shown' cannot be a host name"* ]]
		[[ $stderr == *"usage: pernode-services"* ]]
	done
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	[ ! -e "$RUN/status" ]
}

@test "a bad host name at boot is a failed run, recorded, never a run of global/ alone" {
	for bad in @gpu a/b . global; do
		PERNODE_HOSTNAME=$bad run -6 --separate-stderr pns start
		[ -z "$(trace)" ]
		[[ $stderr == *"node name '$bad' cannot be a host name"* ]]
		run -1 pns status
		[[ $output == *"last start failed: node name '$bad' cannot be a host name"* ]]
	done
	PERNODE_HOSTNAME=@gpu run -6 --separate-stderr pns list
	[[ $stderr == *"node name '@gpu' cannot be a host name"* ]]
}

@test "a host name of more than 253 bytes is refused, one of 253 taken" {
	long=$(printf 'n%.0s' $(seq 253))
	run -0 pns -n "$long" list
	run -2 --separate-stderr pns -n "${long}n" list
	[[ $stderr == *"cannot be a host name"* ]]
}

@test "host names with dots, hyphens, underscores and capitals are taken" {
	for good in n059.cluster.example.org rack-1_n2 N059 a; do
		: >"$TRACE"
		run -0 pns -n "$good" start
		[ "$(trace)" = "global/10-g start" ]
	done
}

@test "list -v says when the node has no directory but one differing only in case exists" {
	script N059/10-x
	run -0 --separate-stderr pns -v list
	[ "$output" = "global/10-g" ]
	[[ $stderr == *"n059: no directory n059/, but N059/ differs only in case"* ]]
	script n059/10-y
	run -0 --separate-stderr pns -v list
	[[ $stderr != *"differs only in case"* ]]
}
