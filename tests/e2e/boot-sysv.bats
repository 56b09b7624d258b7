#!/usr/bin/env bats
# A Debian image with sysvinit and insserv, the .deb installed by dpkg, and
# node n059 booted through the image's own /etc/init.d/rc 2.

load lib

setup_file() {
	if ! e2e_need_root || ! e2e_image sysv || ! e2e_debs; then
		file_skipping
		return
	fi
	e2e_layer
	e2e_probe
	e2e_state
	state_script global/10-first 'printf "cron %s\n" "$(pidof cron)" >>/var/log/e2e.trace'
	state_script global/20-second
	state_script n059/10-own
	state_script scripts/shared
	ln -s ../scripts/shared "$STATE/n059/30-shared"
	state_script n059/40-fails 'exit 3'
	state_script n060/10-other
	export IMAGE LAYER PROBE STATE
}

setup() {
	common_setup
}

# The start scripts of runlevel N, as "NN NAME" lines.
start_links() {
	in_image "cd /etc/rc$1.d && ls S*" | sed 's/^S\([0-9][0-9]\)\(.*\)/\1 \2/'
}

@test "dpkg -i registers pernode-services in runlevels 2 to 5 and stops it in 0, 1 and 6" {
	run -0 in_image 'cd /etc && ls rc?.d/[SK]??pernode-services'
	[ "$(printf '%s\n' "$output" | sed 's/[0-9][0-9]/NN/')" = "rc0.d/KNNpernode-services
rc1.d/KNNpernode-services
rc2.d/SNNpernode-services
rc3.d/SNNpernode-services
rc4.d/SNNpernode-services
rc5.d/SNNpernode-services
rc6.d/KNNpernode-services" ]
}

@test "insserv starts pernode-services last in runlevels 2 to 5, beside only other \$all scripts" {
	for level in 2 3 4 5; do
		links=$(start_links "$level")
		ours=$(printf '%s\n' "$links" | sed -n 's/ pernode-services$//p')
		[ -n "$ours" ]
		# No start script comes after it.
		[ "$(printf '%s\n' "$links" | sort -n | tail -n 1 | cut -c1-2)" = "$ours" ]
		# A script sharing its step is one that asks for $all as well (on
		# Debian, rc.local): insserv can order nothing after those.
		printf '%s\n' "$links" | while read -r nn name; do
			[ "$nn" = "$ours" ] && [ "$name" != pernode-services ] || continue
			in_image "grep -q '^# Required-Start:.*\\\$all' /etc/init.d/$name" || {
				printf 'S%s%s shares the last step without $all\n' "$nn" "$name" >&2
				return 1
			}
		done
	done
}

@test "insserv stops pernode-services first in runlevels 0 and 6, before what it needs" {
	for level in 0 6; do
		run -0 in_image "cd /etc/rc$level.d && ls K*"
		ours=$(printf '%s\n' "$output" | sed -n 's/^K\([0-9][0-9]\)pernode-services$/\1/p')
		[ "$ours" = 01 ]
	done
	run -0 in_image 'cat /etc/init.d/.depend.stop'
	depend=$output
	# Nothing has to stop before it; sendsigs, which kills every process,
	# and the unmounting of remote file systems wait for it.
	run ! grep -q '^pernode-services:' <<<"$depend"
	grep -q '^sendsigs:.* pernode-services\( \|$\)' <<<"$depend"
	grep -q '^umountnfs.sh:.* pernode-services\( \|$\)' <<<"$depend"
}

@test "booting n059 through rc 2 runs its scripts once each, in order, after every other service" {
	boot_sysv n059 '/etc/init.d/rc 2 >/var/log/e2e.rc 2>&1'
	trace=$(node_file /var/log/e2e.trace)
	printf '%s\n' "$trace"
	[ "$(grep '^run ' <<<"$trace")" = "run global/10-first start
run global/20-second start
run n059/10-own start
run n059/30-shared start
run n059/40-fails start" ]
	# Every other start script of the runlevel ran and ended before the
	# first of ours began, but rc.local, which insserv runs at our step.
	others=$(start_links 2 | awk '$2 != "pernode-services" { print $2 }')
	first=$(grep -n '^run ' <<<"$trace" | head -n 1 | cut -d: -f1)
	for name in $others; do
		grep -qx "begin $name start" <<<"$trace"
		[ "$name" != rc.local ] || continue
		end=$(grep -nx "end $name start" <<<"$trace" | cut -d: -f1)
		[ -n "$end" ] && [ "$end" -lt "$first" ]
	done
	# cron was running when the first script ran.
	grep -qx 'cron [0-9][0-9]*' <<<"$trace"
}

@test "after the boot, status names the failed script and exits 1" {
	boot_sysv n059 '/etc/init.d/rc 2 >/dev/null 2>&1
		/etc/init.d/pernode-services status >/var/log/e2e.status 2>&1
		printf "%s\n" $? >>/var/log/e2e.status'
	node_file /var/log/e2e.status
	[ "$(tail -n 1 "$NODE_FS/var/log/e2e.status")" = 1 ]
	grep -q '^failed  *n059/40-fails: exit status 3' "$NODE_FS/var/log/e2e.status"
	grep -q 'last start on n059: 5 run, 1 failed' "$NODE_FS/var/log/e2e.status"
	# The scripts' output and the report went to the node's log.
	grep -q '^=== pernode-services start at .* on n059$' "$NODE_FS/var/log/pernode-services.log"
}

@test "a node without a directory of its own runs the global scripts and reports success" {
	boot_sysv n061 '/etc/init.d/rc 2 >/dev/null 2>&1
		/etc/init.d/pernode-services status >/var/log/e2e.status 2>&1
		printf "%s\n" $? >>/var/log/e2e.status'
	[ "$(grep '^run ' "$NODE_FS/var/log/e2e.trace")" = "run global/10-first start
run global/20-second start" ]
	[ "$(tail -n 1 "$NODE_FS/var/log/e2e.status")" = 0 ]
}

@test "before the first start of a boot, status says none was recorded and exits 3" {
	boot_sysv n059 '/etc/init.d/pernode-services status >/var/log/e2e.status 2>&1
		printf "%s\n" $? >>/var/log/e2e.status'
	[ "$(cat "$NODE_FS/var/log/e2e.status")" = "pernode-services: no start recorded since boot
3" ]
}

@test "an administrator's rerun after the boot runs every script once more, and stop runs them in reverse" {
	boot_sysv n059 '/etc/init.d/rc 2 >/dev/null 2>&1
		: >/var/log/e2e.trace
		/etc/init.d/pernode-services start >/var/log/e2e.rerun 2>&1
		printf "start %s\n" $? >>/var/log/e2e.rerun
		/etc/init.d/pernode-services stop >>/var/log/e2e.rerun 2>&1
		printf "stop %s\n" $? >>/var/log/e2e.rerun'
	[ "$(grep '^run ' "$NODE_FS/var/log/e2e.trace")" = "run global/10-first start
run global/20-second start
run n059/10-own start
run n059/30-shared start
run n059/40-fails start
run n059/40-fails stop
run n059/30-shared stop
run n059/10-own stop
run global/20-second stop
run global/10-first stop" ]
	grep -qx 'start 1' "$NODE_FS/var/log/e2e.rerun"
	grep -qx 'stop 1' "$NODE_FS/var/log/e2e.rerun"
}
