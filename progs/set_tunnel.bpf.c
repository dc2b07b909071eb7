// SPDX-License-Identifier: GPL-2.0
/*
 * Stage: set_tunnel, set(tunnel(...)). Touches no packet byte: it records
 * the egress tunnel metadata in scratch, where the encap stage of the next
 * output to a tunnel port finds it (progs/tunnel_encap.bpf.c).
 */
#include "common.bpf.h"

SEC("tc")
int fp_set_tunnel(struct __sk_buff *skb)
{
	struct fp_scratch *s = fp_scratch_get();
	const struct fp_action *a;

	if (!s)
		return TC_ACT_SHOT;
	a = fp_cur_action(skb, s);
	if (!a)
		return TC_ACT_SHOT;
	s->tun_out = a->u.set_tunnel;
	return fp_next_action(skb, s);
}

char LICENSE[] SEC("license") = "GPL";
