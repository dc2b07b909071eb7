/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the poll loop does with a packet of the full datapath once it has
 * its flow: the flow's actions (exec.c), the rule engine on a miss
 * (miss.c), and the tx primitives both use (poll.c).
 */
#ifndef FP_AFXDP_EXEC_H
#define FP_AFXDP_EXEC_H

#include <stdbool.h>

#include "poll_loop.h"

/* Post frame address @addr (the packet's offset included) of @x's own
 * umem on @x's tx ring. false if the ring stays full (counted). */
bool fp_afxdp_tx(struct fp_xsk *x, __u64 addr, __u32 len);
/* Copy @len bytes into a free frame of @x's umem and post it. false if no
 * frame is free or the ring is full (counted). */
bool fp_afxdp_tx_copy(struct fp_xsk *x, const void *data, __u32 len);

/*
 * Run @f's actions on packet @m, received by @x; the packet's frame is
 * either sent (out of @x itself, when the last output is @x's port) or
 * back in @x's pool when this returns. Returns whether the packet left by
 * at least one port.
 */
bool fp_afxdp_exec(struct fp_afxdp_thread *t, struct fp_xsk *x,
		   struct fp_pkt_meta *m, struct fp_uflow *f);

/* Set up @t's executor (lib/pkt_exec.h). */
void fp_afxdp_exec_init(struct fp_afxdp_thread *t);

/* The flow of @key: the thread's table, else the rules (a miss), counted
 * hit, missed and miss_dropped as the BPF lookup stage counts them. NULL:
 * dropped. */
struct fp_uflow *fp_afxdp_lookup(struct fp_afxdp_thread *t, struct fp_xsk *x,
				 const struct fp_flow_key *key);

/* A flow-table miss: the flow the rules give @key, installed in the
 * thread's table, or NULL (no rules, no room: the packet is dropped). */
struct fp_uflow *fp_afxdp_miss(struct fp_afxdp_thread *t, struct fp_xsk *x,
			       const struct fp_flow_key *key);

#endif
