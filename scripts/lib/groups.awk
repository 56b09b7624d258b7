# groups.awk: this node's groups, from ROOT/groups (see load_groups in
# groups.sh, and "Node groups" in pernode-services(8)).
#
# Input: the groups file; -v node=NAME (and short=NAME,
# the part before the first dot, or empty).  Output, a line each:
# "member NAME" for each group the node is in, in byte order;
# "defined NAME" for each group defined; "undefined NAME" for each @NAME
# referred to and not defined (an empty set, as ClusterShell takes it);
# "error LINE MESSAGE" for each definition that cannot be used, which is
# then ignored.  The "defined" and "undefined" lines only with -v
# verbose=1.

function fail(line, why) {
	printf "error %d %s\n", line, why
}

function numcmp(a, b) {
	sub(/^0+/, "", a); sub(/^0+/, "", b)
	if (length(a) != length(b)) return length(a) < length(b) ? -1 : 1
	return a < b ? -1 : a > b
}

function leading0(s) {
	return length(s) > 1 && substr(s, 1, 1) == "0"
}

# Why a bracketed list is not one ClusterShell takes, or "".
function badrange(r,    n, it, i, a, b, s, p) {
	if (r == "") return "empty range"
	n = split(r, it, ",")
	for (i = 1; i <= n; i++) {
		if (it[i] !~ /^[0-9]+(-[0-9]+(\/[0-9]+)?)?$/)
			return "bad range item \"" it[i] "\""
		a = it[i]; s = 1
		if ((p = index(a, "/")) > 0) { s = substr(a, p + 1); a = substr(a, 1, p - 1) }
		b = a
		if ((p = index(a, "-")) > 0) { b = substr(a, p + 1); a = substr(a, 1, p - 1) }
		if (s + 0 < 1) return "step of 0 in \"" it[i] "\""
		if (numcmp(a, b) > 0) return "range \"" it[i] "\" goes down"
		if ((leading0(a) || leading0(b)) && length(a) != length(b))
			return "padding length mismatch in \"" it[i] "\""
	}
	return ""
}

# Why a term (a node name, a pattern or @NAME) is not well formed, or "".
function badterm(t,    rest, i, j, why) {
	if (t == "") return "missing node set operand"
	if (substr(t, 1, 1) == "@") {
		if (t !~ /^@[A-Za-z0-9_][A-Za-z0-9_.+-]*$/) return "bad group name \"" t "\""
		return ""
	}
	if (t ~ /\]\[/) return "brackets one after another in \"" t "\""
	rest = t
	while ((i = index(rest, "[")) > 0) {
		if (index(substr(rest, 1, i - 1), "]")) return "stray ] in \"" t "\""
		j = index(rest, "]")
		if (j == 0) return "missing ] in \"" t "\""
		if ((why = badrange(substr(rest, i + 1, j - i - 1))) != "") return why
		rest = substr(rest, j + 1)
	}
	if (index(rest, "]")) return "stray ] in \"" t "\""
	return ""
}

# Whether digits d are one of the items of range r.
function inrange(r, d,    n, it, i, a, b, s, p) {
	n = split(r, it, ",")
	for (i = 1; i <= n; i++) {
		a = it[i]; s = 1
		if ((p = index(a, "/")) > 0) { s = substr(a, p + 1) + 0; a = substr(a, 1, p - 1) }
		b = a
		if ((p = index(a, "-")) > 0) { b = substr(a, p + 1); a = substr(a, 1, p - 1) }
		if (leading0(a) || leading0(b)) {
			if (length(d) != length(a)) continue
		} else if (leading0(d)) continue
		if (numcmp(d, a) < 0 || numcmp(d, b) > 0) continue
		if (s > 1 && (d - a) % s != 0) continue
		return 1
	}
	return 0
}

# Whether name s is one of those pattern p stands for.  A range may be
# followed by digits of the pattern ("n[1-2]0"): every split is tried.
function inpattern(p, s,    i, j, lit, r, rest, k, n) {
	if ((i = index(p, "[")) == 0) return p == s
	lit = substr(p, 1, i - 1)
	if (substr(s, 1, length(lit)) != lit) return 0
	j = index(p, "]")
	r = substr(p, i + 1, j - i - 1)
	rest = substr(p, j + 1)
	s = substr(s, length(lit) + 1)
	if (!match(s, /^[0-9]+/)) return 0
	n = RLENGTH
	for (k = 1; k <= n; k++)
		if (inrange(r, substr(s, 1, k)) && inpattern(rest, substr(s, k + 1)))
			return 1
	return 0
}

function interm(t) {
	if (substr(t, 1, 1) != "@") return inpattern(t, node) || (short != "" && inpattern(t, short))
	t = substr(t, 2)
	if (!(t in line)) { undefined[t] = 1; return 0 }
	return member(t)
}

# Whether the node is in group g.  state: 1 while g is being worked out
# (meeting it again is a cycle), 2 once it is known.
function member(g,    k, r, t, o, outer) {
	if (state[g] == 2) return known[g]
	if (state[g] == 1) { cycle = g; return 0 }
	state[g] = 1
	outer = cycle; cycle = ""
	r = 0
	for (k = 1; k <= terms[g]; k++) {
		t = interm(term[g, k]); o = op[g, k]
		if (o == ",") r = r || t
		else if (o == "!") r = r && !t
		else if (o == "&") r = r && t
		else r = (r != t)
	}
	if (cycle != "") {
		fail(line[g], "group " g " refers to itself, through @" cycle)
		r = 0
	}
	cycle = outer
	state[g] = 2; known[g] = r
	return r
}

# Split expression e of group g into its terms and operators: a term is
# a run of plain characters and bracketed lists.
function parse(g, e,    k, t, o, why) {
	k = 0; o = ","
	for (;;) {
		match(e, /^([^][,!&^]|\[[^][]*\])*/)
		t = substr(e, 1, RLENGTH); e = substr(e, RLENGTH + 1)
		if ((why = badterm(t)) != "") return why
		term[g, ++k] = t; op[g, k] = o
		if (e == "") break
		o = substr(e, 1, 1); e = substr(e, 2)
		if (o == "]") return "stray ] in \"" t o e "\""
		if (o == "[" && index(e, "]") == 0) return "missing ] in \"" t o e "\""
		if (o == "[") return "brackets nested or one after another in \"" t o e "\""
		if (e == "") return "missing node set operand after \"" o "\""
	}
	terms[g] = k
	return ""
}

/^[ \t]*(#|$)/ { next }
{
	if (!match($0, /^[A-Za-z0-9_][A-Za-z0-9_.+-]*:/)) {
		fail(NR, "not a definition \"NAME: NODESET\"")
		next
	}
	g = substr($0, 1, RLENGTH - 1)
	if (g in line) {
		fail(NR, "group " g " is defined again (first on line " line[g] ")")
		next
	}
	# As ClusterShell does: the words, joined with commas.
	e = ""
	n = split(substr($0, RLENGTH + 1), w, "[ \t]+")
	for (k = 1; k <= n; k++)
		if (w[k] != "") e = (e == "" ? w[k] : e "," w[k])
	if (e != "" && (why = parse(g, e)) != "") {
		fail(NR, why)
		next
	}
	if (e == "") terms[g] = 0
	line[g] = NR
	order[++groups] = g
}
END {
	for (i = 1; i <= groups; i++) {
		g = order[i]
		if (verbose) print "defined " g
		if (member(g)) is[++members] = g
	}
	if (verbose) for (g in undefined) print "undefined " g
	# Byte order (LC_ALL=C), by insertion: there are few.
	for (i = 2; i <= members; i++)
		for (j = i; j > 1 && is[j - 1] > is[j]; j--) {
			t = is[j]; is[j] = is[j - 1]; is[j - 1] = t
		}
	for (i = 1; i <= members; i++) print "member " is[i]
}
