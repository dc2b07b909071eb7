/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The whole action list of a flow that the slow path executes
 * (FP_FLOW_F_SLOW_PATH): one with more actions than the flow table's
 * FP_MAX_ACTIONS elements hold, or with an action no BPF stage runs.
 * Kept in the pinned map slow_actions under the flow's key, so that the
 * agent that receives the flow's upcalls (reason slow_path) finds what to
 * do with the packet; the flow table entry itself holds the first
 * FP_MAX_ACTIONS of them, for inspection only. Userspace writes the list
 * before the flow, and removes it after the flow.
 */
#ifndef FP_MAPS_SLOW_ACTIONS_H
#define FP_MAPS_SLOW_ACTIONS_H

#include "actions.h"

#define FP_SLOW_MAX_ACTIONS 256

struct fp_slow_actions {
	__u32 n_actions;
	__u32 pad;
	struct fp_action actions[FP_SLOW_MAX_ACTIONS];
};

_Static_assert(sizeof(struct fp_slow_actions) ==
		       8 + sizeof(struct fp_action) * FP_SLOW_MAX_ACTIONS,
	       "slow action list layout");

#endif
