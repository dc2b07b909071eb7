// SPDX-License-Identifier: GPL-2.0
/*
 * Stage: tap_execute, TC ingress of the agent's TAP device. Runs a packet
 * the agent executes through the datapath as if it had arrived on the port
 * named in its header (maps/tap_execute.h): first pass strips the header
 * and re-injects the frame, second pass parses it and hands it to lookup.
 * Reached by no tail call and attached to no port: the agent attaches the
 * pinned program to its TAP.
 */
#include "parse_skb.bpf.h"
#include "ports.h"
#include "tap_execute.h"

/* First pass: the frame as the agent wrote it, header first. */
static __always_inline int fp_tapx_strip(struct __sk_buff *skb)
{
	struct fp_tapx_hdr hdr;
	__u8 eth[14];

	if (bpf_skb_load_bytes(skb, 0, &hdr, sizeof(hdr)) ||
	    hdr.magic != bpf_htonl(FP_TAPX_MAGIC) || hdr.in_port == 0 ||
	    hdr.in_port >= FP_MAX_PORTS) {
		fp_count(FP_CNT_TAPX_BAD);
		return TC_ACT_SHOT;
	}
	/* The Ethernet header of the frame: the strip keeps the first 14
	 * bytes (the header's own) and removes the 32 after them. */
	if (bpf_skb_load_bytes(skb, sizeof(hdr), eth, sizeof(eth)) ||
	    bpf_skb_adjust_room(skb, -(__s32)sizeof(hdr), BPF_ADJ_ROOM_MAC, 0) ||
	    bpf_skb_store_bytes(skb, 0, eth, sizeof(eth), 0)) {
		fp_count(FP_CNT_TAPX_BAD);
		return TC_ACT_SHOT;
	}
	skb->mark = FP_TAPX_MARK | hdr.in_port;
	return bpf_redirect(skb->ifindex, BPF_F_INGRESS);
}

/* Second pass: a received frame, and its port in the mark. */
static __always_inline int fp_tapx_run(struct __sk_buff *skb, __u32 port)
{
	struct fp_scratch *s = fp_scratch_get();

	skb->mark = 0;
	if (!s)
		return TC_ACT_SHOT;
	fp_chain_enter(skb, s, port);
	if (!fp_parse_skb(skb, &s->key))
		return TC_ACT_SHOT;
	/* Lookup would upcall a miss, and the agent would execute it again:
	 * a packet whose flow is not there (the agent could not install it,
	 * or it was deleted meanwhile) ends here. */
	if (!bpf_map_lookup_elem(&flow_table, &s->key)) {
		fp_count(FP_CNT_TAPX_NO_FLOW);
		return TC_ACT_SHOT;
	}
	fp_count(FP_CNT_TAPX_EXECUTED);
	return fp_tail_call(skb, FP_SLOT_LOOKUP);
}

SEC("tc")
int fp_tap_execute(struct __sk_buff *skb)
{
	__u32 mark = skb->mark;

	if ((mark & FP_TAPX_MARK_MASK) == FP_TAPX_MARK)
		return fp_tapx_run(skb, mark & FP_TAPX_PORT_MASK);
	return fp_tapx_strip(skb);
}

char LICENSE[] SEC("license") = "GPL";
