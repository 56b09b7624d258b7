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

teardown() {
	rm -rf "$TOP/packaging/build" "$TOP/pernode-services-$VERSION.tar.gz"
}

@test "make rpm builds a node RPM and a state RPM holding what the two install places get" {
	command -v rpmbuild >/dev/null || skip "rpmbuild not installed (apt-get install rpm)"
	run -0 make -s -C "$TOP" rpm
	rpms=$TOP/packaging/build/rpm/RPMS
	node=$(ls "$rpms"/*/pernode-services-"$VERSION"-1*.rpm)
	state=$(ls "$rpms"/*/pernode-services-state-"$VERSION"-1*.rpm)
	# Where this rpm puts init scripts (RHEL: /etc/rc.d/init.d), and man
	# pages compressed or not, as its build policy says.
	initrddir=$(rpm --eval '%{_initrddir}')
	[ "$(rpm -qlp "$node" | grep -v '^/usr/share/\(doc\|licenses\)/' |
	    sed 's/\.\(gz\|bz2\|xz\|zst\)$//')" = "$initrddir/pernode-services
/etc/sysconfig/pernode-services
/usr/lib/systemd/system/pernode-services.service
$(rpm --eval '%{_libexecdir}')/pernode-services
$(rpm --eval '%{_libexecdir}')/pernode-services/pernode-report
/usr/share/man/man1/waitOnFileUpdates.1
/usr/share/man/man7/pernode-functions.7
/usr/share/man/man7/pernode-services.7
/usr/share/man/man8/pernode-services.8" ]
	[ "$(rpm -qlp "$state" | grep -v '^/usr/\(share/doc\|share/licenses\|lib/.build-id\)')" = "$STATE
$STATE/bin
$STATE/bin/waitOnFileUpdates
$STATE/functions
$STATE/global
$STATE/scripts" ]
	rpm -qp --configfiles "$node" | grep -qx /etc/sysconfig/pernode-services
	# The init script in the RPM points at the state directory.
	rpm2cpio "$node" | (cd "$BATS_TEST_TMPDIR" && cpio -idm --quiet)
	grep -qx "default_root=$STATE" "$BATS_TEST_TMPDIR$initrddir/pernode-services"
	grep -qx "default_report=$(rpm --eval '%{_libexecdir}')/pernode-services/pernode-report" \
	    "$BATS_TEST_TMPDIR$initrddir/pernode-services"
}

@test "rpmlint finds no error in the spec or the RPMs" {
	command -v rpmbuild >/dev/null || skip "rpmbuild not installed (apt-get install rpm)"
	command -v rpmlint >/dev/null || skip "rpmlint not installed (apt-get install rpmlint)"
	make -s -C "$TOP" rpm >/dev/null 2>&1
	run rpmlint -r "$TOP/packaging/rpm/pernode-services.rpmlintrc" \
	    "$TOP"/packaging/build/rpm/RPMS/*/*.rpm \
	    "$TOP"/packaging/build/rpm/SPECS/pernode-services.spec
	printf '%s\n' "$output"
	[[ $output =~ \ 0\ errors ]]
}

@test "make deb builds a node package and a state package with the init script registered" {
	command -v dpkg-buildpackage >/dev/null || skip "dpkg-buildpackage not installed (apt-get install dpkg-dev debhelper)"
	command -v dh >/dev/null || skip "debhelper not installed (apt-get install debhelper)"
	run -0 make -s -C "$TOP" deb
	debs=$TOP/packaging/build/deb
	node=$(ls "$debs"/pernode-services_"$VERSION"-1_all.deb)
	state=$(ls "$debs"/pernode-services-state_"$VERSION"-1_*.deb)
	files=$(dpkg-deb -c "$node" | awk '{ print $6 }' | grep -v '/$' |
	    grep -v '^./usr/share/\(doc\|lintian\)/')
	[ "$files" = "./etc/default/pernode-services
./etc/init.d/pernode-services
./lib/systemd/system/pernode-services.service
./usr/libexec/pernode-services/pernode-report
./usr/share/man/man1/waitOnFileUpdates.1.gz
./usr/share/man/man7/pernode-functions.7.gz
./usr/share/man/man7/pernode-services.7.gz
./usr/share/man/man8/pernode-services.8.gz" ]
	dpkg-deb -c "$state" | awk '{ print $6 }' | grep -qx ".$STATE/bin/waitOnFileUpdates"
	dpkg-deb -c "$state" | awk '{ print $6 }' | grep -qx ".$STATE/global/"
	dpkg-deb -c "$state" | awk '{ print $6 }' | grep -qx ".$STATE/scripts/"
	# Registered with update-rc.d defaults, and not started on install.
	dpkg-deb -e "$node" "$BATS_TEST_TMPDIR/control"
	grep -q 'update-rc.d pernode-services defaults' "$BATS_TEST_TMPDIR/control/postinst"
	run -1 grep -q 'invoke-rc.d.* start' "$BATS_TEST_TMPDIR/control/postinst"
	grep -qx '/etc/default/pernode-services' "$BATS_TEST_TMPDIR/control/conffiles"
}

@test "lintian finds no error in the Debian packages" {
	command -v dpkg-buildpackage >/dev/null || skip "dpkg-buildpackage not installed (apt-get install dpkg-dev debhelper)"
	command -v lintian >/dev/null || skip "lintian not installed (apt-get install lintian)"
	make -s -C "$TOP" deb >/dev/null 2>&1
	run lintian --fail-on error "$TOP"/packaging/build/deb/*.changes
	printf '%s\n' "$output"
	[ "$status" -eq 0 ]
}

@test "the systemd unit passes systemd-analyze verify and orders itself last" {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze not installed (apt-get install systemd)"
	unit=$BATS_TEST_TMPDIR/pernode-services.service
	sed "s|@INITDIR@|$TOP/scripts|g" "$TOP/packaging/systemd/pernode-services.service" >"$unit"
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
}
