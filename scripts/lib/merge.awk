# merge.awk: a rerun of chosen scripts folded into the record of the start
# before it (record.sh's record_merge).  Input: the rerun's record, then
# the record before, both tab-separated (-F '\t').  Output: the record
# before, each chosen script's line replaced in place by its new one (a
# script new to the plan put in its place in plan order), the header and
# end line of the rerun, and its summary with the counts of the whole and
# ", N rerun".  Both records are in plan order, so one pass places them.

FNR == NR {
	if ($0 ~ /^# end /) end = $0
	else if ($0 ~ /^# /) { if (FNR == 1) head = $0; else foot = $0 }
	else { line[$4] = $0; names[++n] = $4 }
	next
}
FNR == 1 { print head }
/^# / { next }
{
	new_before($4)
	if ($4 in line) { $0 = line[$4]; done[$4] = 1 }
	tally()
	print
}
END {
	for (i = 1; i <= n; i++)
		if (!(names[i] in done)) { $0 = line[names[i]]; tally(); print $0 }
	sub(/: [0-9]+ run, [0-9]+ failed/, ": " (runs + 0) " run, " (fails + 0) " failed", foot)
	if (end != "") print end
	print foot ", " n " rerun"
}

# new_before(NAME): print the rerun's scripts that come before NAME in plan
# order and are not in the record before: past their place, they never
# will be.  (k: how many of names[] are behind.)
function new_before(name,   save) {
	save = $0
	while (k < n && before(names[k + 1], name)) {
		k++
		if (names[k] in done) continue
		done[names[k]] = 1
		$0 = line[names[k]]
		tally()
		print
	}
	$0 = save
}

# before(A, B): whether script A comes before B in plan order: global/,
# then the groups' @NAME/ in byte order of NAME, then the node's; in a
# directory, names in byte order (LC_ALL=C, as the runner globs them).
function before(a, b,   da, db, ra, rb) {
	da = a; sub(/\/.*/, "", da)
	db = b; sub(/\/.*/, "", db)
	ra = da == "global" ? 0 : substr(da, 1, 1) == "@" ? 1 : 2
	rb = db == "global" ? 0 : substr(db, 1, 1) == "@" ? 1 : 2
	if (ra != rb) return ra < rb
	if (da != db) return (da "") < (db "")
	return (substr(a, length(da) + 2) "") < (substr(b, length(db) + 2) "")
}

# tally(): count the script line in $0: run when it has an exit status,
# failed when not ok.
function tally() {
	if ($2 != "-") runs++
	if ($1 != "ok") fails++
}
