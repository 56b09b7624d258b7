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
	command -v cc >/dev/null || skip "no C compiler (package gcc; see tests/deps)"
	read -ra flags < <(warn_cflags)
	[[ " ${flags[*]} " == *" -std=c99 "* ]]
	run -0 --separate-stderr cc "${flags[@]}" -Werror -O2 \
	    -o "$BATS_TEST_TMPDIR/wfu" src/waitOnFileUpdates.c src/parse.c
	[ -z "$stderr" ]
	run -0 --separate-stderr cc "${flags[@]}" -Werror -O2 \
	    -o "$BATS_TEST_TMPDIR/watch" src/pernode-watch.c
	[ -z "$stderr" ]
}

@test "the C builds without warnings with clang too" {
	command -v clang >/dev/null || skip "clang not installed"
	read -ra flags < <(warn_cflags)
	run -0 --separate-stderr clang "${flags[@]}" -Werror -O2 \
	    -o "$BATS_TEST_TMPDIR/wfu" src/waitOnFileUpdates.c src/parse.c
	[ -z "$stderr" ]
	run -0 --separate-stderr clang "${flags[@]}" -Werror -O2 \
	    -o "$BATS_TEST_TMPDIR/watch" src/pernode-watch.c
	[ -z "$stderr" ]
}

@test "the fuzz target and the test shim compile without warnings" {
	# make fuzz needs clang's libFuzzer to link; compiling is enough to
	# keep the target in step with the parsers it links.
	command -v cc >/dev/null || skip "no C compiler (package gcc; see tests/deps)"
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
	    --enable=warning,performance,portability src/waitOnFileUpdates.c src/parse.c \
	    src/pernode-watch.c
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
		# (The init script is read with its library, below.)
		[ "$f" != scripts/pernode-services ] || continue
		head -n 1 "$f" | grep -qE '^#!.*(/|env )(ba|da)?sh' && files+=("$f")
	done < <(sources)
	[ -f functions ] && files+=(functions)
	files+=(tests/helpers.bash tests/e2e/lib.bash)
	shellcheck -x "${files[@]}"
}

# The init script and its library share their globals and functions, which
# a check of one file at a time would take for unused or unset: they are
# read as the one program they are, the library before main runs.
# SC3043: "local", which all seven shells of the suite have (issue 17).
@test "shellcheck passes on the init script and its library, read as one program" {
	command -v shellcheck >/dev/null || skip "shellcheck not installed"
	{
		sed '$d' scripts/pernode-services
		for f in scripts/lib/*.sh; do
			printf '# --- %s\n' "$f"
			cat "$f"
		done
		printf '# --- the end of scripts/pernode-services\nmain "$@"\n'
	} >"$BATS_TEST_TMPDIR/runner.sh"
	[ "$(tail -n 1 scripts/pernode-services)" = 'main "$@"' ]
	shellcheck -s sh -e SC3043 "$BATS_TEST_TMPDIR/runner.sh"
}

@test "shellcheck passes on the bats files" {
	command -v shellcheck >/dev/null || skip "shellcheck not installed"
	# SC2154: bats itself sets status, output, stderr and their _lines.
	# SC2016: the tests hand code in single quotes to other shells.
	shellcheck -s bash -e SC2154,SC2016 tests/*.bats tests/e2e/*.bats
}

# gawk_lint ARG...: gawk --posix --lint ARG..., the program's own output
# dropped, and on stdout gawk's warnings, but for those about what POSIX
# defines and these programs use on purpose: an element never set, or a
# substring past the end, read as ""; an empty subscript; /dev/stderr
# left to close at exit; and a function of the node-set library that
# this one program does not call.
gawk_lint() {
	gawk --posix --lint "$@" 2>&1 >/dev/null | grep '^gawk: ' |
	    grep -Ev 'reference to uninitialized element|substr: (start index [0-9]+ is past end of string|source string is zero length)|subscript of array .* is null string|no explicit close of file .?/dev/stderr|function .ns_[a-z_]+. defined but never called directly' ||
	    true
}

@test "gawk --posix --lint finds nothing in the awk of scripts/lib, each program run on input that reaches its parts" {
	command -v gawk >/dev/null || skip "gawk not installed (package gawk; see tests/deps)"
	lib=scripts/lib
	cd "$BATS_TEST_TMPDIR"
	cat >groups <<-'EOF'
	# every kind of line and term
	compute: n[001-100]  rack[1-2]n[01-04]
	gpu: n[001-016/3],n099 n1[1-2] n[1-2]0 n%1
	cpu: @compute!@gpu
	odd: @compute&n[001-099/2]^n001 @nowhere
	big: n[99999999999999999990-99999999999999999999/3]
	a: @b
	b: @a,n1
	empty:
	bad: n[1-3
	bad2 n1
	gpu: n1
	bad3: n[5-1]
	bad4: n[01-100],n[1-2][3]
	EOF
	printf 'n1\nn3\nn5\n' >expected
	{
		printf 'n1: run\tstart\tb\t1\t2\tyes\t2\t1\tdone\n'
		printf 'n1: script\tglobal/10-a\tok\t0\t0.01\n'
		printf 'n1: script\tglobal/20-b\tfailed\t137\t0.02\tnew\n'
		printf 'n1: end\t2\n'
		printf 'n2: ssh: Could not resolve hostname n2\n'
		printf 'pdsh@head: n3: command timeout\n'
		printf 'clush: n[4-5/1]: exited with exit code 255\n'
		printf 'garbage\n'
		printf 'n6: run\tstart\tb\t1\t2\tno\t0\t0\tdone\n'
		printf 'n6: end\t0\n'
		printf 'n7: run\tstart\tb\t1\t2\tyes\t0\t1\tfailed\tstate directory /x is missing\n'
		printf 'n7: end\t0\n'
		printf 'n8: script\tx\tok\t0\t1\n'
		printf 'n9: newer\tx\n'
	} >answers
	out=$(
		for v in 0 1; do
			gawk_lint -v node=n005.cluster -v short=n005 -v verbose="$v" \
			    -f "$TOP/$lib/nodeset.awk" -f "$TOP/$lib/groups.awk" groups
		done
		for w in 'n[1-9/2]!n3,x1[1-12],n[01-03]0^n010&n[1-12]' 'n[1-' '@gpu'; do
			PERNODE_W=$w gawk_lint -v mode=expand -v apply=0 -f "$TOP/$lib/nodeset.awk" \
			    -f "$TOP/$lib/report.awk" </dev/null
		done
		PERNODE_TMP=$BATS_TEST_TMPDIR gawk_lint -v mode=report -v nodeset=0 -v compare=1 -v apply=1 -v strict=0 \
		    -v verbose=1 -f "$TOP/$lib/nodeset.awk" -f "$TOP/$lib/report.awk" \
		    phase=expect expected phase=answers answers
		PERNODE_TMP=$BATS_TEST_TMPDIR gawk_lint -v mode=report -v nodeset=0 -v compare=1 -v strict=1 -v apply=0 \
		    -v verbose=1 -f "$TOP/$lib/nodeset.awk" -f "$TOP/$lib/report.awk" \
		    phase=expect expected phase=answers answers
		# plans.awk: the directories of ROOT, then an entry of each
		# verdict, on sets that reach the groups, the dotted names and
		# each refusal.
		{
			printf '%s\n' global @gpu @compute @cpu n001 n002.x
			printf 'fail\tgroups\trefused: writable\n'
			printf 'run\tglobal/10-a\t\n'
			printf 'fail\tglobal/20-b\tbroken symbolic link\n'
			printf 'skip\tglobal/30-c\tnot executable\n'
			printf 'mask\t@gpu/10-a\tmasks this name in less specific directories\n'
			printf 'run\t@compute/10-c\t\n'
			printf 'run\t@cpu/10-c\t\n'
			printf 'mask\tn001/20-b\tmasks this name in less specific directories\n'
			printf 'run\tn002.x/10-n\t\n'
		} >plans
		printf '\n1 2 global/10-a\n3 4 @cpu/10-c\nnot a digest\n' >>plans
		printf 'n001\n\n @cpu \n' >hosts
		for v in 0 1; do
			for w in '@compute,n001.y,n002.x,x[1-3]' '@cpu!n002' 'n[1-' '@nosuch' 'n1!n1' 'global' ^hosts ^nowhere; do
				PERNODE_W=$w gawk_lint -v verbose="$v" -v machine="$v" \
				    -f "$TOP/$lib/nodeset.awk" -f "$TOP/$lib/plans.awk" \
				    groups phase=input plans
			done
		done
		# Any other program: on no input, where a variable never set is
		# no fault, with the library if it uses it.
		for f in "$TOP/$lib"/*.awk; do
			case ${f##*/} in nodeset.awk | groups.awk | report.awk | plans.awk) continue ;; esac
			set -- -f "$f"
			! grep -q 'ns_[a-z]*(' "$f" || set -- -f "$TOP/$lib/nodeset.awk" "$@"
			gawk_lint "$@" </dev/null | grep -v 'reference to uninitialized variable' || true
		done
	)
	[ -z "$out" ] || { printf '%s\n' "$out"; false; }
}
