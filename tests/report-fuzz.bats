#!/usr/bin/env bats
# The fold of report on hostile input: random bytes, answers cut at any
# byte, lines shuffled across nodes and dropped.  It must never crash or
# hang, never call a node ok that did not give a whole answer, and never
# let one node's bad answer change another's verdict.  FUZZ_SEED=N
# repeats a run.

load helpers

setup() {
	common_setup
	: "${FUZZ_SEED:=$RANDOM}"
	printf '# FUZZ_SEED=%s\n' "$FUZZ_SEED" >&3
	export PERNODE_NODESET=no
}

# whole NODE [FAILS]: NODE's whole answer, with FAILS (a script name) failed.
whole() {
	local failed=0 second="global/20-b	ok	0"
	if [ -n "${2-}" ]; then
		failed=1 second="$2	failed	5"
	fi
	printf '%s: run\tstart\tb\t1\t2\tyes\t2\t%d\tdone\n' "$1" "$failed"
	printf '%s: script\tglobal/10-a\tok\t0\t0.01\n' "$1"
	printf '%s: script\t%s\t0.02\n' "$1" "$second"
	printf '%s: end\t2\n' "$1"
}

# report_of FILE: report on FILE, stdout and stderr apart, within 20 s.
report_of() {
	run --separate-stderr timeout 20 "$PNS" report "$1"
	[ "$status" -eq 0 ] || [ "$status" -eq 1 ]
}

@test "random bytes, with and without newlines, never crash or hang the fold" {
	for i in $(seq 40); do
		awk -v seed="$((FUZZ_SEED + i))" 'BEGIN {
			srand(seed)
			n = int(rand() * 4000)
			for (k = 0; k < n; k++) {
				r = rand()
				if (r < 0.05) printf "\n"
				else if (r < 0.10) printf "\t"
				else if (r < 0.15) printf ": "
				else if (r < 0.20) printf "n%d", int(rand() * 9)
				else printf "%c", 1 + int(rand() * 255)
			}
		}' >bytes
		run -1 --separate-stderr timeout 20 "$PNS" report bytes
		# Every complaint is one line of ours, and no node is ok.
		if grep -v '^pernode-services report: ' <<<"$stderr" ||
		    grep '^ok ' <<<"$output"; then
			printf 'seed %d\n' "$((FUZZ_SEED + i))"
			return 1
		fi
	done
	# NUL bytes, and a line of 3 MB with no newline at all.
	{ whole n1; printf 'n2: r\0un\tx\n\0\0\n'; head -c 3000000 /dev/zero | tr '\0' x; } >bytes
	run -1 --separate-stderr timeout 20 "$PNS" report bytes
	[[ ${lines[0]} =~ ^ok\ +1\ \ n1$ ]]
	# (n2's line is no answer, but what it said: "?" for its NUL.)
	[[ ${lines[1]} =~ ^no\ answer:\ r\?un\ x\ +1\ \ n2$ ]]
	[[ $stderr == *'2 lines not of the form NODE: FIELDS, first line 6: "??"'* ]]
}

@test "an answer cut at any byte is never reported ok for the node cut" {
	{ whole n1; whole n2; } >full
	size=$(wc -c <full)
	last=$(($(wc -c < <(whole n1)) + $(wc -c < <(whole n2 | sed '$d'))))
	for cut in $(seq 0 $((size - 1))); do
		head -c "$cut" full >part
		report_of part
		ok=$(sed -n 's/^ok  *[0-9]*  //p' <<<"$output")
		if [ "$cut" -lt "$last" ]; then
			# n2's end line is not whole: n2 is not ok.
			[ "$ok" != 'n[1-2]' ] && [ "$ok" != n2 ] || {
				printf 'cut at %d: %s\n' "$cut" "$output"
				return 1
			}
		fi
	done
	report_of full
	[ "$status" -eq 0 ]
	[[ $output =~ ^ok\ +2\ \ n\[1-2\]$ ]]
}

@test "shuffled, dropped and mangled lines of some nodes leave every other node's verdict as it was" {
	for i in $(seq 20); do
		for n in $(seq 30); do
			case $((n % 7)) in
			0) whole "n$n" global/30-c ;;
			*) whole "n$n" ;;
			esac
		done >clean
		report_of clean
		printf '%s\n' "$output" >clean.out
		# Spoil the answers of a few nodes at random (drop, cut, mangle,
		# repeat a line), then interleave every node's lines at random
		# as pdsh does, keeping each node's own order.
		awk -v seed="$((FUZZ_SEED + i))" 'BEGIN { srand(seed) }
		{
			node = substr($0, 1, index($0, ":") - 1)
			if (!(node in fate))
				fate[node] = rand() < 0.2 ? 1 + int(rand() * 4) : 0
			line = $0
			if (fate[node] == 1 && rand() < 0.5) next
			if (fate[node] == 2 && rand() < 0.5) line = substr(line, 1, int(rand() * length(line)))
			if (fate[node] == 3 && rand() < 0.5) gsub(/\t/, " ", line)
			if (fate[node] == 4 && rand() < 0.5) lines[node] = lines[node] line "\n"
			lines[node] = lines[node] line "\n"
		}
		END {
			for (node in fate) if (fate[node]) print node > "spoiled"
			for (node in lines) printf "%s", lines[node] > ("by-node." node)
		}' clean
		: >>spoiled
		# Interleave: take a line from a random node until all are empty.
		awk -v seed="$((FUZZ_SEED + i))" 'BEGIN { srand(seed) }
		{ buf[FILENAME, ++n[FILENAME]] = $0; files[FILENAME] = 1 }
		END {
			for (f in files) { live[++nl] = f; at[f] = 1 }
			while (nl > 0) {
				k = 1 + int(rand() * nl); f = live[k]
				print buf[f, at[f]++]
				if (at[f] > n[f]) live[k] = live[nl--]
			}
		}' by-node.* >mixed
		rm -f by-node.*
		report_of mixed
		# Every node not spoiled keeps the verdict it had.
		verdicts <clean.out | grep -vFf <(sed 's/$/	/' spoiled) >was || true
		printf '%s\n' "$output" | verdicts | grep -vFf <(sed 's/$/	/' spoiled) >now || true
		[ "$(wc -l <was)" -ge $((30 - $(wc -l <spoiled))) ]
		diff was now || {
			printf 'seed %d\n' "$((FUZZ_SEED + i))"
			return 1
		}
		# And no spoiled node is ok unless its answer stayed whole.
		rm -f spoiled
	done
}

# verdicts: from a report of nodes n1..nN on stdin, "NODE<tab>LABEL" for
# each node of each line (expanding "n[1-3,7]" sets, all these tests make).
verdicts() {
	awk '{
		label = $0; sub(/ +[0-9]+  .*$/, "", label)
		set = $NF
		if (set ~ /^n[0-9]+$/) { print set "\t" label; next }
		gsub(/^n\[|\]$/, "", set)
		n = split(set, r, ",")
		for (i = 1; i <= n; i++) {
			lo = hi = r[i]
			if (index(r[i], "-")) { lo = substr(r[i], 1, index(r[i], "-") - 1); hi = substr(r[i], index(r[i], "-") + 1) }
			for (v = lo + 0; v <= hi + 0; v++) print "n" v "\t" label
		}
	}' | sort
}
