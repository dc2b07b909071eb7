/* SPDX-License-Identifier: GPL-2.0 */
/* Running the shared parser on an skb: the part the parser, recirc and
 * tap_execute stages have in common. */
#ifndef FP_PROGS_PARSE_SKB_BPF_H
#define FP_PROGS_PARSE_SKB_BPF_H

#include "common.bpf.h"
#include "flow_extract_skb.h"

/*
 * A packet enters the chain (the parser, tap_execute's second pass): no
 * action run yet, no tail call taken, no upcall reason, an empty key on
 * @port, and no tunnel override: scratch is per CPU, and what the last
 * packet on this CPU left there must not reach this one.
 */
static __always_inline void fp_chain_enter(struct __sk_buff *skb,
					   struct fp_scratch *s, __u32 port)
{
	skb->cb[FP_CB_ACTION_IDX] = 0;
	skb->cb[FP_CB_DEPTH] = 0;
	skb->cb[FP_CB_UPCALL_REASON] = 0;
	__builtin_memset(&s->key, 0, sizeof(s->key));
	s->key.in_port = port;
	s->tun_out.given = 0;
}

/*
 * Parse @skb into @key, whose metadata the caller has set and whose other
 * bytes are zero. Returns false, counted, if the headers could not be
 * made linear or lie beyond the parser's reach: such a packet must not be
 * forwarded under a partial key.
 */
static __always_inline bool fp_parse_skb(struct __sk_buff *skb,
					 struct fp_flow_key *key)
{
	__u32 want = skb->len < FP_PARSE_HDR_MAX ? skb->len : FP_PARSE_HDR_MAX;
	__be16 tpid = 0, tci = 0;

	/* Direct packet access sees only the linear area. */
	if ((void *)(long)skb->data + want > (void *)(long)skb->data_end &&
	    bpf_skb_pull_data(skb, want)) {
		fp_count(FP_CNT_PULL_FAILED);
		return false;
	}
	/* On a real device the kernel has already moved the outer tag out of
	 * the frame into skb metadata; give it back to the parser. */
	if (skb->vlan_present) {
		tpid = (__be16)skb->vlan_proto;
		tci = bpf_htons((__u16)skb->vlan_tci);
	}
	if (fp_flow_extract_skb(skb, key, tpid, tci) != FP_PARSE_OK) {
		fp_count(FP_CNT_PARSE_INCOMPLETE);
		return false;
	}
	return true;
}

#endif
