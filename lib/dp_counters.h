/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FP_LIB_DP_COUNTERS_H
#define FP_LIB_DP_COUNTERS_H

#include "counters.h"
#include "dp.h"

/* Short name of each enum fp_counter, as `flowpath stats` prints it. */
extern const char *const fp_counter_names[FP_CNT_MAX];

/* Sum over CPUs of every counter into @out[FP_CNT_MAX]. */
int fp_counters_read(struct fp_dp *dp, unsigned long long *out);

#endif
