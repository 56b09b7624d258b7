# shellcheck shell=sh disable=SC3043,SC2154
# (local: every shell the init script runs under has it.  The report_*
# functions and variables: report.sh's.)
# apply.sh: "pernode-services apply", on the head node: a change to the
# state directory applied to exactly the nodes it concerns.  It gathers
# every node's answer as report does, works out from the plans now
# (report.awk, apply_plan) what "start --changed" would run on each node,
# prints that folded, and, once confirmed, runs "start --changed" on
# exactly those nodes through clush or pdsh, then reports on every node,
# counting one still behind as not ok.  See "Applying a change" in
# pernode-services(8).  Sourced with report.sh; apply_main is called by
# report_main once the options, the tool and the temporary directory are
# set.

# apply_gather: every node's answer, from the fan-out or the FILE.
apply_gather() {
	if [ -z "$report_input" ]; then
		report_fan_out "$report_w" "$report_tmp/expected" \
		    "$PERNODE_REPORT_COMMAND"
	else
		cat -- "$report_input"
	fi
}

# apply_awk APPLY STRICT: report.awk over the expected names and the
# answers in report_tmp/answers: what would run (APPLY 1), or the report
# with the nodes behind not ok (STRICT 1).
apply_awk() {
	awk -v mode=report -v nodeset="$report_nodeset" -v compare=1 \
	    -v apply="$1" -v strict="$2" -v verbose="$report_verbose" \
	    -f "$libdir/nodeset.awk" \
	    -f "$libdir/report.awk" phase=expect "$report_tmp/expected" \
	    phase=answers "$report_tmp/answers"
}

# apply_confirm COUNT SET: go on with -y, or when the administrator says
# so on the terminal; else exit, 2 when there is no terminal to ask.
apply_confirm() {
	local answer=''
	[ "$apply_yes" -eq 0 ] || return 0
	if [ ! -t 0 ] || [ ! -t 2 ]; then
		warn "nothing run: no terminal to ask; give -y to apply"
		exit "$EXIT_USAGE"
	fi
	printf '%s: run start --changed on %s node(s), %s? [y/N] ' \
	    "$prog" "$1" "$2" >&2
	IFS= read -r answer || answer=''
	case $answer in
	y | Y | yes | Yes | YES) return 0 ;;
	esac
	warn "nothing run"
	exit "$EXIT_FAILED"
}

apply_main() {
	local status=0 count='' set='' expected=''
	apply_gather >"$report_tmp/answers"
	apply_awk 1 0 || status=$?
	case $status in
	0 | 1) ;;
	3) exit "$EXIT_FAILED" ;;	# no node answered: not even -n is ok
	*) exit "$status" ;;
	esac
	count=$(grep -c . "$report_tmp/apply-hosts") || count=0
	IFS= read -r set <"$report_tmp/apply-set" || set=''
	[ "$count" -gt 0 ] || printf '%s: nothing to apply\n' "$prog" >&2
	[ "$apply_dry" -eq 0 ] || exit 0
	[ "$count" -gt 0 ] || exit "$status"
	apply_confirm "$count" "$set"
	report_fan_out "$set" "$report_tmp/apply-hosts" \
	    "$PERNODE_REMOTE start --changed" >"$report_tmp/applied"
	[ "$report_verbose" -eq 0 ] || cat -- "$report_tmp/applied" >&2
	# Then every node again, as report: the set of -w, else every node
	# that answered.
	if [ "$report_have_w" -eq 1 ]; then
		set=$report_w expected=$report_tmp/expected
	else
		IFS= read -r set <"$report_tmp/all-set" || set=''
		expected=$report_tmp/apply-all
		cp -- "$expected" "$report_tmp/expected"
	fi
	printf '%s: applied; now:\n' "$prog"
	report_fan_out "$set" "$expected" "$PERNODE_REPORT_COMMAND" \
	    >"$report_tmp/answers"
	apply_awk 0 1
}
