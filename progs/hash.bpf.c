// SPDX-License-Identifier: GPL-2.0
/*
 * Stage: hash. hash(l4(basis)) puts a hash of the packet's 5-tuple into
 * the key's dp_hash (maps/flow_hash.h says which hash, and why), for a
 * later recirc to match on; the packet itself is not touched.
 */
#include "common.bpf.h"
#include "flow_hash.h"

SEC("tc")
int fp_hash(struct __sk_buff *skb)
{
	struct fp_scratch *s = fp_scratch_get();
	const struct fp_action *a;

	if (!s)
		return TC_ACT_SHOT;
	a = fp_cur_action(skb, s);
	if (!a)
		return TC_ACT_SHOT;
	if (a->u.hash.alg != FP_HASH_ALG_L4) {
		fp_count(FP_CNT_BAD_ACTION);
		return TC_ACT_SHOT;
	}
	s->key.dp_hash = fp_flow_hash_l4(&s->key, a->u.hash.basis);
	return fp_next_action(skb, s);
}

char LICENSE[] SEC("license") = "GPL";
