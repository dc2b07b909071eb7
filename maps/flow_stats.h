/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FP_MAPS_FLOW_STATS_H
#define FP_MAPS_FLOW_STATS_H

#include "types.h"

/*
 * Per-CPU statistics of one flow, in the flow_stats array at the flow's
 * stats_idx: an array slot costs the fast path no second hash lookup.
 * Userspace sums the CPUs.
 */
struct fp_flow_stats {
	__u64 packets;
	__u64 bytes;
	__u64 used_ns; /* CLOCK_MONOTONIC (coarse) of the last packet */
	__u16 tcp_flags; /* OR of the flags of every packet */
	__u16 pad[3];
};

_Static_assert(sizeof(struct fp_flow_stats) == 32, "flow stats layout");

#endif
