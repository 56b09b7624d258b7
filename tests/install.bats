#!/usr/bin/env bats
# make install, install-node, install-state, uninstall, static and dist.

load helpers

setup() {
	common_setup
	DEST=$BATS_TEST_TMPDIR/dest
	STATE=/opt/perceus/state/lib/perceus/init.d
	# Where install puts the config in a target tree that tells nothing of
	# its distribution (an empty DESTDIR): as the build host's /etc tells.
	if [ -e /etc/redhat-release ]; then HOSTCONF=sysconfig
	elif [ -e /etc/debian_version ]; then HOSTCONF=default
	elif [ -d /etc/sysconfig ]; then HOSTCONF=sysconfig
	else HOSTCONF=default
	fi
}

mk() {
	make -s -C "$TOP" "$@"
}

# The files and directories under DEST, relative to it, with their modes.
tree() {
	(cd "$DEST" && find . -mindepth 1 -printf '%m %y %P\n' | LC_ALL=C sort -k3)
}

# The library's files, scripts/lib/*.sh and *.awk, one name a line.
lib_files() {
	(cd "$TOP/scripts/lib" && printf '%s\n' *.sh *.awk)
}

# What install puts in LIBDIR: the library and pernode-watch, sorted.
libdir_files() {
	{ lib_files; printf 'pernode-watch\n'; } | LC_ALL=C sort
}

# use_lib SCRIPT DIR: point the installed init script SCRIPT at the
# library in DIR, as the node sees its image's LIBDIR once booted (here,
# the image is a DESTDIR and its LIBDIR is under it).
use_lib() {
	sed -i "s|^libdir=.*|libdir=$2|" "$1"
	grep -qx "libdir=$2" "$1"
}

@test "make install puts the node part and the state part in their places under DESTDIR" {
	mk install DESTDIR="$DEST" PREFIX=/usr
	[ "$(tree | grep -v ' d ')" = "$(printf '%s\n' \
	    "755 f etc/init.d/pernode-services" \
	    "644 f etc/logrotate.d/pernode-services" \
	    "644 f etc/$HOSTCONF/pernode-services" \
	    "755 f opt/perceus/state/lib/perceus/init.d/bin/waitOnFileUpdates" \
	    "644 f opt/perceus/state/lib/perceus/init.d/functions" \
	    "644 f usr/lib/systemd/system/pernode-services.service" \
	    "$(lib_files | sed 's|^|644 f usr/lib/pernode-services/|')" \
	    "755 f usr/lib/pernode-services/pernode-watch" \
	    "777 l usr/sbin/pernode-services" \
	    "644 f usr/share/man/man1/waitOnFileUpdates.1" \
	    "644 f usr/share/man/man7/pernode-functions.7" \
	    "644 f usr/share/man/man7/pernode-services.7" \
	    "644 f usr/share/man/man8/pernode-services.8" \
	    "644 f usr/share/man/man8/pernode-watch.8" | LC_ALL=C sort -k3)" ]
	[ -d "$DEST$STATE/global" ]
	[ -d "$DEST$STATE/scripts" ]
	# The library is the init script's whole library, and none of it runs
	# by itself: sourced (.sh) or read by awk -f (.awk).  The one program
	# there is pernode-watch, which the runner runs.
	for lib in trust plan groups run record report; do
		[ -f "$DEST/usr/lib/pernode-services/$lib.sh" ]
	done
	[ -f "$DEST/usr/lib/pernode-services/nodeset.awk" ]
	[ "$(find "$DEST/usr/lib/pernode-services" -type f -perm /111)" = \
	    "$DEST/usr/lib/pernode-services/pernode-watch" ]
	unit=$DEST/usr/lib/systemd/system/pernode-services.service
	grep -qx "ExecStart=/etc/init.d/pernode-services start" "$unit"
	grep -qx "RequiresMountsFor=$STATE" "$unit"
	# No placeholder is left in the unit, not even in a comment.
	run -1 grep '@[A-Z]*@' "$unit"
	cmp "$TOP/packaging/pernode-services.logrotate" "$DEST/etc/logrotate.d/pernode-services"
}

@test "the link on PATH holds the final path of the init script, without DESTDIR" {
	mk install-node DESTDIR="$DEST" PREFIX=/usr INITDIR=/etc/rc.d/init.d
	[ "$(readlink "$DEST/usr/sbin/pernode-services")" = /etc/rc.d/init.d/pernode-services ]
	# Inside the image, it resolves to the installed init script.
	[ -x "$DEST$(readlink "$DEST/usr/sbin/pernode-services")" ]
	# Installed again, it is replaced, not made beside itself.
	mk install-node DESTDIR="$DEST" PREFIX=/usr INITDIR=/etc/rc.d/init.d
	[ "$(readlink "$DEST/usr/sbin/pernode-services")" = /etc/rc.d/init.d/pernode-services ]
	[ "$(find "$DEST/usr/sbin" ! -type d | wc -l)" -eq 1 ]
	mk uninstall DESTDIR="$DEST" PREFIX=/usr INITDIR=/etc/rc.d/init.d
	[ ! -L "$DEST/usr/sbin/pernode-services" ]
}

@test "pernode-services on PATH runs the installed init script, its report and its list" {
	# Installed without DESTDIR, in a tree of its own, so that the link
	# (which holds the final path) resolves here.
	T=$BATS_TEST_TMPDIR/t
	mk install PREFIX="$T/usr" SYSCONFDIR="$T/etc" UNITDIR="$T/unit" \
	    STATEDIR="$T/state"
	[ "$(readlink "$T/usr/sbin/pernode-services")" = "$T/etc/init.d/pernode-services" ]
	printf '#!/bin/sh\n' >"$T/state/global/10-site"
	chmod 755 "$T/state/global/10-site"
	: >"$BATS_TEST_TMPDIR/config"
	export PERNODE_CONFIG=$BATS_TEST_TMPDIR/config PATH=$T/usr/sbin:$PATH
	unset PERNODE_ROOT
	# The report, its library found through libdir, which install rewrote.
	run -0 --separate-stderr pernode-services report -h
	[[ $output == "usage: pernode-services report "* ]]
	run -0 --separate-stderr "$T/usr/sbin/pernode-services" report -h
	[[ $output == "usage: pernode-services report "* ]]
	# The state directory: by default the installed STATEDIR, or -r's.
	run -0 --separate-stderr pernode-services -n n059 list
	[ "$output" = global/10-site ]
	mkdir -p "$BATS_TEST_TMPDIR/root/global" "$BATS_TEST_TMPDIR/root/n059"
	printf '#!/bin/sh\n' >"$BATS_TEST_TMPDIR/root/n059/20-node"
	chmod 755 "$BATS_TEST_TMPDIR/root/n059/20-node"
	run -0 --separate-stderr pernode-services -n n059 list -r "$BATS_TEST_TMPDIR/root"
	[ "$output" = n059/20-node ]
}

@test "make install with PREFIX and SYSCONFDIR writes nothing outside them but UNITDIR and STATEDIR" {
	mk install DESTDIR="$DEST" PREFIX=/opt/pns SYSCONFDIR=/opt/pns/etc
	files=$(cd "$DEST" && find . ! -type d | sed 's|^\./||' | LC_ALL=C sort)
	printf '%s\n' "$files"
	outside=$(printf '%s\n' "$files" | grep -v '^opt/pns/' |
	    grep -v '^usr/lib/systemd/system/' | grep -v "^${STATE#/}/" || true)
	[ -z "$outside" ]
	[ "$(readlink "$DEST/opt/pns/sbin/pernode-services")" = /opt/pns/etc/init.d/pernode-services ]
	[ -e "$DEST/opt/pns/etc/logrotate.d/pernode-services" ]
	[ -e "$DEST/opt/pns/etc/$HOSTCONF/pernode-services" ]
	# The init script reads the config where it was put, and its library
	# where PREFIX moved LIBDIR.
	grep -qx 'sysconfdir=/opt/pns/etc' "$DEST/opt/pns/etc/init.d/pernode-services"
	grep -qx 'initdir=/opt/pns/etc/init.d' "$DEST/opt/pns/etc/init.d/pernode-services"
	grep -qx 'libdir=/opt/pns/lib/pernode-services' "$DEST/opt/pns/etc/init.d/pernode-services"
	[ "$(cd "$DEST/opt/pns/lib/pernode-services" && ls)" = "$(libdir_files)" ]
	[ -e "$DEST/opt/pns/share/man/man8/pernode-services.8" ]
}

@test "LIBDIR moves the library, apart from PREFIX, and the init script looks there" {
	mk install-node DESTDIR="$DEST" PREFIX=/usr LIBDIR=/opt/pns-lib
	grep -qx 'libdir=/opt/pns-lib' "$DEST/etc/init.d/pernode-services"
	[ "$(cd "$DEST/opt/pns-lib" && ls)" = "$(libdir_files)" ]
	[ ! -e "$DEST/usr/lib/pernode-services" ]
	mk uninstall DESTDIR="$DEST" PREFIX=/usr LIBDIR=/opt/pns-lib
	[ ! -e "$DEST/opt/pns-lib" ]
}

@test "pernode-watch installed in LIBDIR runs, and uninstall removes it with its man page" {
	mk install-node DESTDIR="$DEST" PREFIX=/usr
	watch=$DEST/usr/lib/pernode-services/pernode-watch
	[ -x "$watch" ]
	cmp "$TOP/src/pernode-watch.8" "$DEST/usr/share/man/man8/pernode-watch.8"
	printf '#!/bin/sh\nexit 7\n' >"$BATS_TEST_TMPDIR/seven"
	chmod 755 "$BATS_TEST_TMPDIR/seven"
	run -0 --separate-stderr "$watch" -t 5 < <(printf '%s\0' run 1 "$BATS_TEST_TMPDIR/seven" x)
	[[ $output =~ ^end\ 1\ 7\ [0-9]+\ -\ [0-9]+-[0-9]+$ ]]
	run -2 --separate-stderr "$watch" -t x </dev/null
	[ "$stderr" = "pernode-watch: -t 'x': not a whole number" ]
	mk uninstall DESTDIR="$DEST" PREFIX=/usr
	[ ! -e "$watch" ]
	[ ! -e "$DEST/usr/share/man/man8/pernode-watch.8" ]
	[ ! -e "$DEST/usr/lib/pernode-services" ]
}

@test "the config goes to sysconfig or default as the target tree tells its distribution, or to CONFDIR" {
	# A RHEL tree: sysconfig, though it has default/ too.
	mkdir -p "$DEST/etc/sysconfig" "$DEST/etc/default"
	: >"$DEST/etc/redhat-release"
	mk install-node DESTDIR="$DEST"
	[ -e "$DEST/etc/sysconfig/pernode-services" ]
	[ ! -e "$DEST/etc/default/pernode-services" ]
	mk uninstall DESTDIR="$DEST"
	[ ! -e "$DEST/etc/sysconfig/pernode-services" ]
	# Its release file alone is enough.
	rm -rf "$DEST"
	mkdir -p "$DEST/etc"
	: >"$DEST/etc/redhat-release"
	mk install-node DESTDIR="$DEST"
	[ -e "$DEST/etc/sysconfig/pernode-services" ]
	# A Debian tree: default, even with a stray sysconfig/.
	rm -rf "$DEST"
	mkdir -p "$DEST/etc/default" "$DEST/etc/sysconfig"
	: >"$DEST/etc/debian_version"
	mk install-node DESTDIR="$DEST"
	[ -e "$DEST/etc/default/pernode-services" ]
	[ ! -e "$DEST/etc/sysconfig/pernode-services" ]
	mk uninstall DESTDIR="$DEST"
	[ ! -e "$DEST/etc/default/pernode-services" ]
	# No release file: by the directories, sysconfig/ first.
	rm -rf "$DEST"
	mkdir -p "$DEST/etc/default"
	mk install-node DESTDIR="$DEST"
	[ -e "$DEST/etc/default/pernode-services" ]
	rm -rf "$DEST"
	mkdir -p "$DEST/etc/default" "$DEST/etc/sysconfig"
	mk install-node DESTDIR="$DEST"
	[ -e "$DEST/etc/sysconfig/pernode-services" ]
	# SYSCONFDIR moves it along.
	rm -rf "$DEST"
	mkdir -p "$DEST/opt/etc/sysconfig"
	mk install-node DESTDIR="$DEST" SYSCONFDIR=/opt/etc
	[ -e "$DEST/opt/etc/sysconfig/pernode-services" ]
	# CONFDIR wins over what is there.
	rm -rf "$DEST"
	mkdir -p "$DEST/etc/sysconfig"
	: >"$DEST/etc/redhat-release"
	mk install-node DESTDIR="$DEST" CONFDIR=/etc/default
	[ -e "$DEST/etc/default/pernode-services" ]
	[ ! -e "$DEST/etc/sysconfig/pernode-services" ]
	mk uninstall DESTDIR="$DEST" CONFDIR=/etc/default
	[ ! -e "$DEST/etc/default/pernode-services" ]
}

@test "bmake installs the same files as make" {
	command -v bmake >/dev/null ||
	    skip "bmake not installed (package bmake; see tests/deps)"
	mk install DESTDIR="$DEST" PREFIX=/usr
	bmake -s -C "$TOP" install DESTDIR="$BATS_TEST_TMPDIR/bdest" PREFIX=/usr
	diff -r --no-dereference "$DEST" "$BATS_TEST_TMPDIR/bdest"
	bmake -s -C "$TOP" uninstall DESTDIR="$BATS_TEST_TMPDIR/bdest" PREFIX=/usr
	[ -z "$(find "$BATS_TEST_TMPDIR/bdest" ! -type d)" ]
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
	[ -e "$DEST/etc/logrotate.d/pernode-services" ]
}

@test "SBINDIR and LOGROTATEDIR are honoured" {
	mk install-node DESTDIR="$DEST" SBINDIR=/bin LOGROTATEDIR=/lr
	[ "$(readlink "$DEST/bin/pernode-services")" = /etc/init.d/pernode-services ]
	[ -e "$DEST/lr/pernode-services" ]
	mk uninstall DESTDIR="$DEST" SBINDIR=/bin LOGROTATEDIR=/lr
	[ ! -L "$DEST/bin/pernode-services" ]
	[ ! -e "$DEST/lr/pernode-services" ]
}

@test "the installed runner reads its library from LIBDIR, and a missing library file is a one-line error" {
	mk install DESTDIR="$DEST" PREFIX=/usr INITDIR=/etc/rc.d/init.d
	init=$DEST/etc/rc.d/init.d/pernode-services
	grep -qx 'libdir=/usr/lib/pernode-services' "$init"
	# The report asks the nodes for the runner where this install put it.
	grep -qx 'initdir=/etc/rc.d/init.d' "$init"
	grep -qF ': "${PERNODE_REMOTE:=$initdir/pernode-services}"' "$DEST/usr/lib/pernode-services/report.sh"
	# The installed runner, from anywhere, runs the installed report.
	lib=$DEST/usr/lib/pernode-services
	use_lib "$init" "$lib"
	run -2 --separate-stderr sh "$init" report
	[[ $stderr == *"give -w NODESET, or the FILE (or -) to read"* ]]
	# Its fold (LIBDIR/nodeset.awk, report.awk) runs.
	run -1 --separate-stderr sh "$init" report - </dev/null
	[ "$stderr" = "pernode-services report: no node answered" ]
	# A file of the library missing: a broken install, said in one line.
	rm "$lib/report.awk"
	run -6 --separate-stderr sh "$init" report - </dev/null
	[ "$stderr" = "pernode-services: library $lib/report.awk is missing" ]
	rm "$lib/report.sh"
	run -6 --separate-stderr sh "$init" report -
	[ "$stderr" = "pernode-services: library $lib/report.sh is missing" ]
	: >"$BATS_TEST_TMPDIR/config"
	mv "$lib/trust.sh" "$BATS_TEST_TMPDIR/"
	run -6 --separate-stderr env PERNODE_CONFIG="$BATS_TEST_TMPDIR/config" \
	    sh "$init" -r "$BATS_TEST_TMPDIR" list
	[ "$stderr" = "pernode-services: library $lib/trust.sh is missing" ]
	[ -z "$output" ]
}

@test "an init script installed into an image runs list with the image's library, never another" {
	mk install-node DESTDIR="$DEST" PREFIX=/usr
	init=$DEST/etc/init.d/pernode-services
	mkdir -p "$BATS_TEST_TMPDIR/root/global" "$BATS_TEST_TMPDIR/root/n059"
	printf '#!/bin/sh\n' >"$BATS_TEST_TMPDIR/root/global/10-site"
	printf '#!/bin/sh\n' >"$BATS_TEST_TMPDIR/root/n059/20-node"
	chmod 755 "$BATS_TEST_TMPDIR/root/global/10-site" "$BATS_TEST_TMPDIR/root/n059/20-node"
	: >"$BATS_TEST_TMPDIR/config"
	# list_of NODE: the installed init script's list for NODE.
	list_of() {
		PERNODE_CONFIG=$BATS_TEST_TMPDIR/config \
		    sh "$init" -r "$BATS_TEST_TMPDIR/root" -n "$1" list
	}
	# Outside the image, its LIBDIR (/usr/lib/pernode-services) is not
	# there: the script says so, and never falls back on another library.
	if [ ! -e /usr/lib/pernode-services ]; then
		run -6 --separate-stderr list_of n059
		[[ $stderr == "pernode-services: library /usr/lib/pernode-services/"*".sh is missing" ]]
		[ -z "$output" ]
	fi
	# With LIBDIR as the booted image has it, the plan of each node.
	use_lib "$init" "$DEST/usr/lib/pernode-services"
	run -0 --separate-stderr list_of n059
	[ "$output" = "$(printf 'global/10-site\nn059/20-node')" ]
	printf 'gpu: n[059-060]\n' >"$BATS_TEST_TMPDIR/root/groups"
	mkdir "$BATS_TEST_TMPDIR/root/@gpu"
	printf '#!/bin/sh\n' >"$BATS_TEST_TMPDIR/root/@gpu/15-gpu"
	chmod 755 "$BATS_TEST_TMPDIR/root/@gpu/15-gpu"
	run -0 --separate-stderr list_of n060
	[ "$output" = "$(printf 'global/10-site\n@gpu/15-gpu')" ]
	# Its library, not the checkout's: a library that is not there fails.
	use_lib "$init" "$BATS_TEST_TMPDIR/nowhere"
	run -6 --separate-stderr list_of n059
	[[ $stderr == "pernode-services: library $BATS_TEST_TMPDIR/nowhere/"*".sh is missing" ]]
}

@test "another STATEDIR becomes the default ROOT of the installed init script and functions" {
	mk install DESTDIR="$DEST" STATEDIR=/srv/pernode
	grep -qx 'default_root=/srv/pernode' "$DEST/etc/init.d/pernode-services"
	grep -qxF ': "${PERNODE_ROOT:=/srv/pernode}"' "$DEST/srv/pernode/functions"
	grep -qx 'RequiresMountsFor=/srv/pernode' "$DEST/usr/lib/systemd/system/pernode-services.service"
	# Nothing else changed: in the init script the four path lines, each
	# its @NAME@ put in; in functions the lines of @STATEDIR@ alone.
	changed=$(diff "$TOP/scripts/pernode-services" "$DEST/etc/init.d/pernode-services" | grep '^[<>]')
	[ "$changed" = "$(printf '%s\n' \
	    '< default_root=@STATEDIR@' '< libdir=@LIBDIR@' \
	    '< sysconfdir=@SYSCONFDIR@' '< initdir=@INITDIR@' \
	    '> default_root=/srv/pernode' '> libdir=/usr/local/lib/pernode-services' \
	    '> sysconfdir=/etc' '> initdir=/etc/init.d')" ]
	changed=$(diff "$TOP/functions" "$DEST/srv/pernode/functions" | grep '^[<>]')
	[ "$(grep -c '^<' <<<"$changed")" -ge 1 ]
	[ "$(grep -c '^<' <<<"$changed")" = "$(grep -c '@STATEDIR@' "$TOP/functions")" ]
	[ "$(grep -c '^>' <<<"$changed")" = "$(grep -c '@STATEDIR@' "$TOP/functions")" ]
	[ "$(grep '^<' <<<"$changed" | sed 's|^< ||; s|@STATEDIR@|/srv/pernode|g')" = \
	    "$(grep '^>' <<<"$changed" | sed 's|^> ||')" ]
	# No placeholder is left in either.
	run -1 grep -E '@(LIBDIR|STATEDIR|SYSCONFDIR|INITDIR)@' "$DEST/etc/init.d/pernode-services" "$DEST/srv/pernode/functions"
	# And the installed script looks there by default.
	use_lib "$DEST/etc/init.d/pernode-services" "$DEST/usr/local/lib/pernode-services"
	: >"$BATS_TEST_TMPDIR/config"
	run -6 --separate-stderr env -u PERNODE_ROOT PERNODE_CONFIG="$BATS_TEST_TMPDIR/config" \
	    sh "$DEST/etc/init.d/pernode-services" list
	# (Whatever the words, the message names the directory.)
	[[ $stderr == *" /srv/pernode "* || $stderr == *"'/srv/pernode'"* ]]
}

@test "install never overwrites a config file or a logrotate file that is there" {
	mkdir -p "$DEST/etc/sysconfig" "$DEST/etc/logrotate.d"
	printf 'PERNODE_TIMEOUT=60\n' >"$DEST/etc/sysconfig/pernode-services"
	printf '/srv/log {\n}\n' >"$DEST/etc/logrotate.d/pernode-services"
	mk install-node DESTDIR="$DEST"
	[ "$(cat "$DEST/etc/sysconfig/pernode-services")" = PERNODE_TIMEOUT=60 ]
	[ "$(cat "$DEST/etc/logrotate.d/pernode-services")" = "$(printf '/srv/log {\n}')" ]
	# And where there is none, install puts its own.
	rm "$DEST/etc/logrotate.d/pernode-services"
	mk install-node DESTDIR="$DEST"
	cmp "$TOP/packaging/pernode-services.logrotate" "$DEST/etc/logrotate.d/pernode-services"
}

@test "uninstall removes what install put there, and nothing an administrator added" {
	mk install DESTDIR="$DEST"
	printf '#!/bin/sh\n' >"$DEST$STATE/global/10-site"
	mkdir "$DEST$STATE/n059"
	mk uninstall DESTDIR="$DEST"
	[ "$(tree | grep -v ' d ')" = "644 f opt/perceus/state/lib/perceus/init.d/global/10-site" ]
	[ -d "$DEST$STATE/n059" ]
	[ ! -e "$DEST/usr/local/lib/pernode-services" ]
}

@test "uninstall keeps an edited config or logrotate file and removes an untouched one" {
	mk install DESTDIR="$DEST"
	mk uninstall DESTDIR="$DEST"
	[ ! -e "$DEST/etc/$HOSTCONF/pernode-services" ]
	[ ! -e "$DEST/etc/logrotate.d/pernode-services" ]
	mk install DESTDIR="$DEST"
	printf 'PERNODE_TIMEOUT=60\n' >>"$DEST/etc/$HOSTCONF/pernode-services"
	printf '# rotate 9\n' >>"$DEST/etc/logrotate.d/pernode-services"
	mk uninstall DESTDIR="$DEST"
	grep -qx PERNODE_TIMEOUT=60 "$DEST/etc/$HOSTCONF/pernode-services"
	grep -qx '# rotate 9' "$DEST/etc/logrotate.d/pernode-services"
}

@test "the logrotate file passes logrotate -d, and its rotation loses no run's lines" {
	command -v logrotate >/dev/null ||
	    skip "logrotate not installed (package logrotate; see tests/deps)"
	mk install-node DESTDIR="$DEST"
	conf=$DEST/etc/logrotate.d/pernode-services
	# As installed: read without an error, for the default log.
	run -0 logrotate -d -s "$BATS_TEST_TMPDIR/lr.state" "$conf"
	printf '%s\n' "$output"
	[[ $output == *"rotating pattern: /var/log/pernode-services.log "* ]]
	[[ $output != *error* ]]
	# The same rules on a log of this test's, which runs of the init
	# script append to; -f rotates whatever the week.
	log=$BATS_TEST_TMPDIR/log/pernode-services.log
	mkdir -p "$BATS_TEST_TMPDIR/log" "$BATS_TEST_TMPDIR/root/global"
	sed "s|^/var/log/pernode-services.log |$log |" "$conf" >"$BATS_TEST_TMPDIR/lr.conf"
	grep -q "^$log {" "$BATS_TEST_TMPDIR/lr.conf"
	: >"$BATS_TEST_TMPDIR/config"
	printf '#!/bin/sh\necho "run $(cat %s)"\n' "$BATS_TEST_TMPDIR/no" \
	    >"$BATS_TEST_TMPDIR/root/global/10-say"
	chmod 755 "$BATS_TEST_TMPDIR/root/global/10-say"
	pns_run() {
		printf '%s\n' "$1" >"$BATS_TEST_TMPDIR/no"
		PERNODE_CONFIG=$BATS_TEST_TMPDIR/config PERNODE_LOG=$log \
		    PERNODE_ROOT=$BATS_TEST_TMPDIR/root PERNODE_HOSTNAME=n059 \
		    PERNODE_RUNDIR=$BATS_TEST_TMPDIR/run \
		    sh "$TOP/scripts/pernode-services" start
	}
	rotate() {
		logrotate -f -s "$BATS_TEST_TMPDIR/lr.state" "$BATS_TEST_TMPDIR/lr.conf"
	}
	pns_run 1
	grep -qx 'run 1' "$log"
	rotate
	# Renamed, left uncompressed for a run that may still be writing to
	# it (delaycompress); the next run opens a log of its own.
	grep -qx 'run 1' "$log.1"
	pns_run 2
	grep -qx 'run 2' "$log"
	run -1 grep -qx 'run 1' "$log"
	rotate
	grep -qx 'run 2' "$log.1"
	gzip -dc "$log.2.gz" | grep -qx 'run 1'
	# An empty log stays as it is (notifempty).
	: >"$log"
	rotate
	[ -e "$log" ] && [ ! -e "$log.3.gz" ]
	grep -qx 'run 2' "$log.1"
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

@test "uninstall with a relative DESTDIR removes the library too" {
	local rel
	mk install DESTDIR="$DEST"
	# DESTDIR as seen from the top of the tree, where make runs.
	rel=$(realpath --relative-to="$TOP" "$DEST")
	mk uninstall DESTDIR="$rel"
	[ ! -e "$DEST/usr/local/lib/pernode-services" ]
	[ ! -e "$DEST/etc/init.d/pernode-services" ]
}
