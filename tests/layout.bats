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

@test "the library is beside the init script, and a missing file is one line and exit 6" {
	mkdir -p "$BATS_TEST_TMPDIR/copy"
	cp -R scripts/pernode-services scripts/lib "$BATS_TEST_TMPDIR/copy/"
	rm "$BATS_TEST_TMPDIR/copy/lib/plan.sh"
	run -6 --separate-stderr sh "$BATS_TEST_TMPDIR/copy/pernode-services" list
	[ "$stderr" = "pernode-services: library $BATS_TEST_TMPDIR/copy/lib/plan.sh is missing" ]
}
