/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by tail_burn.bpf.c and test_tailcall.c: where the burner sits in
 * the test datapath's prog-array and what it reads from skb->cb.
 */
#ifndef FP_SELFTESTS_TAIL_BURN_H
#define FP_SELFTESTS_TAIL_BURN_H

#include "tailcall.h"

/* The last slot of the prog-array: the stage of action type 63, which no
 * action has; the test checks that it is empty before taking it. */
#define FPT_BURN_SLOT (FP_SLOT_MAX - 1)

_Static_assert(FPT_BURN_SLOT >= FP_SLOT_ACTION_BASE + FP_ACT_TYPE_MAX,
	       "the burner's slot belongs to an action stage");

/* skb->cb words past the datapath's own (progs/common.bpf.h uses 0-2). */
enum fpt_burn_cb {
	FPT_CB_TARGET = 3, /* tail calls to burn before entering recirc */
	FPT_CB_MODE = 4, /* enum fpt_burn_mode */
};

enum fpt_burn_mode {
	/* Burn FPT_CB_TARGET tail calls, then enter recirc as the datapath
	 * does after a decap, with the depth counted in cb[1]. */
	FPT_BURN_TO_RECIRC = 0,
	/* Tail-call itself until the kernel refuses; return how many it
	 * was allowed. */
	FPT_BURN_PROBE = 1,
};

/* Verdict of a burner whose own tail call failed before it was done. */
#define FPT_BURN_SHORT 0x7fb

#endif
