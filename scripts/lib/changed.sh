# shellcheck shell=sh disable=SC3043,SC2154,SC2034
# (Read alone, this file lacks the globals the init script declares and
# the other files set: lint.bats checks it with them, as one program.
# SC3043: local, which all seven shells of the suite have.)
# changed.sh: --changed, for list and start: the scripts of this node's
# plan that are new since this boot's start, whose content is not what it
# ran (the digest in its record: a link's target's), or that failed,
# timed out or were refused in it.  A start of them merges into the
# boot's record, as start NAME does.  With no whole start of this boot
# that ran to its end to compare with (none; one interrupted, killed, or
# that could not begin; reruns of chosen scripts alone), all of them: a
# whole start.  One cksum(1) and one awk
# for the whole plan.  Part of pernode-services(8); sourced by the init
# script.

# check_changed: --changed is for start and list, without SCRIPT.
check_changed() {
	case $action in
	start | list) ;;
	*) usage_error "--changed is for start and list only" ;;
	esac
	[ "$nchosen" -eq 0 ] || usage_error "--changed takes no SCRIPT"
}

# changed_plan: once the plan is known, the scripts --changed chooses
# become the SCRIPT operands; with none, list prints nothing and start
# says so, and both exit 0.
changed_plan() {
	local entries='' paths='' names='' line='' why='' shown=''
	boot_id
	record_ends "$record"
	if [ "$rec_action" != start ] || [ "$rec_this_boot" != yes ] ||
	    [ "$rec_ending" != 'done' ]; then
		note changed "every script: no whole start of this boot ended to compare with"
		return 0
	fi
	for_each list up changed_entry
	[ -z "$entries" ] || names=$(changed_names)
	[ -z "$names" ] || names=$names$nl
	while [ -n "$names" ]; do
		line=${names%%"$nl"*} names=${names#*"$nl"}
		why=${line%%"$tab"*} line=${line#*"$tab"}
		shown=${line%%"$tab"*}
		chosen=$chosen${line#*"$tab"}$nl nchosen=$((nchosen + 1))
		case $why in
		new) note new "$shown: not run since boot" ;;
		changed) note changed "$shown: changed since it ran" ;;
		*) note rerun "$shown: $why in this boot's start" ;;
		esac
	done
	[ "$nchosen" -eq 0 ] || return 0
	[ "$action" = list ] || printf '%s: nothing changed since this boot'\''s start\n' "$prog"
	exit 0
}

# changed_entry PATH ACTION VERDICT NAME SHOWN WHY: for changed_plan,
# which holds entries ("SHOWN<tab>NAME" lines) and paths (the NAMEs) of
# those that run or fail.
changed_entry() {
	case $3 in run | fail) ;; *) return 0 ;; esac
	# (groups errors are said by every run, and cannot be chosen.)
	[ "$1" != "$root/groups" ] || return 0
	case $4 in
	*"$nl"*) warn "$5: a name with a newline cannot be chosen; left out" ;;
	*) entries=$entries$5$tab$4$nl paths=$paths$4$nl ;;
	esac
}

# changed_names: what changed.awk makes of the record, the entries and
# their digests now: "WHY<tab>SHOWN<tab>NAME" lines, in plan order.
# (cksum runs in ROOT, so that it prints the names as the plan has them;
# one it cannot read has no line, and counts as changed.)
changed_names() {
	IFS=$nl
	set -f
	# shellcheck disable=SC2086 # one name a line, none holds a newline
	set -- $paths
	set +f
	IFS=" $tab$nl"
	{
		printf '%s\n' "$entries"
		(cd -- "$root" && cksum -- "$@") 2>/dev/null
	} | awk -F "$tab" -f "$libdir/changed.awk" "$record" -
}
