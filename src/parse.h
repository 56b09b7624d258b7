/*
 * The command-line grammar of waitOnFileUpdates: numbers of seconds and
 * the THRESHOLD operand.  Pure functions, so that the fuzzer links them.
 *
 * SPDX-License-Identifier: MIT
 */

#ifndef PARSE_H
#define PARSE_H

#include <time.h>

enum since {
	SINCE_AGO,	/* "N": N seconds before the start */
	SINCE_EPOCH,	/* "@T": T seconds since the epoch */
	SINCE_BOOT	/* "boot": the moment the system booted */
};

struct threshold {
	enum since	 since;
	struct timespec	 t;	/* N or T; zero for boot */
};

const char	*parse_seconds(const char *, struct timespec *);
const char	*parse_threshold(const char *, struct threshold *);

#endif
