/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FP_LIB_DP_COUNTERS_H
#define FP_LIB_DP_COUNTERS_H

#include "counters.h"
#include "dp.h"

/* Short name of each enum fp_counter, as `flowpath stats` prints it. */
extern const char *const fp_counter_names[FP_CNT_MAX];

/* Sum over CPUs of every counter into @out[FP_CNT_MAX]. */
int fp_counters_read(struct fp_dp *dp, unsigned long long *out);

/*
 * Add @n to a counter that only userspace writes (no stage touches it, so
 * the read-modify-write of the per-CPU values races with no one but
 * another writer of the same counter): FP_CNT_UPCALL_LOST_READER, which
 * the perf buffer's reader bumps from its lost-samples callback.
 */
int fp_counter_add(struct fp_dp *dp, enum fp_counter cnt,
		   unsigned long long n);

#endif
