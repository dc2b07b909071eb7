/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-port upcall token buckets (maps/upcall_limit.h) and the per-port
 * upcall counters, from userspace: `flowpath load --upcall-rate/--burst`,
 * `flowpath upcall limit`, `flowpath stats`.
 */
#ifndef FP_LIB_DP_UPCALL_LIMIT_H
#define FP_LIB_DP_UPCALL_LIMIT_H

#include <stdbool.h>

#include "dp.h"
#include "upcall_limit.h"

/* Every port, for fp_upcall_limit_set(). */
#define FP_UPCALL_ALL_PORTS (-1)

/*
 * Parse @arg as the rate (@what "rate": 0 means no limit, at most
 * FP_UPCALL_RATE_MAX) or the burst ("burst": at least 1) of a bucket.
 * @cmd names the command in the message; 0 or -EINVAL.
 */
int fp_upcall_limit_parse(const char *cmd, const char *what, const char *arg,
			  __u32 *out);

/*
 * Set the bucket of port @no (FP_UPCALL_ALL_PORTS: of every port) in the
 * upcall_limit map @fd: a NULL @rate or @burst keeps that port's value.
 * The bucket starts full. 0, or -errno after a message.
 */
int fp_upcall_limit_write(int fd, const char *dp_name, int no,
			  const __u32 *rate, const __u32 *burst);
static inline int fp_upcall_limit_set(struct fp_dp *dp, int no,
				      const __u32 *rate, const __u32 *burst)
{
	return fp_upcall_limit_write(dp->map_fd[FP_MAP_UPCALL_LIMIT], dp->name,
				     no, rate, burst);
}

/* Port @no's bucket (its lock word zeroed); 0 or -errno. */
int fp_upcall_limit_get(struct fp_dp *dp, __u32 no, struct fp_upcall_limit *l);

/* Port @no's upcall counters summed over CPUs / zeroed. */
int fp_upcall_port_stats_sum(struct fp_dp *dp, __u32 no,
			     struct fp_upcall_port_stats *sum);
int fp_upcall_port_stats_clear(struct fp_dp *dp, __u32 no);

#endif
