#!/usr/bin/env bats
# make overlay: a Warewulf 4 system overlay, OVERLAYDIR/rootfs.  Its boot
# is tested in tests/e2e/boot-overlay.bats.

load helpers

setup() {
	common_setup
	USERDIR=''
	# Only root may lay an overlay out where it is used; anyone else
	# stages it, as a package build does, and OV is where it lands.
	if [ "$(id -u)" -eq 0 ]; then
		OV=$BATS_TEST_TMPDIR/ov
		AT=(OVERLAYDIR="$OV")
	else
		OV=$BATS_TEST_TMPDIR/stage/ov
		AT=(DESTDIR="$BATS_TEST_TMPDIR/stage" OVERLAYDIR=/ov)
	fi
}

teardown() {
	[ -z "$USERDIR" ] || rm -rf "$USERDIR"
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
	mk overlay "${AT[@]}" PREFIX=/usr CONFDIR=/etc/default
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
	mk overlay "${AT[@]}"
	link=$OV/rootfs/etc/systemd/system/multi-user.target.wants/pernode-services.service
	[ "$(readlink "$link")" = /usr/lib/systemd/system/pernode-services.service ]
	unit=$OV/rootfs/usr/lib/systemd/system/pernode-services.service
	grep -qx 'WantedBy=multi-user.target' "$unit"
	exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
	[ "$exec_start" = '/etc/init.d/pernode-services start' ]
	[ -x "$OV/rootfs${exec_start% start}" ]
}

@test "the unit waits for the mount of STATEDIR, which also becomes the init script's default ROOT" {
	mk overlay "${AT[@]}" STATEDIR=/srv/pernode/state
	unit=$OV/rootfs/usr/lib/systemd/system/pernode-services.service
	[ "$(grep '^RequiresMountsFor=' "$unit")" = 'RequiresMountsFor=/srv/pernode/state' ]
	grep -qx 'default_root=/srv/pernode/state' "$OV/rootfs/etc/init.d/pernode-services"
	[ ! -e "$OV/rootfs/srv" ]
}

@test "INITDIR=/etc/rc.d/init.d keeps the overlay out of /etc/init.d, a link on RHEL-family images" {
	mk overlay "${AT[@]}" INITDIR=/etc/rc.d/init.d
	[ ! -e "$OV/rootfs/etc/init.d" ]
	[ -x "$OV/rootfs/etc/rc.d/init.d/pernode-services" ]
	unit=$OV/rootfs/usr/lib/systemd/system/pernode-services.service
	grep -qx 'ExecStart=/etc/rc.d/init.d/pernode-services start' "$unit"
	[ "$(readlink "$OV/rootfs/usr/local/sbin/pernode-services")" = /etc/rc.d/init.d/pernode-services ]
}

@test "an overlay made by root is root's, and no file of it is writable by group or others" {
	need_root "files owned by root"
	mk overlay "${AT[@]}"
	[ -z "$(find "$OV" ! -user 0 -print)" ]
	[ -z "$(find "$OV" ! -type l -perm /022 -print)" ]
}

@test "make overlay again over an overlay leaves it the same" {
	mk overlay "${AT[@]}"
	first=$(tree)
	mk overlay "${AT[@]}"
	[ "$(tree)" = "$first" ]
}

@test "make overlay without OVERLAYDIR stops with exit 2, saying what is needed, and writes nothing" {
	run -2 --separate-stderr make -s -C "$TOP" overlay OVERLAYDIR=
	[[ $stderr == *'make overlay: OVERLAYDIR=DIR is needed (the overlay, DIR/rootfs)'* ]]
	[ ! -e "$TOP/rootfs" ]
}

@test "make overlay with DESTDIR stages the overlay under DESTDIR, and writes nothing at OVERLAYDIR itself" {
	stage=$BATS_TEST_TMPDIR/stage
	mk overlay DESTDIR="$stage" OVERLAYDIR="$OV"
	[ -x "$stage$OV/rootfs/etc/init.d/pernode-services" ]
	[ -L "$stage$OV/rootfs/etc/systemd/system/multi-user.target.wants/pernode-services.service" ]
	[ ! -e "$OV" ]
}

@test "make overlay refuses an OVERLAYDIR with a blank in it, naming it, and writes nothing" {
	run -2 --separate-stderr make -s -C "$TOP" overlay OVERLAYDIR="$BATS_TEST_TMPDIR/a b"
	[[ $stderr == *"make overlay: OVERLAYDIR holds a blank: $BATS_TEST_TMPDIR/a b"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/a b" ]
	[ ! -e "$TOP/b" ]
}

@test "make overlay refuses to mix in another INITDIR over an earlier overlay, and leaves it as it was" {
	mk overlay "${AT[@]}"
	first=$(tree)
	run -2 --separate-stderr make -s -C "$TOP" overlay "${AT[@]}" INITDIR=/etc/rc.d/init.d
	[[ $stderr == *"make overlay: $OV/rootfs/etc/init.d/pernode-services is of an overlay made with INITDIR=/etc/init.d: remove $OV/rootfs first"* ]]
	[ "$(tree)" = "$first" ]
}

@test "make overlay again keeps a config edited in the overlay" {
	mk overlay "${AT[@]}" CONFDIR=/etc/default
	printf 'PERNODE_TIMEOUT=60\n' >>"$OV/rootfs/etc/default/pernode-services"
	mk overlay "${AT[@]}" CONFDIR=/etc/default
	[ "$(tail -n 1 "$OV/rootfs/etc/default/pernode-services")" = PERNODE_TIMEOUT=60 ]
}

@test "bmake lays out the same overlay as make" {
	need bmake
	mk overlay "${AT[@]}"
	first=$(tree)
	rm -rf "$OV"
	bmake -s -C "$TOP" overlay "${AT[@]}" >/dev/null
	[ "$(tree)" = "$first" ]
}

@test "make overlay refuses a relative OVERLAYDIR, and one that names the overlay's rootfs, writing nothing" {
	cd "$BATS_TEST_TMPDIR"
	run -2 --separate-stderr make -s -C "$TOP" overlay OVERLAYDIR=ov
	[[ $stderr == *"make overlay: OVERLAYDIR is not an absolute path: ov"* ]]
	run -2 --separate-stderr make -s -C "$TOP" overlay OVERLAYDIR="$OV/rootfs"
	[[ $stderr == *"make overlay: OVERLAYDIR is the overlay, not its rootfs: $OV/rootfs"* ]]
	[ ! -e "$OV" ]
	[ ! -e "$TOP/ov" ]
}

@test "make overlay as another user than root is refused where the overlay is used, and allowed into a DESTDIR" {
	need_root "to run make as another user"
	need setpriv util-linux
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	as_nobody test -r "$TOP/Makefile" ||
	    skip "user 65534 cannot read $TOP/Makefile"
	# Somewhere that user can reach: the test's own directory may not be.
	USERDIR=$(mktemp -d /tmp/overlay-user.XXXXXX)
	dir=$USERDIR
	chmod 777 "$dir"
	run -2 --separate-stderr as_nobody make -s -C "$TOP" overlay OVERLAYDIR="$dir/ov"
	[[ $stderr == *"make overlay: run it as root: Warewulf gives the files on the nodes the owner they have here (uid 65534)"* ]]
	[ ! -e "$dir/ov" ]
	run -0 as_nobody make -s -C "$TOP" overlay DESTDIR="$dir/stage" OVERLAYDIR=/ov
	[ -x "$dir/stage/ov/rootfs/etc/init.d/pernode-services" ]
}
