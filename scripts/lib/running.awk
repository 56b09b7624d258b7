# running.awk: the scripts a start is running, from RUNDIR/running
# (record.sh): "SEQ<tab>CENTISECONDS<tab>NAME" as each begins, "SEQ<tab>-"
# as it ends.  -v now: the uptime in centiseconds.  Prints those begun and
# not ended, in the order they began, "NAME for N s", comma-separated, on
# one line; nothing when none is running.
BEGIN { FS = "\t" }
$2 == "-" { gone[$1] = 1; next }
NF >= 3 && $2 ~ /^[0-9]+$/ { seq[n++] = $1; began[$1] = $2; name[$1] = $3 }
END {
	for (i = 0; i < n; i++) {
		s = seq[i]
		if (s in gone)
			continue
		out = out sep name[s] " for " int((now - began[s]) / 100) " s"
		sep = ", "
	}
	if (out != "")
		print out
}
