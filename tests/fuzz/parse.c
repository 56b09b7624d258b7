/*
 * libFuzzer target for the number and THRESHOLD parsers of
 * waitOnFileUpdates, with properties checked on every input:
 *  - a number is accepted exactly when it is digits with at most one point
 *    and at least one digit, and fits in time_t;
 *  - an accepted number prints back to a string that parses to the same
 *    value, and agrees with strtod(3) to within rounding;
 *  - a THRESHOLD is accepted exactly when it is "boot", "@" and a number,
 *    or a number.
 * Build and run: make fuzz FUZZ_SECONDS=60
 *
 * SPDX-License-Identifier: MIT
 */

#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/parse.h"

/* ts as a double, for comparing with strtod(3). */
static double
tstod(const struct timespec *ts)
{
	return (double)ts->tv_sec + (double)ts->tv_nsec / 1e9;
}

/* The grammar, said a second way: no more than one '.', and a digit. */
static int
well_formed(const char *s)
{
	int digits = 0, points = 0;

	for (; *s != '\0'; s++)
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s == '.')
			points++;
		else
			return 0;
	return digits > 0 && points <= 1;
}

static void
check_number(const char *s)
{
	struct timespec ts, again;
	char buf[64];
	double d;

	if (parse_seconds(s, &ts) != NULL) {
		if (!well_formed(s))
			return;
		/* Well-formed but refused: only when too large. */
		d = strtod(s, NULL);
		if (d < 9.2e18 * 0.999)
			abort();
		return;
	}
	if (!well_formed(s) || ts.tv_sec < 0 || ts.tv_nsec < 0 ||
	    ts.tv_nsec > 999999999L)
		abort();
	snprintf(buf, sizeof(buf), "%jd.%09ld", (intmax_t)ts.tv_sec,
	    ts.tv_nsec);
	if (parse_seconds(buf, &again) != NULL ||
	    again.tv_sec != ts.tv_sec || again.tv_nsec != ts.tv_nsec)
		abort();
	d = strtod(s, NULL);
	if (fabs(d - tstod(&ts)) > 1e-9 * (d > 1 ? d : 1) + 1e-9)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct threshold th;
	char s[128];
	int ok;

	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (strlen(s) != size)
		return 0;	/* argv strings hold no NUL */

	check_number(s);
	ok = parse_threshold(s, &th) == NULL;
	if (strcmp(s, "boot") == 0 && (!ok || th.since != SINCE_BOOT))
		abort();
	if (ok && th.since != (strcmp(s, "boot") == 0 ? SINCE_BOOT :
	    s[0] == '@' ? SINCE_EPOCH : SINCE_AGO))
		abort();
	if (ok && strcmp(s, "boot") != 0 &&
	    !well_formed(s[0] == '@' ? s + 1 : s))
		abort();
	return 0;
}
