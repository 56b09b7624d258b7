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

# show_output LINES BYTES SEQ: the output of script number SEQ of this run,
# from the log: the last LINES lines after its header, read from the
# log's last BYTES, control bytes shown as "?", so that no escape sequence
# of a script's reaches the terminal.
show_output() {
	[ "$log" != /dev/null ] || return 0
	tail -c "$2" "$log" 2>/dev/null |
	    awk -v mark="[run $$.$3]" -v n="$1" -f "$libdir/output.awk"
}

# log_lost: the log cannot be written (its file system is full, say): say
# so once, and send the rest of the run's output to /dev/null, so that
# scripts do not fail writing it.
log_lost() {
	warn "cannot write $log; the scripts' output is discarded"
	log=/dev/null
	exec 6>/dev/null
	[ "$watch_state" != on ] || printf 'quiet\000' >&8
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

# start_one PATH ACTION SHOWN: hand a script to the watcher, after its
# header in the log (or, run side by side, before it: the header goes in
# with its output).  One reading of the clock is both its start and, in
# the record of what runs, the time status counts from.
start_one() {
	seq=$((seq + 1))
	uptime_cs
	[ "$parallel" -gt 1 ] || log_header "$3" "$2" "$uptime_cs" "$seq"
	last_run=$3
	record_begun "$seq" "$uptime_cs" "$3"
	watch_run "$seq" "$1" "$2"
}

# log_header SHOWN ACTION CENTISECONDS SEQ: the line before a script's
# output in the log; show_output finds the output by it.
log_header() {
	local t=$((epoch + ($3 - epoch_cs) / 100))
	printf '\n--- %s %s, %02d:%02d:%02d UTC [run %s.%s]\n' "$1" "$2" \
	    $((t / 3600 % 24)) $((t / 60 % 60)) $((t % 60)) "$$" "$4" >&6 ||
	    log_lost
}

# run_one PATH ACTION SHOWN: one script, alone: start it and say how it
# ended.
run_one() {
	start_one "$@"
	while [ "$running" -gt 0 ]; do
		watch_reply || break
	done
	end_one "$seq" "$3"
	ended=''
}

# end_one SEQ SHOWN: how script SEQ ended, from its line in ended, on the
# console and in the record; its output when it failed (or with -v).
end_one() {
	local rest='- 0 lost -' rc='' cs=0 limit='' digest='' secs=''
	case $nl$ended in
	*"$nl$1 "*) rest=$nl$ended rest=${rest#*"$nl$1 "} rest=${rest%%"$nl"*} ;;
	esac
	rc=${rest%% *} rest=${rest#* }
	cs=${rest%% *} rest=${rest#* }
	limit=${rest%% *} digest=${rest#* }
	secs=$((cs / 100)).$((cs / 10 % 10))$((cs % 10))
	if [ "$rc" = 0 ]; then
		result ok 0 "$secs" "$2" '' "$digest"
	else
		failed=$((failed + 1))
		script_failed "$rc" "$secs" "$2" "$limit" "$digest"
		[ "$verbose" -eq 1 ] || show_output "$tail_lines" 65536 "$1"
	fi
	[ "$verbose" -eq 0 ] || show_output 1000000 1048576 "$1"
}

# script_failed STATUS SECONDS SHOWN LIMIT DIGEST: the result of a script
# that did not exit 0: stopped at its deadline (LIMIT term or kill),
# killed by a signal, an exit status, or its end lost with the watcher.
script_failed() {
	case $4 in
	term | kill)
		result timed-out "$1" "$2" "$3" \
		    "still running after ${timeout}s, stopped" "$5"
		;;
	lost) result failed - - "$3" "its end is not known: $watcher ended" ;;
	*)
		if [ "$1" -gt 128 ] && [ "$1" -le 192 ]; then
			result failed "$1" "$2" "$3" "killed by signal $(($1 - 128))" "$5"
		else
			result failed "$1" "$2" "$3" "exit status $1" "$5"
		fi
		;;
	esac
}

# act_one PATH ACTION VERDICT NAME SHOWN WHY: what start and stop do with
# each entry of the plan: one after the other, or side by side (level.sh).
act_one() {
	if [ "$parallel" -gt 1 ]; then
		act_level "$@"
	elif [ "$3" = run ]; then
		run_one "$1" "$2" "$5"
	else
		act_note "$3" "$5" "$6"
	fi
}

# act_note VERDICT SHOWN WHY: an entry that does not run.
act_note() {
	case $1 in
	skip) note skipped "$2: $3" ;;
	mask) note masked "$2: $3" ;;
	fail)
		failed=$((failed + 1))
		case $3 in
		refused*) result refused - - "$2" "${3#refused: }" ;;
		*) result failed - - "$2" "$3" ;;
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
	locked=no
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
	locked=yes
}

# begin_run ACTION: the clock, the run's descriptors, the log's header
# and the record.
begin_run() {
	local shown=''
	failed=0 seq=0 safe_target_dir='' run_action=$1
	set -- "$1" "${began:-$(date -u '+%s %Y-%m-%d %H:%M:%S UTC')}"
	epoch=${2%% *}
	clock
	epoch_cs=${began_cs:-$uptime_cs}
	began='' began_cs=''	# a restart's start did not wait
	boot_id

	# For the run: 3 the scripts begun (RUNDIR/running), 4 the console's
	# stderr, 5 and 8 the watcher's replies and requests (watch.sh), 6
	# the log, 7 the record.  Kept open so that no script costs an
	# open(2) of its own for them, nor a write a redirection of its own.
	exec 4>&2 2>/dev/null
	warn_fd=4
	if ! command exec 6>>"$log"; then
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
	exec 2>&4 4>&-
	warn_fd=2
}

# run_all ACTION: every chosen eligible script, in order, with ACTION.  A
# signal ends the run once the script running has ended (POSIX defers the
# trap until then); scripts get the default action back.
run_all() {
	local shown='' summary='' ending='done'
	# A write to a watcher that is gone (watch_lost), or to a console
	# that went away (a pipe to head, a dropped ssh session), fails: it
	# must not kill the run before its record ends.
	trap '' PIPE
	begin_run "$1"
	PERNODE_ACTION=$1
	export PERNODE_ACTION
	caught='' last_run='' nsignals=0
	trap 'caught=HUP nsignals=$((nsignals + 1))' HUP
	trap 'caught=INT nsignals=$((nsignals + 1))' INT
	trap 'caught=TERM nsignals=$((nsignals + 1))' TERM
	watch_start
	if [ "$1" = start ]; then
		for_each start up act_one
	else
		for_each stop down act_one
	fi
	[ "$parallel" -eq 1 ] || level_end
	watch_end
	trap - HUP INT TERM
	shown "${node:-?}"
	summary="$1 on $shown: $seq run, $failed failed"
	case $caught in
	'') [ "$partial" != yes ] || ending=partial ;;
	watcher) summary="$summary, interrupted: $watcher ended${last_run:+ after $last_run}" ;;
	*) summary="$summary, interrupted by SIG$caught${last_run:+ after $last_run}" ;;
	esac
	[ -z "$caught" ] || ending=interrupted
	printf '%s: %s\n' "$prog" "$summary"
	end_run "$ending" "$summary"
	trap - PIPE
	case $caught in
	HUP) return 129 ;;
	INT) return 130 ;;
	TERM) return 143 ;;
	watcher) return 1 ;;
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
