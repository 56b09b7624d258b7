#!/usr/bin/env bats
# pernode-services list --changed and start --changed: the scripts of the
# plan that are new, changed or not ok since this boot's start.

load helpers

setup() {
	pns_setup
	script global/10-a
	script scripts/shared 'echo shared'
	ln -s ../scripts/shared "$ROOT/global/20-link"
	script n059/30-c
}

# changed ARG...: list --changed's names, stdout only.
changed() {
	run -0 --separate-stderr pns "$@" list --changed
}

@test "with no start recorded this boot, --changed is every script of the plan" {
	changed
	[ "$output" = "$(printf 'global/10-a\nglobal/20-link\nn059/30-c')" ]
	run -0 pns start
	sed -i '1s/, boot [^,]*,/, boot 00000000-0000-0000-0000-000000000000,/' "$RUN/status"
	changed
	[ "${#lines[@]}" -eq 3 ]
}

@test "right after a start, nothing has changed: list prints nothing, start runs nothing, says so, and exits 0" {
	run -0 pns start
	cp "$RUN/status" "$BATS_TEST_TMPDIR/before"
	: >"$TRACE"
	changed
	[ -z "$output" ]
	run -0 pns start --changed
	[ "$output" = "pernode-services: nothing changed since this boot's start" ]
	[ ! -s "$TRACE" ]
	cmp "$RUN/status" "$BATS_TEST_TMPDIR/before"
}

@test "new, changed (a link's target too) and failed scripts are chosen, in plan order, and nothing else" {
	script global/15-fails 'exit 3'
	script global/16-slow 'sleep 5'
	chmod 644 "$ROOT/scripts/shared"
	script global/17-off
	PERNODE_TIMEOUT=1 run -1 pns start
	chmod 755 "$ROOT/scripts/shared"
	chmod 644 "$ROOT/global/17-off"
	printf '# edited\n' >>"$ROOT/n059/30-c"
	script global/12-new
	changed
	[ "$output" = "$(printf 'global/12-new\nglobal/15-fails\nglobal/16-slow\nglobal/20-link\nn059/30-c')" ]
	# The link is chosen for its target: its target unchanged, not.
	PERNODE_TIMEOUT=1 run -1 pns start
	printf '# edited\n' >>"$ROOT/scripts/shared"
	changed
	[ "$output" = "$(printf 'global/15-fails\nglobal/16-slow\nglobal/20-link')" ]
}

@test "with -v, list says on stderr why each script is chosen, each other note once" {
	changed -v
	[[ $stderr == *"changed   every script: no whole start of this boot ended to compare with"* ]]
	[ "${#lines[@]}" -eq 3 ]
	printf 'gpu: n059\n' >"$ROOT/groups"
	script global/15-fails 'exit 3'
	run -1 pns start
	script global/12-new
	printf '# edited\n' >>"$ROOT/scripts/shared"
	changed -v
	[ "$output" = "$(printf 'global/12-new\nglobal/15-fails\nglobal/20-link')" ]
	[[ $stderr == *"new       global/12-new: not run since boot"* ]]
	[[ $stderr == *"rerun     global/15-fails: failed in this boot's start"* ]]
	[[ $stderr == *"changed   global/20-link: changed since it ran"* ]]
	[ "$(grep -c '^group     @gpu: n059 is a member$' <<<"$stderr")" -eq 1 ]
}

@test "start --changed runs exactly the chosen scripts and merges into the boot's record" {
	run -0 pns start
	script global/12-new
	printf '# edited\n' >>"$ROOT/n059/30-c"
	: >"$TRACE"
	run -0 pns start --changed
	[ "$(cat "$TRACE")" = "$(printf 'global/12-new start\nn059/30-c start')" ]
	run -0 pns status
	[ "${lines[-1]}" = "pernode-services: last start on n059: 4 run, 0 failed, 2 rerun" ]
	changed
	[ -z "$output" ]
}

@test "a failure in start --changed fails it and shows in status, and the next --changed runs it again" {
	run -0 pns start
	script n059/30-c 'exit 4'
	run -1 pns start --changed
	run -1 pns status
	[[ $output == *"failed    n059/30-c: exit status 4"* ]]
	changed
	[ "$output" = n059/30-c ]
}

@test "after an interrupted start, or reruns of chosen scripts alone, --changed is a whole start" {
	run -0 pns start
	sed -i '$d' "$RUN/status"	# as if killed before its end
	changed
	[ "${#lines[@]}" -eq 3 ]
	rm "$RUN/status"
	run -0 pns start global/10-a
	changed
	[ "${#lines[@]}" -eq 3 ]
	: >"$TRACE"
	run -0 pns start --changed
	[ "$(wc -l <"$TRACE")" -eq 3 ]
	run -0 pns status
	[ "${lines[-1]}" = "pernode-services: last start on n059: 3 run, 0 failed" ]
}

@test "--changed is only for start and list, and takes no SCRIPT: exit 2, naming it" {
	for action in stop restart force-reload status; do
		run -2 pns "$action" --changed
		[ "${lines[0]}" = "pernode-services: --changed is for start and list only" ]
	done
	run -2 pns start --changed 10-a
	[ "${lines[0]}" = "pernode-services: --changed takes no SCRIPT" ]
	[ ! -e "$TRACE" ]
}

@test "one cksum for the whole plan, whatever its size" {
	command -v strace >/dev/null || skip "strace not installed (see tests/deps)"
	local i
	for i in $(seq 100 140); do
		script "global/$i"
	done
	run -0 pns start
	printf '# edited\n' >>"$ROOT/global/120"
	run -0 strace -f -qq -e trace=execve -e signal=none -o "$BATS_TEST_TMPDIR/st" \
	    "${SH[@]}" "$PNS" list --changed
	[ "$output" = global/120 ]
	[ "$(grep -c 'execve("[^"]*/cksum"' "$BATS_TEST_TMPDIR/st")" -eq 1 ]
}

# chooses: changed.awk on a record, a plan and cksum lines of its own
# making: a line of cksum missing (unreadable), one for a name none of
# the plan's (escaped), a record of the version before (no digest).
chooses() {
	{
		printf '# start at x, pid 1, boot b, on n, epoch 1\n'
		printf 'ok\t0\t0.01\tglobal/a\t1-10\t\n'
		printf 'ok\t0\t0.01\tglobal/b b\t2-20\t\n'
		printf 'timed-out\t124\t1.00\tglobal/c\t3-30\tstill running\n'
		printf 'ok\t0\t0.01\tglobal/d\t4-40\t\n'
		printf 'ok\t0\t0.01\tglobal/old\t\n'
		printf '# done: start on n: 5 run, 1 failed\n'
	} >record
	{
		printf 'global/a\tglobal/a\nglobal/b b\tglobal/b b\nglobal/c\tglobal/c\n'
		printf 'global/d\tglobal/d\nglobal/old\tglobal/old\nglobal/\\\\e\tglobal/\\e\n\n'
		printf '1 10 global/a\n2 21 global/b b\n3 30 global/c\n5 40 global/old\n'
		printf '\\5 50 global/\\\\e\n'
	} >input
	[ "$(awk -F '\t' -f "$TOP/scripts/lib/changed.awk" record - <input)" = \
	    "$(printf 'changed\tglobal/b b\tglobal/b b\ntimed-out\tglobal/c\tglobal/c\nchanged\tglobal/d\tglobal/d\nchanged\tglobal/old\tglobal/old\nnew\tglobal/\\\\e\tglobal/\\e')" ]
}

@test "changed.awk chooses alike under mawk, gawk and busybox awk, an unreadable or unmatched script as changed" {
	cd "$BATS_TEST_TMPDIR"
	under_each_awk chooses
}
