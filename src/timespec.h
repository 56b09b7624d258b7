/*
 * Arithmetic on struct timespec, shared by waitOnFileUpdates and
 * pernode-watch: both keep their deadlines on the monotonic clock.
 * Times are those the system gives, tv_nsec in [0, NSEC).
 *
 * SPDX-License-Identifier: MIT
 */

#ifndef TIMESPEC_H
#define TIMESPEC_H

#include <time.h>

#define NSEC		1000000000L

static inline int
ts_isset(struct timespec t)
{
	return t.tv_sec != 0 || t.tv_nsec != 0;
}

static inline struct timespec
ts_add(struct timespec a, struct timespec b)
{
	a.tv_sec += b.tv_sec;
	a.tv_nsec += b.tv_nsec;
	if (a.tv_nsec >= NSEC) {
		a.tv_sec++;
		a.tv_nsec -= NSEC;
	}
	return a;
}

static inline struct timespec
ts_sub(struct timespec a, struct timespec b)
{
	a.tv_sec -= b.tv_sec;
	a.tv_nsec -= b.tv_nsec;
	if (a.tv_nsec < 0) {
		a.tv_sec--;
		a.tv_nsec += NSEC;
	}
	return a;
}

static inline int
ts_cmp(struct timespec a, struct timespec b)
{
	if (a.tv_sec != b.tv_sec)
		return a.tv_sec > b.tv_sec ? 1 : -1;
	if (a.tv_nsec != b.tv_nsec)
		return a.tv_nsec > b.tv_nsec ? 1 : -1;
	return 0;
}

#endif
