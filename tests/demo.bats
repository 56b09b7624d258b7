#!/usr/bin/env bats
# make demo: the tour runs, shows what it promises, and leaves nothing behind.

load helpers

setup() {
	common_setup
	export TMPDIR=$BATS_TEST_TMPDIR/tmp
	mkdir -p "$TMPDIR"
}

@test "the demo runs both nodes with the real exit statuses and cleans up" {
	run -0 sh "$TOP/scripts/demo.sh"
	# n059: all four scripts ok, including the wait on accounts.
	[[ $output == *"ok        global/20-accounts"* ]]
	[[ $output == *"pernode-services: start on n059: 4 run, 0 failed"* ]]
	# n060: the licence script fails, its output is shown, status 1.
	[[ $output == *"failed    n060/50-licence: exit status 3"*"    | licence server unreachable"* ]]
	[[ $output == *"start on n060: 4 run, 1 failed"*"(exit status 1)"* ]]
	# The log shows the accounts arriving.
	[[ $output == *"accounts are here: 2 users"* ]]
	# The group's script ran on both nodes.
	[ "$(grep -c '^ok        @storage/40-lustre' <<<"$output")" -ge 2 ]
	# The head node's report names the failure and the node that never ran.
	[[ $output == *"report -w n[059-061] answers"*"n060/50-licence: failed, exit 3"*"no run recorded "*"n061"*"(exit status 1)"* ]]
	# The rerun of the one failed script turns n060's status green.
	[[ $output == *"start on n060: 1 run, 0 failed"*"last start on n060: 4 run, 0 failed, 1 rerun"*"(exit status 0)"* ]]
	# n062's level 10 runs side by side, its lines still in plan order.
	[[ $output == *"level     n062/10"$'\n'"n062/10-gpu"$'\n'"n062/10-ib"$'\n'"level     n062/20"* ]]
	[[ $output == *"env PERNODE_PARALLEL=4 pernode-services -n n062 start"$'\n'* ]]
	[[ $output == *"ok        n062/10-gpu ("*"ok        n062/10-ib ("*"start on n062: 5 run, 0 failed"* ]]
	[ -z "$(ls -A "$TMPDIR")" ]
}
