/*
 * waitOnFileUpdates: block until every named file has been modified since
 * a reference time, polling stat() with jittered back-off and, on Linux,
 * waking early on inotify events.
 *
 * Time is a struct timespec throughout, never a double or a count of
 * nanoseconds: stat(2), clock_gettime(2), pselect(2) and parse_seconds()
 * all speak it, so no time is converted on its way in or out, and it is
 * exact to the nanosecond over the whole range of time_t.  A double holds
 * today's epoch seconds only to a quarter of a microsecond, so an mtime
 * could round to either side of the reference, and 64-bit nanoseconds end
 * in 2262, short of the "@T" that parse_seconds() accepts.
 *
 * The stages of the wait return 0 or the status to exit with, having said
 * why; main() returns it.  Lower helpers return -1 as system calls do.
 *
 * SPDX-License-Identifier: MIT
 */

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE		/* err(3), getopt_long(3), CLOCK_BOOTTIME */
#endif

#include <sys/types.h>
#include <sys/select.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/inotify.h>
#endif

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parse.h"
#include "timespec.h"

#ifndef VERSION
#define VERSION		"unknown"
#endif

#define EXIT_TIMEOUT	1
#define EXIT_USAGE	2
#define EXIT_NEVER	3	/* a FILE can never become updated */
#define EXIT_SYSTEM	4	/* out of memory or a failing system call */

#define PPM		1000000L
#define JITTER		100000L	/* sleeps vary by up to 10% (in PPM) */

/* The largest time_t: an integer (POSIX), signed wherever this runs. */
#define TIME_MAX	((time_t)(((uintmax_t)1 << \
			    (sizeof(time_t) * CHAR_BIT - 1)) - 1))

static const struct timespec zero;
/* A wall clock jump beyond this is a step, not NTP's slewing. */
static const struct timespec clock_step = { 0, 100000000L };
/* pselect() timeouts stay well in range. */
static const struct timespec longest_nap = { 86400, 0 };

/*
 * The file clock: Linux stamps files from the tick-granular clock, which
 * lags CLOCK_REALTIME by up to a tick.
 */
#ifdef CLOCK_REALTIME_COARSE
#define FILE_CLOCK	CLOCK_REALTIME_COARSE
#else
#define FILE_CLOCK	CLOCK_REALTIME
#endif

struct file {
	const char	*path;
	/* Its identity as last recorded: at the first look, then when marked. */
	struct timespec	 mtime;
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	enum { UNSEEN, ABSENT, SEEN } first;	/* what the first look found */
	struct timespec	 changed;	/* monotonic time of the last change, for -s */
	int		 marked;
	int		 watched;	/* an inotify watch on the file itself */
	int		 lasterr;	/* errno of the last stat(), 0 once one works:
					   -v says an error once, a timeout
					   names a file that is not there */
};

/* The reference time and how files are judged against it: see reference(). */
struct ref {
	struct timespec	 t;
	struct timespec	 wall0, mono0;	/* both clocks when t was taken */
	struct timespec	 step;		/* the step -v last reported */
	/* N and boot: t moves with a step of the clock. */
	int		 relative;
	/* An mtime equal to t is updated. */
	int		 inclusive;
	/* Any change after the first look is an update. */
	int		 tracking;
};

/* One wait: its files, its options, and what the rounds carry along. */
struct wait {
	struct file	*files;
	size_t		 n;
	struct ref	 ref;
	struct timespec	 interval;	/* -i */
	struct timespec	 maxinterval;	/* -m */
	struct timespec	 settle;	/* -s, zero without */
	struct timespec	 timeout;	/* -t, counted from ref.mono0 */
	int		 timed;		/* -t was given */
	int		 verbose;
	int		 ifd;		/* inotify, -1 when polling only */
	/*
	 * Files share a parent: the one watch_parent() watched last, and
	 * the one watch_self() stat()ed last with its device.
	 */
	char		 watchdir[PATH_MAX];
	char		 statdir[PATH_MAX];
	dev_t		 statdev;
	sigset_t	 catchset;	/* SIGINT and SIGTERM */
	unsigned short	 seed[3];	/* nrand48(3) state */
};

static volatile sig_atomic_t gotsig;

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: waitOnFileUpdates [-v] [-p] [-t TIMEOUT] [-i INTERVAL]"
	    " [-m MAXINTERVAL] [-s SETTLE] THRESHOLD FILE...\n");
}

/* The operand of each option that takes one, as the synopsis names it. */
static const char *
operand(int opt)
{
	switch (opt) {
	case 'i':
		return "INTERVAL";
	case 'm':
		return "MAXINTERVAL";
	case 's':
		return "SETTLE";
	case 't':
		return "TIMEOUT";
	}
	return "argument";
}

/*
 * An option that getopt_long(3) refused, as ch (':' or '?') and optopt
 * tell, named in one line that starts as every other message does
 * (opterr is 0: getopt's own messages name the program by argv[0], often
 * a whole path).  A long option is argv[optind - 1]: only --help and
 * --version are known, and both end the program, so no option before it
 * starts with "--".
 */
static void
badoption(int ch, char *argv[])
{
	const char *arg = argv[optind - 1];

	if (ch == ':')
		warnx("-%c: missing %s", optopt, operand(optopt));
	else if (strncmp(arg, "--", 2) == 0 && arg[2] != '\0')
		warnx("%.*s: %s", (int)strcspn(arg, "="), arg,
		    optopt == 0 ? "unknown option" : "takes no argument");
	else if (isprint((unsigned char)optopt))
		warnx("-%c: unknown option", optopt);
	else
		warnx("-\\%03o: unknown option", (unsigned)(unsigned char)optopt);
}

static void
onsignal(int sig)
{
	gotsig = sig;
}

/* The status that a caught signal ends the program with, or 0. */
static int
interrupted(void)
{
	int sig = gotsig;

	return sig ? 128 + sig : 0;
}

/* A duration option's argument: NULL or why it is refused. */
static const char *
duration(const char *arg, int positive, struct timespec *ts)
{
	const char *why;

	if ((why = parse_seconds(arg, ts)) != NULL)
		return why;
	if (positive && !ts_isset(*ts))
		return "must be more than 0";
	return NULL;
}

static int
gettime(clockid_t id, struct timespec *ts)
{
	if (clock_gettime(id, ts) == -1) {
		warn("clock_gettime");
		return -1;
	}
	return 0;
}

static struct timespec
ts_abs(struct timespec t)
{
	return t.tv_sec < 0 ? ts_sub(zero, t) : t;
}

/*
 * t, not negative, times ppm millionths (ppm at most 2 * PPM), to the
 * nanosecond below and at most TIME_MAX.  Whole seconds are split at PPM
 * so that no product overflows.
 */
static struct timespec
ts_ppm(struct timespec t, long ppm)
{
	intmax_t q = t.tv_sec / PPM, r = t.tv_sec % PPM;
	intmax_t ns = (intmax_t)t.tv_nsec * ppm / PPM + r * ppm % PPM * 1000;
	intmax_t sec = r * ppm / PPM + ns / NSEC;

	if (q > (TIME_MAX - sec) / ppm) {
		t.tv_sec = TIME_MAX;
		t.tv_nsec = 0;
		return t;
	}
	t.tv_sec = (time_t)(q * ppm + sec);
	t.tv_nsec = (long)(ns % NSEC);
	return t;
}

/*
 * t in seconds to the millisecond, rounded as printf's "%.3f" does, with
 * a '+' before a positive t if plus ("%+.3f").  The carry of the rounding
 * is added unsigned: t may be TIME_MAX.
 */
static const char *
ts_fmt(char *buf, size_t len, struct timespec t, int plus)
{
	const char *sign = plus ? "+" : "";
	long ms;

	if (t.tv_sec < 0) {
		sign = "-";
		t = ts_abs(t);
	}
	ms = (t.tv_nsec + 500000) / 1000000;
	snprintf(buf, len, "%s%ju.%03ld", sign,
	    (uintmax_t)t.tv_sec + (uintmax_t)(ms / 1000), ms % 1000);
	return buf;
}

/*
 * Take the reference time.  A write made after the start must never be
 * missed, whatever the granularity of file times:
 *  - N and boot are read off the file clock and an mtime equal to them
 *    counts, so a write in the tick the program starts in is seen (and so
 *    is one made earlier in that same tick);
 *  - "@T" is the caller's own time, judged strictly: an mtime of exactly T
 *    is not later than T, so "@$(stat -c %.9Y f)" waits for a new f;
 *  - unless the reference is still to come, any change of a file from
 *    what the first look found (mtime, size, inode, device), and a file
 *    appearing that the first look did not find, are updates too: they
 *    happened after the start, so after the reference, whatever time the
 *    file system put on them.
 * arg is THRESHOLD as given, for the message when it cannot be used.
 */
static int
reference(struct ref *ref, const struct threshold *th, const char *arg)
{
	struct timespec now;
#ifdef CLOCK_BOOTTIME
	struct timespec up;
#endif

	if (gettime(CLOCK_REALTIME, &ref->wall0) == -1 ||
	    gettime(CLOCK_MONOTONIC, &ref->mono0) == -1)
		return EXIT_SYSTEM;
	switch (th->since) {
	case SINCE_EPOCH:
		ref->t = th->t;
		break;
	case SINCE_AGO:
		if (gettime(FILE_CLOCK, &now) == -1)
			return EXIT_SYSTEM;
		ref->t = ts_sub(now, th->t);
		ref->relative = ref->inclusive = 1;
		break;
	case SINCE_BOOT:
#ifdef CLOCK_BOOTTIME
		if (gettime(CLOCK_REALTIME, &now) == -1)
			return EXIT_SYSTEM;
		if (clock_gettime(CLOCK_BOOTTIME, &up) == -1) {
			warnx("threshold '%s': %s", arg, strerror(errno));
			return EXIT_USAGE;
		}
		ref->t = ts_sub(now, up);
		ref->relative = ref->inclusive = 1;
		break;
#else
		warnx("threshold '%s': boot time is not known on this system",
		    arg);
		return EXIT_USAGE;
#endif
	}
	if (gettime(CLOCK_REALTIME, &now) == -1)
		return EXIT_SYSTEM;
	ref->tracking = ts_cmp(ref->t, now) <= 0;
	return 0;
}

/*
 * The reference as it stands at wall and mono, the two clocks read
 * together.  NTP slews the monotonic clock with the wall clock, so only a
 * step (settimeofday(2), chronyd's makestep at boot) opens a gap between
 * the two; a relative reference moves with it, as a file written after
 * the step is stamped by the stepped clock.
 */
static struct timespec
current_ref(struct ref *ref, struct timespec wall, struct timespec mono,
    int verbose)
{
	struct timespec step;
	char buf[32];

	if (!ref->relative)
		return ref->t;
	step = ts_sub(ts_sub(wall, ref->wall0), ts_sub(mono, ref->mono0));
	if (ts_cmp(ts_abs(step), clock_step) < 0)
		return ref->t;
	/* Said once a step, not once a round. */
	if (verbose && ts_cmp(ts_abs(ts_sub(step, ref->step)), clock_step) > 0)
		warnx("the clock was stepped by %ss; the threshold moves "
		    "with it", ts_fmt(buf, sizeof(buf), step, 1));
	ref->step = step;
	return ts_add(ref->t, step);
}

/* A stat() error that waiting will not cure. */
static int
permanent(int e)
{
	return e == EACCES || e == ENOTDIR || e == ELOOP ||
	    e == ENAMETOOLONG || e == EOVERFLOW;
}

/* A watch that fails for want of watches leaves the program polling. */
static void
watch(struct wait *w, const char *path)
{
#ifdef __linux__
	if (w->ifd == -1)
		return;
	if (inotify_add_watch(w->ifd, path, IN_CREATE | IN_CLOSE_WRITE |
	    IN_ATTRIB | IN_MOVED_TO | IN_DELETE) != -1)
		return;
	switch (errno) {
	case ENOENT: case ENOTDIR: case EACCES: case ELOOP: case ENAMETOOLONG:
		return;		/* stat() judges the path; polling finds it */
	}
	if (w->verbose)
		warn("inotify_add_watch %s: polling only", path);
	close(w->ifd);
	w->ifd = -1;
#else
	(void)w;
	(void)path;
#endif
}

/*
 * The directory that holds path, in dir (PATH_MAX bytes).  Returns the
 * length of its name, 0 when that is too long.
 */
static size_t
parent(const char *path, char *dir)
{
	size_t len = strlen(path);

	while (len > 1 && path[len - 1] == '/')
		len--;
	while (len > 0 && path[len - 1] != '/')
		len--;
	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len == 0) {
		path = ".";
		len = 1;
	}
	if (len >= PATH_MAX)
		return 0;
	memcpy(dir, path, len);
	dir[len] = '\0';
	return len;
}

/*
 * Watch the directory that holds path: creation, rename-over and in-place
 * rewrites of the file are all reported there.  Consecutive files in one
 * directory share the watch.
 */
static void
watch_parent(struct wait *w, const char *path)
{
	char dir[PATH_MAX];
	size_t len;

	if ((len = parent(path, dir)) == 0 || strcmp(dir, w->watchdir) == 0)
		return;
	memcpy(w->watchdir, dir, len + 1);
	watch(w, dir);
}

/*
 * Some changes are out of sight of the parent's watch: a directory gains
 * entries, a symbolic link's target changes, and a file mounted over its
 * name (a bind mount, as containers and stateless nodes give /etc/passwd)
 * is written through the mount, whose events go to the mounted file's own
 * directory.  Those files get a watch of their own.  A mount is told by
 * its device differing from its parent's; a bind mount from the same file
 * system is not seen, and is found by polling.
 */
static void
watch_self(struct wait *w, struct file *f, const struct stat *st)
{
	struct stat lst, pst;
	char dir[PATH_MAX];
	size_t len;

	f->watched = 1;
	if (S_ISDIR(st->st_mode) ||
	    (lstat(f->path, &lst) == 0 && S_ISLNK(lst.st_mode))) {
		watch(w, f->path);
		return;
	}
	if ((len = parent(f->path, dir)) == 0)
		return;
	if (strcmp(dir, w->statdir) != 0) {
		if (stat(dir, &pst) == -1)
			return;
		memcpy(w->statdir, dir, len + 1);
		w->statdev = pst.st_dev;
	}
	if (w->statdev != st->st_dev)
		watch(w, f->path);
}

static void
record(struct file *f, const struct stat *st)
{
	f->mtime = st->st_mtim;
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	f->size = st->st_size;
}

static int
same(const struct file *f, const struct stat *st)
{
	return ts_cmp(st->st_mtim, f->mtime) == 0 &&
	    st->st_dev == f->dev && st->st_ino == f->ino &&
	    st->st_size == f->size;
}

/* Whether st, just read, shows f updated against cut: see reference(). */
static int
updated(const struct ref *ref, struct timespec cut, const struct file *f,
    const struct stat *st)
{
	int c = ts_cmp(st->st_mtim, cut);

	if (c > 0 || (c == 0 && ref->inclusive))
		return 1;
	return ref->tracking && (f->first == ABSENT ||
	    (f->first == SEEN && !same(f, st)));
}

/*
 * stat() every unmarked file once and mark those updated against cut;
 * pending gets how many are still unmarked.
 */
static int
scan(struct wait *w, struct timespec cut, size_t *pending)
{
	struct stat st;
	struct file *f;
	int never = 0, status;

	*pending = 0;
	for (f = w->files; f < w->files + w->n; f++) {
		if ((status = interrupted()) != 0)
			return status;
		if (f->marked)
			continue;
		if (stat(f->path, &st) == -1) {
			if (permanent(errno)) {
				warn("%s", f->path);
				never = 1;
			} else if (w->verbose && errno != ENOENT &&
			    errno != f->lasterr)
				warn("%s: still waiting", f->path);
			/* Only a sure absence: EIO says nothing of the file. */
			if (errno == ENOENT && f->first == UNSEEN)
				f->first = ABSENT;
			f->lasterr = errno;
			(*pending)++;
			continue;
		}
		f->lasterr = 0;
		if (!f->watched && w->ifd != -1)
			watch_self(w, f, &st);
		if (!updated(&w->ref, cut, f, &st)) {
			if (f->first != SEEN) {
				f->first = SEEN;
				record(f, &st);
			}
			(*pending)++;
			continue;
		}
		f->marked = 1;
		record(f, &st);
		if (w->verbose)
			warnx("%s: updated", f->path);
	}
	/* Said after the whole scan, so that each such file is named. */
	return never ? EXIT_NEVER : 0;
}

/*
 * For -s: stat() every file again, at now, and note the time of any
 * change to its modification time, identity or size; latest gets the
 * time of the latest.
 */
static int
restat(struct wait *w, struct timespec now, struct timespec *latest)
{
	struct stat st;
	struct file *f;
	int status;

	for (f = w->files; f < w->files + w->n; f++) {
		if ((status = interrupted()) != 0)
			return status;
		if (stat(f->path, &st) == -1) {
			if (permanent(errno)) {
				warn("%s", f->path);
				return EXIT_NEVER;
			}
			/* Gone for a moment, as in a rename-over. */
			f->changed = *latest = now;
			f->ino = 0;
			continue;
		}
		if (same(f, &st))
			continue;
		record(f, &st);
		f->changed = *latest = now;
		if (w->verbose)
			warnx("%s: changed, settling again", f->path);
	}
	return 0;
}

static void
drain(int ifd)
{
#ifdef __linux__
	union {
		struct inotify_event ev;
		char buf[4096];
	} u;

	while (read(ifd, u.buf, sizeof(u.buf)) > 0)
		;
#else
	(void)ifd;
#endif
}

/*
 * Sleep up to d, or less if an inotify event arrives.  The signals are
 * unblocked only inside pselect(), so one arriving just before the sleep
 * still ends it at once.
 */
static int
nap(struct wait *w, struct timespec d)
{
	sigset_t orig;
	fd_set rfds;
	int n = 0, e = 0, status;

	if (d.tv_sec < 0)
		d = zero;
	if (ts_cmp(d, longest_nap) > 0)
		d = longest_nap;
	FD_ZERO(&rfds);
	/* Unsigned, as musl's FD_SET() divides it by a size_t. */
	if (w->ifd != -1)
		FD_SET((unsigned)w->ifd, &rfds);

	sigprocmask(SIG_BLOCK, &w->catchset, &orig);
	if (!gotsig) {
		n = pselect(w->ifd + 1, &rfds, NULL, NULL, &d, &orig);
		e = errno;	/* sigprocmask() may change it */
	}
	sigprocmask(SIG_SETMASK, &orig, NULL);
	if ((status = interrupted()) != 0)
		return status;
	if (n == -1 && e != EINTR) {
		errno = e;
		warn("pselect");
		return EXIT_SYSTEM;
	}
	if (n > 0)
		drain(w->ifd);
	return 0;
}

/* Whether TIMEOUT has run out at now (monotonic). */
static int
expired(const struct wait *w, struct timespec now)
{
	return w->timed &&
	    ts_cmp(ts_sub(now, w->ref.mono0), w->timeout) >= 0;
}

/*
 * The next sleep after now (monotonic): d, give or take JITTER, and never
 * past the deadline.  The caller has found that it is not past.
 */
static struct timespec
jittered(struct wait *w, struct timespec d, struct timespec now)
{
	struct timespec left;

	d = ts_ppm(d, PPM - JITTER + nrand48(w->seed) % (2 * JITTER));
	if (!w->timed)
		return d;
	left = ts_sub(w->timeout, ts_sub(now, w->ref.mono0));
	return ts_cmp(d, left) < 0 ? d : left;
}

/*
 * TIMEOUT ran out at now: name each file not updated (saying which are
 * not there at all, at the last look) or, if settling, not settled, one a
 * line.
 */
static int
timedout(const struct wait *w, struct timespec now, int settling)
{
	const struct file *f;

	for (f = w->files; f < w->files + w->n; f++)
		if (!f->marked && f->lasterr == ENOENT)
			warnx("%s: no such file", f->path);
		else if (!f->marked)
			warnx("%s: not updated", f->path);
		else if (settling &&
		    ts_cmp(ts_sub(now, f->changed), w->settle) < 0)
			warnx("%s: not settled", f->path);
	return EXIT_TIMEOUT;
}

/*
 * Waiting for updates: some files are unmarked.  Each round stats them;
 * the sleep between rounds starts at INTERVAL and doubles up to
 * MAXINTERVAL, and inotify cuts it short.
 */
static int
await_updates(struct wait *w)
{
	struct timespec interval = w->interval, wall, now, cut, d;
	size_t pending;
	char buf[32];
	int status;

	for (;;) {
		if (gettime(CLOCK_REALTIME, &wall) == -1 ||
		    gettime(CLOCK_MONOTONIC, &now) == -1)
			return EXIT_SYSTEM;
		cut = current_ref(&w->ref, wall, now, w->verbose);
		if ((status = scan(w, cut, &pending)) != 0 || pending == 0)
			return status;
		/* Read again: a scan of many files takes a while. */
		if (gettime(CLOCK_MONOTONIC, &now) == -1)
			return EXIT_SYSTEM;
		if (expired(w, now))
			return timedout(w, now, 0);
		d = jittered(w, interval, now);
		if (w->verbose)
			warnx("%zu of %zu not updated; next check in %ss",
			    pending, w->n, ts_fmt(buf, sizeof(buf), d, 0));
		if ((status = nap(w, d)) != 0)
			return status;
		/* Doubled, without overflow: 2i < max is i < max - i. */
		if (ts_cmp(interval, ts_sub(w->maxinterval, interval)) < 0)
			interval = ts_add(interval, interval);
		else
			interval = w->maxinterval;
	}
}

/*
 * Settling: every file is marked, and each file's changed holds when it
 * was last seen to change (at first, the moment the last was marked).
 * Ends once none has changed for SETTLE, looking every INTERVAL (the
 * first, not the backed-off one) and on inotify events.
 */
static int
await_settled(struct wait *w)
{
	struct timespec latest, now, quiet, d;
	size_t i;
	int status;

	if (gettime(CLOCK_MONOTONIC, &latest) == -1)
		return EXIT_SYSTEM;
	for (i = 0; i < w->n; i++)
		w->files[i].changed = latest;
	for (;;) {
		if (gettime(CLOCK_MONOTONIC, &now) == -1)
			return EXIT_SYSTEM;
		if ((status = restat(w, now, &latest)) != 0)
			return status;
		if (gettime(CLOCK_MONOTONIC, &now) == -1)
			return EXIT_SYSTEM;
		quiet = ts_sub(now, latest);
		if (ts_cmp(quiet, w->settle) >= 0)
			return 0;
		if (expired(w, now))
			return timedout(w, now, 1);
		d = ts_sub(w->settle, quiet);
		if (ts_cmp(w->interval, d) < 0)
			d = w->interval;
		if ((status = nap(w, jittered(w, d, now))) != 0)
			return status;
	}
}

static int
catch_signals(struct wait *w)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = onsignal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&w->catchset);
	sigaddset(&w->catchset, SIGINT);
	sigaddset(&w->catchset, SIGTERM);
	if (sigaction(SIGINT, &sa, NULL) == -1 ||
	    sigaction(SIGTERM, &sa, NULL) == -1)
		return -1;
	return 0;
}

/*
 * Nodes booted together run the same image with the same pids, so the
 * clock's nanoseconds (the start's, taken with the reference) carry most
 * of what sets their jitter apart.
 */
static void
seed_jitter(struct wait *w)
{
	struct timespec ts = w->ref.wall0;

	w->seed[0] = (unsigned short)ts.tv_nsec;
	w->seed[1] = (unsigned short)(ts.tv_nsec >> 16 ^ ts.tv_sec);
	w->seed[2] = (unsigned short)getpid();
}

/*
 * Watches come first, so that no update slips in after a stat().  Without
 * inotify the program polls; -v says so.
 */
static void
watch_all(struct wait *w)
{
#ifdef __linux__
	size_t i;

	if ((w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1) {
		if (w->verbose)
			warn("inotify_init1: polling only");
		return;
	}
	for (i = 0; i < w->n && w->ifd != -1; i++)
		watch_parent(w, w->files[i].path);
#else
	(void)w;
#endif
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL,	'h' },
		{ "version",	no_argument,	NULL,	'V' },
		{ NULL,		0,		NULL,	0 }
	};
	struct wait w;
	struct threshold th;
	const char *why;
	size_t i;
	int ch, poll_only = 0, status;

	memset(&w, 0, sizeof(w));
	w.interval.tv_sec = 1;
	w.maxinterval.tv_sec = 60;
	w.ifd = -1;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":hi:m:ps:t:v", longopts,
	    NULL)) != -1) {
		why = NULL;
		switch (ch) {
		case 'h':
			usage(stdout);
			return 0;
		case 'i':
			why = duration(optarg, 1, &w.interval);
			break;
		case 'm':
			why = duration(optarg, 1, &w.maxinterval);
			break;
		case 'p':
			poll_only = 1;
			break;
		case 's':
			why = duration(optarg, 0, &w.settle);
			break;
		case 't':
			why = duration(optarg, 0, &w.timeout);
			w.timed = 1;
			break;
		case 'v':
			w.verbose = 1;
			break;
		case 'V':
			printf("waitOnFileUpdates %s\n", VERSION);
			return 0;
		default:
			badoption(ch, argv);
			usage(stderr);
			return EXIT_USAGE;
		}
		if (why != NULL)
			errx(EXIT_USAGE, "-%c '%s': %s", ch, optarg, why);
	}
	argc -= optind;
	argv += optind;

	if (argc < 2) {
		warnx("%s", argc == 0 ? "missing THRESHOLD" : "missing FILE");
		usage(stderr);
		return EXIT_USAGE;
	}
	if ((why = parse_threshold(argv[0], &th)) != NULL)
		errx(EXIT_USAGE, "threshold '%s': %s", argv[0], why);
	for (i = 1; i < (size_t)argc; i++)
		if (argv[i][0] == '\0')
			errx(EXIT_USAGE, "FILE %zu: empty file name", i);
	if (ts_cmp(w.interval, w.maxinterval) > 0)
		w.interval = w.maxinterval;

	/* Taken first: whatever comes after it is after the start. */
	if ((status = reference(&w.ref, &th, argv[0])) != 0)
		return status;
	if (catch_signals(&w) == -1)
		err(EXIT_SYSTEM, "sigaction");
	seed_jitter(&w);
	w.n = (size_t)argc - 1;
	if ((w.files = calloc(w.n, sizeof(*w.files))) == NULL)
		err(EXIT_SYSTEM, "calloc");
	for (i = 0; i < w.n; i++)
		w.files[i].path = argv[i + 1];
	if (!poll_only)
		watch_all(&w);

	if ((status = await_updates(&w)) == 0 && ts_isset(w.settle))
		status = await_settled(&w);
	free(w.files);
	return status;
}
