/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FP_MAPS_SCRATCH_H
#define FP_MAPS_SCRATCH_H

#include "flow_key.h"
#include "actions.h"

/*
 * Per-CPU state of the packet in flight, carried between tail calls (a TC
 * chain runs to its end on one CPU without being interleaved with another
 * packet's). lookup copies the matched flow's actions here, so the action
 * stages index an array instead of hashing the key again, and a packet runs
 * one consistent version of its flow even if the flow is replaced meanwhile.
 */
struct fp_scratch {
	struct fp_flow_key key;
	__u32 n_actions;
	__u32 flow_flags;
	struct fp_action actions[FP_MAX_ACTIONS];
	/* What the last set(tunnel(...)) of this packet asked for, for its
	 * next outputs to a tunnel port; given == 0: none. The parser clears
	 * it; a recirculation keeps it, as OVS keeps tunnel metadata. */
	struct fp_action_set_tunnel tun_out;
};

#endif
