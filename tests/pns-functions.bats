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

# survives CALL STATUS [MESSAGE]: after sourcing the functions, CALL returns
# STATUS (a glob) and the calling script goes on, with "set -eu" and
# without; MESSAGE (a glob), if given, is the one line CALL writes on
# standard error, else it writes nothing there.
survives() {
	local opts
	for opts in +eu -eu; do
		# (timeout: a helper that waits for ever fails, it does not hang)
		run --separate-stderr timeout 30 env -i PATH=/usr/bin:/bin \
		    PERNODE_ROOT="$ROOT" FUNCS="$FUNCS" "${SH[@]}" -c \
		    "set $opts; . \"\$FUNCS\"; st=0; $1 || st=\$?; echo \"status \$st\"; echo still here"
		if [ "$status" -ne 0 ] || [ "${lines[-1]-}" != "still here" ]; then
			printf 'set %s; %s: the caller ended, status %s\n%s\n%s\n' \
			    "$opts" "$1" "$status" "$output" "$stderr"
			return 1
		fi
		# shellcheck disable=SC2053 # $2 is a glob
		if [[ ${lines[-2]} != "status "$2 ]]; then
			printf 'set %s; %s: %s, not status %s\n%s\n' "$opts" "$1" \
			    "${lines[-2]}" "$2" "$stderr"
			return 1
		fi
		if [ $# -ge 3 ]; then
			# shellcheck disable=SC2053 # $3 is a glob
			if [ "${#stderr_lines[@]}" -ne 1 ] || [[ $stderr != $3 ]]; then
				printf 'set %s; %s: on stderr:\n%s\nnot one line:\n%s\n' \
				    "$opts" "$1" "$stderr" "$3"
				return 1
			fi
		elif [ -n "$stderr" ]; then
			printf 'set %s; %s: on stderr:\n%s\n' "$opts" "$1" "$stderr"
			return 1
		fi
	done
}

# names: the names of this shell's variables, sorted, one a line ("set"
# prints NAME=VALUE, posh NAME alone, bash its functions too, indented).
# The shell's own, set as it goes, are left out: PIPESTATUS (bash, mksh)
# and KSH_MATCH (mksh).  Sourced by the shell under test.
names_code='names() {
	set | sed -n "s/^\([A-Za-z_][A-Za-z0-9_]*\)\(=.*\)\{0,1\}\$/\1/p" |
	    grep -vx -e PIPESTATUS -e KSH_MATCH | LC_ALL=C sort -u
}'

@test "it puts ROOT/bin at the front of PATH, once even when sourced twice" {
	run -0 in_shell '. "$FUNCS"; . "$FUNCS"; printf "%s\n" "$PATH"'
	[ "$output" = "$ROOT/bin:/usr/bin:/bin" ]
}

@test "with PATH unset, under set -u, it sets one, ROOT/bin first, and the caller goes on" {
	run -0 --separate-stderr in_shell 'set -u; unset PATH; . "$FUNCS"; printf "%s\n" "$PATH"; pernode_wait_users root && echo resolved'
	[ "${lines[0]}" = "$ROOT/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" ]
	[ "${lines[1]}" = resolved ]
	[ -z "$stderr" ]
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
	# It loaded, to its end, but defines none of what RHEL's file
	# defines, and is named for it.
	[[ $stderr == *"/etc/init.d/functions loaded, but defines no daemon, killproc, status, action" ]]
	[[ $stderr != *"did not load"* ]]
}

@test "a site's own, smaller, /etc/init.d/functions loads, and only what it lacks is named" {
	mkdir -p "$BATS_TEST_TMPDIR/etc/init.d"
	cat >"$BATS_TEST_TMPDIR/etc/init.d/functions" <<-'SITE'
	action() { echo "action: $1"; }
	success() { :; }
	failure() { :; }
	status() { :; }
	SITE
	need_etc "$BATS_TEST_TMPDIR/etc"
	run -0 --separate-stderr with_etc "$BATS_TEST_TMPDIR/etc" 'set -eu; . "$FUNCS"; action hello; echo still here'
	[ "${lines[*]}" = "action: hello still here" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == *": /etc/init.d/functions loaded, but defines no daemon, killproc" ]]
}

@test "a distribution file this shell cannot parse did not load, and is not run half way" {
	mkdir -p "$BATS_TEST_TMPDIR/etc/init.d"
	# A syntax error for every shell, after a command with an effect:
	# yash exits its caller at such an error, even under "command .".
	printf 'half_run=yes\nfi\n' >"$BATS_TEST_TMPDIR/etc/init.d/functions"
	need_etc "$BATS_TEST_TMPDIR/etc"
	run -0 --separate-stderr with_etc "$BATS_TEST_TMPDIR/etc" 'set -eu; . "$FUNCS"; echo "still here ${half_run-no}"'
	[ "$output" = "still here no" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == *": /etc/init.d/functions did not load ("*" cannot parse it): its functions are missing" ]]
}

@test "a distribution file that cannot be read did not load, and the caller goes on" {
	# A directory passes "test -r", and makes posh exit at "command .".
	mkdir -p "$BATS_TEST_TMPDIR/etc/init.d/functions"
	need_etc "$BATS_TEST_TMPDIR/etc"
	run -0 --separate-stderr with_etc "$BATS_TEST_TMPDIR/etc" 'set -eu; . "$FUNCS"; echo still here'
	[ "$output" = "still here" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == *": /etc/init.d/functions did not load (cannot read it): its functions are missing" ]]
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
	[[ $stderr == *"pernode_wait_groups: -t 'soon': not a whole number of seconds"* ]]
}

@test "pernode_wait_users and _groups never end the caller: each usage error is status 2 in one line" {
	survives 'pernode_wait_users -t' 2 '*: pernode_wait_users: -t: missing TIMEOUT'
	survives 'pernode_wait_groups -t' 2 '*: pernode_wait_groups: -t: missing TIMEOUT'
	survives 'pernode_wait_users -t ""' 2 "*: pernode_wait_users: -t '': not a whole number of seconds"
	survives 'pernode_wait_users -t "" root' 2 "*: -t '': not a whole number of seconds"
	survives 'pernode_wait_users -t -5 root' 2 "*: -t '-5': not a whole number of seconds"
	survives 'pernode_wait_users -t 1.5 root' 2 "*: -t '1.5': not a whole number of seconds"
	survives 'pernode_wait_users -t 0x10 root' 2 "*: -t '0x10': not a whole number of seconds"
	survives 'pernode_wait_users -t "1 " root' 2 "*: -t '1 ': not a whole number of seconds"
	survives 'pernode_wait_users -t "$(printf "1\\n2")" root' 2 "*: -t '1 2': not a whole number of seconds"
	survives 'pernode_wait_users -t 99999999999999999999999 root' 2 "*: -t '99999999999999999999999': more than 999999999 seconds"
	survives 'pernode_wait_users -t 1000000000 root' 2 "*: -t '1000000000': more than 999999999 seconds"
	survives 'pernode_wait_users -x root' 2 "*: pernode_wait_users: '-x': unknown option"
	survives 'pernode_wait_groups --timeout=5 root' 2 "*: pernode_wait_groups: '--timeout=5': unknown option"
	survives 'pernode_wait_users' 2 '*: usage: pernode_wait_users \[-t TIMEOUT\] NAME...'
	survives 'pernode_wait_users --' 2 '*: usage: pernode_wait_users \[-t TIMEOUT\] NAME...'
	survives 'pernode_wait_groups -t 5 --' 2 '*: usage: pernode_wait_groups \[-t TIMEOUT\] NAME...'
	survives 'pernode_wait_users ""' 2 '*: pernode_wait_users: NAME 1: empty name'
	survives 'pernode_wait_users root ""' 2 '*: pernode_wait_users: NAME 2: empty name'
	survives 'pernode_wait_groups root "$(printf "a\\nb")"' 2 '*: pernode_wait_groups: NAME 2: a newline in the name'
	survives 'pernode_wait_names' 2 '*: usage: pernode_wait_names *'
	survives 'pernode_wait_names a b' 2 '*: usage: pernode_wait_names *'
}

@test "pernode_wait_users and _groups take -t N, -tN, leading zeros, the largest N, and -- before names" {
	survives 'pernode_wait_users -t 08 root' 0
	survives 'pernode_wait_users -t 010 -t 09 root' 0
	survives 'pernode_wait_users -t5 root' 0
	survives 'pernode_wait_groups -t 999999999 root' 0
	survives 'pernode_wait_users -- root' 0
	survives 'pernode_wait_users -t 0 -- root' 0
	# A name like an option is a name, for getent too.
	survives 'pernode_wait_users -t 0 -- -V' 1 '*: pernode_wait_users: not resolved after 0s: -V'
	survives 'pernode_wait_users -t 0 -- --help root' 1 '*: not resolved after 0s: --help'
	# The inner helpers too, called with too few arguments.
	survives 'pernode_usage' 2 '*: pernode_usage: usage error'
	survives 'pernode_seconds x' 2 '*: pernode_seconds: usage: *'
	# An option after a name is no name to wait for, for ever.
	survives 'pernode_wait_users root -t 2' 2 "*: pernode_wait_users: NAME 2 '-t': options go before the names*"
	survives 'pernode_wait_groups root -x' 2 "*: pernode_wait_groups: NAME 2 '-x': options go before the names*"
	# Names with blanks or glob characters are looked up as they are.
	survives 'pernode_wait_users -t 0 "pns no such" "pns*"' 1 '*: pernode_wait_users: not resolved after 0s: pns no such pns[*]'
	survives 'pernode_wait_groups -t 00 root "pns nosuch"' 1 '*: pernode_wait_groups: not resolved after 0s: pns nosuch'
}

@test "pernode_wait_accounts never ends the caller: each usage error is status 2 in one line" {
	survives 'pernode_wait_accounts soon' 2 "*: pernode_wait_accounts: TIMEOUT 'soon': not a number of seconds"
	survives 'pernode_wait_accounts ""' 2 "*: pernode_wait_accounts: TIMEOUT '': not a number of seconds"
	survives 'pernode_wait_accounts -5' 2 "*: TIMEOUT '-5': not a number of seconds"
	survives 'pernode_wait_accounts 1e3' 2 "*: TIMEOUT '1e3': not a number of seconds"
	survives 'pernode_wait_accounts 1.2.3' 2 "*: TIMEOUT '1.2.3': not a number of seconds"
	survives 'pernode_wait_accounts .' 2 "*: TIMEOUT '.': not a number of seconds"
	survives 'pernode_wait_accounts 99999999999999999999999' 2 "*: TIMEOUT '99999999999999999999999': more than 999999999 seconds"
	survives 'pernode_wait_accounts 1000000000.5' 2 "*: TIMEOUT '1000000000.5': more than 999999999 seconds"
	survives 'pernode_wait_accounts 1 2' 2 '*: usage: pernode_wait_accounts \[TIMEOUT\]'
	survives 'pernode_wait_accounts -t 5' 2 '*: usage: pernode_wait_accounts \[TIMEOUT\]'
	survives 'pernode_wait_accounts -- soon' 2 "*: TIMEOUT 'soon': not a number of seconds"
	# Good ones reach waitOnFileUpdates, which looks once and answers
	# (1, naming the files, unless this system's were written since boot).
	survives 'pernode_wait_accounts -- 0 2>/dev/null' '[01]'
	survives 'pernode_wait_accounts 0.000 2>/dev/null' '[01]'
	survives 'pernode_wait_accounts 00 2>/dev/null' '[01]'
}

@test "pernode_log never ends the caller, whatever its arguments" {
	# (bats drops the blank that ends the line)
	survives 'pernode_log' 0 '*:'
	survives 'pernode_log -n -- "%s" "a  b"' 0 '*: -n -- %s a  b'
}

@test "under set -e, a plain call that waits and then succeeds returns 0 to the caller" {
	# A stand-in getent, first in PATH with waitOnFileUpdates, that
	# answers once a file is there: the naps in between fail, which must
	# not end a "set -e" caller.
	cat >"$ROOT/bin/getent" <<-GETENT
	#!/bin/sh
	[ -e '$BATS_TEST_TMPDIR/resolved' ] || exit 2
	GETENT
	chmod 755 "$ROOT/bin/getent"
	(sleep 1.5 && touch "$BATS_TEST_TMPDIR/resolved") 3>&- &
	run -0 in_shell 'set -eu; . "$FUNCS"; pernode_wait_users -t 20 pns-late; echo "status $?"'
	[ "$output" = "status 0" ]
}

@test "sourcing leaves no variable behind, nor does any helper, however it returns" {
	mkdir "$BATS_TEST_TMPDIR/sets"
	# The distribution's file leaves variables of its own (Debian's
	# hook, FANCYTTY): it is sourced before the first look.
	# (-t on the calls that a helper which took a bad argument for a name
	# would wait on for ever; timeout, in case)
	run -0 --separate-stderr timeout 60 env -i PATH=/usr/bin:/bin \
	    PERNODE_ROOT="$ROOT" FUNCS="$FUNCS" "${SH[@]}" -c "$names_code
		S='$BATS_TEST_TMPDIR/sets'
		for f in /etc/init.d/functions /lib/lsb/init-functions; do
			[ -r \"\$f\" ] && { command . \"\$f\"; break; }
		done
		n=0
		step() { n=\$((n + 1)); names >\"\$S/\$n\"; }
		names >\"\$S/before\"
		. \"\$FUNCS\"; step
		. \"\$FUNCS\"; step
		pernode_log hello 2>/dev/null; step
		pernode_wait_accounts soon 2>/dev/null; step
		pernode_wait_accounts 0 >/dev/null 2>&1; step
		pernode_wait_users root; step
		pernode_wait_users -t 2>/dev/null; step
		pernode_wait_users -t 1 -x root 2>/dev/null; step
		pernode_wait_users -t 08 -- root; step
		pernode_wait_groups -t 1 root '' 2>/dev/null; step
		pernode_wait_groups -t 1 pns-nosuch-group 2>/dev/null; step
		echo \$n steps"
	[ "$output" = "11 steps" ]
	for i in $(seq 11); do
		new=$(comm -13 "$BATS_TEST_TMPDIR/sets/before" "$BATS_TEST_TMPDIR/sets/$i")
		[ -z "$new" ] || { printf 'step %s left: %s\n' "$i" "$new"; false; }
	done
	# The look itself sees a variable that appears.
	run -0 in_shell "$names_code
		names >'$BATS_TEST_TMPDIR/sets/x'; pernode_w_x=1; names >'$BATS_TEST_TMPDIR/sets/y'"
	[ "$(comm -13 "$BATS_TEST_TMPDIR/sets/x" "$BATS_TEST_TMPDIR/sets/y")" = pernode_w_x ]
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
