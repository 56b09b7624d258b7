#!/usr/bin/env bats
# make install, install-node, install-state, uninstall, static and dist.

load helpers

setup() {
	common_setup
	DEST=$BATS_TEST_TMPDIR/dest
	STATE=/opt/perceus/state/lib/perceus/init.d
}

mk() {
	make -s -C "$TOP" "$@"
}

# The files and directories under DEST, relative to it, with their modes.
tree() {
	(cd "$DEST" && find . -mindepth 1 -printf '%m %y %P\n' | LC_ALL=C sort -k3)
}

@test "make install puts the node part and the state part in their places under DESTDIR" {
	mk install DESTDIR="$DEST" PREFIX=/usr
	[ "$(tree | grep -v ' d ')" = "755 f etc/init.d/pernode-services
644 f etc/sysconfig/pernode-services
755 f opt/perceus/state/lib/perceus/init.d/bin/waitOnFileUpdates
644 f opt/perceus/state/lib/perceus/init.d/functions
644 f usr/lib/systemd/system/pernode-services.service
755 f usr/libexec/pernode-services/pernode-report
644 f usr/share/man/man1/waitOnFileUpdates.1
644 f usr/share/man/man7/pernode-functions.7
644 f usr/share/man/man7/pernode-services.7
644 f usr/share/man/man8/pernode-services.8" ]
	[ -d "$DEST$STATE/global" ]
	[ -d "$DEST$STATE/scripts" ]
	grep -qx "ExecStart=/etc/init.d/pernode-services start" \
	    "$DEST/usr/lib/systemd/system/pernode-services.service"
}

@test "install-node and install-state each install their part only" {
	mk install-node DESTDIR="$DEST"
	[ -e "$DEST/etc/init.d/pernode-services" ]
	[ ! -e "$DEST$STATE" ]
	rm -rf "$DEST"
	mk install-state DESTDIR="$DEST"
	[ -e "$DEST$STATE/functions" ]
	[ ! -e "$DEST/etc" ]
}

@test "INITDIR, UNITDIR, MANDIR and CONFDIR are honoured" {
	mk install-node DESTDIR="$DEST" INITDIR=/etc/rc.d/init.d \
	    UNITDIR=/lib/systemd/system MANDIR=/man CONFDIR=/etc/default
	[ -x "$DEST/etc/rc.d/init.d/pernode-services" ]
	grep -qx "ExecStart=/etc/rc.d/init.d/pernode-services start" \
	    "$DEST/lib/systemd/system/pernode-services.service"
	[ -e "$DEST/man/man8/pernode-services.8" ]
	[ -e "$DEST/etc/default/pernode-services" ]
}

@test "the installed runner finds the installed report, and the report asks for the installed runner" {
	mk install DESTDIR="$DEST" PREFIX=/usr INITDIR=/etc/rc.d/init.d
	grep -qx 'default_report=/usr/libexec/pernode-services/pernode-report' \
	    "$DEST/etc/rc.d/init.d/pernode-services"
	grep -qx 'default_initdir=/etc/rc.d/init.d' \
	    "$DEST/usr/libexec/pernode-services/pernode-report"
	[ "$(diff "$TOP/scripts/pernode-report" "$DEST/usr/libexec/pernode-services/pernode-report" | grep -c '^[<>]')" -eq 2 ]
	# The installed runner, from anywhere, runs the installed report.
	sed -i "s|^default_report=.*|default_report=$DEST/usr/libexec/pernode-services/pernode-report|" \
	    "$DEST/etc/rc.d/init.d/pernode-services"
	run -2 --separate-stderr sh "$DEST/etc/rc.d/init.d/pernode-services" report
	[[ $stderr == *"give -w NODESET, or the FILE (or -) to read"* ]]
	rm "$DEST/usr/libexec/pernode-services/pernode-report"
	run -6 --separate-stderr sh "$DEST/etc/rc.d/init.d/pernode-services" report -
	[ "$stderr" = "pernode-services: report needs $DEST/usr/libexec/pernode-services/pernode-report, which is not installed" ]
}

@test "another STATEDIR becomes the default ROOT of the installed init script and functions" {
	mk install DESTDIR="$DEST" STATEDIR=/srv/pernode
	grep -qx 'default_root=/srv/pernode' "$DEST/etc/init.d/pernode-services"
	grep -qxF ': "${PERNODE_ROOT:=/srv/pernode}"' "$DEST/srv/pernode/functions"
	# Nothing else changed.
	[ "$(diff "$TOP/scripts/pernode-services" "$DEST/etc/init.d/pernode-services" | grep -c '^[<>]')" -eq 4 ]
	[ "$(diff "$TOP/functions" "$DEST/srv/pernode/functions" | grep -c '^[<>]')" -eq 2 ]
	# And the installed script looks there by default.
	: >"$BATS_TEST_TMPDIR/config"
	run -6 --separate-stderr env -u PERNODE_ROOT PERNODE_CONFIG="$BATS_TEST_TMPDIR/config" \
	    sh "$DEST/etc/init.d/pernode-services" list
	[[ $stderr == *"ROOT '/srv/pernode' is not a directory"* ]]
}

@test "install never overwrites a config file that is there" {
	mkdir -p "$DEST/etc/sysconfig"
	printf 'PERNODE_TIMEOUT=60\n' >"$DEST/etc/sysconfig/pernode-services"
	mk install-node DESTDIR="$DEST"
	[ "$(cat "$DEST/etc/sysconfig/pernode-services")" = PERNODE_TIMEOUT=60 ]
}

@test "uninstall removes what install put there, and nothing an administrator added" {
	mk install DESTDIR="$DEST"
	printf '#!/bin/sh\n' >"$DEST$STATE/global/10-site"
	mkdir "$DEST$STATE/n059"
	mk uninstall DESTDIR="$DEST"
	[ "$(tree | grep -v ' d ')" = "644 f opt/perceus/state/lib/perceus/init.d/global/10-site" ]
	[ -d "$DEST$STATE/n059" ]
}

@test "uninstall keeps an edited config and removes an untouched one" {
	mk install DESTDIR="$DEST"
	mk uninstall DESTDIR="$DEST"
	[ ! -e "$DEST/etc/sysconfig/pernode-services" ]
	mk install DESTDIR="$DEST"
	printf 'PERNODE_TIMEOUT=60\n' >>"$DEST/etc/sysconfig/pernode-services"
	mk uninstall DESTDIR="$DEST"
	grep -qx PERNODE_TIMEOUT=60 "$DEST/etc/sysconfig/pernode-services"
}

@test "make static builds a statically linked waitOnFileUpdates that runs" {
	mk static
	run -0 "$TOP/src/waitOnFileUpdates-static" --version
	run ldd "$TOP/src/waitOnFileUpdates-static"
	[[ $output == *"not a dynamic executable"* || $output == *"statically linked"* ]]
}

@test "make dist makes a versioned tarball that builds, tests and installs" {
	git -C "$TOP" rev-parse HEAD >/dev/null 2>&1 ||
	    skip "not a git checkout: make dist archives the committed tree"
	version=$(sed -n 's/^VERSION = //p' "$TOP/Makefile")
	mk dist
	tarball=$TOP/pernode-services-$version.tar.gz
	[ -s "$tarball" ]
	tar -xzf "$tarball" -C "$BATS_TEST_TMPDIR"
	rm -f "$tarball"
	tree=$BATS_TEST_TMPDIR/pernode-services-$version
	[ "$(cd "$tree" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)" = \
	    "$(git -C "$TOP" ls-files | LC_ALL=C sort)" ]
	make -s -C "$tree"
	# A smoke run of the suite from the tarball (the whole of it is this).
	run -0 sh -c 'cd "$1" && sh tests/run tests/wfu-usage.bats' sh "$tree"
	[[ $output == *" passed, 0 failed"* ]]
	make -s -C "$tree" install DESTDIR="$DEST"
	[ -x "$DEST$STATE/bin/waitOnFileUpdates" ]
}
