#!/usr/bin/env bats
# The node RPM installed into an image root with "rpm --root", as the
# README says for a RHEL-family image, then booted under systemd-nspawn.
# No RHEL package archive is reachable here: the image is the Debian one
# with systemd, and rpm's dependencies are not checked (--nodeps); what
# is tested is rpm's own install into a root, the package's scriptlets
# run there, and the boot.

load lib

setup_file() {
	if ! e2e_need_root || ! need rpmbuild rpm || ! need rpm2cpio rpm ||
	    ! need cpio || ! need systemd-nspawn systemd-container ||
	    ! e2e_image systemd || ! nspawn_works || ! rpm_layer; then
		file_skipping
		return
	fi
	if ! nspawn_boots; then
		file_skipping
		return
	fi
	state_script global/10-first
	state_script n059/10-own
	export IMAGE LAYER STATE
}

# rpm_layer: make rpm (from the last commit, as make deb does for the
# other boots); the node RPM installed by rpm --root into a layer over the
# image ($LAYER); the state RPM unpacked as the master's ($STATE).
rpm_layer() {
	local rpms=$TOP/packaging/build/rpm/RPMS master=$BATS_FILE_TMPDIR/master version
	git -C "$TOP" rev-parse HEAD >/dev/null 2>&1 ||
	    { file_skip "not a git checkout: the packages are built from make dist"; return; }
	version=$(sed -n 's/^VERSION = //p' "$TOP/Makefile")
	make -s -C "$TOP" rpm >"$BATS_FILE_TMPDIR/rpm.log" 2>&1 || {
		cat "$BATS_FILE_TMPDIR/rpm.log" >&2
		return 1
	}
	mkdir -p "$BATS_FILE_TMPDIR/rpms" "$master"
	cp "$rpms"/*/pernode-services-"$version"-1*.rpm "$BATS_FILE_TMPDIR/rpms/node.rpm"
	cp "$rpms"/*/pernode-services-state-"$version"-1*.rpm "$BATS_FILE_TMPDIR/rpms/state.rpm"
	rm -rf "$TOP/packaging/build" "$TOP/pernode-services-$version.tar.gz"
	(cd "$master" && rpm2cpio "$BATS_FILE_TMPDIR/rpms/state.rpm" | cpio -idm --quiet)
	STATE=$master$STATE_PATH
	LAYER=$BATS_FILE_TMPDIR/layer
	in_overlay "$IMAGE" "$LAYER" 'rpm --root="$M" --nodeps -i "$1"' \
	    "$BATS_FILE_TMPDIR/rpms/node.rpm" >"$BATS_FILE_TMPDIR/rpm-i.log" 2>&1 || {
		cat "$BATS_FILE_TMPDIR/rpm-i.log" >&2
		return 1
	}
}

setup() {
	common_setup
	# shellcheck disable=SC2034 # read by shutdown_node in teardown
	NSPAWN=''
}

teardown() {
	shutdown_node
}

@test "installed by rpm --root, the unit is enabled by the package's scriptlet, and the booted node runs its scripts" {
	run -0 rpm --root="$LAYER" -q pernode-services
	boot_systemd n059
	run -0 in_node 'systemctl is-enabled pernode-services'
	[ "$output" = enabled ]
	run -0 in_node 'systemctl is-active pernode-services'
	[ "$(grep '^run ' "$NODE_FS/var/log/e2e.trace")" = "run global/10-first start
run n059/10-own start" ]
	run -0 in_node 'pernode-services status'
	[[ $output == *'last start on n059: 2 run, 0 failed' ]]
}
