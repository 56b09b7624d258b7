#!/usr/bin/env bats
# pernode-services: what every script trusts is checked before anything
# runs: ROOT and each directory above it, ROOT/functions, ROOT/bin and
# what it holds (as OpenSSH's StrictModes checks a path).

load helpers

setup() {
	pns_setup
	# A ROOT three levels below the test's own directory, so that the
	# directories above it are the test's to change.
	TOPDIR=$BATS_TEST_TMPDIR/site
	mkdir -p "$TOPDIR/state"
	mv "$ROOT" "$TOPDIR/state/root"
	ROOT=$TOPDIR/state/root
	export PERNODE_ROOT=$ROOT
	script global/10-a
	printf '# functions\n' >"$ROOT/functions"
	script bin/tool
}

# refused PATH WHY: start ran nothing, exited 6 with one line naming PATH
# and WHY, and the run is recorded as failed: status exits 1 naming it,
# status --machine carries it.
refused() {
	: >"$TRACE"
	run -6 --separate-stderr pns start
	[ -z "$(trace)" ]
	[ -z "$output" ]
	[ "$stderr" = "pernode-services: refused: $1 is $2" ]
	run -1 pns status
	[[ $output == *"last start failed: refused: $1 is $2" ]]
	run -1 pns status --machine
	[ "$(field "${lines[0]}" 9-10)" = "failed	refused: $1 is $2" ]
	[ "$(field "${lines[0]}" 7-8)" = "0	1" ]
	grep -q "start failed: refused: $1 is $2" "$LOG"
}

field() {
	cut -f "$2" <<<"$1"
}

@test "functions writable by group or others: nothing runs, and the run is recorded as failed" {
	chmod 666 "$ROOT/functions"
	refused "$ROOT/functions" "writable by group or others (-rw-rw-rw-)"
	chmod 664 "$ROOT/functions"
	refused "$ROOT/functions" "writable by group or others (-rw-rw-r--)"
	chmod 644 "$ROOT/functions"
	run -0 pns start
	[ "$(trace)" = "global/10-a start" ]
}

@test "bin/ or a file in it writable by group or others: nothing runs" {
	chmod 777 "$ROOT/bin"
	refused "$ROOT/bin" "writable by group or others (drwxrwxrwx)"
	chmod 755 "$ROOT/bin"
	chmod 757 "$ROOT/bin/tool"
	refused "$ROOT/bin/tool" "writable by group or others (-rwxr-xrwx)"
}

@test "ROOT, or any directory above it, writable by group or others: nothing runs" {
	chmod 775 "$ROOT"
	refused "$ROOT" "writable by group or others (drwxrwxr-x)"
	chmod 755 "$ROOT"
	chmod 777 "$TOPDIR"
	refused "$TOPDIR" "writable by group or others (drwxrwxrwx)"
}

@test "ROOT reached through a link is checked where it really is" {
	chmod 777 "$TOPDIR"
	ln -s "$ROOT" "$BATS_TEST_TMPDIR/link"
	PERNODE_ROOT=$BATS_TEST_TMPDIR/link refused "$TOPDIR" "writable by group or others (drwxrwxrwx)"
}

@test "functions or bin that links out of ROOT is refused" {
	printf '# elsewhere\n' >"$BATS_TEST_TMPDIR/elsewhere"
	ln -sf "$BATS_TEST_TMPDIR/elsewhere" "$ROOT/functions"
	refused "$ROOT/functions" "a symbolic link out of ROOT, to $BATS_TEST_TMPDIR/elsewhere"
	rm "$ROOT/functions"
	mv "$ROOT/bin" "$BATS_TEST_TMPDIR/bin-elsewhere"
	ln -s "$BATS_TEST_TMPDIR/bin-elsewhere" "$ROOT/bin"
	refused "$ROOT/bin" "a symbolic link out of ROOT, to $BATS_TEST_TMPDIR/bin-elsewhere"
}

@test "functions that links inside ROOT is judged by its target, and the target's directory" {
	mkdir -p "$ROOT/lib"
	printf '# shared\n' >"$ROOT/lib/functions"
	ln -sf lib/functions "$ROOT/functions"
	run -0 pns start
	chmod 777 "$ROOT/lib"
	refused "$ROOT/lib" "writable by group or others (drwxrwxrwx)"
	chmod 755 "$ROOT/lib"
	chmod 666 "$ROOT/lib/functions"
	refused "$ROOT/functions" "writable by group or others (-rw-rw-rw-)"
}

@test "a directory that holds a link on the way to ROOT is checked too" {
	mkdir -p "$BATS_TEST_TMPDIR/open"
	chmod 777 "$BATS_TEST_TMPDIR/open"
	ln -s "$ROOT" "$BATS_TEST_TMPDIR/open/root"
	PERNODE_ROOT=$BATS_TEST_TMPDIR/open/root refused "$BATS_TEST_TMPDIR/open" \
	    "writable by group or others (drwxrwxrwx)"
}

@test "ROOT itself is never safe for its sticky bit" {
	chmod 1777 "$ROOT"
	refused "$ROOT" "writable by group or others (drwxrwxrwt)"
}

@test "as root, ROOT, a directory above it, functions or bin owned by another user: nothing runs" {
	[ "$(id -u)" -eq 0 ] || skip "needs root (chown)"
	for path in "$TOPDIR" "$ROOT" "$ROOT/functions" "$ROOT/bin" "$ROOT/bin/tool"; do
		chown 65534 "$path"
		refused "$path" "owned by uid 65534"
		chown 0 "$path"
	done
	run -0 pns start
}

@test "a root-owned sticky directory above ROOT, as /tmp, is safe" {
	[ "$(id -u)" -eq 0 ] || skip "needs root (a root-owned directory)"
	chmod 1777 "$TOPDIR"
	run -0 pns start
	[ "$(trace)" = "global/10-a start" ]
}

@test "a sticky directory above ROOT that is not root's is unsafe, even the caller's own" {
	chmod 1777 "$TOPDIR"
	if [ "$(id -u)" -eq 0 ]; then
		chown 65534 "$TOPDIR"
		refused "$TOPDIR" "owned by uid 65534"
	else
		refused "$TOPDIR" "writable by group or others (drwxrwxrwt)"
	fi
}

@test "a missing functions or bin/ is no reason to refuse" {
	rm -r "${ROOT:?}/functions" "${ROOT:?}/bin"
	run -0 pns start
	[ "$(trace)" = "global/10-a start" ]
}

@test "PERNODE_CHECK_PERMS=no turns the check off" {
	chmod 666 "$ROOT/functions"
	chmod 777 "$TOPDIR"
	PERNODE_CHECK_PERMS=no run -0 pns start
	[ "$(trace)" = "global/10-a start" ]
}

@test "list refuses too, with exit 6, and records nothing" {
	chmod 666 "$ROOT/functions"
	run -6 --separate-stderr pns list
	[ -z "$output" ]
	[ "$stderr" = "pernode-services: refused: $ROOT/functions is writable by group or others (-rw-rw-rw-)" ]
	[ ! -e "$RUN/status" ]
}
