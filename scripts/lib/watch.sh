# shellcheck shell=sh disable=SC3043,SC2154,SC2034
# (Read alone, this file lacks the globals the init script declares and
# the other files set: lint.bats checks it with them, as one program.
# SC3043: local, which all seven shells of the suite have.)
# watch.sh: the runner's side of pernode-watch(8), the one process a run
# that starts every script, in a process group of its own, and keeps
# every time limit, where timeout(1) would cost a process a script.  Part
# of pernode-services(8); sourced by the init script.
#
# Requests go on fd 8 as NUL-terminated fields (a path may hold a
# newline); replies come back on fd 5, a line each.  The two FIFOs live
# only until both ends are open.

# watch_start: start the watcher for this run, with the limit, and with
# buffers for scripts run side by side.  Its stderr, where the scripts'
# output goes, is the log; it keeps none of the run's other descriptors
# (the lock above all).  Where no FIFO can be made, the run ends as if
# the watcher had: nothing starts, and the record says why.
watch_start() {
	local dir='' in='' out=''
	running=0 ended='' queue='' level_now='' watch_state=on watch_dir=''
	# Under the lock, RUNDIR/watch.in and watch.out: no other run can be
	# using the names.  Names left by a run killed before it removed
	# them are made anew: a watcher of that run may still hold them open.
	# Without the lock, a directory of this run's own.
	if [ "$locked" = yes ]; then
		dir=$rundir in=$rundir/watch.in out=$rundir/watch.out
		mkfifo -m 600 "$in" "$out" 2>/dev/null ||
		    { rm -f -- "$in" "$out" && mkfifo -m 600 "$in" "$out"; } || in=''
	elif dir=$(mktemp -d "$rundir/watch.XXXXXX" || mktemp -d); then
		watch_dir=$dir in=$dir/in out=$dir/out
		mkfifo -m 600 "$in" "$out" || in=''
	fi
	if [ -z "$in" ]; then
		watch_lost
		return
	fi
	set --
	[ "$parallel" -eq 1 ] || set -- -b "$dir"
	# exec: yash would keep a shell of its own between, holding the lock.
	(exec "$watcher" -t "$timeout" -k "$kill_after" "$@" <"$in" \
	    >"$out" 2>&6 3>&- 4>&- 7>&- 9>&-) &
	exec 8>"$in" 5<"$out"
	# Side by side, the watcher keeps its buffers (unlinked) in the
	# directory until it ends.
	if [ -z "$watch_dir" ] || [ "$parallel" -ne 1 ]; then
		rm -f -- "$in" "$out"
	else
		rm -rf -- "$dir"
		watch_dir=''
	fi
}

# watch_end: no more requests; the watcher ends once its scripts have.
watch_end() {
	[ "$watch_state" = none ] || exec 8>&- 5<&-
	[ -z "$watch_dir" ] || rmdir -- "$watch_dir"
	watch_state=none watch_dir=''
}

# watch_run SEQ PATH ACTION: start a script.
watch_run() {
	[ "$watch_state" = on ] || return 0
	printf 'run\000%s\000%s\000%s\000' "$1" "$2" "$3" >&8 || watch_lost
	running=$((running + 1))
}

# watch_reply: read one reply and note it: an end in ended ("SEQ STATUS
# CENTISECONDS LIMIT DIGEST" lines), a flush in flushed.  Some shells end a read
# when a trapped signal comes (its trap has run: nsignals grew), others
# finish the read first: a read a signal ended is read again.  Fails once
# the watcher is gone.
watch_reply() {
	local word='' seq='' rc='' cs='' limit='' digest='' signals="$nsignals"
	[ "$watch_state" = on ] || return 1
	while ! read -r word seq rc cs limit digest <&5; do
		[ "$signals" != "$nsignals" ] || { watch_lost; return 1; }
		signals=$nsignals
	done
	case $word in
	end)
		ended=$ended$seq' '$rc' '$cs' '$limit' '${digest:--}$nl
		running=$((running - 1))
		record_gone "$seq"
		;;
	flushed) flushed=$seq ;;
	esac
}

# watch_flush SEQ: the output of a script run side by side, into the log
# after its header, whole.
watch_flush() {
	flushed=''
	[ "$log" != /dev/null ] || return 0
	printf 'flush\000%s\000' "$1" >&8 || watch_lost
	while [ "$flushed" != "$1" ]; do
		watch_reply || return 1
	done
}

# watch_lost: the watcher is gone (killed, or the system failing it), or
# could not start: the scripts it ran cannot be waited for, and no other
# starts.  Said once, in the log and to the caller; the run ends as
# interrupted, and each script whose end is unknown is failed.
watch_lost() {
	[ "$watch_state" = on ] || return 1
	watch_state=lost running=0 caught=${caught:-watcher}
	warn "$watcher ended before the run did; no other script starts"
	to_log '=== %s ended before the run did\n' "$watcher"
	return 1
}
