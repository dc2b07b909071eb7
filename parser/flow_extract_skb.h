/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parser on an skb, for TC programs: the stages of flow_extract.h, with
 * IPv6 and L4 run as BPF global functions.
 *
 * Why: the verifier checks code once per distinct state that reaches it.
 * Inline, everything after the Ethernet header would be checked once per
 * VLAN/LLC layout, and everything after an IPv6 extension header once per
 * combination of the headers before it: hundreds of thousands of
 * instructions. A global function is checked once, on its own, for any
 * argument values, so each stage below is checked once for every offset
 * it may start at (it bounds the offset itself before reading). The parser
 * stage then verifies in about 14K instructions with clang-14 or clang-19
 * on Linux 6.18 (`make verifier-report`); inline, about 380K.
 *
 * Include from exactly one .bpf.c per object: it defines global functions.
 */
#ifndef FP_PARSER_FLOW_EXTRACT_SKB_H
#define FP_PARSER_FLOW_EXTRACT_SKB_H

#ifndef __bpf__
#error "flow_extract_skb.h is for BPF programs; userspace uses flow_extract.h"
#endif

#include "flow_extract.h"

static __always_inline void fp_cursor_skb(struct fp_cursor *c,
					  const struct __sk_buff *skb,
					  __u32 off, __u32 end)
{
	c->data = (const __u8 *)(long)skb->data;
	c->data_end = (const __u8 *)(long)skb->data_end;
	c->off = off;
	c->end = end;
}

/* The L4 stage at @off of a packet ending at @end. */
__attribute__((noinline)) int fp_parse_l4_skb(struct __sk_buff *skb,
					      struct fp_flow_key *key,
					      __u32 off, __u32 end)
{
	struct fp_cursor c;

	/* Global functions get pointers that may be NULL, for all the
	 * verifier knows. */
	if (!skb || !key)
		return FP_PARSE_INCOMPLETE;
	fp_cursor_skb(&c, skb, off, end);
	return fp_parse_l4_stage(&c, key);
}

/* IPv6 and its extension headers at @off, then the L4 stage. */
__attribute__((noinline)) int fp_parse_ipv6_skb(struct __sk_buff *skb,
						struct fp_flow_key *key,
						__u32 off, __u32 end)
{
	struct fp_cursor c;
	int ret;

	if (!skb || !key)
		return FP_PARSE_INCOMPLETE;
	fp_cursor_skb(&c, skb, off, end);
	ret = fp_parse_ipv6(&c, key);
	if (ret != FP_PARSE_MORE)
		return ret;
	return fp_parse_l4_skb(skb, key, c.off, c.end);
}

/*
 * fp_flow_extract_len() on @skb, whose first min(skb->len,
 * FP_PARSE_HDR_MAX) bytes the caller has made linear.
 */
static __always_inline int fp_flow_extract_skb(struct __sk_buff *skb,
					       struct fp_flow_key *key,
					       __be16 accel_tpid,
					       __be16 accel_tci)
{
	struct fp_cursor c;
	int ret;

	fp_cursor_skb(&c, skb, 0, skb->len);
	ret = fp_parse_to_l3(&c, key, accel_tpid, accel_tci);
	if (ret != FP_PARSE_MORE)
		return ret;
	if (key->eth_type == fp_htons(FP_ETH_P_IPV6))
		return fp_parse_ipv6_skb(skb, key, c.off, c.end);
	return fp_parse_l4_skb(skb, key, c.off, c.end);
}

#endif
