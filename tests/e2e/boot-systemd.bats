#!/usr/bin/env bats
# A Debian image with systemd, the .deb installed by dpkg (which enables
# the unit), booted as node n059 under systemd-nspawn.

load lib

setup_file() {
	if ! e2e_need_root || ! need systemd-nspawn systemd-container ||
	    ! e2e_image systemd || ! nspawn_works || ! e2e_debs; then
		file_skipping
		return
	fi
	e2e_layer
	e2e_state
	if ! nspawn_boots; then
		file_skipping
		return
	fi
	# The first script notes what systemd says of multi-user.target and
	# of the jobs still queued while it runs.
	state_script global/10-first '
		printf "multi-user %s\n" "$(systemctl is-active multi-user.target)" >>/var/log/e2e.trace
		systemctl list-jobs --no-legend | awk "{ print \"job\", \$2 }" >>/var/log/e2e.trace'
	state_script n059/10-own
	export IMAGE LAYER STATE
}

setup() {
	common_setup
	# shellcheck disable=SC2034 # read by shutdown_node in teardown
	NSPAWN=''
}

teardown() {
	shutdown_node
	rm -f "$STATE/n059/20-fails"
}

@test "systemd-analyze verify finds nothing wrong with the installed unit" {
	boot_systemd n059
	run -0 in_node 'systemd-analyze verify --man=no pernode-services.service 2>&1'
	[ -z "$output" ]
}

@test "the unit is enabled, ordered after multi-user.target, and started after everything the target waits for" {
	boot_systemd n059
	run -0 in_node 'systemctl is-enabled pernode-services'
	[ "$output" = enabled ]
	run -0 in_node 'systemctl show -p After --value pernode-services'
	[[ " $output " == *" multi-user.target "* ]]
	grep -qx 'multi-user active' "$NODE_FS/var/log/e2e.trace"
	# No start job but ours and those queued after it was still pending.
	others=$(grep '^job ' "$NODE_FS/var/log/e2e.trace" |
	    grep -v '^job \(pernode-services.service\|graphical.target\|systemd-update-utmp-runlevel.service\)$') || true
	[ -z "$others" ]
	# Every unit the target wants and waits for was up before ours started.
	ours=$(in_node 'systemctl show -p ExecMainStartTimestampMonotonic --value pernode-services')
	[ "$ours" -gt 0 ]
	before=$(in_node 'systemctl show -p After --value multi-user.target')
	wants=$(in_node 'systemctl show -p Wants --value multi-user.target')
	checked=0
	for unit in $wants; do
		[[ " $before " == *" $unit "* ]] || continue
		up=$(in_node "systemctl show -p ActiveEnterTimestampMonotonic --value $unit")
		[ "$up" -eq 0 ] && continue	# not started: a condition failed
		[ "$up" -le "$ours" ] || {
			printf '%s came up at %s, after ours at %s\n' "$unit" "$up" "$ours" >&2
			return 1
		}
		checked=$((checked + 1))
	done
	[ "$checked" -ge 3 ]
}

@test "the boot ran the node's scripts once each, in order, and status agrees with systemd" {
	boot_systemd n059
	[ "$(grep '^run ' "$NODE_FS/var/log/e2e.trace")" = "run global/10-first start
run n059/10-own start" ]
	run -0 in_node 'systemctl is-active pernode-services'
	run -0 in_node '/etc/init.d/pernode-services status'
	[[ $output == *'last start on n059: 2 run, 0 failed' ]]
}

@test "systemctl restart runs the stop scripts in reverse, then the start scripts again" {
	boot_systemd n059
	in_node ': >/var/log/e2e.trace; systemctl restart pernode-services'
	[ "$(grep '^run ' "$NODE_FS/var/log/e2e.trace")" = "run n059/10-own stop
run global/10-first stop
run global/10-first start
run n059/10-own start" ]
}

@test "a failing script leaves the unit failed, and status exits 1 naming it" {
	state_script n059/20-fails 'exit 4'
	boot_systemd n059

	run -0 in_node 'systemctl is-failed pernode-services'
	run -1 in_node '/etc/init.d/pernode-services status'
	[[ $output == *'failed    n059/20-fails: exit status 4'* ]]
}

@test "power-off runs the stop scripts" {
	boot_systemd n059
	in_node ': >/var/log/e2e.trace'
	shutdown_node
	[ "$(grep '^run ' "$NODE_FS/var/log/e2e.trace")" = "run n059/10-own stop
run global/10-first stop" ]
}
