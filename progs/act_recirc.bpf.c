// SPDX-License-Identifier: GPL-2.0
/*
 * Stage: the recirc(id) action. Sets the key's recirc_id and sends the
 * packet through the pipeline again: the recirc stage parses it anew,
 * keeping in_port, recirc_id, dp_hash and tunnel metadata, and lookup
 * finds the flow for recirc_id(id). As in OVS, recirc ends the list
 * (odp refuses actions after it). The tail calls of both passes count
 * against one budget: lookup checks it before each pass's actions.
 */
#include "common.bpf.h"

SEC("tc")
int fp_act_recirc(struct __sk_buff *skb)
{
	struct fp_scratch *s = fp_scratch_get();
	const struct fp_action *a;

	if (!s)
		return TC_ACT_SHOT;
	a = fp_cur_action(skb, s);
	if (!a)
		return TC_ACT_SHOT;
	s->key.recirc_id = a->u.recirc.id;
	return fp_tail_call(skb, FP_SLOT_RECIRC);
}

char LICENSE[] SEC("license") = "GPL";
