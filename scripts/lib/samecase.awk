# samecase.awk: the lines of input that equal -v node=NAME but for case
# (plan.sh's note_case: a node directory N059/ for the node n059).
tolower($0) == tolower(node)
