# shellcheck shell=sh disable=SC3043,SC2154,SC2034
# (Read alone, this file lacks the globals the init script declares and
# the other files set: lint.bats checks it with them, as one program.
# SC3043: local, which all seven shells of the suite have.)
# plans.sh: "list -w NODESET", on the head node: the plan of every node
# of NODESET, read from the state directory as each node would read it,
# one line a script with the nodes that run it folded, in the report's
# shape.  The shell walks every directory of ROOT a plan can take scripts
# from (global/, each @NAME/, each node's) once, with the runner's own
# judge (classify, through walk_dir); one awk, plans.awk after the
# node-set library, works out every node's groups and plan and folds
# them.  Its cost grows with the scripts of ROOT, and with the nodes only
# in that one awk.  Part of pernode-services(8); sourced by the init
# script for list -w only.

# check_w: -w NODESET is for list alone, with no SCRIPT, -n or
# --changed.  "^FILE" (a file of node sets, as pdsh reads one) is made
# absolute: the runner changes to / before it reads it.
check_w() {
	[ "$action" = list ] || usage_error "-w is for list only"
	[ "$nchosen" -eq 0 ] || usage_error "-w takes no SCRIPT"
	[ "$changed" -eq 0 ] || usage_error "-w and --changed do not go together"
	[ -z "${opt_node+set}" ] || usage_error "-w and -n do not go together"
	case $opt_w in
	'' | ^) usage_error "empty NODESET" ;;
	^/*) ;;
	^*) opt_w=^$PWD/${opt_w#^} ;;
	esac
}

# list_nodes: the plans of the nodes of opt_w, from ROOT; exits with
# list's status: 0, 1 if a script would fail, 2 for a bad NODESET, 6 for
# a state directory that cannot be used.  With --machine, the plans for
# a program (report): each with the digest of each script now, from one
# cksum(1), run in ROOT as changed.sh runs it.
list_nodes() {
	local dirs='' groups=/dev/null dir='' groups_errors='' paths=''
	check_root
	[ -z "$run_refused" ] || die "$EXIT_CONFIG" "$run_refused"
	set --
	if [ -e "$root/groups" ] || [ -L "$root/groups" ]; then
		groups_file_check "$root/groups"
		[ -n "$groups_errors" ] || groups=$root/groups
	fi
	# The directories of ROOT a plan can take scripts from.
	for dir in "$root"/*/; do
		dir=${dir%/}
		dir=${dir##*/}
		case $dir in
		*"$tab"* | *"$nl"*) continue ;;
		global | @?*) ;;
		*) valid_node "$dir" || continue ;;
		esac
		dirs=$dirs$dir$nl
		set -- "$@" "$root/$dir"
	done
	# An empty ^FILE is refused by the awk: no walk for it.  (report
	# asks so, to learn whether the state directory is usable here.)
	case $opt_w in
	^*) [ -s "${opt_w#^}" ] || set -- ;;
	esac
	check_dirs "$@"
	{
		printf '%s' "$dirs"
		[ -z "$groups_errors" ] ||
		    printf 'fail\tgroups\t%s' "${groups_errors#- }"
		for dir do
			walk_dir "$dir" list up plans_entry
		done
		[ "$machine" -eq 0 ] || plans_digests
	} | PERNODE_W=$opt_w awk -v verbose="$verbose" -v machine="$machine" \
	    -f "$libdir/nodeset.awk" -f "$libdir/plans.awk" "$groups" phase=input -
	exit
}

# plans_entry PATH ACTION VERDICT NAME SHOWN WHY: an entry, for plans.awk;
# with --machine, the NAME of one that runs into paths, for its digest.
plans_entry() {
	printf '%s\t%s\t%s\n' "$3" "$5" "$6"
	[ "$machine" -eq 1 ] && [ "$3" = run ] || return 0
	case $4 in
	*"$nl"* | *"$tab"*) ;;	# no digest: cksum would escape the name
	*) paths=$paths$4$nl ;;
	esac
}

# plans_digests: an empty line, then what cksum prints of the paths,
# "CRC SIZE NAME" a line.
plans_digests() {
	printf '\n'
	[ -n "$paths" ] || return 0
	IFS=$nl
	set -f
	# shellcheck disable=SC2086 # one name a line, none holds a newline
	set -- $paths
	set +f
	IFS=" $tab$nl"
	(cd -- "$root" && cksum -- "$@") 2>/dev/null || true
}
