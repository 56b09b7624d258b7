# shellcheck shell=sh disable=SC3043,SC2154,SC2034
# (Read alone, this file lacks the globals the init script declares and
# the other files set: lint.bats checks it with them, as one program.
# SC3043: local, which all seven shells of the suite have.)
# plan.sh: which scripts this node runs, in which order, and the verdict
# on each: the node's name and directory, the one walker of the plan
# (for_each, for start, stop and list alike) and the one judge of an
# entry (classify).  Part of pernode-services(8); sourced by the init
# script.

# note WORD TEXT: with -v, a line of the report on what is not run; list
# writes it to stderr, keeping its output to names.
note() {
	[ "$verbose" -eq 1 ] || return 0
	if [ "$action" = list ]; then
		printf '%-9s %s\n' "$1" "$2" >&2
	else
		printf '%-9s %s\n' "$1" "$2"
	fi
}

# valid_node NAME: a node name that can be a host name (letters, digits,
# "-", "_" and dots between them, as ClusterShell's node names), and so
# can only ever name one directory directly under ROOT, none of the state
# directory's own.
valid_node() {
	case $1 in
	'' | [!A-Za-z0-9_]* | *[!A-Za-z0-9_.-]* | *. | *..* | \
	    global | scripts | bin | functions | groups) return 1 ;;
	esac
	[ "${#1}" -le 253 ]
}

# plan: the plan, once the state directory is there and trusted; a run
# that cannot begin is refused, and recorded as failed (refuse_run exits).
plan() {
	# (The wait first: which node directory there is, for a name with
	# dots, is known only once the state directory is there.)
	case $action in
	start | restart | force-reload) wait_root ;;
	esac
	pick_node
	[ -n "$run_refused" ] || check_root
	if [ -n "$run_refused" ]; then
		case $action in
		list) die "$EXIT_CONFIG" "$run_refused" ;;
		stop) refuse_run stop ;;
		*) refuse_run start ;;
		esac
	fi
	PERNODE_ROOT=$root PERNODE_HOSTNAME=$node
	export PERNODE_ROOT PERNODE_HOSTNAME
	load_groups
	find_masks
	note_case
	check_chosen
	[ "$changed" -eq 0 ] || changed_plan
}

# pick_node: the node's name and directory.  A name that cannot be a host
# name (from uname, PERNODE_HOSTNAME or the config: -n was checked with the
# arguments) refuses the run: the node's own scripts would silently not
# run.
pick_node() {
	local shown='' short=''
	node_dir=''
	[ -n "$node" ] || [ -n "${opt_node+set}" ] || node=$(uname -n)
	if ! valid_node "$node"; then
		shown "$node"
		run_refused="node name '$shown' cannot be a host name"
		return
	fi
	if [ ! -d "$root/$node" ]; then
		case $node in
		*.*)
			short=${node%%.*}
			valid_node "$short" && [ -d "$root/$short" ] && node=$short
			;;
		esac
	fi
	node_dir=$root/$node
}

# note_case: with -v, a node with no directory of its own, when one
# differs from its name in case only (N059/ for n059): likely a typo, and
# the node runs the global scripts alone.  One awk for any number of names.
note_case() {
	local dir='' other='' shown=''
	[ "$verbose" -eq 1 ] && [ -n "$node_dir" ] && [ ! -d "$node_dir" ] ||
	    return 0
	set +f
	for dir in "$root"/*/; do
		dir=${dir%/}
		printf '%s\n' "${dir##*/}"
	done | awk -v node="$node" -f "$libdir/samecase.awk" | {
		while IFS= read -r other; do
			shown "$other"
			note node "$node: no directory $node/, but $shown/ differs only in case"
		done
	}
}

# classify PATH DIR_STATE DIR_WHY: the one judge of an entry, whose
# verdict list, start and stop act on.  Sets verdict to run, skip, mask (a
# link to /dev/null) or fail, and why; DIR_STATE and DIR_WHY are
# check_dir's on its directory.
classify() {
	local link=no target=''
	verdict=fail
	case ${1##*/} in
	.* | *~ | *.rpmsave | *.rpmnew | *.rpmorig | *.dpkg-* | *.swp)
		verdict=skip why='ignored name'
		return
		;;
	esac
	if [ -L "$1" ]; then
		link=yes
		classify_link "$1" || return 0
	fi
	if [ ! -f "$1" ]; then
		verdict=skip why='not a regular file'
	elif [ ! -x "$1" ]; then
		verdict=skip why='not executable'
	elif [ "$2" = unsafe ]; then
		why="refused: its directory is $3"
	elif [ "$check_perms" = no ] || trusted_entry "$1" "$2" "$link" "$target"; then
		verdict=run
	fi
}

# classify_link PATH: the part of classify for a symbolic link; sets
# target (a trailing newline of it kept: readlink's output ends in a
# sentinel), and returns 1 with the verdict when the link decides it.
classify_link() {
	local shown=''
	if [ ! -e "$1" ]; then
		why='broken symbolic link'
		return 1
	fi
	link_target "$1" && return 0
	if [ "$target" = /dev/null ]; then
		verdict=mask why='masks this name in less specific directories'
	else
		why="symbolic link out of ROOT, to $shown"
	fi
	return 1
}

# trusted_entry PATH DIR_STATE LINK TARGET: whether the ownership rules
# pass an entry whose directory is safe or mixed; else sets why.  The
# directory of a link's target is checked once a run for a row of links
# into it (safe_target_dir).
trusted_entry() {
	local unsafe_why=''
	if [ "$3" = yes ] && [ "${4%/*}" != "$safe_target_dir" ]; then
		if find_unsafe "${4%/*}/." -prune; then
			unsafe_why "${4%/*}"
			why="refused: the directory of its target is $unsafe_why"
			return 1
		fi
		safe_target_dir=${4%/*}
	fi
	if { [ "$2" = mixed ] || [ "$3" = yes ]; } && find_unsafe -L "$1" -prune; then
		unsafe_why "$1"
		why="refused: $unsafe_why"
		return 1
	fi
}

# for_each ACTION ORDER FUNCTION: the one walker of the plan.  It calls
# FUNCTION PATH ACTION VERDICT NAME SHOWN WHY for every entry of the
# directories to run, least specific first: global, then the groups'
# (@NAME) in byte order of NAME, then the node's, names ascending (ORDER
# up); or all that in reverse (ORDER down).
for_each() {
	local act="$1" order="$2" fn="$3" g='' dir='' n=0
	set -- "$root/global"
	IFS=$nl
	set -f
	for g in $groups_of; do
		set -- "$@" "$root/@$g"
	done
	set +f
	IFS=" $tab$nl"
	[ -z "$node_dir" ] || set -- "$@" "$node_dir"
	groups_report "$fn" "$act"
	check_dirs "$@"
	n=$#
	# Down, the directories go in reverse before themselves; the walk
	# ends after the first n.
	if [ "$order" = down ]; then
		for dir do
			set -- "$dir" "$@"
		done
	fi
	for dir do
		walk_dir "$dir" "$act" "$order" "$fn"
		n=$((n - 1))
		[ "$n" -gt 0 ] || break
	done
}

# walk_dir DIR ACTION ORDER FUNCTION: every entry of one directory of the
# plan.
walk_dir() {
	local level=group real_dir='' name='' shown='' dir_state='' dir_why=''
	[ -d "$1" ] || return 0
	case $1 in
	"$root/global") level=global ;;
	"$node_dir") level=node ;;
	esac
	# A directory of ROOT that is no link is in real ROOT: no subshell.
	real_dir=$real_root/${1##*/}
	[ ! -L "$1" ] || real_dir=$(cd -P -- "$1" && pwd -P)
	case $real_dir in
	"$real_root"/*) ;;
	*)
		name=${1#"$root"/}/
		shown "$name"
		# Its scripts cannot be told apart: no SCRIPT names one.
		[ "$nchosen" -gt 0 ] || "$4" "$1" "$2" fail "$name" "$shown" \
		    "refused: directory out of ROOT, at $real_dir"
		return 0
		;;
	esac
	check_dir "$1"
	each_in "$1" "$3" "$2" "$4" "$level" "$dir_state" "$dir_why"
}

# each_in DIR ORDER ACTION FUNCTION LEVEL DIR_STATE DIR_WHY: visit each
# entry of DIR.  Descending, the names are joined with "/", the one byte
# no name can hold, in reverse as they come, and split once.  Each name
# still copies the string built so far, but that is one copy of bytes,
# where prepending to "$@" would rebuild every argument each time: at
# 3,000 names, stop costs what start does (BENCHMARKS.md).
each_in() {
	local dir="$1" act="$3" fn="$4" level="$5" state="$6" dir_why="$7"
	local path='' base='' reversed=''
	if [ "$2" = up ]; then
		for path in "$dir"/*; do
			visit "$path" "$act" "$fn" "$level" "$state" "$dir_why"
		done
		return
	fi
	for path in "$dir"/*; do
		reversed=${path##*/}/$reversed
	done
	set -f
	IFS=/
	# shellcheck disable=SC2086 # split at the slashes, on purpose
	set -- $reversed
	IFS=" $tab$nl"
	set +f
	for base do
		visit "$dir/$base" "$act" "$fn" "$level" "$state" "$dir_why"
	done
}

# visit PATH ACTION FUNCTION LEVEL DIR_STATE DIR_WHY: classify an entry,
# apply the masks and the SCRIPT operands, and hand it on.
visit() {
	local name='' shown='' verdict='' why=''
	[ -z "$caught" ] || return 0
	case $1 in
	*/\*) [ -e "$1" ] || [ -L "$1" ] || return 0 ;;	# an empty directory
	esac
	case $1 in
	"$root"/*) ;;
	*) die "$EXIT_FAILED" "internal error: '$1' is not under ROOT" ;;
	esac
	name=${1#"$root"/}
	classify "$1" "$5" "$6"
	case $name in
	*[!\ -~]* | *\\*) shown "$name" ;;
	*) shown=$name ;;
	esac
	if [ -n "$mask_node$mask_group" ] && [ "$verdict" != skip ]; then
		masked_by "${1##*/}" "$4"
	fi
	if [ "$nchosen" -gt 0 ] && ! is_chosen "$name"; then
		return 0
	fi
	"$3" "$1" "$2" "$verdict" "$name" "$shown" "$why"
}

# masked_by BASE LEVEL: a more specific directory masks this entry's name
# (sets verdict and why).
masked_by() {
	case $2 in
	global)
		if in_list "$1" "$mask_node"; then
			verdict=mask why="masked by $node/$1"
		elif in_list "$1" "$mask_group"; then
			verdict=mask why="masked by a group's @NAME/$1"
		fi
		;;
	group)
		! in_list "$1" "$mask_node" || verdict=mask why="masked by $node/$1"
		;;
	esac
}

# find_masks: the names that symbolic links to /dev/null mask, in
# mask_node (from the node's directory: they mask global and group
# entries) and mask_group (from the groups' directories: they mask global
# entries only).
find_masks() {
	local entry='' g=''
	mask_node='' mask_group=''
	if [ -n "$node_dir" ] && [ -d "$node_dir" ]; then
		for entry in "$node_dir"/*; do
			! is_mask "$entry" || mask_node=$mask_node${entry##*/}$nl
		done
	fi
	IFS=$nl
	set -f
	for g in $groups_of; do
		set +f
		for entry in "$root/@$g"/*; do
			! is_mask "$entry" || mask_group=$mask_group${entry##*/}$nl
		done
		set -f
	done
	set +f
	IFS=" $tab$nl"
}

# is_mask PATH: a symbolic link to /dev/null (the tests are builtins; only
# a link to a character device costs a readlink).
is_mask() {
	[ -L "$1" ] && [ -c "$1" ] || return 1
	[ "$(readlink -f -- "$1")" = /dev/null ]
}

# in_list NAME LIST: whether NAME is a line of LIST.
in_list() {
	case $nl$2 in
	*"$nl$1$nl"*) return 0 ;;
	esac
	return 1
}

# is_chosen NAME: whether a SCRIPT operand names it, as NAME or as its
# last component.  (Quoted patterns match literally.)
is_chosen() {
	case $nl$chosen in
	*"$nl$1$nl"* | *"$nl${1##*/}$nl"*) return 0 ;;
	esac
	return 1
}

# check_chosen: the SCRIPT operands must each name an entry of this node's
# plan that would run or fail (a typo, another node's script or a
# disabled one is a usage error, which says why a masked or skipped one
# does not run): nothing runs until all do.
check_chosen() {
	local found="$nl" unfit="$nl" wanted="$chosen" want='' why='' shown=''
	[ "$nchosen" -gt 0 ] || return 0
	for_each list up find_one
	while [ -n "$wanted" ]; do
		want=${wanted%%"$nl"*}
		wanted=${wanted#*"$nl"}
		case $found in
		*"$nl$want$nl"*) continue ;;
		esac
		shown "$want"
		case $unfit in
		*"$nl$want$tab"*)
			why=${unfit#*"$nl$want$tab"}
			usage_error "SCRIPT '$shown' does not run on ${node:-this node}: ${why%%"$nl"*}"
			;;
		esac
		usage_error "SCRIPT '$shown' is not in the plan of ${node:-this node}"
	done
}

# find_one PATH ACTION VERDICT NAME SHOWN WHY: for check_chosen, which
# holds found and unfit.
find_one() {
	case $3 in
	run | fail) found=$found$4$nl${4##*/}$nl ;;
	*) unfit=$unfit$4$tab$6$nl${4##*/}$tab$6$nl ;;
	esac
}

# list_all: the names of the scripts that would run, one a line.
list_all() {
	for_each list up list_one
	[ "$failed" -eq 0 ]
}

# list_one PATH ACTION VERDICT NAME SHOWN WHY
list_one() {
	case $3 in
	run)
		[ "$verbose" -eq 0 ] || list_level "$4"
		printf '%s\n' "$4"
		;;
	fail) warn "would fail: $5: $6"; failed=$((failed + 1)) ;;
	skip) note skipped "$5: $6" ;;
	mask) note masked "$5: $6" ;;
	esac
}
