#!/usr/bin/env bats
# pernode-services and functions against Red Hat's own /etc/init.d/functions
# (../shared/fixtures/rhel, not part of the project), bound over this
# machine's /etc/init.d in a mount namespace.

load helpers

setup() {
	pns_setup
	RHEL=$TOP/../shared/fixtures/rhel
	[ -r "$RHEL/init.d-functions" ] ||
	    skip "Red Hat's init functions not at ../shared/fixtures/rhel"
	need_root "a bind mount over /etc/init.d"
	need_ns mount
	need bash
	mkdir -p "$BATS_TEST_TMPDIR/init.d"
	cp "$RHEL/init.d-functions" "$BATS_TEST_TMPDIR/init.d/functions"
	cp "$TOP/functions" "$ROOT/functions"
	cp "$WFU" "$ROOT/bin/waitOnFileUpdates"
	OUT=$BATS_TEST_TMPDIR/out
}

# on_rhel COMMAND...: COMMAND with the RHEL file as /etc/init.d/functions.
on_rhel() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount sh -c 'mount --bind "$0" /etc/init.d && exec "$@"' \
	    "$BATS_TEST_TMPDIR/init.d" "$@"
}

# bash_script PATH BODY: a #!/bin/bash script at ROOT/PATH, as RHEL's
# /bin/sh is bash.
bash_script() {
	mkdir -p "$ROOT/${1%/*}"
	printf '#!/bin/bash\n%s\n' "$2" >"$ROOT/$1"
	chmod 755 "$ROOT/$1"
}

@test "under bash, RHEL's functions load under set -eu, and ROOT/bin comes first in PATH once" {
	bash_script global/10-rhel "set -eu
. \"\$PERNODE_ROOT/functions\"
. \"\$PERNODE_ROOT/functions\"
{ printf '%s\\n' \"\$PATH\"; type -t daemon killproc status; } >'$OUT'"
	run -0 on_rhel "${SH[@]}" "$PNS" start
	[ "$(sed -n 1p "$OUT")" = "$ROOT/bin:/sbin:/usr/sbin:/bin:/usr/bin" ]
	[ "$(sed -n '2,$p' "$OUT" | sort -u)" = function ]
	# It loaded, with all it is known to define: nothing to say.
	run ! grep -e 'did not load' -e 'defines no' "$LOG"
}

@test "under bash, daemon, status and killproc work with a pid file" {
	bash_script global/10-rhel ". \"\$PERNODE_ROOT/functions\"
pidf='$BATS_TEST_TMPDIR/sleeper.pid'
daemon --pidfile=\"\$pidf\" \"sleep 300 </dev/null >/dev/null 2>&1 & echo \\\$! >\$pidf\"
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s \"\$pidf\" ] && break; sleep 0.1; done
status -p \"\$pidf\" sleep >'$OUT'; echo \"status \$?\" >>'$OUT'
killproc -p \"\$pidf\" sleep; echo \"killproc \$?\" >>'$OUT'
status -p \"\$pidf\" sleep >>'$OUT'; echo \"status \$?\" >>'$OUT'"
	run -0 on_rhel "${SH[@]}" "$PNS" start
	grep -q '^sleep (pid  *[0-9]*) is running' "$OUT"
	grep -qx 'status 0' "$OUT"
	grep -qx 'killproc 0' "$OUT"
	[ "$(grep -c '^status ' "$OUT")" -eq 2 ]
	[ "$(sed -n '$p' "$OUT")" != 'status 0' ]
}

@test "the log holds no colour codes, and the footer starts its own line after RHEL's [FAILED]" {
	bash_script global/10-ok ". \"\$PERNODE_ROOT/functions\"; action 'Starting ok: ' true"
	bash_script global/20-fails ". \"\$PERNODE_ROOT/functions\"; failure; exit 1"
	run -1 on_rhel "${SH[@]}" "$PNS" start
	grep -q 'Starting ok: .*OK' "$LOG"
	run ! grep -q $'\033' "$LOG"
	grep -qx '=== start on n059: 2 run, 1 failed' "$LOG"
}

@test "under dash, where RHEL's file does not parse, functions says so once, naming the file and the shell" {
	need dash
	script global/10-dash ". \"\$PERNODE_ROOT/functions\"; command -v daemon || exit 5"
	sed -i '1s|.*|#!/bin/dash|' "$ROOT/global/10-dash"
	run -1 on_rhel "${SH[@]}" "$PNS" start
	[[ $output == *"failed    global/10-dash: exit status 5"* ]]
	[ "$(grep -c 'did not load' "$LOG")" -eq 1 ]
	grep -qx "10-dash: /etc/init.d/functions did not load (.*dash cannot parse it): its functions are missing" "$LOG"
	# Not sourced half way: dash's own syntax error is not there.
	run ! grep -i 'syntax error' "$LOG"
}

@test "functions says RHEL's file did not load exactly when this pass's shell cannot parse it, and the script goes on" {
	# The shell's own verdict on the file, without running it.
	parses=yes
	"${SH[@]}" -n "$BATS_TEST_TMPDIR/init.d/functions" 2>/dev/null || parses=no
	run -0 --separate-stderr on_rhel env -i PATH=/usr/bin:/bin \
	    PERNODE_ROOT="$ROOT" "${SH[@]}" -c 'set -eu
		. "$PERNODE_ROOT/functions"
		command -v daemon >/dev/null && echo daemon
		echo still here'
	if [ "$parses" = yes ]; then
		[ "$output" = "daemon
still here" ]
		[ -z "$stderr" ]
	else
		[ "$output" = "still here" ]
		[ "${#stderr_lines[@]}" -eq 1 ]
		[[ $stderr == *": /etc/init.d/functions did not load ("*" cannot parse it): its functions are missing" ]]
	fi
}
