# Shared by the benchmark scripts (bash, not boot code): statistics and the
# rewriting of one marked section of docs/BENCHMARKS.md.

# stats: read numbers, one a line; print "median p90 min max".
stats() {
	sort -g | awk '{ v[NR] = $1 }
	    END {
		if (NR == 0) { print "- - - -"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		p = v[int(NR * 0.9 + 0.999)]
		printf "%.4g %.4g %.4g %.4g\n", m, p, v[1], v[NR]
	    }'
}

# ratio A B: A / B to two decimals.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f\n", a / b }'
}

# machine: one line saying where the figures come from.
machine() {
	local cpu
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
	printf '%s, %s cores, Linux %s, %s\n' "${cpu:-unknown CPU}" "$(nproc)" \
	    "$(uname -r)" "$(date -u +%Y-%m-%d)"
}

# publish NAME FILE: put FILE between the NAME markers of BENCHMARKS.md,
# adding the section at the end when it is not there yet.
publish() {
	local name=$1 body=$2 doc=docs/BENCHMARKS.md
	[ -f "$doc" ] || printf '# Benchmarks\n\n%s\n' \
	    "Written by \`make bench\`; each section by its own script under tests/bench/." >"$doc"
	if ! grep -q "^<!-- $name:begin -->" "$doc"; then
		printf '\n<!-- %s:begin -->\n<!-- %s:end -->\n' "$name" "$name" >>"$doc"
	fi
	awk -v name="$name" -v body="$body" '
	    $0 == "<!-- " name ":begin -->" {
		print; while ((getline line < body) > 0) print line; skip = 1; next
	    }
	    $0 == "<!-- " name ":end -->" { skip = 0 }
	    !skip' "$doc" >"$doc.new" && mv "$doc.new" "$doc"
}

# groups_500: a ROOT/groups of 500 definitions over n00001..n10000, the
# same each time: 400 ranges, a fifth of them less another group, and
# 100 explicit lists of 100 names each, the 10,000 names once each.
groups_500() {
	awk 'BEGIN {
		srand(42)
		for (g = 1; g <= 400; g++) {
			a = int(rand() * 9900) + 1
			printf "g%d: n[%05d-%05d]", g, a, a + int(rand() * 100)
			if (g > 10 && rand() < 0.2) printf "!@g%d", int(rand() * (g - 1)) + 1
			printf "\n"
		}
		for (g = 401; g <= 500; g++) {
			printf "g%d:", g
			for (i = 0; i < 100; i++) printf " n%05d", (g - 401) * 100 + i + 1
			printf "\n"
		}
	}'
}
