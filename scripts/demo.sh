#!/bin/sh
# make demo: a short tour of pernode-services on a sample state directory in
# a temporary directory.  Needs no cluster, installs nothing, runs as any
# user, and cleans up after itself.
# shellcheck disable=SC2016 # the sample scripts' bodies expand in them
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
demo=$(mktemp -d "${TMPDIR:-/tmp}/pernode-demo.XXXXXX") || exit 1
trap 'rm -rf "$demo"' EXIT
trap 'exit 130' INT TERM

root=$demo/state
export PERNODE_ROOT="$root" PERNODE_LOG="$demo/pernode-services.log"
: >"$demo/config"
export PERNODE_CONFIG="$demo/config"

if [ -t 1 ]; then bold=$(printf '\033[1m') plain=$(printf '\033[0m'); else bold='' plain=''; fi

say() {
	printf '\n%s== %s%s\n' "$bold" "$*" "$plain"
}

# show COMMAND...: print COMMAND as typed, paths shortened to the demo
# directory, run it, and print its real exit status.
show() {
	printf '$ %s\n' "$*" | sed "s|$demo/||g; s|$top/scripts/||g; s|$top/src/||g"
	{ "$@" 2>&1; printf '%s\n' "$?" >"$demo/status"; } | sed "s|$demo/||g"
	printf '(exit status %s)\n' "$(cat "$demo/status")"
}

# script PATH BODY: an executable script in the state directory.
script() {
	mkdir -p "$(dirname "$root/$1")"
	printf '#!/bin/sh\n%s\n' "$2" >"$root/$1"
	chmod 755 "$root/$1"
}

say "A shared state directory, as the nodes mount it"
mkdir -p "$root/bin" "$demo/etc"
cp "$top/functions" "$root/functions"
cp "$top/src/waitOnFileUpdates" "$root/bin/"
script global/10-motd 'echo "node $PERNODE_HOSTNAME: $1"'
script global/20-accounts "
# Wait until the provisioning daemon has rewritten passwd and group since
# the demo began (at boot: pernode_wait_accounts from the functions file).
. \"\$PERNODE_ROOT/functions\"
[ \"\$1\" = start ] || exit 0
waitOnFileUpdates -v -t 15 -s 1 @$(date +%s) '$demo/etc/passwd' '$demo/etc/group' &&
	echo \"accounts are here: \$(wc -l <'$demo/etc/passwd') users\""
script scripts/lustre 'echo "mounting /lustre ($1)"'
script n059/30-gpu 'echo "starting the GPU daemon"'
# A group, as ClusterShell's groups files write them: the nodes that mount
# Lustre share one script through @storage/.
printf '# NAME: NODESET, as in /etc/clustershell/groups.d/local.cfg\nstorage: n[059-060]\n' \
    >"$root/groups"
mkdir -p "$root/@storage" "$root/n060"
ln -s ../scripts/lustre "$root/@storage/40-lustre"
script n060/50-licence 'echo "licence server unreachable" >&2; exit 3'
(cd "$demo" && find state -print | LC_ALL=C sort | sed 's|^|    |')

say "Preview on the master: what each node would run"
show "$top/scripts/pernode-services" -n n059 list
show "$top/scripts/pernode-services" -n n060 list

say "Node n059 boots; a simulated provisioning daemon rewrites its accounts 3 s in"
printf 'root:x:0:0::/root:/bin/sh\n' >"$demo/etc/passwd"
printf 'root:x:0:\n' >"$demo/etc/group"
touch -d '2000-01-01' "$demo/etc/passwd" "$demo/etc/group"
(
	sleep 3
	printf 'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n' >"$demo/etc/passwd"
	printf 'root:x:0:\nalice:x:1000:\n' >"$demo/etc/group"
) &
PERNODE_RUNDIR=$demo/run-n059 show "$top/scripts/pernode-services" -n n059 start
wait

say "What the scripts printed went to the log, not to the console"
sed "s|$demo/||g" "$PERNODE_LOG"

say "Node n060 boots; one of its scripts fails, the others still run"
PERNODE_RUNDIR=$demo/run-n060 show "$top/scripts/pernode-services" -n n060 start

say "Later, over ssh or pdsh: status on each node"
PERNODE_RUNDIR=$demo/run-n059 show "$top/scripts/pernode-services" -n n059 status
PERNODE_RUNDIR=$demo/run-n060 show "$top/scripts/pernode-services" -n n060 status

say "On the head node: every node's last run in one report (n061 never ran)"
# What "pdsh -w 'n[059-061]' pernode-services status --machine" prints.
for node in n059 n060 n061; do
	PERNODE_RUNDIR=$demo/run-$node "$top/scripts/pernode-services" -n "$node" \
	    status --machine | sed "s/^/$node: /"
done >"$demo/answers"
printf '# answers: what pdsh -w %s pernode-services status --machine prints\n' "'n[059-061]'"
show "$top/scripts/pernode-services" report -w 'n[059-061]' "$demo/answers"

say "The licence server is back: rerun that one script on n060, and status is green"
script n060/50-licence 'echo "licence server reached"'
PERNODE_RUNDIR=$demo/run-n060 show "$top/scripts/pernode-services" -n n060 start n060/50-licence
PERNODE_RUNDIR=$demo/run-n060 show "$top/scripts/pernode-services" -n n060 status

say "Side by side: with PERNODE_PARALLEL, the scripts of a level start together"
# n062 waits 2 s for its InfiniBand link and 2 s for its GPUs: both begin
# with 10-, one level, so the two waits overlap.
script n062/10-ib 'sleep 2; echo "InfiniBand link up"'
script n062/10-gpu 'sleep 2; echo "GPUs ready"'
script n062/20-slurm 'echo "slurmd started"'
for f in n062/10-ib n062/10-gpu; do
	printf '    %s: %s\n' "$f" "$(sed -n 2p "$root/$f")"
done
show "$top/scripts/pernode-services" -n n062 -v list
PERNODE_RUNDIR=$demo/run-n062 \
    show env PERNODE_PARALLEL=4 "$top/scripts/pernode-services" -n n062 start
PERNODE_RUNDIR=$demo/run-n062 show "$top/scripts/pernode-services" -n n062 status
printf '# The two 2 s waits overlapped: the start took about 3 s, not 5.\n'
