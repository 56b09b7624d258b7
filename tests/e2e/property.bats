#!/usr/bin/env bats
# A property test: for 200 random state directories (tests/e2e/randomtree.py
# builds them and their expected outcome from a model of the rules), list
# prints exactly the eligible names in byte order and start runs each of
# them exactly once, in that order.

load lib

setup() {
	pns_setup
	command -v python3 >/dev/null || skip "python3 not installed (apt-get install python3)"
	[ "$(id -u)" -eq 0 ] || skip "needs root: the model is that of a run as root"
}

@test "for 200 random directories, list is the eligible names in byte order and start runs each once, in order" {
	seed=${PROPERTY_SEED:-$RANDOM}
	printf '# seed %s (PROPERTY_SEED=%s to repeat)\n' "$seed" "$seed" >&3
	python3 "$E2E/randomtree.py" "$seed" 200 "$BATS_TEST_TMPDIR/trees"
	for k in $(seq 200); do
		t=$BATS_TEST_TMPDIR/trees/$k
		fails=$(cat "$t/fails")
		want=0
		[ "$fails" -eq 0 ] || want=1
		export PERNODE_ROOT=$t/root
		rm -rf "$RUN"
		# list
		status=0
		pns list >"$t/listed" 2>"$t/list.err" || status=$?
		cmp -s "$t/listed" "$t/expected" && [ "$status" -eq "$want" ] &&
		    [ "$(grep -c 'would fail' "$t/list.err")" -eq "$fails" ] || {
			printf 'tree %s (seed %s): list exited %s, fails %s\n' "$k" "$seed" "$status" "$fails" >&2
			diff <(od -c "$t/expected") <(od -c "$t/listed") >&2
			cat "$t/list.err" >&2
			return 1
		}
		# start: the trace holds "$0" of each script run, in order.
		status=0
		pns start >"$t/started" 2>&1 || status=$?
		[ "$status" -eq "$want" ] &&
		    cmp -s <(sed "s|^$t/root/||" "$t/trace" 2>/dev/null) "$t/expected" || {
			printf 'tree %s (seed %s): start exited %s, want %s\n' "$k" "$seed" "$status" "$want" >&2
			diff <(od -c "$t/expected") <(sed "s|^$t/root/||" "$t/trace" 2>/dev/null | od -c) >&2
			cat "$t/started" >&2
			return 1
		}
	done
}
