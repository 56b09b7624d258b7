#!/usr/bin/env bats
# Node group membership, as pernode-services works it out, against
# ClusterShell's own nodeset on random group files (randomgroups.py): for
# every candidate name, the groups whose @NAME/ its plan holds are exactly
# those whose expansion by "nodeset -e" holds it, and a definition nodeset
# refuses is one pernode-services reports.

load lib

setup() {
	pns_setup
	need nodeset clustershell
	need python3
}

# theirs GROUP: nodeset's expansion of @GROUP, one name a line, from
# ROOT/groups read as ClusterShell's own flat group source reads it.
theirs() {
	CLUSTERSHELL_CFGDIR=$BATS_TEST_TMPDIR/conf nodeset -e -S '\n' "@$1"
}

@test "group membership agrees with nodeset -e on a few hundred random definitions" {
	seed=${GROUPS_SEED:-$RANDOM} count=${GROUPS_FILES:-60}
	printf '# seed %s (GROUPS_SEED=%s to repeat)\n' "$seed" "$seed" >&3
	mkdir "$BATS_TEST_TMPDIR/files" "$BATS_TEST_TMPDIR/conf"
	python3 "$E2E/randomgroups.py" "$seed" "$count" "$BATS_TEST_TMPDIR/files"
	cat >"$BATS_TEST_TMPDIR/conf/groups.conf" <<-CONF
	[Main]
	default: test
	[test]
	map: sed -n 's/^\$GROUP:\\(.*\\)/\\1/p' $ROOT/groups
	CONF
	sets=0 names=0
	for ((k = 1; k <= count; k++)); do
		cp "$BATS_TEST_TMPDIR/files/$k.groups" "$ROOT/groups"
		rm -rf "$ROOT"/@*
		: >"$BATS_TEST_TMPDIR/want"
		line=0
		# One definition a line: the line number counts them.
		while IFS=: read -r g _; do
			line=$((line + 1))
			script "@$g/x"
			if theirs "$g" </dev/null >"$BATS_TEST_TMPDIR/set" 2>/dev/null; then
				sed "s|\$| @$g/x|" "$BATS_TEST_TMPDIR/set" >>"$BATS_TEST_TMPDIR/want"
			else
				# Refused by nodeset: reported by us as a bad line.
				run -1 --separate-stderr pns -n nobody list </dev/null
				[[ $stderr == *"would fail: groups:$line: "* ]] ||
				    { printf 'file %s: nodeset refuses %s, we do not\n' "$k" "$g" >&2; return 1; }
			fi
			sets=$((sets + 1))
		done <"$BATS_TEST_TMPDIR/files/$k.groups"
		while read -r cand; do
			want=$(awk -v n="$cand" '$1 == n { print $2 }' "$BATS_TEST_TMPDIR/want" | LC_ALL=C sort)
			got=$(pns -n "$cand" list 2>/dev/null)
			[ "$got" = "$want" ] || {
				printf 'file %s, node %s: we say\n%s\nnodeset says\n%s\n' "$k" "$cand" "$got" "$want" >&2
				cat "$ROOT/groups" >&2
				return 1
			}
			names=$((names + 1))
		done <"$BATS_TEST_TMPDIR/files/$k.candidates"
	done
	printf '# %d group definitions, %d names compared\n' "$sets" "$names" >&3
	[ "$sets" -ge 100 ]
}
