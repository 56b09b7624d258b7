#!/usr/bin/env bats
# waitOnFileUpdates: back-off with jitter, the inotify wake-up, -p and the
# fall-back to polling.

load helpers

setup() {
	common_setup
	old f
}

# The sleeps chosen, in order, from the -v lines of file err.
sleeps() {
	sed -n 's/.*next check in \([0-9.]*\)s$/\1/p' "$BATS_TEST_TMPDIR/err"
}

@test "sleeps start at INTERVAL and double up to MAXINTERVAL, each within 10%" {
	run -1 --separate-stderr "$WFU" -v -p -t 3 -i 0.05 -m 0.4 60 f
	printf '%s\n' "$stderr" >err
	mapfile -t got < <(sleeps)
	[ "${#got[@]}" -ge 6 ]
	want=(0.05 0.1 0.2 0.4 0.4 0.4)
	for i in 0 1 2 3 4; do
		ge "${got[i]}" "$(awk -v w="${want[i]}" 'BEGIN { print w * 0.9 - 0.0005 }')"
		lt "${got[i]}" "$(awk -v w="${want[i]}" 'BEGIN { print w * 1.1 + 0.0005 }')"
	done
}

@test "the sleeps are jittered: two waiters started together choose differently" {
	run -1 --separate-stderr "$WFU" -v -p -t 0.5 -i 0.1 -m 0.1 60 f
	a=$(printf '%s\n' "$stderr" | sed -n 's/.*next check in //p')
	run -1 --separate-stderr "$WFU" -v -p -t 0.5 -i 0.1 -m 0.1 60 f
	b=$(printf '%s\n' "$stderr" | sed -n 's/.*next check in //p')
	[ -n "$a" ]
	[ "$a" != "$b" ]
}

@test "an INTERVAL above MAXINTERVAL is lowered to it" {
	run -1 --separate-stderr "$WFU" -v -p -t 0.5 -i 10 -m 0.2 60 f
	printf '%s\n' "$stderr" >err
	first=$(sleeps | head -n 1)
	lt "$first" 0.23
}

@test "the last sleep is cut short to end at the timeout" {
	run -1 --separate-stderr "$WFU" -v -p -t 0.3 -i 10 60 f
	printf '%s\n' "$stderr" >err
	first=$(sleeps | head -n 1)
	lt "$first" 0.31
}

@test "inotify: a file touched 6 s into a wait is seen within 0.5 s" {
	start=$EPOCHREALTIME
	waiter -v -i 5 -m 60 -t 60 10 f
	first_round
	at "$start" 6
	t0=$EPOCHREALTIME
	touch f
	reap 10
	[ "$status" -eq 0 ]
	lt "$(elapsed "$t0")" 0.5
}

@test "inotify: an in-place rewrite, closed after writing, is seen within 0.5 s" {
	waiter -v -i 5 -m 60 -t 60 10 f
	first_round
	t0=$EPOCHREALTIME
	printf 'root:x:0:0::/root:/bin/sh\n' >f
	reap 10
	[ "$status" -eq 0 ]
	lt "$(elapsed "$t0")" 0.5
}

@test "inotify: a file bind-mounted over its name, rewritten through the mount, is seen within 0.5 s" {
	need_root "a bind mount in a mount namespace"
	need_ns mount
	mkdir fs
	# As a stateless node or a container has /etc/passwd: a tmpfs file
	# bound over the name.  The events go to the tmpfs, not to this
	# directory, so only a watch on the file itself sees the write.
	run -0 unshare --mount --propagation private -- bash -c '
		mount -t tmpfs tmpfs fs && cp -p f fs/f && mount --bind fs/f f || exit 9
		"$1" -v -i 5 -m 60 -t 20 10 f 2>err &
		for _ in $(seq 200); do
			! grep -q "next check in" err || break
			sleep 0.05
		done
		t0=$EPOCHREALTIME
		printf "root:x:0:0::/root:/bin/sh\n" >f
		wait $!
		printf "%s %s\n" "$?" "$(awk -v a="$t0" -v b="$EPOCHREALTIME" "BEGIN { print b - a }")"
	' sh "$WFU"
	read -r rc secs <<<"$output"
	[ "$rc" -eq 0 ]
	lt "$secs" 0.5
}

# Does the waiter hold an inotify descriptor?
inotify_fd() {
	local fd
	for fd in /proc/"$pid"/fd/*; do
		[ "$(readlink "$fd")" = 'anon_inode:inotify' ] && return 0
	done
	return 1
}

@test "the waiter holds an inotify descriptor, and none with -p" {
	waiter -v -t 30 10 f
	first_round
	inotify_fd
	kill "$pid"
	reap
	waiter -v -p -t 30 10 f
	first_round
	run -1 inotify_fd
	kill "$pid"
	reap
}

@test "-p: a touched file is found by the next poll, not by an event" {
	waiter -v -p -i 3 -m 3 -t 60 10 f
	first_round
	t0=$EPOCHREALTIME
	touch f
	reap 10
	[ "$status" -eq 0 ]
	# The next poll comes 2.7 to 3.3 s after the first.
	ge "$(elapsed "$t0")" 1.5
	grep -q 'f: updated' err
}

# limited LIMIT COMMAND...: run COMMAND in a user namespace whose inotify
# LIMIT (max_inotify_instances or max_inotify_watches) is 0.  The test
# calls need_ns user first: a skip inside "run" would not end the test.
limited() {
	local limit=$1
	shift
	# shellcheck disable=SC2016 # the inner shell expands $0 and $@
	unshare --user --map-root-user sh -c \
	    'echo 0 >"/proc/sys/user/$0" && exec "$@"' "$limit" "$@"
}

@test "without inotify it falls back to polling, silently" {
	need_ns user
	(sleep 0.5 && touch f) 3>&- &
	run -0 --separate-stderr limited max_inotify_instances \
	    "$WFU" -i 0.1 -m 0.1 -t 10 10 f
	[ -z "$stderr" ]
}

@test "without inotify, -v says once that it polls only" {
	need_ns user
	run -1 --separate-stderr limited max_inotify_instances \
	    "$WFU" -v -t 0.5 -i 0.1 10 f
	[ "$(printf '%s\n' "$stderr" | grep -c 'polling only')" -eq 1 ]
	[[ ${stderr_lines[0]} == *"inotify_init1: polling only: Too many open files" ]]
}

@test "past the inotify watch limit it polls only, and -v says so once" {
	need_ns user
	run -1 --separate-stderr limited max_inotify_watches \
	    "$WFU" -v -t 0.5 -i 0.1 10 f
	[ "$(printf '%s\n' "$stderr" | grep -c 'polling only')" -eq 1 ]
	[[ ${stderr_lines[0]} == *"inotify_add_watch .: polling only: No space left on device" ]]
}
