#!/usr/bin/env bats
# pernode-services status --machine: the last run as lines a program reads.

load helpers

setup() {
	pns_setup
	script global/10-a
	script n059/20-fails 'exit 3'
}

# field LINE N: the Nth tab-separated field of LINE.
field() {
	printf '%s\n' "$1" | cut -f "$2"
}

@test "one run line, one line per script, an end line with their count; exit as status" {
	t0=$(date +%s)
	run -1 pns start
	run -1 --separate-stderr pns status --machine
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[3]}" = "end	2" ]
	[ "$(field "${lines[0]}" 1-2)" = "run	start" ]
	[ "$(field "${lines[0]}" 6-9)" = "yes	2	1	done" ]
	start=$(field "${lines[0]}" 4) end=$(field "${lines[0]}" 5)
	[ "$start" -ge "$t0" ] && [ "$end" -ge "$start" ] && [ "$end" -le $(($(date +%s) + 1)) ]
	[ "$(field "${lines[1]}" 1-4)" = "script	global/10-a	ok	0" ]
	[ "$(field "${lines[2]}" 1-4)" = "script	n059/20-fails	failed	3" ]
	[[ $(field "${lines[2]}" 5) =~ ^[0-9]+\.[0-9][0-9]$ ]]
	[ -z "$stderr" ]
}

# digest FILE: what cksum(1) says of FILE, as "CRC-SIZE".
digest() {
	local crc size
	read -r crc size _ < <(cksum <"$1")
	printf '%s-%s\n' "$crc" "$size"
}

@test "each script line ends with the digest cksum gives of what ran, a link's target's; an entry that did not run has -" {
	mkdir -p "$ROOT/scripts"
	script scripts/shared 'echo shared'
	ln -s ../scripts/shared "$ROOT/global/30-link"
	ln -s /nonexistent "$ROOT/global/40-broken"
	run -1 pns start
	run -1 --separate-stderr pns status --machine
	[ "$(field "${lines[1]}" 2,6)" = "global/10-a	$(digest "$ROOT/global/10-a")" ]
	[ "$(field "${lines[2]}" 2,6)" = "global/30-link	$(digest "$ROOT/scripts/shared")" ]
	[ "$(field "${lines[3]}" 2,3,6)" = "global/40-broken	failed	-" ]
	[ "$(field "${lines[4]}" 2,6)" = "n059/20-fails	$(digest "$ROOT/n059/20-fails")" ]
	[ "$(digest "$ROOT/global/10-a")" != "$(digest "$ROOT/scripts/shared")" ]
	# status reads a record of the version before, which has no digest.
	awk -F '\t' -v OFS='\t' '/^# / { print; next } { print $1, $2, $3, $4, $6 }' \
	    "$RUN/status" >"$RUN/old" && mv "$RUN/old" "$RUN/status"
	run -1 --separate-stderr pns status --machine
	[ "$(field "${lines[1]}" 2-6)" = "global/10-a	ok	0	$(field "${lines[1]}" 5)	-" ]
	run -1 pns status
	[[ $output == *"failed    global/40-broken: broken symbolic link"* ]]
}

@test "a green run exits 0; no run recorded prints a run line of state none and exits 3" {
	run -3 pns status --machine
	[ "$output" = "run	-	-	-	-	no	0	0	none	-
end	0" ]
	# An empty record is none too, as status says.
	mkdir -p "$RUN"
	: >"$RUN/status"
	run -3 pns status --machine
	[ "$output" = "run	-	-	-	-	no	0	0	none	-
end	0" ]
	run -3 pns status
	rm "$RUN/status"
	rm "$ROOT/n059/20-fails"
	run -0 pns start
	run -0 pns status --machine
	[ "$(field "${lines[0]}" 9)" = 'done' ]
}

@test "a run from an earlier boot says so and exits 3" {
	run -1 pns start
	sed -i '1s/, boot [^,]*,/, boot 00000000-0000-0000-0000-000000000000,/' "$RUN/status"
	run -3 pns status --machine
	[ "$(field "${lines[0]}" 3)" = 00000000-0000-0000-0000-000000000000 ]
	[ "$(field "${lines[0]}" 6)" = no ]
}

@test "a run killed outright is unfinished; one in progress is running, exit 4" {
	slow_run
	run -4 pns status --machine
	[ "$(field "${lines[0]}" 9)" = running ]
	kill -9 "$pid"
	wait "$pid" || true
	run -1 pns status --machine
	[ "$(field "${lines[0]}" 9)" = unfinished ]
	[ "$(field "${lines[0]}" 5)" = - ]
	touch "$BATS_TEST_TMPDIR/go"
}

@test "names are escaped, one line each, and a rerun's record reads the same" {
	script "global/30-new
line"
	run -1 pns start
	run -1 pns status --machine
	[ "${#lines[@]}" -eq 5 ]
	[[ ${lines[2]} == "script	global/30-new\\nline	ok	0	"* ]]
	[ "${lines[4]}" = "end	3" ]
	run -0 pns start global/10-a
	run -1 pns status --machine
	[ "${#lines[@]}" -eq 5 ]
	[ "$(field "${lines[0]}" 7-9)" = "3	1	done" ]
}

@test "--machine is for status and list -w only" {
	run -2 --separate-stderr pns start --machine
	[[ $stderr == *"--machine is for status and list -w only"* ]]
	[ -z "$(trace)" ]
}
