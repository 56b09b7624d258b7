#!/usr/bin/env bats
# The structure's rules (docs/CONTRIBUTING.md): a thin init script, short
# functions, and no awk program inside a shell file.

load helpers

setup() {
	common_setup
	cd "$TOP" || return 1
}

# The shell files: the init script, its library, functions, the demo.
shell_files() {
	files=(scripts/pernode-services functions scripts/lib/*.sh scripts/demo.sh)
}

@test "the init script is at most 400 lines" {
	run -0 wc -l <scripts/pernode-services
	[ "$output" -le 400 ]
}

@test "no shell function is longer than 50 lines" {
	shell_files
	run -0 awk '
		/^[A-Za-z_][A-Za-z0-9_]*\(\) *\{/ { fn = $1; start = FNR }
		fn != "" && /^}/ {
			if (FNR - start + 1 > 50)
				printf "%s: %s is %d lines\n", FILENAME, fn, FNR - start + 1
			fn = ""
		}' "${files[@]}"
	[ -z "$output" ]
}

@test "a function found by that check is one it would report" {
	# The check above must be able to fail: a 51-line function.
	{
		printf 'long() {\n'
		for _ in $(seq 49); do printf '\t:\n'; done
		printf '}\n'
	} >"$BATS_TEST_TMPDIR/long.sh"
	run -0 awk '/^[A-Za-z_][A-Za-z0-9_]*\(\) *\{/ { fn = $1; start = FNR }
		fn != "" && /^}/ { if (FNR - start + 1 > 50) print fn; fn = "" }' \
	    "$BATS_TEST_TMPDIR/long.sh"
	[ "$output" = "long()" ]
}

@test "every awk a shell file runs reads its program from a .awk file" {
	shell_files
	# Each command that calls awk (its continued lines joined) must name
	# its program with -f.
	local f
	output=$(for f in "${files[@]}"; do
		sed -e :a -e '/\\$/N; s/\\\n//; ta' "$f" | sed "s|^|$f: |"
	done)
	run -0 grep -E '(: |[|;&(]|then|do)[[:space:]]*awk[[:space:]]' <<<"$output"
	bad=$(printf '%s\n' "$output" | grep -v -- '-f "\$libdir/[a-z]*\.awk"' || true)
	[ -z "$bad" ] || { printf '%s\n' "$bad"; false; }
	run ! grep -nE "awk[[:space:]]+'" "${files[@]}"
}

# copy: the init script and its library in a directory of their own.
copy() {
	copy=$BATS_TEST_TMPDIR/copy
	mkdir -p "$copy"
	cp -R scripts/pernode-services scripts/lib "$copy/"
}

@test "each file of the library missing is one line naming it and exit 6, before anything runs" {
	local f action
	for f in scripts/lib/*; do
		f=${f##*/}
		copy
		rm "$copy/lib/$f"
		case $f in
		report.* | apply.sh) action=report ;;
		*) action=list ;;
		esac
		run -6 --separate-stderr sh "$copy/pernode-services" "$action" - </dev/null
		[ "$stderr" = "pernode-services: library $copy/lib/$f is missing" ] ||
		    { printf '%s: %s\n' "$f" "$stderr"; false; }
		rm -rf "$copy"
	done
}

@test "run from a checkout not yet built, start says to run make there, exit 6" {
	local tree=$BATS_TEST_TMPDIR/tree
	mkdir -p "$tree/scripts" "$tree/root/global"
	cp -R scripts/pernode-services scripts/lib "$tree/scripts/"
	: >"$BATS_TEST_TMPDIR/config"
	run -6 --separate-stderr sh "$tree/scripts/pernode-services" -r "$tree/root" -n n1 \
	    -c "$BATS_TEST_TMPDIR/config" start
	[ "$stderr" = "pernode-services: library $tree/src/pernode-watch is missing (run make in $tree)" ]
}

@test "run by a relative path, through a link or by its bare name, it finds its library" {
	copy
	mkdir -p "$BATS_TEST_TMPDIR/root/@g" "$BATS_TEST_TMPDIR/root/global" "$BATS_TEST_TMPDIR/bin"
	: >"$BATS_TEST_TMPDIR/config"
	printf 'g: n1\n' >"$BATS_TEST_TMPDIR/root/groups"
	printf '#!/bin/sh\n' >"$BATS_TEST_TMPDIR/root/@g/10-a"
	chmod 755 "$BATS_TEST_TMPDIR/root/@g/10-a"
	ln -s "$copy/pernode-services" "$BATS_TEST_TMPDIR/bin/pns"
	cd "$BATS_TEST_TMPDIR"
	for way in copy/pernode-services bin/pns ./pernode-services; do
		[ "$way" != ./pernode-services ] || cd "$copy"
		run -0 sh "${way#./}" -r "$BATS_TEST_TMPDIR/root" -n n1 -c "$BATS_TEST_TMPDIR/config" list
		[ "$output" = "@g/10-a" ] || { printf '%s: %s\n' "$way" "$output"; false; }
	done
}
