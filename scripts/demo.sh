#!/bin/sh
# make demo: a short tour on a sample tree in a temporary directory; needs
# no cluster and installs nothing.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/src:$PATH
demo=$(mktemp -d "${TMPDIR:-/tmp}/pernode-demo.XXXXXX") || exit 1
trap 'rm -rf "$demo"' EXIT
trap 'exit 130' INT TERM

# show COMMAND...: print COMMAND as typed in the demo directory, run it with
# its output shown live and relative to it, then print its exit status.
show() {
	printf '$ %s\n' "$*" | sed "s|$demo/||g"
	{ "$@" 2>&1; printf '%s\n' "$?" >"$demo/status"; } | sed "s|$demo/||g"
	printf 'exit status %s\n' "$(cat "$demo/status")"
}

if [ -t 1 ]; then bold=$(printf '\033[1m') plain=$(printf '\033[0m'); else bold='' plain=''; fi

say() {
	printf '\n%s== %s%s\n' "$bold" "$*" "$plain"
}

say "A node has booted; its /etc/passwd and /etc/group are the image's, from long ago"
mkdir "$demo/etc"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$demo/etc/passwd"
printf 'root:x:0:\n' >"$demo/etc/group"
touch -d '2000-01-01 00:00:00' "$demo/etc/passwd" "$demo/etc/group"
ls -l --time-style=+%F "$demo/etc"

say "A simulated provisioning daemon will rewrite both in place 3 s from now"
(
	sleep 3
	printf 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n' >"$demo/etc/passwd"
	printf 'root:x:0:\nalice:x:1000:\n' >"$demo/etc/group"
) &

say "A boot script waits for both, since this boot began (here: since now)"
show waitOnFileUpdates -v -t 30 -s 1 0 "$demo/etc/passwd" "$demo/etc/group"
wait

say "With a time limit, a file that never arrives is named"
show waitOnFileUpdates -t 2 60 "$demo/etc/passwd" "$demo/etc/shadow"
