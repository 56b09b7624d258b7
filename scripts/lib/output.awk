# output.awk: the output of one script, from the tail of the log (run.sh's
# show_output).  -v mark: the text of the script's header line, "[run
# PID.SEQ]"; -v n: how many of its last lines to print.  Tabs become four
# spaces and other control bytes "?": no escape sequence of a script's
# reaches the terminal.
index($0, mark) { c = 0; next }
{ gsub(/\t/, "    "); gsub(/[[:cntrl:]]/, "?"); line[c++ % n] = $0 }
END { for (i = (c > n ? c - n : 0); i < c; i++) print "    | " line[i % n] }
