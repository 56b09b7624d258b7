# nodeset.awk: node sets as ClusterShell writes them, for the awk
# programs of this directory, which are run after it:
#
#   awk -f nodeset.awk -f groups.awk      a node's groups (ROOT/groups)
#   awk -f nodeset.awk -f report.awk      the report: -w, and its fold
#
# One grammar, one reading of it, wherever a node set is read, so that
# the groups file and "report -w" take the same sets and refuse the same
# ones with the same words.  ClusterShell's nodeset(1) is the referee
# (tests/nodeset.bats holds this file to it):
#
#   n059                    a node name
#   n[001-016,020]          a pattern: a bracket holds ranges and lists;
#   n[01-32/2]              zero padding is kept; steps are written /N
#   rack[1-4]n[01-32]       several brackets, every combination
#   n[1-2]0, n1[1-2]        digits beside a bracket are part of its
#                           numbers: n[10-20/10], n[11-12]
#   @gpu                    a group, where groups are known (groups.awk)
#   a,b  a!b  a&b  a^b      union, difference, intersection and symmetric
#                           difference, left to right, no precedence
#
# Blanks around a term are dropped, as ClusterShell drops them.  What
# ClusterShell reads and this does not: negative numbers (n[-1-2]), and
# wildcards and group sources (n*, @src:gpu).  POSIX awk only: it runs
# under mawk, gawk and busybox awk alike.
#
# The names of this file all begin with ns_ (NS_ for constants), so that
# a program run after it has every other name to itself.

BEGIN {
	# An item of a range set is LO:HI:STEP:PAD (PAD the width of a
	# padded range, else 0), and its items are joined by ","; the range
	# sets of a term's holes are joined by NS_RSEP, a byte no node set
	# holds.  In a pattern, a hole is "%s" and a "%" of the name "%%".
	NS_RSEP = "\035"
	# The fold's keys: SUBSEP between fields, NS_SEP2 between holes.
	NS_SEP2 = "\034\035"
	# Expanding a set stops here: the names are held in memory.
	NS_MAX = 1000000
	# What a @GROUP term says where groups are not known; a program
	# that knows why says so instead.
	ns_nogroups = "groups are not known here"
	ns_split_of = ""
	ns_nd = 0
}

# === Numbers as text =========================================================
#
# A node's number is text: "007" and "7" are two nodes.  awk's own
# numbers are doubles, exact to 15 digits, and busybox awk reads "010" as
# octal 8: so numbers are compared as text, and turned into awk numbers
# only by ns_dec, only where 15 digits are known to suffice.

# ns_padded(s): whether the digits s are zero-padded ("007", "00"), as
# ClusterShell tells them; "0" is not.
function ns_padded(s) {
	return length(s) > 1 && substr(s, 1, 1) == "0"
}

# ns_strip(s): the digits s without their leading zeros ("0" for zero).
function ns_strip(s) {
	sub(/^0+/, "", s)
	return s == "" ? "0" : s ""
}

# ns_dec(s): the digits s as an awk number, in decimal whatever the awk.
function ns_dec(s) {
	sub(/^0+/, "", s)
	return s + 0
}

# ns_cmp(a, b): -1, 0 or 1 as the number a is below, equal to or above
# b.  (The "" makes both text: two numbers read from input would else be
# compared as doubles.)
function ns_cmp(a, b) {
	a = ns_strip(a)
	b = ns_strip(b)
	if (length(a) != length(b))
		return length(a) < length(b) ? -1 : 1
	return (a "") < (b "") ? -1 : (a "") > (b "")
}

# ns_add(a, b): a + b, digit by digit past 15 digits.
function ns_add(a, b,    la, lb, i, c, s, out) {
	a = ns_strip(a)
	b = ns_strip(b)
	la = length(a)
	lb = length(b)
	if (la <= 15 && lb <= 15)
		return sprintf("%.0f", a + b)
	out = ""
	c = 0
	for (i = 0; i < la || i < lb || c; i++) {
		s = c + (i < la ? substr(a, la - i, 1) : 0) + (i < lb ? substr(b, lb - i, 1) : 0)
		c = s >= 10
		out = (s % 10) out
	}
	return out
}

# ns_sub(a, b): a - b, for a >= b, digit by digit past 15 digits.
function ns_sub(a, b,    la, lb, i, c, s, out) {
	a = ns_strip(a)
	b = ns_strip(b)
	la = length(a)
	lb = length(b)
	if (la <= 15)
		return sprintf("%.0f", a - b)
	out = ""
	c = 0
	for (i = 0; i < la; i++) {
		s = substr(a, la - i, 1) - c - (i < lb ? substr(b, lb - i, 1) : 0)
		c = s < 0
		out = (s + 10 * c) out
	}
	return ns_strip(out)
}

# ns_mod(a, m): a modulo m, for m > 0: by long division past 15 digits,
# where each step takes m from the remainder at most 9 times.
function ns_mod(a, m,    i, n, r) {
	a = ns_strip(a)
	m = ns_strip(m)
	if (length(a) <= 15 && length(m) <= 15)
		return sprintf("%.0f", a % m)
	r = "0"
	n = length(a)
	for (i = 1; i <= n; i++) {
		r = ns_strip(r substr(a, i, 1))
		while (ns_cmp(r, m) >= 0)
			r = ns_sub(r, m)
	}
	return r
}

# ns_zeros(n): n zeros.
function ns_zeros(n,    s) {
	s = ""
	while (n-- > 0)
		s = s "0"
	return s
}

# ns_numkey(s): a key that sorts numbers by length, then value, as
# ClusterShell orders them ("9" < "08" < "10" < "001").
function ns_numkey(s) {
	return sprintf("%09d", length(s)) s
}

# ns_join(a, n, sep): a[1..n] joined by sep, two by two, then pairs by
# pairs, and so on; a is used up.  (Adding one at a time to the text so
# far copies all of it each time: a long list takes minutes in mawk.)
function ns_join(a, n, sep,    i, m) {
	if (n < 1)
		return ""
	while (n > 1) {
		m = 0
		for (i = 1; i <= n; i += 2)
			a[++m] = i < n ? a[i] sep a[i + 1] : a[i]
		n = m
	}
	return a[1]
}

# === Range sets: what a bracket holds ========================================

# ns_rangeset(r): read the text r of a bracket ("1-4,08-10/2"): "" when
# ClusterShell takes it, with its items in ns_rs (LO:HI:STEP:PAD, joined
# by ",") and as written, blanks dropped, in ns_rsraw; else why not.
# The rules are ClusterShell's: a range never goes down; a padded bound
# makes every number of the range that wide, so both bounds must be; a
# step needs a range (or is 1).
function ns_rangeset(r,    n, it, i, x, lo, hi, step, p, pad, out) {
	if (r ~ /^[ \t]*$/)
		return "empty range"
	n = split(r, it, ",")
	for (i = 1; i <= n; i++) {
		x = it[i]
		if (x !~ /[0-9][ \t]+[0-9]/)
			gsub(/[ \t]+/, "", x)
		if (x == "")
			return "empty range"
		if (x !~ /^[0-9]+(-[0-9]+)?(\/[0-9]+)?$/)
			return "bad range item \"" x "\""
		step = 1
		if ((p = index(x, "/")) > 0) {
			step = substr(x, p + 1)
			lo = substr(x, 1, p - 1)
		} else
			lo = x
		hi = lo
		if ((p = index(lo, "-")) > 0) {
			hi = substr(lo, p + 1)
			lo = substr(lo, 1, p - 1)
		} else if (ns_cmp(step, 1) != 0)
			return "bad range item \"" x "\""
		if (ns_cmp(step, 0) == 0)
			return "step of 0 in \"" x "\""
		if (ns_cmp(lo, hi) > 0)
			return "range \"" x "\" goes down"
		# (A high bound of zeros pads nothing: "0-00" is 0.)
		pad = ns_padded(lo) ? length(lo) : 0
		if ((pad || (ns_padded(hi) && ns_strip(hi) != "0")) &&
		    length(lo) != length(hi))
			return "padding length mismatch in \"" x "\""
		out[i] = lo ":" hi ":" ns_strip(step) ":" pad
		it[i] = x
	}
	ns_rs = ns_join(out, n, ",")
	ns_rsraw = ns_join(it, n, ",")
	return ""
}

# ns_inrange(rs, d): whether the digits d are a number of range set rs:
# as wide as its range if that is padded, else with no leading zero; in
# its bounds; on its step.
function ns_inrange(rs, d,    n, it, i, f) {
	n = split(rs, it, ",")
	for (i = 1; i <= n; i++) {
		split(it[i], f, ":")
		if (f[4] + 0 ? length(d) != f[4] + 0 : ns_padded(d))
			continue
		if (ns_cmp(d, f[1]) < 0 || ns_cmp(d, f[2]) > 0)
			continue
		if (f[3] != "1" && ns_mod(ns_sub(d, f[1]), f[3]) != "0")
			continue
		return 1
	}
	return 0
}

# ns_numbers(rs, out, max): the numbers of range set rs, as text, into
# out[1..] in the order written (repeats kept); how many, or -1 when
# that would be more than max.
function ns_numbers(rs, out, max,    n, it, i, f, m, v, hi, step, w) {
	n = split(rs, it, ",")
	m = 0
	for (i = 1; i <= n; i++) {
		split(it[i], f, ":")
		# (Counted in doubles: near enough to stop at max.)
		if (m + (ns_dec(f[2]) - ns_dec(f[1])) / ns_dec(f[3]) + 1 > max)
			return -1
		w = f[4] + 0
		if (length(f[2]) <= 15 && length(f[3]) <= 15) {
			hi = ns_dec(f[2])
			step = ns_dec(f[3])
			for (v = ns_dec(f[1]); v <= hi; v += step)
				out[++m] = w ? sprintf("%0" w ".0f", v) : sprintf("%.0f", v)
		} else
			for (v = f[1]; ns_cmp(v, f[2]) <= 0; v = ns_add(v, f[3])) {
				if (length(v) < w)
					v = ns_zeros(w - length(v)) v
				out[++m] = v
			}
	}
	return m
}

# ns_trailing(items, digits): the items (as ns_rsraw) with the digits
# that follow their bracket: n[1-3]0 is n[10-30/10].
function ns_trailing(items, digits,    n, it, i, p) {
	n = split(items, it, ",")
	for (i = 1; i <= n; i++)
		if ((p = index(it[i], "-")) > 0)
			it[i] = substr(it[i], 1, p - 1) digits "-" substr(it[i], p + 1) \
			    digits "/1" ns_zeros(length(digits))
		else
			it[i] = it[i] digits
	return ns_join(it, n, ",")
}

# ns_leading(digits): read again range set ns_rs with the digits that
# come before its bracket, as ClusterShell does: they go before the
# bounds of each contiguous run of its numbers, so that n1[1-2] is
# n[11-12], and n1[8-12] n[18-112] (not n18, n19, n110, ...).  "" or why
# not, as ns_rangeset.
function ns_leading(digits,    f, v, m, i, keys, n, it, p) {
	# Most often one run whose bounds have one width: nothing to sort.
	if (ns_rs !~ /,/ && split(ns_rs, f, ":") == 4 && f[3] == "1" &&
	    length(f[1]) == length(f[2]))
		return ns_rangeset(digits f[1] "-" digits f[2])
	if ((m = ns_numbers(ns_rs, v, NS_MAX)) < 0)
		return "more than " NS_MAX " numbers in \"" ns_rsraw "\""
	for (i = 1; i <= m; i++)
		keys[i] = ns_numkey(v[i]) SUBSEP v[i]
	ns_sort(keys, m)
	n = 0
	for (i = 1; i <= m; i++)
		if (i == 1 || keys[i] != keys[i - 1])
			v[++n] = substr(keys[i], index(keys[i], SUBSEP) + 1)
	n = split(ns_ranges_of(v, n), it, ",")
	for (i = 1; i <= n; i++)
		if ((p = index(it[i], "-")) > 0)
			it[i] = digits substr(it[i], 1, p - 1) "-" digits substr(it[i], p + 1)
		else
			it[i] = digits it[i]
	return ns_rangeset(ns_join(it, n, ","))
}

# === Terms and expressions ===================================================

# ns_term(t): read term t, a node name, a pattern or @GROUP: "" when
# ClusterShell reads it, else why not.  Leaves the GROUP of @GROUP in
# ns_tgrp; t itself in ns_tlit when it has no bracket (a name is itself,
# "n01" is not "n1"); else the pattern in ns_tpat, each bracket and each
# other run of digits a hole, and the range sets of the holes in ns_trss.
function ns_term(t,    rest, i, j, pfx, digits, why) {
	ns_tgrp = ns_tlit = ns_tpat = ns_trss = ""
	ns_tholes = 0
	if (substr(t, 1, 1) == "@") {
		if (t !~ /^@[A-Za-z0-9_][A-Za-z0-9_.+-]*$/)
			return "bad group name \"" t "\""
		ns_tgrp = substr(t, 2)
		return ""
	}
	if (index(t, "[") == 0) {
		if (index(t, "]"))
			return "stray ] in \"" t "\""
		ns_tlit = t
		return ""
	}
	rest = t
	while ((i = index(rest, "[")) > 0) {
		pfx = substr(rest, 1, i - 1)
		if (index(pfx, "]"))
			return "stray ] in \"" t "\""
		rest = substr(rest, i + 1)
		if ((j = index(rest, "]")) == 0)
			return "missing ] in \"" t "\""
		if ((why = ns_rangeset(substr(rest, 1, j - 1))) != "")
			return why
		rest = substr(rest, j + 1)
		if (match(rest, /^[0-9]+/)) {
			digits = substr(rest, 1, RLENGTH)
			rest = substr(rest, RLENGTH + 1)
			# (Steps would have to be multiplied: ClusterShell refuses.)
			if (index(ns_rsraw, "/"))
				return "digits after a range with steps in \"" t "\""
			if ((why = ns_rangeset(ns_trailing(ns_rsraw, digits))) != "")
				return why
		}
		if (substr(rest, 1, 1) == "[")
			return "brackets one after another in \"" t "\""
		if (match(pfx, /[0-9]+$/)) {
			digits = substr(pfx, RSTART)
			pfx = substr(pfx, 1, RSTART - 1)
			if ((why = ns_leading(digits)) != "")
				return why
		}
		# (The holes of the prefix come before the bracket's.)
		ns_tpat = ns_tpat ns_holes(pfx) "%s"
		ns_hole(ns_rs)
	}
	if (index(rest, "]"))
		return "stray ] in \"" t "\""
	ns_tpat = ns_tpat ns_holes(rest)
	return ""
}

# ns_holes(s): the pattern of the text s, outside brackets: each run of
# digits a hole of that one number, added to ns_trss.
function ns_holes(s,    out, d) {
	gsub(/%/, "%%", s)
	out = ""
	while (match(s, /[0-9]+/)) {
		d = substr(s, RSTART, RLENGTH)
		out = out substr(s, 1, RSTART - 1) "%s"
		ns_hole(d ":" d ":1:" (ns_padded(d) ? length(d) : 0))
		s = substr(s, RSTART + RLENGTH)
	}
	return out s
}

function ns_hole(rs) {
	ns_trss = ns_tholes++ ? ns_trss NS_RSEP rs : rs
}

# ns_parse(e, base): read node set e: "" when ClusterShell reads it,
# else why not.  Leaves its ns_nterms terms at base + 1 on (a program
# that keeps many sets gives each its own base), each with the operator
# before it in ns_op[k] ("," for the first) and as ns_term leaves it in
# ns_grp[k], ns_lit[k], ns_pat[k] and ns_rss[k].  A term is a run of
# characters other than brackets and operators, and of whole brackets.
function ns_parse(e, base,    k, t, o, why, blanks) {
	k = base
	o = ","
	blanks = e ~ /[ \t]/
	for (;;) {
		match(e, /^([^][,!&^]|\[[^][]*\])*/)
		t = substr(e, 1, RLENGTH)
		e = substr(e, RLENGTH + 1)
		if (blanks) {
			sub(/^[ \t]+/, "", t)
			sub(/[ \t]+$/, "", t)
		}
		if (t == "")
			return "missing node set operand"
		ns_op[++k] = o
		# Most terms are names, read here at once, as ns_term would.
		if (t !~ /[][@]/) {
			ns_grp[k] = ""
			ns_lit[k] = t
		} else if ((why = ns_term(t)) != "")
			return why
		else {
			ns_grp[k] = ns_tgrp
			ns_lit[k] = ns_tlit
			ns_pat[k] = ns_tpat
			ns_rss[k] = ns_trss
		}
		if (e == "")
			break
		o = substr(e, 1, 1)
		e = substr(e, 2)
		if (o == "]")
			return "stray ] in \"" t o e "\""
		if (o == "[" && index(e, "]") == 0)
			return "missing ] in \"" t o e "\""
		if (o == "[")
			return "brackets nested or one after another in \"" t o e "\""
		if (e ~ /^[ \t]*$/)
			return "missing node set operand after \"" o "\""
	}
	ns_nterms = k - base
	return ""
}

# === Membership: is this name in that term ===================================

# ns_member(lit, pat, rss, name): whether name is in the term that
# ns_term read as lit, pat and rss (not a group).  A name is split once
# for every term it is tested against (see ns_split).
function ns_member(lit, pat, rss, name,    n, rs, i) {
	if (lit != "")
		return lit == name
	if (name != ns_split_of)
		ns_split(name)
	if (pat != ns_npat)
		return 0
	n = split(rss, rs, NS_RSEP)
	if (n != ns_nd)
		return 0
	for (i = 1; i <= n; i++)
		if (!ns_inrange(rs[i], ns_nnum[i]))
			return 0
	return 1
}

# ns_split(name): the pattern of name (each run of digits as "%s", a "%"
# as "%%", as in a term's) into ns_npat, the runs into ns_nnum[1..ns_nd];
# returns ns_nd.
function ns_split(name,    rest) {
	ns_split_of = name
	ns_npat = ""
	ns_nd = 0
	rest = name
	if (index(rest, "%"))
		gsub(/%/, "%%", rest)
	while (match(rest, /[0-9]+/)) {
		ns_npat = ns_npat substr(rest, 1, RSTART - 1) "%s"
		ns_nnum[++ns_nd] = substr(rest, RSTART, RLENGTH)
		rest = substr(rest, RSTART + RLENGTH)
	}
	ns_npat = ns_npat rest
	return ns_nd
}

# === Expansion: the names of a set ===========================================

# ns_expand(e): the names of node set e into ns_x[1..], in the order
# first met; their count, or -1 with why not in ns_err.  The operators
# act left to right on the names so far; a name taken out and put back
# goes last.  A @GROUP fails, saying ns_nogroups.
function ns_expand(e,    why, k, m, i, t, o, names, seen, res, pos, nr) {
	split("", ns_x)
	ns_err = ""
	if ((why = ns_parse(e, 0)) != "")
		return ns_fail(why)
	# res[1..nr]: the names in order; pos[name]: where, 0 once taken out.
	split("", res)
	split("", pos)
	nr = 0
	for (k = 1; k <= ns_nterms; k++) {
		if (ns_grp[k] != "")
			return ns_fail(ns_nogroups)
		if ((m = ns_names(k, names)) < 0)
			return ns_fail("more than " NS_MAX " nodes")
		o = ns_op[k]
		split("", seen)
		for (i = 1; i <= m; i++)
			seen[names[i]] = 1
		if (o == "&") {
			for (i = 1; i <= nr; i++)
				if (pos[res[i]] == i && !(res[i] in seen))
					pos[res[i]] = 0
			continue
		}
		for (i = 1; i <= m; i++) {
			t = names[i]
			if (!(t in seen))
				continue
			delete seen[t]
			if ((t in pos) && pos[t] > 0) {
				if (o != ",")
					pos[t] = 0
			} else if (o != "!") {
				res[++nr] = t
				pos[t] = nr
			}
		}
		if (nr > NS_MAX)
			return ns_fail("more than " NS_MAX " nodes")
	}
	m = 0
	for (i = 1; i <= nr; i++)
		if (pos[res[i]] == i)
			ns_x[++m] = res[i]
	return m
}

function ns_fail(why) {
	ns_err = why
	return -1
}

# ns_names(k, out): the names of term k of ns_parse into out[1..], every
# combination of its holes' numbers; how many, or -1 past NS_MAX.
function ns_names(k, out,    rs, nh, h, pat, p, lit, nums, nv, outs, no, m, more, i, j) {
	split("", out)
	if (ns_lit[k] != "") {
		out[1] = ns_lit[k]
		return 1
	}
	nh = split(ns_rss[k], rs, NS_RSEP)
	pat = ns_pat[k]
	split("", outs)
	outs[1] = ""
	no = 1
	for (h = 1; h <= nh; h++) {
		# The text before the hole, "%%" back to "%".
		lit = ""
		while ((p = index(pat, "%")) > 0 && substr(pat, p + 1, 1) == "%") {
			lit = lit substr(pat, 1, p)
			pat = substr(pat, p + 2)
		}
		lit = lit substr(pat, 1, p - 1)
		pat = substr(pat, p + 2)
		nv = ns_numbers(rs[h], nums, NS_MAX)
		if (nv < 0 || no * nv > NS_MAX)
			return -1
		m = 0
		split("", more)
		for (i = 1; i <= no; i++)
			for (j = 1; j <= nv; j++)
				more[++m] = outs[i] lit nums[j]
		split("", outs)
		for (i = 1; i <= m; i++)
			outs[i] = more[i]
		no = m
	}
	gsub(/%%/, "%", pat)
	for (i = 1; i <= no; i++)
		out[i] = outs[i] pat
	return no
}

# === Sorting: a heapsort, as POSIX awk has none ==============================

# ns_sift(a, i, n): restore the heap below i.
function ns_sift(a, i, n,    c, t) {
	while ((c = 2 * i) <= n) {
		if (c < n && a[c + 1] > a[c])
			c++
		if (a[i] >= a[c])
			return
		t = a[i]; a[i] = a[c]; a[c] = t
		i = c
	}
}

# ns_sort(a, n): a[1..n] in ascending string order.
function ns_sort(a, n,    i, t) {
	for (i = int(n / 2); i >= 1; i--)
		ns_sift(a, i, n)
	for (i = n; i > 1; i--) {
		t = a[1]; a[1] = a[i]; a[i] = t
		ns_sift(a, 1, i - 1)
	}
}

# === Folding: names into a node set, as "nodeset -f" writes it ===============
#
# Patterns (the name with each run of digits as a hole) in byte order,
# numbers in order of length then value, ranges by ClusterShell's rule
# for widths (see ns_ranges).  For names of one number this is the text
# of nodeset -f; for more, the same set, perhaps cut into other vectors.

# ns_ranges(list): SUBSEP-separated numbers (sorted by ns_numkey,
# distinct) as ClusterShell 1.9 writes a range set, "1-3,05,10-11".  Its
# rule, kept exactly: a run takes the width of its first number (a
# padded run only numbers of that width, an unpadded one only unpadded
# numbers), and a number that follows at another step than 1 joins the
# run tentatively, at the width of the run.  So in "02,99,100" the 99 is
# taken as padded and never meets 100, while in "1,99,100" it does.
# Numbers of more than 15 digits are listed one by one.
function ns_ranges(list,    v, n) {
	n = split(list, v, SUBSEP)
	return ns_ranges_of(v, n)
}

# ns_ranges_of(v, n): the same of v[1..n].  The ranges and single
# numbers are gathered in r[1..nr], then joined.
function ns_ranges_of(v, n,    r, nr, i, first, last, step, pad, len, d, pm, sm) {
	nr = 0
	first = last = 1
	pad = ns_padded(v[1]) ? length(v[1]) : 0
	step = ""
	for (i = 2; i <= n; i++) {
		len = length(v[i])
		if (len > 15)
			break
		d = ns_dec(v[i]) - ns_dec(v[last])
		pm = pad ? len != pad : ns_padded(v[i])
		sm = !pm && step != "" && step != d
		if (!pm && !sm) {
			step = d
			last = i
			continue
		}
		if (step == "" || step == 1) {
			nr = ns_span(v, first, last, r, nr)
			first = i
		} else if (pm) {
			nr = ns_singles(v, first, last, r, nr)
			first = i
		} else {
			nr = ns_singles(v, first, last - 1, r, nr)
			first = last
		}
		if (first == i)
			pad = ns_padded(v[i]) ? length(v[i]) : 0
		step = sm ? d : ""
		last = i
	}
	if (step == "" || step == 1)
		nr = ns_span(v, first, last, r, nr)
	else
		nr = ns_singles(v, first, last, r, nr)
	for (; i <= n; i++)
		r[++nr] = v[i]
	return ns_join(r, nr, ",")
}

# ns_span(v, a, b, r, nr): v[a] through v[b] as one range, into r after
# r[nr]; the new count of r.
function ns_span(v, a, b, r, nr) {
	r[++nr] = a == b ? v[a] : v[a] "-" v[b]
	return nr
}

# ns_singles(v, a, b, r, nr): v[a] through v[b] one by one, into r after
# r[nr]; the new count of r.
function ns_singles(v, a, b, r, nr,    i) {
	for (i = a; i <= b; i++)
		r[++nr] = v[i]
	return nr
}

# ns_fill(p, sets): pattern p with each hole filled by its range set
# (sets joined by NS_SEP2), bracketed unless it is one number.
function ns_fill(p, sets,    s, n, i, out, k) {
	n = split(sets, s, NS_SEP2)
	out = ""
	for (i = 1; i <= n; i++) {
		k = index(p, "%s")
		out = out substr(p, 1, k - 1) (s[i] ~ /[-,]/ ? "[" s[i] "]" : s[i])
		p = substr(p, k + 2)
	}
	return out p
}

# ns_key(name): the key that sorts names as a node set lists them:
# "PATTERN SUBSEP NUMKEY SUBSEP NUMBER ...".  Patterns come in byte
# order (SUBSEP sorts below every byte of a name), and the names of each
# pattern in order of their numbers.  (The names folded are node names:
# no "%" in them, so that every "%s" of a pattern is a hole.)
function ns_key(name,    d, j, k) {
	d = ns_split(name)
	k = ns_npat
	for (j = 1; j <= d; j++)
		k = k SUBSEP ns_numkey(ns_nnum[j]) SUBSEP ns_nnum[j]
	return k
}

# ns_fold(names, n): names[1..n] (distinct) as one node set.
function ns_fold(names, n,    i, keys) {
	for (i = 1; i <= n; i++)
		keys[i] = ns_key(names[i])
	ns_sort(keys, n)
	return ns_fold_keys(keys, n)
}

# ns_fold_keys(keys, n): sorted keys[1..n] as one node set, each
# pattern folded on its own.
function ns_fold_keys(keys, n,    i, j, out, f, p, run, m) {
	# Keys sort by pattern first: one pattern for the first and the last
	# is one for all (the usual case, n001..n999), and needs no split.
	p = substr(keys[1], 1, index(keys[1], SUBSEP) - 1)
	if (n > 0 && index(keys[n], p SUBSEP) == 1)
		return index(p, "%s") ? ns_fold_pattern(p, keys, n) : p
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
		    (index(p, "%s") ? ns_fold_pattern(p, run, m) : p)
	}
	return out
}

# ns_fold_pattern(p, keys, n): the sorted keys of pattern p as node-set
# text.  The last hole is folded first, over the names that agree on all
# the others; then, hole by hole towards the first, vectors that agree
# on every other hole are merged.
# ns_gather(byprefix, prefixes, no, prefix, run, k): the numbers
# run[1..k] of prefix added to byprefix[prefix] (SUBSEP between), the
# prefix to prefixes[1..no] when new; the new count of prefixes.  The
# run is joined by halves, so that no string is copied more than log k
# times.
function ns_gather(byprefix, prefixes, no, prefix, run, k,    s) {
	s = ns_join_run(run, 1, k)
	if (prefix in byprefix)
		byprefix[prefix] = byprefix[prefix] SUBSEP s
	else {
		prefixes[++no] = prefix
		byprefix[prefix] = s
	}
	return no
}

# ns_join_run(run, lo, hi): run[lo..hi] joined with SUBSEP.
function ns_join_run(run, lo, hi,    mid) {
	if (lo == hi)
		return run[lo]
	mid = int((lo + hi) / 2)
	return ns_join_run(run, lo, mid) SUBSEP ns_join_run(run, mid + 1, hi)
}

function ns_fold_pattern(p, keys, n,    d, i, j, f, prefix, byprefix, prefixes, no, vec, nv, ax, rest, merged, first, mo, nm, parts, out, cur, run, k, len) {
	d = (split(keys[1], f, SUBSEP) - 1) / 2
	# One hole: each key is "p SUBSEP NUMKEY SUBSEP NUMBER", NUMKEY nine
	# digits and NUMBER, so NUMBER is the key's last (length - length(p)
	# - 11) / 2 bytes: no split, and no prefix to gather by.
	if (d == 1) {
		len = length(p) + 11
		for (i = 1; i <= n; i++)
			run[i] = substr(keys[i], (length(keys[i]) + len) / 2 + 1)
		return ns_fill(p, ns_ranges_of(run, n))
	}
	split("", byprefix)
	split("", prefixes)
	no = 0
	# The keys come sorted, so one prefix's last numbers mostly come
	# together: each such run is gathered in run[] and joined once.
	# (Appending a number at a time to one string copies the string each
	# time: quadratic, 13 s at 50,000 names under mawk.)
	cur = ""
	k = 0
	for (i = 1; i <= n; i++) {
		split(keys[i], f, SUBSEP)
		prefix = ""
		for (j = 1; j < d; j++)
			prefix = prefix f[2 * j + 1] NS_SEP2
		if (k && prefix != cur) {
			no = ns_gather(byprefix, prefixes, no, cur, run, k)
			k = 0
		}
		cur = prefix
		run[++k] = f[2 * d + 1]
	}
	if (k)
		no = ns_gather(byprefix, prefixes, no, cur, run, k)
	split("", vec)
	for (i = 1; i <= no; i++)
		vec[i] = prefixes[i] ns_ranges(byprefix[prefixes[i]])
	nv = no
	for (ax = d - 1; ax >= 1; ax--) {
		split("", merged)
		split("", first)
		split("", mo)
		nm = 0
		for (i = 1; i <= nv; i++) {
			split(vec[i], parts, NS_SEP2)
			rest = ""
			for (j = 1; j <= d; j++)
				rest = rest (j == ax ? "" : parts[j]) NS_SEP2
			if (rest in merged)
				merged[rest] = merged[rest] SUBSEP ns_numkey(parts[ax]) SUBSEP parts[ax]
			else {
				mo[++nm] = rest
				first[rest] = vec[i]
				merged[rest] = ns_numkey(parts[ax]) SUBSEP parts[ax]
			}
		}
		nv = 0
		for (i = 1; i <= nm; i++) {
			split(first[mo[i]], parts, NS_SEP2)
			parts[ax] = ns_ranges(ns_sorted_pairs(merged[mo[i]]))
			vec[++nv] = parts[1]
			for (j = 2; j <= d; j++)
				vec[nv] = vec[nv] NS_SEP2 parts[j]
		}
	}
	out = ""
	for (i = 1; i <= nv; i++)
		out = out (i > 1 ? "," : "") ns_fill(p, vec[i])
	return out
}

# ns_sorted_pairs(pairs): "NUMKEY SUBSEP NUMBER ..." sorted by NUMKEY,
# as SUBSEP-separated numbers.  (A hole is merged while every vector
# still holds a single number in it.)
function ns_sorted_pairs(pairs,    a, n, i, k, m, out) {
	n = split(pairs, a, SUBSEP)
	m = 0
	for (i = 1; i < n; i += 2)
		k[++m] = a[i] SUBSEP a[i + 1]
	ns_sort(k, m)
	out = ""
	for (i = 1; i <= m; i++) {
		split(k[i], a, SUBSEP)
		out = out (i > 1 ? SUBSEP : "") a[2]
	}
	return out
}

# ns_items(set, items): the comma-separated items of node-set text set,
# commas inside brackets kept, into items[1..]; returns how many.
function ns_items(set, items,    n, depth, i, c, start, len) {
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
