# shellcheck shell=sh disable=SC3043,SC2154,SC2034
# (Read alone, this file lacks the globals the init script declares and
# the other files set: lint.bats checks it with them, as one program.
# SC3043: local, which all seven shells of the suite have.)
# trust.sh: what root trusts, checked before anything runs: that the state
# directory is there (mounted), and that nobody but root (or the caller)
# can change it, the directories above it, functions or bin/; and the
# caller: its uid, and the names it exported, which the scripts must not
# get.  Part of pernode-services(8); sourced by the init script.

# Files are checked with find(1), which tests ownership and modes that the
# shell cannot.  find_unsafe FIND-ARGS...: true when find, given these
# paths and options, sees a file not owned by root or by us, or writable
# by group or others.
find_unsafe() {
	[ -n "$(find "$@" \( \( ! -user 0 ! -user "$uid" \) -o -perm -g+w \
	    -o -perm -o+w \) -print 2>/dev/null)" ]
}

# caller_uid: the effective uid, in uid: from /proc/self/status, which
# the shell reads itself (no process), else from id(1).
caller_uid() {
	local key='' real='' effective='' rest=''
	uid=''
	if [ -r /proc/self/status ]; then
		while read -r key real effective rest; do
			[ "$key" != Uid: ] || { uid=$effective; break; }
		done </proc/self/status
	fi
	case $uid in '' | *[!0-9]*) uid=$(id -u) ;; esac
}

# exported_names EXPORTS: the names in "export -p", a line each, in any
# shell's format (a line in a value that looks like one: an extra unset).
exported_names() {
	local line='' name=''
	exported_names=''
	for line in $1; do
		case $line in 'export '* | 'declare -x '*) ;; *) continue ;; esac
		name=${line#export }
		name=${name#declare -x }
		name=${name%%=*}
		case $name in
		'' | *[!A-Za-z0-9_]* | [0-9]*) ;;
		*) exported_names=$exported_names$name$nl ;;
		esac
	done
}

# unsafe_why PATH: why PATH (a file or directory, following links) is
# unsafe, for the report: its owner or its mode.
unsafe_why() {
	set -f
	# shellcheck disable=SC2046 # split into ls's fields on purpose
	set -- $(ls -lndL -- "$1" 2>/dev/null)
	set +f
	if [ "${3:-0}" != 0 ] && [ "$3" != "$uid" ]; then
		unsafe_why="owned by uid $3"
	else
		unsafe_why="writable by group or others ($1)"
	fi
}

# wait_root: give a late state directory (NFS, an automounter) up to
# $root_wait seconds to show its global/, checking after 1, 2, 4... s: one
# sleep(1) a round, never a busy loop.  The run's clock starts before the
# wait (begin_run): the record's "took" counts it.
wait_root() {
	local waited=0 nap=1
	while [ -n "$root" ] && [ ! -d "$root/global" ] && [ "$waited" -lt "$root_wait" ]; do
		[ "$nap" -le $((root_wait - waited)) ] || nap=$((root_wait - waited))
		if [ "$waited" -eq 0 ]; then
			warn "waiting up to ${root_wait}s for $root/global"
			began=$(date -u '+%s %Y-%m-%d %H:%M:%S UTC')
			clock
			began_cs=$uptime_cs
		fi
		sleep "$nap"
		waited=$((waited + nap)) nap=$((nap * 2))
	done
}

# check_root: whether ROOT can serve as the state directory.  Sets
# real_root, and run_refused to why not.  A state directory holds global/
# (make install-state makes it): without one, ROOT is taken for the empty
# mount point of a state directory that is not mounted, never for a node
# with nothing to run.
check_root() {
	local unsafe_path='' unsafe_why='' shown=''
	check_mounted
	[ -z "$run_refused" ] && [ "$check_perms" = yes ] || return 0
	unsafe_path
	[ -n "$unsafe_path" ] || return 0
	[ -n "$unsafe_why" ] || unsafe_why "$unsafe_path"
	shown "$unsafe_path"
	run_refused="refused: $shown is $unsafe_why"
}

# check_mounted: the part of check_root that status repeats when no start
# of this boot is recorded: systemd does not start the unit at all when
# the mount it requires (RequiresMountsFor=) failed.
check_mounted() {
	local shown=''
	run_refused=''
	if [ -z "$root" ]; then
		run_refused="no state directory: ROOT is empty"
		return
	fi
	shown "$root"
	if ! real_root=$(cd -P -- "$root" 2>/dev/null && pwd -P); then
		if [ -d "$root" ]; then
			run_refused="state directory $shown cannot be entered"
		elif [ -e "$root" ]; then
			run_refused="state directory $shown is not a directory"
		else
			run_refused="state directory $shown is missing"
		fi
		return
	fi
	[ -d "$root/global" ] ||
	    run_refused="state directory $shown is not mounted (no global/ in it)"
}

# unsafe_path: the first of what every script trusts that someone other
# than root (or the caller) could change, or ''; unsafe_why says why when
# the mode or owner does not.  Whoever can write ROOT or a directory above
# it can swap any part of the tree; whoever can write ROOT/functions or
# ROOT/bin can change what every script sources or runs from its PATH.
# As OpenSSH's StrictModes, each directory up to / is checked, and a
# root-owned sticky one (/tmp) is safe: others cannot rename or remove
# what is in it.  One find(1) a run.
unsafe_path() {
	local dir='' link='' target='' shown=''
	unsafe_path=''
	# The directories of ROOT as given too: one that holds a link on the
	# way to it could swap the link after the check.
	set -- "$real_root"
	for dir in "$real_root" "$root"; do
		while [ "$dir" != / ]; do
			dir=${dir%/*}
			dir=${dir:-/}
			set -- "$@" "$dir"
		done
	done
	for link in functions bin; do
		[ -L "$real_root/$link" ] || continue
		if ! link_target "$real_root/$link"; then
			unsafe_path=$real_root/$link
			unsafe_why="a symbolic link out of ROOT, to $shown"
			return
		fi
		set -- "$@" "${target%/*}"
	done
	first_unsafe "$@"
}

# link_target LINK: where LINK leads in the end, in target (readlink's
# output ends in a sentinel, so that a name ending in a newline keeps
# it); fails, with the target as shown in shown, when that is out of
# ROOT.  The caller declares target and shown.
link_target() {
	target=$(readlink -f -- "$1" && printf x)
	target=${target%"${nl}x"}
	case $target in "$real_root"/*) return 0 ;; esac
	shown "$target"
	return 1
}

# first_unsafe DIR...: unsafe_path, for these directories, functions and
# bin/ and the files in it.  (Only the first line of find's output counts:
# a path ending in a newline needs no sentinel to keep it.)
first_unsafe() {
	unsafe_path=$(find -L "$@" "$real_root/functions" "$real_root/bin/." \
	    \( -name . -o -prune \) \( \( ! -user 0 ! -user "$uid" \) -o \
	    \( \( -perm -g+w -o -perm -o+w \) ! \( -type d -user 0 -perm -1000 \) \) \) \
	    -print 2>/dev/null)
	unsafe_path=${unsafe_path%%"$nl"*}
	case $unsafe_path in
	"$real_root/bin/.") unsafe_path=$real_root/bin ;;
	"$real_root/bin/./"*) unsafe_path=$real_root/bin/${unsafe_path#"$real_root/bin/./"} ;;
	esac
	# ROOT itself is never exempt for its sticky bit: anyone could add a
	# node's directory to it.  Without the bit, the find above judged it
	# already; posh's test has no -k (status 2): one more find.
	[ -z "$unsafe_path" ] || return 0
	test -k "$real_root/." 2>/dev/null
	[ "$?" -ne 1 ] || return 0
	! find_unsafe "$real_root/." -prune || unsafe_path=$real_root
}

# check_dirs DIR...: the ownership rules for the directories of scripts
# of a walk, checked in one find(1) for them all, each directory first,
# then its files; what fails, one a line between newlines, in dirs_found
# for check_dir.
check_dirs() {
	local dir=''
	dirs_found=''
	[ "$check_perms" = yes ] || return 0
	for dir do
		shift
		set -- "$@" "$dir/."
	done
	dirs_found=$nl$(find -L "$@" \( -name . -o -prune -type f \) \( \( ! -user 0 \
	    ! -user "$uid" \) -o -perm -g+w -o -perm -o+w \) -print 2>/dev/null)$nl
}

# check_dir DIR: of a directory check_dirs checked, dir_state becomes
# "safe" (the directory and all its files pass), "unsafe" (the directory
# itself fails: every script in it is refused, dir_why says why) or
# "mixed" (some file fails: each script is then checked on its own).
check_dir() {
	local unsafe_why=''
	dir_state=safe dir_why=''
	[ "$check_perms" = yes ] || return 0
	case $dirs_found in
	*"$nl$1/.$nl"*)
		dir_state=unsafe
		unsafe_why "$1"
		dir_why=$unsafe_why
		;;
	*"$nl$1/./"*) dir_state=mixed ;;
	esac
}
