# Shared setup for the bats suite: a sealed environment in BATS_TEST_TMPDIR
# and helpers for background waiters.  Sourced by every .bats file.

bats_require_minimum_version 1.5.0

TOP=$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)
# make check sets WFU to the sanitizer build for its second pass.
: "${WFU:=src/waitOnFileUpdates}"
case $WFU in /*) ;; *) WFU=$TOP/$WFU ;; esac

common_setup() {
	export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	export LC_ALL=C TZ=UTC
	cd "$BATS_TEST_TMPDIR" || return 1
	file_skipped
}

# Bats 1.8 (Debian 12) fails a setup_file that calls skip.  There,
# file_skip REASON records the reason and returns 1, and the caller
# returns at once ("need_root || return 0"); common_setup then skips each
# test of the file with that reason.  In a test, file_skip is skip.
file_skip() {
	if [ -n "${BATS_TEST_NAME-}" ]; then
		skip "$*"
	fi
	printf '%s\n' "$*" >"$BATS_FILE_TMPDIR/skip"
	return 1
}

# In setup_file, "if ! STEP || ! STEP; then file_skipping; return; fi":
# setup_file returns 0 when a step skipped, and fails when a step failed.
file_skipping() {
	[ -e "$BATS_FILE_TMPDIR/skip" ]
}

file_skipped() {
	if [ -e "$BATS_FILE_TMPDIR/skip" ]; then
		skip "$(cat "$BATS_FILE_TMPDIR/skip")"
	fi
}

# need_root WHY: skip (see file_skip) unless running as root.
need_root() {
	[ "$(id -u)" -eq 0 ] || { file_skip "needs root ($1)"; return; }
}

# need_ns KIND...: skip (see file_skip) unless unshare(1) can make these
# namespaces here (mount, uts, pid, user): root is not always enough, as
# a container or a chroot may refuse them.
need_ns() {
	local flags=() kind
	need unshare util-linux || return
	for kind do
		case $kind in
		mount) flags+=(--mount --propagation private) ;;
		pid) flags+=(--pid --fork) ;;
		user) flags+=(--user --map-root-user) ;;
		*) flags+=("--$kind") ;;
		esac
	done
	unshare "${flags[@]}" true 2>/dev/null ||
	    { file_skip "unshare cannot make $* namespaces here"; return; }
}

# need TOOL [PACKAGE]: skip (see file_skip) unless TOOL is on PATH.
need() {
	command -v "$1" >/dev/null ||
	    { file_skip "$1 not installed (package ${2:-$1}; see tests/deps)"; return; }
}

# Give files a modification time long before any threshold the tests use.
old() {
	touch -d '2000-01-01 00:00:00' "$@"
}

now() {
	printf '%s\n' "$EPOCHREALTIME"
}

# elapsed START [END]: seconds between two $EPOCHREALTIME readings.
elapsed() {
	awk -v a="$1" -v b="${2:-$EPOCHREALTIME}" 'BEGIN { printf "%.3f\n", b - a }'
}

# lt A B / ge A B: numeric comparisons of decimals.
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

# waiter ARGS...: start waitOnFileUpdates in the background, output to
# out/err files; fd 3 is closed so bats never waits on it.  Sets $pid.
waiter() {
	"$WFU" "$@" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
}

# until_true SECONDS COMMAND...: poll COMMAND every 50 ms, at most SECONDS.
until_true() {
	local limit=$1 start=$EPOCHREALTIME
	shift
	until "$@"; do
		lt "$(elapsed "$start")" "$limit" || return 1
		sleep 0.05
	done
}

# at START SECONDS: sleep until SECONDS after START (an $EPOCHREALTIME);
# this sets the scene of a test, it never waits for a result.
at() {
	local left
	left=$(awk -v s="$1" -v d="$2" -v n="$EPOCHREALTIME" \
	    'BEGIN { l = s + d - n; printf "%.3f\n", (l > 0 ? l : 0) }')
	sleep "$left"
}

running() { kill -0 "$pid" 2>/dev/null; }
stopped() { ! running; }

# reap [SECONDS]: wait (bounded) for the waiter to end; sets $status.
# A waiter still running after the limit is killed and the test fails.
# shellcheck disable=SC2034 # status is read by the tests, as after run
reap() {
	if ! until_true "${1:-30}" stopped; then
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		printf 'waiter %s still running after %ss\n' "$pid" "${1:-30}" >&2
		return 1
	fi
	status=0
	wait "$pid" || status=$?
}

# Wait until the waiter has finished its first stat() round (needs -v).
first_round() {
	# -s: the waiter's shell may not have made the file yet.
	until_true 10 grep -qs 'next check in' "$BATS_TEST_TMPDIR/err"
}

# --- pernode-services -------------------------------------------------------

PNS=$TOP/scripts/pernode-services
# tests/run sets PNS_SHELL to each shell in turn ("bash --posix" has a word
# more); by default the system's sh.
: "${PNS_SHELL:=sh}"

# A sealed state directory, run directory, log and empty config per test.
pns_setup() {
	common_setup
	read -ra SH <<<"$PNS_SHELL"
	command -v "${SH[0]}" >/dev/null ||
	    skip "shell ${SH[0]} not installed (see tests/deps)"
	ROOT=$BATS_TEST_TMPDIR/root
	TRACE=$BATS_TEST_TMPDIR/trace
	RUN=$BATS_TEST_TMPDIR/run
	LOG=$BATS_TEST_TMPDIR/log
	mkdir -p "$ROOT/global" "$ROOT/scripts" "$ROOT/bin"
	: >"$BATS_TEST_TMPDIR/config"
	export PERNODE_ROOT=$ROOT PERNODE_HOSTNAME=n059 PERNODE_RUNDIR=$RUN \
	    PERNODE_LOG=$LOG PERNODE_CONFIG=$BATS_TEST_TMPDIR/config
	unset PERNODE_TIMEOUT PERNODE_CHECK_PERMS PERNODE_KILL_AFTER \
	    PERNODE_ROOT_WAIT
}

# Let other users reach BATS_TEST_TMPDIR: search permission on it and on
# the directories bats made above it.  The checkout itself may be out of
# their reach (a clone in /root or in a mktemp -d directory is 0700), so
# they get copies of the runner (with its library, lib/ beside it) and the
# waiter in it: $PNS_OTHER and $WFU_OTHER.
open_to_others() {
	local d=$BATS_TEST_TMPDIR
	while [ "$d" != / ] && [ "${#d}" -ge "${#BATS_RUN_TMPDIR}" ]; do
		chmod o+x "$d"
		d=${d%/*}
	done
	chmod 755 "$BATS_TEST_TMPDIR"
	mkdir -p "$BATS_TEST_TMPDIR/others"
	cp "$PNS" "$WFU" "$BATS_TEST_TMPDIR/others/"
	cp -R "${PNS%/*}/lib" "$BATS_TEST_TMPDIR/others/"
	# From a source tree, the watcher is ../src/pernode-watch.
	mkdir -p "$BATS_TEST_TMPDIR/src"
	cp "$TOP/src/pernode-watch" "$BATS_TEST_TMPDIR/src/"
	chmod -R a+rX "$BATS_TEST_TMPDIR/others" "$BATS_TEST_TMPDIR/src"
	# shellcheck disable=SC2034 # read by the tests
	PNS_OTHER=$BATS_TEST_TMPDIR/others/${PNS##*/}
	# shellcheck disable=SC2034 # read by the tests
	WFU_OTHER=$BATS_TEST_TMPDIR/others/${WFU##*/}
}

# pns ARGS...: the init script under the shell of this pass.
pns() {
	"${SH[@]}" "$PNS" "$@"
}

# boot NODE...: a start on each NODE, as its boot would run it, each with
# a run directory of its own under $RUN.
boot() {
	local node
	for node do
		PERNODE_RUNDIR=$RUN/$node pns -n "$node" start >/dev/null 2>&1 || true
	done
}

# answers_of NODE...: each NODE's status --machine, as pdsh prints it.
answers_of() {
	local node
	for node do
		PERNODE_RUNDIR=$RUN/$node pns -n "$node" status --machine |
		    sed "s/^/$node: /"
	done
}

# script PATH [BODY]: an executable script at ROOT/PATH that appends its
# path relative to ROOT and its argument to $TRACE, then runs BODY.
script() {
	local path=$ROOT/$1
	mkdir -p "${path%/*}"
	cat >"$path" <<-SCRIPT
	#!/bin/sh
	printf '%s %s\n' "\${0#$ROOT/}" "\$1" >>'$TRACE'
	${2:-}
	SCRIPT
	chmod 755 "$path"
}

# The runs recorded in $TRACE, one "name action" a line.
trace() {
	cat "$TRACE" 2>/dev/null
}

# slow_run: start a run in the background whose script global/10-slow waits
# for $BATS_TEST_TMPDIR/go; returns once that script has started.  Sets $pid.
slow_run() {
	# (It also ends once the test's directory is gone, so that a test
	# that kills the runner cannot leave it behind.)
	script global/10-slow "while [ ! -e '$BATS_TEST_TMPDIR/go' ] && [ -d '$BATS_TEST_TMPDIR' ]; do sleep 0.05; done"
	"${SH[@]}" "$PNS" start >"$BATS_TEST_TMPDIR/first" 2>&1 3>&- &
	pid=$!
	until_true 10 grep -q 'global/10-slow start' "$TRACE"
}

# under_each_awk FUNCTION: FUNCTION once under each of mawk, gawk and
# busybox awk that is installed, each made the awk first on PATH; says on
# fd 3 which ran, and fails when none is installed.  (No "||" around the
# call: errexit must end the test at FUNCTION's first failed check.)
under_each_awk() {
	local a awks=
	for a in mawk gawk busybox; do
		command -v "$a" >/dev/null || continue
		awk_is "$a"
		PATH=$BATS_TEST_TMPDIR/bin:$PATH "$1"
		awks="$awks $a"
	done
	[ -n "$awks" ]
	printf '# under:%s\n' "$awks" >&3
}

# awk_is NAME: make $BATS_TEST_TMPDIR/bin/awk run the awk NAME (mawk,
# gawk, or busybox for busybox's applet).  The old bin/awk is removed
# first, so that nothing is ever written through a link into an awk of
# the system's.
awk_is() {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	rm -f "$BATS_TEST_TMPDIR/bin/awk"
	case $1 in
	busybox)
		printf '#!/bin/sh\nexec busybox awk "$@"\n' >"$BATS_TEST_TMPDIR/bin/awk"
		chmod 755 "$BATS_TEST_TMPDIR/bin/awk"
		;;
	*) ln -s "$(command -v "$1")" "$BATS_TEST_TMPDIR/bin/awk" ;;
	esac
}
