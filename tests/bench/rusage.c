/*
 * rusage: run a command and print the CPU time and peak RSS it used, to the
 * microsecond, where /usr/bin/time rounds to hundredths of a second.
 *
 *   rusage OUTFILE COMMAND [ARG ...]
 *
 * OUTFILE gets one line: "user_ms system_ms maxrss_KiB exit_status".
 *
 * SPDX-License-Identifier: MIT
 */

#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include <sys/resource.h>
#include <sys/wait.h>

#include <err.h>
#include <stdio.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	struct rusage ru;
	FILE *out;
	pid_t pid;
	int status;

	if (argc < 3)
		errx(2, "usage: rusage OUTFILE COMMAND [ARG ...]");
	if ((out = fopen(argv[1], "w")) == NULL)
		err(1, "%s", argv[1]);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		err(127, "%s", argv[2]);
	}
	if (wait4(pid, &status, 0, &ru) == -1)
		err(1, "wait4");
	fprintf(out, "%.3f %.3f %ld %d\n",
	    (double)ru.ru_utime.tv_sec * 1e3 + (double)ru.ru_utime.tv_usec / 1e3,
	    (double)ru.ru_stime.tv_sec * 1e3 + (double)ru.ru_stime.tv_usec / 1e3,
	    ru.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return fclose(out) == 0 ? 0 : 1;
}
