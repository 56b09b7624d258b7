# report.awk: the fold of "pernode-services report" (report.sh), run
# after the node-set library:
#
#   awk -v mode=expand -f nodeset.awk -f report.awk </dev/null
#       the names of the node set in ENVIRON["PERNODE_W"], one a line,
#       for when nodeset(1) is not installed; exits 2 if it is not one.
#   awk -v mode=report -v nodeset=0|1 -v verbose=0|1 \
#       -f nodeset.awk -f report.awk phase=expect EXPECTED phase=answers ANSWERS
#       the expected names (none without -w), then the answers of the
#       nodes as pdsh or clush print them ("NODE: FIELDS", see
#       status --machine in pernode-services(8)): prints the report, a
#       line a verdict with its nodes as a node set; exits 0 only when
#       every node is ok.  With -v verbose=1, each line read that is not
#       an answer goes to stderr as well.  With -v compare=1, then the
#       nodes behind their plans now (behind()); with strict=1 too,
#       those count as not ok.  With -v apply=1 instead, what
#       "start --changed" would run on each node (apply_plan()).
#
# The sets are folded here (ns_fold_keys); with nodeset installed
# (nodeset=1), one "nodeset -f" writes them all again: one process, never
# one a line or a node.  Temporary files go in ENVIRON["PERNODE_TMP"].

BEGIN {
	prog = "pernode-services " (apply ? "apply" : "report")
	NAME = "^[A-Za-z0-9_][A-Za-z0-9_.-]*$"
	# Any line a node or ssh said is cut short; a DETAIL, the one line
	# the runner wrote, naming a path and why, much later.
	REASON_MAX = 80
	DETAIL_MAX = 400
	ns_nogroups = "groups need nodeset(1) (ClusterShell)"
	failed = nnodes = nlabels = nbad = width = nwhole = 0
	first_bad = ""
	if (mode == "expand")
		print_expanded(ENVIRON["PERNODE_W"])
}

function fail(msg) {
	printf "%s: %s\n", prog, msg > "/dev/stderr"
	failed = 1
	exit 2
}

# print_expanded(w): the names of node set w, one a line, each a name a
# node can have; or fail saying why not.
function print_expanded(w,    n, i) {
	if ((n = expand(w)) < 0)
		fail("bad node set \"" shortened(w) "\": " clipped(ns_err, 200))
	for (i = 1; i <= n; i++)
		print ns_x[i]
	exit 0
}

# expand(s): the names of node set s into ns_x[1..]; how many, or -1
# with why not in ns_err.
function expand(s,    n, i) {
	if ((n = ns_expand(s)) < 0)
		return -1
	for (i = 1; i <= n; i++)
		if (ns_x[i] !~ NAME)
			return ns_fail("bad node name \"" shortened(ns_x[i]) "\"")
	return n
}

# --- Reading the answers --------------------------------------------------

# clipped(s, max): s, printable ASCII ("?" for any other byte), cut to at
# most max bytes with "..." at the end.
function clipped(s, max) {
	gsub(/[^ -~]/, "?", s)
	return length(s) > max ? substr(s, 1, max - 3) "..." : s
}

# shortened(s): s for a message: printable, at most 60 bytes.
function shortened(s) {
	return clipped(s, 60)
}

# raw(): with -v, the line read, which is not an answer, on stderr as it
# came, but for control bytes other than tab, which never reach the
# terminal ("?").  Bytes past ASCII stay: a node may speak UTF-8.
function raw(    s) {
	if (!verbose)
		return
	s = $0
	gsub(/[\001-\010\012-\037\177]/, "?", s)
	printf "%s: line %d: %s\n", prog, FNR, s > "/dev/stderr"
}

# reason(s, node, max): the text s (a line of error, or the DETAIL of a
# failed run) as part of a label: printable ASCII, the name of node in it
# as "%h" (as pdsh and clush write a node name in a command), so that
# nodes with the same problem fold together, and at most max bytes.
function reason(s, node, max,    out, k, n, before, after) {
	gsub(/\t/, " ", s)
	sub(/^ +/, "", s)
	sub(/[ \r]+$/, "", s)
	# The name as a word: not inside a longer name (n1 in n10), though
	# a domain may follow it (n1.cluster).
	out = ""
	n = length(node)
	while ((k = index(s, node)) > 0) {
		before = k > 1 ? substr(s, k - 1, 1) : substr(out, length(out), 1)
		after = substr(s, k + n, 1)
		if (before !~ /[A-Za-z0-9_-]/ && after !~ /[A-Za-z0-9_-]/)
			out = out substr(s, 1, k - 1) "%h"
		else
			out = out substr(s, 1, k - 1 + n)
		s = substr(s, k + n)
	}
	return clipped(out s, max)
}

# note(kind, node): remember a node under a kind of bad input.
function note(kind, node) {
	if (!((kind, node) in noted)) {
		noted[kind, node] = 1
		nnoted[kind]++
		noted_names[kind, nnoted[kind]] = node
	}
	lines_of[kind]++
}

function expect(name) {
	if (name !~ NAME)
		fail("node set: bad node name \"" shortened(name) "\"")
	if (!(name in known)) {
		known[name] = 1
		nodes[++nnodes] = name
	}
}

# expect_line(name): a name of the node set, which should answer.
function expect_line(name,    k, s) {
	expect(name)
	if ((k = index(name, ".")) > 1) {
		s = substr(name, 1, k - 1)
		# (Two expected names with one short name: neither is guessed.
		# Tested apart from the assignment: mawk and busybox awk make
		# short_of[s] before they read "s in short_of".)
		if (s in short_of)
			short_of[s] = ""
		else
			short_of[s] = name
	}
}

# canon(name): the expected node a label stands for.  pdsh labels its
# lines with the host name cut at the first dot: "a1" is "a1.example.com"
# when that is the one expected name it can be.
function canon(name) {
	return !(name in known) && short_of[name] != "" ? short_of[name] : name
}

# tool(rest): a line of pdsh or clush themselves, "NODES: MESSAGE"
# (clush folds the nodes of one message into a set).  The first about a
# node is why it gave no answer, if it says nothing itself: pdsh says
# "command timeout" before "killed by signal 15".
function tool(rest,    k, i, n, msg, name) {
	k = index(rest, ": ")
	if (k == 0 || (n = expand(substr(rest, 1, k - 1))) <= 0) {
		bad_line()
		return
	}
	raw()
	msg = substr(rest, k + 2)
	for (i = 1; i <= n; i++) {
		name = canon(ns_x[i])
		expect(name)
		note("tool", name)
		if (!(name in tool_said) && msg ~ /[^ \t\r]/)
			tool_said[name] = msg
	}
	lines_of["tool"] -= n - 1
}

function bad_line() {
	raw()
	nbad++
	if (nbad == 1)
		first_bad = "line " FNR ": \"" shortened($0) "\""
}

# spoil(node, kind): the answer of node cannot be used.
function spoil(node, kind) {
	note(kind, node)
	unusable[node] = 1
}

# answer(node, rest): a line of node's answer, its FIELDS in rest.
function answer(node, rest,    f, n) {
	# The line of nearly every answer, read without a split.
	if (rest ~ /^script\t[^\t]+\tok\t0\t[0-9.]+(\t([0-9]+-[0-9]+|-))?$/ &&
	    state[node] == "open" &&
	    !(node in unusable)) {
		nscripts[node]++
		nran[node]++
		# Kept whole, for behind(), which reads them only if it can
		# compare: a string append a line costs least.
		if (compare)
			oks[node] = oks[node] rest "\n"
		return
	}
	n = split(rest, f, "\t")
	if (f[1] !~ /^(run|script|end)$/ && (f[1] !~ /^[a-z][a-z-]*$/ || n < 2)) {
		# Not an answer: the stderr of the node, or of ssh.  The last
		# is why a node gave no answer: a program that fails says so
		# last, after its warnings (ssh: "Warning: Permanently added").
		raw()
		note("other", node)
		if (rest ~ /[^ \t\r]/)
			node_said[node] = rest
		return
	}
	if (node in unusable)
		return
	if (f[1] == "run")
		run_fields(node, f, n)
	else if (f[1] == "script")
		script_fields(node, f, n)
	else if (f[1] == "end")
		end_fields(node, f, n)
	else
		# A kind of line from a newer version: ignored, as promised.
		note("newer", node)
}

# run_fields(node, f, n): the run line, its n fields in f.  DETAIL, the
# 10th, came with STATE "failed": an older version writes 9.
function run_fields(node, f, n) {
	if (node in state) {
		spoil(node, "twice")
		return
	}
	state[node] = "open"
	if (n < 9 || f[6] !~ /^(yes|no)$/ || f[7] !~ /^[0-9]+$/ ||
	    f[8] !~ /^[0-9]+$/ || f[9] !~ /^[a-z]+$/ || f[2] !~ /^([a-z-]+)$/ ||
	    (n > 9 && f[10] !~ /^[ -~]+$/)) {
		spoil(node, "malformed")
		return
	}
	action[node] = f[2]
	this_boot[node] = f[6]
	said_ran[node] = f[7]
	said_failed[node] = f[8]
	run_state[node] = f[9]
	detail[node] = n > 9 ? f[10] : "-"
	nscripts[node] = nran[node] = 0
	if (n > 10)
		note("newer", node)
}

# script_fields(node, f, n): a script line.  (A name the runner wrote
# is escaped: a control byte in one is not an answer, and must not reach
# the terminal.)  DIGEST, the 6th, came with pernode-watch: an older
# version writes 5.
function script_fields(node, f, n) {
	if (state[node] != "open") {
		spoil(node, state[node] == "" ? "short" : "twice")
		return
	}
	if (n < 5 || f[2] == "" || f[2] ~ /[^ -~]/ ||
	    f[3] !~ /^(ok|failed|timed-out|refused)$/ ||
	    f[4] !~ /^([0-9]+|-)$/ || f[5] !~ /^([0-9]+(\.[0-9]+)?|-)$/ ||
	    (n > 5 && f[6] !~ /^([0-9]+-[0-9]+|-)$/)) {
		spoil(node, "malformed")
		return
	}
	nscripts[node]++
	if (compare)
		recorded(node, f[2], n > 5 ? f[6] : "-")
	if (f[4] != "-")
		nran[node]++
	if (f[3] != "ok") {
		not_ok[node, f[2]] = 1
		nbadscripts[node]++
		bad_script[node, nbadscripts[node]] = f[3] SUBSEP f[2] SUBSEP f[4]
	}
	if (n > 6)
		note("newer", node)
}

# recorded(node, name, digest): a script in node's record, its digest
# ("-": not known), for behind() and apply_plan().
function recorded(node, name, digest) {
	if (!((node, name) in got))
		rec_name[node, ++nrec[node]] = name
	got[node, name] = digest
}

# end_fields(node, f, n): the end line, with the count of script lines.
function end_fields(node, f, n) {
	if (state[node] != "open") {
		spoil(node, state[node] == "" ? "short" : "twice")
		return
	}
	state[node] = "closed"
	if (n < 2 || f[2] !~ /^[0-9]+$/ || f[2] != nscripts[node]) {
		spoil(node, "short")
		return
	}
	if (n > 2)
		note("newer", node)
}

mode == "report" && phase == "expect" {
	expect_line($0)
	next
}

# A line of answers: "NODE: FIELDS" of a node, a line of pdsh or clush
# themselves, or neither.  (Read here, not in a function: a call a line
# costs, at 200,000 lines.)
mode == "report" {
	at = index($0, ": ")
	said_by = canon(at ? substr($0, 1, at - 1) : "")
	if (said_by in known)
		answer(said_by, substr($0, at + 2))
	else if (said_by ~ /^pdsh@/ || said_by == "clush")
		tool(substr($0, at + 2))
	else if (said_by ~ NAME) {
		expect(said_by)
		answer(said_by, substr($0, at + 2))
	} else
		bad_line()
}

# --- The report -----------------------------------------------------------

# verdict(node): the one verdict of the node as a whole, "" when its run
# decides by its scripts; its rank, which orders the lines, in rank.
# The ranks: ok 1, the scripts 2, then as below.
function verdict(node,    why) {
	if (node in unusable)
		return ranked(9, "no usable answer")
	if (!(node in state)) {
		# Why, if anything said so: the node itself, else pdsh or clush.
		why = node in node_said ? node_said[node] : \
		    node in tool_said ? tool_said[node] : ""
		return ranked(10, "no answer" (why == "" ? "" : ": " reason(why, node, REASON_MAX)))
	}
	# Whole when it has its end line, and its script lines add up to the
	# counts of its run line (RUN: those with an exit status, FAILED:
	# those not ok), which status --machine takes from the same lines.
	# A run that failed as a whole counts as one failure more (it has no
	# script lines: RUN 0, FAILED 1).
	if (state[node] != "closed" || nran[node] != said_ran[node] ||
	    nbadscripts[node] + (run_state[node] == "failed") != said_failed[node]) {
		note("short", node)
		return ranked(9, "no usable answer")
	}
	if (run_state[node] == "none")
		return ranked(8, "no run recorded")
	if (this_boot[node] != "yes")
		return ranked(7, "not run since boot")
	if (action[node] != "start")
		return ranked(6, "stopped since")
	if (run_state[node] == "running")
		return ranked(5, "running")
	if (run_state[node] == "interrupted")
		return ranked(4, "interrupted")
	if (run_state[node] == "unfinished")
		return ranked(4, "killed mid-run")
	# Reruns of chosen scripts, with no whole start ended this boot.
	if (run_state[node] == "partial")
		return ranked(4, "chosen scripts only")
	if (run_state[node] == "failed")
		return ranked(3, "not run" \
		    (detail[node] == "-" ? "" : ": " reason(detail[node], node, DETAIL_MAX)))
	return ranked(2, "")
}

function ranked(r, lbl) {
	rank = r
	return lbl
}

# add(lbl, node, r): node under label lbl of rank r.  A label is known by
# its rank too: a script named "no answer" would not be a reason.
function add(lbl, node, r) {
	add_key(sprintf("%02d", r) SUBSEP lbl, lbl, node)
}

# add_key(k, lbl, node): node under the line of key k, shown as lbl.
function add_key(k, lbl, node) {
	if (!(k in count)) {
		shown_as[k] = lbl
		labels[++nlabels] = k
		if (length(lbl) > width)
			width = length(lbl)
	}
	members[k, ++count[k]] = node
}

# script_label(what): the label of a script that was not ok.  The runner
# records a death by signal N as exit status 128 + N, and says "killed
# by signal N": so does the report, for 129 to 192.
function script_label(what,    f, rc) {
	split(what, f, SUBSEP)
	if (f[1] == "failed") {
		if (f[3] == "-")
			return f[2] ": failed"
		rc = length(f[3]) > 3 ? 0 : ns_dec(f[3])
		if (rc > 128 && rc <= 128 + 64)
			return f[2] ": killed by signal " (rc - 128)
		return f[2] ": failed, exit " f[3]
	}
	if (f[1] == "timed-out")
		return f[2] ": timed out"
	return f[2] ": refused"
}

# judge(): every node under the labels of its verdict, or of each script
# that was not ok; how many nodes are not ok.
function judge(    i, j, node, v, notok) {
	notok = 0
	for (i = 1; i <= nnodes; i++) {
		node = nodes[i]
		v = verdict(node)
		vrank[node] = v == "" ? 2 : rank
		if (v == "")
			whole[++nwhole] = node
		if (apply) {
			# Only the nodes apply cannot reach have a line of their
			# own: running, no usable answer, no answer.
			if (vrank[node] == 5 || vrank[node] >= 9) {
				add(v, node, rank)
				notok++
			}
			continue
		}
		if (v == "" && nbadscripts[node] == 0) {
			add("ok", node, 1)
			continue
		}
		notok++
		if (v != "")
			add(v, node, rank)
		if (v == "" || rank == 4 || rank == 5)
			for (j = 1; j <= nbadscripts[node]; j++)
				add(script_label(bad_script[node, j]), node, 2)
	}
	return notok
}

# sort_labels(): the labels by their rank, then by name.
function sort_labels(    i) {
	ns_sort(labels, nlabels)
	for (i = 1; i <= nlabels; i++) {
		lkey[i] = labels[i]
		label[i] = shown_as[labels[i]]
	}
}

# plans_for(list, n): the plans now of the nodes list[1..n], from the
# state directory here: "pernode-services --machine -w ^FILE list" (the
# runner itself, PERNODE_SELF) gives each node's class, class_of[node],
# and each class's scripts, plan_name[c, 1..plan_len[c]], with their
# digests, plan_digest[c, j].  1 if it could say; else 0, and why in
# plans_err.  One run of the runner for all the nodes.
function plans_for(list, n,    i, f, cmd, r, line) {
	for (i = 1; i <= n; i++)
		print list[i] > (tmp "/compare")
	close(tmp "/compare")
	cmd = "exec \"$PERNODE_SELF\" --machine -w \"^$PERNODE_TMP/compare\" list" \
	    " >\"$PERNODE_TMP/plans\" 2>\"$PERNODE_TMP/plans.err\" </dev/null"
	r = system(cmd)
	if (r != 0 && r != 1) {
		plans_err = ""
		getline plans_err < (tmp "/plans.err")
		close(tmp "/plans.err")
		plans_err = plans_err == "" ? "exit " r : clipped(plans_err, 200)
		return 0
	}
	while ((getline line < (tmp "/plans")) > 0) {
		split(line, f, "\t")
		if (f[1] == "plan") {
			i = ++plan_len[f[2]]
			plan_name[f[2], i] = f[3]
			plan_digest[f[2], i] = f[4]
			in_plan[f[2], f[3]] = 1
		} else if (f[1] == "node")
			class_of[f[3]] = f[2]
	}
	close(tmp "/plans")
	return 1
}

# up_to_date(node, c): whether node's record is exactly the plan of class
# c: its ok script lines the plan's scripts, in order, with their digests
# now, and no other line.  Most nodes are, and need no more than this.
function up_to_date(node, c,    j, sig) {
	if (nrec[node] || nbadscripts[node])
		return 0
	if (!(c in class_sig)) {
		sig = ""
		for (j = 1; j <= plan_len[c]; j++)
			sig = sig "script\t" plan_name[c, j] "\t" plan_digest[c, j] "\n"
		class_sig[c] = sig
	}
	sig = oks[node]
	gsub(/\tok\t0\t[0-9.]+/, "", sig)
	return sig == class_sig[c]
}

# unpack(node): the ok script lines of node's record kept whole into
# recorded().
function unpack(node,    n, i, l, k, name) {
	n = split(oks[node], l, "\n")
	for (i = 1; i < n; i++) {
		l[i] = substr(l[i], 8)
		k = index(l[i], "\t")
		name = substr(l[i], 1, k - 1)
		l[i] = substr(l[i], k + 6)	# past "\tok\t0\t"
		k = index(l[i], "\t")
		recorded(node, name, k ? substr(l[i], k + 1) : "-")
	}
	delete oks[node]
}

# behind(): with compare=1, the nodes whose start of this boot ran to
# its end, against their plans now (plans_for).  A script of the plan
# with no record is "not run yet", one whose digest is not the one
# recorded "changed since run" (an answer of an older version, with no
# digest, cannot say), one recorded and out of the plan "no longer in
# plan".  Without the state directory, or where the runner cannot say,
# nothing is compared (with -v, why).  How many nodes that were ok are
# behind, counted as not ok with strict=1 (apply's last report): the
# scripts out of the plan are not, as start --changed leaves them.
function behind(    i, j, c, node, name, late) {
	if (!compare || nwhole == 0)
		return 0
	if (!plans_for(whole, nwhole)) {
		if (verbose)
			printf "%s: not compared with the scripts now: %s\n", prog,
			    plans_err > "/dev/stderr"
		return 0
	}
	late = 0
	for (i = 1; i <= nwhole; i++) {
		node = whole[i]
		if (!(node in class_of))
			continue
		c = class_of[node]
		if (up_to_date(node, c))
			continue
		unpack(node)
		for (j = 1; j <= plan_len[c]; j++) {
			name = plan_name[c, j]
			if (!((node, name) in got))
				add(clipped(name, 200) " not run yet", node, 11)
			else if (plan_digest[c, j] != "-" && got[node, name] != "-" &&
			    got[node, name] != plan_digest[c, j])
				add(clipped(name, 200) " changed since run", node, 11)
			else
				continue
			if (strict && nbadscripts[node] == 0 && !(node in counted)) {
				counted[node] = 1
				late++
			}
		}
		for (j = 1; j <= nrec[node]; j++)
			if (!((c, rec_name[node, j]) in in_plan))
				add(rec_name[node, j] " no longer in plan", node, 11)
	}
	return late
}

# apply_plan(): for apply, what "start --changed" would run on each node
# that answered, as lines in plan order, a script each with its nodes:
# on a node whose start of this boot ran to its end, the scripts of its
# plan new to its record, changed since, or not ok in it; on one with no
# such start (none, stopped since, interrupted, chosen scripts only, or
# one that could not begin), its whole plan.  The nodes that would run
# something go in FILE apply-hosts, a name a line, and folded in
# apply-set; every node that answered in apply-all and all-set.  Exits 2
# when the plans cannot be read.
function apply_plan(    i, j, c, node, name, list, n, names, m, run) {
	n = 0
	for (i = 1; i <= nnodes; i++) {
		node = nodes[i]
		if (vrank[node] != 5 && vrank[node] < 9)
			list[++n] = node
		print node > (tmp "/apply-all")
	}
	close(tmp "/apply-all")
	names_fold(nodes, nnodes, "all-set")
	m = 0
	if (n > 0 && !plans_for(list, n))
		fail("cannot work out the plans: " plans_err)
	for (i = 1; i <= n; i++) {
		node = list[i]
		if (!(node in class_of))
			continue
		c = class_of[node]
		unpack(node)
		run = 0
		for (j = 1; j <= plan_len[c]; j++) {
			name = plan_name[c, j]
			if (vrank[node] == 2 && (node, name) in got &&
			    !((node, name) in not_ok) &&
			    (plan_digest[c, j] == "-" || got[node, name] == "-" ||
			    got[node, name] == plan_digest[c, j]))
				continue
			add_key("00" SUBSEP plan_key(name), clipped(name, 200), node)
			run = 1
		}
		if (run) {
			names[++m] = node
			print node > (tmp "/apply-hosts")
		}
	}
	printf "" > (tmp "/apply-hosts")
	close(tmp "/apply-hosts")
	names_fold(names, m, "apply-set")
}

# plan_key(name): a key that sorts the scripts of every plan into plan
# order: global's, then the groups' in byte order of their names, then
# the nodes' own, each directory's in byte order.
function plan_key(name) {
	if (substr(name, 1, 7) == "global/")
		return "1" name
	return (substr(name, 1, 1) == "@" ? "2" : "3") name
}

# names_fold(names, n, file): the node set of names[1..n], folded, in
# FILE file of the temporary directory.
function names_fold(names, n, file) {
	printf "%s\n", n ? ns_fold(names, n) : "" > (tmp "/" file)
	close(tmp "/" file)
}

# show(): the lines of the report, "LABEL  COUNT  NODESET", from label[1..]
# and the members of each.  The keys of every line go through one
# sort(1), which beats a sort in awk by far at 10,000 nodes.
function show(    i, j, line, cmd, keys, m, text, last, k) {
	cmd = "sort >\"$PERNODE_TMP/sorted\""
	for (i = 1; i <= nlabels; i++)
		for (j = 1; j <= count[lkey[i]]; j++)
			print sprintf("%06d", i) SUBSEP ns_key(members[lkey[i], j]) | cmd
	close(cmd)
	m = 0
	last = 1
	while ((getline line < (tmp "/sorted")) > 0) {
		k = ns_dec(substr(line, 1, 6))
		if (k != last) {
			text[last] = ns_fold_keys(keys, m)
			m = 0
			last = k
		}
		keys[++m] = substr(line, 8)
	}
	close(tmp "/sorted")
	if (m)
		text[last] = ns_fold_keys(keys, m)
	if (nodeset)
		by_nodeset(text)
	for (i = 1; i <= nlabels; i++)
		printf "%-" width "s %6d  %s\n", label[i], count[lkey[i]], text[i]
}

# by_nodeset(text): the sets of text[1..nlabels], as folded here, written
# again by one "nodeset -f" for them all.  Each label gets a tag of
# letters (no digits: a tag must not become a number to fold) before
# every name, so that its names are patterns of their own, folded apart
# from the other labels and in the same order; the tags come off after.
# nodeset writes any form of a set the same way, so this is its own text
# for each line, at the cost of one process.  If it fails, ours stays.
function by_nodeset(text,    i, n, items, tagged, cmd, out, k, t) {
	cmd = "exec nodeset -f >\"$PERNODE_TMP/sets\""
	for (i = 1; i <= nlabels; i++) {
		n = ns_items(text[i], items)
		for (k = 1; k <= n; k++)
			print tag(i) items[k] | cmd
	}
	close(cmd)
	if ((getline out < (tmp "/sets")) <= 0 || out == "")
		return
	close(tmp "/sets")
	n = ns_items(out, items)
	split("", tagged)
	for (k = 1; k <= n; k++) {
		t = substr(items[k], 1, 5)
		if (t in tagged)
			tagged[t] = tagged[t] "," substr(items[k], 6)
		else
			tagged[t] = substr(items[k], 6)
	}
	for (i = 1; i <= nlabels; i++)
		if (tag(i) in tagged)
			text[i] = tagged[tag(i)]
}

# tag(i): four letters and "_" for label i.
function tag(i,    a, s, k) {
	a = "abcdefghijklmnopqrstuvwxyz"
	s = ""
	for (k = 0; k < 4; k++) {
		s = substr(a, i % 26 + 1, 1) s
		i = int(i / 26)
	}
	return s "_"
}

# say(kind, text): on stderr, text and the nodes noted under kind.
function say(kind, text,    i, n, names) {
	if (!(kind in nnoted))
		return
	n = nnoted[kind]
	for (i = 1; i <= n; i++)
		names[i] = noted_names[kind, i]
	printf "%s: %s: %s\n", prog, text, ns_fold(names, n) > "/dev/stderr"
}

# lines(kind): "N line" or "N lines" noted under kind.
function lines(kind) {
	return lines_of[kind] " line" (lines_of[kind] == 1 ? "" : "s")
}

# complain(): on stderr, what was read that was not a whole answer.
function complain() {
	if (nbad)
		printf "%s: %d line%s not of the form NODE: FIELDS, first %s\n", prog,
		    nbad, nbad == 1 ? "" : "s", first_bad > "/dev/stderr"
	say("tool", lines("tool") " from pdsh or clush, not from the nodes, about")
	say("malformed", "malformed answers from")
	say("short", "answers cut short from")
	say("twice", "more than one answer from")
	say("other", lines("other") " of other output (stderr?) from")
	say("newer", lines("newer") \
	    " this version does not read in full (a newer pernode-services?) from")
}

END {
	if (mode != "report" || failed)
		exit failed ? 2 : 0
	tmp = ENVIRON["PERNODE_TMP"]
	nnotok = judge()
	if (apply)
		apply_plan()
	else
		nnotok += behind()
	sort_labels()
	show()
	fflush()
	complain()
	if (nnodes == 0) {
		printf "%s: no node answered\n", prog > "/dev/stderr"
		exit apply ? 3 : 1
	}
	exit nnotok ? 1 : 0
}
