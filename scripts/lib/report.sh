# pernode-report: "pernode-services report", the head node's view of every
# node's last run.  It folds what "pernode-services status --machine"
# printed on many nodes, gathered by pdsh or clush ("NODE: FIELDS"), into
# one line a verdict, each with its nodes as a ClusterShell node set.
# With -w and no FILE it runs the fan-out itself.  Head-node work only:
# the boot never needs this file, so it lives beside the runner's
# package, not in it.  See "Seeing every node" in pernode-services(8).

# === Settings ================================================================

# Where the nodes keep the runner: where this node keeps it ($initdir,
# from the init script's settings).
: "${PERNODE_REPORT_COMMAND:=$initdir/pernode-services status --machine}"
: "${PERNODE_REPORT_TIMEOUT:=30}"
# clush or pdsh; by default clush if installed, else pdsh.
: "${PERNODE_REPORT_TOOL:=}"

prog='pernode-services report'
EXIT_USAGE=2
EXIT_CONFIG=6
IFS=' 	
'
LC_ALL=C
export LC_ALL

# === Messages ================================================================

usage() {
	printf 'usage: %s [-v] [-w NODESET] [-f FANOUT] [-t SECONDS] [-R RCMD] [FILE | -]\n' \
	    "$prog"
}

warn() {
	printf '%s: %s\n' "$prog" "$*" >&2
}

die() {
	status=$1
	shift
	warn "$*"
	exit "$status"
}

usage_error() {
	warn "$*"
	usage >&2
	exit "$EXIT_USAGE"
}

# === The fold ================================================================

# One awk program, in two modes.
#   mode=expand  print the names of the node set in ENVIRON["PERNODE_W"],
#                for when nodeset(1) is not installed: ranges and lists
#                only, groups and operators need ClusterShell.
#   mode=report  read the expected names (phase=expect), then the answers
#                (phase=answers), and print the report; exit 0 only when
#                every node is ok.  With -v verbose=1, each line read that
#                is not an answer goes to stderr as well.
# The node sets are written as "nodeset -f" writes them: patterns (the
# name with each run of digits as a hole) in byte order, numbers in order
# of length then value, ranges by ClusterShell's rule for widths (see
# ranges() below).  With nodeset installed (-v nodeset=1), one "nodeset -f"
# writes them all again: one process, never one a line or a node.
# shellcheck disable=SC2016 # awk code: its $ are fields, not shell's
report_awk='
function fail(msg) {
	printf "%s: %s\n", prog, msg > "/dev/stderr"
	failed = 1
	exit 2
}

# --- Sorting: a heapsort, as POSIX awk has none ---------------------------

# sift(a, i, n): restore the heap below i.
function sift(a, i, n,    c, t) {
	while ((c = 2 * i) <= n) {
		if (c < n && a[c + 1] > a[c])
			c++
		if (a[i] >= a[c])
			return
		t = a[i]; a[i] = a[c]; a[c] = t
		i = c
	}
}

# sort(a, n): a[1..n] in ascending string order.
function sort(a, n,    i, t) {
	for (i = int(n / 2); i >= 1; i--)
		sift(a, i, n)
	for (i = n; i > 1; i--) {
		t = a[1]; a[1] = a[i]; a[i] = t
		sift(a, 1, i - 1)
	}
}

# dec(s): the value of the digits s, in decimal whatever the awk (busybox
# awk reads a leading 0 as octal, so "010" would be 8).
function dec(s) {
	sub(/^0+/, "", s)
	return s + 0
}

# padding(s): the width of the digits s when zero-padded ("007": 3),
# else 0, as ClusterShell tells a padded number.
function padding(s) {
	return length(s) > 1 && substr(s, 1, 1) == "0" ? length(s) : 0
}

# numkey(s): a key that sorts numbers by length, then value, as
# ClusterShell orders them ("9" < "08" < "10" < "001").
function numkey(s) {
	return sprintf("%09d", length(s)) s
}

# --- Folding names into a node set ----------------------------------------

# split_name(name): the pattern (each digit run as "%s") into pat, the
# digit runs into num[1..ndim]; returns ndim.
function split_name(name,    rest, n) {
	pat = ""
	n = 0
	rest = name
	while (match(rest, /[0-9]+/)) {
		pat = pat substr(rest, 1, RSTART - 1) "%s"
		num[++n] = substr(rest, RSTART, RLENGTH)
		rest = substr(rest, RSTART + RLENGTH)
	}
	pat = pat rest
	return n
}

# ranges(list): SUBSEP-separated numbers (sorted by numkey, distinct) as
# ClusterShell 1.9 writes a range set, "1-3,05,10-11".  Its rule, kept
# exactly since the report is checked against nodeset -f: a run takes the
# width of its first number (a padded run only numbers of that width, an
# unpadded one only unpadded numbers), and a number that follows at
# another step than 1 joins the run tentatively, at the width of the run.
# So in "02,99,100" the 99 is taken as padded and never meets 100, while
# in "1,99,100" it does.  Numbers of more than 15 digits are listed one
# by one: awk counts in doubles, which cannot tell n+1 from n past that.
function ranges(list,    v, n, i, out, first, last, step, pad, len, d, pm, sm) {
	n = split(list, v, SUBSEP)
	out = ""
	first = last = 1
	pad = padding(v[1])
	step = ""
	for (i = 2; i <= n; i++) {
		len = length(v[i])
		if (len > 15)
			break
		d = dec(v[i]) - dec(v[last])
		pm = pad ? len != pad : padding(v[i]) > 0
		sm = !pm && step != "" && step != d
		if (!pm && !sm) {
			step = d
			last = i
			continue
		}
		if (step == "" || step == 1) {
			out = out span(v, first, last)
			first = i
		} else if (pm) {
			out = out singles(v, first, last)
			first = i
		} else {
			out = out singles(v, first, last - 1)
			first = last
		}
		if (first == i)
			pad = padding(v[i])
		step = sm ? d : ""
		last = i
	}
	out = out (step == "" || step == 1 ? span(v, first, last) : singles(v, first, last))
	for (; i <= n; i++)
		out = out v[i] ","
	return substr(out, 1, length(out) - 1)
}

# span(v, a, b): v[a] through v[b] as one range, with a comma after it.
function span(v, a, b) {
	return a == b ? v[a] "," : v[a] "-" v[b] ","
}

# singles(v, a, b): v[a] through v[b] one by one, each with a comma.
function singles(v, a, b,    i, out) {
	out = ""
	for (i = a; i <= b; i++)
		out = out v[i] ","
	return out
}

# fill(pattern, sets): the pattern with each hole filled by its range set
# (sets joined by SEP2), bracketed unless it is one number.
function fill(p, sets,    s, n, i, out, k) {
	n = split(sets, s, SEP2)
	out = ""
	for (i = 1; i <= n; i++) {
		k = index(p, "%s")
		out = out substr(p, 1, k - 1) (s[i] ~ /[-,]/ ? "[" s[i] "]" : s[i])
		p = substr(p, k + 2)
	}
	return out p
}

# key(name): the key that sorts names as a node set lists them:
# "PATTERN SUBSEP NUMKEY SUBSEP NUMBER ...".  Patterns come in byte
# order (SUBSEP sorts below every byte of a name), and the names of each
# pattern in order of their numbers.
function key(name,    d, j, k) {
	d = split_name(name)
	k = pat
	for (j = 1; j <= d; j++)
		k = k SUBSEP numkey(num[j]) SUBSEP num[j]
	return k
}

# fold(names, n): names[1..n] (distinct) as one node set.
function fold(names, n,    i, keys) {
	for (i = 1; i <= n; i++)
		keys[i] = key(names[i])
	sort(keys, n)
	return fold_keys(keys, n)
}

# fold_keys(keys, n): sorted keys[1..n] as one node set, each pattern
# folded on its own.
function fold_keys(keys, n,    i, j, out, f, p, run, m) {
	out = ""
	for (i = 1; i <= n; i = j) {
		split(keys[i], f, SUBSEP)
		p = f[1]
		split("", run)
		m = 0
		for (j = i; j <= n; j++) {
			split(keys[j], f, SUBSEP)
			if (f[1] != p)
				break
			run[++m] = keys[j]
		}
		out = out (out == "" ? "" : ",") \
		    (index(p, "%s") ? fold_pattern(p, run, m) : p)
	}
	return out
}

# fold_pattern(p, keys, n): the sorted keys of pattern p as node-set text.
# The last hole is folded first, over the names that agree on all the
# others; then, hole by hole towards the first, vectors that agree on
# every other hole are merged.  For one hole this is what nodeset -f
# writes; for more it is the same set, though nodeset may cut it into
# other vectors.
function fold_pattern(p, keys, n,    d, i, j, f, prefix, grp, order, no, vec, nv, ax, rest, merged, first, mo, nm, parts) {
	d = (split(keys[1], f, SUBSEP) - 1) / 2
	split("", grp); split("", order)
	no = 0
	for (i = 1; i <= n; i++) {
		split(keys[i], f, SUBSEP)
		prefix = ""
		for (j = 1; j < d; j++)
			prefix = prefix f[2 * j + 1] SEP2
		if (prefix in grp)
			grp[prefix] = grp[prefix] SUBSEP f[2 * d + 1]
		else {
			order[++no] = prefix
			grp[prefix] = f[2 * d + 1]
		}
	}
	split("", vec)
	for (i = 1; i <= no; i++)
		vec[i] = order[i] ranges(grp[order[i]])
	nv = no
	for (ax = d - 1; ax >= 1; ax--) {
		split("", merged); split("", first); split("", mo)
		nm = 0
		for (i = 1; i <= nv; i++) {
			split(vec[i], parts, SEP2)
			rest = ""
			for (j = 1; j <= d; j++)
				rest = rest (j == ax ? "" : parts[j]) SEP2
			if (rest in merged)
				merged[rest] = merged[rest] SUBSEP numkey(parts[ax]) SUBSEP parts[ax]
			else {
				mo[++nm] = rest
				first[rest] = vec[i]
				merged[rest] = numkey(parts[ax]) SUBSEP parts[ax]
			}
		}
		nv = 0
		for (i = 1; i <= nm; i++) {
			split(first[mo[i]], parts, SEP2)
			parts[ax] = ranges(numbers(merged[mo[i]]))
			vec[++nv] = parts[1]
			for (j = 2; j <= d; j++)
				vec[nv] = vec[nv] SEP2 parts[j]
		}
	}
	out = ""
	for (i = 1; i <= nv; i++)
		out = out (i > 1 ? "," : "") fill(p, vec[i])
	return out
}

# numbers(pairs): "NUMKEY SUBSEP NUMBER ..." sorted by NUMKEY, as
# SUBSEP-separated numbers.  (A hole is merged while every vector still
# holds a single number in it.)
function numbers(pairs,    a, n, i, k, m, out) {
	n = split(pairs, a, SUBSEP)
	m = 0
	for (i = 1; i < n; i += 2)
		k[++m] = a[i] SUBSEP a[i + 1]
	sort(k, m)
	out = ""
	for (i = 1; i <= m; i++) {
		split(k[i], a, SUBSEP)
		out = out (i > 1 ? SUBSEP : "") a[2]
	}
	return out
}

# show(): the lines of the report, "LABEL  COUNT  NODESET", from label[1..]
# and the members of each.  The keys of every line go through one
# sort(1), which beats a sort in awk by far at 10,000 nodes.
function show(    i, j, line, cmd, keys, m, text, last, k) {
	tmp = ENVIRON["PERNODE_TMP"]
	cmd = "sort >\"$PERNODE_TMP/sorted\""
	for (i = 1; i <= nlabels; i++)
		for (j = 1; j <= count[lkey[i]]; j++)
			print sprintf("%06d", i) SUBSEP key(members[lkey[i], j]) | cmd
	close(cmd)
	m = 0
	last = 1
	while ((getline line < (tmp "/sorted")) > 0) {
		k = dec(substr(line, 1, 6))
		if (k != last) {
			text[last] = fold_keys(keys, m)
			m = 0
			last = k
		}
		keys[++m] = substr(line, 8)
	}
	close(tmp "/sorted")
	if (m)
		text[last] = fold_keys(keys, m)
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
		n = items_of(text[i], items)
		for (k = 1; k <= n; k++)
			print tag(i) items[k] | cmd
	}
	close(cmd)
	if ((getline out < (tmp "/sets")) <= 0 || out == "")
		return
	close(tmp "/sets")
	n = items_of(out, items)
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

# items_of(set, items): the comma-separated items of a node-set text,
# commas inside brackets kept, into items[1..]; returns how many.
function items_of(set, items,    n, depth, i, c, start, len) {
	split("", items)
	n = depth = 0
	start = 1
	len = length(set)
	for (i = 1; i <= len; i++) {
		c = substr(set, i, 1)
		if (c == "[")
			depth++
		else if (c == "]")
			depth--
		else if (c == "," && depth == 0) {
			items[++n] = substr(set, start, i - start)
			start = i + 1
		}
	}
	items[++n] = substr(set, start)
	return n
}

# --- Expanding a node set, without ClusterShell ---------------------------

# expand(s): the names of node set s into xnames[1..]; returns how many,
# or -1 with the reason in xerr.  Lists and ranges only, as pdsh -w and
# clush write them ("n[001-016,020],gpu[1-4]"); groups and operators
# need nodeset(1).
function expand(s,    depth, i, c, term, n) {
	split("", xnames)
	nx = 0
	xerr = ""
	if (s == "")
		return fail_x("empty node set")
	if (s ~ /[@!&^ ]/)
		return fail_x("groups and operators need nodeset(1) (ClusterShell)")
	term = ""
	depth = 0
	n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1)
		if (c == "[")
			depth++
		else if (c == "]")
			depth--
		if (c == "," && depth == 0) {
			if (!expand_term(term))
				return -1
			term = ""
		} else
			term = term c
	}
	return expand_term(term) ? nx : -1
}

function fail_x(why) {
	xerr = why
	return -1
}

# expand_term(t): the names of one term, n[01-03]x[1-2], added to xnames;
# 0 (with xerr) if it is not one.
function expand_term(t,    head, body, rest, lst, n, i, r, lo, hi, w, v, outs, no, m, newo, k) {
	no = 1
	outs[1] = ""
	rest = t
	while (rest != "") {
		if ((k = index(rest, "[")) == 0) {
			for (i = 1; i <= no; i++)
				outs[i] = outs[i] rest
			break
		}
		head = substr(rest, 1, k - 1)
		rest = substr(rest, k + 1)
		if ((k = index(rest, "]")) == 0)
			return !fail_x("missing \"]\"")
		body = substr(rest, 1, k - 1)
		rest = substr(rest, k + 1)
		n = split(body, lst, ",")
		m = 0
		split("", newo)
		for (r = 1; r <= n; r++) {
			if (lst[r] ~ /^[0-9]+$/)
				lo = hi = lst[r]
			else if (lst[r] ~ /^[0-9]+-[0-9]+$/) {
				lo = substr(lst[r], 1, index(lst[r], "-") - 1)
				hi = substr(lst[r], index(lst[r], "-") + 1)
			} else
				return !fail_x("bad range \"" lst[r] "\"")
			if (dec(hi) < dec(lo) || length(lo) > 9 || length(hi) > 9 ||
			    m + no * (dec(hi) - dec(lo) + 1) > 1000000)
				return !fail_x("bad range \"" lst[r] "\"")
			if ((w = padding(lo)) == 0)
				w = 1
			for (v = dec(lo); v <= dec(hi); v++)
				for (i = 1; i <= no; i++)
					newo[++m] = outs[i] head sprintf("%0" w "d", v)
		}
		for (i = 1; i <= m; i++)
			outs[i] = newo[i]
		no = m
	}
	for (i = 1; i <= no; i++) {
		if (outs[i] !~ NAME)
			return !fail_x("bad node name \"" shortened(outs[i]) "\"")
		xnames[++nx] = outs[i]
	}
	return 1
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

# tool(rest): a line of pdsh or clush themselves, "NODES: MESSAGE"
# (clush folds the nodes of one message into a set).  The first about a
# node is why it gave no answer, if it says nothing itself: pdsh says
# "command timeout" before "killed by signal 15".
function tool(rest,    k, i, n, msg) {
	k = index(rest, ": ")
	if (k == 0 || (n = expand(substr(rest, 1, k - 1))) <= 0) {
		bad_line()
		return
	}
	raw()
	msg = substr(rest, k + 2)
	for (i = 1; i <= n; i++) {
		xnames[i] = canon(xnames[i])
		expect(xnames[i])
		note("tool", xnames[i])
		if (!(xnames[i] in tool_said) && msg ~ /[^ \t\r]/)
			tool_said[xnames[i]] = msg
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

function answer(node, rest,    f, n, want) {
	# The line of nearly every answer, read without a split.
	if (rest ~ /^script\t[^\t]+\tok\t0\t[0-9.]+$/ && state[node] == "open" &&
	    !(node in unusable)) {
		nscripts[node]++
		nran[node]++
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
	if (f[1] == "run") {
		# DETAIL, the 10th field, came with STATE "failed": an older
		# version writes 9.
		want = 10
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
	} else if (f[1] == "script") {
		want = 5
		if (state[node] != "open") {
			spoil(node, state[node] == "" ? "short" : "twice")
			return
		}
		# (A name the runner wrote is escaped: a control byte in one is
		# not an answer, and must not reach the terminal.)
		if (n < want || f[2] == "" || f[2] ~ /[^ -~]/ ||
		    f[3] !~ /^(ok|failed|timed-out|refused)$/ ||
		    f[4] !~ /^([0-9]+|-)$/ || f[5] !~ /^([0-9]+(\.[0-9]+)?|-)$/) {
			spoil(node, "malformed")
			return
		}
		nscripts[node]++
		if (f[4] != "-")
			nran[node]++
		if (f[3] != "ok") {
			nbadscripts[node]++
			bad_script[node, nbadscripts[node]] = f[3] SUBSEP f[2] SUBSEP f[4]
		}
	} else if (f[1] == "end") {
		want = 2
		if (state[node] != "open") {
			spoil(node, state[node] == "" ? "short" : "twice")
			return
		}
		state[node] = "closed"
		if (n < want || f[2] !~ /^[0-9]+$/ || f[2] != nscripts[node]) {
			spoil(node, "short")
			return
		}
	} else {
		# A kind of line from a newer version: ignored, as promised.
		note("newer", node)
		return
	}
	if (n > want)
		note("newer", node)
}

BEGIN {
	prog = "pernode-services report"
	NAME = "^[A-Za-z0-9_][A-Za-z0-9_.-]*$"
	# Any line a node or ssh said is cut short; a DETAIL, the one line
	# the runner wrote, naming a path and why, much later.
	REASON_MAX = 80
	DETAIL_MAX = 400
	SEP2 = "\034\035"
	if (mode == "expand") {
		if ((n = expand(ENVIRON["PERNODE_W"])) < 0)
			fail("bad node set \"" shortened(ENVIRON["PERNODE_W"]) "\": " xerr)
		for (i = 1; i <= n; i++)
			print xnames[i]
		exit 0
	}
}

# canon(name): the expected node a label stands for.  pdsh labels its
# lines with the host name cut at the first dot: "a1" is "a1.example.com"
# when that is the one expected name it can be.
function canon(name) {
	return !(name in known) && short_of[name] != "" ? short_of[name] : name
}

mode == "report" && phase == "expect" {
	expect($0)
	expected[$0] = 1
	if ((k = index($0, ".")) > 1) {
		s = substr($0, 1, k - 1)
		# (Two expected names with one short name: neither is guessed.)
		short_of[s] = s in short_of ? "" : $0
	}
	next
}

mode == "report" {
	k = index($0, ": ")
	head = canon(k ? substr($0, 1, k - 1) : "")
	if (head in known)
		answer(head, substr($0, k + 2))
	else if (head ~ /^pdsh@/ || head == "clush")
		tool(substr($0, k + 2))
	else if (head ~ NAME) {
		expect(head)
		answer(head, substr($0, k + 2))
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
function add(lbl, node, r,    k) {
	k = sprintf("%02d", r) SUBSEP lbl
	if (!(k in count)) {
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
		rc = length(f[3]) > 3 ? 0 : dec(f[3])
		if (rc > 128 && rc <= 128 + 64)
			return f[2] ": killed by signal " (rc - 128)
		return f[2] ": failed, exit " f[3]
	}
	if (f[1] == "timed-out")
		return f[2] ": timed out"
	return f[2] ": refused"
}

function say(kind, text,    i, n, names) {
	if (!(kind in nnoted))
		return
	n = nnoted[kind]
	for (i = 1; i <= n; i++)
		names[i] = noted_names[kind, i]
	printf "%s: %s: %s\n", prog, text, fold(names, n) > "/dev/stderr"
}

END {
	if (mode != "report" || failed)
		exit failed ? 2 : 0
	width = 0
	notok = 0
	for (i = 1; i <= nnodes; i++) {
		node = nodes[i]
		v = verdict(node)
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
	# Labels: by their rank, then by name.
	sort(labels, nlabels)
	for (i = 1; i <= nlabels; i++) {
		lkey[i] = labels[i]
		label[i] = substr(labels[i], 4)
	}
	show()
	fflush()
	if (nbad)
		printf "%s: %d line%s not of the form NODE: FIELDS, first %s\n", prog,
		    nbad, nbad == 1 ? "" : "s", first_bad > "/dev/stderr"
	say("tool", lines_of["tool"] " line" (lines_of["tool"] == 1 ? "" : "s") \
	    " from pdsh or clush, not from the nodes, about")
	say("malformed", "malformed answers from")
	say("short", "answers cut short from")
	say("twice", "more than one answer from")
	say("other", lines_of["other"] " line" (lines_of["other"] == 1 ? "" : "s") \
	    " of other output (stderr?) from")
	say("newer", lines_of["newer"] " line" (lines_of["newer"] == 1 ? "" : "s") \
	    " this version does not read in full (a newer pernode-services?) from")
	if (nnodes == 0) {
		printf "%s: no node answered\n", prog > "/dev/stderr"
		exit 1
	}
	exit notok ? 1 : 0
}
'

# === Arguments ===============================================================

positive() {
	case $2 in
	'' | *[!0-9]* | 0*) usage_error "$1 '$2' is not a positive whole number" ;;
	esac
	[ "${#2}" -le 9 ] || usage_error "$1 '$2' is too large"
}

parse_args() {
	nodeset_arg='' fanout='' rcmd='' timeout=$PERNODE_REPORT_TIMEOUT
	have_w=0 verbose=0
	OPTIND=1
	while getopts ':vw:f:t:R:h' opt; do
		case $opt in
		v) verbose=1 ;;
		w) nodeset_arg=$OPTARG have_w=1 ;;
		f) positive FANOUT "$OPTARG"; fanout=$OPTARG ;;
		t) positive SECONDS "$OPTARG"; timeout=$OPTARG ;;
		R) rcmd=$OPTARG ;;
		h) usage; exit 0 ;;
		:) usage_error "option -$OPTARG needs a value" ;;
		*)
			# (posh says "?" for a missing value too.)
			case $OPTARG in
			[wftR]) usage_error "option -$OPTARG needs a value" ;;
			esac
			usage_error "unknown option '-$OPTARG'"
			;;
		esac
	done
	shift $((OPTIND - 1))
	[ $# -le 1 ] || usage_error "more than one FILE"
	input=${1-}
	if [ -z "$input" ] && [ "$have_w" -eq 0 ]; then
		usage_error "give -w NODESET, or the FILE (or -) to read"
	fi
	[ "$have_w" -eq 0 ] || [ -n "$nodeset_arg" ] || usage_error "empty NODESET"
	positive PERNODE_REPORT_TIMEOUT "$timeout"
}

# === The fan-out =============================================================

# expected: the names of NODESET, one a line, on stdout.
expected() {
	[ "$have_w" -eq 1 ] || return 0
	if [ "$use_nodeset" -eq 1 ]; then
		nodeset -e -S '\n' -- "$nodeset_arg" ||
		    die "$EXIT_USAGE" "bad node set '$nodeset_arg'"
	else
		PERNODE_W=$nodeset_arg awk -v mode=expand "$report_awk" </dev/null ||
		    exit "$EXIT_USAGE"
	fi
}

# pick_tool: the fan-out tool, clush if installed, else pdsh.
pick_tool() {
	tool=$PERNODE_REPORT_TOOL
	case $tool in
	clush | pdsh)
		command -v "$tool" >/dev/null ||
		    die "$EXIT_CONFIG" "PERNODE_REPORT_TOOL '$tool' is not installed"
		;;
	'')
		# (Not the loop's variable as the result: yash keeps that local
		# to the function.)
		for candidate in clush pdsh; do
			if command -v "$candidate" >/dev/null; then
				tool=$candidate
				break
			fi
		done
		[ -n "$tool" ] ||
		    die "$EXIT_CONFIG" "-w needs clush or pdsh, and neither is installed"
		;;
	*) die "$EXIT_CONFIG" "PERNODE_REPORT_TOOL '$tool' is neither clush nor pdsh" ;;
	esac
}

# fan_out: every node's answer, both streams: the lines of pdsh or clush
# about unreachable nodes are part of the picture.
fan_out() {
	case $tool in
	clush) set -- clush -n -w "$nodeset_arg" -u "$timeout" ;;
	pdsh) set -- pdsh -w "$nodeset_arg" -u "$timeout" ;;
	esac
	[ -z "$fanout" ] || set -- "$@" -f "$fanout"
	[ -z "$rcmd" ] || set -- "$@" -R "$rcmd"
	# The command as words, not globbed: pdsh -R exec runs its argv as
	# given, where ssh and clush would join the words with spaces anyway.
	set -f
	# shellcheck disable=SC2086 # split into words on purpose, see above
	"$@" $PERNODE_REPORT_COMMAND </dev/null 2>&1
}

# === Main ====================================================================

report_main() {
	parse_args "$@"
	use_nodeset=0
	if command -v nodeset >/dev/null && [ "${PERNODE_NODESET-}" != no ]; then
		use_nodeset=1
	fi
	if [ -n "$input" ] && [ "$input" != - ] && [ ! -r "$input" ]; then
		die "$EXIT_USAGE" "cannot read FILE '$input'"
	fi
	[ -n "$input" ] || pick_tool
	if [ -d "$input" ]; then
		die "$EXIT_USAGE" "FILE '$input' is a directory"
	fi
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/pernode-report.XXXXXX") ||
	    die "$EXIT_CONFIG" "cannot make a temporary directory"
	trap 'rm -rf -- "$tmp"' EXIT
	PERNODE_TMP=$tmp
	export PERNODE_TMP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	expected >"$tmp/expected" || exit
	set -- awk -v mode=report -v nodeset="$use_nodeset" -v verbose="$verbose" \
	    "$report_awk" phase=expect "$tmp/expected" phase=answers
	if [ -z "$input" ]; then
		fan_out | "$@" -
	elif [ "$input" = - ]; then
		"$@" -
	else
		# (./ so that a FILE named like an assignment is read as a file.)
		case $input in
		/*) "$@" "$input" ;;
		*) "$@" "./$input" ;;
		esac
	fi
}
