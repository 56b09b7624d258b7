# Shared by the end-to-end tests: a cached Debian image, the project's
# .deb installed on it as a layer, and nodes booted from it in namespaces.
# Every mount is made inside "unshare --mount", so that it goes away with
# the namespace however the test ends.
# shellcheck disable=SC2016 # single-quoted scripts run in the namespace's shell

load "${BASH_SOURCE[0]%/*}/../helpers"

E2E=$TOP/tests/e2e
STATE_PATH=/opt/perceus/state/lib/perceus/init.d

# The e2e tests boot namespaces and mount file systems.  Like every
# helper here that may skip, it returns 1 in setup_file after file_skip,
# and the caller returns.
e2e_need_root() {
	need_root "namespaces and mounts" && need_ns mount uts pid
}

# loud MESSAGE: a line the TAP output shows whatever the formatter.
loud() {
	printf '# !!! %s\n' "$*" >&3
}

# e2e_image KIND: set IMAGE to the cached root of that kind, building it
# if need be; a mirror that cannot be reached skips, loudly.
e2e_image() {
	local rc=0 err=$BATS_FILE_TMPDIR/image.err
	IMAGE=$("$E2E/image.sh" "$1" 2>"$err") || rc=$?
	case $rc in
	0) ;;
	77)
		loud "SKIPPED: $(tail -n 1 "$err")"
		file_skip "no image: $(tail -n 1 "$err")"
		return
		;;
	*)
		cat "$err" >&2
		return 1
		;;
	esac
}

# e2e_debs: build the project's .debs (from the last commit, as make deb
# does) into $BATS_FILE_TMPDIR/debs.
e2e_debs() {
	local version
	git -C "$TOP" rev-parse HEAD >/dev/null 2>&1 ||
	    { file_skip "not a git checkout: the packages are built from make dist"; return; }
	need dh debhelper && need dpkg-buildpackage dpkg-dev || return
	version=$(sed -n 's/^VERSION = //p' "$TOP/Makefile")
	make -s -C "$TOP" deb >"$BATS_FILE_TMPDIR/deb.log" 2>&1 || {
		cat "$BATS_FILE_TMPDIR/deb.log" >&2
		return 1
	}
	mkdir -p "$BATS_FILE_TMPDIR/debs"
	# The node's package holds pernode-watch: of the build's architecture.
	cp "$TOP"/packaging/build/deb/pernode-services_"$version"-1_"$(dpkg --print-architecture)".deb \
	    "$BATS_FILE_TMPDIR/debs/node.deb"
	cp "$TOP"/packaging/build/deb/pernode-services-state_"$version"-1_*.deb \
	    "$BATS_FILE_TMPDIR/debs/state.deb"
	rm -rf "$TOP/packaging/build" "$TOP/pernode-services-$version.tar.gz"
}

# in_overlay [UNSHARE-OPTION...] LOWER UPPER SCRIPT [ARG...]: run SCRIPT
# (bash, with ARGs as $1... and $M the merged root) over LOWER
# (colon-separated layers) with UPPER on top, in a mount namespace of its
# own and any other namespaces the unshare(1) options ask for.
in_overlay() {
	local flags=()
	while [[ $1 == --* ]]; do
		flags+=("$1")
		shift
	done
	local lower=$1 upper=$2 script=$3
	shift 3
	mkdir -p "$upper" "$upper.work" "$upper.mnt"
	unshare --mount --propagation private "${flags[@]}" -- bash -c '
		set -e
		M=$3
		mount -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$2.work" "$M"
		script=$4
		shift 4
		eval "$script"' sh "$lower" "$upper" "$upper.mnt" "$script" "$@"
}

# e2e_layer: the node package installed the way an administrator would,
# with dpkg, whose postinst registers it with update-rc.d (or enables the
# unit); kept as an overlay layer in $LAYER over $IMAGE.
e2e_layer() {
	LAYER=$BATS_FILE_TMPDIR/layer
	mkdir -p "$LAYER.in"
	cp "$BATS_FILE_TMPDIR/debs/node.deb" "$LAYER.in/"
	in_overlay "$IMAGE" "$LAYER" '
		mkdir -p "$M/tmp/e2e"
		mount --bind "$1" "$M/tmp/e2e"
		chroot "$M" dpkg -i /tmp/e2e/node.deb
		umount "$M/tmp/e2e"
		rmdir "$M/tmp/e2e"' "$LAYER.in" >"$BATS_FILE_TMPDIR/dpkg.log" 2>&1 || {
		cat "$BATS_FILE_TMPDIR/dpkg.log" >&2
		return 1
	}
}

# e2e_state: the state directory as the master has it: the state package
# unpacked, its scripts/ and node directories to be filled by the test.
e2e_state() {
	local unpacked=$BATS_FILE_TMPDIR/master
	dpkg-deb -x "$BATS_FILE_TMPDIR/debs/state.deb" "$unpacked"
	STATE=$unpacked$STATE_PATH
}

# state_script PATH [BODY]: an executable in the state directory that
# records "run PATH ACTION" in the node's /var/log/e2e.trace, then runs BODY.
state_script() {
	local path=$STATE/$1
	mkdir -p "${path%/*}"
	cat >"$path" <<-SCRIPT
	#!/bin/sh
	printf 'run %s %s\n' "\${0#$STATE_PATH/}" "\$1" >>/var/log/e2e.trace
	${2:-}
	SCRIPT
	chmod 755 "$path"
}

# e2e_probe: a layer over $LAYER in which every other start script of
# runlevel 2 is wrapped to record "begin NAME ACTION" and "end NAME
# ACTION" in /var/log/e2e.trace, so that the order of a boot can be read.
e2e_probe() {
	PROBE=$BATS_FILE_TMPDIR/probe
	in_overlay "$LAYER:$IMAGE" "$PROBE" '
		mkdir -p "$M/lib/e2e-real"
		for link in "$M"/etc/rc2.d/S*; do
			name=${link##*/S??}
			[ "$name" != pernode-services ] || continue
			mv "$M/etc/init.d/$name" "$M/lib/e2e-real/$name"
			printf "%s\n" "#!/bin/sh" \
			    "printf \"begin %s %s\\\\n\" $name \"\$1\" >>/var/log/e2e.trace" \
			    "/lib/e2e-real/$name \"\$@\"" "rc=\$?" \
			    "printf \"end %s %s\\\\n\" $name \"\$1\" >>/var/log/e2e.trace" \
			    "exit \$rc" >"$M/etc/init.d/$name"
			chmod 755 "$M/etc/init.d/$name"
		done'
}

# in_image COMMAND: run a shell command line in a throwaway copy of the
# image with the package installed, as root of it; prints its output.
in_image() {
	local up
	up=$(mktemp -d "$BATS_TEST_TMPDIR/view.XXXXXX")
	in_overlay "$LAYER:$IMAGE" "$up/upper" 'chroot "$M" /bin/sh -c "$1"' "$1"
}

# boot_sysv NODE COMMANDS: a node booted from the image in new mount, UTS
# and PID namespaces: hostname NODE, the state directory bound read-only
# at its path, fresh /run; then COMMANDS (sh, in the image) as its first
# process, whose end ends every process of the node.  What the node wrote
# stays in $NODE_FS (its overlay's upper layer).
boot_sysv() {
	NODE_FS=$BATS_TEST_TMPDIR/$1
	in_overlay --uts --pid --fork "$PROBE:$LAYER:$IMAGE" "$NODE_FS" '
		mount -t proc proc "$M/proc"
		mount -t tmpfs -o mode=755 tmpfs "$M/run"
		mkdir -p "$M$4"
		mount --bind "$3" "$M$4"
		mount -o remount,bind,ro "$M$4"
		hostname "$1"
		exec chroot "$M" /bin/sh -c "$2"' "$1" "$2" "$STATE" "$STATE_PATH" \
	    </dev/null 3>&-
}

# node_file PATH: a file the last booted node wrote.
node_file() {
	cat "$NODE_FS$1"
}

# boot_systemd NODE: boot the image under systemd-nspawn, as NODE, with
# the state directory bound read-only at its path; returns once the
# container's systemd answers.  Sets LEADER (its PID 1, as seen here) and
# NSPAWN (the background job whose child is systemd-nspawn).  The test ends
# it with shutdown_node.  BOOT_LAYERS (default $LAYER:$IMAGE) are the
# layers booted; BOOT_BIND (default STATE:STATE_PATH) the bind, none if
# empty.
boot_systemd() {
	NODE_FS=$BATS_TEST_TMPDIR/$1
	mkdir -p "$NODE_FS/etc"
	printf '%s\n' "$1" >"$NODE_FS/etc/hostname"
	in_overlay "${BOOT_LAYERS:-$LAYER:$IMAGE}" "$NODE_FS" '
		exec systemd-nspawn -q --register=no --keep-unit -D "$M" -M "$1" \
		    ${2:+"--bind-ro=$2"} -b --console=pipe' "$1" \
	    "${BOOT_BIND-$STATE:$STATE_PATH}" \
	    </dev/null >"$BATS_TEST_TMPDIR/console" 2>&1 3>&- &
	NSPAWN=$!
	LEADER=''
	until_true 30 leader_up || {
		cat "$BATS_TEST_TMPDIR/console" >&2
		return 1
	}
	# "degraded" is a boot with a failed unit: ours, when a script fails.
	local state
	state=$(in_node 'timeout 60 systemctl is-system-running --wait') || true
	[[ $state =~ ^(running|degraded)$ ]] || {
		printf 'system state: %s\n' "$state" >&2
		return 1
	}
}

leader_up() {
	local nspawn
	nspawn=$(pgrep -P "$NSPAWN" -x systemd-nspawn) &&
	    LEADER=$(pgrep -P "$nspawn" -x systemd) &&
	    in_node 'test -S /run/systemd/private'
}

# systemd-nspawn needs cgroups and more, which a container or a chroot
# may not give.
nspawn_works() {
	local err
	err=$(systemd-nspawn -q --register=no --keep-unit -M e2e-probe --read-only \
	    -D "$IMAGE" /bin/true 2>&1) ||
	    { file_skip "systemd-nspawn cannot start a container here: ${err%%$'\n'*}"; return; }
}

# systemd-nspawn may start a process and still not boot systemd (seen in
# a chroot): a probe boot of the bare image (so that what a test adds to
# it cannot pass for the host's limits), up to systemd answering, then a
# power-off.
nspawn_boots() {
	local dir=$BATS_FILE_TMPDIR/probe err
	mkdir -p "$dir"
	if BATS_TEST_TMPDIR=$dir BOOT_LAYERS=$IMAGE BOOT_BIND='' \
	    boot_systemd e2e-probe 2>"$dir/err"; then
		shutdown_node
		return 0
	fi
	shutdown_node 2>/dev/null
	err=$(grep -m 1 . "$dir/console" "$dir/err" 2>/dev/null | head -n 1)
	file_skip "systemd-nspawn cannot boot systemd here (no answer from it in 30 s${err:+: ${err#*:}})"
}

# in_node COMMAND: a shell command line inside the booted node.
in_node() {
	nsenter -t "$LEADER" -a /bin/sh -c "$1" </dev/null 3>&-
}

nspawn_gone() {
	! kill -0 "$NSPAWN" 2>/dev/null
}

# shutdown_node: power the node off and wait for it to end (bounded).
shutdown_node() {
	[ -n "${NSPAWN-}" ] || return 0
	in_node 'systemctl poweroff' 2>/dev/null || true
	if ! until_true 60 nspawn_gone; then
		local nspawn
		# The container's init first: it outlives a killed nspawn.
		nspawn=$(pgrep -P "$NSPAWN" -x systemd-nspawn) &&
		    pkill -9 -P "$nspawn" 2>/dev/null
		pkill -9 -P "$NSPAWN" 2>/dev/null
		kill -9 "$NSPAWN" 2>/dev/null
		printf 'node still running 60 s after poweroff\n' >&2
	fi
	wait "$NSPAWN" 2>/dev/null || true
	NSPAWN=''
}
