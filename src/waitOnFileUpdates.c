/*
 * waitOnFileUpdates: block until every named file has been modified since
 * a reference time, polling stat() with jittered back-off and, on Linux,
 * waking early on inotify events.
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
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parse.h"

#ifndef VERSION
#define VERSION		"unknown"
#endif

#if defined(__GNUC__) || defined(__clang__)
#define NORETURN	__attribute__((__noreturn__))
#else
#define NORETURN
#endif

#define EXIT_TIMEOUT	1
#define EXIT_USAGE	2
#define EXIT_NEVER	3	/* a FILE can never become updated */
#define EXIT_SYSTEM	4	/* out of memory or a failing system call */

#define JITTER		0.10	/* sleeps vary by up to this fraction */
#define CLOCK_STEP	0.1	/* a wall clock jump beyond this is a step */
#define LONGEST_NAP	86400.0	/* pselect() timeouts stay well in range */

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
	double		 changed;	/* monotonic time of the last change, for -s */
	int		 marked;
	int		 watched;	/* an inotify watch on the file itself */
	int		 lasterr;	/* errno of the last stat(), 0 once one works:
					   -v says an error once, a timeout
					   names a file that is not there */
};

static volatile sig_atomic_t gotsig;
static sigset_t	 catchset;
static int	 verbose;
static int	 ifd = -1;		/* inotify descriptor, -1 when polling only */
static unsigned short seed[3];
static double	 deadline = HUGE_VAL;	/* monotonic; HUGE_VAL without -t */

/*
 * The reference time and how files are judged against it (see
 * reference()).
 */
static struct timespec ref;
static int	 relative;	/* N and boot: moves with a step of the clock */
static int	 inclusive;	/* an mtime equal to ref is updated */
static int	 tracking;	/* any change after the first look is an update */
static double	 wall0, mono0;	/* both clocks when ref was taken */

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

static void
checksig(void)
{
	if (gotsig)
		exit(128 + gotsig);
}

static double
seconds_arg(int opt, const char *arg)
{
	struct timespec ts;
	const char *why;

	if ((why = parse_seconds(arg, &ts)) != NULL)
		errx(EXIT_USAGE, "-%c '%s': %s", opt, arg, why);
	return tstod(&ts);
}

static struct timespec
clock_ts(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) == -1)
		err(EXIT_SYSTEM, "clock_gettime");
	return ts;
}

static double
clock_s(clockid_t id)
{
	struct timespec ts = clock_ts(id);

	return tstod(&ts);
}

static struct timespec
ts_sub(struct timespec a, const struct timespec *b)
{
	a.tv_sec -= b->tv_sec;
	a.tv_nsec -= b->tv_nsec;
	if (a.tv_nsec < 0) {
		a.tv_sec--;
		a.tv_nsec += 1000000000L;
	}
	return a;
}

static int
ts_cmp(const struct timespec *a, const struct timespec *b)
{
	if (a->tv_sec != b->tv_sec)
		return a->tv_sec > b->tv_sec ? 1 : -1;
	if (a->tv_nsec != b->tv_nsec)
		return a->tv_nsec > b->tv_nsec ? 1 : -1;
	return 0;
}

static struct timespec
ts_shift(struct timespec t, double secs)
{
	time_t whole = (time_t)secs;		/* toward zero */
	double frac = secs - (double)whole;

	if (frac < 0) {
		whole--;
		frac += 1;
	}
	t.tv_sec += whole;
	t.tv_nsec += (long)(frac * 1e9);
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
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
 */
static const char *
reference(const struct threshold *th)
{
	struct timespec now;
#ifdef CLOCK_BOOTTIME
	struct timespec up;
#endif

	wall0 = clock_s(CLOCK_REALTIME);
	mono0 = clock_s(CLOCK_MONOTONIC);
	switch (th->since) {
	case SINCE_EPOCH:
		ref = th->t;
		break;
	case SINCE_AGO:
		now = clock_ts(FILE_CLOCK);
		ref = ts_sub(now, &th->t);
		relative = inclusive = 1;
		break;
	case SINCE_BOOT:
#ifdef CLOCK_BOOTTIME
		now = clock_ts(CLOCK_REALTIME);
		if (clock_gettime(CLOCK_BOOTTIME, &up) == -1)
			return strerror(errno);
		ref = ts_sub(now, &up);
		relative = inclusive = 1;
		break;
#else
		return "boot time is not known on this system";
#endif
	}
	now = clock_ts(CLOCK_REALTIME);
	tracking = ts_cmp(&ref, &now) <= 0;
	return NULL;
}

/*
 * The reference as it stands now.  NTP slews the monotonic clock with the
 * wall clock, so only a step (settimeofday(2), chronyd's makestep at boot)
 * opens a gap between the two; a relative reference moves with it, as a
 * file written after the step is stamped by the stepped clock.
 */
static struct timespec
current_ref(void)
{
	static double last;
	double step;

	if (!relative)
		return ref;
	step = (clock_s(CLOCK_REALTIME) - wall0) -
	    (clock_s(CLOCK_MONOTONIC) - mono0);
	if (step > -CLOCK_STEP && step < CLOCK_STEP)
		return ref;
	if (verbose && fabs(step - last) > CLOCK_STEP)
		warnx("the clock was stepped by %+.3fs; the threshold moves "
		    "with it", step);
	last = step;
	return ts_shift(ref, step);
}

/* A stat() error that waiting will not cure. */
static int
permanent(int e)
{
	return e == EACCES || e == ENOTDIR || e == ELOOP ||
	    e == ENAMETOOLONG || e == EOVERFLOW;
}

static void
watch(const char *path)
{
#ifdef __linux__
	if (ifd == -1)
		return;
	if (inotify_add_watch(ifd, path, IN_CREATE | IN_CLOSE_WRITE |
	    IN_ATTRIB | IN_MOVED_TO | IN_DELETE) != -1)
		return;
	switch (errno) {
	case ENOENT: case ENOTDIR: case EACCES: case ELOOP: case ENAMETOOLONG:
		return;		/* stat() judges the path; polling finds it */
	}
	if (verbose)
		warn("inotify_add_watch %s: polling only", path);
	close(ifd);
	ifd = -1;
#else
	(void)path;
#endif
}

/*
 * The directory that holds path, in dir (PATH_MAX bytes); 0 when its name
 * is too long.
 */
static int
parent(const char *path, char *dir)
{
	size_t len = strlen(path);

	while (len > 1 && path[len - 1] == '/')
		len--;
	while (len > 0 && path[len - 1] != '/')
		len--;
	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len == 0)
		strcpy(dir, ".");
	else if (len < PATH_MAX) {
		memcpy(dir, path, len);
		dir[len] = '\0';
	} else
		return 0;
	return 1;
}

/*
 * Watch the directory that holds path: creation, rename-over and in-place
 * rewrites of the file are all reported there.  Consecutive files in one
 * directory share the watch.
 */
static void
watch_parent(const char *path)
{
	static char last[PATH_MAX];
	char dir[PATH_MAX];

	if (!parent(path, dir) || strcmp(dir, last) == 0)
		return;
	strcpy(last, dir);
	watch(dir);
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
watch_self(struct file *f, const struct stat *st)
{
	static char last[PATH_MAX];	/* files share a parent: stat it once */
	static dev_t lastdev;
	struct stat lst, pst;
	char dir[PATH_MAX];

	f->watched = 1;
	if (S_ISDIR(st->st_mode) ||
	    (lstat(f->path, &lst) == 0 && S_ISLNK(lst.st_mode))) {
		watch(f->path);
		return;
	}
	if (!parent(f->path, dir))
		return;
	if (strcmp(dir, last) != 0) {
		if (stat(dir, &pst) == -1)
			return;
		strcpy(last, dir);
		lastdev = pst.st_dev;
	}
	if (lastdev != st->st_dev)
		watch(f->path);
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
	return ts_cmp(&st->st_mtim, &f->mtime) == 0 &&
	    st->st_dev == f->dev && st->st_ino == f->ino &&
	    st->st_size == f->size;
}

/* Whether st, just read, shows f updated: see reference(). */
static int
updated(const struct file *f, const struct stat *st, const struct timespec *cut)
{
	int c = ts_cmp(&st->st_mtim, cut);

	if (c > 0 || (c == 0 && inclusive))
		return 1;
	return tracking && (f->first == ABSENT ||
	    (f->first == SEEN && !same(f, st)));
}

/*
 * stat() every unmarked file once and mark those updated.  Returns how
 * many are still unmarked.
 */
static size_t
scan(struct file *files, size_t n)
{
	struct timespec cut = current_ref();
	struct stat st;
	struct file *f;
	size_t pending = 0;
	int never = 0;

	for (f = files; f < files + n; f++) {
		checksig();
		if (f->marked)
			continue;
		if (stat(f->path, &st) == -1) {
			if (permanent(errno)) {
				warn("%s", f->path);
				never = 1;
			} else if (verbose && errno != ENOENT &&
			    errno != f->lasterr)
				warn("%s: still waiting", f->path);
			/* Only a sure absence: EIO says nothing of the file. */
			if (errno == ENOENT && f->first == UNSEEN)
				f->first = ABSENT;
			f->lasterr = errno;
			pending++;
			continue;
		}
		f->lasterr = 0;
		if (!f->watched && ifd != -1)
			watch_self(f, &st);
		if (!updated(f, &st, &cut)) {
			if (f->first != SEEN) {
				f->first = SEEN;
				record(f, &st);
			}
			pending++;
			continue;
		}
		f->marked = 1;
		record(f, &st);
		if (verbose)
			warnx("%s: updated", f->path);
	}
	if (never)
		exit(EXIT_NEVER);
	return pending;
}

/*
 * For -s: stat() every file again and note the time of any change to its
 * modification time, identity or size.  Returns the time of the latest.
 */
static double
restat(struct file *files, size_t n, double latest)
{
	struct stat st;
	struct file *f;
	double now = clock_s(CLOCK_MONOTONIC);

	for (f = files; f < files + n; f++) {
		checksig();
		if (stat(f->path, &st) == -1) {
			if (permanent(errno))
				err(EXIT_NEVER, "%s", f->path);
			/* Gone for a moment, as in a rename-over. */
			f->changed = latest = now;
			f->ino = 0;
			continue;
		}
		if (same(f, &st))
			continue;
		record(f, &st);
		f->changed = latest = now;
		if (verbose)
			warnx("%s: changed, settling again", f->path);
	}
	return latest;
}

static void
drain(void)
{
#ifdef __linux__
	union {
		struct inotify_event ev;
		char buf[4096];
	} u;

	while (read(ifd, u.buf, sizeof(u.buf)) > 0)
		;
#endif
}

/*
 * Sleep up to secs, or less if an inotify event arrives.  The signals are
 * unblocked only inside pselect(), so one arriving just before the sleep
 * still ends it at once.
 */
static void
nap(double secs)
{
	struct timespec ts;
	sigset_t orig;
	fd_set rfds;
	int n;

	if (secs < 0)
		secs = 0;
	if (secs > LONGEST_NAP)
		secs = LONGEST_NAP;
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	FD_ZERO(&rfds);
	if (ifd != -1)
		FD_SET(ifd, &rfds);

	sigprocmask(SIG_BLOCK, &catchset, &orig);
	checksig();
	n = pselect(ifd + 1, &rfds, NULL, NULL, &ts, &orig);
	sigprocmask(SIG_SETMASK, &orig, NULL);
	checksig();
	if (n == -1 && errno != EINTR)
		err(EXIT_SYSTEM, "pselect");
	if (n > 0)
		drain();
}

/* The next sleep: d, give or take JITTER, and never past the deadline. */
static double
jittered(double d)
{
	double left = deadline - clock_s(CLOCK_MONOTONIC);

	d *= 1.0 - JITTER + 2.0 * JITTER * erand48(seed);
	return d < left ? d : left;
}

/*
 * TIMEOUT ran out: name each file not updated (saying which are not there
 * at all, at the last look) or not settled, one a line.
 */
static NORETURN void
timedout(struct file *files, size_t n, double settle)
{
	struct file *f;
	double now = clock_s(CLOCK_MONOTONIC);

	for (f = files; f < files + n; f++)
		if (!f->marked && f->lasterr == ENOENT)
			warnx("%s: no such file", f->path);
		else if (!f->marked)
			warnx("%s: not updated", f->path);
		else if (settle > 0 && now - f->changed < settle)
			warnx("%s: not settled", f->path);
	exit(EXIT_TIMEOUT);
}

/*
 * Waiting for updates: some files are unmarked.  Each round stats them;
 * the sleep between rounds starts at interval and doubles up to
 * maxinterval, and inotify cuts it short.
 */
static void
await_updates(struct file *files, size_t n, double interval,
    double maxinterval)
{
	size_t pending;
	double d;

	while ((pending = scan(files, n)) > 0) {
		if (clock_s(CLOCK_MONOTONIC) >= deadline)
			timedout(files, n, 0);
		d = jittered(interval);
		if (verbose)
			warnx("%zu of %zu not updated; next check in %.3fs",
			    pending, n, d);
		nap(d);
		interval = interval * 2 < maxinterval ? interval * 2 :
		    maxinterval;
	}
}

/*
 * Settling: every file is marked, and each file's changed holds when it
 * was last seen to change (at first, the moment the last was marked).
 * Ends once none has changed for settle seconds, looking every step
 * seconds and on inotify events.
 */
static void
await_settled(struct file *files, size_t n, double settle, double step)
{
	double latest = clock_s(CLOCK_MONOTONIC), left;
	size_t i;

	for (i = 0; i < n; i++)
		files[i].changed = latest;
	for (;;) {
		latest = restat(files, n, latest);
		left = settle - (clock_s(CLOCK_MONOTONIC) - latest);
		if (left <= 0)
			return;
		if (clock_s(CLOCK_MONOTONIC) >= deadline)
			timedout(files, n, settle);
		nap(jittered(left < step ? left : step));
	}
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = onsignal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&catchset);
	sigaddset(&catchset, SIGINT);
	sigaddset(&catchset, SIGTERM);
	if (sigaction(SIGINT, &sa, NULL) == -1 ||
	    sigaction(SIGTERM, &sa, NULL) == -1)
		err(EXIT_SYSTEM, "sigaction");
}

/*
 * Nodes booted together run the same image with the same pids, so the
 * clock's nanoseconds carry most of what sets their jitter apart.
 */
static void
seed_jitter(void)
{
	struct timespec ts = clock_ts(CLOCK_REALTIME);

	seed[0] = (unsigned short)ts.tv_nsec;
	seed[1] = (unsigned short)(ts.tv_nsec >> 16 ^ ts.tv_sec);
	seed[2] = (unsigned short)getpid();
}

/* Watches come first, so that no update slips in after a stat(). */
static void
watch_all(const struct file *files, size_t n)
{
#ifdef __linux__
	size_t i;

	if ((ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1) {
		if (verbose)
			warn("inotify_init1: polling only");
		return;
	}
	for (i = 0; i < n && ifd != -1; i++)
		watch_parent(files[i].path);
#else
	(void)files;
	(void)n;
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
	struct threshold th;
	struct file *files;
	const char *why;
	double interval = 1, maxinterval = 60, settle = 0, timeout = -1;
	size_t i, n;
	int ch, poll_only = 0;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":hi:m:ps:t:v", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return 0;
		case 'i':
			interval = seconds_arg(ch, optarg);
			if (interval <= 0)
				errx(EXIT_USAGE, "-i '%s': must be more than 0",
				    optarg);
			break;
		case 'm':
			maxinterval = seconds_arg(ch, optarg);
			if (maxinterval <= 0)
				errx(EXIT_USAGE, "-m '%s': must be more than 0",
				    optarg);
			break;
		case 'p':
			poll_only = 1;
			break;
		case 's':
			settle = seconds_arg(ch, optarg);
			break;
		case 't':
			timeout = seconds_arg(ch, optarg);
			break;
		case 'v':
			verbose = 1;
			break;
		case 'V':
			printf("waitOnFileUpdates %s\n", VERSION);
			return 0;
		default:
			badoption(ch, argv);
			usage(stderr);
			return EXIT_USAGE;
		}
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
	argc--;
	argv++;
	for (i = 0; i < (size_t)argc; i++)
		if (argv[i][0] == '\0')
			errx(EXIT_USAGE, "FILE %zu: empty file name", i + 1);
	if (interval > maxinterval)
		interval = maxinterval;

	n = (size_t)argc;
	if ((files = calloc(n, sizeof(*files))) == NULL)
		err(EXIT_SYSTEM, "calloc");
	for (i = 0; i < n; i++)
		files[i].path = argv[i];

	if ((why = reference(&th)) != NULL)
		errx(EXIT_USAGE, "threshold '%s': %s", argv[-1], why);
	catch_signals();
	seed_jitter();
	if (timeout >= 0)
		deadline = clock_s(CLOCK_MONOTONIC) + timeout;
	if (!poll_only)
		watch_all(files, n);

	await_updates(files, n, interval, maxinterval);
	/* -s looks at the first INTERVAL, not the backed-off one. */
	if (settle > 0)
		await_settled(files, n, settle, interval);
	free(files);
	return 0;
}
