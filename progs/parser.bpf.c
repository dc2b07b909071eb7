// SPDX-License-Identifier: GPL-2.0
/*
 * Stage: parser, the TC ingress entry. Maps the device to its port, parses
 * the packet into the per-CPU flow key and hands over to lookup.
 */
#include "parse_skb.bpf.h"

/* The array first: no hash on the common path (maps/maps.bpf.h). */
static __always_inline __u32 fp_port_of(__u32 ifindex)
{
	__u32 *port = bpf_map_lookup_elem(&port_by_ifidx, &ifindex);

	if (port && *port)
		return *port;
	port = bpf_map_lookup_elem(&port_by_ifindex, &ifindex);
	return port ? *port : FP_PORT_NONE;
}

SEC("tc")
int fp_parser(struct __sk_buff *skb)
{
	struct fp_scratch *s = fp_scratch_get();
	__u32 port;

	if (!s)
		return TC_ACT_SHOT;

	port = fp_port_of(skb->ifindex);
	fp_chain_enter(skb, s, port);
	if (!fp_parse_skb(skb, &s->key))
		return TC_ACT_SHOT;

	/* Parsed first so that the key is there to inspect (parse-pcap runs
	 * this program on no port at all); not a port: leave it to the stack. */
	if (port == FP_PORT_NONE) {
		fp_count(FP_CNT_NO_PORT);
		return TC_ACT_OK;
	}
	fp_count_rx(port, skb->len);
	/* Ours to decapsulate? The decap stage looks its endpoint up. */
	if (s->key.nw_proto == FP_IPPROTO_GRE &&
	    s->key.eth_type == bpf_htons(FP_ETH_P_IP) &&
	    s->key.nw_frag == FP_FRAG_NO && !s->key.vlan[0].tpid)
		return fp_tail_call(skb, FP_SLOT_TUNNEL_DECAP);
	return fp_tail_call(skb, FP_SLOT_LOOKUP);
}

char LICENSE[] SEC("license") = "GPL";
