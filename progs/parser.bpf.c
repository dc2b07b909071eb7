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

static __always_inline void fp_count_rx(__u32 port, __u32 len)
{
	struct fp_port_stats *ps = bpf_map_lookup_elem(&port_stats, &port);

	if (ps) {
		ps->rx_packets += 1;
		ps->rx_bytes += len;
	}
}

SEC("tc")
int fp_parser(struct __sk_buff *skb)
{
	struct fp_scratch *s = fp_scratch_get();
	__u32 port;

	if (!s)
		return TC_ACT_SHOT;

	skb->cb[FP_CB_ACTION_IDX] = 0;
	skb->cb[FP_CB_DEPTH] = 0;
	skb->cb[FP_CB_UPCALL_REASON] = 0;

	port = fp_port_of(skb->ifindex);
	__builtin_memset(&s->key, 0, sizeof(s->key));
	s->key.in_port = port;
	s->tun_out.given = 0;

	if (!fp_parse_skb(skb, &s->key))
		return TC_ACT_SHOT;

	/* Parsed first so that the key is there to inspect (parse-pcap runs
	 * this program on no port at all); not a port: leave it to the stack. */
	if (port == FP_PORT_NONE) {
		fp_count(FP_CNT_NO_PORT);
		return TC_ACT_OK;
	}
	fp_count_rx(port, skb->len);
	return fp_tail_call(skb, FP_SLOT_LOOKUP);
}

char LICENSE[] SEC("license") = "GPL";
