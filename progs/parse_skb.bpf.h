/* SPDX-License-Identifier: GPL-2.0 */
/* Running the shared parser on an skb: the part the parser and recirc
 * stages have in common. */
#ifndef FP_PROGS_PARSE_SKB_BPF_H
#define FP_PROGS_PARSE_SKB_BPF_H

#include "common.bpf.h"
#include "flow_extract_skb.h"

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
