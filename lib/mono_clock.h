/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FP_LIB_MONO_CLOCK_H
#define FP_LIB_MONO_CLOCK_H

#include <time.h>

#include <linux/types.h>

/* CLOCK_MONOTONIC in ns: what flows, rules and MAC entries are stamped
 * with (ages, idle timeouts), and what the AF_XDP poll loop times its idle
 * spin by. */
static inline __u64 fp_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

#endif
