#!/usr/bin/env bats
# make overlay: a Warewulf 4 system overlay, OVERLAYDIR/rootfs.  Its boot
# is tested in tests/e2e/boot-overlay.bats.

load helpers

setup() {
	common_setup
	OV=$BATS_TEST_TMPDIR/ov
}

mk() {
	make -s -C "$TOP" "$@"
}

# The files, links and directories under OV/rootfs, with their modes.
tree() {
	(cd "$OV/rootfs" && find . -mindepth 1 -printf '%m %y %P\n' | LC_ALL=C sort -k3)
}

lib_files() {
	(cd "$TOP/scripts/lib" && printf '%s\n' *.sh *.awk)
}

@test "make overlay lays out the node part and the enabled unit under OVERLAYDIR/rootfs, and nothing else" {
	mk overlay OVERLAYDIR="$OV" PREFIX=/usr CONFDIR=/etc/default
	[ "$(ls -A "$OV")" = rootfs ]
	[ "$(tree | grep -v ' d ')" = "$(printf '%s\n' \
	    "777 l etc/systemd/system/multi-user.target.wants/pernode-services.service" \
	    "755 f etc/init.d/pernode-services" \
	    "644 f etc/logrotate.d/pernode-services" \
	    "644 f etc/default/pernode-services" \
	    "644 f usr/lib/systemd/system/pernode-services.service" \
	    "$(lib_files | sed 's|^|644 f usr/lib/pernode-services/|')" \
	    "755 f usr/lib/pernode-services/pernode-watch" \
	    "777 l usr/sbin/pernode-services" \
	    "644 f usr/share/man/man1/waitOnFileUpdates.1" \
	    "644 f usr/share/man/man7/pernode-functions.7" \
	    "644 f usr/share/man/man7/pernode-services.7" \
	    "644 f usr/share/man/man8/pernode-services.8" \
	    "644 f usr/share/man/man8/pernode-watch.8" | LC_ALL=C sort -k3)" ]
	# Nothing of the state directory: the nodes mount it.
	[ ! -e "$OV/rootfs/opt" ]
}

@test "the overlay's unit is enabled as systemctl enable would, and names the init script the overlay holds" {
	mk overlay OVERLAYDIR="$OV"
	link=$OV/rootfs/etc/systemd/system/multi-user.target.wants/pernode-services.service
	[ "$(readlink "$link")" = /usr/lib/systemd/system/pernode-services.service ]
	unit=$OV/rootfs/usr/lib/systemd/system/pernode-services.service
	grep -qx 'WantedBy=multi-user.target' "$unit"
	exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
	[ "$exec_start" = '/etc/init.d/pernode-services start' ]
	[ -x "$OV/rootfs${exec_start% start}" ]
}

@test "the unit waits for the mount of STATEDIR, which also becomes the init script's default ROOT" {
	mk overlay OVERLAYDIR="$OV" STATEDIR=/srv/pernode/state
	unit=$OV/rootfs/usr/lib/systemd/system/pernode-services.service
	[ "$(grep '^RequiresMountsFor=' "$unit")" = 'RequiresMountsFor=/srv/pernode/state' ]
	grep -qx 'default_root=/srv/pernode/state' "$OV/rootfs/etc/init.d/pernode-services"
	[ ! -e "$OV/rootfs/srv" ]
}

@test "INITDIR=/etc/rc.d/init.d keeps the overlay out of /etc/init.d, a link on RHEL-family images" {
	mk overlay OVERLAYDIR="$OV" INITDIR=/etc/rc.d/init.d
	[ ! -e "$OV/rootfs/etc/init.d" ]
	[ -x "$OV/rootfs/etc/rc.d/init.d/pernode-services" ]
	unit=$OV/rootfs/usr/lib/systemd/system/pernode-services.service
	grep -qx 'ExecStart=/etc/rc.d/init.d/pernode-services start' "$unit"
	[ "$(readlink "$OV/rootfs/usr/local/sbin/pernode-services")" = /etc/rc.d/init.d/pernode-services ]
}

@test "the files of the overlay belong to whoever ran make, root on a Warewulf server" {
	need_root "files owned by root"
	mk overlay OVERLAYDIR="$OV"
	[ -z "$(find "$OV" ! -user 0 -print)" ]
	[ -z "$(find "$OV" ! -type l -perm /022 -print)" ]
}

@test "make overlay again over an overlay leaves it the same" {
	mk overlay OVERLAYDIR="$OV"
	first=$(tree)
	mk overlay OVERLAYDIR="$OV"
	[ "$(tree)" = "$first" ]
}

@test "make overlay without OVERLAYDIR stops with exit 2, saying what is needed, and writes nothing" {
	run -2 --separate-stderr make -s -C "$TOP" overlay OVERLAYDIR=
	[[ $stderr == *'make overlay: OVERLAYDIR=DIR is needed (the overlay, DIR/rootfs)'* ]]
	[ ! -e "$TOP/rootfs" ]
}
