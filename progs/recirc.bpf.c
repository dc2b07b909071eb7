// SPDX-License-Identifier: GPL-2.0
/*
 * Stage: recirc. Parses the packet again after an action changed what it
 * is (tunnel decap), keeping the metadata that the packet's history set:
 * in_port, recirc_id, dp_hash, tunnel. Unlike the parser it is reached by
 * tail call, so the chain's depth carries on and lookup's budget check
 * sees every tail call this packet has taken.
 */
#include "parse_skb.bpf.h"

SEC("tc")
int fp_recirc(struct __sk_buff *skb)
{
	struct fp_scratch *s = fp_scratch_get();

	if (!s)
		return TC_ACT_SHOT;
	fp_flow_key_reset_headers(&s->key);
	if (!fp_parse_skb(skb, &s->key))
		return TC_ACT_SHOT;
	return fp_tail_call(skb, FP_SLOT_LOOKUP);
}

char LICENSE[] SEC("license") = "GPL";
