#!/usr/bin/env bats
# tests/e2e/image.sh: the mirror is the host's own, and one that cannot be
# reached makes the image tests skip (exit 77) with a message naming it.

load lib

setup() {
	common_setup
	e2e_need_root
	command -v debootstrap >/dev/null || skip "debootstrap not installed (apt-get install debootstrap)"
	# shellcheck disable=SC1091 # the host's own
	suite=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME-}")
	[ -n "$suite" ] || skip "not a Debian host"
	export PERNODE_E2E_CACHE=$BATS_TEST_TMPDIR/cache PERNODE_E2E_APT=$BATS_TEST_TMPDIR/apt
	mkdir -p "$PERNODE_E2E_APT/sources.list.d"
}

# Port 9 on loopback: nothing listens there, so the fetch fails at once.
DEAD=http://127.0.0.1:9/debian

@test "a deb822 source for the host's suite is the mirror; unreachable, it exits 77 naming it" {
	cat >"$PERNODE_E2E_APT/sources.list.d/debian.sources" <<-SOURCES
	Types: deb-src
	URIs: http://127.0.0.1:9/not-this
	Suites: $suite
	Components: main

	Types: deb
	URIs: $DEAD
	Suites: $suite $suite-updates
	Components: main
	SOURCES
	run -77 --separate-stderr "$E2E/image.sh" sysv
	[ "$stderr" = "image.sh: mirror $DEAD cannot be reached; cannot build the sysv image" ]
	[ -z "$output" ]
	# Nothing half-built is left to be taken for a cached image.
	[ -z "$(ls -A "$PERNODE_E2E_CACHE" 2>/dev/null)" ]
}

@test "a one-line source with options is read too" {
	printf 'deb [arch=amd64 signed-by=/k.gpg] %s %s main\n' "$DEAD" "$suite" \
	    >"$PERNODE_E2E_APT/sources.list"
	run -77 --separate-stderr "$E2E/image.sh" systemd
	[ "$stderr" = "image.sh: mirror $DEAD cannot be reached; cannot build the systemd image" ]
}

@test "no source for the host's suite: exit 77, saying so" {
	printf 'deb %s some-other-suite main\n' "$DEAD" >"$PERNODE_E2E_APT/sources.list"
	run -77 --separate-stderr "$E2E/image.sh" sysv
	[ "$stderr" = "image.sh: no apt source for $suite in $PERNODE_E2E_APT; cannot build the image" ]
}

@test "an unknown kind of image is a usage error" {
	run -1 --separate-stderr "$E2E/image.sh" gentoo
	[ "$stderr" = "image.sh: usage: image.sh sysv|systemd" ]
}
