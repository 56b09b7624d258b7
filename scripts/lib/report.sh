# shellcheck shell=sh disable=SC3043,SC2154,SC2034
# (local: every shell the init script runs under has it.  libdir and
# initdir: the init script's, see below.  apply_dry and apply_yes, set
# by the options here, are read in apply.sh.)
# report.sh: "pernode-services report", the head node's view of every
# node's last run.  It folds what "pernode-services status --machine"
# printed on many nodes, gathered by pdsh or clush ("NODE: FIELDS"), into
# one line a verdict, each with its nodes as a ClusterShell node set.
# With -w and no FILE it runs the fan-out itself.  Head-node work only:
# the boot never reads this file.  See "Seeing every node" in
# pernode-services(8).
#
# Sourced by the init script, which then calls report_main ARG... and
# exits with its status.  From the init script: prog, warn, die,
# EXIT_USAGE, EXIT_CONFIG, initdir (where the nodes keep the runner, as
# this node does) and libdir (this directory).  The fold is awk, beside
# this file: nodeset.awk (node sets) and report.awk (the answers, the
# report).  This file only defines functions, each named report_*, and
# its variables are named report_*, so that it can leave the init
# script's alone.

# === Messages ================================================================

report_usage() {
	if [ "$report_mode" = apply ]; then
		printf 'usage: %s [-n] [-y] [-v] [-w NODESET] [-f FANOUT] [-t SECONDS] [-R RCMD] [FILE | -]\n' \
		    "$prog"
	else
		printf 'usage: %s [-v] [-w NODESET] [-f FANOUT] [-t SECONDS] [-R RCMD] [FILE | -]\n' \
		    "$prog"
	fi
}

# report_usage_error MESSAGE: as the init script's usage_error, with the
# usage of report.
report_usage_error() {
	warn "$*"
	report_usage >&2
	exit "$EXIT_USAGE"
}

# === Settings ================================================================

# report_settings: the settings, from the environment else by default,
# and the state of the shell and of the awk that report needs.
report_settings() {
	prog="pernode-services $report_mode"
	# The runner on the nodes, as words, before status --machine or
	# start --changed; PERNODE_REPORT_COMMAND replaces report's whole.
	: "${PERNODE_REMOTE:=$initdir/pernode-services}"
	: "${PERNODE_REPORT_COMMAND:=$PERNODE_REMOTE status --machine}"
	: "${PERNODE_REPORT_TIMEOUT:=30}"
	# clush or pdsh; by default clush if installed, else pdsh.
	: "${PERNODE_REPORT_TOOL:=}"
	IFS=' 	
'
	LC_ALL=C
	export LC_ALL
}

# === Arguments ===============================================================

# report_positive NAME VALUE: refuse VALUE unless it is a positive whole
# number of at most 9 digits.
report_positive() {
	case $2 in
	'' | *[!0-9]* | 0*) report_usage_error "$1 '$2' is not a positive whole number" ;;
	esac
	[ "${#2}" -le 9 ] || report_usage_error "$1 '$2' is too large"
}

# report_parse_args ARG...: the options into report_verbose, report_w
# (report_have_w 1 when -w was given), report_fanout, report_timeout and
# report_rcmd; the FILE into report_input.
report_parse_args() {
	local opt=''
	report_verbose=0 report_w='' report_have_w=0 report_fanout=''
	report_timeout=$PERNODE_REPORT_TIMEOUT report_rcmd='' apply_dry=0 apply_yes=0
	OPTIND=1
	while getopts ':vw:f:t:R:hny' opt; do
		report_option "$opt" "${OPTARG-}"
	done
	shift "$((OPTIND - 1))"
	[ "$#" -le 1 ] || report_usage_error "more than one FILE"
	report_input=${1-}
	if [ -z "$report_input" ] && [ "$report_have_w" -eq 0 ]; then
		report_usage_error "give -w NODESET, or the FILE (or -) to read"
	fi
	if [ "$report_have_w" -eq 1 ] && [ -z "$report_w" ]; then
		report_usage_error "empty NODESET"
	fi
	report_positive PERNODE_REPORT_TIMEOUT "$report_timeout"
}

# report_option OPT OPTARG: one option, as getopts gave it.
report_option() {
	case $1 in
	v) report_verbose=1 ;;
	w) report_w=$2 report_have_w=1 ;;
	f) report_positive FANOUT "$2"; report_fanout=$2 ;;
	t) report_positive SECONDS "$2"; report_timeout=$2 ;;
	R) report_rcmd=$2 ;;
	h) report_usage; exit 0 ;;
	n | y)
		[ "$report_mode" = apply ] || report_usage_error "unknown option '-$1'"
		if [ "$1" = n ]; then apply_dry=1; else apply_yes=1; fi
		;;
	:) report_usage_error "option -$2 needs a value" ;;
	*)
		# (posh says "?" for a missing value too.)
		case $2 in
		[wftR]) report_usage_error "option -$2 needs a value" ;;
		esac
		report_usage_error "unknown option '-$2'"
		;;
	esac
}

# report_check_input: a FILE that can be read, and no directory.
report_check_input() {
	case $report_input in
	'' | -) return 0 ;;
	esac
	[ -r "$report_input" ] ||
	    die "$EXIT_USAGE" "cannot read FILE '$report_input'"
	[ ! -d "$report_input" ] ||
	    die "$EXIT_USAGE" "FILE '$report_input' is a directory"
}

# === The fan-out =============================================================

# report_expected: the names of NODESET, one a line, on stdout: by
# nodeset(1) if installed (report_nodeset 1), else by the awk.
report_expected() {
	[ "$report_have_w" -eq 1 ] || return 0
	if [ "$report_nodeset" -eq 1 ]; then
		nodeset -e -S '\n' -- "$report_w" ||
		    die "$EXIT_USAGE" "bad node set '$report_w'"
	else
		PERNODE_W=$report_w awk -v mode=expand -v apply=0 -f "$libdir/nodeset.awk" \
		    -f "$libdir/report.awk" </dev/null || exit "$EXIT_USAGE"
	fi
}

# report_pick_tool: the fan-out tool into report_tool, clush if
# installed, else pdsh.
report_pick_tool() {
	local candidate=''
	report_tool=$PERNODE_REPORT_TOOL
	case $report_tool in
	clush | pdsh)
		command -v "$report_tool" >/dev/null ||
		    die "$EXIT_CONFIG" "PERNODE_REPORT_TOOL '$report_tool' is not installed"
		;;
	'')
		# (Not the loop's variable as the result: yash keeps that local
		# to the function.)
		for candidate in clush pdsh; do
			if command -v "$candidate" >/dev/null; then
				report_tool=$candidate
				break
			fi
		done
		[ -n "$report_tool" ] ||
		    die "$EXIT_CONFIG" "-w needs clush or pdsh, and neither is installed"
		;;
	*) die "$EXIT_CONFIG" "PERNODE_REPORT_TOOL '$report_tool' is neither clush nor pdsh" ;;
	esac
}

# report_fan_out HOSTS FILE WORDS: every node's answer to the command
# WORDS (split into words) on the nodes of HOSTS, both streams: the lines
# of pdsh or clush about unreachable nodes are part of the picture.  pdsh
# reads names and ranges, not steps, operators or groups: a set with
# those is handed to it as the names in FILE ("^FILE").
report_fan_out() {
	local hosts="$1" words="$3"
	if [ "$report_tool" = pdsh ]; then
		case $hosts in
		*/* | *!* | *'&'* | *^* | *@* | *' '* | *'	'*) hosts="^$2" ;;
		esac
	fi
	case $report_tool in
	clush) set -- clush -n -w "$hosts" -u "$report_timeout" ;;
	pdsh) set -- pdsh -w "$hosts" -u "$report_timeout" ;;
	esac
	[ -z "$report_fanout" ] || set -- "$@" -f "$report_fanout"
	[ -z "$report_rcmd" ] || set -- "$@" -R "$report_rcmd"
	# The command as words, not globbed: pdsh -R exec runs its argv as
	# given, where ssh and clush would join the words with spaces anyway.
	set -f
	# shellcheck disable=SC2086 # split into words on purpose, see above
	"$@" $words </dev/null 2>&1
}

# === Main ====================================================================

# report_tmpdir: a temporary directory, report_tmp, removed on exit;
# the awk finds it as PERNODE_TMP.
report_tmpdir() {
	report_tmp=$(mktemp -d "${TMPDIR:-/tmp}/pernode-report.XXXXXX") ||
	    die "$EXIT_CONFIG" "cannot make a temporary directory"
	trap 'rm -rf -- "$report_tmp"' EXIT
	PERNODE_TMP=$report_tmp
	export PERNODE_TMP
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# report_compare: report_compare 1 when the plans can be read here, for
# behind() (report.awk): one run of the runner on an empty FILE of nodes,
# which exits 2 for the FILE once the state directory is found usable,
# 6 when it is not.  With -v, why not.  Where it is not, no answer line
# is kept for a comparison that cannot be made.
report_compare() {
	local why='' status=0
	why=$("$PERNODE_SELF" --machine -w ^/dev/null list 2>&1 >/dev/null) || status=$?
	report_compare=0
	if [ "$status" -eq 2 ]; then
		report_compare=1
	elif [ "$report_verbose" -eq 1 ]; then
		printf '%s: not compared with the scripts now: %s\n' "$prog" \
		    "${why%%"$nl"*}" >&2
	fi
}

# report_fold: the report, from the fan-out or the FILE; its status is
# the awk's.
report_fold() {
	report_compare
	set -- awk -v mode=report -v nodeset="$report_nodeset" -v compare="$report_compare" \
	    -v apply=0 -v strict=0 -v verbose="$report_verbose" -f "$libdir/nodeset.awk" \
	    -f "$libdir/report.awk" phase=expect "$report_tmp/expected" phase=answers
	if [ -z "$report_input" ]; then
		report_fan_out "$report_w" "$report_tmp/expected" \
		    "$PERNODE_REPORT_COMMAND" | "$@" -
	elif [ "$report_input" = - ]; then
		"$@" -
	else
		# (./ so that a FILE named like an assignment is read as a file.)
		case $report_input in
		/*) "$@" "$report_input" ;;
		*) "$@" "./$report_input" ;;
		esac
	fi
}

# report_main report|apply ARG...
report_main() {
	report_mode=$1
	shift
	report_settings
	report_parse_args "$@"
	report_nodeset=0
	if command -v nodeset >/dev/null && [ "${PERNODE_NODESET-}" != no ]; then
		report_nodeset=1
	fi
	report_check_input
	if [ -z "$report_input" ] ||
	    { [ "$report_mode" = apply ] && [ "$apply_dry" -eq 0 ]; }; then
		report_pick_tool
	fi
	report_tmpdir
	# The runner itself, for the plans now (report.awk, behind()).
	case $0 in
	/*) PERNODE_SELF=$0 ;;
	*) PERNODE_SELF=$PWD/$0 ;;
	esac
	export PERNODE_SELF
	report_expected >"$report_tmp/expected" || exit
	if [ "$report_mode" = apply ]; then
		apply_main
	else
		report_fold
	fi
}
