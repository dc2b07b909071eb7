// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>

#include <bpf/bpf.h>

#include "dp_counters.h"

const char *const fp_counter_names[FP_CNT_MAX] = {
	[FP_CNT_HIT] = "hit",
	[FP_CNT_MISS] = "missed",
	[FP_CNT_UPCALL] = "upcalls",
	[FP_CNT_UPCALL_LOST] = "upcalls_lost",
	[FP_CNT_TAIL_CALL_FAILED] = "tail_call_failed",
	[FP_CNT_TAIL_CALL_BUDGET] = "tail_call_budget",
	[FP_CNT_BUDGET_DROP] = "budget_drop",
	[FP_CNT_SLOW_PATH] = "slow_path",
	[FP_CNT_NO_PORT] = "not_a_port",
	[FP_CNT_OUTPUT_NO_PORT] = "output_no_port",
	[FP_CNT_OUTPUT_IN_PORT] = "output_in_port",
	[FP_CNT_BAD_ACTION] = "bad_action",
	[FP_CNT_PULL_FAILED] = "pull_failed",
	[FP_CNT_DROP_ACTION] = "drop_action",
	[FP_CNT_MISS_DROP] = "miss_dropped",
	[FP_CNT_PARSE_INCOMPLETE] = "parse_incomplete",
	[FP_CNT_ACTION_FAILED] = "action_failed",
	[FP_CNT_SET_MISMATCH] = "set_mismatch",
	[FP_CNT_UPCALL_RATE_LIMITED] = "upcalls_rate_limited",
	[FP_CNT_UPCALL_LOST_READER] = "upcalls_lost_reader",
	[FP_CNT_TAPX_EXECUTED] = "tap_executed",
	[FP_CNT_TAPX_BAD] = "tap_bad_header",
	[FP_CNT_TAPX_NO_FLOW] = "tap_no_flow",
	[FP_CNT_TUN_DECAP] = "tunnel_decap",
	[FP_CNT_TUN_MALFORMED] = "tunnel_malformed",
	[FP_CNT_TUN_NO_PORT] = "tunnel_no_port",
	[FP_CNT_TUN_ENCAP] = "tunnel_encap",
	[FP_CNT_TUN_ENCAP_FAILED] = "tunnel_encap_failed",
};

int fp_counters_read(struct fp_dp *dp, unsigned long long *out)
{
	int ncpu = fp_nr_cpus(), cpu, err = 0;
	__u64 *v = calloc(ncpu, sizeof(*v));
	__u32 i;

	if (!v)
		return -ENOMEM;
	for (i = 0; i < FP_CNT_MAX; i++) {
		out[i] = 0;
		if (bpf_map_lookup_elem(dp->map_fd[FP_MAP_COUNTERS], &i, v)) {
			err = -errno;
			break;
		}
		for (cpu = 0; cpu < ncpu; cpu++)
			out[i] += v[cpu];
	}
	free(v);
	return err;
}

int fp_counter_add(struct fp_dp *dp, enum fp_counter cnt,
		   unsigned long long n)
{
	__u64 *v = calloc(fp_nr_cpus(), sizeof(*v));
	__u32 i = cnt;
	int err = 0;

	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(dp->map_fd[FP_MAP_COUNTERS], &i, v)) {
		err = -errno;
		goto out;
	}
	/* Summed over CPUs when read: which CPU's value holds it is moot. */
	v[0] += n;
	if (bpf_map_update_elem(dp->map_fd[FP_MAP_COUNTERS], &i, v, BPF_EXIST))
		err = -errno;
out:
	free(v);
	return err;
}
