#!/usr/bin/env bash
# image.sh KIND: print the path of a cached Debian root for the end-to-end
# tests, building it with debootstrap first if it is not cached yet.
#   KIND sysv     minbase + sysvinit-core, insserv, cron
#   KIND systemd  minbase + systemd, systemd-sysv, cron
# The mirror and suite are the host's own (its apt sources and
# /etc/os-release); the cache is keyed by suite, architecture and package
# list.  Exit 0 with the path on stdout; 77 when no image can be made here
# (no root, no debootstrap, not a Debian host, the mirror unreachable: the
# caller skips, loudly); 1 on any other failure.
#   PERNODE_E2E_CACHE  the cache (default /var/cache/pernode-services-e2e)
#   PERNODE_E2E_APT    where the apt sources are read (default /etc/apt)
set -euo pipefail

: "${PERNODE_E2E_CACHE:=/var/cache/pernode-services-e2e}"
: "${PERNODE_E2E_APT:=/etc/apt}"

die() { printf 'image.sh: %s\n' "$*" >&2; exit 1; }
unreachable() { printf 'image.sh: %s\n' "$*" >&2; exit 77; }

case ${1-} in
sysv) packages=sysvinit-core,insserv,cron ;;
systemd) packages=systemd,systemd-sysv,dbus,cron ;;
*) die "usage: image.sh sysv|systemd" ;;
esac

[ "$(id -u)" -eq 0 ] || unreachable "needs root (debootstrap)"
command -v debootstrap >/dev/null || unreachable "debootstrap not installed (see tests/deps)"
command -v dpkg >/dev/null || unreachable "no dpkg: not a Debian host"

# shellcheck disable=SC1091 # the host's own
suite=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME-}")
[ -n "$suite" ] || unreachable "no VERSION_CODENAME in /etc/os-release: not a Debian host"
arch=$(dpkg --print-architecture)

# The first source of binary packages that carries SUITE: deb822 files
# first, then one-line sources.list files.
find_mirror() {
	local f
	for f in "$PERNODE_E2E_APT"/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk -v suite="$suite" '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && uri != "")
					{ print uri; found = 1; exit }
				types = suites = uri = ""
			}
			/^[ \t]*$/ { flush(); next }
			/^#/ { next }
			tolower($1) == "types:" { $1 = ""; types = $0 }
			tolower($1) == "suites:" { $1 = ""; suites = $0 }
			tolower($1) == "uris:" { uri = $2 }
			END { if (!found) flush() }' "$f"
	done
	for f in "$PERNODE_E2E_APT"/sources.list "$PERNODE_E2E_APT"/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		# "deb [options] URI SUITE COMPONENTS..."
		awk -v suite="$suite" '
			$1 == "deb" {
				i = 2
				if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ }
				if ($(i + 1) == suite) { print $i; exit }
			}' "$f"
	done
}

mirror=$(find_mirror | head -n 1)
[ -n "$mirror" ] || unreachable "no apt source for $suite in $PERNODE_E2E_APT; cannot build the image"

key=$(printf '%s %s %s minbase %s\n' "$suite" "$arch" "$1" "$packages" |
    sha256sum | cut -c1-16)
dest=$PERNODE_E2E_CACHE/$1-$suite-$key
if [ -d "$dest/root" ]; then
	printf '%s\n' "$dest/root"
	exit 0
fi

if ! wget -q -T 20 -t 2 -O /dev/null "$mirror/dists/$suite/Release"; then
	unreachable "mirror $mirror cannot be reached; cannot build the $1 image"
fi

mkdir -p "$PERNODE_E2E_CACHE"
tmp=$(mktemp -d "$PERNODE_E2E_CACHE/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
printf 'image.sh: building the %s image of %s from %s (cached in %s)\n' \
    "$1" "$suite" "$mirror" "$dest" >&2
if ! debootstrap --variant=minbase --include="$packages" "$suite" \
    "$tmp/root" "$mirror" >"$tmp/log" 2>&1; then
	tail -n 20 "$tmp/log" >&2
	if grep -q 'Failed getting release file\|Couldn.t download' "$tmp/log"; then
		unreachable "downloads from $mirror failed"
	fi
	die "debootstrap failed (log above)"
fi
rm -f "$tmp/log"
# A rename, so that a half-built root is never taken for a cached one.
mv "$tmp" "$dest"
trap - EXIT
printf '%s\n' "$dest/root"
