#!/usr/bin/env bats
# waitOnFileUpdates sees every write made after it started, however coarse
# the file system's timestamps.  On a file system with one-second times
# (ext4 with 128-byte inodes, as NFS servers and old images have), a write
# right after the start is stamped with an earlier time than the
# reference: only what the waiter saw at its first look can tell it apart.

load helpers

setup_file() {
	COARSE=$BATS_FILE_TMPDIR/coarse
	export COARSE
	if ! need_root "a loop mount" || ! need mkfs.ext4 e2fsprogs; then
		file_skipping
		return
	fi
	mkdir "$COARSE"
	truncate -s 16M "$BATS_FILE_TMPDIR/img"
	mkfs.ext4 -q -F -I 128 "$BATS_FILE_TMPDIR/img" 2>/dev/null ||
	    { file_skip "mkfs.ext4 -I 128 failed"; return 0; }
	mount -o loop "$BATS_FILE_TMPDIR/img" "$COARSE" 2>/dev/null ||
	    { file_skip "no loop device to mount a file system on"; return 0; }
}

teardown_file() {
	if mountpoint -q "$COARSE" 2>/dev/null; then
		umount "$COARSE"
	fi
}

setup() {
	common_setup
}

# rounds MODE HOW [WFU-OPTION...]: $ROUNDS waits on $COARSE/f (default 25),
# each ended by a write made as soon as the waiter has printed its first
# round; HOW is "create" (f is missing at the start) or "append" (f is
# old).  Prints how many waits missed their write.
rounds() {
	local how=$1 i missed=0
	shift
	for ((i = 0; i < ${ROUNDS:-25}; i++)); do
		rm -f "$COARSE/f"
		if [ "$how" = append ]; then
			printf 'x\n' >"$COARSE/f"
			old "$COARSE/f"
		fi
		# The last round's lines must not pass for this one's.
		rm -f "$BATS_TEST_TMPDIR/err"
		waiter -v "$@" -i 0.05 -m 0.05 -t 2 0 "$COARSE/f"
		first_round
		printf 'y\n' >>"$COARSE/f"
		reap 10
		[ "$status" -eq 0 ] || missed=$((missed + 1))
	done
	printf '%s\n' "$missed"
}

@test "the file system of these tests stamps files to the second" {
	touch "$COARSE/probe"
	[ "$(stat -c %y "$COARSE/probe" | sed 's/.*\.\([0-9]*\) .*/\1/')" = 000000000 ]
}

@test "a file created right after the start is seen (inotify)" {
	run -0 rounds create
	[ "$output" = 0 ]
}

@test "a file created right after the start is seen (polling)" {
	run -0 rounds create -p
	[ "$output" = 0 ]
}

@test "a write appended right after the start is seen (inotify)" {
	run -0 rounds append
	[ "$output" = 0 ]
}

@test "a write appended right after the start is seen (polling)" {
	run -0 rounds append -p
	[ "$output" = 0 ]
}

@test "a file already there and never written is not updated" {
	printf 'x\n' >"$COARSE/f"
	old "$COARSE/f"
	run -1 --separate-stderr "$WFU" -p -i 0.05 -m 0.05 -t 0.5 0 "$COARSE/f"
	[[ $stderr == *"f: not updated" ]]
}
