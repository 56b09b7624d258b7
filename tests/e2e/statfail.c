/*
 * An LD_PRELOAD shim for the tests only: stat(2) and lstat(2) of the path
 * STATFAIL_PATH fail with errno STATFAIL_ERRNO (a number) for the first
 * STATFAIL_COUNT calls of the process, or for all of them when it is -1,
 * as a failing NFS server or disk would make them.  Other paths pass.
 *
 * SPDX-License-Identifier: MIT
 */

#define _GNU_SOURCE
#include <sys/stat.h>

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef int (*stat_fn)(const char *, struct stat *);

static long left = -2;		/* failures still to come; -1 forever */

static int
failing(const char *path)
{
	const char *want = getenv("STATFAIL_PATH");

	if (want == NULL || strcmp(want, path) != 0)
		return 0;
	if (left == -2)
		left = strtol(getenv("STATFAIL_COUNT") ? getenv("STATFAIL_COUNT") : "0",
		    NULL, 10);
	if (left == 0)
		return 0;
	if (left > 0)
		left--;
	errno = (int)strtol(getenv("STATFAIL_ERRNO") ? getenv("STATFAIL_ERRNO") : "5",
	    NULL, 10);
	return 1;
}

int
stat(const char *path, struct stat *st)
{
	static stat_fn real;

	if (failing(path))
		return -1;
	if (real == NULL)
		real = (stat_fn)dlsym(RTLD_NEXT, "stat");
	return real(path, st);
}

int
lstat(const char *path, struct stat *st)
{
	static stat_fn real;

	if (failing(path))
		return -1;
	if (real == NULL)
		real = (stat_fn)dlsym(RTLD_NEXT, "lstat");
	return real(path, st);
}
