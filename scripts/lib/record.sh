# shellcheck shell=sh disable=SC3043,SC2154,SC2034
# (Read alone, this file lacks the globals the init script declares and
# the other files set: lint.bats checks it with them, as one program.
# SC3043: local, which all seven shells of the suite have.)
# record.sh: the record of the last run, its one writer and reader:
# start and stop write it, status and status --machine read it, a rerun
# merges into it, and the report reads it through status --machine.  Part
# of pernode-services(8); sourced by the init script.
#
# RUNDIR/status holds the last run, one line each:
#   # ACTION at DATE, pid PID, boot BOOT_ID, on NODE, epoch EPOCH   the run
#   RESULT<tab>STATUS<tab>SECONDS<tab>NAME<tab>DIGEST<tab>DETAIL   a script
#   # end EPOCH SECONDS                                  when it ended
#   # done: SUMMARY  or  # interrupted: SUMMARY  or  # failed: WHY
#   or  # partial: SUMMARY                               how it ended
# RESULT is ok, failed, timed-out or refused; STATUS the exit status, or
# "-" for an entry that did not run; SECONDS "-" likewise; NAME as shown
# writes it; DIGEST what pernode-watch(8) read of the script as it started
# it, cksum(1)'s CRC and size as "CRC-SIZE", or "-" (an older record has
# none: its fifth field is DETAIL); DETAIL what went wrong, or nothing.
# "failed: WHY" ends a run that could not begin (no state directory,
# say), with no script line; "partial:" a rerun of chosen scripts with no
# whole start to merge into.
# RUNDIR/running, written during a run, has a line for each script begun,
# "SEQ<tab>CENTISECONDS<tab>NAME" (when it began, in uptime), and one for
# each that has ended, "SEQ<tab>-": status shows as running those begun
# and not ended (running.awk), one, or several side by side.

# shown NAME: NAME as messages, the log and the record show it, one line
# whatever it holds: a backslash, tab and newline become \\, \t and \n,
# other bytes outside printable ASCII \ooo (octal).  (A range, not
# [[:print:]], which posh lacks; LC_ALL=C makes it bytes.)
shown() {
	local rest='' tail='' char=''
	case $1 in
	*[!\ -~]* | *\\*) ;;
	*) shown=$1; return ;;
	esac
	rest=$1 shown=''
	while [ -n "$rest" ]; do
		tail=${rest#?}
		char=${rest%"$tail"}
		case $char in
		\\) shown="$shown\\\\" ;;
		"$nl") shown=$shown'\n' ;;
		"$tab") shown=$shown'\t' ;;
		[\ -~]) shown=$shown$char ;;
		*) shown=$shown\\$(printf '%03o' "'$char") ;;
		esac
		rest=$tail
	done
}

boot_id() {
	boot_id=-
	{ read -r boot_id </proc/sys/kernel/random/boot_id; } 2>/dev/null
}

# record_ends FILE: what the first line and the last two of a record say,
# the one reading of its form.  Sets rec_head (the first line), rec_action
# (start or stop, or empty when the first line is no header), rec_this_boot
# (yes or no), rec_epoch and rec_end (when it began and ended, or "-"),
# rec_took (the seconds it took, once it ended),
# rec_ending (done, interrupted, failed, partial, or empty while it runs
# or once killed) and rec_summary (the text after it).  Needs $boot_id.
record_ends() {
	local last2='' last=''
	rec_head='' rec_action='' rec_this_boot=no rec_epoch=- rec_end=- rec_took=''
	rec_ending='' rec_summary=''
	{ IFS= read -r rec_head <"$1"; } 2>/dev/null
	case $rec_head in
	'# '*' at '*', boot '*', on '*) ;;
	*) return 0 ;;
	esac
	rec_action=${rec_head#\# } rec_action=${rec_action%% at *}
	case $rec_head in *", boot $boot_id, on "*) rec_this_boot=yes ;; esac
	case $rec_head in *', epoch '*) rec_epoch=${rec_head##*, epoch } ;; esac
	last2=$(tail -n 2 "$1" 2>/dev/null)
	last=${last2##*"$nl"}
	case ${last2%%"$nl"*} in
	'# end '*' '*)
		rec_took=${last2%%"$nl"*} rec_took=${rec_took#\# end }
		rec_end=${rec_took%% *} rec_took=${rec_took#* }
		;;
	esac
	case $last in
	'# done: '* | '# interrupted: '* | '# failed: '* | '# partial: '*)
		rec_ending=${last#\# } rec_ending=${rec_ending%%:*}
		rec_summary=${last#*: }
		;;
	esac
}

# result RESULT STATUS SECONDS SHOWN DETAIL [DIGEST]: a script's line, on
# the console and in the record (fd 7).
result() {
	show_result "$1" "$3" "$4" "$5"
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${6:--}" "$5" >&7
}

# show_result RESULT SECONDS NAME DETAIL: one line of the report.
show_result() {
	local label="$1" text="$3${4:+: $4}"
	[ "$label" != timed-out ] || label='timed out'
	[ "$2" = - ] || text="$text ($2 s)"
	printf '%-9s %s\n' "$label" "$text"
}

# record_begun SEQ CENTISECONDS SHOWN and record_gone SEQ: what status
# shows as running, a line on fd 3 as each script begins and ends: no
# open(2) of their own.
record_begun() {
	printf '%s\t%s\t%s\n' "$1" "$2" "$3" >&3
}
record_gone() {
	printf '%s\t-\n' "$1" >&3
}

# record_open ACTION DATE: start the record of this run on fd 7, and
# RUNDIR/running on fd 3.  A rerun of chosen scripts by start keeps the
# record of this boot's start aside, to merge into, when that start ran
# to its end (or was itself a rerun of chosen scripts alone); by stop it
# leaves the record alone.  A rerun with nothing to merge into is partial:
# its record holds the chosen scripts only, and status never takes it for
# a whole start.
record_open() {
	local shown=''
	merge_from='' partial=no
	[ "$nchosen" -eq 0 ] || [ "$1" != start ] || partial=yes
	record_ends "${record:-/dev/null}"
	previous_run
	if [ -n "$record" ] && [ "$nchosen" -gt 0 ]; then
		if [ "$1" = stop ]; then
			record=''
		elif record_mergeable && mv -f -- "$record" "$record.before"; then
			merge_from=$record.before
			[ "$rec_ending" = partial ] || partial=no
		fi
	fi
	if [ -z "$record" ] || ! { command exec 7>"$record"; }; then
		record=''
		exec 7>/dev/null
	fi
	shown "$node"
	printf '# %s at %s, pid %s, boot %s, on %s, epoch %s\n' "$1" "$2" "$$" \
	    "$boot_id" "$shown" "$epoch" >&7
	if [ -z "$record" ] || ! { command exec 3>"$rundir/running"; }; then
		exec 3>/dev/null
	fi
}

# record_mergeable: the record is of a start in this boot that ran to its
# end, whole (done) or of chosen scripts alone (partial).
record_mergeable() {
	[ "$rec_action" = start ] && [ "$rec_this_boot" = yes ] &&
	    { [ "$rec_ending" = 'done' ] || [ "$rec_ending" = partial ]; }
}

# previous_run: a record of this boot that has no ending is that of a run
# killed outright (SIGKILL, a crash): say so in the log and to the caller
# before the record is replaced.
previous_run() {
	local what=''
	[ "$rec_this_boot" = yes ] && [ -z "$rec_ending" ] || return 0
	what=${rec_head#\# }
	what=${what%%, boot *}
	warn "the previous $what, ended before it finished"
	to_log '=== the previous %s, ended before it finished\n' "$what"
}

# record_close ENDING SUMMARY: the end line (the epoch, and the seconds
# the run took) and the summary.
record_close() {
	local cs=0
	uptime_cs
	cs=$((uptime_cs - epoch_cs))
	printf '# end %s %s\n# %s: %s\n' $((epoch + cs / 100)) \
	    "$((cs / 100)).$((cs / 10 % 10))$((cs % 10))" "$1" "$2" >&7
	exec 3>&- 7>&-
	[ -z "$merge_from" ] || record_merge
}

# record_merge: the chosen scripts' new lines replace their old ones in
# place; the others keep theirs; the end line counts them all.
record_merge() {
	if awk -F "$tab" -v OFS="$tab" -f "$libdir/merge.awk" \
	    "$record" "$merge_from" >"$record.merged" &&
	    mv -f -- "$record.merged" "$record"; then
		rm -f -- "$merge_from"
	else
		warn "cannot merge $record with the run before; it holds this rerun only"
		rm -f -- "$record.merged"
	fi
}

# record_show WHAT: the script lines of the record on stdin, the one
# reading of them.  WHAT is "scripts" (status: as the console shows them),
# "all" (syslog: the header and summary lines too) or "machine" (status
# --machine: into lines, as its script lines).  Sets count, runs (those
# with an exit status) and bad (those not ok).
record_show() {
	local res='' rc='' secs='' name='' digest='' detail=''
	count=0 runs=0 bad=0 lines=''
	while IFS=$tab read -r res rc secs name digest detail || [ -n "$res" ]; do
		case $res in
		'# '*)
			[ "$1" != all ] || printf '%s\n' "${res#\# }"
			continue
			;;
		esac
		case $digest in
		- | [0-9]*-[0-9]*) ;;
		*) detail=$digest digest=- ;;	# a record of the version before
		esac
		count=$((count + 1))
		[ "$rc" = - ] || runs=$((runs + 1))
		[ "$res" = ok ] || bad=$((bad + 1))
		if [ "$1" = machine ]; then
			lines=$lines"script$tab$name$tab$res$tab$rc$tab$secs$tab$digest$nl"
		else
			show_result "$res" "$secs" "$name" "$detail"
		fi
	done
}

# run_in_progress: whether a run holds the lock now.
run_in_progress() {
	command -v flock >/dev/null && [ -r "$rundir/lock" ] &&
	    ! flock -n 8 8<"$rundir/lock"
}

# === status ==================================================================

# show_status: 0 the last start since boot succeeded in full (with any
# rerun), 1 it failed, could not begin or was interrupted, 3 none since
# boot (or a stop came after it), 4 a run is in progress.  First, when it
# began (the date too when not today) and how long it took.
show_status() {
	local count=0 runs=0 bad=0 lines=''
	boot_id
	record_ends "$record"
	if [ "$rec_this_boot" = no ]; then
		status_no_start
		return
	fi
	if [ "$rec_action" != start ]; then
		if [ "$rec_ending" = failed ]; then
			printf '%s: stopped; the last stop failed: %s\n' "$prog" "$rec_summary"
		else
			printf '%s: stopped\n' "$prog"
		fi
		return "$STATUS_NONE"
	fi
	show_began
	record_show scripts <"$record"
	status_ending
}

# status_no_start: no start recorded since boot; one that could not even
# begin, if the state directory says so now (systemd does not start the
# unit at all when the mount it requires failed).
status_no_start() {
	local run_refused=''
	check_mounted
	if [ -n "$run_refused" ]; then
		printf '%s: no start recorded since boot: %s\n' "$prog" "$run_refused"
		return "$STATUS_FAILED"
	fi
	printf '%s: no start recorded since boot\n' "$prog"
	return "$STATUS_NONE"
}

# status_ending: the last line of status, how the start ended, and the
# exit status; $bad counts the scripts not ok.
status_ending() {
	case $rec_ending in
	done)
		printf '%s: last %s\n' "$prog" "$rec_summary"
		[ "$bad" -eq 0 ] && return "$STATUS_OK"
		return "$STATUS_FAILED"
		;;
	interrupted) printf '%s: last %s\n' "$prog" "$rec_summary" ;;
	failed) printf '%s: last start failed: %s\n' "$prog" "$rec_summary" ;;
	partial)
		printf '%s: last %s; chosen scripts only: no whole start has ended since boot\n' \
		    "$prog" "$rec_summary"
		;;
	*)
		if run_in_progress; then
			show_running
			return "$STATUS_RUNNING"
		fi
		printf '%s: the last start was interrupted before it finished\n' "$prog"
		;;
	esac
	return "$STATUS_FAILED"
}

# show_began: the line on when the start of the record began, and how long
# it took once it has ended.
show_began() {
	local began="${rec_head#\# start at }"
	began=${began%%, pid *}
	[ "${began%% *}" != "$(date -u +%Y-%m-%d)" ] || began=${began#* }
	if [ -n "$rec_took" ]; then
		printf '%s: last start began %s, took %s s\n' "$prog" "$began" "$rec_took"
	else
		printf '%s: last start began %s\n' "$prog" "$began"
	fi
}

# show_running: the line on the start in progress, with the scripts it is
# running (one, or several side by side) and for how long.
show_running() {
	local running=''
	clock
	running=$(awk -v now="$uptime_cs" -f "$libdir/running.awk" \
	    "$rundir/running" 2>/dev/null)
	printf '%s: start in progress%s\n' "$prog" "${running:+, running $running}"
}

# === status --machine ========================================================

# show_machine: the record as status --machine prints it, one line a
# field list, tab-separated, fields only ever added at the end:
#   run ACTION BOOT_ID START END THIS_BOOT RUN FAILED STATE DETAIL
#   script NAME RESULT STATUS SECONDS DIGEST
#   end SCRIPTS
# The end line, with the count of script lines, lets a reader of many
# nodes' answers (report) tell a whole answer from one cut short.
# STATE is done, interrupted, running, unfinished (killed), failed (the
# run could not begin: DETAIL says why, RUN is 0 and FAILED 1), partial
# or none (no record); "-" stands for what is not known.  Exits as status
# does.
show_machine() {
	local count=0 runs=0 bad=0 lines='' state='' why=- boot=- run_refused=''
	boot_id
	record_ends "$record"
	if [ "$rec_this_boot" = no ] && { check_mounted; [ -n "$run_refused" ]; }; then
		printf 'run\tstart\t%s\t-\t-\tyes\t0\t1\tfailed\t%s\nend\t0\n' \
		    "$boot_id" "$run_refused"
		return "$STATUS_FAILED"
	fi
	if [ -z "$rec_head" ]; then
		printf 'run\t-\t-\t-\t-\tno\t0\t0\tnone\t-\nend\t0\n'
		return "$STATUS_NONE"
	fi
	record_show machine <"$record"
	[ "$rec_ending" != failed ] || why=$rec_summary bad=$((bad + 1))
	case $rec_head in *', boot '*) boot=${rec_head#*, boot } boot=${boot%%, on *} ;; esac
	state=${rec_ending:-unfinished}
	[ -n "$rec_ending" ] || ! run_in_progress || state=running
	printf 'run\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${rec_action:--}" \
	    "$boot" "$rec_epoch" "$rec_end" "$rec_this_boot" "$runs" "$bad" "$state" "$why"
	printf '%send\t%s\n' "$lines" "$count"
	[ "$rec_this_boot" = yes ] && [ "$rec_action" = start ] ||
	    return "$STATUS_NONE"
	case $state in
	done) [ "$bad" -eq 0 ] && return "$STATUS_OK" ;;
	running) return "$STATUS_RUNNING" ;;
	esac
	return "$STATUS_FAILED"
}
