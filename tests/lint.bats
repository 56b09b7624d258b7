#!/usr/bin/env bats
# Static checks: strict compiler warnings, cppcheck, mandoc and shellcheck.

load helpers

setup() {
	common_setup
	cd "$TOP" || return 1
}

# The warning flags, from their one home in the Makefile.
warn_cflags() {
	sed -n 's/^WARN_CFLAGS = //p' Makefile
}

# The project's own files, as a checkout or an unpacked tarball has them.
sources() {
	find . -path ./.git -prune -o -path ./tests/fuzz/findings -prune -o \
	    -type f -print | sed 's|^\./||' | LC_ALL=C sort
}

@test "the C builds without warnings under the Makefile's strict flags with gcc" {
	read -ra flags < <(warn_cflags)
	[[ " ${flags[*]} " == *" -std=c99 "* ]]
	run -0 --separate-stderr cc "${flags[@]}" -Werror -O2 \
	    -o "$BATS_TEST_TMPDIR/wfu" src/waitOnFileUpdates.c src/parse.c
	[ -z "$stderr" ]
}

@test "the C builds without warnings with clang too" {
	command -v clang >/dev/null || skip "clang not installed"
	read -ra flags < <(warn_cflags)
	run -0 --separate-stderr clang "${flags[@]}" -Werror -O2 \
	    -o "$BATS_TEST_TMPDIR/wfu" src/waitOnFileUpdates.c src/parse.c
	[ -z "$stderr" ]
}

@test "the fuzz target and the test shim compile without warnings" {
	# make fuzz needs clang's libFuzzer to link; compiling is enough to
	# keep the target in step with the parsers it links.
	read -ra flags < <(warn_cflags)
	run -0 --separate-stderr cc "${flags[@]}" -Werror -c \
	    -o "$BATS_TEST_TMPDIR/parse.o" tests/fuzz/parse.c
	[ -z "$stderr" ]
	run -0 --separate-stderr cc -Wall -Wextra -Werror -fPIC -c \
	    -o "$BATS_TEST_TMPDIR/statfail.o" tests/e2e/statfail.c
	[ -z "$stderr" ]
}

@test "cppcheck finds nothing in the C" {
	command -v cppcheck >/dev/null || skip "cppcheck not installed"
	cppcheck --quiet --error-exitcode=1 --std=c99 \
	    --enable=warning,performance,portability src/waitOnFileUpdates.c src/parse.c
}

@test "every man page is clean under mandoc -T lint" {
	command -v mandoc >/dev/null || skip "mandoc not installed"
	pages=$(sources | grep -E '\.[1-8]$')
	[ -n "$pages" ]
	for page in $pages; do
		out=$(mandoc -T lint -W warning "$page" 2>&1) ||
		    { printf '%s\n' "$out"; false; }
		[ -z "$out" ] || { printf '%s\n' "$out"; false; }
	done
}

@test "shellcheck passes on every shell file" {
	command -v shellcheck >/dev/null || skip "shellcheck not installed"
	files=()
	while IFS= read -r f; do
		case $f in *.bats|*.md|*.c|*.[1-8]) continue ;; esac
		head -n 1 "$f" | grep -qE '^#!.*(/|env )(ba|da)?sh' && files+=("$f")
	done < <(sources)
	[ -f functions ] && files+=(functions)
	files+=(tests/helpers.bash tests/e2e/lib.bash)
	shellcheck -x "${files[@]}"
}

@test "shellcheck passes on the bats files" {
	command -v shellcheck >/dev/null || skip "shellcheck not installed"
	# SC2154: bats itself sets status, output, stderr and their _lines.
	# SC2016: the tests hand code in single quotes to other shells.
	shellcheck -s bash -e SC2154,SC2016 tests/*.bats tests/e2e/*.bats
}
