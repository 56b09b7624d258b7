# shellcheck shell=sh disable=SC3043,SC2154,SC2034
# (Read alone, this file lacks the globals the init script declares and
# the other files set: lint.bats checks it with them, as one program.
# SC3043: local, which all seven shells of the suite have.)
# run.sh: running the plan: one run at a time (the lock), the log, the
# console, each script with its time limit, and what a signal does.  Part
# of pernode-services(8); sourced by the init script.

# uptime_cs: centiseconds since boot, from the kernel, without starting a
# process (0 where /proc/uptime is missing).
uptime_cs() {
	local up=0.00
	[ "$have_uptime" = no ] || read -r up _ </proc/uptime
	up=${up%.*}${up#*.}
	up=${up#"${up%%[!0]*}"}
	uptime_cs=${up:-0}
}

# clock: whether /proc/uptime can be read (have_uptime), then uptime_cs.
clock() {
	have_uptime=yes
	[ -r /proc/uptime ] || have_uptime=no
	uptime_cs
}

# execute PATH ACTION: each script runs with stdin from /dev/null and its
# output appended to the log (fd 6); descriptors above 2 (our lock among
# them) are closed, so a daemon it leaves behind holds neither the lock
# nor the caller's pipes.
execute() {
	if [ "$timeout" -gt 0 ]; then
		timeout -k "$kill_after" "$timeout" "$1" "$2" </dev/null \
		    >&6 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
	else
		"$1" "$2" </dev/null >&6 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
	fi
}

# show_output LINES BYTES: the output of script number $seq of this run,
# from the log: the last LINES lines after its header, read from the
# log's last BYTES, control bytes shown as "?", so that no escape sequence
# of a script's reaches the terminal.
show_output() {
	[ "$log" != /dev/null ] || return 0
	tail -c "$2" "$log" 2>/dev/null |
	    awk -v mark="[run $$.$seq]" -v n="$1" -f "$libdir/output.awk"
}

# log_lost: the log cannot be written (its file system is full, say): say
# so once, and send the rest of the run's output to /dev/null, so that
# scripts do not fail writing it.
log_lost() {
	warn "cannot write $log; the scripts' output is discarded"
	log=/dev/null
	exec 6>/dev/null
}

# to_log FORMAT ARG...: a record of the log.  Each starts on a line of its
# own, even after a script whose output did not end in a newline (RHEL's
# echo_success ends in a carriage return): an empty line is harmless.
to_log() {
	local format="$1"
	shift
	# shellcheck disable=SC2059 # the format is the caller's, always literal
	printf "\\n$format" "$@" >&6 || log_lost
}

# run_one PATH ACTION SHOWN: run one script and report how it went.  One
# reading of the clock ($uptime_cs) is both the end of a script and the
# start of the next, so that no script costs a reading of its own.
run_one() {
	local start_cs="$uptime_cs" t=0 rc=0 cs=0 secs=''
	seq=$((seq + 1))
	t=$((epoch + (uptime_cs - epoch_cs) / 100))
	printf '\n--- %s %s, %02d:%02d:%02d UTC [run %s.%s]\n' "$3" "$2" \
	    $((t / 3600 % 24)) $((t / 60 % 60)) $((t % 60)) "$$" "$seq" >&6 ||
	    log_lost
	last_run=$3
	record_begun "$3" "$start_cs"
	execute "$1" "$2"
	rc=$?
	# yash reports death by signal N as 384 + N, the others as 128 + N.
	[ "$rc" -le 384 ] || rc=$((rc - 256))
	uptime_cs
	cs=$((uptime_cs - start_cs))
	secs=$((cs / 100)).$((cs / 10 % 10))$((cs % 10))
	if [ "$rc" -eq 0 ]; then
		result ok 0 "$secs" "$3" ''
	else
		failed=$((failed + 1))
		script_failed "$rc" "$secs" "$3" "$cs"
		[ "$verbose" -eq 1 ] || show_output "$tail_lines" 65536
	fi
	[ "$verbose" -eq 0 ] || show_output 1000000 1048576
}

# script_failed STATUS SECONDS SHOWN CENTISECONDS: the result of a script
# that did not exit 0: timed out (timeout(1)'s 124, or 137 once it had to
# kill, after the whole limit), killed by a signal, or an exit status.
script_failed() {
	if [ "$timeout" -gt 0 ] && { [ "$1" -eq 124 ] || [ "$1" -eq 137 ]; } &&
	    [ "$4" -ge $((timeout * 100)) ]; then
		result timed-out "$1" "$2" "$3" "still running after ${timeout}s, stopped"
	elif [ "$1" -gt 128 ] && [ "$1" -le 192 ]; then
		result failed "$1" "$2" "$3" "killed by signal $(($1 - 128))"
	else
		result failed "$1" "$2" "$3" "exit status $1"
	fi
}

# act_one PATH ACTION VERDICT NAME SHOWN WHY: what start and stop do with
# each entry of the plan.
act_one() {
	case $3 in
	run) run_one "$1" "$2" "$5" ;;
	skip) note skipped "$5: $6" ;;
	mask) note masked "$5: $6" ;;
	fail)
		failed=$((failed + 1))
		case $6 in
		refused*) result refused - - "$5" "${6#refused: }" ;;
		*) result failed - - "$5" "$6" ;;
		esac
		;;
	esac
}

# lock: one run at a time, through flock(1) on a descriptor this shell
# keeps: the kernel drops the lock when the shell dies, however it dies,
# and scripts never inherit it.  (mksh opens fd 9 close-on-exec; flock
# gets a copy as fd 8.)
lock() {
	local holder=unknown
	if [ ! -d "$rundir" ]; then
		mkdir -p -- "$rundir" 2>/dev/null
	fi
	if ! { command exec 9>>"$rundir/lock"; } 2>/dev/null; then
		warn "cannot write $rundir; running without a lock or a record"
		record=''
		return
	fi
	if ! command -v flock >/dev/null; then
		warn "flock not found; running without a lock"
		return
	fi
	if ! flock -n 8 8>&9; then
		{ read -r holder <"$rundir/lock"; } 2>/dev/null
		die "$EXIT_FAILED" "already running (pid ${holder:-unknown})"
	fi
	printf '%s\n' "$$" >"$rundir/lock"
}

# begin_run ACTION: the clock, the run's descriptors, the log's header
# and the record.
begin_run() {
	local shown=''
	failed=0 seq=0 safe_target_dir='' run_action=$1
	set -- "$1" "$(date -u '+%s %Y-%m-%d %H:%M:%S UTC')"
	epoch=${2%% *}
	clock
	epoch_cs=$uptime_cs
	boot_id

	# For the run: 3 the scripts begun (RUNDIR/running), 4 the console's
	# stderr, 5 /dev/null, 6 the log, 7 the record.  Kept open so that no
	# script costs an open(2) of its own for them, nor a write a
	# redirection of its own.
	exec 4>&2 5>/dev/null 2>&5
	warn_fd=4
	if ! { command exec 6>>"$log"; } 2>&5; then
		log_lost
	fi
	shown "$node"
	to_log '=== %s %s%s at %s, pid %s, on %s\n' "$prog" "$1" \
	    "${chosen:+ (chosen scripts)}" "${2#* }" "$$" "$shown"
	record_open "$1" "${2#* }"
}

# end_run ENDING SUMMARY: the last line of the log and the record, then
# the record to syslog, and the descriptors back.
end_run() {
	if [ "$1" = failed ]; then
		to_log '=== %s failed: %s\n' "$run_action" "$2"
	else
		to_log '=== %s\n' "$2"
	fi
	record_close "$1" "$2"
	exec 6>&-
	if command -v logger >/dev/null; then
		if [ -n "$record" ]; then
			record_show all <"$record" | logger -t "$prog"
		else
			logger -t "$prog" -- "$2"
		fi
	fi 2>/dev/null
	exec 2>&4 4>&- 5>&-
	warn_fd=2
}

# run_all ACTION: every chosen eligible script, in order, with ACTION.  A
# signal ends the run once the script running has ended (POSIX defers the
# trap until then); scripts get the default action back.
run_all() {
	local shown='' summary='' ending='done'
	begin_run "$1"
	PERNODE_ACTION=$1
	export PERNODE_ACTION
	caught='' last_run=''
	trap 'caught=HUP' HUP
	trap 'caught=INT' INT
	trap 'caught=TERM' TERM
	if [ "$1" = start ]; then
		for_each start up act_one
	else
		for_each stop down act_one
	fi
	trap - HUP INT TERM
	shown "${node:-?}"
	summary="$1 on $shown: $seq run, $failed failed"
	if [ -n "$caught" ]; then
		summary="$summary, interrupted by SIG$caught${last_run:+ after $last_run}"
		ending=interrupted
	elif [ "$partial" = yes ]; then
		ending=partial
	fi
	printf '%s: %s\n' "$prog" "$summary"
	end_run "$ending" "$summary"
	case $caught in
	HUP) return 129 ;;
	INT) return 130 ;;
	TERM) return 143 ;;
	esac
	[ "$failed" -eq 0 ]
}

# restart_all: stop, then start, unless a signal ended the stop.
restart_all() {
	local stop_status=0
	run_all stop || stop_status=$?
	[ -z "$caught" ] || exit "$stop_status"
	run_all start && [ "$stop_status" -eq 0 ]
}

# refuse_run ACTION: a run that cannot begin, for $run_refused: one line
# on stderr, and a failed run in the record, the log and syslog, so that
# status and report show why nothing ran.  Exits.
refuse_run() {
	lock
	# The record is of a whole run that failed, whatever SCRIPTs were
	# asked for: nothing to merge into the one before.
	nchosen=0 chosen=''
	begin_run "$1"
	warn "$run_refused"
	end_run failed "$run_refused"
	exit "$EXIT_CONFIG"
}
