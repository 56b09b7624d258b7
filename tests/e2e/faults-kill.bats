#!/usr/bin/env bats
# The runner killed outright (kill -9) at 50 random moments of a run: the
# next run always proceeds (no stuck lock), no run starts a script twice,
# and status never claims success for a run that did not finish.

load lib

setup() {
	pns_setup
}

# kscript NAME: a script of the kill test: records "RUNNER-PID NAME".  Its
# parent is the run's watcher, whose parent is the runner.  (Were the
# runner killed before the script reads it, the watcher's parent would
# be another: the script is then counted to no run, which only a run
# killed while it ran could miss.)
kscript() {
	cat >"$ROOT/global/$1" <<-SCRIPT
	#!/bin/sh
	read -r _ _ _ runner _ </proc/\$PPID/stat
	printf '%s %s\n' "\$runner" "$1" >>'$TRACE'
	sleep 0.01
	SCRIPT
	chmod 755 "$ROOT/global/$1"
}

# names_of PID: the scripts run PID ran, in order.
names_of() {
	awk -v p="$1" '$1 == p { print $2 }' "$TRACE"
}

# The pid in the record's first line.
record_pid() {
	sed -n '1s/^# start at .*, pid \([0-9]*\), boot .*/\1/p' "$RUN/status" 2>/dev/null
}

@test "kill -9 at 50 random moments of a 20-script run: no stuck lock, nothing run twice, status never claims the killed run" {
	seed=${FAULT_SEED:-$RANDOM}
	printf '# seed %s (FAULT_SEED=%s to repeat)\n' "$seed" "$seed" >&3
	RANDOM=$seed
	all=$(seq -w 1 20)
	for name in $all; do kscript "$name"; done
	t0=$EPOCHREALTIME
	pns start >/dev/null
	length=$(elapsed "$t0")
	for round in $(seq 50); do
		# A moment from 0 to 120% of a whole run.
		moment=$(awk -v l="$length" -v r="$RANDOM" 'BEGIN { printf "%.3f\n", l * 1.2 * r / 32767 }')
		"${SH[@]}" "$PNS" start >/dev/null 2>&1 3>&- &
		victim=$!
		sleep "$moment"
		killed=no
		! kill -9 "$victim" 2>/dev/null || killed=yes
		wait "$victim" || true
		ran=$(names_of "$victim")
		context="round $round, kill at ${moment}s ($killed); it ran: ${ran//$'\n'/ }"
		# Never twice in one run, and in order.
		[ "$ran" = "$(sort -u <<<"$ran" | sed '/^$/d')" ] || { printf '%s\n' "$context" >&2; return 1; }
		run pns status
		if [ "$(record_pid)" = "$victim" ]; then
			# Success only if it did all its work before the kill.
			if [ "$status" -eq 0 ]; then
				[ "$ran" = "$all" ] || { printf '%s: status 0\n' "$context" >&2; return 1; }
			else
				[ "$status" -eq 1 ] || { printf '%s: status %s\n' "$context" "$status" >&2; return 1; }
			fi
		else
			# Killed before it wrote its record: no script of it ran.
			[ -z "$ran" ] || { printf '%s: no record\n' "$context" >&2; return 1; }
		fi
		was=$status
		# The next run proceeds, runs all 20 once, and says whether the
		# one before it was cut short.
		run --separate-stderr pns start
		[ "$status" -eq 0 ] || { printf '%s: next run: %s %s\n' "$context" "$status" "$stderr" >&2; return 1; }
		next=$(record_pid)
		[ "$(names_of "$next")" = "$all" ] || { printf '%s: next ran %s\n' "$context" "$(names_of "$next")" >&2; return 1; }
		if [ "$was" -eq 1 ]; then
			[[ $stderr == *"the previous start at "*", pid $victim, ended before it finished" ]]
		else
			[ -z "$stderr" ]
		fi
		run -0 pns status
	done
}

