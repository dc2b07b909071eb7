/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Datapath counters, one per reason, in a per-CPU array. Every packet the
 * datapath does not forward normally lands in exactly one of these, so a
 * drop always has a name. Appended only; userspace names them in
 * lib/counters.c.
 */
#ifndef FP_MAPS_COUNTERS_H
#define FP_MAPS_COUNTERS_H

enum fp_counter {
	FP_CNT_HIT = 0, /* flow table hit */
	FP_CNT_MISS, /* flow table miss */
	FP_CNT_UPCALL, /* upcall record written */
	FP_CNT_UPCALL_LOST, /* perf buffer full or not read */
	FP_CNT_TAIL_CALL_FAILED, /* empty prog-array slot: dropped */
	FP_CNT_TAIL_CALL_BUDGET, /* chain too long for the kernel: slow path */
	FP_CNT_BUDGET_DROP, /* too long even to reach the slow path */
	FP_CNT_SLOW_PATH, /* flow marked for the slow path: upcalled */
	FP_CNT_NO_PORT, /* arrived on a device that is not a port */
	FP_CNT_OUTPUT_NO_PORT, /* output to a port that does not exist */
	FP_CNT_OUTPUT_IN_PORT, /* output to the input port not asked for */
	FP_CNT_BAD_ACTION, /* action type without a stage */
	FP_CNT_PULL_FAILED, /* headers could not be made linear */
	FP_CNT_DROP_ACTION, /* flow with no actions */
	FP_CNT_MISS_DROP, /* missed and dropped by config */
	FP_CNT_PARSE_INCOMPLETE, /* headers beyond the parser's reach: dropped */
	FP_CNT_ACTION_FAILED, /* an action's helper failed: dropped */
	FP_CNT_SET_MISMATCH, /* set(): headers unlike the flow key's: dropped */
	FP_CNT_UPCALL_RATE_LIMITED, /* port's upcall bucket empty: not sent */
	/* Samples the perf reader (the agent) was told it lost: ring
	 * overflow as the reader sees it. Written by userspace only. */
	FP_CNT_UPCALL_LOST_READER,
	FP_CNT_TAPX_EXECUTED, /* packet the agent executed through its TAP */
	FP_CNT_TAPX_BAD, /* on the TAP without a valid header: dropped */
	FP_CNT_TAPX_NO_FLOW, /* executed packet without its flow: dropped */
	FP_CNT_TUN_DECAP, /* GRE/ERSPAN packet decapsulated to its port */
	FP_CNT_TUN_MALFORMED, /* GRE to an endpoint of ours, not decapsulable */
	FP_CNT_TUN_NO_PORT, /* GRE to our endpoint that no port takes */
	FP_CNT_TUN_ENCAP, /* packet encapsulated and sent to its underlay */
	FP_CNT_TUN_ENCAP_FAILED, /* no room, no config or no underlay */
	FP_CNT_MAX,
};

#endif
