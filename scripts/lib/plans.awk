# plans.awk: every node's plan, for "list -w NODESET" (plans.sh), run
# after the node-set library:
#
#   awk -v verbose=0|1 -v machine=0|1 -f nodeset.awk -f plans.awk \
#       GROUPS phase=input - <DIRS+ENTRIES[+DIGESTS]
#
# The node set is ENVIRON["PERNODE_W"] ("^FILE": the sets of FILE, one a
# line); its @NAME are the groups of GROUPS, ROOT/groups ("NAME: NODESET"
# a line, as groups.awk reads it; /dev/null for none).  DIRS: the
# directories of ROOT, a name a line; then ENTRIES, the verdict on each
# entry of those directories, "VERDICT<tab>NAME<tab>WHY" a line (the only
# lines with a tab), in the walk's order (plans.sh); with machine=1, an
# empty line and DIGESTS, cksum's lines for the entries that run.
#
# Output: the plans folded, one line a script, "NAME COUNT NODESET", in
# plan order; a script that would fail is "NAME: would fail: WHY", and
# makes the exit status 1 (2 for a bad node set).  With verbose=1, the
# masked and skipped entries too, and the nodes that run nothing, on
# stderr.  With machine=1, each plan and each node's, for report:
# see show_machine().
#
# A node's plan is what the runner walks on it (plan.sh): global/, then
# the @NAME/ of its groups in byte order, then its own directory (its
# name, else the part before the first dot), with the masks of the more
# specific directories applied.  Where groups.awk tests one name against
# each definition, here each group with a directory is expanded once,
# and the nodes of the set that are in the same groups with no directory
# of their own share one plan: a class.  The nodes are sorted once (if
# not in order already), so that each line's set is folded from keys in
# order, and lines of the same classes share one fold.

BEGIN {
	prog = "pernode-services list"
	NAME = "^[A-Za-z0-9_][A-Za-z0-9_.-]*$"
	ns_nogroups = "no such group in ROOT/groups"
	ngroups = nterms = nerrors = nlines = width = nfail = dead = 0
	phase = "groups"
}

function die(msg) {
	printf "%s: %s\n", prog, msg > "/dev/stderr"
	dead = 1
	exit 2
}

# error(lineno, why): a definition that cannot be used, as groups.awk
# says it: on every node, a script "groups:LINE" that would fail.
function error(lineno, why) {
	errors[++nerrors] = "groups:" lineno SUBSEP why
}

# --- The groups -----------------------------------------------------------

phase == "groups" && /^[ \t]*(#|$)/ { next }
phase == "groups" { define($0); next }

# define(text): read the definition on line NR, as groups.awk does.
function define(text,    g, e, n, w, k, why) {
	if (!match(text, /^[A-Za-z0-9_][A-Za-z0-9_.+-]*:/)) {
		error(FNR, "not a definition \"NAME: NODESET\"")
		return
	}
	g = substr(text, 1, RLENGTH - 1)
	if (g in line) {
		error(FNR, "group " g " is defined again (first on line " line[g] ")")
		return
	}
	e = ""
	n = split(substr(text, RLENGTH + 1), w, "[ \t]+")
	for (k = 1; k <= n; k++)
		if (w[k] != "")
			e = (e == "" ? w[k] : e "," w[k])
	from[g] = nterms
	count[g] = 0
	if (e != "") {
		if ((why = ns_parse(e, nterms)) != "") {
			error(FNR, why)
			return
		}
		count[g] = ns_nterms
		nterms += ns_nterms
	}
	line[g] = FNR
	group[++ngroups] = g
}

# refs(g): look for cycles, as groups.awk does, by the references alone:
# a group that refers to one being worked out is in error, and an empty
# set (broken[g]).  rstate: 1 while g is being looked at, 2 after.
function refs(g,    k, outer) {
	if (!(g in line))
		return
	if (g in rstate) {
		if (rstate[g] == 1)
			cycle = g
		return
	}
	rstate[g] = 1
	outer = cycle
	cycle = ""
	for (k = from[g] + 1; k <= from[g] + count[g]; k++)
		if (ns_grp[k] != "")
			refs(ns_grp[k])
	if (cycle != "") {
		error(line[g], "group " g " refers to itself, through @" cycle)
		broken[g] = 1
	}
	cycle = outer
	rstate[g] = 2
}

# group_list(g, list): the names of group g into list[1..]; how many.
# Worked out once, when first needed, and kept in gname[g, 1..gsize[g]].
# (refs() has broken every cycle.)
function group_list(g, list,    i) {
	split("", list)
	if (!(g in line) || g in broken)
		return 0	# an undefined group is an empty set
	if (!(g in gsize)) {
		gsize[g] = eval_terms(from[g] + 1, from[g] + count[g], list)
		for (i = 1; i <= gsize[g]; i++)
			gname[g, i] = list[i]
		return gsize[g]
	}
	for (i = 1; i <= gsize[g]; i++)
		list[i] = gname[g, i]
	return gsize[g]
}

# eval_terms(first, last, list): terms first..last of ns_parse, their
# operators acting left to right, into list[1..]; how many.  The names
# stay in the order first met, so that a set written in order (n[1-100],
# a group of ranges) needs no sort later.
function eval_terms(first, last, list,    k, m, i, n, o, t, tl, in_set, gone, nl, seen, only_added) {
	split("", in_set)
	nl = 0
	only_added = 1
	for (k = first; k <= last; k++) {
		if (ns_grp[k] != "")
			m = group_list(ns_grp[k], tl)
		else if ((m = ns_names(k, tl)) < 0)
			die("a node set has more than " NS_MAX " nodes")
		o = ns_op[k]
		if (o == ",") {
			for (i = 1; i <= m; i++)
				if (!(tl[i] in in_set)) {
					in_set[tl[i]] = 1
					list[++nl] = tl[i]
				}
			continue
		}
		only_added = 0
		split("", t)
		for (i = 1; i <= m; i++)
			t[tl[i]] = 1
		if (o == "!")
			for (n in t) {
				if (n in in_set)
					delete in_set[n]
			}
		else if (o == "^") {
			for (i = 1; i <= m; i++) {
				n = tl[i]
				if (!(n in t))
					continue
				delete t[n]
				if (n in in_set)
					delete in_set[n]
				else {
					in_set[n] = 1
					list[++nl] = n
				}
			}
		} else {
			split("", gone)
			for (n in in_set)
				if (!(n in t))
					gone[n] = 1
			for (n in gone)
				delete in_set[n]
		}
	}
	# Each name once, where it is in the set: so already, where names
	# were only added.
	if (only_added)
		return nl
	m = 0
	for (i = 1; i <= nl; i++) {
		n = list[i]
		if (n in in_set && !(n in seen)) {
			seen[n] = 1
			list[++m] = n
		}
	}
	return m
}

# --- The nodes ------------------------------------------------------------

phase == "input" && $0 == "" { phase = "digests"; next }
phase == "input" && !index($0, "\t") { isdir[$0] = 1; next }

# With machine=1, after an empty line: cksum's "CRC SIZE NAME" lines.
phase == "digests" { digest_line($0); next }

function digest_line(text,    f) {
	if (!match(text, /^[0-9]+ [0-9]+ /))
		return
	split(substr(text, 1, RLENGTH - 1), f, " ")
	digest[substr(text, RLENGTH + 1)] = f[1] "-" f[2]
}

# members(): the nodes of the set, once every group is known.
function members(    i, j, k, m, n, names, dotted, why, g, w, byname) {
	# Every group's references, so that each error of GROUPS is found,
	# as on a node.
	cycle = ""
	for (i = 1; i <= ngroups; i++)
		refs(group[i])
	w = ENVIRON["PERNODE_W"]
	if (substr(w, 1, 1) == "^")
		w = from_file(substr(w, 2))
	if (w == "")
		die("empty NODESET")
	if ((why = ns_parse(w, nterms)) != "")
		die("bad node set \"" shortened(w) "\": " why)
	for (i = nterms + 1; i <= nterms + ns_nterms; i++)
		if (ns_grp[i] != "" && !(ns_grp[i] in line))
			die("bad node set \"" shortened(w) "\": no group @" ns_grp[i] " in ROOT/groups")
	nnodes = eval_terms(nterms + 1, nterms + ns_nterms, node)
	for (i = 1; i <= nnodes; i++) {
		n = node[i]
		if (n !~ NAME || n ~ /(\.\.|\.)$/ || length(n) > 253 ||
		    n ~ /^(global|scripts|bin|functions|groups)$/)
			die("node name \"" shortened(n) "\" cannot be a host name")
		rank[n] = i
	}
	if (nnodes == 0)
		die("node set \"" shortened(w) "\" has no node")
	# Nodes with dots are in the groups of their first part too, as on
	# the node (groups.sh).
	for (i = 1; i <= nnodes; i++)
		if ((k = index(node[i], ".")) > 0)
			shorts[substr(node[i], 1, k - 1)] = shorts[substr(node[i], 1, k - 1)] SUBSEP node[i]
	# Each node's groups in byte order, as the runner takes them: only
	# those with a directory make a plan.
	m = 0
	for (i = 1; i <= ngroups; i++)
		if (("@" group[i]) in isdir)
			byname[++m] = group[i]
	ns_sort(byname, m)
	for (i = 1; i <= m; i++) {
		g = byname[i]
		grank[g] = i
		group_list(g, names)
		for (k = 1; k <= gsize[g]; k++) {
			n = gname[g, k]
			join(n, g)
			if (n in shorts) {
				j = split(shorts[n], dotted, SUBSEP)
				while (j > 1)
					join(dotted[j--], g)
			}
		}
	}
	# The nodes in the order a node set lists them, for the folds.
	sort_nodes()
}

# from_file(file): the node sets of file, a line each (as pdsh reads
# "-w ^FILE"), joined with ",".
function from_file(file,    w, text, r) {
	w = ""
	while ((r = (getline text < file)) > 0) {
		gsub(/^[ \t]+|[ \t\r]+$/, "", text)
		if (text != "")
			w = (w == "" ? text : w "," text)
	}
	if (r < 0)
		die("cannot read FILE \"" shortened(file) "\"")
	close(file)
	if (w == "")
		die("FILE \"" shortened(file) "\" names no node")
	return w
}

# sort_nodes(): node[1..nnodes] in the order a node set lists them, and
# their keys, in that order, in nkey[], rank[] updated.  Sorted only if
# not in order already.
function sort_nodes(    i, k, sorted) {
	sorted = 1
	for (i = 1; i <= nnodes; i++) {
		nkey[i] = ns_key(node[i])
		if (i > 1 && sorted && !(nkey[i - 1] < nkey[i]))
			sorted = 0
	}
	if (sorted)
		return
	for (i = 1; i <= nnodes; i++)
		nkey[i] = nkey[i] "\n" node[i]
	ns_sort(nkey, nnodes)
	for (i = 1; i <= nnodes; i++) {
		k = index(nkey[i], "\n")
		node[i] = substr(nkey[i], k + 1)
		nkey[i] = substr(nkey[i], 1, k - 1)
		rank[node[i]] = i
	}
}

# shortened(s): s for a message: printable, at most 60 bytes.
function shortened(s) {
	gsub(/[^ -~]/, "?", s)
	return length(s) > 60 ? substr(s, 1, 57) "..." : s
}

# join(name, g): node name, if of the set, is in group g (once: a node
# with dots may be in it by both its names).
function join(name, g) {
	if (!(name in rank) || last_group[name] == g)
		return
	last_group[name] = g
	groups_of[name] = groups_of[name] SUBSEP g
}

# own(name): the node's own directory, or "": its name, else the part
# before the first dot, if a directory of ROOT (plan.sh, pick_node).
function own(name,    s, k) {
	if (name in isdir)
		return name
	if (!(k = index(name, ".")))
		return ""
	s = substr(name, 1, k - 1)
	if (s in isdir && s !~ /^(global|scripts|bin|functions|groups)$/)
		return s
	return ""
}

# classes(): the nodes into classes, those of one plan: the same groups
# and no directory of their own.  Sets class[node], nclasses and, for
# each class, a node of it, sample[c].
function classes(    i, n, sig) {
	nclasses = 0
	for (i = 1; i <= nnodes; i++) {
		n = node[i]
		dir[n] = own(n)
		sig = groups_of[n] "/" dir[n]
		if (!(sig in class_of)) {
			class_of[sig] = ++nclasses
			sample[nclasses] = n
		}
		class[n] = class_of[sig]
		# The ranks of each class's nodes, ascending.
		csize[class[n]]++
		crank[class[n], csize[class[n]]] = i
	}
}

# --- The entries ----------------------------------------------------------

# An entry: its directory's part of the name, its verdict, and why; a
# name with no "/" (the groups file) is in every plan.
phase == "input" { entry($0); next }

function entry(text,    t, v, name, why, s, d, base) {
	t = index(text, "\t")
	v = substr(text, 1, t - 1)
	text = substr(text, t + 1)
	t = index(text, "\t")
	name = substr(text, 1, t - 1)
	why = substr(text, t + 1)
	s = index(name, "/")
	d = s ? substr(name, 1, s - 1) : ""
	base = s ? substr(name, s + 1) : name
	nent[d]++
	ent[d, nent[d]] = v SUBSEP name SUBSEP why
	if (v == "mask")
		masks[d, base] = 1
}

# --- The plans ------------------------------------------------------------

# plan(c): the plan of class c, each entry given to add().  The groups
# file's errors first, as the walk reports them before its directories.
function plan(c,    n, i, k, f, gs, g, gl, mine) {
	n = sample[c]
	mine = dir[n]
	for (i = 1; i <= nerrors; i++) {
		split(errors[i], f, SUBSEP)
		add(c, 0, 0, i, "fail", f[1], f[2])
	}
	each_entry(c, "", 0, 0, "", "")
	gl = groups_of[n] ""
	k = split(gl, gs, SUBSEP)
	each_entry(c, "global", 1, 0, mine, gl)
	for (i = 2; i <= k; i++) {
		g = "@" gs[i]
		each_entry(c, g, 2, grank[gs[i]], mine, "")
	}
	if (mine != "")
		each_entry(c, mine, 3, rank[n], "", "")
}

# plans(): every class's plan.
function plans(    c) {
	for (c = 1; c <= nclasses; c++)
		plan(c)
}

# each_entry(c, d, section, order, masking, groups): the entries of
# directory d in class c's plan, masked by those of directory masking
# and of the @NAME/ of groups (SUBSEP before each).
function each_entry(c, d, section, order, masking, groups,    i, f, v, why, base, k, gs, j) {
	for (i = 1; i <= nent[d]; i++) {
		split(ent[d, i], f, SUBSEP)
		v = f[1]
		why = f[3]
		if (v != "skip" && v != "mask") {
			base = substr(f[2], length(d) + 2)
			if (masking != "" && (masking, base) in masks) {
				v = "mask"
				why = "masked by " masking "/" base
			} else if (groups != "") {
				k = split(groups, gs, SUBSEP)
				for (j = 2; j <= k; j++)
					if (("@" gs[j], base) in masks) {
						v = "mask"
						why = "masked by a group's @NAME/" base
						break
					}
			}
		}
		add(c, section, order, i, v, f[2], why)
	}
}

# add(c, section, order, i, verdict, name, why): an entry of class c's
# plan as a line of the output, if it is one: keyed so that the lines
# sort into plan order.
function add(c, section, order, i, v, name, why,    lbl, k) {
	if (machine) {
		if ((v == "run" || v == "fail") && index(name, "/"))
			cplan[c, ++cn[c]] = name SUBSEP v
		runs[c] += v == "run"
		nfail += v == "fail"
		return
	}
	if (v == "run")
		lbl = name
	else if (v == "fail")
		lbl = name ": would fail: " why
	else if (!verbose)
		return
	else
		lbl = name ": " (v == "mask" ? "" : "skipped: ") why
	k = section sprintf("%09d%09d", order, i) "\n" lbl
	if (!(k in classes_of)) {
		lines[++nlines] = k
		if (length(lbl) > width)
			width = length(lbl)
		if (v == "fail")
			nfail++
	}
	classes_of[k] = classes_of[k] SUBSEP c
	runs[c] += v == "run"
}

# show(): the lines in plan order, each with its nodes folded.  Lines
# of the same classes share one fold.
function show(    i, k, cs, m, keys) {
	ns_sort(lines, nlines)
	for (i = 1; i <= nlines; i++) {
		k = lines[i]
		cs = classes_of[k]
		if (!(cs in folded)) {
			m = pick(cs, keys)
			folded[cs] = ns_fold_keys(keys, m)
			size[cs] = m
		}
		printf "%-" width "s %6d  %s\n", substr(k, index(k, "\n") + 1), size[cs], folded[cs]
	}
}

# pick(cs, keys): the keys of the nodes of classes cs (SUBSEP before
# each) into keys[1..], in order; how many.  A few nodes are sorted by
# rank; many, picked out of all nodes in order.
function pick(cs, keys,    c, n, j, k, m, ranks, want) {
	split("", keys)
	n = split(cs, c, SUBSEP)
	m = 0
	for (j = 2; j <= n; j++)
		m += csize[c[j]]
	if (m * 8 < nnodes) {
		m = 0
		for (j = 2; j <= n; j++)
			for (k = 1; k <= csize[c[j]]; k++)
				ranks[++m] = crank[c[j], k]
		ns_sort(ranks, m)
		for (k = 1; k <= m; k++)
			keys[k] = nkey[ranks[k]]
		return m
	}
	for (j = 2; j <= n; j++)
		want[c[j]] = 1
	m = 0
	for (j = 1; j <= nnodes; j++)
		if (class[node[j]] in want)
			keys[++m] = nkey[j]
	return m
}

# show_machine(): each class's plan, "plan<tab>CLASS<tab>NAME<tab>DIGEST"
# a script that runs or would fail, in plan order (DIGEST "-" for one
# that would fail, or that cksum did not read), then each node,
# "node<tab>CLASS<tab>NAME".
function show_machine(    c, i, f, d) {
	for (c = 1; c <= nclasses; c++)
		for (i = 1; i <= cn[c]; i++) {
			split(cplan[c, i], f, SUBSEP)
			d = f[2] == "run" && (f[1] in digest) ? digest[f[1]] : "-"
			printf "plan\t%d\t%s\t%s\n", c, f[1], d
		}
	for (i = 1; i <= nnodes; i++)
		printf "node\t%d\t%s\n", class[node[i]], node[i]
}

# idle(): with -v, the nodes whose plan runs nothing, on stderr.
function idle(    j, m, names) {
	m = 0
	for (j = 1; j <= nnodes; j++)
		if (!runs[class[node[j]]])
			names[++m] = node[j]
	if (m)
		printf "%s: nothing to run on %d node%s: %s\n", prog, m,
		    m == 1 ? "" : "s", ns_fold(names, m) > "/dev/stderr"
}

END {
	if (dead)
		exit 2
	members()
	classes()
	plans()
	if (machine) {
		show_machine()
		exit nfail ? 1 : 0
	}
	show()
	if (verbose)
		idle()
	exit nfail ? 1 : 0
}
