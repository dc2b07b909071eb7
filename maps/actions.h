/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A flow's actions: a fixed array of FP_MAX_ACTIONS elements, each a type
 * plus a union big enough for any action's arguments. Each action type is
 * run by its own BPF stage, found in the prog-array at fp_action_slot(type).
 * New types are appended; a value is never reused for another meaning,
 * because installed flows outlive a datapath upgrade.
 */
#ifndef FP_MAPS_ACTIONS_H
#define FP_MAPS_ACTIONS_H

#include "types.h"

#define FP_MAX_ACTIONS 32
#define FP_ACTION_ARG_SIZE 40

enum fp_action_type {
	FP_ACT_NONE = 0, /* unused element: ends the list */
	FP_ACT_OUTPUT = 1,
	FP_ACT_TYPE_MAX, /* one past the last type a stage implements */
};

/* fp_action_output.flags */
enum fp_output_flags {
	/* Sending back out of the input port was asked for explicitly. */
	FP_OUTPUT_F_IN_PORT = 1 << 0,
};

struct fp_action_output {
	__u32 port;
	__u32 flags; /* enum fp_output_flags */
};

struct fp_action {
	__u32 type; /* enum fp_action_type */
	__u32 pad;
	union {
		struct fp_action_output output;
		__u8 raw[FP_ACTION_ARG_SIZE];
	} u;
};

/* fp_flow.flags */
enum fp_flow_flags {
	/* Some action has no BPF stage, or there are more than fit:
	 * every packet of this flow is executed by the slow path. */
	FP_FLOW_F_SLOW_PATH = 1 << 0,
};

/* Value of the flow table. */
struct fp_flow {
	__u32 flags; /* enum fp_flow_flags */
	__u32 n_actions; /* elements in use; 0 is a drop */
	__u32 stats_idx; /* slot in the flow_stats map */
	__u32 pad;
	struct fp_action actions[FP_MAX_ACTIONS];
};

_Static_assert(sizeof(struct fp_action) == 48, "action layout");
_Static_assert(sizeof(struct fp_flow) == 16 + 48 * FP_MAX_ACTIONS,
	       "flow value layout");

#endif
