# groups.awk: this node's groups, from ROOT/groups (see load_groups in
# groups.sh, and "Node groups" in pernode-services(8)).  Run after
# the node-set library, which reads each definition:
#
#   awk -v node=NAME -v short=SHORT -v verbose=0|1 \
#       -f nodeset.awk -f groups.awk <ROOT/groups
#
# Input: the groups file, "NAME: NODESET" a line, # comments and blank
# lines; -v node=NAME (empty for a name that cannot be a node's), short=
# the part of it before the first dot, or empty.  Output, a line each:
# "member NAME" for each group the node is in, in byte order;
# "defined NAME" for each group defined; "undefined NAME" for each @NAME
# referred to and not defined (an empty set, as ClusterShell takes it);
# "error LINE MESSAGE" for each definition that cannot be used, which is
# then ignored.  The "defined" and "undefined" lines only with -v
# verbose=1.
#
# No set is expanded: the node's name is tested against each term of a
# definition, and the terms are combined as their operators say.

BEGIN {
	ngroups = 0
	nterms = 0
	cycle = ""
}

/^[ \t]*(#|$)/ { next }
{ define($0) }
END { answer() }

function fail(lineno, why) {
	printf "error %d %s\n", lineno, why
}

# define(text): read the definition on line NR, or say why it cannot be
# used.  Its terms are kept in the order read, all groups' in one row:
# group g has terms from[g] + 1 to from[g] + count[g], as ns_parse left
# them.  Whether the node is in a term of names and patterns is known
# at once, in is_in[t]; a @GROUP term waits for every group to be read.
function define(text,    g, e, n, w, k, why) {
	if (!match(text, /^[A-Za-z0-9_][A-Za-z0-9_.+-]*:/)) {
		fail(NR, "not a definition \"NAME: NODESET\"")
		return
	}
	g = substr(text, 1, RLENGTH - 1)
	if (g in line) {
		fail(NR, "group " g " is defined again (first on line " line[g] ")")
		return
	}
	# As ClusterShell does: the words, joined with commas.
	e = ""
	n = split(substr(text, RLENGTH + 1), w, "[ \t]+")
	for (k = 1; k <= n; k++)
		if (w[k] != "")
			e = (e == "" ? w[k] : e "," w[k])
	from[g] = nterms
	count[g] = 0
	if (e != "") {
		if ((why = ns_parse(e, nterms)) != "") {
			fail(NR, why)
			return
		}
		count[g] = ns_nterms
		for (k = nterms + 1; k <= nterms + ns_nterms; k++)
			if (ns_lit[k] != "")
				# (A name is most terms: no call for it.)
				is_in[k] = ns_lit[k] == node || ns_lit[k] == short
			else if (ns_grp[k] == "")
				is_in[k] = ns_member("", ns_pat[k], ns_rss[k], node) ||
				    (short != "" && ns_member("", ns_pat[k], ns_rss[k], short))
		nterms += ns_nterms
	}
	line[g] = NR
	order[++ngroups] = g
}

# interm(k): whether the node is in term k: a group it is a member of,
# or names and patterns it was found in.
function interm(k,    r) {
	r = ns_grp[k]
	if (r == "")
		return is_in[k]
	if (!(r in line)) {
		undefined[r] = 1
		return 0
	}
	return member(r)
}

# member(g): whether the node is in group g.  state: 1 while g is being
# worked out (meeting it again is a cycle), 2 once it is known.  Every
# term is looked at, even once the answer cannot change, so that each
# group referred to and not defined is seen.
function member(g,    k, r, t, o, outer) {
	if (g in state) {
		if (state[g] == 1)
			cycle = g
		return state[g] == 2 ? known[g] : 0
	}
	state[g] = 1
	outer = cycle
	cycle = ""
	r = 0
	for (k = from[g] + 1; k <= from[g] + count[g]; k++) {
		t = interm(k)
		o = ns_op[k]
		if (o == ",")
			r = r || t
		else if (o == "!")
			r = r && !t
		else if (o == "&")
			r = r && t
		else
			r = (r != t)
	}
	if (cycle != "") {
		fail(line[g], "group " g " refers to itself, through @" cycle)
		r = 0
	}
	cycle = outer
	state[g] = 2
	known[g] = r
	return r
}

function answer(    i, j, g, t, is, n) {
	n = 0
	for (i = 1; i <= ngroups; i++) {
		g = order[i]
		if (verbose)
			print "defined " g
		if (member(g))
			is[++n] = g
	}
	if (verbose)
		for (g in undefined)
			print "undefined " g
	# Byte order (LC_ALL=C), by insertion: there are few.
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && is[j - 1] > is[j]; j--) {
			t = is[j]
			is[j] = is[j - 1]
			is[j - 1] = t
		}
	for (i = 1; i <= n; i++)
		print "member " is[i]
}
