#!/usr/bin/env bash
# cluster.sh: simulated compute nodes on one machine, for the end-to-end
# tests and benchmarks.  A node is a UTS + mount + PID namespace with its
# own hostname, its own tmpfs /run, /var/log and /etc/init.d, its own tmpfs
# copies of /etc/passwd and /etc/group (dated long ago, as in an image),
# and the shared state directory bound read-only, as NFS would give it.
#
#   cluster.sh install DIR           the node's init script and its library
#                                    (DIR/image) and the state directory
#                                    (DIR/state), from this tree
#   cluster.sh boot DIR NODE...      boot the nodes at once, in background
#   cluster.sh wait DIR SECONDS      until every node is done booting; after
#                                    SECONDS, name those that are not, and fail
#   cluster.sh enter DIR NODE CMD... CMD in NODE's namespaces (what pdsh -R
#                                    exec and clush -R exec run)
#   cluster.sh down DIR NODE         end one node: it no longer answers
#   cluster.sh halt DIR              end every node, and all it started
#
# A node's boot: the simulated provisioning daemon starts, then
# /etc/init.d/pernode-services start, as init would run it last.  Written
# under DIR/nodes/NODE: "booted T", "done T STATUS" (T from /proc/uptime)
# in times, the daemon's "write BEFORE AFTER" lines in prov (the uptimes
# around its writes), the boot's output in
# console.  The daemon rewrites passwd and group in place a random
# PROV_FIRST (default 1-8) s after boot, then every PROV_EVERY (2-4) s,
# adding the node's account e2e-NODE.  With PROV_SEED set, every boot of a
# node draws the same times (benchmarks compare two runs on one schedule).
set -euo pipefail

top=$(cd "${BASH_SOURCE[0]%/*}/../.." && pwd)
self=$top/tests/e2e/cluster.sh

die() { printf 'cluster.sh: %s\n' "$*" >&2; exit 1; }

uptime_s() { read -r up _ </proc/uptime && printf '%s\n' "$up"; }

# rand LOW HIGH SEED: a random decimal in [LOW, HIGH], to the millisecond.
rand() {
	awk -v lo="$1" -v hi="$2" -v seed="$3" \
	    'BEGIN { srand(seed); printf "%.3f\n", lo + rand() * (hi - lo) }'
}

# The node's part is installed into DIR/image as into a node image.  The
# nodes share this machine's root, with only /etc/init.d their own: the
# init script is pointed at the image's library (LIBDIR, which a node
# booted from the image reads at /usr/lib/pernode-services).
install() {
	local dir=$1
	mkdir -p "$dir/nodes"
	make -s -C "$top" install-node DESTDIR="$dir/image" PREFIX=/usr \
	    STATEDIR="$dir/state" >/dev/null
	sed -i "s|^libdir=.*|libdir=$dir/image/usr/lib/pernode-services|" \
	    "$dir/image/etc/init.d/pernode-services"
	make -s -C "$top" install-state STATEDIR="$dir/state" >/dev/null
}

boot() {
	local dir=$1 node pid leader
	shift
	for node do
		mkdir -p "$dir/nodes/$node/etc"
		unshare --uts --mount --pid --fork --kill-child \
		    --propagation private -- "$self" _init "$dir" "$node" \
		    </dev/null >"$dir/nodes/$node/console" 2>&1 3>&- &
		printf '%s\n' "$!" >"$dir/nodes/$node/unshare"
	done
	# The node's first process, as seen from here, is what enter needs.
	for node do
		pid=$(cat "$dir/nodes/$node/unshare")
		for _ in $(seq 200); do
			leader=$(pgrep -P "$pid" | head -n 1) && break
			sleep 0.05
		done
		[ -n "$leader" ] || die "node $node did not start"
		printf '%s\n' "$leader" >"$dir/nodes/$node/pid"
	done
}

# The node's first process: namespaces are set up here, from inside.
init() {
	local dir=$1 node=$2 etc=$1/nodes/$2/etc
	hostname "$node"
	mount -t proc proc /proc
	mount -t tmpfs -o mode=755 tmpfs /run
	mount -t tmpfs -o mode=755 tmpfs /var/log
	mount -t tmpfs -o mode=755 tmpfs /etc/init.d
	cp "$dir/image/etc/init.d/pernode-services" /etc/init.d/
	mount -t tmpfs -o mode=755 tmpfs "$etc"
	cp /etc/passwd /etc/group "$etc/"
	touch -d '2000-01-01 00:00:00' "$etc/passwd" "$etc/group"
	mount --bind "$etc/passwd" /etc/passwd
	mount --bind "$etc/group" /etc/group
	mount --bind "$dir/state" "$dir/state"
	mount -o remount,bind,ro "$dir/state"
	printf 'booted %s\n' "$(uptime_s)" >"$dir/nodes/$node/times"
	provisiond "$dir/nodes/$node/prov" "$node" &
	status=0
	/etc/init.d/pernode-services start || status=$?
	printf 'done %s %s\n' "$(uptime_s)" "$status" >>"$dir/nodes/$node/times"
	# Up until halted.
	exec sleep infinity
}

# provisiond LOG NODE: rewrite passwd and group in place, as a
# provisioning daemon does, first after PROV_FIRST seconds.
provisiond() {
	local log=$1 node=$2 passwd group seed now
	passwd=$(cat /etc/passwd) group=$(cat /etc/group)
	seed=${PROV_SEED:-$RANDOM$$}${node#n}
	# shellcheck disable=SC2086 # "LOW HIGH", two words on purpose
	sleep "$(rand ${PROV_FIRST:-1 8} "$seed")"
	while :; do
		# The writes fall between the two times: on a busy machine
		# either reading may be late, so the log brackets them.
		now=$(uptime_s)
		printf '%s\ne2e-%s:x:4242:4242::/nonexistent:/usr/sbin/nologin\n' \
		    "$passwd" "$node" >/etc/passwd
		printf '%s\ne2e-%s:x:4242:\n' "$group" "$node" >/etc/group
		printf 'write %s %s\n' "$now" "$(uptime_s)" >>"$log"
		seed=$((seed + 1))
		# shellcheck disable=SC2086 # "LOW HIGH", two words on purpose
		sleep "$(rand ${PROV_EVERY:-2 4} "$seed")"
	done
}

wait_done() {
	local dir=$1 late _ node
	for _ in $(seq $(($2 * 10))); do
		late=''
		for node in "$dir"/nodes/*/; do
			grep -q '^done' "$node/times" 2>/dev/null ||
			    late="$late $(basename "$node")"
		done
		[ -n "$late" ] || return 0
		sleep 0.1
	done
	die "not done after $2 s:$late"
}

enter() {
	local dir=$1 node=$2 pid
	shift 2
	pid=$(cat "$dir/nodes/$node/pid" 2>/dev/null) || die "no node $node"
	# --root: the node's own root, also when this runs in a chroot (entering
	# a mount namespace resets the root to the namespace's).
	exec nsenter -t "$pid" -u -m -p -r -- "$@"
}

down() {
	local dir=$1 node=$2 pid
	pid=$(cat "$dir/nodes/$node/unshare" 2>/dev/null) || die "no node $node"
	kill -KILL "$pid"
	for _ in $(seq 200); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	rm -f "$dir/nodes/$node/unshare" "$dir/nodes/$node/pid"
}

halt() {
	local dir=$1 f pids=()
	for f in "$dir"/nodes/*/unshare; do
		[ -e "$f" ] && pids+=("$(cat "$f")")
	done
	[ ${#pids[@]} -gt 0 ] || return 0
	kill -KILL "${pids[@]}" 2>/dev/null || true
	for _ in $(seq 200); do
		kill -0 "${pids[@]}" 2>/dev/null || break
		sleep 0.05
	done
	rm -f "$dir"/nodes/*/unshare "$dir"/nodes/*/pid
}

case ${1-} in
install) [ $# -eq 2 ] || die "usage: cluster.sh install DIR"; install "$2" ;;
boot) [ $# -ge 3 ] || die "usage: cluster.sh boot DIR NODE..."; shift; boot "$@" ;;
wait) [ $# -eq 3 ] || die "usage: cluster.sh wait DIR SECONDS"; wait_done "$2" "$3" ;;
enter) [ $# -ge 4 ] || die "usage: cluster.sh enter DIR NODE CMD..."; shift; enter "$@" ;;
down) [ $# -eq 3 ] || die "usage: cluster.sh down DIR NODE"; down "$2" "$3" ;;
halt) [ $# -eq 2 ] || die "usage: cluster.sh halt DIR"; halt "$2" ;;
_init) init "$2" "$3" ;;
*) die "usage: cluster.sh install|boot|wait|enter|down|halt DIR ..." ;;
esac
