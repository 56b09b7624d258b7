#!/bin/sh
# tests/deps.sh TARGET: make sure what TARGET (demo, check or bench) needs,
# as listed in tests/deps, is installed.  As root with apt-get or dnf it
# installs what is missing, printing the command it runs; otherwise, or
# with INSTALL_DEPS=no, it prints the command to run and goes on: what
# stays missing makes its tests skip, never fail.  Exits 0 unless TARGET
# is unknown.
set -u

: "${INSTALL_DEPS:=yes}"
list=$(dirname "$0")/deps
prog=deps

case ${1-} in
demo | check | bench) target=$1 ;;
*) printf 'usage: tests/deps.sh demo|check|bench\n' >&2; exit 2 ;;
esac

# present PROBE: true when the tool PROBE stands for is there.
present() {
	case $1 in
	/*) [ -e "$1" ] ;;
	locale:*) have_locale "${1#locale:}" ;;
	*) command -v "$1" >/dev/null 2>&1 ;;
	esac
}

# have_locale NAME: locale -a spells en_US.UTF-8 as en_US.utf8.
have_locale() {
	command -v locale >/dev/null 2>&1 || return 1
	want=$(printf '%s\n' "$1" | sed 's/UTF-8$/utf8/' | tr '[:upper:]' '[:lower:]')
	locale -a 2>/dev/null | tr '[:upper:]' '[:lower:]' | grep -qx "$want"
}

# The packages of the missing tools, for this package manager's column.
missing() {
	while read -r probe need deb rpm; do
		case $probe in '' | '#'*) continue ;; esac
		case $target:$need in
		*:demo | check:check | bench:bench) ;;
		*) continue ;;
		esac
		present "$probe" && continue
		case $column in
		deb) pkg=$deb ;;
		*) pkg=$rpm ;;
		esac
		[ "$pkg" = - ] || printf '%s\n' "$pkg"
	done <"$list" | sort -u | tr '\n' ' '
}

# run COMMAND...: print it, then run it.
run() {
	printf '%s: %s\n' "$prog" "$*" >&2
	"$@"
}

if command -v apt-get >/dev/null 2>&1; then
	column=deb
	install='apt-get install -y -q --no-install-recommends'
elif command -v dnf >/dev/null 2>&1; then
	column=rpm
	# Leave out what this release does not package (posh, say).
	install='dnf install -y -q --setopt=strict=0'
else
	column=none
fi

pkgs=$(missing)
[ -n "$pkgs" ] || exit 0

if [ "$column" = none ]; then
	printf '%s: no apt-get or dnf; install by hand the tools of tests/deps: %s\n' \
	    "$prog" "$pkgs" >&2
	exit 0
fi
if [ "$(id -u)" != 0 ] || [ "$INSTALL_DEPS" = no ]; then
	printf '%s: missing for make %s; as root, run: %s %s\n' "$prog" \
	    "$target" "$install" "${pkgs% }" >&2
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # the command and its packages, one word each
if [ "$column" = deb ]; then
	# A fresh image has no package lists to install from.
	run apt-get update -q >/dev/null &&
	    run $install $pkgs >/dev/null
else
	run $install $pkgs >/dev/null
fi || printf '%s: the install failed; what is still missing is skipped\n' \
    "$prog" >&2

# Debian's locales package generates no locale by itself.
if [ "$target" = check ] && ! have_locale en_US.UTF-8 &&
    command -v localedef >/dev/null 2>&1; then
	run localedef -i en_US -f UTF-8 en_US.UTF-8 ||
	    printf '%s: no en_US.UTF-8 locale; its test is skipped\n' "$prog" >&2
fi

pkgs=$(missing)
if [ -n "$pkgs" ]; then
	printf '%s: still missing, their tests skip: %s\n' "$prog" "$pkgs" >&2
fi
exit 0
