#!/usr/bin/env bats
# The RPM, Debian and systemd packaging, each built and inspected.

load helpers

setup() {
	common_setup
	STATE=/opt/perceus/state/lib/perceus/init.d
	VERSION=$(sed -n 's/^VERSION = //p' "$TOP/Makefile")
	git -C "$TOP" rev-parse HEAD >/dev/null 2>&1 ||
	    skip "not a git checkout: the packages are built from make dist"
}

# The packages are built once for the file, each where its tools are
# installed, and inspected by every test that needs them; the status and
# output of each build are kept for built.
setup_file() {
	git -C "$TOP" rev-parse HEAD >/dev/null 2>&1 || return 0
	if command -v rpmbuild >/dev/null; then
		make -s -C "$TOP" rpm >"$BATS_FILE_TMPDIR/rpm.log" 2>&1
		printf '%s\n' "$?" >"$BATS_FILE_TMPDIR/rpm.rc"
	fi
	if command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null; then
		make -s -C "$TOP" deb >"$BATS_FILE_TMPDIR/deb.log" 2>&1
		printf '%s\n' "$?" >"$BATS_FILE_TMPDIR/deb.rc"
	fi
}

teardown_file() {
	local version
	version=$(sed -n 's/^VERSION = //p' "$TOP/Makefile")
	rm -rf "$TOP/packaging/build" "$TOP/pernode-services-$version.tar.gz"
}

# The library the packages carry, as committed (they are built from make
# dist): the names of scripts/lib/*.sh and *.awk, one a line, sorted.
committed_lib() {
	git -C "$TOP" ls-files 'scripts/lib/*.sh' 'scripts/lib/*.awk' |
	    sed 's|^scripts/lib/||' | LC_ALL=C sort
}

# runs_list TREE INIT: the init script INIT, unpacked from a package into
# TREE, runs list with the library the package put under TREE (as a node
# booted from the image reads it at /usr/lib/pernode-services).
runs_list() {
	local root=$BATS_TEST_TMPDIR/root
	mkdir -p "$root/global"
	printf '#!/bin/sh\n' >"$root/global/10-site"
	chmod 755 "$root/global/10-site"
	: >"$BATS_TEST_TMPDIR/config"
	sed -i "s|^libdir=/usr/lib/pernode-services\$|libdir=$1/usr/lib/pernode-services|" "$2"
	grep -qx "libdir=$1/usr/lib/pernode-services" "$2"
	run -0 --separate-stderr env PERNODE_CONFIG="$BATS_TEST_TMPDIR/config" \
	    sh "$2" -r "$root" -n n059 list
	[ "$output" = global/10-site ]
}

# lib_modes DIR: the package's LIBDIR, unpacked in DIR, holds the library
# (mode 644) and pernode-watch (755), a program that runs.
lib_modes() {
	[ -z "$(find "$1" -type f ! -perm 644 ! -name pernode-watch)" ]
	[ "$(stat -c %a "$1/pernode-watch")" = 755 ]
	run -0 --separate-stderr "$1/pernode-watch" -t 5 </dev/null
	[ -z "$output$stderr" ]
}

# built rpm|deb: skip when the tools to build it are not installed, and
# fail, with the build's output, when make rpm or make deb failed.
built() {
	case $1 in
	rpm) command -v rpmbuild >/dev/null || skip "rpmbuild not installed (apt-get install rpm)" ;;
	deb)
		command -v dpkg-buildpackage >/dev/null || skip "dpkg-buildpackage not installed (apt-get install dpkg-dev debhelper)"
		command -v dh >/dev/null || skip "debhelper not installed (apt-get install debhelper)"
		;;
	esac
	[ "$(cat "$BATS_FILE_TMPDIR/$1.rc")" = 0 ] || {
		cat "$BATS_FILE_TMPDIR/$1.log"
		return 1
	}
}

@test "make rpm builds a node RPM and a state RPM holding what the two install places get" {
	built rpm
	rpms=$TOP/packaging/build/rpm/RPMS
	node=$(ls "$rpms"/*/pernode-services-"$VERSION"-1*.rpm)
	state=$(ls "$rpms"/*/pernode-services-state-"$VERSION"-1*.rpm)
	# Where this rpm puts init scripts (RHEL: /etc/rc.d/init.d), and man
	# pages compressed or not, as its build policy says.
	initrddir=$(rpm --eval '%{_initrddir}')
	sbindir=$(rpm --eval '%{_sbindir}')
	[ "$(rpm -qlp "$node" | grep -v '^/usr/\(share/doc\|share/licenses\|lib/.build-id\)' |
	    sed 's/\.\(gz\|bz2\|xz\|zst\)$//' | LC_ALL=C sort)" = "$(printf '%s\n' \
	    "$initrddir/pernode-services" \
	    "$sbindir/pernode-services" \
	    /etc/logrotate.d/pernode-services \
	    /etc/sysconfig/pernode-services \
	    /usr/lib/systemd/system/pernode-services.service \
	    /usr/lib/systemd/system-preset/50-pernode-services.preset \
	    /usr/lib/pernode-services \
	    "$(committed_lib | sed 's|^|/usr/lib/pernode-services/|')" \
	    /usr/lib/pernode-services/pernode-watch \
	    /usr/share/man/man1/waitOnFileUpdates.1 \
	    /usr/share/man/man7/pernode-functions.7 \
	    /usr/share/man/man7/pernode-services.7 \
	    /usr/share/man/man8/pernode-services.8 \
	    /usr/share/man/man8/pernode-watch.8 | LC_ALL=C sort)" ]
	[ "$(rpm -qlp "$state" | grep -v '^/usr/\(share/doc\|share/licenses\|lib/.build-id\)')" = "$STATE
$STATE/bin
$STATE/bin/waitOnFileUpdates
$STATE/functions
$STATE/global
$STATE/scripts" ]
	[ "$(rpm -qp --configfiles "$node")" = "/etc/logrotate.d/pernode-services
/etc/sysconfig/pernode-services" ]
	# The init script in the RPM points at the state directory and its
	# library, the link on PATH at the init script, the unit at both.
	rpm2cpio "$node" | (cd "$BATS_TEST_TMPDIR" && cpio -idm --quiet)
	init=$BATS_TEST_TMPDIR$initrddir/pernode-services
	grep -qx "default_root=$STATE" "$init"
	grep -qx 'libdir=/usr/lib/pernode-services' "$init"
	grep -qx 'sysconfdir=/etc' "$init"
	grep -qx "initdir=$initrddir" "$init"
	lib_modes "$BATS_TEST_TMPDIR/usr/lib/pernode-services"
	[ "$(readlink "$BATS_TEST_TMPDIR$sbindir/pernode-services")" = "$initrddir/pernode-services" ]
	unit=$BATS_TEST_TMPDIR/usr/lib/systemd/system/pernode-services.service
	grep -qx "ExecStart=$initrddir/pernode-services start" "$unit"
	grep -qx "RequiresMountsFor=$STATE" "$unit"
	grep -qx 'enable pernode-services.service' \
	    "$BATS_TEST_TMPDIR/usr/lib/systemd/system-preset/50-pernode-services.preset"
	cmp "$TOP/packaging/pernode-services.logrotate" \
	    "$BATS_TEST_TMPDIR/etc/logrotate.d/pernode-services"
	runs_list "$BATS_TEST_TMPDIR" "$init"
}

@test "the RPMs are of the build's architecture, not noarch: each holds a compiled program" {
	built rpm
	arch=$(rpm --eval '%{_target_cpu}')
	[ "$arch" != noarch ]
	for name in pernode-services pernode-services-state; do
		rpm=$(ls "$TOP"/packaging/build/rpm/RPMS/*/"$name-$VERSION"-1*.rpm)
		[ "$(rpm -qp --qf '%{ARCH}' "$rpm")" = "$arch" ]
		[[ $rpm == *".$arch.rpm" ]]
	done
}

@test "the RPM enables the unit at install and disables it at removal, never starting or stopping it" {
	built rpm
	node=$(ls "$TOP"/packaging/build/rpm/RPMS/*/pernode-services-"$VERSION"-1*.rpm)
	scripts=$(rpm -qp --scripts "$node")
	printf '%s\n' "$scripts"
	# rpm -q --scripts prints each scriptlet after a line naming it.
	part() {
		printf '%s\n' "$scripts" | awk -v want="$1" '
			/^[a-z]+ scriptlet / { on = ($1 == want); next }
			on'
	}
	post=$(part postinstall) preun=$(part preuninstall) postun=$(part postuninstall)
	# First install: the preset (by systemd-rpm-macros' helper or by hand),
	# or chkconfig where there is no systemctl.
	[[ $post == *"preset"*"pernode-services.service"* ||
	    $post == *"systemd-update-helper install-system-units pernode-services.service"* ]]
	[[ $post == *"chkconfig --add pernode-services"* ]]
	[[ $post == *'[ "$1" -eq 1 ]'* || $post == *'[ $1 -eq 1 ]'* ]]
	# Removal, not upgrade: disabled.
	[[ $preun == *'[ "$1" -eq 0 ]'* ]]
	[[ $preun == *"disable pernode-services.service"* ]]
	[[ $preun == *"chkconfig --del pernode-services"* ]]
	[[ $postun == *"daemon-reload"* || $postun == *"mark-reload-system-units"* ]]
	# Neither started nor stopped: that would run every script of the node.
	run -1 grep -E '(start|stop|restart|--now|condrestart|try-restart)( |$)' <<<"$scripts"
}

@test "a preset enables the unit, as the .deb does, where the presets disable by default" {
	command -v systemctl >/dev/null || skip "systemctl not installed (apt-get install systemd)"
	root=$BATS_TEST_TMPDIR/root
	make -s -C "$TOP" install-node DESTDIR="$root" PREFIX=/usr
	mkdir -p "$root/usr/lib/systemd/system-preset" "$root/etc/systemd/system"
	# RHEL's last word: everything not enabled is disabled.
	printf 'disable *\n' >"$root/usr/lib/systemd/system-preset/99-default-disable.preset"
	run -0 systemctl --root="$root" preset pernode-services.service
	[ ! -e "$root/etc/systemd/system/multi-user.target.wants/pernode-services.service" ]
	cp "$TOP/packaging/systemd/50-pernode-services.preset" "$root/usr/lib/systemd/system-preset/"
	run -0 systemctl --root="$root" preset pernode-services.service
	[ -L "$root/etc/systemd/system/multi-user.target.wants/pernode-services.service" ]
}

@test "rpmlint finds no error in the spec or the RPMs" {
	built rpm
	command -v rpmlint >/dev/null || skip "rpmlint not installed (apt-get install rpmlint)"
	run rpmlint -r "$TOP/packaging/rpm/pernode-services.rpmlintrc" \
	    "$TOP"/packaging/build/rpm/RPMS/*/*.rpm \
	    "$TOP"/packaging/build/rpm/SPECS/pernode-services.spec
	printf '%s\n' "$output"
	[[ $output =~ \ 0\ errors ]]
}

@test "make deb builds a node package and a state package with the init script registered" {
	built deb
	debs=$TOP/packaging/build/deb
	node=$(ls "$debs"/pernode-services_"$VERSION"-1_"$(dpkg --print-architecture)".deb)
	state=$(ls "$debs"/pernode-services-state_"$VERSION"-1_*.deb)
	files=$(dpkg-deb -c "$node" | awk '{ print $6 }' | grep -v '/$' |
	    grep -v '^./usr/share/\(doc\|lintian\)/' | LC_ALL=C sort)
	[ "$files" = "$(printf '%s\n' \
	    ./etc/default/pernode-services \
	    ./etc/init.d/pernode-services \
	    ./etc/logrotate.d/pernode-services \
	    ./lib/systemd/system/pernode-services.service \
	    "$(committed_lib | sed 's|^|./usr/lib/pernode-services/|')" \
	    ./usr/lib/pernode-services/pernode-watch \
	    ./usr/sbin/pernode-services \
	    ./usr/share/man/man1/waitOnFileUpdates.1.gz \
	    ./usr/share/man/man7/pernode-functions.7.gz \
	    ./usr/share/man/man7/pernode-services.7.gz \
	    ./usr/share/man/man8/pernode-services.8.gz \
	    ./usr/share/man/man8/pernode-watch.8.gz | LC_ALL=C sort)" ]
	# The link on PATH, and the unit waiting for the state directory.
	dpkg-deb -c "$node" | grep -q ' \./usr/sbin/pernode-services -> /etc/init.d/pernode-services$'
	dpkg-deb -x "$node" "$BATS_TEST_TMPDIR"
	init=$BATS_TEST_TMPDIR/etc/init.d/pernode-services
	grep -qx "default_root=$STATE" "$init"
	grep -qx 'libdir=/usr/lib/pernode-services' "$init"
	grep -qx 'sysconfdir=/etc' "$init"
	grep -qx 'initdir=/etc/init.d' "$init"
	lib_modes "$BATS_TEST_TMPDIR/usr/lib/pernode-services"
	runs_list "$BATS_TEST_TMPDIR" "$init"
	grep -qx "RequiresMountsFor=$STATE" "$BATS_TEST_TMPDIR/lib/systemd/system/pernode-services.service"
	grep -qx "ExecStart=/etc/init.d/pernode-services start" "$BATS_TEST_TMPDIR/lib/systemd/system/pernode-services.service"
	# Both are of the build's architecture: each holds a compiled program.
	[ "$(dpkg-deb -f "$node" Architecture)" = "$(dpkg --print-architecture)" ]
	[ "$(dpkg-deb -f "$state" Architecture)" = "$(dpkg --print-architecture)" ]
	dpkg-deb -c "$state" | awk '{ print $6 }' | grep -qx ".$STATE/bin/waitOnFileUpdates"
	dpkg-deb -c "$state" | awk '{ print $6 }' | grep -qx ".$STATE/global/"
	dpkg-deb -c "$state" | awk '{ print $6 }' | grep -qx ".$STATE/scripts/"
	# Registered with update-rc.d defaults, and not started on install.
	dpkg-deb -e "$node" "$BATS_TEST_TMPDIR/control"
	grep -q 'update-rc.d pernode-services defaults' "$BATS_TEST_TMPDIR/control/postinst"
	grep -q "deb-systemd-helper enable 'pernode-services.service'" "$BATS_TEST_TMPDIR/control/postinst"
	run -1 grep -q 'invoke-rc.d.* start' "$BATS_TEST_TMPDIR/control/postinst"
	run -1 grep -qE 'deb-systemd-invoke|systemctl.* (start|restart)' "$BATS_TEST_TMPDIR/control/postinst"
	# Nor stopped at removal.
	[ ! -e "$BATS_TEST_TMPDIR/control/prerm" ] ||
	    run -1 grep -qE 'invoke-rc.d.* stop|deb-systemd-invoke.* stop' "$BATS_TEST_TMPDIR/control/prerm"
	[ "$(LC_ALL=C sort "$BATS_TEST_TMPDIR/control/conffiles")" = "/etc/default/pernode-services
/etc/init.d/pernode-services
/etc/logrotate.d/pernode-services" ]
}

@test "lintian finds no error in the Debian packages" {
	built deb
	command -v lintian >/dev/null || skip "lintian not installed (apt-get install lintian)"
	run lintian --fail-on error "$TOP"/packaging/build/deb/*.changes
	printf '%s\n' "$output"
	[ "$status" -eq 0 ]
}

@test "the systemd unit passes systemd-analyze verify and orders itself last" {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze not installed (apt-get install systemd)"
	# The unit as make install writes it, pointing at the init script of
	# the checkout so that the command it runs is there.
	make -s -C "$TOP" install-node DESTDIR="$BATS_TEST_TMPDIR/dest" \
	    INITDIR="$TOP/scripts" UNITDIR=/unit
	unit=$BATS_TEST_TMPDIR/pernode-services.service
	cp "$BATS_TEST_TMPDIR/dest/unit/pernode-services.service" "$unit"
	# --man=no: the man page is checked by the install tests, not installed here.
	run -0 systemd-analyze verify --man=no "$unit"
	[ -z "$output" ]
	grep -qx 'Type=oneshot' "$unit"
	grep -qx 'RemainAfterExit=yes' "$unit"
	grep -qx "TimeoutStartSec=infinity" "$unit"
	grep -qx 'After=multi-user.target network-online.target remote-fs.target nss-user-lookup.target' "$unit"
	grep -qx 'Wants=network-online.target' "$unit"
	grep -qx 'WantedBy=multi-user.target' "$unit"
	grep -qx "ExecStop=$TOP/scripts/pernode-services stop" "$unit"
	grep -qx "RequiresMountsFor=$STATE" "$unit"
}
