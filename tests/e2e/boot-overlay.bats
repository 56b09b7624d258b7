#!/usr/bin/env bats
# The Warewulf 4 overlay (make overlay) laid onto a Debian image with
# systemd as wwctl lays it (its rootfs copied over the image's root), the
# state directory a mount of its own from /etc/fstab (Warewulf's fstab
# resource), booted as node n059 under systemd-nspawn.

load lib

# Where the node's fstab mounts the state directory from: nspawn binds the
# master's state directory here, or nothing, for a mount that fails.
EXPORT=/srv/pernode-export

setup_file() {
	if ! e2e_need_root || ! need systemd-nspawn systemd-container ||
	    ! e2e_image systemd || ! nspawn_works; then
		file_skipping
		return
	fi
	overlay_layer
	if ! nspawn_boots; then
		file_skipping
		return
	fi
	state_script global/10-first
	state_script n059/10-own
	export IMAGE LAYER STATE
}

# overlay_layer: make overlay, its rootfs copied over the image in an
# overlay layer ($LAYER), with the line of fstab Warewulf's fstab
# resource would write (a bind here, NFS there; nofail, as a mount that
# fails must not stop the boot); the state directory as make install-state
# fills it on the master ($STATE).
overlay_layer() {
	local ov=$BATS_FILE_TMPDIR/overlay master=$BATS_FILE_TMPDIR/master
	if ! { make -s -C "$TOP" overlay OVERLAYDIR="$ov" &&
	    make -s -C "$TOP" install-state DESTDIR="$master"; } >"$BATS_FILE_TMPDIR/make.log" 2>&1; then
		cat "$BATS_FILE_TMPDIR/make.log" >&2
		return 1
	fi
	STATE=$master$STATE_PATH
	LAYER=$BATS_FILE_TMPDIR/layer
	in_overlay "$IMAGE" "$LAYER" '
		cp -a "$1/rootfs/." "$M/"
		printf "%s %s none bind,ro,nofail 0 0\n" "$2" "$3" >>"$M/etc/fstab"' \
	    "$ov" "$EXPORT" "$STATE_PATH"
}

setup() {
	common_setup
	# shellcheck disable=SC2034 # read by shutdown_node in teardown
	NSPAWN=''
	export BOOT_LAYERS=$LAYER:$IMAGE
}

teardown() {
	shutdown_node
}

# mount_unit: the name of the state directory's mount unit, in the node.
mount_unit() {
	in_node "systemd-escape -p --suffix=mount $STATE_PATH"
}

@test "booted from the overlay, the unit runs after the state directory's mount, runs the node's scripts, and status is green" {
	BOOT_BIND=$STATE:$EXPORT boot_systemd n059
	run -0 in_node "mountpoint -q $STATE_PATH"
	mount=$(mount_unit)
	run -0 in_node 'systemctl show -p After,RequiresMountsFor --value pernode-services'
	[[ " ${output//$'\n'/ } " == *" $mount "* ]]
	[[ $output == *"$STATE_PATH"* ]]
	mounted=$(in_node "systemctl show -p ActiveEnterTimestampMonotonic --value $mount")
	ours=$(in_node 'systemctl show -p ExecMainStartTimestampMonotonic --value pernode-services')
	[ "$mounted" -gt 0 ]
	[ "$ours" -ge "$mounted" ]

	run -0 in_node 'systemctl is-active pernode-services'
	[ "$(grep '^run ' "$NODE_FS/var/log/e2e.trace")" = "run global/10-first start
run n059/10-own start" ]
	run -0 in_node 'pernode-services status'
	[[ $output == *'last start on n059: 2 run, 0 failed' ]]
}

@test "the overlay's pernode-services on PATH reruns the scripts by hand, as root does" {
	BOOT_BIND=$STATE:$EXPORT boot_systemd n059
	in_node ': >/var/log/e2e.trace'
	run -0 in_node 'PATH=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin pernode-services start n059/10-own'
	[ "$(grep '^run ' "$NODE_FS/var/log/e2e.trace")" = "run n059/10-own start" ]
}

@test "with no mount of the state directory, no script runs, the unit fails, and status and the journal name the directory" {
	# The node's own fstab without the line, as when the fstab resource
	# is missing; a wait of 3 s for the directory instead of 60.
	own_fs=$BATS_TEST_TMPDIR/n059
	mkdir -p "$own_fs/etc/default"
	grep -v " $STATE_PATH " "$LAYER/etc/fstab" >"$own_fs/etc/fstab"
	{ cat "$LAYER/etc/default/pernode-services"; printf 'PERNODE_ROOT_WAIT=3\n'; } \
	    >"$own_fs/etc/default/pernode-services"
	BOOT_BIND='' boot_systemd n059
	run -0 in_node 'systemctl is-failed pernode-services'
	[ ! -e "$NODE_FS/var/log/e2e.trace" ]
	run -0 in_node 'journalctl -b -u pernode-services --no-pager -o cat'
	[[ $output == *"state directory $STATE_PATH is missing"* ]]
	run -1 in_node 'pernode-services status'
	[[ $output == *"state directory $STATE_PATH is missing"* ]]
}

@test "with the state directory's mount failing, systemd never starts the unit, and status says the directory is not mounted" {
	# A bind of a file onto the directory (there: systemd would make the
	# mount point a file): a mount that fails at once, as an NFS mount
	# from a server that is down fails in the end.
	own_fs=$BATS_TEST_TMPDIR/n059
	mkdir -p "$own_fs/etc" "$own_fs$STATE_PATH"
	sed "s|^$EXPORT |/etc/os-release |" "$LAYER/etc/fstab" >"$own_fs/etc/fstab"
	grep -q "^/etc/os-release $STATE_PATH " "$own_fs/etc/fstab"
	BOOT_BIND='' boot_systemd n059
	run -0 in_node "systemctl is-failed $(mount_unit)"
	[ "$(in_node 'systemctl show -p ActiveState --value pernode-services')" = inactive ]
	[ "$(in_node 'systemctl show -p ExecMainStartTimestampMonotonic --value pernode-services')" = 0 ]
	[ ! -e "$NODE_FS/var/log/e2e.trace" ]
	run -0 in_node 'journalctl -b --no-pager -o cat'
	[[ $output == *"Dependency failed for"*"shared state directory"* ]]
	run -1 in_node 'pernode-services status'
	[[ $output == *"state directory $STATE_PATH is not mounted (no global/ in it)"* ]]
}
