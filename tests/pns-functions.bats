#!/usr/bin/env bats
# The functions file that per-node scripts source.

load helpers

setup() {
	pns_setup
	FUNCS=$TOP/functions
	mkdir -p "$ROOT/bin"
	cp "$WFU" "$ROOT/bin/waitOnFileUpdates"
}

# in_shell CODE: run CODE in this pass's shell with a plain environment.
in_shell() {
	env -i PATH=/usr/bin:/bin PERNODE_ROOT="$ROOT" FUNCS="$FUNCS" \
	    "${SH[@]}" -c "$1"
}

# need_etc DIR: skip unless with_etc DIR can run here (a skip inside "run"
# would not end the test).
need_etc() {
	local f
	need_ns mount
	for f in "$1"/*; do
		[ -e "/etc/${f##*/}" ] || skip "no /etc/${f##*/} to stand in for"
	done
}

# with_etc DIR CODE: run CODE in a mount namespace where each entry of DIR
# (a file, or a directory such as init.d) is bound over /etc's of that name.
with_etc() {
	local dir=$1 code=$2
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount sh -c '
		for f in "$0"/*; do
			mount --bind "$f" "/etc/${f##*/}" || exit 1
		done
		exec "$@"' "$dir" env -i PATH=/usr/bin:/bin \
	    PERNODE_ROOT="$ROOT" FUNCS="$FUNCS" "${SH[@]}" -c "$code"
}

@test "it puts ROOT/bin at the front of PATH, once even when sourced twice" {
	run -0 in_shell '. "$FUNCS"; . "$FUNCS"; printf "%s\n" "$PATH"'
	[ "$output" = "$ROOT/bin:/usr/bin:/bin" ]
}

@test "it brings Debian's log functions where /lib/lsb/init-functions exists" {
	[ -r /lib/lsb/init-functions ] || skip "no /lib/lsb/init-functions here"
	[ ! -r /etc/init.d/functions ] || skip "this system has /etc/init.d/functions"
	run -0 in_shell '. "$FUNCS"; command -v log_daemon_msg; command -v log_end_msg'
}

@test "it prefers RHEL's /etc/init.d/functions, and puts ROOT/bin after its PATH reset" {
	mkdir -p "$BATS_TEST_TMPDIR/etc/init.d"
	cat >"$BATS_TEST_TMPDIR/etc/init.d/functions" <<-'RHEL'
	PATH=/sbin:/usr/sbin:/bin:/usr/bin
	export PATH
	action() { echo "action: $1"; }
	daemon() { :; }
	killproc() { :; }
	status() { :; }
	RHEL
	need_etc "$BATS_TEST_TMPDIR/etc"
	run -0 --separate-stderr with_etc "$BATS_TEST_TMPDIR/etc" '. "$FUNCS"; action hello; printf "%s\n" "$PATH"'
	[ -z "$stderr" ]
	[ "${lines[0]}" = "action: hello" ]
	[ "${lines[1]}" = "$ROOT/bin:/sbin:/usr/sbin:/bin:/usr/bin" ]
}

@test "it is safe under set -eu and leaves the caller's options as they were" {
	run -0 in_shell 'set -eu; before=$-; . "$FUNCS"; [ "$-" = "$before" ] && echo same'
	[ "$output" = same ]
	run -0 in_shell 'set +eu; before=$-; . "$FUNCS"; [ "$-" = "$before" ] && echo same'
	[ "$output" = same ]
}

@test "a distribution file that fails under set -eu does not exit the caller" {
	mkdir -p "$BATS_TEST_TMPDIR/etc/init.d"
	printf 'false\necho "$UNSET_VARIABLE"\nfunctions_loaded=yes\n' \
	    >"$BATS_TEST_TMPDIR/etc/init.d/functions"
	need_etc "$BATS_TEST_TMPDIR/etc"
	run -0 --separate-stderr with_etc "$BATS_TEST_TMPDIR/etc" 'set -eu; . "$FUNCS"; echo "still here $functions_loaded"; case $- in *e*u*|*u*e*) echo eu ;; esac'
	[ "${lines[0]}" = "still here yes" ]
	[ "${lines[1]}" = eu ]
	# It defined none of what RHEL's file defines, and is named for it.
	[[ $stderr == *"/etc/init.d/functions did not load under "*"(no daemon)"* ]]
}

@test "PERNODE_ROOT defaults to the built-in state directory" {
	run -0 env -i PATH=/usr/bin:/bin "${SH[@]}" -c '. "$0"; printf "%s\n" "$PERNODE_ROOT"' "$FUNCS"
	[ "$output" = /opt/perceus/state/lib/perceus/init.d ]
}

@test "pernode_log writes to stderr, prefixed with the script's name" {
	run -0 --separate-stderr in_shell '. "$FUNCS"; pernode_log "hello there"'
	[[ $stderr == *": hello there" ]]
}

@test "pernode_wait_accounts returns once passwd and group are rewritten since boot" {
	mkdir "$BATS_TEST_TMPDIR/etc"
	touch -d '2000-01-01' "$BATS_TEST_TMPDIR/etc/passwd" "$BATS_TEST_TMPDIR/etc/group"
	(sleep 1 && touch "$BATS_TEST_TMPDIR/etc/passwd" "$BATS_TEST_TMPDIR/etc/group") 3>&- &
	need_etc "$BATS_TEST_TMPDIR/etc"
	run -0 with_etc "$BATS_TEST_TMPDIR/etc" '. "$FUNCS"; pernode_wait_accounts 20'
}

@test "pernode_wait_accounts gives up after its timeout with status 1" {
	mkdir "$BATS_TEST_TMPDIR/etc"
	touch -d '2000-01-01' "$BATS_TEST_TMPDIR/etc/passwd" "$BATS_TEST_TMPDIR/etc/group"
	need_etc "$BATS_TEST_TMPDIR/etc"
	run -1 with_etc "$BATS_TEST_TMPDIR/etc" '. "$FUNCS"; pernode_wait_accounts 1'
	[[ $output == *"/etc/passwd: not updated"* ]]
}

@test "pernode_wait_users returns at once when every name resolves" {
	t0=$EPOCHREALTIME
	run -0 in_shell '. "$FUNCS"; pernode_wait_users root && pernode_wait_groups root'
	lt "$(elapsed "$t0")" 2
}

@test "pernode_wait_users and _groups give up after -t, naming those still missing" {
	run -1 --separate-stderr in_shell '. "$FUNCS"; pernode_wait_users -t 1 root pns-nosuch-user'
	[[ $stderr == *"pernode_wait_users: not resolved after 1s: pns-nosuch-user" ]]
	run -1 --separate-stderr in_shell '. "$FUNCS"; pernode_wait_groups -t 1 pns-nosuch-group root'
	[[ $stderr == *"pernode_wait_groups: not resolved after 1s: pns-nosuch-group" ]]
}

@test "pernode_wait_users: no name, or a -t that is not a number, is status 2" {
	run -2 --separate-stderr in_shell '. "$FUNCS"; pernode_wait_users'
	[[ $stderr == *"usage: pernode_wait_users [-t TIMEOUT] NAME..."* ]]
	run -2 --separate-stderr in_shell '. "$FUNCS"; pernode_wait_groups -t soon root'
	[[ $stderr == *"pernode_wait_groups: -t soon: not a whole number of seconds"* ]]
}

@test "pernode_wait_users sees a user added to /etc/passwd within a second, however long it has waited" {
	need_ns mount
	mkdir "$BATS_TEST_TMPDIR/fs"
	# As on a stateless node: /etc/passwd a tmpfs file bound over the
	# name, written through it 5 s in, once the naps have grown past a
	# second, as a provisioning daemon rewrites it.
	# shellcheck disable=SC2016 # expanded by the inner shells
	run -0 unshare --mount sh -c '
		mount -t tmpfs tmpfs "$1" && cp /etc/passwd "$1/passwd" &&
		    mount --bind "$1/passwd" /etc/passwd || exit 9
		shift
		exec "$@"' sh "$BATS_TEST_TMPDIR/fs" env -i PATH=/usr/bin:/bin \
	    PERNODE_ROOT="$ROOT" FUNCS="$FUNCS" OUT="$BATS_TEST_TMPDIR/written" "${SH[@]}" -c '
		. "$FUNCS"
		(sleep 5 && printf "pns-late:x:4242:4242::/nonexistent:/bin/false\n" >>/etc/passwd &&
		    date +%s.%N >"$OUT") &
		pernode_wait_users -t 60 pns-late && date +%s.%N'
	lt "$(awk -v a="$(cat "$BATS_TEST_TMPDIR/written")" -v b="${lines[-1]}" 'BEGIN { print b - a }')" 1
}
