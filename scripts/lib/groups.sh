# shellcheck shell=sh disable=SC3043,SC2154,SC2034
# (Read alone, this file lacks the globals the init script declares and
# the other files set: lint.bats checks it with them, as one program.
# SC3043: local, which all seven shells of the suite have.)
# groups.sh: node groups.  ROOT/groups defines them as ClusterShell's flat
# group files do, "NAME: NODESET" a line, so that @NAME/ holds the scripts
# of the nodes of group NAME (see "Node groups" in pernode-services(8)).
# One awk (groups.awk, over the node-set library nodeset.awk) reads the
# file and tests this node's name, never expanding a set: membership of
# one name is all a boot needs, whatever the size of the groups.  Part of
# pernode-services(8); sourced by the init script.

# load_groups: read ROOT/groups for this node.  Sets groups_of (member
# group names, one a line, byte order), groups_defined, groups_undefined
# and groups_errors ("LINE MESSAGE" a line).  A groups file that is a link
# out of ROOT, or that the ownership check refuses, is one error.
load_groups() {
	local file="$root/groups" gnode='' gshort='' answer=''
	groups_of='' groups_defined='' groups_undefined='' groups_errors=''
	[ -e "$file" ] || [ -L "$file" ] || return 0
	groups_file_check "$file"
	[ -z "$groups_errors" ] || return 0
	# An invalid node name is in no group; a name with dots is also
	# looked for by its first part, as pick_node does.
	[ -z "$node_dir" ] || gnode=$node
	case $gnode in *.*) gshort=${gnode%%.*} ;; esac
	answer=$(awk -v node="$gnode" -v short="$gshort" -v verbose="$verbose" \
	    -f "$libdir/nodeset.awk" -f "$libdir/groups.awk" <"$file") ||
	    groups_errors="- awk could not read it$nl"
	groups_answer "$answer"
}

# groups_file_check FILE: sets groups_errors to why the groups file cannot
# be used at all, as its one error line.
groups_file_check() {
	local target='' shown='' unsafe_why=''
	if [ -L "$1" ] && ! link_target "$1"; then
		groups_errors="- a symbolic link out of ROOT, to $shown; no groups used$nl"
		return
	fi
	if [ ! -f "$1" ]; then
		groups_errors="- not a regular file; no groups used$nl"
	elif [ "$check_perms" = yes ] && find_unsafe -L "$1" -prune; then
		unsafe_why "$1"
		groups_errors="- refused: $unsafe_why; no groups used$nl"
	fi
}

# groups_answer ANSWER: groups.awk's lines, into the groups_* variables.
groups_answer() {
	local item=''
	IFS=$nl
	set -f
	for item in $1; do
		case $item in
		'member '*) groups_of=$groups_of${item#member }$nl ;;
		'defined '*) groups_defined=$groups_defined${item#defined }$nl ;;
		'undefined '*) groups_undefined=$groups_undefined${item#undefined }$nl ;;
		'error '*) groups_errors=$groups_errors${item#error }$nl ;;
		esac
	done
	set +f
	IFS=" $tab$nl"
}

# groups_report FUNCTION ACTION: hand each error of the groups file to
# FUNCTION as a failed entry named groups:LINE; with -v, note what is
# defined without a directory, and the reverse.
groups_report() {
	local item='' name='' why='' shown=''
	# The operand check and --changed report nothing: the walk after does.
	case $1 in find_one | changed_entry) return 0 ;; esac
	IFS=$nl
	set -f
	for item in $groups_errors; do
		IFS=" $tab$nl"
		name=groups:${item%% *} why=${item#* }
		[ "$name" != groups:- ] || name=groups
		shown "$name"
		# (list says it on stderr itself.)
		if [ "$1" = act_one ]; then
			warn "$shown: $why"
			to_log '=== %s: %s\n' "$shown" "$why"
		fi
		"$1" "$root/groups" "$2" fail "$name" "$shown" "$why"
		IFS=$nl
	done
	set +f
	IFS=" $tab$nl"
	[ "$verbose" -eq 0 ] || groups_notes
}

# groups_notes: with -v, what the groups file and the @NAME/ directories
# say of each other.
groups_notes() {
	local g='' dir=''
	IFS=$nl
	set -f
	for g in $groups_of; do
		note group "@$g: $node is a member"
	done
	set +f
	for dir in "$root"/@*; do
		[ -d "$dir" ] || continue
		g=${dir##*/@}
		in_list "$g" "$groups_defined" || note group "@$g/: no definition in ROOT/groups"
	done
	set -f
	for g in $groups_defined; do
		[ -d "$root/@$g" ] || note group "$g: defined, with no directory @$g/"
	done
	for g in $groups_undefined; do
		note group "@$g: referred to, never defined (an empty set)"
	done
	set +f
	IFS=" $tab$nl"
}
