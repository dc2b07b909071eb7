/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flow table of a loaded datapath, through its pinned maps: install,
 * replace, delete, look up, dump and flush flows, and read their stats.
 *
 * Each installed flow owns one slot of the flow_stats array (its
 * stats_idx): a slot no installed flow uses is free. Writers take
 * fp_dp_lock(), so slots are handed out by one writer at a time.
 *
 * Expected outcomes come back as -errno without a message, for the caller
 * to word: -EEXIST (flow already installed), -ENOENT (no such flow),
 * -ENOSPC (table full). Failing map operations print why (fp_err) and
 * return -errno.
 */
#ifndef FP_LIB_FLOW_TABLE_H
#define FP_LIB_FLOW_TABLE_H

#include "dp.h"
#include "flow_key.h"
#include "actions.h"
#include "flow_stats.h"

enum fp_flow_put_flags {
	FP_FLOW_CREATE = 1 << 0, /* may install a flow that is not there */
	FP_FLOW_MODIFY = 1 << 1, /* may replace one that is */
	/* A replaced flow's stats restart from zero (else they carry on). */
	FP_FLOW_RESET_STATS = 1 << 2,
};

/*
 * Install @flow (its flags and actions; stats_idx is chosen here) under
 * @key. A new flow gets a free stats slot, zeroed on every CPU before the
 * flow becomes visible; a replaced one keeps its slot. Returns 0, -EEXIST
 * without FP_FLOW_MODIFY, -ENOENT without FP_FLOW_CREATE, -ENOSPC if the
 * table is full.
 */
int fp_flow_put(struct fp_dp *dp, const struct fp_flow_key *key,
		const struct fp_flow *flow, unsigned int flags);

/* Remove the flow at @key, freeing its stats slot. @stats (may be NULL)
 * gets its last stats. Returns 0 or -ENOENT. */
int fp_flow_del(struct fp_dp *dp, const struct fp_flow_key *key,
		struct fp_flow_stats *stats);

/* The flow at @key and its stats (either may be NULL). 0 or -ENOENT. */
int fp_flow_get(struct fp_dp *dp, const struct fp_flow_key *key,
		struct fp_flow *flow, struct fp_flow_stats *stats);

/* Called once per flow by fp_flow_dump(); a non-zero return stops the dump
 * and is returned by it. */
typedef int (*fp_flow_dump_cb)(const struct fp_flow_key *key,
			       const struct fp_flow *flow,
			       const struct fp_flow_stats *stats, void *arg);

/* Every installed flow, in table order. Returns 0, the callback's
 * non-zero return, or -errno. */
int fp_flow_dump(struct fp_dp *dp, fp_flow_dump_cb cb, void *arg);

/* Delete every flow. Returns how many, or -errno. */
int fp_flow_flush(struct fp_dp *dp);

/* Stats of slot @idx summed over CPUs: packets and bytes added, the
 * latest used_ns, tcp_flags ORed. */
int fp_flow_stats_read(struct fp_dp *dp, __u32 idx, struct fp_flow_stats *sum);

#endif
