// SPDX-License-Identifier: GPL-2.0
/*
 * Stage: push_vlan. Pushes an 802.1Q or 802.1ad tag outside any the
 * packet has, then runs the next action.
 *
 * bpf_skb_vlan_push() keeps the outermost tag in skb metadata
 * (skb->vlan_tci), as a NIC's VLAN offload would: a tag already there is
 * first written into the frame, then the new one takes its place. The
 * tag reaches the wire when the packet is sent: a device without VLAN tx
 * offload gets it written into the frame by the stack
 * (validate_xmit_vlan), a veth carries it as metadata to its peer, whose
 * receive path (and every capture) sees the tagged frame.
 *
 * The key in scratch is updated as the parser would key the new packet,
 * so that a later set() sees where the headers now are; recirc parses
 * the packet again anyway.
 */
#include "common.bpf.h"
#include "vlan_key.bpf.h"

SEC("tc")
int fp_push_vlan(struct __sk_buff *skb)
{
	struct fp_scratch *s = fp_scratch_get();
	const struct fp_action *a;
	__be16 tpid, tci;

	if (!s)
		return TC_ACT_SHOT;
	a = fp_cur_action(skb, s);
	if (!a)
		return TC_ACT_SHOT;
	tpid = a->u.push_vlan.tpid;
	tci = a->u.push_vlan.tci;

	if (bpf_skb_vlan_push(skb, tpid, bpf_ntohs(tci))) {
		fp_count(FP_CNT_ACTION_FAILED);
		return TC_ACT_SHOT;
	}
	fp_vlan_key_push(&s->key, tpid, tci);
	return fp_next_action(skb, s);
}

char LICENSE[] SEC("license") = "GPL";
