/*
 * latency: how long a waiter takes to exit after the file it waits on is
 * written.  Used by tests/bench/waitOnFileUpdates.sh.
 *
 *   latency ROUNDS FILE READY-TEXT COMMAND [ARG ...]
 *
 * LATENCY_SEED, when set, seeds the 0.2-1.0 s pauses (default 42).
 *
 * Each round sets FILE's time to the year 2000, starts COMMAND with its
 * standard error on a pipe, waits until a line holding READY-TEXT arrives
 * (or, with READY-TEXT "-", for 0.3 s), waits 0.2-1.0 s more, appends a byte
 * to FILE, and prints the seconds from that write to the waiter's exit as
 * waitpid(2) sees it.  The write and the wait are this process's own calls,
 * so no shell's job control adds to the figure.
 *
 * SPDX-License-Identifier: MIT
 */

#define _POSIX_C_SOURCE 200809L

#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
pause_for(double secs)
{
	struct timespec ts;

	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1)
		;
}

/* Read the child's stderr until a line holds text. */
static void
await(int fd, const char *text)
{
	char buf[4096];
	size_t len = 0;
	ssize_t n;

	while (len < sizeof(buf) - 1 &&
	    (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0) {
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, text) != NULL)
			return;
	}
	errx(1, "waiter never printed \"%s\"", text);
}

int
main(int argc, char *argv[])
{
	const struct timespec y2000[2] = { { 946684800, 0 }, { 946684800, 0 } };
	const char *seedenv = getenv("LATENCY_SEED");
	unsigned seed = seedenv != NULL ? (unsigned)strtoul(seedenv, NULL, 10) : 42;
	int rounds, r, fd, p[2], status;
	double t0, t1;
	pid_t pid;

	if (argc < 5)
		errx(2, "usage: latency ROUNDS FILE READY-TEXT COMMAND [ARG ...]");
	rounds = atoi(argv[1]);
	for (r = 0; r < rounds; r++) {
		if ((fd = open(argv[2], O_WRONLY | O_CREAT | O_APPEND, 0644)) == -1 ||
		    futimens(fd, y2000) == -1 || close(fd) == -1)
			err(1, "%s", argv[2]);
		if (pipe(p) == -1)
			err(1, "pipe");
		if ((pid = fork()) == -1)
			err(1, "fork");
		if (pid == 0) {
			/* stdout stays ours: the figures alone go there. */
			if ((fd = open("/dev/null", O_WRONLY)) == -1)
				err(127, "/dev/null");
			dup2(fd, 1);
			dup2(p[1], 2);
			close(p[0]);
			close(p[1]);
			execvp(argv[4], argv + 4);
			err(127, "%s", argv[4]);
		}
		close(p[1]);
		if (strcmp(argv[3], "-") == 0)
			pause_for(0.3);
		else
			await(p[0], argv[3]);
		seed = seed * 1103515245u + 12345u;
		pause_for(0.2 + (double)(seed >> 16 & 0x7fff) / 32768.0 * 0.8);

		if ((fd = open(argv[2], O_WRONLY | O_APPEND)) == -1)
			err(1, "%s", argv[2]);
		t0 = now();
		if (write(fd, "x", 1) != 1 || close(fd) == -1)
			err(1, "write %s", argv[2]);
		if (waitpid(pid, &status, 0) == -1)
			err(1, "waitpid");
		t1 = now();
		close(p[0]);
		printf("%.6f\n", t1 - t0);
	}
	return 0;
}
