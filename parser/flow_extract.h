/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The packet parser, one source for the BPF parser stage and for userspace
 * (parse-pcap, its differential test, the AF_XDP datapath).
 *
 * It keys a packet exactly as Open vSwitch's flow_extract() (lib/flow.c,
 * OVS 3.1) does, malformed and truncated packets included: where OVS gives
 * up on a header, the key holds what OVS had keyed by then, and nothing is
 * guessed. It reads only the first FP_PARSE_HDR_MAX bytes (its loops over
 * IPv6 extension headers and ND options are bounded by what fits there);
 * a packet whose key needs a byte past them is FP_PARSE_INCOMPLETE rather
 * than keyed as OVS would not key it.
 *
 * Not keyed (no field in struct fp_flow_key): NSH, the ND reserved word
 * and option type. Keyed but not printed by OVS: the IGMP group.
 */
#ifndef FP_PARSER_FLOW_EXTRACT_H
#define FP_PARSER_FLOW_EXTRACT_H

#include "parse_cursor.h"
#include "parse_l2.h"
#include "parse_l3.h"
#include "parse_l4.h"

/*
 * Ethernet, then ARP, MPLS or IPv4 up to its L4 header. Returns
 * FP_PARSE_MORE if the IPv6 stage (IPv6 ethertype) or the L4 stage (IPv4)
 * comes next, at the cursor.
 */
static __always_inline int fp_parse_to_l3(struct fp_cursor *c,
					  struct fp_flow_key *key,
					  __be16 accel_tpid, __be16 accel_tci)
{
	__be16 type;
	int ret;

	ret = fp_parse_eth(c, key, accel_tpid, accel_tci);
	if (ret != FP_PARSE_MORE)
		return ret;
	type = key->eth_type;
	if (type == fp_htons(FP_ETH_P_IP))
		return fp_parse_ipv4(c, key);
	if (type == fp_htons(FP_ETH_P_IPV6))
		return FP_PARSE_MORE;
	if (type == fp_htons(FP_ETH_P_ARP) || type == fp_htons(FP_ETH_P_RARP))
		return fp_parse_arp(c, key);
	if (type == fp_htons(FP_ETH_P_MPLS_UC) ||
	    type == fp_htons(FP_ETH_P_MPLS_MC))
		return fp_parse_mpls(c, key);
	return FP_PARSE_OK;
}

/* The L4 stage: the transport header of IPv4 or IPv6, unless the packet
 * is a later fragment, which has none. */
static __always_inline int fp_parse_l4_stage(struct fp_cursor *c,
					     struct fp_flow_key *key)
{
	if (key->nw_frag == FP_FRAG_LATER)
		return FP_PARSE_OK;
	return fp_parse_l4(c, key, key->nw_proto);
}

/*
 * Parse a packet of @pkt_len bytes into @key, which the caller has zeroed
 * and whose metadata (in_port, ...) it has set. [@data, @data_end) is the
 * part of the packet that may be read, its first bytes; it must hold at
 * least min(@pkt_len, FP_PARSE_HDR_MAX) bytes for the result to depend on
 * the packet alone. @accel_tpid/@accel_tci: an outer VLAN tag that the
 * kernel already took out of the frame (0 if none). Returns FP_PARSE_OK or
 * FP_PARSE_INCOMPLETE.
 *
 * BPF programs on an skb use fp_flow_extract_skb() (flow_extract_skb.h),
 * which runs these same stages but is much cheaper to verify.
 */
static __always_inline int fp_flow_extract_len(struct fp_flow_key *key,
					       const void *data,
					       const void *data_end,
					       __u32 pkt_len, __be16 accel_tpid,
					       __be16 accel_tci)
{
	struct fp_cursor c = {
		.data = data,
		.data_end = data_end,
		.off = 0,
		.end = pkt_len,
	};
	int ret;

	ret = fp_parse_to_l3(&c, key, accel_tpid, accel_tci);
	if (ret != FP_PARSE_MORE)
		return ret;
	if (key->eth_type == fp_htons(FP_ETH_P_IPV6)) {
		ret = fp_parse_ipv6(&c, key);
		if (ret != FP_PARSE_MORE)
			return ret;
	}
	return fp_parse_l4_stage(&c, key);
}

/* The same for a packet that is all in [@data, @data_end) (userspace). */
static __always_inline int fp_flow_extract(struct fp_flow_key *key,
					   const void *data,
					   const void *data_end,
					   __be16 accel_tpid, __be16 accel_tci)
{
	return fp_flow_extract_len(key, data, data_end,
				   (__u32)((const __u8 *)data_end -
					   (const __u8 *)data),
				   accel_tpid, accel_tci);
}

#endif
