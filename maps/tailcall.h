/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Slots of the prog-array. Pipeline stages have fixed slots; the stage for
 * action type T sits at FP_SLOT_ACTION_BASE + T. A retired slot stays
 * reserved and documented here; it is never given to another stage.
 */
#ifndef FP_MAPS_TAILCALL_H
#define FP_MAPS_TAILCALL_H

#include "actions.h"

enum fp_slot {
	FP_SLOT_RECIRC = 0, /* re-parse, keeping metadata: after decap */
	FP_SLOT_LOOKUP = 1,
	FP_SLOT_UPCALL = 2,
	FP_SLOT_TUNNEL_ENCAP = 3, /* output to a GRE/ERSPAN port */
	FP_SLOT_TUNNEL_DECAP = 4, /* GRE from the parser: ours to strip? */
	FP_SLOT_ACTION_BASE = 8,
	FP_SLOT_OUTPUT = FP_SLOT_ACTION_BASE + FP_ACT_OUTPUT,
	FP_SLOT_PUSH_VLAN = FP_SLOT_ACTION_BASE + FP_ACT_PUSH_VLAN,
	FP_SLOT_POP_VLAN = FP_SLOT_ACTION_BASE + FP_ACT_POP_VLAN,
	FP_SLOT_SET_FIELD = FP_SLOT_ACTION_BASE + FP_ACT_SET_FIELD,
	FP_SLOT_HASH = FP_SLOT_ACTION_BASE + FP_ACT_HASH,
	FP_SLOT_ACT_RECIRC = FP_SLOT_ACTION_BASE + FP_ACT_RECIRC,
	FP_SLOT_SET_TUNNEL = FP_SLOT_ACTION_BASE + FP_ACT_SET_TUNNEL,
	FP_SLOT_MAX = FP_SLOT_ACTION_BASE + 64, /* sizes the prog-array */
};

#define fp_action_slot(type) (FP_SLOT_ACTION_BASE + (type))

_Static_assert(FP_SLOT_ACTION_BASE + FP_ACT_TYPE_MAX <= FP_SLOT_MAX,
	       "prog-array too small for the action types");

/*
 * The kernel runs at most this many tail calls per packet (MAX_TAIL_CALL_CNT).
 * A chain entered at the parser spends one on lookup and one per action,
 * so parser + lookup + FP_MAX_ACTIONS actions use exactly all of them.
 * A stage that would need more hands the packet to the slow path instead.
 */
#define FP_TAIL_CALL_LIMIT 33

#endif
