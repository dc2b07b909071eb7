/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output, shared by the output stage and the stages that finish a flow's
 * last action inline: an output to a plain netdev port as the last action
 * is the common case, and running it where the packet already is saves a
 * tail call and the output stage's lookups.
 */
#ifndef FP_PROGS_OUTPUT_BPF_H
#define FP_PROGS_OUTPUT_BPF_H

#include "maps.bpf.h"

static __always_inline void fp_count_tx(__u32 port, __u32 len, bool sent)
{
	struct fp_port_stats *ps = bpf_map_lookup_elem(&port_stats, &port);

	if (!ps)
		return;
	if (sent) {
		ps->tx_packets += 1;
		ps->tx_bytes += len;
	} else {
		ps->tx_dropped += 1;
	}
}

/*
 * Run @a, the packet's last action, if it is an output the fast way can
 * finish: to an existing netdev port that is not the input port (unless
 * asked for). Returns the verdict, or -1 if the output stage must run it
 * (what it counts and does for other ports is its business alone).
 */
static __always_inline int fp_output_last_fast(struct __sk_buff *skb,
					       __u32 in_port,
					       const struct fp_action *a)
{
	const struct fp_port *p;
	__u32 port;

	if (a->type != FP_ACT_OUTPUT)
		return -1;
	port = a->u.output.port;
	if (port == in_port && !(a->u.output.flags & FP_OUTPUT_F_IN_PORT))
		return -1;
	p = bpf_map_lookup_elem(&ports, &port);
	if (!p || !p->ifindex || p->type != FP_PORT_NETDEV)
		return -1;
	fp_count_tx(port, skb->len, true);
	return bpf_redirect(p->ifindex, 0);
}

#endif
