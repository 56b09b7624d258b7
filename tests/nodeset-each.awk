# nodeset-each.awk: for tests/nodeset.bats, run after the node-set
# library (awk -f scripts/lib/nodeset.awk -f tests/nodeset-each.awk):
# each line of input a node set, and for each a line out, its names in
# byte order with a space between, or ERR when the library refuses it.
# One awk for many sets, where the report's -w reads one a process.

{
	n = ns_expand($0)
	if (n < 0) {
		print "ERR"
		next
	}
	for (i = 1; i <= n; i++)
		names[i] = ns_x[i]
	ns_sort(names, n)
	for (i = 1; i <= n; i++)
		printf "%s%s", names[i], i < n ? " " : ""
	print ""
}
