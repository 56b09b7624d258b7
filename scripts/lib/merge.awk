# merge.awk: a rerun of chosen scripts folded into the record of the start
# before it (record.sh's record_merge).  Input: the rerun's record, then
# the record before, both tab-separated (-F '\t').  Output: the record
# before, each chosen script's line replaced in place by its new one (a
# script new to the plan at the end), the header and end line of the
# rerun, and its summary with the counts of the whole and ", N rerun".

FNR == NR {
	if ($0 ~ /^# end /) end = $0
	else if ($0 ~ /^# /) { if (FNR == 1) head = $0; else foot = $0 }
	else { line[$4] = $0; names[++n] = $4 }
	next
}
FNR == 1 { print head }
/^# / { next }
{
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

# tally(): count the script line in $0: run when it has an exit status,
# failed when not ok.
function tally() {
	if ($2 != "-") runs++
	if ($1 != "ok") fails++
}
