# shellcheck shell=sh disable=SC3043,SC2154,SC2034
# (Read alone, this file lacks the globals the init script declares and
# the other files set: lint.bats checks it with them, as one program.
# SC3043: local, which all seven shells of the suite have.)
# level.sh: scripts side by side (PERNODE_PARALLEL above 1).  Within one
# directory, the scripts whose names begin with the same digits are a
# level and start together, at most $parallel at once; a level starts
# once every script of the one before has ended.  What the run says
# stays in plan order, as startpar did: each script's header and output
# go into the log whole once it has ended, and its result, like every
# other entry's, once all before it have been said.  Part of
# pernode-services(8); sourced by the init script.
#
# queue holds what is yet to be said, in plan order, a line each: "SEQ
# START_CS ACTION SHOWN" for a script started, "- VERDICT SHOWN<tab>WHY"
# for an entry that does not run (shown names hold no tab or newline).

# level_of NAME: the level of the entry NAME (as list prints it), in
# level: its directory and the digits its name begins with, or, for a
# name without, the name itself: a level of its own.
level_of() {
	level=${1##*/}
	level=${level%%[!0-9]*}
	if [ -n "$level" ]; then
		level=${1%/*}/$level
	else
		level=$1
	fi
}

# list_level NAME: list -v says where each level begins, on stderr, with
# the names it prints.
list_level() {
	local level=''
	level_of "$1"
	[ "$level" != "$level_now" ] || return 0
	level_now=$level
	shown "$level"
	note level "$shown"
}

# act_level PATH ACTION VERDICT NAME SHOWN WHY: act_one, side by side.
act_level() {
	local level=''
	level_of "$4"
	if [ "$level" != "$level_now" ]; then
		level_end
		level_now=$level
	fi
	if [ "$3" != run ]; then
		queue=$queue"- $3 $5$tab$6$nl"
	else
		while [ "$running" -ge "$parallel" ]; do
			watch_reply || break
			level_say
		done
		# A signal ends the run once the scripts running have ended.
		[ -z "$caught" ] || return 0
		start_one "$1" "$2" "$5"
		queue=$queue"$seq $uptime_cs $2 $5$nl"
	fi
	level_say
}

# level_end: wait for the level's scripts, and say what is left to say.
level_end() {
	while [ "$running" -gt 0 ]; do
		watch_reply || break
		level_say
	done
	level_say
}

# level_say: say the entries at the head of the queue whose turn it is:
# one that does not run, or a script that has ended (or whose end was
# lost with the watcher).
level_say() {
	local item='' seq=''
	while [ -n "$queue" ]; do
		item=${queue%%"$nl"*}
		seq=${item%% *}
		case $seq$nl$ended in
		-"$nl"*) level_note "${item#- }" ;;
		*"$nl$seq "*) level_ended "$item" ;;
		*)
			[ "$watch_state" = lost ] || return 0
			level_ended "$item"
			;;
		esac
		queue=${queue#*"$nl"}
	done
}

# level_note "VERDICT SHOWN<tab>WHY": an entry that does not run.
level_note() {
	local verdict="${1%% *}" shown="${1#* }" why=''
	# (Unquoted: posh fails a "$tab" pattern inside double quotes.)
	why=${shown#*"$tab"} shown=${shown%%"$tab"*}
	act_note "$verdict" "$shown" "$why"
}

# level_ended "SEQ START_CS ACTION SHOWN": a script that has ended: its
# header and output into the log, its result, and its line out of ended.
level_ended() {
	local seq="${1%% *}" rest="${1#* }" start='' act='' before='' after=''
	start=${rest%% *} rest=${rest#* }
	act=${rest%% *} rest=${rest#* }
	log_header "$rest" "$act" "$start" "$seq"
	[ "$watch_state" != on ] || watch_flush "$seq"
	end_one "$seq" "$rest"
	case $nl$ended in
	*"$nl$seq "*)
		before=$nl$ended before=${before%%"$nl$seq "*}
		after=$nl$ended after=${after#*"$nl$seq "} after=${after#*"$nl"}
		ended=${before#"$nl"}${before:+$nl}$after
		;;
	esac
}
