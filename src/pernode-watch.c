/*
 * pernode-watch: run the scripts of one pernode-services run as the
 * runner asks on standard input, each in a process group of its own and
 * under its time limit, and say on standard output how each ended.
 *
 * One watcher a run instead of a timeout(1) a script: the watcher starts
 * each script itself and keeps every deadline from one pselect() loop, so
 * that a script costs one process and nothing more.  It starts them with
 * posix_spawn(3), not fork(2): glibc's is a clone(2) sharing the watcher's
 * memory until the exec (CLONE_VM | CLONE_VFORK), which copies no page
 * tables and is the larger part of a short script's cost.  The protocol
 * is in pernode-watch(8).
 *
 * Helpers return 0, or -1 as system calls do, or an error number as
 * posix_spawn(3) does, or the status to exit with having said why; main()
 * decides when to exit.
 *
 * SPDX-License-Identifier: MIT
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* O_TMPFILE, err(3) */
#endif

#include <sys/types.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "timespec.h"

#define EXIT_SYSTEM	1
#define EXIT_USAGE	2


/* The environment, passed on unchanged; POSIX has the program declare it. */
extern char **environ;

/* The longest field of a request, and the part of one a message shows. */
#define FIELD_MAX	PATH_MAX
#define SHOWN		64

/* What the deadline did to a script, as the reply's LIMIT says it. */
enum limit { LIMIT_NONE, LIMIT_TERM, LIMIT_KILL };
static const char *const limit_word[] = { "-", "term", "kill" };

/* A script started and not yet released (reaped, or flushed with -b). */
struct script {
	long		 seq;
	pid_t		 pid;		/* and its process group; 0 once reaped */
	struct timespec	 start;		/* CLOCK_MONOTONIC */
	enum limit	 limit;
	int		 buf;		/* -b: its buffer file, else -1 */
	char		 digest[24];	/* "CRC-SIZE" of what it ran, or "-" */
};

/* The request being read: its fields so far. */
struct request {
	char		 field[4][FIELD_MAX + 1];
	size_t		 nfields;	/* complete */
	size_t		 len;		/* of the one being read */
	size_t		 want;		/* how many its word takes; 0 before */
};

struct watch {
	const char	*name;		/* as err(3) names the program */
	struct script	*scripts;	/* in no order */
	size_t		 n, cap;
	size_t		 running;
	struct timespec	 limit;		/* -t; zero: none */
	struct timespec	 killafter;	/* -k; zero: never */
	const char	*bufdir;	/* -b, else NULL */
	int		 tmpfile;	/* O_TMPFILE works in bufdir */
	int		 null;		/* /dev/null, open for both ways */
	int		 quiet;
	int		 input;		/* requests are still read */
	int		 replies;	/* stdout still takes them */
	int		 status;	/* the first failure's */
	sigset_t	 waiting;	/* the mask in pselect: SIGCHLD let in */
	posix_spawnattr_t attr;		/* every script's, from spawnattr() */
	struct request	 req;
	uint32_t	 crctab[256];	/* cksum(1)'s CRC, a byte at a time */
};

static const struct timespec zero;
static volatile sig_atomic_t gotchld;

static void
onchld(int sig)
{
	(void)sig;
	gotchld = 1;
}

static int
now(struct timespec *ts)
{
	if (clock_gettime(CLOCK_MONOTONIC, ts) == -1) {
		warn("clock_gettime");
		return -1;
	}
	return 0;
}

/*
 * The first SHOWN bytes of s, each byte that is not printable as \ooo,
 * so that a message naming it is one line.
 */
static const char *
shown(const char *s, char *buf, size_t size)
{
	size_t i, len = 0;
	unsigned char c;

	for (i = 0; i < SHOWN && s[i] != '\0' && len + 5 < size; i++) {
		c = (unsigned char)s[i];
		if (isprint(c) && c != '\\')
			buf[len++] = (char)c;
		else
			len += (size_t)snprintf(buf + len, size - len, "\\%03o", c);
	}
	if (s[i] != '\0' && len + 4 < size) {
		memcpy(buf + len, "...", 3);
		len += 3;
	}
	buf[len] = '\0';
	return buf;
}

/* A whole decimal number of at most max: NULL or why s is refused. */
static const char *
whole(const char *s, long max, long *n)
{
	char *end;

	/* strtol(3) would take blanks and a sign. */
	if (*s == '\0')
		return "empty number";
	if (*s < '0' || *s > '9')
		return "not a whole number";
	errno = 0;
	*n = strtol(s, &end, 10);
	if (*end != '\0')
		return "not a whole number";
	if (errno == ERANGE || *n > max)
		return "number out of range";
	return NULL;
}

/* -t and -k: NULL or why arg is refused.  INT_MAX s is 68 years. */
static const char *
seconds(const char *arg, struct timespec *ts)
{
	const char *why;
	long n;

	if ((why = whole(arg, INT_MAX, &n)) != NULL)
		return why;
	ts->tv_sec = (time_t)n;
	ts->tv_nsec = 0;
	return NULL;
}

/* The operand of each option, as the synopsis names it. */
static const char *
operand(int opt)
{
	return opt == 'b' ? "DIR" : "SECONDS";
}

/* An option that getopt(3) refused, as ch (':' or '?') and optopt tell. */
static int
badoption(int ch)
{
	if (ch == ':')
		warnx("-%c: missing %s", optopt, operand(optopt));
	else if (isprint((unsigned char)optopt))
		warnx("-%c: unknown option", optopt);
	else
		warnx("-\\%03o: unknown option", (unsigned)(unsigned char)optopt);
	return EXIT_USAGE;
}

static void
fail(struct watch *w, int status)
{
	if (w->status == 0)
		w->status = status;
}

/*
 * A buffer file for -b: unlinked from the start, so that nothing is left
 * behind whatever happens to the watcher.  Returns it, or -1.
 */
static int
buffer(struct watch *w)
{
	char path[PATH_MAX];
	int fd;

#ifdef O_TMPFILE
	if (w->tmpfile) {
		fd = open(w->bufdir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		if (fd != -1 || (errno != EOPNOTSUPP && errno != EISDIR &&
		    errno != EINVAL))
			return fd;
		/* Not on this file system, or not this kernel. */
		w->tmpfile = 0;
	}
#endif
	if (snprintf(path, sizeof(path), "%s/pernode-watch.XXXXXX",
	    w->bufdir) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = mkstemp(path)) == -1)
		return -1;
	(void)unlink(path);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
		(void)close(fd);
		return -1;
	}
	return fd;
}

/*
 * Every descriptor above 2 that the watcher inherited is closed, so that
 * no script gets one (the runner's lock among them): those the watcher
 * opens itself (/dev/null, the buffers) are close-on-exec, and a spawn
 * needs no closing of its own.
 */
static void
close_inherited(void)
{
	struct dirent *e;
	DIR *d;
	char *end;
	long fd, max;

	if ((d = opendir("/proc/self/fd")) != NULL ||
	    (d = opendir("/dev/fd")) != NULL) {
		while ((e = readdir(d)) != NULL) {
			fd = strtol(e->d_name, &end, 10);
			if (*end == '\0' && end != e->d_name && fd > 2 &&
			    fd != dirfd(d))
				(void)close((int)fd);
		}
		(void)closedir(d);
		return;
	}
	if ((max = sysconf(_SC_OPEN_MAX)) == -1 || max > 65536)
		max = 65536;
	for (fd = 3; fd < max; fd++)
		(void)close((int)fd);
}

/*
 * SIGHUP, SIGINT, SIGTERM and SIGPIPE are ignored: what a signal means to
 * the run is the runner's to decide, and a signal to the whole group
 * reaches the scripts themselves.  SIGCHLD is caught, and blocked but in
 * pselect().
 */
static int
signals(struct watch *w)
{
	static const int ignored[] = { SIGHUP, SIGINT, SIGTERM, SIGPIPE };
	struct sigaction sa;
	sigset_t chld;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		if (sigaction(ignored[i], &sa, NULL) == -1)
			return -1;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = onchld;
	sa.sa_flags = SA_NOCLDSTOP;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigaction(SIGCHLD, &sa, NULL) == -1 ||
	    sigprocmask(SIG_BLOCK, &chld, &w->waiting) == -1)
		return -1;
	sigdelset(&w->waiting, SIGCHLD);
	return 0;
}

/* One reply, in one write(2); once stdout fails, no more. */
static void
reply(struct watch *w, const char *line, size_t len)
{
	if (!w->replies)
		return;
	if (write(STDOUT_FILENO, line, len) == (ssize_t)len)
		return;
	/* EPIPE: the runner is gone, and the scripts still finish. */
	if (errno != EPIPE) {
		warn("stdout");
		fail(w, EXIT_SYSTEM);
	}
	w->replies = 0;
}

static struct script *
find(struct watch *w, long seq)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->scripts[i].seq == seq)
			return &w->scripts[i];
	return NULL;
}

/* Forget s: the last script takes its place. */
static void
release(struct watch *w, struct script *s)
{
	if (s->buf != -1)
		(void)close(s->buf);
	*s = w->scripts[--w->n];
}

/*
 * The end of s, with the status a shell would give it, unless its
 * deadline decided (timeout(1)'s 124, or 137 for a KILL).
 */
static void
ended(struct watch *w, struct script *s, int wstatus, struct timespec end)
{
	struct timespec d = ts_sub(end, s->start);
	char line[128];
	int status, len;

	if (s->limit == LIMIT_KILL)
		status = 128 + SIGKILL;
	else if (s->limit == LIMIT_TERM)
		status = 124;
	else if (WIFSIGNALED(wstatus))
		status = 128 + WTERMSIG(wstatus);
	else
		status = WEXITSTATUS(wstatus);
	len = snprintf(line, sizeof(line), "end %ld %d %jd %s %s\n", s->seq,
	    status, (intmax_t)d.tv_sec * 100 + (d.tv_nsec + 5000000) / 10000000,
	    limit_word[s->limit], s->digest);
	reply(w, line, (size_t)len);
	s->pid = 0;
	/* Without -b a script is done with; with it, once flushed. */
	if (w->bufdir == NULL)
		release(w, s);
}

static int
reap(struct watch *w)
{
	struct timespec t;
	pid_t pid;
	size_t i;
	int wstatus;

	while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0) {
		if (now(&t) == -1)
			return -1;
		for (i = 0; i < w->n; i++)
			if (w->scripts[i].pid == pid) {
				w->running--;
				ended(w, &w->scripts[i], wstatus, t);
				break;
			}
	}
	if (pid == -1 && errno != ECHILD) {
		warn("waitpid");
		return -1;
	}
	return 0;
}

/*
 * sig to the script's process group: the script and whatever it started
 * and did not detach.  A script that left the group itself still gets
 * it, as under timeout(1), or nothing would end it.
 */
static void
signal_script(const struct script *s, int sig)
{
	(void)kill(-s->pid, sig);
	if (getpgid(s->pid) != s->pid)
		(void)kill(s->pid, sig);
}

/*
 * When the deadline of s next acts (its TERM, or its KILL after -k) in
 * due; returns 0 if it never will.
 */
static int
deadline(const struct watch *w, const struct script *s, struct timespec *due)
{
	if (!ts_isset(w->limit) || s->pid == 0 || s->limit == LIMIT_KILL ||
	    (s->limit == LIMIT_TERM && !ts_isset(w->killafter)))
		return 0;
	*due = ts_add(s->start, w->limit);
	if (s->limit == LIMIT_TERM)
		*due = ts_add(*due, w->killafter);
	return 1;
}

/* The first time a deadline acts, in next; returns 0 if none will. */
static int
next_deadline(const struct watch *w, struct timespec *next)
{
	struct timespec due;
	size_t i;
	int has = 0;

	for (i = 0; i < w->n; i++)
		if (deadline(w, &w->scripts[i], &due) &&
		    (!has || ts_cmp(due, *next) < 0)) {
			*next = due;
			has = 1;
		}
	return has;
}

/*
 * What the deadlines due at t do: TERM, and CONT so that a stopped
 * process sees it; KILL after -k.
 */
static void
enforce(struct watch *w, struct timespec t)
{
	struct timespec due;
	struct script *s;

	for (s = w->scripts; s < w->scripts + w->n; s++) {
		if (!deadline(w, s, &due) || ts_cmp(t, due) < 0)
			continue;
		if (s->limit == LIMIT_NONE) {
			signal_script(s, SIGTERM);
			signal_script(s, SIGCONT);
			s->limit = LIMIT_TERM;
		} else {
			signal_script(s, SIGKILL);
			s->limit = LIMIT_KILL;
		}
	}
}

/*
 * What every script starts with, as a shell would start it: a process
 * group of its own (pgroup 0: its pid), no signal blocked, and every
 * signal at its default.  Returns 0, or an error number as posix_spawn(3)
 * does.
 *
 * Every signal, not only those ignored here (the four of signals() and
 * any the runner left ignored), which exec would keep ignored: glibc's
 * child starts the two signals it keeps for its threads (32 and 33) as
 * ignored unless this set has them, and sigfillset(3) and sigaddset(3)
 * leave them out; so the set is every bit of a sigset_t, but SIGKILL and
 * SIGSTOP, whose disposition cannot be set.  It costs the child nothing:
 * it sets each signal anyway (it shares our memory, so no handler of ours
 * may stay), and without the set it first asks for each.
 */
static int
spawnattr(struct watch *w)
{
	sigset_t none, all;
	int e;

	if ((e = posix_spawnattr_init(&w->attr)) != 0)
		return e;
	sigemptyset(&none);
	memset(&all, 0xff, sizeof(all));
	(void)sigdelset(&all, SIGKILL);
	(void)sigdelset(&all, SIGSTOP);
	if ((e = posix_spawnattr_setflags(&w->attr, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)) != 0 ||
	    (e = posix_spawnattr_setpgroup(&w->attr, 0)) != 0 ||
	    (e = posix_spawnattr_setsigmask(&w->attr, &none)) != 0 ||
	    (e = posix_spawnattr_setsigdefault(&w->attr, &all)) != 0)
		(void)posix_spawnattr_destroy(&w->attr);
	return e;
}

/*
 * Start PATH with ARG, stdin from /dev/null and its output to out; its
 * pid in *pid.  Returns 0, or the error number of whatever failed, the
 * exec's included (glibc returns it, its child having shared our
 * memory), with what was run in *tried; nothing is left running then.
 * The argument vectors are the exec's, which wants them writable.
 */
static int
spawn(const struct watch *w, char *path, char *arg, int out, pid_t *pid,
    const char **tried)
{
	char *argv[] = { path, arg, NULL };
	char *shargv[] = { (char *)"sh", path, arg, NULL };
	posix_spawn_file_actions_t fa;
	int e;

	*tried = path;
	if ((e = posix_spawn_file_actions_init(&fa)) != 0)
		return e;
	/* dup2 clears close-on-exec on the copy: 0, 1 and 2 stay open. */
	if ((e = posix_spawn_file_actions_adddup2(&fa, w->null,
	    STDIN_FILENO)) == 0 &&
	    (e = posix_spawn_file_actions_adddup2(&fa, out,
	    STDOUT_FILENO)) == 0 && out != STDERR_FILENO)
		e = posix_spawn_file_actions_adddup2(&fa, out, STDERR_FILENO);
	if (e == 0)
		e = posix_spawn(pid, path, &fa, &w->attr, argv, environ);
	/*
	 * No #! line: a shell runs it, as shells, timeout(1) and execvp(3)
	 * do.  glibc's posix_spawn, unlike those, fails it with ENOEXEC
	 * (since 2.15; only the old symbol tried /bin/sh), so the shell is
	 * a second spawn, alike in all but its arguments.
	 */
	if (e == ENOEXEC) {
		*tried = "/bin/sh";
		e = posix_spawn(pid, "/bin/sh", &fa, &w->attr, shargv, environ);
	}
	(void)posix_spawn_file_actions_destroy(&fa);
	return e;
}

/*
 * The table of the CRC that POSIX specifies for cksum(1): generator
 * polynomial 0x04C11DB7, most significant bit first.
 */
static void
crc_table(uint32_t *tab)
{
	uint32_t c;
	int i, k;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i << 24;
		for (k = 0; k < 8; k++)
			c = c & 0x80000000 ? c << 1 ^ 0x04C11DB7 : c << 1;
		tab[i] = c;
	}
}

static uint32_t
crc_add(const uint32_t *tab, uint32_t crc, const unsigned char *p, size_t n)
{
	while (n-- > 0)
		crc = crc << 8 ^ tab[(crc >> 24 ^ *p++) & 0xff];
	return crc;
}

/*
 * The digest of the script at path, as the runner records what it ran:
 * cksum(1)'s CRC and the size, "CRC-SIZE", which cksum(1) on the head
 * node gives alike for the file there.  "-" when it cannot be read; the
 * script is still started, and fails or not on its own.
 */
static void
digest(const struct watch *w, const char *path, char *out, size_t size)
{
	unsigned char buf[8192], len;
	uintmax_t total = 0, n;
	uint32_t crc = 0;
	struct stat st;
	ssize_t r;
	int fd;

	(void)snprintf(out, size, "-");
	/* O_NONBLOCK: a FIFO put in the script's place must not hang us. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) == -1)
		return;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		(void)close(fd);
		return;
	}
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		if (r == -1) {
			if (errno == EINTR)
				continue;
			(void)close(fd);
			return;
		}
		crc = crc_add(w->crctab, crc, buf, (size_t)r);
		total += (uintmax_t)r;
	}
	(void)close(fd);
	/* The length follows the data, least significant byte first. */
	for (n = total; n > 0; n >>= 8) {
		len = n & 0xff;
		crc = crc_add(w->crctab, crc, &len, 1);
	}
	(void)snprintf(out, size, "%lu-%ju", (unsigned long)~crc & 0xffffffffUL,
	    total);
}

/* Start script seq.  Returns 0, or the status to exit with. */
static int
start(struct watch *w, long seq, char *path, char *arg)
{
	struct script *s;
	const char *tried;
	char line[96];
	int out = STDERR_FILENO, status = 0, len, e;

	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;

		if ((s = realloc(w->scripts, cap * sizeof(*s))) == NULL) {
			warn("run %ld", seq);
			return EXIT_SYSTEM;
		}
		w->scripts = s;
		w->cap = cap;
	}
	s = &w->scripts[w->n];
	s->seq = seq;
	s->pid = 0;
	s->limit = LIMIT_NONE;
	s->buf = -1;
	digest(w, path, s->digest, sizeof(s->digest));
	if (now(&s->start) == -1)
		return EXIT_SYSTEM;
	/* Without its buffer, the script still runs: its output goes
	   straight to stderr, out of order but not lost. */
	if (w->bufdir != NULL && !w->quiet) {
		if ((s->buf = buffer(w)) == -1) {
			warn("%s: buffer", w->bufdir);
			status = EXIT_SYSTEM;
		} else
			out = s->buf;
	}
	w->n++;
	/*
	 * The script's group is set in the child before its exec, and
	 * posix_spawn returns only after the exec: no window in which the
	 * watcher could signal a group not yet made, so no setpgid() of
	 * the parent's as after fork() (which would fail once it has
	 * exec'd).
	 */
	if ((e = spawn(w, path, arg, out, &s->pid, &tried)) == 0) {
		w->running++;
		return status;
	}
	/*
	 * Not started (no such file, not executable, no process to be had):
	 * said where its output goes, so that a flush gives it, and ended
	 * at once, as a shell gives it.
	 */
	s->pid = 0;
	/* ENOENT for a file that is there: the program its #! line names
	   is not, which strerror alone would hide. */
	if (e == ENOENT && access(tried, F_OK) == 0)
		dprintf(out, "%s: %s: the interpreter of its #! line is "
		    "missing\n", w->name, tried);
	else
		dprintf(out, "%s: %s: %s\n", w->name, tried, strerror(e));
	len = snprintf(line, sizeof(line), "end %ld %d 0 - %s\n", seq,
	    e == ENOENT ? 127 : 126, s->digest);
	reply(w, line, (size_t)len);
	if (w->bufdir == NULL)
		release(w, s);
	return status;
}

/* A bad request, said in one line.  Returns the status to exit with. */
static int
bad(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

/* The SEQ of a request: 0, or the status to exit with. */
static int
seqno(const char *word, const char *arg, long *seq)
{
	char buf[SHOWN * 4 + 4];
	const char *why;

	if ((why = whole(arg, LONG_MAX, seq)) == NULL && *seq < 1)
		why = "must be at least 1";
	if (why != NULL)
		return bad("%s: SEQ '%s': %s", word, shown(arg, buf, sizeof(buf)),
		    why);
	return 0;
}

static int
run(struct watch *w, char **f)
{
	long seq;
	int status;

	if ((status = seqno(f[0], f[1], &seq)) != 0)
		return status;
	if (find(w, seq) != NULL)
		return bad("run: SEQ %ld is in use", seq);
	return start(w, seq, f[2], f[3]);
}

/* Copy the buffer of s to stderr, whole; it is read where the script left
   off writing, so pread(2) from the start. */
static void
append(struct script *s)
{
	char buf[65536];
	ssize_t n, done;
	off_t off = 0;

	if (s->buf == -1)
		return;
	while ((n = pread(s->buf, buf, sizeof(buf), off)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			warn("read buffer of %ld", s->seq);
			return;
		}
		off += n;
		/* A log that no longer takes it: the runner says quiet. */
		for (done = 0; done < n; ) {
			ssize_t m = write(STDERR_FILENO, buf + done,
			    (size_t)(n - done));

			if (m == -1 && errno == EINTR)
				continue;
			if (m <= 0)
				return;
			done += m;
		}
	}
}

static int
flush(struct watch *w, char **f)
{
	struct script *s;
	char line[64];
	long seq;
	int status, len;

	if (w->bufdir == NULL)
		return bad("flush: nothing is buffered without -b");
	if ((status = seqno(f[0], f[1], &seq)) != 0)
		return status;
	if ((s = find(w, seq)) == NULL)
		return bad("flush: SEQ %ld is unknown", seq);
	if (s->pid != 0)
		return bad("flush: SEQ %ld is still running", seq);
	append(s);
	release(w, s);
	len = snprintf(line, sizeof(line), "flushed %ld\n", seq);
	reply(w, line, (size_t)len);
	return 0;
}

/*
 * The log became unwritable (its file system is full): from now on the
 * scripts' output and the watcher's own go to /dev/null, and the
 * buffers, which would, are let go.
 */
static int
quiet(struct watch *w, char **f)
{
	size_t i;

	(void)f;
	if (dup2(w->null, STDERR_FILENO) == -1) {
		warn("quiet");
		return EXIT_SYSTEM;
	}
	w->quiet = 1;
	for (i = 0; i < w->n; i++)
		if (w->scripts[i].buf != -1) {
			(void)close(w->scripts[i].buf);
			w->scripts[i].buf = -1;
		}
	return 0;
}

static const struct verb {
	const char	*word;
	size_t		 fields;	/* the word's included */
	int		(*fn)(struct watch *, char **);
	const char	*names[4];	/* of the fields, for messages */
} verbs[] = {
	{ "run",	4,	run,	{ "WORD", "SEQ", "PATH", "ARG" } },
	{ "flush",	2,	flush,	{ "WORD", "SEQ", NULL, NULL } },
	{ "quiet",	1,	quiet,	{ "WORD", NULL, NULL, NULL } },
};

static const struct verb *
verb(const char *word)
{
	size_t i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(word, verbs[i].word) == 0)
			return &verbs[i];
	return NULL;
}

/* A field of the request is complete: 0, or the status to exit with. */
static int
field(struct watch *w)
{
	struct request *r = &w->req;
	const struct verb *v;
	char *f[4];
	char buf[SHOWN * 4 + 4];
	size_t i;

	if (r->nfields == 1) {
		if ((v = verb(r->field[0])) == NULL)
			return bad("unknown request '%s'",
			    shown(r->field[0], buf, sizeof(buf)));
		r->want = v->fields;
	}
	if (r->nfields < r->want)
		return 0;
	v = verb(r->field[0]);
	for (i = 0; i < 4; i++)
		f[i] = r->field[i];
	r->nfields = r->want = 0;
	return v->fn(w, f);
}

/*
 * Take n bytes of requests: fields, each ended by a NUL, so that a path
 * may hold any other byte.  Returns 0, or the status to exit with.
 */
static int
feed(struct watch *w, const char *in, size_t n)
{
	struct request *r = &w->req;
	const char *end = in + n, *nul;
	const struct verb *v;
	size_t len;
	int status;

	while (in < end) {
		nul = memchr(in, '\0', (size_t)(end - in));
		len = (size_t)((nul != NULL ? nul : end) - in);
		if (r->len + len > FIELD_MAX) {
			v = r->nfields > 0 ? verb(r->field[0]) : NULL;
			return bad("%s: %s longer than %d bytes",
			    v != NULL ? v->word : "request",
			    v != NULL ? v->names[r->nfields] : "WORD",
			    FIELD_MAX);
		}
		memcpy(r->field[r->nfields] + r->len, in, len);
		r->len += len;
		if (nul == NULL)
			break;
		r->field[r->nfields++][r->len] = '\0';
		r->len = 0;
		in = nul + 1;
		if ((status = field(w)) != 0)
			return status;
	}
	return 0;
}

/* Read what the runner sent.  Returns 0, or the status to exit with. */
static int
input(struct watch *w)
{
	struct request *r = &w->req;
	char buf[16384];
	ssize_t n;

	if ((n = read(STDIN_FILENO, buf, sizeof(buf))) == -1) {
		if (errno == EINTR)
			return 0;
		warn("stdin");
		return EXIT_SYSTEM;
	}
	if (n == 0) {
		w->input = 0;
		if (r->nfields > 0 || r->len > 0)
			return bad("input ends in the middle of a request");
		return 0;
	}
	return feed(w, buf, (size_t)n);
}

/*
 * One turn of the loop: reap what ended, signal what is due, then wait
 * for a request, a child's end or the next deadline.  Returns -1 when the
 * watch cannot go on, having said why.
 */
static int
step(struct watch *w)
{
	struct timespec t, next, left, *timeout = NULL;
	fd_set rfds;
	int status;

	if (now(&t) == -1)
		return -1;
	/* Reaped before any deadline acts: the group of a script that has
	   ended, and what is left in it, is left alone. */
	if (gotchld || (next_deadline(w, &next) && ts_cmp(next, t) <= 0)) {
		gotchld = 0;
		if (reap(w) == -1)
			return -1;
	}
	enforce(w, t);
	if (next_deadline(w, &next)) {
		left = ts_cmp(next, t) > 0 ? ts_sub(next, t) : zero;
		timeout = &left;
	}
	if (!w->input && w->running == 0)
		return 0;
	FD_ZERO(&rfds);
	if (w->input)
		FD_SET(STDIN_FILENO, &rfds);
	switch (pselect(w->input ? STDIN_FILENO + 1 : 0, &rfds, NULL, NULL,
	    timeout, &w->waiting)) {
	case -1:
		if (errno == EINTR)
			return 0;
		warn("pselect");
		return -1;
	case 0:
		return 0;
	}
	if ((status = input(w)) != 0) {
		fail(w, status);
		w->input = 0;
	}
	return 0;
}

static int
byseq(const void *a, const void *b)
{
	const struct script *x = a, *y = b;

	return (x->seq > y->seq) - (x->seq < y->seq);
}

int
main(int argc, char *argv[])
{
	struct watch w;
	const char *why;
	char buf[SHOWN * 4 + 4];
	size_t i;
	int ch, fd, e;

	memset(&w, 0, sizeof(w));
	crc_table(w.crctab);
	w.name = argc > 0 ? argv[0] : "pernode-watch";
	if (strrchr(w.name, '/') != NULL)
		w.name = strrchr(w.name, '/') + 1;

	opterr = 0;
	while ((ch = getopt(argc, argv, ":b:k:t:")) != -1) {
		why = NULL;
		switch (ch) {
		case 'b':
			w.bufdir = optarg;
			break;
		case 'k':
			why = seconds(optarg, &w.killafter);
			break;
		case 't':
			why = seconds(optarg, &w.limit);
			break;
		default:
			return badoption(ch);
		}
		if (why != NULL)
			errx(EXIT_USAGE, "-%c '%s': %s", ch,
			    shown(optarg, buf, sizeof(buf)), why);
	}
	argc -= optind;
	argv += optind;

	if (argc > 0)
		errx(EXIT_USAGE, "'%s': unexpected operand",
		    shown(argv[0], buf, sizeof(buf)));
	close_inherited();
	if ((w.null = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1)
		err(EXIT_SYSTEM, "/dev/null");
	/* A buffer made and let go at once: DIR can take them. */
	if (w.bufdir != NULL) {
		w.tmpfile = 1;
		if ((fd = buffer(&w)) == -1) {
			e = errno;
			errx(EXIT_USAGE, "-b '%s': %s",
			    shown(w.bufdir, buf, sizeof(buf)), strerror(e));
		}
		(void)close(fd);
	}
	if (signals(&w) == -1)
		err(EXIT_SYSTEM, "sigaction");
	if ((e = spawnattr(&w)) != 0) {
		errno = e;
		err(EXIT_SYSTEM, "posix_spawnattr");
	}

	w.input = w.replies = 1;
	while (w.input || w.running > 0)
		if (step(&w) == -1)
			return EXIT_SYSTEM;

	/* Nothing is lost: what the runner never flushed, in SEQ order. */
	if (w.n > 1)
		qsort(w.scripts, w.n, sizeof(*w.scripts), byseq);
	for (i = 0; i < w.n; i++)
		append(&w.scripts[i]);
	while (w.n > 0)
		release(&w, &w.scripts[w.n - 1]);
	free(w.scripts);
	(void)posix_spawnattr_destroy(&w.attr);
	return w.status;
}
