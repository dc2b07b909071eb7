// SPDX-License-Identifier: GPL-2.0
/*
 * Stage: pop_vlan. Removes the outer VLAN tag, if there is one, then runs
 * the next action.
 *
 * The outer tag may be in the frame (a packet that has not been through
 * a device's receive path, as under BPF_PROG_TEST_RUN) or in skb
 * metadata (received on a device: the stack moved it out; pushed by
 * push_vlan). bpf_skb_vlan_pop() handles both, and moves the next tag,
 * if any, from the frame into metadata, where a device with VLAN tx
 * offload (veth) keeps it until its peer receives the frame.
 */
#include "common.bpf.h"
#include "vlan_key.bpf.h"

/*
 * The key had no room for the tag that now becomes the second: read it,
 * and the ethertype after it, from the frame. The outer tag is in
 * metadata now, so the frame's bytes 12.. are what follows it. As the
 * parser would, key at most two tags; L3 and L4 stay unkeyed (zero)
 * until the packet is parsed again (recirc).
 */
static __always_inline void fp_vlan_key_refill(struct __sk_buff *skb,
					       struct fp_flow_key *key)
{
	__be16 hdr[3]; /* TPID, TCI, ethertype after the tag */

	key->vlan[1].tpid = 0;
	key->vlan[1].tci = 0;
	if (bpf_skb_load_bytes(skb, 12, hdr, sizeof(hdr)))
		return;
	if (!fp_vlan_tpid(hdr[0])) {
		key->eth_type = hdr[0];
		return;
	}
	key->vlan[1].tpid = hdr[0];
	key->vlan[1].tci = hdr[1] | bpf_htons(0x1000);
	key->eth_type = hdr[2];
}

SEC("tc")
int fp_pop_vlan(struct __sk_buff *skb)
{
	struct fp_scratch *s = fp_scratch_get();

	if (!s)
		return TC_ACT_SHOT;
	if (bpf_skb_vlan_pop(skb)) {
		fp_count(FP_CNT_ACTION_FAILED);
		return TC_ACT_SHOT;
	}
	if (s->key.vlan[0].tpid) {
		s->key.vlan[0] = s->key.vlan[1];
		if (fp_vlan_tpid(s->key.eth_type)) {
			fp_vlan_key_refill(skb, &s->key);
		} else {
			s->key.vlan[1].tpid = 0;
			s->key.vlan[1].tci = 0;
		}
	}
	return fp_next_action(skb, s);
}

char LICENSE[] SEC("license") = "GPL";
