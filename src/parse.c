/*
 * Parsers for waitOnFileUpdates; see parse.h.
 *
 * SPDX-License-Identifier: MIT
 */

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <inttypes.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "parse.h"

/*
 * A non-negative decimal number of seconds: digits, optionally a point and
 * more digits.  Parsed by hand so that signs, blanks, exponents, "nan" and
 * "inf", which strtod(3) accepts, are refused, and so that "@T" keeps its
 * full nanosecond precision (digits past the ninth are dropped, not
 * rounded).  Returns NULL or the reason for refusing s.
 */
const char *
parse_seconds(const char *s, struct timespec *ts)
{
	const char *p;
	intmax_t sec = 0;
	long nsec = 0, scale = 100000000L;
	int digits = 0;

	if (*s == '\0')
		return "empty number";
	if (*s == '-')
		return "negative number";
	for (p = s; *p >= '0' && *p <= '9'; p++, digits++) {
		if (sec > (INTMAX_MAX - (*p - '0')) / 10)
			return "number out of range";
		sec = sec * 10 + (*p - '0');
	}
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
			nsec += (*p - '0') * scale;
			scale /= 10;
		}
	if (*p != '\0' || digits == 0)
		return "not a decimal number";
	ts->tv_sec = (time_t)sec;
	if ((intmax_t)ts->tv_sec != sec || ts->tv_sec < 0)
		return "number out of range";
	ts->tv_nsec = nsec;
	return NULL;
}

/* THRESHOLD: "N", "@T" or "boot".  Returns NULL or the reason for refusing s. */
const char *
parse_threshold(const char *s, struct threshold *th)
{
	if (strcmp(s, "boot") == 0) {
		th->since = SINCE_BOOT;
		th->t.tv_sec = 0;
		th->t.tv_nsec = 0;
		return NULL;
	}
	if (*s == '@') {
		th->since = SINCE_EPOCH;
		return parse_seconds(s + 1, &th->t);
	}
	th->since = SINCE_AGO;
	return parse_seconds(s, &th->t);
}
