# changed.awk: the scripts --changed chooses (changed.sh).  Input, -F
# '\t': the record (RUNDIR/status), then on stdin the plan, a line
# "SHOWN<tab>NAME" for each entry that runs or fails, an empty line, and
# what cksum(1) printed of the NAMEs, "CRC SIZE NAME", in their order.
# Output: "WHY<tab>SHOWN<tab>NAME" for each entry new to the record (WHY
# new), whose digest is not the one recorded (changed), or that was not ok
# in it (its result: failed, timed-out, refused), in plan order.

BEGIN { n = at = 0 }	# (n a number: an unset one is "" as a subscript)

# The record: a script line's DIGEST is its 5th field (a record of an
# older version has none there: its ok scripts count as changed).
FNR == NR {
	if ($0 !~ /^# / && NF >= 4)
		was[$4] = $1 != "ok" ? $1 : $5 ~ /^[0-9]+-[0-9]+$/ ? $5 : "-"
	next
}

plan_read == 0 {
	if ($0 == "") {
		plan_read = 1
		next
	}
	k = index($0, "\t")
	shown[n] = substr($0, 1, k - 1)
	name[n++] = substr($0, k + 1)
	next
}

# A digest.  The name that has none (cksum could not read it) is passed
# over; a line whose name is none of those left (cksum escaped it) is
# ignored: both count as changed.
match($0, /^[0-9]+ [0-9]+ /) {
	file = substr($0, RLENGTH + 1)
	split(substr($0, 1, RLENGTH - 1), f, " ")
	for (j = at; j < n && name[j] != file; j++)
		;
	if (j < n) {
		now[j] = f[1] "-" f[2]
		at = j + 1
	}
}

END {
	for (i = 0; i < n; i++) {
		if (!(shown[i] in was))
			why = "new"
		else if (was[shown[i]] !~ /^[0-9-]+$/)
			why = was[shown[i]]
		else if (was[shown[i]] != now[i])
			why = "changed"
		else
			continue
		print why "\t" shown[i] "\t" name[i]
	}
}
