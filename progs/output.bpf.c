// SPDX-License-Identifier: GPL-2.0
/*
 * Stage: output. The last action redirects the packet itself; an output
 * with more actions after it sends a clone and carries on. An output to a
 * tunnel port is the tunnel_encap stage's.
 */
#include "common.bpf.h"

SEC("tc")
int fp_output(struct __sk_buff *skb)
{
	struct fp_scratch *s = fp_scratch_get();
	const struct fp_action *a;
	const struct fp_port *p;
	__u32 port, ifindex, len;
	bool last;

	if (!s)
		return TC_ACT_SHOT;
	a = fp_cur_action(skb, s);
	if (!a)
		return TC_ACT_SHOT;

	port = a->u.output.port;
	last = skb->cb[FP_CB_ACTION_IDX] + 1 >= s->n_actions;
	len = skb->len;

	if (port == s->key.in_port &&
	    !(a->u.output.flags & FP_OUTPUT_F_IN_PORT)) {
		/* OVS never reflects a packet unless the flow says so. */
		fp_count(FP_CNT_OUTPUT_IN_PORT);
		goto skip;
	}
	p = bpf_map_lookup_elem(&ports, &port);
	ifindex = p ? p->ifindex : 0;
	if (!ifindex) {
		fp_count(FP_CNT_OUTPUT_NO_PORT);
		fp_count_tx(port, len, false);
		goto skip;
	}
	/* A tunnel port's packets leave encapsulated, by its underlay. */
	if (p->type == FP_PORT_GRE || p->type == FP_PORT_ERSPAN)
		return fp_tail_call(skb, FP_SLOT_TUNNEL_ENCAP);

	if (last) {
		fp_count_tx(port, len, true);
		return bpf_redirect(ifindex, 0);
	}
	fp_count_tx(port, len, bpf_clone_redirect(skb, ifindex, 0) == 0);
skip:
	if (last)
		return TC_ACT_SHOT;
	return fp_next_action(skb, s);
}

char LICENSE[] SEC("license") = "GPL";
